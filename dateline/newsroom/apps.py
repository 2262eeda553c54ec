from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """The editorial side: workflow in the admin, revisions, audit log, preview links, roles."""

    name = "dateline.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import receivers  # noqa: F401  (connects to the articles app's signals)
