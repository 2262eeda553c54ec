"""The index tables. Their DDL differs by database, so the migration makes them and Django only reads them."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from dateline.articles.models import Story


class FtsMatch(models.Lookup):
    """`document__match=q` → `search_fts MATCH q` (an FTS5 full-text query)."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class FtsTableColumn(models.TextField):
    """The hidden column an FTS5 table has under its own name: the left side of MATCH."""


FtsTableColumn.register_lookup(FtsMatch)


class FtsDocument(models.Model):
    """A story's words in SQLite's FTS5 table `search_fts`, under the story's id as rowid."""

    story = models.OneToOneField(
        Story,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="fts_document",
    )
    headline = models.TextField()
    summary = models.TextField()
    body = models.TextField()
    tags = models.TextField()
    authors = models.TextField()
    document = FtsTableColumn(db_column="search_fts")
    rank = models.FloatField(db_column="rank")

    class Meta:
        managed = False
        db_table = "search_fts"

    def __str__(self):
        return self.headline


class PgDocument(models.Model):
    """A story's words on PostgreSQL, with a weighted tsvector generated from them (GIN-indexed)."""

    story = models.OneToOneField(
        Story, primary_key=True, db_constraint=False, on_delete=models.DO_NOTHING, related_name="pg_document"
    )
    config = models.CharField(max_length=63)
    headline = models.TextField()
    summary = models.TextField()
    body = models.TextField()
    tags = models.TextField()
    authors = models.TextField()
    vector = SearchVectorField()

    class Meta:
        managed = False
        db_table = "search_pgdocument"

    def __str__(self):
        return self.headline
