from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "dateline.images"
    label = "images"
    verbose_name = _("Images")

    def ready(self):
        from . import cachekeys, receivers  # noqa: F401  (receivers connects its signal receivers)

        cachekeys.connect()
