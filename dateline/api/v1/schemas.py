"""The shapes the API reads and writes: the public contract of /api/v1/ (see docs/api.md)."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from dateline.articles.models import Correction, Story
from dateline.comments.models import Comment


def storable(text):
    """Text a database can keep: no NUL characters, nothing that is not Unicode (lone surrogates)."""
    if "\x00" in text:
        raise ValueError("must not contain NUL characters")
    try:
        text.encode()
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode") from None
    return text


def text(max_length, min_length=0):
    """A string field of bounded length that the database can store."""
    constraints = StringConstraints(strip_whitespace=min_length > 0, min_length=min_length, max_length=max_length)
    return Annotated[str, constraints, AfterValidator(storable)]


def api_enum(name, choices):
    """A model's choices under a name of their own in the OpenAPI document: Story.Status and Comment.Status would
    both be `Status` there, and one would overwrite the other."""
    return StrEnum(name, {member.name: member.value for member in choices})


StoryStatus = api_enum("StoryStatus", Story.Status)
StoryType = api_enum("StoryType", Story.Type)
CommentStatus = api_enum("CommentStatus", Comment.Status)
CorrectionKind = api_enum("CorrectionKind", Correction.Kind)
# The newsroom's FollowUp.State, spelled out: the API and the newsroom are siblings that import neither each other.
FollowUpState = StrEnum("FollowUpState", {"SUGGESTED": "suggested", "ACCEPTED": "accepted", "DISMISSED": "dismissed"})

Language = Annotated[text(35, 1), StringConstraints(pattern=r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")]
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]  # larger numbers do not fit a database integer
NewsId = RowId
Cursor = text(2000)
Limit = Annotated[int, Field(ge=1, le=100)]


NEXT = Field(description="Pass as `cursor` for the next page; null on the last page.")


class AuthorOut(Schema):
    name: str
    slug: str


class CorrectionOut(Schema):
    kind: CorrectionKind
    text: str
    at: datetime = Field(description="When it was added (shown on the story with it).")


NoteText = text(5000, 1)  # named here: in the class below, `text` is the field's name


class CorrectionIn(Schema):
    kind: CorrectionKind
    text: NoteText = Field(description="Plain text, shown on the story, /corrections and its feeds.")


class StoryOut(Schema):
    news_id: int
    url: str = Field(description="The story's canonical address.")
    headline: str
    slug: str
    summary: str
    body_html: str = Field(description="The body as sanitized HTML.")
    language: str
    section: str | None = Field(description="The section's slug.")
    tags: list[str] = Field(description="Tag names.")
    authors: list[AuthorOut] = Field(description="The bylines, by name.")
    reporting_credit: str = Field(description="The “with reporting by” line; empty when there is none.")
    story_type: StoryType
    location: str = Field(description="The dateline place, e.g. BAGHDAD.")
    status: StoryStatus = Field(description="`published` with a future `published_at` is scheduled.")
    published_at: datetime | None
    corrections: list[CorrectionOut] = Field(description="Corrections, clarifications, updates, retractions and "
                                             "editors' notes, oldest first.")  # fmt: skip
    updated_at: datetime = Field(description="When the story was last saved.")
    version: int = Field(description="Goes up on every save; send it back with a PATCH.")


class StoryPage(Schema):
    items: list[StoryOut]
    next: str | None = NEXT


class StoryFilters(Schema):
    section: text(120) | None = Field(None, description="A section's slug.")
    tag: text(120) | None = Field(None, description="A tag's name or slug.")
    author: text(140) | None = Field(None, description="An author's slug.")
    language: text(35) | None = None
    since: datetime | None = Field(None, description="Only stories published at or after this time (ISO 8601).")
    cursor: Cursor | None = None
    limit: Limit = 20


class StoryFields(Schema):
    """What a client may set on a story, besides the three texts."""

    section: text(120) | None = Field(None, description="A section's slug; null for none.")
    tags: list[text(100, 1)] | None = Field(None, max_length=100, description="Tag names; new ones are created.")
    language: Language | None = None
    authors: list[text(150, 1)] | None = Field(
        None, max_length=20, description="Usernames (or author slugs, for bylines without an account)."
    )
    story_type: StoryType | None = None
    location: text(100) | None = None
    reporting_credit: text(200) | None = None


class StoryIn(StoryFields):
    headline: text(300, 1)
    summary: text(20_000)
    body_html: text(1_000_000) = Field(description="HTML; cleaned by an allow-list when saved.")


class StoryPatch(StoryFields):
    version: int = Field(ge=0, le=2**31, description="The version this change is based on.")
    headline: text(300, 1) | None = None
    summary: text(20_000) | None = None
    body_html: text(1_000_000) | None = None


class PublishIn(Schema):
    published_at: datetime | None = Field(None, description="A future time schedules the story; default: now.")


class RevisionOut(Schema):
    version: int
    user: str | None = Field(description="The username of who saved it.")
    created_at: datetime
    changed: list[str] = Field(description="The fields this save changed; empty for the first.")


class RevisionPage(Schema):
    items: list[RevisionOut]
    next: str | None = NEXT


class FollowUpOut(Schema):
    sentence: str = Field(description="The story's sentence that makes the promise.")
    phrase: str = Field(description="The words in it that name the date, e.g. “within 15 days”.")
    due: date = Field(description="The day the promise falls due, counted from the story's publication.")
    state: FollowUpState = Field(description="`suggested` until an editor accepts or dismisses it.")


class FollowUpList(Schema):
    items: list[FollowUpOut]


class PageParams(Schema):
    cursor: Cursor | None = None
    limit: Limit = 100


class SectionOut(Schema):
    name: str
    slug: str
    parent: str | None = Field(description="The parent section's slug.")
    position: int
    description: str


class SectionPage(Schema):
    items: list[SectionOut]
    next: str | None = NEXT


class TagOut(Schema):
    name: str
    slug: str
    description: str


class TagPage(Schema):
    items: list[TagOut]
    next: str | None = NEXT


class AuthorDetailOut(AuthorOut):
    role: str
    bio: str


class AuthorPage(Schema):
    items: list[AuthorDetailOut]
    next: str | None = NEXT


class CommentFilters(Schema):
    status: CommentStatus = CommentStatus.PENDING
    cursor: Cursor | None = None
    limit: Limit = 50


class CommentOut(Schema):
    id: int
    news_id: int = Field(description="The story commented on.")
    name: str
    body: str
    status: CommentStatus
    created_at: datetime


class CommentPage(Schema):
    items: list[CommentOut]
    next: str | None = NEXT


class ErrorOut(Schema):
    detail: str


class InvalidField(Schema):
    type: str = Field(description="What is wrong, as a code, e.g. `missing`, `string_too_long`.")
    loc: list[str | int] = Field(description='Where: e.g. `["body", "payload", "headline"]`.')
    msg: str
    ctx: dict[str, Any] | None = None


class InvalidOut(Schema):
    detail: str | list[InvalidField] = Field(
        description="A sentence, or, when the request does not match this document, one entry per field at fault."
    )


class RateLimitedOut(ErrorOut):
    retry_after: int = Field(description="Seconds to wait before trying again (also the Retry-After header).")


class ConflictOut(ErrorOut):
    version: int = Field(description="The story's current version.")


# What any operation may answer besides its own result: a bad request, a missing or wrong token, a body too large,
# invalid fields, the rate limit, the database unavailable (ops.outage); OBJECT_ERRORS adds forbidden and not found.
ERRORS = {400: ErrorOut, 401: ErrorOut, 413: ErrorOut, 422: InvalidOut, 429: RateLimitedOut, 503: ErrorOut}
OBJECT_ERRORS = {**ERRORS, 403: ErrorOut, 404: ErrorOut}


class SearchParams(Schema):
    q: text(10_000) = Field(description="What to look for: words, or an exact phrase in double quotes.")
    section: text(120) | None = Field(None, description="A section's slug (its sub-sections included).")
    language: text(35) | None = None
    sort: Literal["relevance", "date"] = "relevance"
    cursor: Cursor | None = None
    limit: Limit = 20


class SearchHit(Schema):
    news_id: int
    url: str
    headline: str
    summary: str
    snippet: str = Field(description="Escaped HTML around the hits, each hit in <mark>.")
    published_at: datetime
    section: str | None


class SearchPage(Schema):
    items: list[SearchHit]
    next: str | None = NEXT
