from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

from dateline.articles.editions import editions, reading
from dateline.articles.links import absolute_url


def robots_txt(request):
    """Crawlers: everything public, not the newsroom (PAGE_CACHE_BYPASS says which prefixes); here are the sitemaps."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{prefix}/" for prefix, robots in settings.PAGE_CACHE_BYPASS.items() if robots == "disallow"]
    for code in editions():
        with reading(code):
            paths = [reverse("sitemaps:index"), reverse("sitemaps:news")]
            lines += [f"Sitemap: {absolute_url(path, request)}" for path in paths]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
