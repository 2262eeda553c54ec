"""IPTC ninjs 2.2: stories out (GET /api/v1/stories/{news_id}/ninjs) and in (`import_ninjs`).

The referee is IPTC's own JSON schema, tests/fixtures/ninjs-schema_2.2.json: an unchanged copy of
https://www.iptc.org/std/ninjs/ninjs-schema_2.2.json, © 2023 IPTC (www.iptc.org), published under the Creative
Commons Attribution 4.0 licence (http://creativecommons.org/licenses/by/4.0/), as its `description` states.
"""

import json
from datetime import datetime, timedelta
from io import BytesIO, StringIO
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from dateline.api.models import ApiToken
from dateline.articles.models import Story, Tag
from dateline.articles.ninjs import story_ninjs
from dateline.demo.stories import SEED, SEED_NEWS_ID
from dateline.images.models import Image
from dateline.transfer.formats.ninjs import import_ninjs
from dateline.transfer.formats.plaintext import import_file
from dateline.transfer.report import Report

from .factories import make_author, make_section, make_story

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "ninjs-schema_2.2.json").read_text())
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri")
def is_absolute_uri(value):
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.scheme in ("tag", "urn")))


@FORMATS.checks("date-time", raises=ValueError)
def is_rfc3339(value):
    return datetime.fromisoformat(value).tzinfo is not None and "T" in value


def ninjs_errors(doc):
    """What IPTC's schema (in the draft it declares) finds wrong with `doc`, formats included."""
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA, format_checker=FORMATS)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(doc)]


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.SITE_URL = "https://news.example"
    settings.MEDIA_ROOT = tmp_path / "media"


def picture(width=800, height=400):
    buffer = BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def full_story(**fields):
    """A story with a section, tags, two bylines, a dateline place and a lead image."""
    story = make_story(
        "Port of Basra reopens",
        section=make_section("Middle East"),
        location="BASRA",
        reporting_credit="Reuters",
        lead_image=Image.objects.create(file=picture(), alt_text="Cranes at the port", credit="Ali Jasim"),
        lead_image_caption="Cranes at Umm Qasr",
        **fields,
    )
    story.tags.set([Tag.objects.create(name="Iraq", slug="iraq"), Tag.objects.create(name="Shipping", slug="shipping")])
    story.authors.set([make_author("Amira Haddad"), make_author("Lina Aziz")])
    return story


def ninjs(client, news_id, **headers):
    return client.get(f"/api/v1/stories/{news_id}/ninjs", headers=headers)


def bearer(user):
    return {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}


# Out


def test_seed_story_is_valid_ninjs(client):
    """The reference story's ninjs passes IPTC's ninjs 2.2 schema."""
    import_file(SEED, Report())
    response = ninjs(client, SEED_NEWS_ID)
    assert response.status_code == 200
    assert ninjs_errors(response.json()) == []


def test_story_with_image_authors_and_tags_is_valid_ninjs(client):
    """A story using every mapped field (image, bylines, tags, section, place) passes the schema."""
    story = full_story()
    assert ninjs_errors(ninjs(client, story.news_id).json()) == []


def test_endpoint_answers_json(client):
    """The ninjs document is served as application/json, cacheable for readers like the story."""
    response = ninjs(client, make_story().news_id)
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "public, max-age=60"


def test_uri_is_the_short_url_and_survives_a_new_headline(client):
    """`uri` is the absolute short URL on the News ID, so a changed headline keeps it."""
    story = make_story("First headline")
    before = ninjs(client, story.news_id).json()["uri"]
    story.headline, story.slug = "Second headline", ""
    story.save()
    assert before == ninjs(client, story.news_id).json()["uri"] == f"https://news.example/news/{story.news_id}"


def test_story_fields_map_to_ninjs(client):
    """Headline, summary, body, language, place, version, News ID and canonical URL land in their ninjs fields."""
    story = full_story()
    doc = ninjs(client, story.news_id).json()
    assert doc["type"] == "text" and doc["version"] == str(story.version) and doc["language"] == "en"
    assert doc["headlines"] == [{"role": "main", "contenttype": "text/plain", "value": "Port of Basra reopens"}]
    assert doc["descriptions"][0]["value"] == story.summary
    assert doc["bodies"] == [{"role": "main", "contenttype": "text/html", "value": story.body}]
    assert doc["located"] == "BASRA"
    assert doc["altids"] == [{"role": "newsid", "value": str(story.news_id)}]
    assert doc["renditions"][0]["href"] == "https://news.example" + story.get_absolute_url()


def test_section_and_tags_are_subjects(client):
    """The section and each tag are subjects with their rel, page and slug."""
    doc = ninjs(client, full_story().news_id).json()
    assert [(s["rel"], s["name"], s["literal"]) for s in doc["subjects"]] == [
        ("section", "Middle East", "middle-east"),
        ("tag", "Iraq", "iraq"),
        ("tag", "Shipping", "shipping"),
    ]
    assert doc["subjects"][1]["uri"] == "https://news.example/tag/iraq"


def test_authors_are_people_and_the_byline(client):
    """Bylines are people with rel "author"; `by` reads as the page's byline with the reporting credit."""
    doc = ninjs(client, full_story().news_id).json()
    assert [(p["name"], p["rel"], p["literal"]) for p in doc["people"]] == [
        ("Amira Haddad", "author", "amira-haddad"),
        ("Lina Aziz", "author", "lina-aziz"),
    ]
    assert doc["by"] == "Amira Haddad and Lina Aziz, with reporting by Reuters"


def test_lead_image_is_an_associated_picture_with_absolute_renditions(client):
    """The lead image is a picture association; each size has an absolute href, width, height and type."""
    story = full_story()
    picture_doc = ninjs(client, story.news_id).json()["associations"][0]
    assert picture_doc["type"] == "picture" and picture_doc["by"] == "Ali Jasim"
    assert picture_doc["uri"] == "https://news.example" + story.lead_image.file.url
    widest = picture_doc["renditions"][-1]
    assert widest["href"].startswith("https://news.example/media/")
    assert (widest["width"], widest["height"], widest["contenttype"]) == (800, 400, "image/jpeg")
    assert {"role": "caption", "contenttype": "text/plain", "value": "Cranes at Umm Qasr"} in picture_doc[
        "descriptions"
    ]


def test_published_story_is_usable():
    """A story the public sees has pubstatus "usable" and no embargo."""
    doc = story_ninjs(make_story(), str)
    assert doc["pubstatus"] == "usable" and "embargoed" not in doc


def test_scheduled_story_is_withheld_until_its_time():
    """A scheduled story is "withheld", embargoed until its publication time."""
    story = make_story(ago=-timedelta(hours=2))
    doc = story_ninjs(story, str)
    assert doc["pubstatus"] == "withheld"
    assert datetime.fromisoformat(doc["embargoed"]) == story.published_at


def test_unpublished_story_is_canceled():
    """A story taken off the site is "canceled"."""
    assert story_ninjs(make_story(status=Story.Status.UNPUBLISHED), str)["pubstatus"] == "canceled"


def test_draft_is_not_found_without_a_token(client):
    """A draft's ninjs is 404 for readers, as the story itself is."""
    response = ninjs(client, make_story(published=False).news_id)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_draft_is_served_to_an_editor_with_a_token(client):
    """With an editor's token the draft's ninjs is there, withheld and valid."""
    editor = User.objects.create_user("editor", password="unused-password-1")
    editor.groups.add(Group.objects.get(name="Editor"))
    response = ninjs(client, make_story(published=False).news_id, **bearer(editor))
    assert response.status_code == 200
    assert response.json()["pubstatus"] == "withheld" and ninjs_errors(response.json()) == []


def test_scheduled_story_is_not_found_without_a_token(client):
    """A scheduled story's ninjs is 404 for readers until its time comes."""
    assert ninjs(client, make_story(ago=-timedelta(hours=1)).news_id).status_code == 404


# In


AGENCY_DOC = {
    "uri": "urn:newsml:agency.example:20240301:wire-4711",
    "type": "text",
    "version": "3",
    "firstcreated": "2024-03-01T08:15:00Z",
    "versioncreated": "2024-03-01T09:00:00Z",
    "pubstatus": "usable",
    "language": "fr",
    "headlines": [{"value": "Le port de Bassora rouvre"}],
    "descriptions": [{"role": "summary", "value": "Les navires circulent de nouveau."}],
    "bodies": [{"contenttype": "text/plain", "value": "Les navires circulent.\n\nLes grues aussi."}],
    "subjects": [{"name": "Irak"}, {"name": "Transport maritime", "rel": "about"}],
    "by": "By Agence Exemple",
    "located": "BASSORA",
}


def write(tmp_path, *docs, name="wire.json"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(doc) for doc in docs) if len(docs) > 1 else json.dumps(docs[0]))
    return path


def test_agency_doc_is_valid_ninjs():
    """The foreign test document is itself valid ninjs 2.2 (so the importer is tested on real input)."""
    assert ninjs_errors(AGENCY_DOC) == []


def test_foreign_ninjs_imports_as_a_published_story(tmp_path):
    """Another agency's minimal ninjs becomes a published story with its texts, time, place, tags and byline."""
    report = Report()
    import_ninjs(write(tmp_path, AGENCY_DOC), report)
    story = Story.objects.get(headline="Le port de Bassora rouvre")
    assert (report.imported, report.refused) == (1, [])
    assert story.status == Story.Status.PUBLISHED and story.published_at.isoformat() == "2024-03-01T08:15:00+00:00"
    assert story.body == "<p>Les navires circulent.</p>\n<p>Les grues aussi.</p>"
    assert (story.summary, story.language, story.location) == ("Les navires circulent de nouveau.", "fr", "BASSORA")
    assert [tag.name for tag in story.tags.all()] == ["Irak", "Transport maritime"]
    assert [author.name for author in story.authors.all()] == ["Agence Exemple"]


def test_importing_foreign_ninjs_again_updates_the_same_story(tmp_path):
    """The same `uri` imported twice is one story, counted as updated the second time."""
    path = write(tmp_path, AGENCY_DOC)
    import_ninjs(path, Report())
    report = Report()
    import_ninjs(path, report)
    assert (report.imported, report.updated, Story.objects.count()) == (0, 1, 1)


def test_withheld_foreign_ninjs_comes_in_as_a_draft(tmp_path):
    """pubstatus "withheld" imports as a draft, never on the site."""
    import_ninjs(write(tmp_path, {**AGENCY_DOC, "pubstatus": "withheld"}), Report())
    assert Story.objects.get().status == Story.Status.DRAFT


def test_our_own_ninjs_keeps_its_news_id(client, tmp_path):
    """A document whose uri is one of our short URLs updates that story rather than adding one."""
    story = full_story()
    doc = ninjs(client, story.news_id).json()
    doc["headlines"][0]["value"] = "Basra port reopens"
    report = Report()
    import_ninjs(write(tmp_path, doc), report)
    story.refresh_from_db()
    assert (report.updated, story.headline, Story.objects.count()) == (1, "Basra port reopens", 1)
    assert sorted(author.slug for author in story.authors.all()) == ["amira-haddad", "lina-aziz"]


def test_bad_lines_are_refused_with_their_numbers_and_the_rest_imports(tmp_path):
    """In JSON lines, a broken line and a picture item are refused by line number; the good lines import."""
    picture_item = {**AGENCY_DOC, "uri": "urn:x:2", "type": "picture"}
    path = tmp_path / "wire.jsonl"
    lines = [
        json.dumps(AGENCY_DOC),
        "{not json",
        json.dumps(picture_item),
        json.dumps({**AGENCY_DOC, "uri": "urn:x:3"}),
    ]
    path.write_text("\n".join(lines))
    report = Report()
    import_ninjs(path, report)
    assert report.imported == 2
    assert [refusal.split(": ")[0] for refusal in report.refused] == [f"{path}:2", f"{path}:3"]
    assert "type 'picture'" in report.refused[1]


def test_a_document_without_headline_or_body_is_refused(tmp_path):
    """ninjs with only a uri says too little to be a story: refused with the reason."""
    report = Report()
    import_ninjs(write(tmp_path, {"uri": "urn:x:empty"}), report)
    assert report.refused == [f"{tmp_path / 'wire.json'}:1: no headline (ninjs 'headlines' or 'title')"]


def test_a_json_array_of_documents_imports_each(tmp_path):
    """A file holding a JSON array imports every document in it."""
    path = tmp_path / "wire.json"
    path.write_text(json.dumps([AGENCY_DOC, {**AGENCY_DOC, "uri": "urn:x:other"}], indent=2))
    report = Report()
    import_ninjs(path, report)
    assert (report.imported, Story.objects.count()) == (2, 2)


def test_dateline_import_reads_ninjs(tmp_path):
    """`dateline import` recognises a ninjs file and imports its story."""
    out = StringIO()
    call_command("import", str(write(tmp_path, AGENCY_DOC)), stdout=out, stderr=StringIO())
    assert out.getvalue() == "Imported 1, updated 0, refused 0.\n"
    assert Story.objects.get().headline == "Le port de Bassora rouvre"


ITEM_KEYS = ["value", "role", "name", "rel", "contenttype"]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["value", "role", "name"]), children)
    ),
    max_leaves=8,
)
NINJS_KEYS = [
    "uri",
    "type",
    "headlines",
    "bodies",
    "descriptions",
    "language",
    "firstcreated",
    "embargoed",
    "pubstatus",
    "subjects",
    "people",
    "by",
    "title",
    "located",
    "slugline",
    "versioncreated",
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.dictionaries(st.sampled_from(NINJS_KEYS), JSON_VALUES))
def test_no_document_crashes_the_import(tmp_path_factory, doc):
    """Whatever a ninjs document holds, it is imported or refused; the import never fails."""
    path = write(tmp_path_factory.mktemp("fuzz"), {**AGENCY_DOC, **doc})
    report = Report()
    import_ninjs(path, report)
    assert report.imported + report.updated + len(report.refused) == 1
