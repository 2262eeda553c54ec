"""Editions: the default one unprefixed, the others under their language code, each with its own pages."""

import re
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dateline.articles.datelines import format_dateline
from dateline.articles.models import FrontPage
from dateline.articles.timing import MARKER, stamp

from .factories import make_author, make_section, make_story

pytestmark = pytest.mark.django_db
MOMENT = datetime(2021, 11, 24, 3, 50, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _default_language_afterwards(settings):
    """The locale middleware leaves a request's language active in this thread: give later tests the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def persian():
    return make_story("نیروهای خارجی عراق را ترک می‌کنند", language="fa", slug="نیروها")


@pytest.fixture
def english():
    return make_story("Foreign forces to leave Iraq", slug="forces")


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode())[0]


def test_short_link_of_a_persian_story_redirects_to_the_persian_edition(client, persian):
    """/news/<id> of a Persian story answers 301 with its /fa/ address."""
    response = client.get(f"/news/{persian.news_id}")
    assert response.status_code == 301
    assert response["Location"] == f"/fa/news/{persian.news_id}/%D9%86%DB%8C%D8%B1%D9%88%D9%87%D8%A7"


def test_persian_story_page_is_right_to_left_with_the_persian_interface(client, persian):
    """The story page follows its language: <html lang="fa" dir="rtl">, Persian labels and digits."""
    response = client.get(persian.get_absolute_url())
    assert html_tag(response) == '<html lang="fa" dir="rtl">'
    assert response["Content-Language"] == "fa"
    text = response.content.decode()
    assert f"شناسه خبر: {persian.news_id}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in text
    assert "تاریخ انتشار:" in text and "کد امنیتی" in text and "تازه‌سازی" in text


def test_english_story_under_a_foreign_prefix_redirects_home(client, english):
    """An English story asked for under /fa/ is sent to its unprefixed address."""
    response = client.get(f"/fa/news/{english.news_id}/forces")
    assert (response.status_code, response["Location"]) == (301, f"/news/{english.news_id}/forces")


def test_default_edition_ignores_the_browsers_language(client, english):
    """Unprefixed pages stay English whatever Accept-Language says, and do not vary by it."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fa,ar;q=0.9")
    assert html_tag(response) == '<html lang="en" dir="ltr">'
    assert "Accept-Language" not in response.get("Vary", "")


def test_persian_front_page_lists_only_persian_stories_under_its_lead(client, persian, english):
    """/fa/ shows the Persian edition's lead and stories, and none of the English ones."""
    other = make_story("خبر دوم", language="fa")
    FrontPage.objects.create(language="fa", lead=other)
    text = client.get("/fa/").content.decode()
    assert '<html lang="fa" dir="rtl">' in text
    assert text.index("خبر دوم") < text.index("نیروهای خارجی") and english.headline not in text


def test_english_front_page_leaves_out_other_editions(client, persian, english):
    """The default front page lists stories in its language (or in one without an edition) only."""
    german = make_story("Ausländische Truppen verlassen den Irak", language="de")
    text = client.get("/").content.decode()
    assert english.headline in text and german.headline in text and persian.headline not in text


def test_sections_belong_to_an_edition(client):
    """The header lists the edition's sections; a section asked for in another edition redirects to its own."""
    make_section("World")
    middle_east = make_section("خاورمیانه", language="fa")
    assert "خاورمیانه" in client.get("/fa/").content.decode()
    assert "خاورمیانه" not in client.get("/").content.decode()
    response = client.get("/section/خاورمیانه")
    assert (response.status_code, response["Location"]) == (301, middle_east.get_absolute_url())


def test_tag_and_author_pages_list_the_editions_stories(client, persian, english):
    """/fa/author/… lists the author's Persian stories; the unprefixed page the English ones."""
    author = make_author("Reza Karimi")
    persian.authors.add(author)
    english.authors.add(author)
    persian_page = client.get("/fa/author/reza-karimi").content.decode()
    english_page = client.get("/author/reza-karimi").content.decode()
    assert persian.headline in persian_page and english.headline not in persian_page
    assert english.headline in english_page and persian.headline not in english_page


def test_feeds_list_their_editions_stories(client, persian, english):
    """/fa/rss.xml carries the Persian stories, /rss.xml the English ones."""
    persian_feed = client.get("/fa/rss.xml").content.decode()
    english_feed = client.get("/rss.xml").content.decode()
    assert persian.headline in persian_feed and english.headline not in persian_feed
    assert "<language>fa</language>" in persian_feed
    assert english.headline in english_feed and persian.headline not in english_feed


def test_sitemaps_list_their_editions_stories(client, persian, english):
    """/fa/sitemap-stories.xml lists the Persian story's address; the default sitemap does not."""
    persian_map = client.get("/fa/sitemap-stories.xml").content.decode()
    english_map = client.get("/sitemap-stories.xml").content.decode()
    assert f"/fa/news/{persian.news_id}/" in persian_map and f"/news/{english.news_id}/" not in persian_map
    assert f"/news/{english.news_id}/" in english_map and f"/fa/news/{persian.news_id}/" not in english_map
    assert "/fa/sitemap-stories.xml" in client.get("/fa/sitemap.xml").content.decode()


def test_linked_translations_point_to_each_other(client, persian, english):
    """Both pages carry hreflang alternates and a "read in" link in the other's language."""
    persian.translation_of = english
    persian.save()
    english_page = client.get(english.get_absolute_url()).content.decode()
    persian_page = client.get(persian.get_absolute_url()).content.decode()
    assert f'hreflang="fa" href="http://testserver{persian.get_absolute_url()}"' in english_page
    assert f'hreflang="en" href="http://testserver{english.get_absolute_url()}"' in persian_page
    assert "این خبر را به زبان فارسی بخوانید" in english_page
    assert "Read this story in English" in persian_page


def test_unpublished_translation_is_not_linked(client, english):
    """A draft translation stays out of the original's page."""
    make_story("پیش‌نویس", language="fa", published=False, translation_of=english)
    assert 'hreflang="fa" href' not in client.get(english.get_absolute_url()).content.decode()


def test_translation_must_be_of_an_original_in_another_language(english):
    """A story cannot translate itself, a story in its own edition, or a translation."""
    same = make_story("Another English story", translation_of=english)
    with pytest.raises(ValidationError):
        same.full_clean()
    persian = make_story("ترجمه", language="fa", translation_of=english)
    persian.full_clean()
    arabic = make_story("ترجمة", language="ar", translation_of=persian)
    with pytest.raises(ValidationError):
        arabic.full_clean()


def test_front_pages_name_each_other_with_hreflang(client):
    """Every edition's front page lists the others as alternates, with the default as x-default."""
    text = client.get("/fa/").content.decode()
    for code, path in (("en", "/"), ("ar", "/ar/"), ("fa", "/fa/"), ("x-default", "/")):
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver{path}">' in text


def test_header_switches_between_editions(client):
    """The header links each edition's front page, named in its own language, marking the current one."""
    text = client.get("/ar/").content.decode()
    assert '<a href="/fa/" lang="fa" hreflang="fa">فارسی</a>' in text
    assert 'hreflang="ar" aria-current="true"' in text


def test_editions_are_configurable(client, settings, persian):
    """A site without the Persian edition keeps Persian stories on its unprefixed pages; /fa/ is gone."""
    settings.EDITIONS = ["en", "ar"]
    settings.LANGUAGES = [("en", "English"), ("ar", "Arabic")]
    assert client.get("/fa/").status_code == 404
    assert client.get(persian.get_absolute_url()).status_code == 200
    assert persian.get_absolute_url().startswith("/news/")


def test_french_edition_is_just_a_catalogue(client, settings):
    """Adding "fr" to the editions gives a French edition with its interface and datelines."""
    settings.EDITIONS = ["en", "ar", "fa", "fr"]
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "French")]
    story = make_story("Les forces étrangères quittent l’Irak", language="fr", published_at=MOMENT)
    text = client.get(story.get_absolute_url()).content.decode()
    assert story.get_absolute_url().startswith("/fr/news/")
    assert "Publié le\u00a0:" in text and "24 novembre 2021, 03:50 GMT" in text


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "0350 GMT November 24, 2021"),
        ("fa", "۲۴ نوامبر ۲۰۲۱، ۰۳:۵۰ به وقت گرینویچ"),
        ("ar", "24 نوفمبر 2021، 03:50 بتوقيت غرينتش"),
    ],
)
def test_dateline_follows_the_editions_conventions(language, expected):
    """Month names, digits and order per edition; English keeps the reference format."""
    with translation.override(language):
        assert format_dateline(MOMENT) == expected


def test_persian_footer_figure_uses_persian_digits_and_separator():
    """The Persian marker is filled in as ۰/۰۰۱۲; the Server-Timing header keeps its standard form."""
    body, header = stamp(b"<p><!--dateline:generated-in:fa--></p>", started=10.0, now=10.0012)
    assert body.decode() == "<p>۰/۰۰۱۲</p>" and header == "app;dur=1.2"


def test_a_time_under_a_tenth_of_a_millisecond_is_written_to_the_microsecond():
    """A cached page served in 31 µs says 0.000031 (۰/۰۰۰۰۳۱ in Persian), not 0.0000; Server-Timing says 0.031."""
    assert stamp(b"<!--dateline:generated-in:en-->", 1.0, 1.000031) == (b"0.000031", "app;dur=0.031")
    assert stamp(b"<!--dateline:generated-in:fa-->", 1.0, 1.000031)[0].decode() == "۰/۰۰۰۰۳۱"
    assert stamp(b"<!--dateline:generated-in:en-->", 1.0, 1.00005)[0] == b"0.0001"


def test_english_and_plain_markers_keep_the_decimal_point():
    """`0.0012` for English pages and for a marker that names no language."""
    assert stamp(b"<!--dateline:generated-in:en-->", 1.0, 1.0012)[0] == b"0.0012"
    assert stamp(MARKER.encode(), 1.0, 1.0012)[0] == b"0.0012"


def test_persian_page_footer_reports_in_persian(client, persian):
    """The Persian story page's footer reads "زمان ایجاد صفحه ۰/N ثانیه"."""
    text = client.get(persian.get_absolute_url()).content.decode()
    assert re.search(r"زمان ایجاد صفحه ۰/[۰-۹]{4} ثانیه", text)


def test_comment_posted_in_the_persian_edition_answers_in_persian(client, persian, settings):
    """A rejected comment on a Persian story is shown again in Persian, its text kept."""
    response = client.post(
        f"/fa/comments/{persian.news_id}", {"name": "Rana", "body": "متن من", "captcha_0": "x", "captcha_1": "y"}
    )
    text = response.content.decode()
    assert response.status_code == 400 and "متن من" in text
    assert "کد امنیتی نادرست بود یا منقضی شده است" in text


def test_persian_feed_guid_is_the_stable_short_link(client, persian):
    """A Persian story's guid is its unprefixed /news/<id>, which redirects to the edition's page."""
    assert f"http://testserver/news/{persian.news_id}</guid>" in client.get("/fa/rss.xml").content.decode()


def test_editors_mark_a_translation_in_the_newsroom_form():
    """The newsroom's story form has the "translation of" field, in the classification fieldset."""
    from dateline.newsroom.admin import StoryAdmin
    from dateline.newsroom.forms import StoryAdminForm

    assert "translation_of" in StoryAdminForm.base_fields
    assert any("translation_of" in options["fields"] for _, options in StoryAdmin.fieldsets)
