from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API, /api/v1/ (django-ninja): read for everyone, write with a token."""

    name = "dateline.api"
    label = "api"
    verbose_name = _("API")
