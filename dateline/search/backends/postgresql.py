"""PostgreSQL full-text search: `search_pgdocument` with a weighted tsvector column (GIN-indexed) generated from
its text columns. English stories use a copy of the "english" configuration (stemming), every other language a copy
of "simple", so Arabic and Persian words match as written; both copies fold accents with `unaccent` (the migration
makes them).
"""

from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

from ..models import PgDocument
from .marks import START, STOP, best_snippet

CONFIGS = {"en": "dateline_english"}
FALLBACK_CONFIG = "dateline_simple"


def config_for(language):
    """The text search configuration for a language code ("en-GB" → dateline_english, "fa" → dateline_simple)."""
    return CONFIGS.get((language or "").split("-")[0].lower(), FALLBACK_CONFIG)


def tsquery(query, language=None):
    """Every term required, each as a phrase; without a language, a term may match in any configuration."""
    configs = [config_for(language)] if language else sorted({*CONFIGS.values(), FALLBACK_CONFIG})

    def term_query(term):
        alternatives = [SearchQuery(term, config=config, search_type="phrase") for config in configs]
        return reduce(lambda a, b: a | b, alternatives)

    return reduce(lambda a, b: a & b, [term_query(term) for term in query.terms])


def matching(stories, query, language=None):
    """The stories that match, each with a `rank` (higher is better)."""
    search_query = tsquery(query, language)
    return stories.filter(pg_document__vector=search_query).annotate(
        rank=SearchRank(F("pg_document__vector"), search_query)
    )


def count(stories, query, limit, language=None):
    """How many of `stories` match, counting no further than `limit`."""
    return matching(stories, query, language).values("pk")[:limit].count()


def ranked_ids(stories, query, *, order, start, stop, language=None, narrowed=False):
    """(story id, rank) of the matches from `start` to `stop`, best or newest first."""
    found = matching(stories, query, language)
    found = found.latest_first() if order == "date" else found.order_by("-rank", "-published_at")
    return list(found.values_list("pk", "rank")[start:stop])


def decorate(stories, query, language=None):
    """Give each story (a page of them) its `snippet`: from the body where it has a hit, else the summary."""
    search_query = tsquery(query, language)
    snippets = (
        PgDocument.objects.filter(pk__in=[story.pk for story in stories])
        .annotate(body_snippet=headline("body", search_query), summary_snippet=headline("summary", search_query))
        .values_list("pk", "body_snippet", "summary_snippet")
    )
    found = {pk: best_snippet(body, summary) for pk, body, summary in snippets}
    for story in stories:
        story.snippet = found.get(story.pk, "")


def headline(column, search_query):
    return SearchHeadline(
        column, search_query, config=F("config"), start_sel=START, stop_sel=STOP, max_words=35, min_words=15
    )


UPSERT = """
    INSERT INTO search_pgdocument (story_id, config, headline, summary, body, tags, authors)
    VALUES (%s, %s::regconfig, %s, %s, %s, %s, %s)
    ON CONFLICT (story_id) DO UPDATE SET config = EXCLUDED.config, headline = EXCLUDED.headline,
        summary = EXCLUDED.summary, body = EXCLUDED.body, tags = EXCLUDED.tags, authors = EXCLUDED.authors
"""


def replace(documents):
    """Index these documents, replacing what the index held for their stories."""
    rows = [
        (doc.story_id, config_for(doc.language), doc.headline, doc.summary, doc.body, doc.tags, doc.authors)
        for doc in documents
    ]
    with connection.cursor() as cursor:
        cursor.executemany(UPSERT, rows)


insert = replace


def remove(story_ids):
    PgDocument.objects.filter(pk__in=list(story_ids)).delete()


def clear():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_pgdocument")


def finish():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_pgdocument")


def is_empty():
    return not PgDocument.objects.exists()
