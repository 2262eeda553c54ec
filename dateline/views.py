from django.http import HttpResponse
from django.urls import reverse

from dateline.articles.links import absolute_url


def robots_txt(request):
    """Crawlers: everything public, not the newsroom; here are the sitemaps."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /newsroom/",
        "Disallow: /comments/",
        "Disallow: /captcha/",
        f"Sitemap: {absolute_url(reverse('sitemap'), request)}",
        f"Sitemap: {absolute_url(reverse('news-sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
