"""A story's optional links keep an index of the stories that have one (partial indexes); the section's own index goes,
as story_section_listing starts with it. The fields' indexes are dropped by name: altering the fields would make
SQLite copy the whole story table four times over."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# The names Django gave them (the same on SQLite and PostgreSQL).
FIELD_INDEXES = [
    ("articles_story_created_by_id_0521e464", "created_by_id"),
    ("articles_story_lead_image_id_a54f02cf", "lead_image_id"),
    ("articles_story_section_id_7ec7fd63", "section_id"),
    ("articles_story_translation_of_id_f67e26f8", "translation_of_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_author_photo_and_links"),
        ("articles", "0007_listing_order"),
        ("images", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="story",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                migrations.AlterField(
                    model_name="story",
                    name="lead_image",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="images.image",
                        verbose_name="lead image",
                    ),
                ),
                migrations.AlterField(
                    model_name="story",
                    name="section",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="stories",
                        to="articles.section",
                        verbose_name="section",
                    ),
                ),
                migrations.AlterField(
                    model_name="story",
                    name="translation_of",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="The original story this one translates; the two pages then link to each other.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="translations",
                        to="articles.story",
                        verbose_name="translation of",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "articles_story" ("{column}")'
                )
                for name, column in FIELD_INDEXES
            ],
        ),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(
                condition=models.Q(("lead_image__isnull", False)), fields=["lead_image"], name="story_lead_image"
            ),
        ),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(
                condition=models.Q(("created_by__isnull", False)), fields=["created_by"], name="story_created_by"
            ),
        ),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(
                condition=models.Q(("translation_of__isnull", False)),
                fields=["translation_of"],
                name="story_translation_of",
            ),
        ),
    ]
