"""A revision's story is looked up through one_revision_per_version (story, version), so its own index goes; the index
of who saved a revision leaves out the revisions by nobody (every imported story's first). The fields' indexes are
dropped by name: altering the fields would make SQLite copy the whole revisions table."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# The names Django gave them (the same on SQLite and PostgreSQL).
FIELD_INDEXES = [("newsroom_revision_story_id_f633493b", "story_id"), ("newsroom_revision_user_id_218e016e", "user_id")]


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_optional_link_indexes'),
        ('newsroom', '0002_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='revision',
                    name='story',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='articles.story', verbose_name='story'),
                ),
                migrations.AlterField(
                    model_name='revision',
                    name='user',
                    field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='saved by'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "newsroom_revision" ("{column}")'
                )
                for name, column in FIELD_INDEXES
            ],
        ),
        migrations.AddIndex(
            model_name='revision',
            index=models.Index(condition=models.Q(('user__isnull', False)), fields=['user'], name='revision_user'),
        ),
    ]
