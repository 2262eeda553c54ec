from django.apps import AppConfig


class DatelineConfig(AppConfig):
    """The site itself: layout templates, static files and the `serve` command."""

    name = "dateline"
    verbose_name = "Dateline"
