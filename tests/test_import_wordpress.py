"""`dateline import` of a WordPress export (WXR): a WordPress newsroom moves over in one command."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.accounts.models import Author
from dateline.articles.models import ImportedItem, Section, Story, Tag
from dateline.comments.models import Comment
from dateline.transfer.formats import wordpress
from dateline.transfer.report import Report

from .factories import names, paragraphs, run_import, story, write

WXR = Path(__file__).parent / "fixtures" / "wordpress-export.xml"
HARBOUR = "Harbour reopens after storm"
SHIPPING = "Shipping rates climb as insurers count the cost"
SUMMARY = "Imported 6, updated 0, refused 0, skipped 4.\n"


def counts():
    """How many rows of each kind an import makes."""
    models = (Story, Comment, Author, Section, Tag, ImportedItem)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def imported(db):
    """The fixture export, imported once into an empty site: the run's stdout, stderr and error."""
    return run_import(WXR)


# The run


def test_posts_import_and_other_items_are_skipped_without_failing(imported):
    """Six posts import; the attachment, menu item, page and trashed post are skipped, and the run succeeds."""
    assert imported == (SUMMARY, "", None)


@pytest.mark.django_db
def test_skipped_items_are_listed_when_asked_for():
    """With -v 2 each skipped item is named, with its type (and status for a post), before the summary."""
    out, _, _ = run_import(WXR, verbosity=2)
    assert out == (
        f"{WXR}: post 107 (Rumour about a harbour sale): skipped (trash)\n"
        f"{WXR}: attachment 110 (harbour): skipped\n"
        f"{WXR}: nav_menu_item 120: skipped\n"
        f"{WXR}: page 130 (About us): skipped\n" + SUMMARY
    )


# Statuses and times


def test_published_posts_stay_published_at_their_original_utc_times(imported):
    """wp:post_date_gmt is the publication time, in UTC, and the posts are public."""
    assert story(HARBOUR).published_at == datetime(2024, 3, 1, 8, 30, tzinfo=UTC)
    assert story(SHIPPING).published_at == datetime(2024, 3, 2, 14, 5, 9, tzinfo=UTC)
    assert set(Story.objects.published().values_list("headline", flat=True)) == {HARBOUR, SHIPPING}


def test_a_draft_comes_in_as_a_draft(imported):
    """A WordPress draft is a draft with no publication time."""
    draft = story("Port authority budget")
    assert (draft.status, draft.published_at) == (Story.Status.DRAFT, None)


def test_a_pending_post_comes_in_for_review(imported):
    """ "Pending review" in WordPress is "In review" here."""
    assert story("Dock workers vote on strike").status == Story.Status.REVIEW


def test_a_private_post_comes_in_unpublished(imported):
    """A private post is kept for the newsroom but not public, with its original date."""
    private = story("Staffing plan for the night desk")
    assert private.status == Story.Status.UNPUBLISHED
    assert private.published_at == datetime(2024, 2, 20, 9, 0, tzinfo=UTC)


def test_a_future_post_is_scheduled(imported):
    """A scheduled WordPress post is published at its future time, so not yet public."""
    ferry = story("Ferry timetable changes in summer")
    assert ferry.is_scheduled and ferry.published_at == datetime(2099, 6, 1, 6, 0, tzinfo=UTC)


def test_an_export_in_the_https_namespace_is_a_wordpress_export(tmp_path, db):
    """WordPress.com writes https://wordpress.org/export/1.2/: the same export, read as WordPress and not as a
    feed: the same posts, statuses and comments, pages and attachments skipped."""
    https = write(
        tmp_path / "wordpress-com.xml",
        WXR.read_text().replace("http://wordpress.org/export/", "https://wordpress.org/export/"),
    )
    assert run_import(https) == (SUMMARY, "", None)
    assert story("Port authority budget").status == Story.Status.DRAFT
    assert story("Ferry timetable changes in summer").is_scheduled
    assert Comment.objects.exists() and not Story.objects.filter(headline="About us").exists()


# People, sections, tags


def test_authors_keep_their_display_names(imported):
    """Bylines carry the display names of the wp:author blocks, not the logins; one byline per author."""
    assert names(story(HARBOUR).authors) == ["Mariam Hassan"]
    assert names(story(SHIPPING).authors) == ["Jonas Berg"]
    assert names(Author.objects) == ["Jonas Berg", "Mariam Hassan"]


@pytest.mark.django_db
def test_an_author_already_on_the_site_is_linked_by_display_name():
    """A newsroom that made Mariam Hassan's byline already gets her posts on it."""
    mariam = Author.objects.create(name="Mariam Hassan")
    run_import(WXR)
    assert list(story(HARBOUR).authors.all()) == [mariam]


@pytest.mark.django_db
def test_a_renamed_author_keeps_their_byline_on_reimport(tmp_path):
    """Bylines are keyed on the login: a new display name in a later export does not make a second byline."""
    run_import(WXR)
    export = write(tmp_path / "renamed.xml", WXR.read_text().replace("[Jonas Berg]", "[Jonas A. Berg]"))
    run_import(export)
    assert names(story(SHIPPING).authors) == ["Jonas Berg"]


def test_categories_become_sections_with_their_parents(imported):
    """A post in Middle East (under World) is in the Middle East section, whose parent is World."""
    section = story(HARBOUR).section
    assert (section.name, section.slug, section.parent.name) == ("Middle East", "middle-east", "World")


def test_the_default_category_makes_no_section(imported):
    """ "Uncategorized" is WordPress's placeholder, not a section."""
    assert story("Port authority budget").section is None
    assert not Section.objects.filter(slug="uncategorized").exists()


def test_tags_become_tags_shared_between_stories(imported):
    """Post tags arrive by name; a tag on two posts is one tag."""
    assert names(story(HARBOUR).tags) == ["Ports", "Weather"]
    assert names(story(SHIPPING).tags) == ["Ports", "Shipping"]
    assert Tag.objects.filter(name="Ports").count() == 1


def test_a_second_category_that_is_not_an_ancestor_becomes_a_tag(tmp_path, db):
    """A post in Business and Middle East is in Middle East and tagged Business."""
    second = '<category domain="category" nicename="business"><![CDATA[Business]]></category>\n\t\t'
    text = WXR.read_text().replace('<category domain="category" nicename="world">', second + "<category domain='x'>", 1)
    run_import(write(tmp_path / "export.xml", text))
    assert story(HARBOUR).section.slug == "middle-east"
    assert "Business" in names(story(HARBOUR).tags)


# Content


def test_classic_content_gets_paragraphs_and_line_breaks(imported):
    """Text separated by blank lines becomes <p>s, a single newline a <br>, and <!--more--> goes."""
    body = story(HARBOUR).body
    assert paragraphs(body) == [
        "The harbour reopened on Friday morning, three days after the storm closed it to all shipping.",
        '"We worked through the night," the harbour master said.<br>\n"The first ferry left at six."',
        "Fishing boats are expected back by the weekend.",
    ]
    assert "more" not in body


def test_a_caption_shortcode_becomes_a_figure(imported):
    """[caption]<img> text[/caption] is a figure with the image and its caption."""
    body = story(HARBOUR).body
    assert re.search(r"<figure><img [^>]*alt=\"Cranes at the harbour\"[^>]*>", body)
    assert "<figcaption>Cranes at the eastern quay on Friday.</figcaption></figure>" in body
    assert "[caption" not in body


def test_block_editor_comments_are_removed(imported):
    """Gutenberg's <!-- wp:… --> markers go; the blocks' HTML stays."""
    body = story(SHIPPING).body
    assert "wp:" not in body and "<!--" not in body
    assert "<h2>What it means for shoppers</h2>" in body
    assert (
        paragraphs(body)[1] == "Importers say the rise will reach <strong>supermarket shelves</strong> within a month."
    )


def test_the_excerpt_is_the_summary_or_the_body_gives_one(imported):
    """A post's excerpt is its summary; a post without one is summarised by its first words."""
    assert story(HARBOUR).summary == "The harbour reopened three days after the storm."
    assert story(SHIPPING).summary.startswith("Freight rates rose by a fifth this week")


def test_slugs_come_from_post_names_decoded(imported):
    """wp:post_name is the slug (percent-encoded Arabic decoded); a draft without one gets one from its headline."""
    assert story(HARBOUR).slug == "harbour-reopens-after-storm"
    assert story("Staffing plan for the night desk").slug == "مذكرة"
    assert story("Port authority budget").slug == "port-authority-budget"


def test_stories_take_the_sites_language(imported):
    """The channel's <language> is each story's language."""
    assert set(Story.objects.values_list("language", flat=True)) == {"en-US"}


# Comments


def test_approved_comments_stay_approved_and_pending_ones_pending(imported):
    """WordPress approved (1) → approved, unapproved (0) → pending, spam → spam; trash and pingbacks stay behind."""
    statuses = dict(story(HARBOUR).comments.values_list("name", "status"))
    assert statuses == {
        "Lena Fischer": Comment.Status.APPROVED,
        "Tomás Ruiz": Comment.Status.PENDING,
        "Cheap Watches": Comment.Status.SPAM,
    }


def test_only_approved_comments_are_shown_on_the_story_page(imported, client):
    """Readers see the approved comment; the pending one and the spam are not on the page."""
    page = client.get(story(HARBOUR).get_absolute_url())
    assert "Good to hear the ferries are running again." in page.content.decode()
    assert "cheap watches" not in page.content.decode() and "eastern quay be repaired" not in page.content.decode()


def test_comments_keep_their_time_address_and_email(imported):
    """A comment keeps its UTC time, IP address and e-mail."""
    lena = Comment.objects.get(name="Lena Fischer")
    assert lena.created_at == datetime(2024, 3, 1, 10, 15, tzinfo=UTC)
    assert (lena.ip_address, lena.email) == ("203.0.113.5", "lena@example.net")
    assert Comment.objects.get(name="Tomás Ruiz").ip_address == "2001:db8::17"


def test_comment_markup_becomes_plain_text(imported):
    """Comments are plain text here: links and entities in a WordPress comment become their text."""
    assert Comment.objects.get(name="Priya Natarajan").body == "See last year's rates & compare."


# Importing again


@pytest.mark.django_db
def test_reimporting_the_export_updates_and_duplicates_nothing():
    """The second run updates the six stories and makes no new story, comment, byline, section or tag."""
    run_import(WXR)
    before = counts()
    out, err, error = run_import(WXR)
    assert (out, err, error) == ("Imported 0, updated 6, refused 0, skipped 4.\n", "", None)
    assert counts() == before


@pytest.mark.django_db
def test_reimporting_keeps_the_moderators_decisions():
    """A comment approved or deleted here is not put back to pending or brought back by a re-import."""
    run_import(WXR)
    Comment.objects.filter(name="Tomás Ruiz").update(status=Comment.Status.APPROVED)
    Comment.objects.filter(name="Cheap Watches").delete()
    run_import(WXR)
    assert Comment.objects.get(name="Tomás Ruiz").status == Comment.Status.APPROVED
    assert not Comment.objects.filter(name="Cheap Watches").exists()


@pytest.mark.django_db
def test_reimporting_an_edited_post_updates_its_story(tmp_path):
    """A headline corrected in WordPress replaces the stored one on the same story."""
    run_import(WXR)
    news_id = story(HARBOUR).news_id
    run_import(write(tmp_path / "export.xml", WXR.read_text().replace(HARBOUR, "Harbour reopens after the storm")))
    assert story("Harbour reopens after the storm").news_id == news_id


@pytest.mark.django_db
def test_a_refused_post_does_not_stop_the_others(tmp_path):
    """A post without a title is refused by id; the others import and the run fails."""
    export = write(tmp_path / "export.xml", WXR.read_text().replace(f"<![CDATA[{SHIPPING}]]>", ""))
    out, err, error = run_import(export)
    assert out == "Imported 5, updated 0, refused 1, skipped 4.\n"
    assert err == f"{export}: post 102: has no title\n"
    assert error.returncode == 1


# Broken and hostile files

WXR_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
    '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
    "<item><title>{title}</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>"
    "<wp:status>publish</wp:status><wp:post_date_gmt>2024-03-01 08:30:00</wp:post_date_gmt></item>"
    "</channel></rss>"
)
XXE = WXR_HEAD.format(doctype='<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', title="&x;")
LAUGHS = WXR_HEAD.format(
    doctype="<!DOCTYPE rss [<!ENTITY a 'lol'>"
    + "".join(f"<!ENTITY {b} '{('&' + a + ';') * 10}'>" for a, b in zip("abcdefgh", "bcdefghi", strict=True))
    + "]>\n",
    title="&i;",
)
DTD_REFUSAL = "declares its own DTD entities or rules (<!DOCTYPE … [ … ]>); refused for safety"


@pytest.mark.parametrize(
    "content, problem",
    [
        pytest.param(WXR.read_bytes()[:9000], "is not well-formed XML (", id="truncated"),
        pytest.param(XXE, DTD_REFUSAL, id="external-entity"),
        pytest.param(LAUGHS, DTD_REFUSAL, id="billion-laughs"),
        pytest.param(XXE.replace("UTF-8", "UTF-16").encode("utf-16"), "DTD", id="external-entity-utf-16"),
        pytest.param(WXR_HEAD.format(doctype="", title="&x;"), "is not well-formed XML (", id="undefined-entity"),
    ],
)
@pytest.mark.django_db
def test_a_malformed_or_hostile_export_is_refused_whole(tmp_path, content, problem):
    """The run fails with the file and the reason, and writes nothing at all."""
    export = write(tmp_path / "export.xml", content)
    out, err, error = run_import(export)
    assert err.startswith(f"{export}:") and problem in err and err.count("\n") == 1
    assert (out, error.returncode) == ("Imported 0, updated 0, refused 1.\n", 1)
    assert set(counts().values()) == {0}


@pytest.mark.django_db
def test_an_export_that_is_well_formed_wxr_imports_from_the_same_template(tmp_path):
    """The template the hostile files are made from imports when it is harmless (so the refusals mean something)."""
    out, _, _ = run_import(write(tmp_path / "export.xml", WXR_HEAD.format(doctype="", title="Fine")))
    assert out == "Imported 1, updated 0, refused 0.\n"


@pytest.mark.django_db
def test_a_large_export_reports_its_progress(tmp_path):
    """Past 200 items, progress lines go to standard error and end at 100%."""
    menu_item = "<item><wp:post_id>{}</wp:post_id><wp:post_type>nav_menu_item</wp:post_type></item>"
    items = "".join(menu_item.format(n) for n in range(250))
    export = write(
        tmp_path / "export.xml", WXR_HEAD.format(doctype="", title="Fine").replace("</channel>", items + "</channel>")
    )
    out, err, _ = run_import(export)
    assert out == "Imported 1, updated 0, refused 0, skipped 250.\n"
    assert err.splitlines()[-1] == f"{export}: 251/251 items (100%)"


wxr_like_bytes = st.one_of(
    st.binary(max_size=400),
    st.builds(lambda cut, junk: WXR.read_bytes()[:cut] + junk, st.integers(0, 20000), st.binary(max_size=40)),
    st.lists(
        st.sampled_from(
            [
                '<rss xmlns:wp="http://wordpress.org/export/1.2/">',
                "<channel>",
                "<item>",
                "<wp:post_type>post</wp:post_type>",
                "<wp:post_id>7</wp:post_id>",
                "<wp:status>publish</wp:status>",
                "<title>T</title>",
                "<wp:post_date_gmt>2024-13-40 99:00:00</wp:post_date_gmt>",
                "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_approved>1</wp:comment_approved></wp:comment>",
                "</item>",
                "</channel></rss>",
                "&amp;",
                "\x00",
            ]
        )
    ).map(lambda parts: "".join(parts).encode()),
)


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=wxr_like_bytes)
def test_any_bytes_as_a_wordpress_export_give_stories_or_a_refusal(data):
    """Whatever bytes an export holds, importing it imports, skips or refuses; it never raises."""
    report = Report()
    try:
        wordpress.import_wordpress("any.xml", report, data=data)
        assert all(line.startswith("any.xml") for line in report.refused + report.skipped)
    finally:
        Story.objects.all().delete()
        Author.objects.all().delete()
        Section.objects.all().delete()
        Tag.objects.all().delete()
        ImportedItem.objects.all().delete()


# WordPress's paragraphs


@pytest.mark.parametrize(
    "content, expected",
    [
        pytest.param("One.\n\nTwo.", "<p>One.</p>\n<p>Two.</p>", id="blank-lines"),
        pytest.param("One\r\nstill one.", "<p>One<br>\nstill one.</p>", id="crlf-line-break"),
        pytest.param("<h2>Head</h2>\n\nText.", "<h2>Head</h2>\n<p>Text.</p>", id="block-kept"),
        pytest.param("<!-- wp:paragraph -->\n<p>A</p>\n<!-- /wp:paragraph -->", "<p>A</p>", id="gutenberg"),
        pytest.param(
            "<blockquote>Quote\n\nmore</blockquote>", "<blockquote>Quote\nmore</blockquote>", id="split-block"
        ),
        pytest.param('[gallery ids="1,2"]\n\nText.', "<p>Text.</p>", id="gallery-dropped"),
        pytest.param("Footnote [1] stays.", "<p>Footnote [1] stays.</p>", id="brackets-kept"),
    ],
)
def test_wordpress_content_gets_paragraphs(content, expected):
    """wpautop's essentials: paragraphs from blank lines, blocks left alone, editor markers and galleries gone."""
    assert wordpress.wordpress_html(content) == expected
