"""/api/v1/sections, /tags, /authors: the names the stories use."""

from ninja import Query, Router

from dateline.accounts.models import Author
from dateline.articles.models import Section, Tag

from ..auth import ANYONE
from .pagination import keyset_page
from .schemas import ERRORS, AuthorPage, PageParams, SectionPage, TagPage

router = Router(tags=["directory"])


@router.get("/sections", response={200: SectionPage, **ERRORS}, **ANYONE)
def section_list(request):
    """Every section, in navigation order (they are few: one page)."""
    sections = Section.objects.select_related("parent")
    items = [
        {
            "name": section.name,
            "slug": section.slug,
            "parent": section.parent.slug if section.parent else None,
            "position": section.position,
            "description": section.description,
        }
        for section in sections
    ]
    return {"items": items, "next": None}


@router.get("/tags", response={200: TagPage, **ERRORS}, **ANYONE)
def tag_list(request, page: Query[PageParams]):
    """Every tag, by slug."""
    items, next_cursor = keyset_page(Tag.objects.all(), ["slug"], page.cursor, page.limit, name="tags")
    return {
        "items": [{"name": t.name, "slug": t.slug, "description": t.description} for t in items],
        "next": next_cursor,
    }


@router.get("/authors", response={200: AuthorPage, **ERRORS}, **ANYONE)
def author_list(request, page: Query[PageParams]):
    """Every byline, by slug."""
    items, next_cursor = keyset_page(Author.objects.all(), ["slug"], page.cursor, page.limit, name="authors")
    return {
        "items": [{"name": a.name, "slug": a.slug, "role": a.role, "bio": a.bio} for a in items],
        "next": next_cursor,
    }
