"""The plain-text importer: the seed round-trips, bad files are refused whole, a run reports what it did."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dateline.articles.datelines import format_dateline, parse_dateline
from dateline.articles.models import Story
from dateline.demo.stories import SEED
from dateline.transfer.formats import plaintext
from dateline.transfer.formats.plaintext import import_file
from dateline.transfer.report import Refused, Report

from .factories import make_story, paragraphs, run_import, write

SEED_HEADLINE = "Foreign combat forces to leave Iraq in 15 days: Military"
SEED_FIRST_PARAGRAPH = (
    "A senior Iraqi military official said Wednesday all foreign combat forces will leave Iraq within 15 days."
)
SEED_LAST_PARAGRAPH = (
    "The demand is in line with a law adopted by the parliament in January 2020 in the aftermath of the US "
    "military’s assassination of two key commanders of the fight against Daesh, namely Iranian Lieutenant "
    "General Qassem Soleimani and Iraq’s Abu Mahdi al-Muhandis, in Baghdad on January 3 of that year."
)
SEED_CHROME = ["Security Key", "Captcha refresh", "Page Generated"]
HEADER = "News ID: 318214\nPublished: 0350 GMT November 24, 2021\n"


def story_text(headline="Ceasefire holds in the north", news_id="318214", language=None):
    """A small well-formed story file, with the header fields given."""
    language_line = f"Language: {language}\n" if language else ""
    return (
        f"News ID: {news_id}\nPublished: 0350 GMT November 24, 2021\n{language_line}\n"
        f"{headline}\n\nThe first paragraph.\n\nThe second paragraph.\n"
    )


def stored_fields(story):
    return {
        name: getattr(story, name)
        for name in ("news_id", "headline", "slug", "summary", "body", "language", "status", "published_at")
    }


@pytest.fixture
def seed_story(db):
    """The seed file, imported once into an empty database."""
    report = Report()
    import_file(SEED, report)
    assert report == Report(imported=1)
    return Story.objects.get()


# The seed file


@pytest.mark.django_db
def test_seed_keeps_its_news_id_and_utc_publication_time(seed_story):
    """The seed becomes story 318214, published at 03:50 UTC on 24 November 2021 (an aware datetime)."""
    assert seed_story.news_id == 318214
    assert seed_story.published_at == datetime(2021, 11, 24, 3, 50, tzinfo=UTC)
    assert seed_story.published_at.utcoffset().total_seconds() == 0


@pytest.mark.django_db
def test_seed_headline_is_kept_once(seed_story):
    """The page's repeated headline becomes the headline once and is not repeated in the body."""
    assert seed_story.headline == SEED_HEADLINE
    assert SEED_HEADLINE not in seed_story.body


@pytest.mark.django_db
def test_seed_body_has_its_nine_paragraphs(seed_story):
    """The body is the seed's nine paragraphs, in order, each a <p>."""
    body = paragraphs(seed_story.body)
    assert len(body) == seed_story.body.count("<p>") == 9
    assert body[0] == SEED_FIRST_PARAGRAPH
    assert body[-1] == SEED_LAST_PARAGRAPH


@pytest.mark.django_db
def test_seed_drops_the_page_chrome(seed_story):
    """The captcha label, refresh link and generation time are not part of the story."""
    for chrome in SEED_CHROME:
        assert chrome not in seed_story.body
        assert chrome not in seed_story.headline
        assert chrome not in seed_story.summary


@pytest.mark.django_db
def test_seed_is_published_in_the_site_language(seed_story):
    """Without a Language line the story is published in the site's default language, English."""
    assert seed_story.status == Story.Status.PUBLISHED
    assert seed_story.language == "en"


@pytest.mark.parametrize(
    "convert",
    [
        pytest.param(lambda data: b"\xef\xbb\xbf" + data, id="bom"),
        pytest.param(lambda data: data.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), id="bom-and-crlf"),
    ],
)
@pytest.mark.django_db
def test_a_windows_file_imports_like_the_seed(seed_story, tmp_path, convert):
    """The seed saved on Windows (byte-order mark, CRLF line ends) gives a story with the same fields."""
    expected = stored_fields(seed_story)
    Story.objects.all().delete()
    report = Report()
    import_file(write(tmp_path / "windows.txt", convert(SEED.read_bytes())), report)
    assert report == Report(imported=1)
    assert stored_fields(Story.objects.get()) == expected


# Importing again


@pytest.mark.django_db
def test_reimporting_a_file_updates_the_story_instead_of_duplicating_it(tmp_path):
    """The second import of the same file updates the one story, and the summary says so."""
    path = write(tmp_path / "story.txt", story_text())
    run_import(path)
    out, err, error = run_import(path)
    assert (out, err, error) == ("Imported 0, updated 1, refused 0.\n", "", None)
    assert Story.objects.count() == 1


@pytest.mark.django_db
def test_reimporting_an_edited_headline_changes_the_stored_headline(tmp_path):
    """A corrected headline in the file replaces the stored one."""
    path = write(tmp_path / "story.txt", story_text(headline="Ceasefire holds in the nort"))
    run_import(path)
    write(path, story_text(headline="Ceasefire holds in the north"))
    run_import(path)
    assert Story.objects.get(news_id=318214).headline == "Ceasefire holds in the north"


@pytest.mark.django_db
def test_a_refused_reimport_leaves_the_stored_story_untouched(seed_story, tmp_path):
    """A bad edit of an imported file is refused, and the stored story keeps every field."""
    before = stored_fields(seed_story)
    edited = SEED.read_text(encoding="utf-8").replace("November 24", "February 30").replace("senior", "junior")
    *_, error = run_import(write(tmp_path / "seed.txt", edited))
    assert error.returncode == 1
    assert stored_fields(Story.objects.get()) == before


# Language


@pytest.mark.django_db
def test_reimporting_keeps_an_unpublished_story_unpublished(tmp_path):
    """An editor's decision to unpublish survives a re-import of the same file."""
    path = write(tmp_path / "story.txt", story_text())
    run_import(path)
    Story.objects.update(status=Story.Status.UNPUBLISHED)
    run_import(path)
    assert Story.objects.get().status == Story.Status.UNPUBLISHED


@pytest.mark.django_db
def test_a_language_line_sets_the_story_language(tmp_path):
    """`Language: fa` makes a Persian story."""
    run_import(write(tmp_path / "story.txt", story_text(language="fa")))
    assert Story.objects.get().language == "fa"


@pytest.mark.django_db
def test_an_invalid_language_is_refused(tmp_path):
    """`Language: English` is not a language code; the file is refused at line 3."""
    path = write(tmp_path / "story.txt", story_text(language="English"))
    _, err, error = run_import(path)
    assert err.startswith(f"{path}:3: language must be a BCP 47 code")
    assert error.returncode == 1
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_a_language_longer_than_the_field_is_refused(tmp_path):
    """A well-shaped tag too long for the language field is refused, not written or crashed on."""
    path = write(tmp_path / "story.txt", story_text(language="fa" + "-abcdefgh" * 4))
    _, err, error = run_import(path)
    assert err.startswith(f"{path}:3: ")
    assert not Story.objects.exists()


# Malformed files


NOT_UTF8 = (HEADER + "\nCafé owners reopen\n\nThe first paragraph.\n").encode("latin-1")
UTF16 = story_text().encode("utf-16")


@pytest.mark.parametrize(
    "content, line, problem",
    [
        pytest.param(
            "Published: 0350 GMT November 24, 2021\n\nHeadline\n\nBody.\n",
            1,
            "no 'News ID:' line at the top of the file",
            id="no-news-id",
        ),
        pytest.param(
            story_text(news_id="318-214"),
            1,
            "News ID must be a positive whole number, not '318-214'",
            id="non-numeric-news-id",
        ),
        pytest.param(
            HEADER.replace("0350 GMT November 24, 2021", "2599 GMT Novembre 40, 2021") + "\nHeadline\n\nBody.\n",
            2,
            "date does not parse: '2599 GMT Novembre 40, 2021' ('Novembre' is not a month name)",
            id="unparseable-date",
        ),
        pytest.param(
            HEADER.replace("November 24", "February 30") + "\nHeadline\n\nBody.\n",
            2,
            "date does not parse: '0350 GMT February 30, 2021' (day is out of range for month)",
            id="impossible-date",
        ),
        pytest.param(HEADER + "\nHeadline\n", 4, "no body paragraphs after the headline", id="no-body"),
        pytest.param(HEADER.rstrip("\n"), 2, "no headline after the header", id="no-headline"),
        pytest.param(NOT_UTF8, 4, "not UTF-8 (invalid byte 0xe9 at offset 58)", id="latin-1"),
        pytest.param(UTF16, 1, "not UTF-8 (invalid byte 0xff at offset 0)", id="utf-16"),
    ],
)
@pytest.mark.django_db
def test_a_malformed_file_is_refused_whole(tmp_path, content, line, problem):
    """The run fails, naming the file, the line and the problem, and writes nothing."""
    make_story("Already here")
    path = write(tmp_path / "story.txt", content)
    out, err, error = run_import(path)
    assert err == f"{path}:{line}: {problem}\n"
    assert out == "Imported 0, updated 0, refused 1.\n"
    assert error.returncode == 1
    assert list(Story.objects.values_list("headline", flat=True)) == ["Already here"]


@pytest.mark.django_db
def test_an_invalid_byte_after_a_byte_order_mark_is_located_exactly(tmp_path):
    """In a file with a BOM, the refusal names the invalid byte, its offset and its line."""
    path = write(tmp_path / "story.txt", b"\xef\xbb\xbf" + NOT_UTF8)
    _, err, _ = run_import(path)
    assert err == f"{path}:4: not UTF-8 (invalid byte 0xe9 at offset 61)\n"


@pytest.mark.django_db
def test_an_invalid_byte_in_a_file_with_cr_line_ends_is_located_on_its_line(tmp_path):
    """A classic-Mac file (CR line ends) has its bad byte located on the line an editor shows."""
    path = write(tmp_path / "story.txt", NOT_UTF8.replace(b"\n", b"\r"))
    _, err, _ = run_import(path)
    assert err.startswith(f"{path}:4: not UTF-8")


@pytest.mark.django_db
def test_a_header_only_file_is_refused_at_its_last_line(tmp_path):
    """A file of two header lines ending in a newline is refused at line 2, not at a line 3 it lacks."""
    path = write(tmp_path / "story.txt", HEADER)
    _, err, _ = run_import(path)
    assert err == f"{path}:2: no headline after the header\n"


# Runs over many paths


@pytest.mark.django_db
def test_a_directory_run_imports_the_good_files_and_refuses_the_bad_one(tmp_path):
    """Good files in nested directories import, the bad one is refused by path and line, and the run fails."""
    write(tmp_path / "batch" / "a.txt", story_text(news_id="1"))
    write(tmp_path / "batch" / "2021" / "11" / "b.txt", story_text(news_id="2"))
    bad = write(tmp_path / "batch" / "2021" / "c.txt", story_text(news_id="three"))
    out, err, error = run_import(tmp_path / "batch")
    assert out == "Imported 2, updated 0, refused 1.\n"
    assert err == f"{bad}:1: News ID must be a positive whole number, not 'three'\n"
    assert error.returncode == 1
    assert sorted(Story.objects.values_list("news_id", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_hidden_files_under_a_directory_are_skipped(tmp_path):
    """Dotfiles and files in dot-directories are not imported, nor refused."""
    write(tmp_path / "batch" / "story.txt", story_text(news_id="1"))
    write(tmp_path / "batch" / ".draft.txt", story_text(news_id="2"))
    write(tmp_path / "batch" / ".git" / "HEAD", b"ref: refs/heads/main\n")
    out, err, error = run_import(tmp_path / "batch")
    assert (out, err, error) == ("Imported 1, updated 0, refused 0.\n", "", None)
    assert list(Story.objects.values_list("news_id", flat=True)) == [1]


@pytest.mark.django_db
def test_a_missing_path_is_refused(tmp_path):
    """A path that does not exist is refused by name; the other paths still import."""
    missing = tmp_path / "no-such-story.txt"
    good = write(tmp_path / "story.txt", story_text())
    out, err, error = run_import(missing, good)
    assert err == f"{missing}: no such file or directory\n"
    assert out == "Imported 1, updated 0, refused 1.\n"
    assert error.returncode == 1


# Properties

HEADER_LINES = [
    "News ID: 318214",
    "News ID: 0",
    "News ID: ٣١٨",
    "News ID: 99999999999999999999",
    "Published: 0350 GMT November 24, 2021",
    "Published: 2599 GMT Novembre 40, 2021",
    "Published: 0350 GMT February 30, 2021",
    "Published: 0000 GMT January 1, 0000",
    "Language: fa",
    "Language: x",
    "Security Key:",
    "Captcha refresh",
    "Page Generated in 0/3907 sec",
    "",
]
story_like_text = st.one_of(
    st.text(),
    st.builds(
        lambda header, body: "\n".join([*header, *body]),
        st.lists(st.sampled_from(HEADER_LINES), max_size=4),
        st.lists(st.text(), max_size=6),
    ),
    st.builds(lambda body: HEADER + "\n".join(body), st.lists(st.text(), min_size=2, max_size=6)),
)
one_line = (
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=80)
    .map(str.strip)
    .filter(bool)
)
minutes = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59), timezones=st.just(UTC))


@settings(max_examples=300, deadline=None)
@given(text=story_like_text)
def test_parsing_any_text_gives_a_story_or_a_refusal(text):
    """Whatever text a file holds, parse() returns a ParsedStory or raises Refused, nothing else."""
    try:
        assert isinstance(plaintext.parse(text.encode()), plaintext.ParsedStory)
    except Refused as refusal:
        assert refusal.message and refusal.line >= 1


@settings(max_examples=300, deadline=None)
@given(data=st.binary())
def test_parsing_any_bytes_gives_a_story_or_a_refusal(data):
    """Whatever bytes a file holds, parse() returns a ParsedStory or raises Refused, nothing else."""
    try:
        assert isinstance(plaintext.parse(data), plaintext.ParsedStory)
    except Refused as refusal:
        assert refusal.message and refusal.line >= 1


@pytest.mark.django_db
@settings(max_examples=150, deadline=None)
@given(text=story_like_text)
def test_importing_any_text_leaves_a_whole_story_or_nothing(tmp_path_factory, text):
    """An import is refused with no story written, or writes one story with a headline and a body."""
    # The database is not rolled back between examples, so each example removes what it made.
    path = write(tmp_path_factory.mktemp("any") / "story.txt", text)
    report = Report()
    try:
        import_file(path, report)
        if report.refused:
            assert (report.imported, report.updated, len(report.refused)) == (0, 0, 1)
            assert not Story.objects.exists()
        else:
            assert report == Report(imported=1)
            story = Story.objects.get()
            assert story.headline and paragraphs(story.body) and story.published_at
    finally:
        Story.objects.all().delete()


@pytest.mark.django_db
@settings(max_examples=150, deadline=None)
@given(
    news_id=st.integers(min_value=1, max_value=2**63 - 1),
    published_at=minutes.map(lambda moment: moment.replace(second=0, microsecond=0)),
    language=st.sampled_from([None, "en", "fa", "fa-IR"]),
    headline=one_line,
    body=st.lists(one_line, min_size=1, max_size=5),
)
def test_a_well_formed_story_round_trips_exactly(tmp_path_factory, news_id, published_at, language, headline, body):
    """A file built from valid parts imports to a story with exactly those parts."""
    assume(not plaintext.HEADER.fullmatch(headline))  # it would be read as a header line
    assume(body[0] != headline)  # a repeated headline is dropped, as in the seed
    assume(not any(plaintext.CHROME.fullmatch(paragraph) for paragraph in body))
    language_line = f"Language: {language}\n" if language else ""
    text = f"News ID: {news_id}\nPublished: {format_dateline(published_at)}\n{language_line}\n{headline}\n\n"
    path = write(tmp_path_factory.mktemp("valid") / "story.txt", text + "\n\n".join(body) + "\n")
    try:
        report = Report()
        import_file(path, report)
        assert report == Report(imported=1)
        story = Story.objects.get()
        assert (story.news_id, story.published_at, story.language) == (news_id, published_at, language or "en")
        assert (story.headline, paragraphs(story.body)) == (headline, body)
    finally:
        Story.objects.all().delete()


# The dateline format


def test_format_dateline_writes_the_reference_format():
    """03:50 UTC on 24 November 2021 is written `0350 GMT November 24, 2021`."""
    assert format_dateline(datetime(2021, 11, 24, 3, 50, tzinfo=UTC)) == "0350 GMT November 24, 2021"


def test_format_dateline_converts_other_time_zones_to_gmt():
    """07:20 in Tehran (+03:30) is written as 03:50 GMT; 01:05 in New York on 1 March is 06:05 GMT."""
    assert format_dateline(datetime(2021, 11, 24, 7, 20, tzinfo=ZoneInfo("Asia/Tehran"))) == (
        "0350 GMT November 24, 2021"
    )
    assert format_dateline(datetime(2021, 3, 1, 1, 5, tzinfo=ZoneInfo("America/New_York"))) == (
        "0605 GMT March 1, 2021"
    )


def test_parse_dateline_reads_the_reference_format_as_utc():
    """`0350 GMT November 24, 2021` is the aware UTC datetime it names."""
    assert parse_dateline("0350 GMT November 24, 2021") == datetime(2021, 11, 24, 3, 50, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "0350 GMT Novembre 24, 2021",
        "2599 GMT November 24, 2021",
        "0360 GMT November 24, 2021",
        "0350 GMT February 30, 2021",
        "0350 GMT November 40, 2021",
        "0350 November 24, 2021",
        "3:50 GMT November 24, 2021",
        "0350 GMT November 24 2021",
        "0350 GMT January 1, 0000",
        "٠٣٥٠ GMT November 24, ٢٠٢١",
    ],
)
def test_parse_dateline_refuses_a_bad_dateline(text):
    """A string that names no moment in the dateline format raises ValueError."""
    with pytest.raises(ValueError):
        parse_dateline(text)
