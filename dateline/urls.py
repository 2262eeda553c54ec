from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from dateline.articles.feeds import AuthorFeed, SectionFeed, StoryFeed, TagFeed, atom
from dateline.articles.sitemaps import SITEMAPS, NewsSitemap

from . import views


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("dateline/favicon.svg"))


feeds = [
    path("rss.xml", StoryFeed(), name="feed-rss"),
    path("atom.xml", atom(StoryFeed)(), name="feed-atom"),
    path("section/<str:slug>/rss.xml", SectionFeed(), name="section-rss"),
    path("section/<str:slug>/atom.xml", atom(SectionFeed)(), name="section-atom"),
    path("tag/<str:slug>/rss.xml", TagFeed(), name="tag-rss"),
    path("tag/<str:slug>/atom.xml", atom(TagFeed)(), name="tag-atom"),
    path("author/<str:slug>/rss.xml", AuthorFeed(), name="author-rss"),
    path("author/<str:slug>/atom.xml", atom(AuthorFeed)(), name="author-atom"),
]
sitemaps = [
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-part"}, "sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-part"),
    path(
        "news-sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="news-sitemap",
    ),
]

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
        *feeds,
        *sitemaps,
        path("", include("dateline.articles.urls")),
        path("", include("dateline.comments.urls")),
        path("", include("dateline.search.urls")),
        prefix_default_language=False,
    ),
]
