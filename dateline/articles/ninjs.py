"""A story as an IPTC ninjs 2.2 document (https://iptc.org/standards/ninjs/), for other newsrooms and agencies.

`uri` is the story's absolute short URL (`…/news/318214`): built on the News ID, it stays the same when the headline
and slug change, and it is the GUID our feeds give. See docs/api.md for the mapping of every field.
"""

from datetime import UTC

from django.urls import reverse
from django.utils import timezone

from .models import Story

NEWS_ID_ROLE = "newsid"  # the role of the News ID in `altids`
SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}


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
    if story.status == Story.Status.PUBLISHED and story.published_at and story.published_at <= timezone.now():
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
