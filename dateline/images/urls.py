import re

from django.conf import settings
from django.urls import re_path

from . import views

app_name = "images"


def media_patterns():
    """The media view under MEDIA_URL when that is a path on this site (not when it names another host)."""
    prefix = settings.MEDIA_URL
    if not prefix.startswith("/") or prefix.startswith("//"):
        return []
    return [re_path(rf"^{re.escape(prefix.lstrip('/'))}(?P<path>.+)\Z", views.media, name="media")]


urlpatterns = media_patterns()
