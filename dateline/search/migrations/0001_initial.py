"""The search index: an FTS5 table on SQLite, a table with a GIN-indexed tsvector on PostgreSQL.

Django only reads these tables (the models are unmanaged), so their DDL is here, one set per database.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

import dateline.search.models

SQLITE = [
    # unicode61 folds Latin diacritics (remove_diacritics 2) and splits words as Unicode does, so Arabic and
    # Persian are searchable; the rank weights favour the headline, then tags and authors, then summary, then body.
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        headline, summary, body, tags, authors, tokenize = "unicode61 remove_diacritics 2"
    )""",
    "INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 5.0, 5.0)')",
]
SQLITE_DROP = ["DROP TABLE search_fts"]

POSTGRESQL = [
    # Configurations that also fold accents (unaccent is a trusted extension: no superuser needed since PostgreSQL 13).
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION dateline_simple (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION dateline_simple ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    "CREATE TEXT SEARCH CONFIGURATION dateline_english (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION dateline_english"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    """CREATE TABLE search_pgdocument (
        story_id bigint PRIMARY KEY,  -- no FOREIGN KEY, so flush can truncate stories; deletes go by signal
        config regconfig NOT NULL,
        headline text NOT NULL,
        summary text NOT NULL,
        body text NOT NULL,
        tags text NOT NULL,
        authors text NOT NULL,
        vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector(config, headline), 'A')
            || setweight(to_tsvector(config, tags || ' ' || authors), 'B')
            || setweight(to_tsvector(config, summary), 'C')
            || setweight(to_tsvector(config, body), 'D')
        ) STORED
    )""",
    "CREATE INDEX search_pgdocument_vector ON search_pgdocument USING gin (vector)",
]
POSTGRESQL_DROP = [
    "DROP TABLE search_pgdocument",
    "DROP TEXT SEARCH CONFIGURATION dateline_simple",
    "DROP TEXT SEARCH CONFIGURATION dateline_english",
]


def run(statements):
    def operation(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return operation


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0002_newsroom_content_model"),
    ]

    operations = [
        migrations.CreateModel(
            name="FtsDocument",
            fields=[
                (
                    "story",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fts_document",
                        serialize=False,
                        to="articles.story",
                    ),
                ),
                ("headline", models.TextField()),
                ("summary", models.TextField()),
                ("body", models.TextField()),
                ("tags", models.TextField()),
                ("authors", models.TextField()),
                ("document", dateline.search.models.FtsTableColumn(db_column="search_fts")),
                ("rank", models.FloatField(db_column="rank")),
            ],
            options={"db_table": "search_fts", "managed": False},
        ),
        migrations.CreateModel(
            name="PgDocument",
            fields=[
                (
                    "story",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="pg_document",
                        serialize=False,
                        to="articles.story",
                    ),
                ),
                ("config", models.CharField(max_length=63)),
                ("headline", models.TextField()),
                ("summary", models.TextField()),
                ("body", models.TextField()),
                ("tags", models.TextField()),
                ("authors", models.TextField()),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"db_table": "search_pgdocument", "managed": False},
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        ),
    ]
