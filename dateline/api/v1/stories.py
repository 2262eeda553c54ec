"""/api/v1/stories: read what one may see, write through the same workflow (and rules) as the admin."""

from datetime import UTC
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from ninja import Query, Router, Status

from dateline.articles import workflow
from dateline.articles.links import absolute_url
from dateline.articles.models import Correction, Story
from dateline.articles.ninjs import story_ninjs
from dateline.articles.permissions import can_edit, can_publish, visible_stories

from ..auth import ANYONE, token_required
from .lookups import byline_of, bylines, section_by_slug, tags_by_name, visible_story
from .pagination import keyset_page
from .schemas import OBJECT_ERRORS as ERRORS
from .schemas import (
    ConflictOut,
    CorrectionIn,
    CorrectionOut,
    FollowUpList,
    NewsId,
    PageParams,
    PublishIn,
    RevisionPage,
    StoryFilters,
    StoryIn,
    StoryOut,
    StoryPage,
    StoryPatch,
)

router = Router(tags=["stories"])
# Fields a client sets by name, and the Story attribute each one fills.
PLAIN_FIELDS = {
    "headline": "headline",
    "summary": "summary",
    "body_html": "body",
    "language": "language",
    "story_type": "story_type",
    "location": "location",
    "reporting_credit": "reporting_credit",
}


def story_data(story, request):
    """A story as the API shows it."""
    return {
        "news_id": story.news_id,
        "url": absolute_url(story.get_absolute_url(), request),
        "headline": story.headline,
        "slug": story.slug,
        "summary": story.summary,
        "body_html": story.body,
        "language": story.language,
        "section": story.section.slug if story.section else None,
        "tags": [tag.name for tag in story.tags.all()],
        "authors": [{"name": author.name, "slug": author.slug} for author in story.authors.all()],
        "reporting_credit": story.reporting_credit,
        "story_type": story.story_type,
        "location": story.location,
        "status": story.status,
        "published_at": story.published_at,
        "updated_at": story.updated_at,
        "version": story.version,
        "corrections": [{"kind": c.kind, "text": c.text, "at": c.created_at} for c in story.corrections.all()],
    }


def filtered(stories, filters):
    """`stories` narrowed by the listing's filters; every story carries `sort_time` for the cursor."""
    if filters.section:
        stories = stories.filter(section__slug=filters.section)
    if filters.tag:
        tagged = Story.tags.through.objects.filter(Q(tag__name=filters.tag) | Q(tag__slug=filters.tag))
        stories = stories.filter(pk__in=tagged.values("story_id"))
    if filters.author:
        credited = Story.authors.through.objects.filter(author__slug=filters.author)
        stories = stories.filter(pk__in=credited.values("story_id"))
    if filters.language:
        stories = stories.filter(language=filters.language)
    if filters.since:
        stories = stories.filter(sort_time__gte=aware(filters.since))
    return stories


def aware(moment):
    """A time a client sent; one without an offset is taken as UTC."""
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


@router.get("/stories", response={200: StoryPage, **ERRORS}, **ANYONE)
def story_list(request, filters: Query[StoryFilters]):
    """Stories, newest first: published ones for everyone; with a token, also the drafts one may edit."""
    if request.auth.is_authenticated:
        stories = visible_stories(request.auth).annotate(sort_time=Coalesce("published_at", "created_at"))
    else:  # sorting on the column itself lets the database walk its index
        stories = Story.objects.published().annotate(sort_time=F("published_at"))
    stories = filtered(stories, filters).select_related("section").prefetch_related("tags", "authors", "corrections")
    items, next_cursor = keyset_page(stories, ["-sort_time", "-news_id"], filters.cursor, filters.limit, name="stories")
    return {"items": [story_data(story, request) for story in items], "next": next_cursor}


@router.get("/stories/{news_id}", response={200: StoryOut, **ERRORS}, **ANYONE)
def story_detail(request, news_id: NewsId):
    """One story, if published or (with a token) editable by the caller."""
    return story_data(visible_story(request.auth, news_id), request)


@router.get("/stories/{news_id}/ninjs", response={200: dict[str, Any], **ERRORS}, **ANYONE)
def story_ninjs_detail(request, news_id: NewsId):
    """One story as IPTC ninjs 2.2, on the same terms as the story itself (see docs/api.md for the mapping)."""
    story = visible_story(request.auth, news_id)
    return story_ninjs(story, lambda path: absolute_url(path, request))


@router.post("/stories", response={201: StoryOut, **ERRORS}, auth=token_required)
@transaction.atomic
def create_story(request, payload: StoryIn):
    """A new draft; its bylines default to the caller's."""
    user = request.auth
    if not (user.is_active and user.has_perm("articles.add_story")):
        raise PermissionDenied("You may not write stories.")
    story = Story(created_by=user)
    fill(story, payload)
    authors = bylines(payload.authors) if payload.authors else [byline_of(user)]
    workflow.save_story(story, user, tags=tags_by_name(payload.tags or []), authors=authors)
    return Status(201, story_data(story, request))


@router.patch("/stories/{news_id}", response={200: StoryOut, 409: ConflictOut, **ERRORS}, auth=token_required)
@transaction.atomic
def update_story(request, news_id: NewsId, payload: StoryPatch):
    """Change the fields sent; `version` must be the story's current one, or nothing changes (409)."""
    user = request.auth
    story = visible_story(user, news_id)
    if not can_edit(user, story):
        raise PermissionDenied("You may not edit this story.")
    fill(story, payload)
    tags = tags_by_name(payload.tags) if payload.tags is not None else None
    authors = bylines(payload.authors) if payload.authors is not None else None
    workflow.save_story(story, user, based_on=payload.version, tags=tags, authors=authors)
    return story_data(story, request)


def fill(story, payload):
    """Copy the fields the client sent onto `story` (a null section clears it; other nulls are ignored)."""
    sent = payload.model_fields_set
    for field, attribute in PLAIN_FIELDS.items():
        if field in sent and getattr(payload, field) is not None:
            setattr(story, attribute, getattr(payload, field))
    if "section" in sent:
        story.section = section_by_slug(payload.section)


@router.post("/stories/{news_id}/publish", response={200: StoryOut, **ERRORS}, auth=token_required)
def publish_story(request, news_id: NewsId, payload: PublishIn | None = None):
    """Publish now, or schedule with a future `published_at` (the story appears by itself then)."""
    story = visible_story(request.auth, news_id)
    at = aware(payload.published_at) if payload and payload.published_at else None
    workflow.publish(story, request.auth, at=at)
    return story_data(story, request)


@router.post("/stories/{news_id}/unpublish", response={200: StoryOut, **ERRORS}, auth=token_required)
def unpublish_story(request, news_id: NewsId):
    """Take a story off the site at once."""
    story = visible_story(request.auth, news_id)
    workflow.unpublish(story, request.auth)
    return story_data(story, request)


@router.post("/stories/{news_id}/corrections", response={201: CorrectionOut, **ERRORS}, auth=token_required)
def add_correction(request, news_id: NewsId, payload: CorrectionIn):
    """Add a correction, clarification, update, retraction or editor's note to a story that has been published
    (editors); it shows at once on the story, /corrections and its feeds, and sends `story.corrected`."""
    story = visible_story(request.auth, news_id)
    if not can_publish(request.auth):
        raise PermissionDenied("You may not add corrections.")
    if story.published_at is None:
        raise ValidationError("Corrections are for published stories.")
    note = Correction.objects.create(story=story, kind=payload.kind, text=payload.text)
    return Status(201, {"kind": note.kind, "text": note.text, "at": note.created_at})


@router.get("/stories/{news_id}/revisions", response={200: RevisionPage, **ERRORS}, auth=token_required)
def story_revisions(request, news_id: NewsId, page: Query[PageParams]):
    """Every saved version of a story, newest first: for those who may edit it, and editors."""
    user = request.auth
    story = visible_story(user, news_id)
    if not (can_edit(user, story) or user.has_perm("newsroom.view_revision")):
        raise PermissionDenied("You may not see this story's revisions.")
    revisions = story.revisions.select_related("user")
    items, next_cursor = keyset_page(revisions, ["-version"], page.cursor, page.limit, name="revisions")
    return {"items": [revision_data(revision) for revision in items], "next": next_cursor}


def revision_data(revision):
    return {
        "version": revision.version,
        "user": revision.user.get_username() if revision.user else None,
        "created_at": revision.created_at,
        "changed": revision.changed,
    }


@router.get("/stories/{news_id}/follow-ups", response={200: FollowUpList, **ERRORS}, auth=token_required)
def story_follow_ups(request, news_id: NewsId):
    """The dated promises found in a published story, due day first: for the desk's staff (writers and editors)."""
    user = request.auth
    if not (user.is_active and user.is_staff and user.has_perm("articles.change_story")):
        raise PermissionDenied("Follow-ups are for the newsroom's staff.")
    story = visible_story(user, news_id)
    fields = ("sentence", "phrase", "due", "state")
    return {"items": list(story.follow_ups.order_by("due", "pk").values(*fields))}
