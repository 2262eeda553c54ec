from django.apps import AppConfig


class DatelineConfig(AppConfig):
    """The site itself: its layout templates, static files and interface translations."""

    name = "dateline"
    verbose_name = "Dateline"
