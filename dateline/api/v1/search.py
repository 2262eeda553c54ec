"""/api/v1/search: the site's search (dateline.search) as JSON, in the API's {"items", "next"} shape."""

from ninja import Query, Router

from dateline.articles.links import absolute_url
from dateline.search import search

from .pagination import make_cursor, read_cursor
from .schemas import ERRORS, SearchPage, SearchParams

router = Router(tags=["search"])


@router.get(
    "/search",
    response={200: SearchPage, **ERRORS},
    summary="Search published stories",
)
def search_stories(request, params: Query[SearchParams]):
    """Published stories matching `q`, best first (or newest first with `sort=date`)."""
    offset = read_cursor(params.cursor, "search", 1)[0] if params.cursor else 0
    results = search(params.q, section=params.section, language=params.language, order=params.sort)
    hits = list(results[offset : offset + params.limit + 1])
    more = len(hits) > params.limit
    return {
        "items": [hit_data(story, request) for story in hits[: params.limit]],
        "next": make_cursor([offset + params.limit], "search") if more else None,
    }


def hit_data(story, request):
    return {
        "news_id": story.news_id,
        "url": absolute_url(story.get_absolute_url(), request),
        "headline": story.headline,
        "summary": story.summary,
        "snippet": story.snippet,
        "published_at": story.published_at,
        "section": story.section.slug if story.section else None,
    }
