from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "dateline.articles"
    label = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from . import cachekeys, signals, websub

        cachekeys.connect()
        signals.connect()
        websub.connect()
