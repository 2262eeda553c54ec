from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from . import views


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("dateline/favicon.svg"))


urlpatterns = [
    path("robots.txt", views.robots_txt),
    path("api/", include("dateline.api.urls")),
    path("newsroom/", include("dateline.newsroom.urls")),
    path("", include("dateline.images.urls")),
    path("captcha/", include("captcha.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    # Reader pages, per edition: the default edition's unprefixed, the others' under their language code (/fa/…).
    *i18n_patterns(
        path("", include("dateline.articles.feed_urls")),
        path("", include("dateline.articles.sitemap_urls")),
        path("", include("dateline.articles.urls")),
        path("", include("dateline.comments.urls")),
        path("", include("dateline.search.urls")),
        prefix_default_language=False,
    ),
]
