"""Stories as IPTC ninjs 2.2 documents (https://iptc.org/standards/ninjs/) and back: the one mapping, both ways.

`story_ninjs` writes a story's document, for the API and `dateline export`. `uri` is the story's absolute short URL
(`…/news/318214`): built on the News ID, it stays the same when the headline and slug change, and it is the GUID our
feeds give. See docs/api.md for the mapping of every field.

`from_ninjs` reads a document (and, from our export, its `dateline` extension) into the fields of a story
(`StoryData`), or raises `Invalid` saying what is wrong; dateline.transfer saves them.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .html import paragraphs_to_html
from .models import Story

NEWS_ID_ROLE = "newsid"  # the role of the News ID in `altids`
LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
MAX_HEADLINE = 300
PUBSTATUS = {"usable": Story.Status.PUBLISHED, "withheld": Story.Status.DRAFT, "canceled": Story.Status.UNPUBLISHED}
SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}


class Invalid(ValueError):
    """A document that cannot be read as a story; says what is wrong."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# story → ninjs


def story_ninjs(story, absolute):
    """The ninjs document of `story`; `absolute(path)` makes a site path an absolute URL."""
    doc = {
        "uri": absolute(reverse("articles:short", kwargs={"news_id": story.news_id})),
        "standard": {"name": "ninjs", "version": "2.2", "schema": SCHEMA},
        "type": "text",
        "representationtype": "full",
        "profile": "dateline-story",
        "version": str(story.version),
        "firstcreated": iso(story.published_at or story.created_at),
        "versioncreated": iso(story.updated_at),
        "contentcreated": iso(story.created_at),
        "pubstatus": pubstatus(story),
        "language": story.language,
        "slugline": story.slug,
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": story.headline}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": story.body}],
        "genres": [{"name": str(story.get_story_type_display()), "literal": story.story_type}],
        "renditions": [{"name": "web", "href": absolute(story.get_absolute_url()), "contenttype": "text/html"}],
        "altids": [{"role": NEWS_ID_ROLE, "value": str(story.news_id)}],
    }
    return doc | optional_fields(story, absolute)


def optional_fields(story, absolute):
    """The fields ninjs wants left out rather than empty."""
    fields = {}
    if items := subjects(story, absolute):
        fields["subjects"] = items
    if people := [person(author, absolute) for author in story.authors.all()]:
        fields["people"] = people
    if story.is_scheduled:
        fields["embargoed"] = iso(story.published_at)
    if story.summary:
        fields["descriptions"] = [{"role": "summary", "contenttype": "text/plain", "value": story.summary}]
    if by := byline(story):
        fields["by"] = by
    if story.location:
        fields["located"] = story.location
    if story.lead_image:
        fields["associations"] = [lead_image(story, absolute)]
    return fields


def iso(moment):
    """RFC 3339 in UTC with a Z, keeping microseconds when there are any (an export must not lose them)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def pubstatus(story):
    """usable: the public sees it; withheld: not yet (draft, in review, scheduled); canceled: taken down."""
    if story.status == Story.Status.UNPUBLISHED:
        return "canceled"
    if story.is_live:
        return "usable"
    return "withheld"


def byline(story):
    """The byline as the page reads it: Amira Haddad and Lina Aziz, with reporting by Reuters."""
    names = [author.name for author in story.authors.all()]
    by = " and ".join(filter(None, [", ".join(names[:-1]), names[-1] if names else ""]))
    if story.reporting_credit:
        by = f"{by}, with reporting by {story.reporting_credit}" if by else story.reporting_credit
    return by


def subjects(story, absolute):
    """The section (rel "section") and the tags (rel "tag"), each with its page and slug."""
    items = [(story.section, "section")] if story.section else []
    items += [(tag, "tag") for tag in story.tags.all()]
    return [
        {"name": item.name, "rel": rel, "uri": absolute(item.get_absolute_url()), "literal": item.slug}
        for item, rel in items
    ]


def person(author, absolute):
    return {"name": author.name, "rel": "author", "uri": absolute(author.get_absolute_url()), "literal": author.slug}


def lead_image(story, absolute):
    """The lead image as an associated picture, with every stored size as a rendition."""
    image = story.lead_image
    picture = {
        "name": "featureimage",
        "uri": absolute(image.file.url),
        "type": "picture",
        "renditions": [
            {"name": f"w{size.width}", "href": absolute(size.url), "width": size.width, "height": size.height}
            | content_type(size.url)
            for size in image.candidates
        ],
    }
    if caption := story.lead_image_caption or image.caption:
        picture["descriptions"] = [{"role": "caption", "contenttype": "text/plain", "value": caption}]
    if image.alt_text:
        picture.setdefault("descriptions", []).append(
            {"role": "alt", "contenttype": "text/plain", "value": image.alt_text}
        )
    if credit := story.lead_image_credit or image.credit:
        picture["by"] = credit
    return picture


def content_type(url):
    kind = IMAGE_TYPES.get(url.rsplit(".", 1)[-1].lower())
    return {"contenttype": kind} if kind else {}


# ninjs → story


@dataclass
class StoryData:
    """A story as a file describes it; `None` means "not said" (an update keeps what is there)."""

    headline: str
    body: str
    news_id: int | None = None
    uri: str = ""
    summary: str = ""
    language: str = ""
    slug: str = ""
    section: dict | None = None  # {"slug", "name"}
    tags: list = field(default_factory=list)  # names
    authors: list = field(default_factory=list)  # {"slug", "name"}
    story_type: str = Story.Type.NEWS
    location: str = ""
    reporting_credit: str = ""
    status: str = Story.Status.PUBLISHED
    published_at: datetime | None = None
    revised_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int | None = None
    lead_image: dict | None = None
    lead_image_caption: str = ""
    lead_image_credit: str = ""
    corrections: list | None = None
    live_entries: list | None = None
    is_demo: bool = False
    is_export: bool = False  # from `dateline export`: restores everything, News ID and status included


def from_ninjs(doc, extension):
    """The story a ninjs document describes; `extension` (from our export, else None) wins where it speaks."""
    if doc.get("type", "text") != "text":
        raise Invalid(f"a ninjs item of type {doc.get('type')!r} is not a text story")
    uri = doc.get("uri")
    if not isinstance(uri, str) or not uri.strip():
        raise Invalid("ninjs needs a 'uri'")
    data = StoryData(headline=headline_of(doc), body=body_of(doc), uri=uri.strip())
    data.summary = role_value(doc.get("descriptions"), "summary") or ""
    data.language = language_of(doc.get("language"))
    data.slug = text_of(doc.get("slugline"))
    data.location = text_of(doc.get("located"))
    data.created_at = time_of(doc.get("contentcreated") or doc.get("firstcreated"), "contentcreated")
    data.updated_at = time_of(doc.get("versioncreated"), "versioncreated")
    if extension is None:
        foreign_details(data, doc)
    else:
        data.news_id, data.is_export = news_id_of(doc, extension), True
        data.version = version_of(doc.get("version"))
        extension_details(data, extension)
    return data


def headline_of(doc):
    headline = (role_value(doc.get("headlines"), "main") or text_of(doc.get("title"))).strip()
    if not headline:
        raise Invalid("no headline (ninjs 'headlines' or 'title')")
    if len(headline) > MAX_HEADLINE:
        raise Invalid(f"headline is {len(headline)} characters long; the limit is {MAX_HEADLINE}")
    return headline


def body_of(doc):
    """The main body as HTML; a plain-text body becomes paragraphs."""
    bodies = doc.get("bodies") if isinstance(doc.get("bodies"), list) else []
    bodies = [body for body in bodies if isinstance(body, dict) and isinstance(body.get("value"), str)]
    if not bodies:
        raise Invalid("no body (ninjs 'bodies')")
    body = next((b for b in bodies if b.get("role") == "main"), bodies[0])
    if "html" in str(body.get("contenttype", "text/html")):
        return body["value"]
    return paragraphs_to_html([line.strip() for line in body["value"].splitlines() if line.strip()])


def role_value(items, role):
    """The value of the item with this role in a ninjs list (headlines, descriptions), else the first one's."""
    items = (
        [i for i in items if isinstance(i, dict) and isinstance(i.get("value"), str)] if isinstance(items, list) else []
    )
    chosen = next((i for i in items if i.get("role") == role), items[0] if items else None)
    return chosen["value"] if chosen else None


def text_of(value):
    return value.strip() if isinstance(value, str) else ""


def language_of(value):
    if value in (None, ""):
        return settings.LANGUAGE_CODE
    if not isinstance(value, str) or len(value) > 35 or not LANGUAGE_TAG.fullmatch(value):
        raise Invalid(f"language must be a BCP 47 code such as 'en' or 'fa-IR', not {value!r}")
    return value


def time_of(value, name):
    """An aware datetime from ISO 8601 (a time without an offset is UTC); None when absent."""
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise Invalid(f"{name} is not an ISO 8601 time: {value!r}") from None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def news_id_of(doc, extension):
    """The News ID of an exported story: in our extension, else in `altids` (role "newsid")."""
    altids = doc.get("altids") if isinstance(doc.get("altids"), list) else []
    value = next((a.get("value") for a in altids if isinstance(a, dict) and a.get("role") == NEWS_ID_ROLE), None)
    value = str(extension.get("news_id", value))
    if not value.isascii() or not value.isdigit() or not 0 < int(value) < 2**63:
        raise Invalid(f"an exported story needs its News ID ('news_id', or 'altids' role {NEWS_ID_ROLE!r})")
    return int(value)


def version_of(value):
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return None


def foreign_details(data, doc):
    """What another agency's document says: status from pubstatus, subjects as tags, people as bylines."""
    data.news_id = own_news_id(data.uri)
    first = time_of(doc.get("firstcreated"), "firstcreated") or data.updated_at or data.created_at
    embargo = time_of(doc.get("embargoed"), "embargoed")
    data.status = PUBSTATUS.get(doc.get("pubstatus", "usable"), Story.Status.DRAFT)
    if data.status == Story.Status.PUBLISHED:
        data.published_at = max(filter(None, [first, embargo]), default=None) or timezone.now()
    subjects = named(doc.get("subjects"))
    data.tags = [s["name"].strip()[:100] for s in subjects if s.get("rel") != "section"]
    data.authors = [person_byline(p) for p in named(doc.get("people")) if p.get("rel") in (None, "author")]
    if not data.authors and text_of(doc.get("by")):
        data.authors = [{"name": re.sub(r"^by\s+", "", text_of(doc["by"]), flags=re.IGNORECASE)[:120]}]


def own_news_id(uri):
    """The News ID in one of our own short URLs (SITE_URL/news/N), else None."""
    match = re.fullmatch(re.escape(settings.SITE_URL) + r"/news/(\d{1,18})", uri) if settings.SITE_URL else None
    return int(match[1]) if match else None


def named(items):
    items = items if isinstance(items, list) else []
    return [i for i in items if isinstance(i, dict) and isinstance(i.get("name"), str) and i["name"].strip()]


def person_byline(person):
    literal = person.get("literal")
    return {"name": person["name"].strip()[:120], **({"slug": literal} if isinstance(literal, str) else {})}


def extension_details(data, extension):
    """Our export's `dateline` object: everything ninjs has no lossless place for."""
    for name in ("story_type", "status", "reporting_credit", "location", "lead_image_caption", "lead_image_credit"):
        if isinstance(extension.get(name), str):
            setattr(data, name, extension[name])
    for name in ("published_at", "revised_at"):
        setattr(data, name, time_of(extension.get(name), name))
    if data.status not in Story.Status.values or data.story_type not in Story.Type.values:
        raise Invalid(f"unknown status {data.status!r} or story type {data.story_type!r}")
    section = extension.get("section")
    data.section = {"slug": section} if isinstance(section, str) else None
    data.tags = strings(extension.get("tags"), "tags")
    data.authors = [{"slug": slug} for slug in strings(extension.get("authors"), "authors")]
    data.lead_image = extension.get("lead_image") if isinstance(extension.get("lead_image"), dict) else None
    data.corrections = listed(extension.get("corrections"), "corrections")
    data.live_entries = listed(extension.get("live_entries"), "live_entries")
    data.is_demo = extension.get("is_demo") is True


def strings(value, name):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid(f"'{name}' must be a list of strings")
    return value


def listed(value, name):
    """A list of objects, or None when the file does not say (an update then keeps what is there)."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise Invalid(f"'{name}' must be a list of objects")
    return value
