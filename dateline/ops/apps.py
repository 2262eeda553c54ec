from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site: database outages, read replicas, SQLite upkeep, the Redis cache, serve/backup/restore."""

    name = "dateline.ops"
    label = "ops"
    verbose_name = "Operations"
