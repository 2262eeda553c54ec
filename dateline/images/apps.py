from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "dateline.images"
    label = "images"
    verbose_name = _("Images")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
