"""`dateline import` of RSS and Atom feeds, from files and URLs, and how the command tells formats apart."""

import functools
import importlib
import threading
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.accounts.models import Author
from dateline.articles.models import Story, Tag
from dateline.demo.stories import SEED
from dateline.transfer.detect import Format, sniff
from dateline.transfer.formats import feeds
from dateline.transfer.report import Refused, Report

from .factories import names, paragraphs, run_import, story, write

FIXTURES = Path(__file__).parent / "fixtures"
RSS = FIXTURES / "feed-rss.xml"
ATOM = FIXTURES / "feed-atom.xml"
WXR = FIXTURES / "wordpress-export.xml"
BASRA = "urn:uuid:6b1a2f3e-8c1d-4f57-9b0a-3e2d1c4b5a69"
COMMAND = importlib.import_module("dateline.transfer.management.commands.import")  # `import` is a keyword
VIENNA = "گفت\u200cوگوهای وین از سر گرفته شد"


def atom_feed(entries):
    """An Atom feed with these (id, title, updated) entries."""
    items = "".join(
        f"<entry><id>{key}</id><title>{title}</title><updated>{updated}</updated>"
        f"<content type='html'>&lt;p&gt;Text of {title}.&lt;/p&gt;</content></entry>"
        for key, title, updated in entries
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:test</id>{items}</feed>'


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a directory; redirects /to-file to a file: URL; says nothing on stderr."""

    def do_GET(self):
        if self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def web(tmp_path):
    """A web server on 127.0.0.1 serving a copy of the fixtures (and files tests add); its base URL."""
    root = tmp_path / "site"
    root.mkdir()
    for fixture in (RSS, ATOM, WXR):
        (root / fixture.name).write_bytes(fixture.read_bytes())
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


# RSS


@pytest.mark.django_db
def test_an_rss_item_becomes_a_published_story_with_its_fields():
    """Title, content, description, date, dc:creator, categories and the channel language all arrive."""
    run_import(RSS)
    basra = story("Basra oil exports reach a two-year high")
    assert basra.status == Story.Status.PUBLISHED
    assert basra.published_at == datetime(2021, 11, 24, 3, 50, tzinfo=UTC)
    assert paragraphs(basra.body) == [
        "Exports from <strong>Basra</strong> rose to 3.3 million barrels a day.",
        "Officials expect more in December.",
    ]
    assert basra.summary == "Exports from Basra rose to 3.3 million barrels a day in November."
    assert (names(basra.authors), names(basra.tags), basra.language) == (["Amira Haddad"], ["Energy", "Iraq"], "en-gb")


@pytest.mark.django_db
def test_scripts_in_a_feed_never_reach_the_stored_body():
    """Content is cleaned like any story body: no <script>, no alert."""
    run_import(RSS)
    assert "script" not in story("Basra oil exports reach a two-year high").body


@pytest.mark.django_db
def test_an_rss_item_with_only_a_description_uses_it_as_the_body():
    """An item without content:encoded gets its description as the body, its time in UTC, its author's name."""
    run_import(RSS)
    tanker = story("Tanker traffic resumes in the Strait")
    assert paragraphs(tanker.body) == ["Tanker traffic resumed on Tuesday after a two-day halt."]
    assert tanker.summary == "Tanker traffic resumed on Tuesday after a two-day halt."
    assert tanker.published_at == datetime(2021, 11, 23, 15, 20, tzinfo=UTC)
    assert names(tanker.authors) == ["Karim Nasser"]


@pytest.mark.django_db
def test_entries_without_a_title_or_a_date_are_refused_and_the_others_import():
    """Each refusal names the file, the entry and the reason; the good entries import and the run fails."""
    out, err, error = run_import(RSS)
    assert out == "Imported 2, updated 0, refused 2.\n"
    assert err == (
        f"{RSS}: entry 3 (https://wire.example.com/energy/untitled): has no title\n"
        f"{RSS}: entry 4 (https://wire.example.com/energy/refinery-restart): has no publication date\n"
    )
    assert error.returncode == 1
    assert Story.objects.count() == 2


# Atom


@pytest.mark.django_db
def test_an_atom_entry_becomes_a_story_with_its_fields():
    """Persian title and language, both authors, category label, summary, content, and updated as "Updated"."""
    run_import(ATOM)
    vienna = story(VIENNA)
    assert (vienna.language, vienna.direction) == ("fa", "rtl")
    assert vienna.published_at == datetime(2021, 11, 24, 3, 50, tzinfo=UTC)
    assert vienna.revised_at == datetime(2021, 11, 25, 8, 0, tzinfo=UTC)
    assert names(vienna.authors) == ["Reza Tehrani", "Sara Karimi"]
    assert names(vienna.tags) == ["Diplomacy"]
    assert vienna.summary == "The talks in Vienna resumed on Wednesday."
    assert paragraphs(vienna.body) == ["The talks in Vienna resumed on Wednesday.", "Delegations met for three hours."]


@pytest.mark.django_db
def test_atom_plain_text_content_becomes_paragraphs_dated_by_its_update():
    """type="text" content is escaped into paragraphs; an entry with only <updated> is published then."""
    run_import(ATOM)
    note = story("Plain text note")
    assert paragraphs(note.body) == ["First paragraph of a plain text entry.", "Second paragraph & more."]
    assert note.published_at == datetime(2021, 11, 24, 12, 0, tzinfo=UTC)
    assert note.revised_at is None


@pytest.mark.django_db
def test_bylines_and_tags_that_exist_are_reused():
    """An author or tag already on the site (a tag in any case) is linked, not made a second time."""
    amira = Author.objects.create(name="Amira Haddad")
    energy = Tag.objects.create(name="energy", slug="energy")
    run_import(RSS)
    basra = story("Basra oil exports reach a two-year high")
    assert amira in basra.authors.all() and energy in basra.tags.all()
    assert Author.objects.filter(name="Amira Haddad").count() == Tag.objects.filter(name__iexact="energy").count() == 1


# Importing again


@pytest.mark.django_db
def test_reimporting_a_feed_updates_its_stories_instead_of_duplicating_them():
    """The second import of the same feed updates the two stories, and the summary says so."""
    run_import(ATOM)
    out, err, error = run_import(ATOM)
    assert (out, err, error) == ("Imported 0, updated 2, refused 0.\n", "", None)
    assert Story.objects.count() == 2


@pytest.mark.django_db
def test_reimporting_an_edited_entry_changes_its_story(tmp_path):
    """A corrected title in the feed replaces the stored headline of the same story."""
    feed = write(tmp_path / "feed.xml", atom_feed([("urn:a", "Ceasefire holds in the nort", "2021-11-24T03:50:00Z")]))
    run_import(feed)
    news_id = Story.objects.get().news_id
    write(feed, atom_feed([("urn:a", "Ceasefire holds in the north", "2021-11-24T03:50:00Z")]))
    run_import(feed)
    assert Story.objects.get().headline == "Ceasefire holds in the north"
    assert Story.objects.get().news_id == news_id


@pytest.mark.django_db
def test_reimporting_keeps_an_unpublished_story_unpublished():
    """An editor's decision to unpublish an imported story survives a re-import of the feed."""
    run_import(ATOM)
    Story.objects.update(status=Story.Status.UNPUBLISHED)
    run_import(ATOM)
    assert set(Story.objects.values_list("status", flat=True)) == {Story.Status.UNPUBLISHED}


@pytest.mark.django_db
def test_the_same_entry_id_in_another_feed_is_another_story(tmp_path):
    """Entries are keyed on their feed as well as their id."""
    entry = [("urn:a", "Ceasefire holds", "2021-11-24T03:50:00Z")]
    run_import(write(tmp_path / "one.xml", atom_feed(entry)))
    run_import(write(tmp_path / "two.xml", atom_feed(entry).replace("urn:test", "urn:other")))
    assert Story.objects.count() == 2


# URLs


@pytest.mark.django_db
def test_a_feed_url_is_fetched_and_imported(web):
    """`dateline import http://…/feed-atom.xml` imports the feed the server gives."""
    base, _ = web
    out, err, error = run_import(f"{base}/feed-atom.xml")
    assert (out, err, error) == ("Imported 2, updated 0, refused 0.\n", "", None)
    assert story(VIENNA).published_at == datetime(2021, 11, 24, 3, 50, tzinfo=UTC)


@pytest.mark.django_db
def test_a_feed_imported_from_a_file_and_then_from_its_url_is_one_set_of_stories(web):
    """A feed is known by its own id, not by where it was read from."""
    base, _ = web
    run_import(ATOM)
    out, *_ = run_import(f"{base}/feed-atom.xml")
    assert out == "Imported 0, updated 2, refused 0.\n"


@pytest.mark.django_db
def test_a_wordpress_export_can_be_imported_from_a_url(web):
    """A URL that gives a WordPress export imports like the file."""
    base, _ = web
    out, _, error = run_import(f"{base}/wordpress-export.xml")
    assert (out, error) == ("Imported 6, updated 0, refused 0, skipped 4.\n", None)


@pytest.mark.django_db
def test_a_missing_page_is_refused_with_its_http_status(web):
    """A 404 is a refusal naming the URL and the status; the run fails and nothing is written."""
    base, _ = web
    out, err, error = run_import(f"{base}/no-such-feed.xml")
    assert err == f"{base}/no-such-feed.xml: cannot be fetched (HTTP 404 File not found)\n"
    assert (out, error.returncode, Story.objects.count()) == ("Imported 0, updated 0, refused 1.\n", 1, 0)


@pytest.mark.django_db
def test_an_unreachable_server_is_refused_with_the_reason(web):
    """A closed port is a refusal saying the connection was refused, not a traceback."""
    base, _ = web
    closed = "http://127.0.0.1:9/feed.xml"
    _, err, error = run_import(closed)
    assert err.startswith(f"{closed}: cannot be fetched (") and "refused" in err.lower()
    assert error.returncode == 1


@pytest.mark.django_db
def test_a_redirect_to_a_local_file_is_refused(web):
    """A server cannot make the importer read file:///etc/passwd by redirecting to it."""
    base, _ = web
    _, err, error = run_import(f"{base}/to-file")
    assert err.startswith(f"{base}/to-file: cannot be fetched (HTTP 302")
    assert (error.returncode, Story.objects.count()) == (1, 0)


@pytest.mark.django_db
def test_a_response_over_the_size_limit_is_refused(web, monkeypatch):
    """A body larger than the cap is refused without being imported."""
    base, root = web
    monkeypatch.setattr(feeds, "MAX_FETCH_BYTES", 1024 * 1024)
    write(root / "big.xml", ATOM.read_text().replace("<entry>", "<!--" + "x" * 1024 * 1024 + "--><entry>", 1))
    _, err, _ = run_import(f"{base}/big.xml")
    assert err == f"{base}/big.xml: is larger than 1 MB\n"


@pytest.mark.django_db
def test_a_url_giving_an_html_page_is_refused(web):
    """A web page where a feed was expected is refused as such."""
    base, root = web
    write(root / "index.html", "<!DOCTYPE html><html><head><title>Home</title></head><body></body></html>")
    _, err, _ = run_import(f"{base}/index.html")
    assert err == f"{base}/index.html: is an HTML page, not a feed or a WordPress export\n"


@pytest.mark.django_db
def test_a_url_giving_plain_text_is_refused(web):
    """Only feeds and WordPress exports are imported from URLs."""
    base, root = web
    write(root / "story.txt", SEED.read_bytes())
    _, err, _ = run_import(f"{base}/story.txt")
    assert err == f"{base}/story.txt: is plain text; a URL can give an RSS or Atom feed or a WordPress export\n"


# Hostile and broken feeds


@pytest.mark.django_db
def test_a_feed_declaring_an_external_entity_is_refused(tmp_path):
    """An XXE attempt is refused whole with a clear reason; /etc/passwd is never read into a story."""
    feed = write(
        tmp_path / "xxe.xml",
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<rss version="2.0"><channel><item><title>&x;</title><guid>1</guid>'
        "<pubDate>Wed, 24 Nov 2021 03:50:00 GMT</pubDate></item></channel></rss>",
    )
    out, err, error = run_import(feed)
    assert err == f"{feed}: declares its own DTD entities or rules (<!DOCTYPE … [ … ]>); refused for safety\n"
    assert (out, Story.objects.count()) == ("Imported 0, updated 0, refused 1.\n", 0)


@pytest.mark.django_db
def test_xml_that_is_not_a_feed_is_refused(tmp_path):
    """An XML file of another kind is refused, naming its root element."""
    note = write(tmp_path / "note.xml", "<?xml version='1.0'?><note><to>Desk</to></note>")
    _, err, _ = run_import(note)
    assert (
        err == f"{note}: is XML but neither an RSS or Atom feed nor a WordPress export (its root element is <note>)\n"
    )


@pytest.mark.django_db
def test_a_feed_with_no_entries_imports_nothing_and_succeeds(tmp_path):
    """An empty feed is not an error."""
    out, err, error = run_import(write(tmp_path / "empty.xml", atom_feed([])))
    assert (out, err, error) == ("Imported 0, updated 0, refused 0.\n", "", None)


@pytest.mark.django_db
def test_a_large_feed_reports_its_progress_on_standard_error(tmp_path):
    """Past 200 entries, progress lines go to stderr (one per tenth), ending at 100%."""
    entries = [(f"urn:{n}", f"Story {n}", "2021-11-24T03:50:00Z") for n in range(201)]
    feed = write(tmp_path / "big.xml", atom_feed(entries))
    out, err, _ = run_import(feed)
    assert out == "Imported 201, updated 0, refused 0.\n"
    lines = err.splitlines()
    assert len(lines) == 10 and lines[-1] == f"{feed}: 201/201 items (100%)"


@pytest.mark.django_db
def test_a_small_feed_reports_no_progress():
    """A feed of a few entries prints only the refusals and the summary."""
    _, err, _ = run_import(ATOM)
    assert err == ""


XML_BITS = [
    b'<?xml version="1.0"?>',
    b'<rss version="2.0">',
    b"<channel>",
    b"<item>",
    b"<title>T</title>",
    b"<guid>g</guid>",
    b"<pubDate>Wed, 24 Nov 2021 03:50:00 GMT</pubDate>",
    b"</item>",
    b'<feed xmlns="http://www.w3.org/2005/Atom">',
    b"<entry><id>e</id><title>A</title><updated>2021-11-24T03:50:00Z</updated></entry>",
    b"<!DOCTYPE rss [<!ENTITY a 'aaaa'>]>",
    b"&a;",
    b"<![CDATA[",
    b"\x00",
    b"\xff\xfe",
]
feed_like_bytes = st.one_of(st.binary(max_size=400), st.lists(st.sampled_from(XML_BITS)).map(b"".join))


@pytest.mark.django_db
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=feed_like_bytes)
def test_any_bytes_as_a_feed_give_stories_or_a_refusal(data):
    """Whatever bytes a feed holds, importing it imports entries or records refusals; it never raises."""
    report = Report()
    try:
        feeds.import_feed("any.xml", report, data=data)
        assert all(line.startswith("any.xml") for line in report.refused)
    finally:
        Story.objects.all().delete()


@settings(max_examples=300, deadline=None)
@given(data=feed_like_bytes)
def test_any_bytes_sniff_to_a_format_or_a_refusal(data):
    """Detection returns a format or raises Refused with a message, nothing else."""
    try:
        assert sniff(data) in Format
    except Refused as refusal:
        assert refusal.message


# Telling formats apart

WP_ROOT = '<rss version="2.0" xmlns:wp="http://wordpress.org/export/{}/"><channel/></rss>'


@pytest.mark.parametrize(
    "head, suffix, expected",
    [
        pytest.param(SEED.read_bytes(), ".txt", Format.PLAIN_TEXT, id="plain-text"),
        pytest.param(RSS.read_bytes(), ".xml", Format.FEED, id="rss"),
        pytest.param(ATOM.read_bytes(), ".xml", Format.FEED, id="atom"),
        pytest.param(b'<rdf:RDF xmlns:rdf="x" xmlns="http://purl.org/rss/1.0/"/>', "", Format.FEED, id="rss-1.0"),
        pytest.param(b"\xef\xbb\xbf\n  <!-- c --><rss version='2.0'/>", "", Format.FEED, id="bom-and-comment"),
        pytest.param(WXR.read_bytes(), ".xml", Format.WORDPRESS, id="wxr-1.2"),
        pytest.param(WP_ROOT.format("1.1").encode(), "", Format.WORDPRESS, id="wxr-1.1"),
        pytest.param(WP_ROOT.format("1.0").encode(), "", Format.WORDPRESS, id="wxr-1.0"),
        pytest.param(b'{"uri": "urn:x", "headlines": [{"value": "H"}]}', ".json", Format.NINJS, id="ninjs"),
        pytest.param(b'{\n  "uri": "urn:x",\n  "headlines": []\n}\n', "", Format.NINJS, id="ninjs-pretty"),
        pytest.param(b'{"uri": "urn:1"}\n{"uri": "urn:2"}\n', ".jsonl", Format.NINJS, id="ninjs-lines"),
        pytest.param(b'[{"uri": "urn:1"}]', "", Format.NINJS, id="ninjs-array"),
        pytest.param(
            b'{"kind": "section", "slug": "world"}\n{"kind": "story"}\n', ".jsonl", Format.EXPORT, id="export"
        ),
        pytest.param(b"{}\n", ".jsonl", Format.EXPORT, id="unknown-jsonl"),
        pytest.param("News ID: 1".encode("utf-16"), ".txt", Format.PLAIN_TEXT, id="utf-16-text"),
    ],
)
def test_each_format_is_recognised_by_its_content(head, suffix, expected):
    """The first bytes (and the extension, where they leave a doubt) name the importer."""
    assert sniff(head, suffix) == expected


def fake_importer(path, report):
    """Stands in for an importer built elsewhere: counts the file as imported."""
    report.imported += 1


@pytest.mark.django_db
def test_ninjs_and_export_files_go_to_their_importers(tmp_path, monkeypatch):
    """A ninjs file and an export file are handed to the importers registered for them."""
    monkeypatch.setitem(COMMAND.OPTIONAL_IMPORTERS, Format.NINJS, (__name__, "fake_importer"))
    monkeypatch.setitem(COMMAND.OPTIONAL_IMPORTERS, Format.EXPORT, (__name__, "fake_importer"))
    write(tmp_path / "a.json", '{"uri": "urn:x"}')
    write(tmp_path / "b.jsonl", '{"kind": "story"}\n')
    out, err, error = run_import(tmp_path)
    assert (out, err, error) == ("Imported 2, updated 0, refused 0.\n", "", None)


@pytest.mark.django_db
def test_a_format_whose_importer_is_not_installed_is_refused(tmp_path, monkeypatch):
    """Without the importer for a format, its files are refused with that reason."""
    monkeypatch.setitem(COMMAND.OPTIONAL_IMPORTERS, Format.NINJS, ("tests.no_such_module", "import_ninjs"))
    path = write(tmp_path / "a.json", '{"uri": "urn:x"}')
    _, err, error = run_import(path)
    assert err == f"{path}: is ninjs, which this installation cannot import yet\n"
    assert error.returncode == 1
