from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Full-text search over published stories, kept in step with every story change."""

    name = "dateline.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import receivers  # noqa: F401  (keeps the index in step with stories, tags and authors)
