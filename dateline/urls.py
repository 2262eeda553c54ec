from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("%(site)s newsroom") % {"site": settings.SITE_NAME}
admin.site.site_title = settings.SITE_NAME


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("dateline/favicon.svg"))


urlpatterns = [
    path("", include("dateline.articles.urls")),
    path("", include("dateline.comments.urls")),
    path("api/", include("dateline.api.urls")),
    path("newsroom/", include("dateline.newsroom.urls")),
    path("", include("dateline.images.urls")),
    path("captcha/", include("captcha.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
]
