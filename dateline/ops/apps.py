from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class OpsConfig(AppConfig):
    """Running the site: database outages, read replicas, SQLite upkeep, the Redis cache, jobs, serve/backup/restore."""

    default = True  # apps.py also holds JobsConfig
    name = "dateline.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from . import edge

        edge.connect()


class JobsConfig(TasksAppConfig):
    """django-tasks-db's queue, under the name the admin shows (see ops.jobs)."""

    verbose_name = _("Background jobs")
