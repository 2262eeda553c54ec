from django.http import HttpResponse
from django.urls import reverse

from dateline.articles.editions import editions, reading
from dateline.articles.links import absolute_url


def robots_txt(request):
    """Crawlers: everything public, not the newsroom; here are the sitemaps."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /newsroom/",
        "Disallow: /comments/",
        "Disallow: /captcha/",
    ]
    for code in editions():
        with reading(code):
            paths = [reverse("sitemaps:index"), reverse("sitemaps:news")]
            lines += [f"Sitemap: {absolute_url(path, request)}" for path in paths]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
