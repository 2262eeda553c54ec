"""The sitemaps under the `sitemaps` namespace (the site includes them per edition: /sitemap.xml, /fa/sitemap.xml):
an index over the parts, and the Google News sitemap."""

from django.contrib.sitemaps import views
from django.urls import path

from .sitemaps import SITEMAPS, NewsSitemap, index

app_name = "sitemaps"
urlpatterns = [
    path("sitemap.xml", index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemaps:part"}, name="index"),
    path("sitemap-<section>.xml", views.sitemap, {"sitemaps": SITEMAPS}, name="part"),
    path(
        "news-sitemap.xml",
        views.sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="news",
    ),
]
