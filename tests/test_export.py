"""`dateline export` and the import of its files: what is written, what never is, streaming, and the round trip."""

import json
import tracemalloc
from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from dateline.accounts.models import Author, AuthorLink
from dateline.articles.models import Correction, LiveEntry, Section, Story, Tag
from dateline.comments.models import Comment
from dateline.images.models import Image
from dateline.newsroom.models import Revision
from dateline.transfer import export as export_format
from dateline.transfer.export import export_lines
from dateline.transfer.reimport import import_export_file
from dateline.transfer.report import Report

from .factories import make_author, make_comment, make_section, make_story
from .test_ninjs import ninjs_errors

pytestmark = pytest.mark.django_db
KINDS = ["section", "tag", "author", "story", "comment"]


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.SITE_URL = "https://news.example"
    settings.MEDIA_ROOT = tmp_path / "media"


def export(tmp_path, *options, name="site.jsonl"):
    """Run `dateline export` to a file; its lines as dicts, and the path."""
    path = tmp_path / name
    call_command("export", str(path), *options, stderr=StringIO())
    return [json.loads(line) for line in path.read_text().splitlines()], path


def picture():
    buffer = BytesIO()
    PILImage.new("RGB", (800, 400), (20, 20, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def newsroom():
    """A small site using every exported field: nested sections, tags, authors, stories in every state, comments."""
    world = make_section("World", position=1, description="News from everywhere.")
    middle_east = make_section("Middle East", parent=world, position=2)
    iraq, shipping = Tag.objects.create(name="Iraq", slug="iraq"), Tag.objects.create(name="Shipping", slug="shipping")
    amira = make_author("Amira Haddad", role="Baghdad correspondent", bio="Covers Iraq.")
    AuthorLink.objects.create(author=amira, label="Mastodon", url="https://social.example/@amira", position=1)
    wire = make_author("Wire Service")
    photo = Image.objects.create(file=picture(), alt_text="Cranes", caption="Umm Qasr", credit="Ali Jasim")
    lead = make_story(
        "Port reopens",
        section=middle_east,
        location="BASRA",
        reporting_credit="Reuters",
        story_type=Story.Type.ANALYSIS,
        lead_image=photo,
        lead_image_caption="Cranes at dawn",
        revised_at=timezone.now() - timedelta(minutes=5),
    )
    lead.tags.set([iraq, shipping])
    lead.authors.set([amira, wire])
    Revision.objects.create(story=lead, version=1, changed=[], data={"headline": "Port reopens"})
    live = make_story("Election day, live", section=world, story_type=Story.Type.LIVE, language="ar")
    LiveEntry.objects.create(story=live, body="<p>Polls open.</p>", created_at=timezone.now() - timedelta(hours=2))
    LiveEntry.objects.create(story=live, body="<p>Turnout high.</p>", is_pinned=True)
    Correction.objects.create(story=live, kind=Correction.Kind.CORRECTION, text="An earlier entry misnamed a town.")
    Correction.objects.create(story=live, kind=Correction.Kind.UPDATE, text="Results added.")
    make_story("A draft", published=False)
    make_story("In review", published=False, status=Story.Status.REVIEW)
    make_story("Taken down", status=Story.Status.UNPUBLISHED)
    make_story("Tomorrow's story", ago=-timedelta(days=1))
    make_comment(lead, "Good news.", email="reader@mail.example", ip_address="203.0.113.9")
    make_comment(lead, "Awaiting a moderator.", status=Comment.Status.PENDING, email="other@mail.example")
    make_comment(live, "Spam here.", status=Comment.Status.SPAM)


def empty_the_site():
    """Delete every row the export covers (files stay, as when the media folder is copied along)."""
    Comment.objects.all().delete()
    Story.objects.all().delete()
    Image.objects.all().delete()
    Author.objects.all().delete()
    Tag.objects.all().delete()
    Section.objects.filter(parent__isnull=False).delete()
    Section.objects.all().delete()


# What is written


def test_every_line_has_a_kind_in_import_order(tmp_path):
    """Sections, tags, authors, stories and comments come in that order, each line with its kind."""
    newsroom()
    lines, _ = export(tmp_path)
    kinds = [line["kind"] for line in lines]
    assert kinds == sorted(kinds, key=KINDS.index)
    assert [kinds.count(kind) for kind in KINDS] == [2, 2, 2, 6, 1]


def test_parent_sections_come_before_their_children(tmp_path):
    """A child section is written after its parent, naming it by slug."""
    child = make_section("Iraq", position=0, parent=make_section("Middle East", position=5))
    lines, _ = export(tmp_path)
    assert [(line["slug"], line["parent"]) for line in lines] == [("middle-east", None), (child.slug, "middle-east")]


def test_story_lines_carry_valid_ninjs_and_the_extension(tmp_path):
    """Each story is a ninjs 2.2 document that passes IPTC's schema, with our extension beside it."""
    newsroom()
    stories = [line for line in export(tmp_path)[0] if line["kind"] == "story"]
    assert all(ninjs_errors(line["ninjs"]) == [] for line in stories)
    lead = next(line for line in stories if line["ninjs"]["headlines"][0]["value"] == "Port reopens")
    assert lead["dateline"]["section"] == "middle-east" and lead["dateline"]["tags"] == ["Iraq", "Shipping"]
    assert lead["dateline"]["authors"] == ["amira-haddad", "wire-service"]


def test_only_approved_comments_are_written_without_email_or_ip(tmp_path):
    """Pending and spam comments stay out; no reader's e-mail or IP address is in the file."""
    newsroom()
    lines, path = export(tmp_path)
    comments = [line for line in lines if line["kind"] == "comment"]
    assert [(c["name"], c["body"]) for c in comments] == [("Reader", "Good news.")]
    assert set(comments[0]) == {"kind", "news_id", "name", "body", "created_at"}
    text = path.read_text()
    assert "mail.example" not in text and "203.0.113.9" not in text and "Awaiting" not in text


def test_revisions_are_written_only_when_asked(tmp_path):
    """--revisions adds each story's saved versions; without it there are none."""
    newsroom()
    without = [line for line in export(tmp_path)[0] if line["kind"] == "story"]
    with_revisions = [line for line in export(tmp_path, "--revisions", name="r.jsonl")[0] if line["kind"] == "story"]
    assert all("revisions" not in line["dateline"] for line in without)
    assert [r["version"] for line in with_revisions for r in line["dateline"]["revisions"]] == [1]


def test_dash_writes_to_standard_output():
    """`dateline export -` writes the lines to standard output and the summary to standard error."""
    make_story()
    out, err = StringIO(), StringIO()
    call_command("export", "-", stdout=out, stderr=err)
    assert [json.loads(line)["kind"] for line in out.getvalue().splitlines()] == ["story"]
    assert "Exported 0 sections, 0 tags, 0 authors, 1 stories, 0 comments." in err.getvalue()


# Streaming


def many_stories(count, start=500_000):
    """`count` published stories with a tag each, made in bulk."""
    tag = Tag.objects.get_or_create(name="Bulk", slug="bulk")[0]
    now = timezone.now()
    Story.objects.bulk_create(
        Story(
            news_id=start + n,
            headline=f"Bulk {n}",
            slug=f"bulk-{n}",
            body=f"<p>{n}</p>",
            status="published",
            published_at=now,
            version=1,
        )
        for n in range(count)
    )
    stories = Story.objects.filter(news_id__gte=start, news_id__lt=start + count).values_list("pk", flat=True)
    Story.tags.through.objects.bulk_create(Story.tags.through(story_id=pk, tag_id=tag.pk) for pk in stories)


def peak_memory_of_export():
    tracemalloc.start()
    for _ in export_lines(lambda path: "https://news.example" + path):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_export_reads_stories_in_chunks_with_bounded_queries():
    """3,000 stories are read in chunks: a handful of queries per 500 stories, not a few per story."""
    many_stories(3000)
    with CaptureQueriesContext(connection) as queries:
        lines = sum(1 for line in export_lines(lambda path: "https://news.example" + path) if line["kind"] == "story")
    assert lines == 3000
    assert len(queries) <= 6 * (3000 // 500 + 1) + 5


def test_export_memory_stays_flat_as_stories_grow(monkeypatch):
    """Four times the stories leave the peak memory nearly where it was (one chunk is held at a time)."""
    monkeypatch.setattr(export_format, "CHUNK", 100)
    many_stories(200)
    peak_memory_of_export()  # the first run fills Django's caches (URL resolver, translations)
    small = peak_memory_of_export()
    many_stories(600, start=600_000)
    large = peak_memory_of_export()
    print(f"peak memory: {small} B for 200 stories, {large} B for 800 (in chunks of 100)")
    assert large < small * 1.5


# Import and the round trip


def test_round_trip_reproduces_the_site(tmp_path):
    """Export, empty the site, import, export again: both exports are equal, field by field."""
    newsroom()
    first, path = export(tmp_path, "--revisions")
    empty_the_site()
    report = Report()
    import_export_file(path, report)
    second, _ = export(tmp_path, "--revisions", name="again.jsonl")
    assert report.refused == [] and report.imported == len(first)
    for before, after in zip(first, second, strict=True):
        assert before == after


def test_round_trip_restores_rows_not_only_lines(tmp_path):
    """After the round trip the rows are there: a section's parent, an author's bio, a live story's entries."""
    newsroom()
    _, path = export(tmp_path)
    empty_the_site()
    import_export_file(path, Report())
    assert Section.objects.get(slug="middle-east").parent.slug == "world"
    assert Author.objects.get(slug="amira-haddad").bio == "Covers Iraq."
    live = Story.objects.get(headline="Election day, live")
    assert [e.is_pinned for e in live.live_entries.all()] == [True, False] and live.corrections.count() == 2
    assert Story.objects.get(headline="Port reopens").lead_image.alt_text == "Cranes"
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_importing_an_export_twice_adds_nothing(tmp_path):
    """The second import of the same file updates each object and creates none."""
    newsroom()
    lines, path = export(tmp_path)
    counts = (Story.objects.count(), Comment.objects.count(), Tag.objects.count(), Author.objects.count())
    report = Report()
    import_export_file(path, report)
    assert (report.imported, report.updated, report.refused) == (0, len(lines), [])
    assert (Story.objects.count(), Comment.objects.count(), Tag.objects.count(), Author.objects.count()) == counts


def test_bad_lines_are_refused_with_their_numbers_and_the_rest_imports(tmp_path):
    """Broken JSON, an unknown kind, a story without News ID and a comment on no story are refused by line."""
    path = tmp_path / "site.jsonl"
    story_without_id = {
        "kind": "story",
        "ninjs": {"uri": "urn:x", "headlines": [{"value": "H"}], "bodies": [{"value": "<p>B</p>"}]},
        "dateline": {},
    }
    lines = [
        {"kind": "section", "name": "World", "slug": "world", "parent": None, "position": 0, "description": ""},
        "{broken",
        {"kind": "planet", "name": "Mars"},
        story_without_id,
        {"kind": "comment", "news_id": 999, "name": "R", "body": "Hi", "created_at": "2024-01-01T00:00:00Z"},
        {"kind": "tag", "name": "Iraq", "slug": "iraq", "description": ""},
    ]
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines))
    report = Report()
    import_export_file(path, report)
    assert [refusal.split(": ")[0] for refusal in report.refused] == [f"{path}:{n}" for n in (2, 3, 4, 5)]
    assert "no story has the News ID 999" in report.refused[3]
    assert report.imported == 2 and Section.objects.filter(slug="world").exists() and Tag.objects.filter(slug="iraq")


def test_a_child_section_before_its_parent_is_refused(tmp_path):
    """A section whose parent is not in the file before it is refused, naming the parent."""
    path = tmp_path / "site.jsonl"
    path.write_text(json.dumps({"kind": "section", "name": "Iraq", "slug": "iraq", "parent": "middle-east"}))
    report = Report()
    import_export_file(path, report)
    assert report.refused == [f"{path}:1: its parent section 'middle-east' is not in the file before it"]


def test_dateline_import_reads_an_export(tmp_path):
    """`dateline import` recognises an export file and restores the site from it."""
    newsroom()
    lines, path = export(tmp_path)
    empty_the_site()
    out = StringIO()
    call_command("import", str(path), stdout=out, stderr=StringIO())
    assert out.getvalue() == f"Imported {len(lines)}, updated 0, refused 0.\n"
    assert Story.objects.count() == 6 and Comment.objects.count() == 1


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
FIELDS = ["name", "slug", "parent", "news_id", "body", "created_at", "ninjs", "dateline", "links", "user", "photo"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(KINDS),
    fields=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=6),
    ninjs=st.dictionaries(st.sampled_from(["uri", "headlines", "bodies", "altids", "language", "type"]), JSON_VALUES),
    extension=st.dictionaries(st.sampled_from(["news_id", "tags", "authors", "status", "corrections"]), JSON_VALUES),
)
def test_no_line_crashes_the_import(tmp_path_factory, kind, fields, ninjs, extension):
    """Whatever a line holds, it is imported or refused with its line number; the import never fails."""
    path = tmp_path_factory.mktemp("fuzz") / "site.jsonl"
    line = {"kind": kind, **fields} if kind != "story" else {"kind": kind, "ninjs": ninjs, "dateline": extension}
    path.write_text(json.dumps(line))
    report = Report()
    import_export_file(path, report)
    assert report.imported + report.updated + len(report.refused) == 1
    assert all(refusal.startswith(f"{path}:1: ") for refusal in report.refused)
