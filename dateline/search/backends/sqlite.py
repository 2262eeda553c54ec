"""SQLite FTS5: the table `search_fts` (made by the migration), BM25 ranking weighted towards the headline.

Reads are SQL written here rather than ORM joins because the join order decides the speed, and SQLite's planner
(without ANALYZE statistics) often starts from the stories and runs the full-text query once per story. Here the
full-text index drives: FTS5 ranks every match in C and hands them over best first, and only as many stories are
looked up as the page needs. Which stories may appear still comes from the caller's queryset (its WHERE clause,
i.e. Story.objects.published() and the filters), never from a condition spelled here.
"""

from django.core.exceptions import FullResultSet
from django.db import connection
from django.db.models import TextField
from django.db.models.expressions import RawSQL

from ..models import FtsDocument
from ..query import fts5_string
from .marks import START, STOP, best_snippet

COLUMNS = ["headline", "summary", "body", "tags", "authors"]
SNIPPET_TOKENS = 32
# A query matching more stories than this is ranked among its newest RANK_WINDOW matches only: BM25 costs about a
# microsecond a match, and for news the recent stories are the ones sought. Below it, ranking is exact. As deep as
# results go (results.MAX_RESULTS), so relevance orders the very stories that newest-first lists.
RANK_WINDOW = 1_000
# Newest-first over a word this common is quicker walking the stories by date and probing the index for each.
DENSE = 2000
FTS_FIRST = "search_fts CROSS JOIN articles_story ON articles_story.id = search_fts.rowid"
PLANNERS_CHOICE = "articles_story INNER JOIN search_fts ON articles_story.id = search_fts.rowid"


def fts5_query(query):
    """The FTS5 query for a parsed Query: every term quoted, all of them required."""
    return " ".join(fts5_string(term) for term in query.terms)


def count(stories, query, limit, language=None):
    """How many of `stories` match, counting no further than `limit`."""
    where, params = where_sql(stories)
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {FTS_FIRST} WHERE search_fts MATCH %s AND {where} LIMIT %s)"
    return fetch(sql, [fts5_query(query), *params, limit])[0][0]


def ranked_ids(stories, query, *, order, start, stop, language=None, narrowed=False):
    """(story id, rank) of the matches from `start` to `stop`, best (rank: higher is better) or newest first."""
    where, params = where_sql(stories)
    if order == "date":
        source = PLANNERS_CHOICE if not narrowed and raw_count(query) > DENSE else FTS_FIRST
        order_by, order_params = order_sql(stories.latest_first())
    else:
        source, order_by, order_params = FTS_FIRST, "search_fts.rank", []
        floor = window_floor(query)
        if floor is not None:
            where, params = f"search_fts.rowid >= %s AND {where}", [floor, *params]
    sql = (
        f"SELECT articles_story.id, -search_fts.rank FROM {source} WHERE search_fts MATCH %s AND {where}"
        f" ORDER BY {order_by} LIMIT %s OFFSET %s"
    )
    return fetch(sql, [fts5_query(query), *params, *order_params, stop - start, start])


def window_floor(query):
    """The lowest story id of the query's RANK_WINDOW newest matches, or None when it has no more than that."""
    sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s"
    rows = fetch(sql, [fts5_query(query), RANK_WINDOW - 1])
    return rows[0][0] if rows else None


def raw_count(query):
    """Matches in the index alone, visible or not (FTS5 answers from its index without reading rows)."""
    return fetch("SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [fts5_query(query)])[0][0]


def where_sql(stories):
    """The queryset's WHERE clause as SQL over the table articles_story itself."""
    query = stories.query
    if any(refs for alias, refs in query.alias_refcount.items() if alias != query.base_table):
        raise ValueError("search filters must not join other tables; use a subquery (field__in=...)")
    try:
        return query.get_compiler(connection=connection).compile(query.where)
    except FullResultSet:
        return "1", []


def order_sql(stories):
    parts = stories.query.get_compiler(connection=connection).get_order_by()
    return ", ".join(sql for _, (sql, _, _) in parts), [p for _, (_, params, _) in parts for p in params]


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def decorate(stories, query, language=None):
    """Give each story (a page of them) its `snippet`: from the body where it has a hit, else the summary."""
    snippets = (
        FtsDocument.objects.filter(document__match=fts5_query(query), pk__in=[story.pk for story in stories])
        .annotate(body_snippet=snippet("body"), summary_snippet=snippet("summary"))
        .values_list("pk", "body_snippet", "summary_snippet")
    )
    found = {pk: best_snippet(body, summary) for pk, body, summary in snippets}
    for story in stories:
        story.snippet = found.get(story.pk, "")


def snippet(column):
    """FTS5's snippet() of one column, hits between the START and STOP characters."""
    sql = "snippet(search_fts, %s, %s, %s, %s, %s)"
    return RawSQL(sql, [COLUMNS.index(column), START, STOP, "…", SNIPPET_TOKENS], output_field=TextField())


def replace(documents):
    """Index these documents, replacing what the index held for their stories."""
    remove([doc.story_id for doc in documents])
    insert(documents)


def insert(documents):
    """Add documents for stories the index does not hold yet."""
    rows = [(doc.story_id, doc.headline, doc.summary, doc.body, doc.tags, doc.authors) for doc in documents]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts (rowid, headline, summary, body, tags, authors) VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )


def remove(story_ids):
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in story_ids])


def clear():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts")


def finish():
    """Merge the index's segments after a rebuild, so queries read as few as possible."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


def is_empty():
    return not fetch("SELECT 1 FROM search_fts LIMIT 1", [])
