"""sitemap.xml (an index over paginated sitemaps) and a Google News sitemap of the last 48 hours, per edition:
/fa/sitemap.xml lists the Persian edition's pages."""

from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap, views
from django.utils import timezone

from dateline.accounts.models import Author

from .editions import current_edition, in_edition
from .models import Section, Story, Tag


def edition_stories():
    return Story.objects.published().in_edition(current_edition())


def index(request, **kwargs):
    """Django's sitemap index, its parts' URLs on SITE_URL when set (Django takes them from the request's host,
    where the parts themselves and the feeds use SITE_URL)."""
    response = views.index(request, **kwargs)
    if settings.SITE_URL:
        for item in response.context_data["sitemaps"]:
            _scheme, _host, path, query, _fragment = urlsplit(item.location)
            item.location = settings.SITE_URL + urlunsplit(("", "", path, query, ""))
    return response


class SiteSitemap(Sitemap):
    """Absolute URLs on SITE_URL when it is set, else on the request's host and scheme."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc if settings.SITE_URL else super().get_domain(site)

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme if settings.SITE_URL else super().get_protocol(protocol)


class StorySitemap(SiteSitemap):
    limit = 5000

    def items(self):
        return (
            edition_stories()
            .order_by("-published_at", "-news_id")
            .only("news_id", "slug", "language", "published_at", "revised_at")
        )

    def lastmod(self, story):
        return story.revised_at or story.published_at


class SectionSitemap(SiteSitemap):
    def items(self):
        return Section.objects.filter(in_edition(current_edition()))


class TagSitemap(SiteSitemap):
    def items(self):
        return Tag.objects.filter(stories__in=edition_stories()).distinct().order_by("name")


class AuthorSitemap(SiteSitemap):
    def items(self):
        return Author.objects.filter(stories__in=edition_stories()).distinct().order_by("name")


class NewsSitemap(StorySitemap):
    """Google News: stories published in the last 48 hours, with their publication, date and title."""

    limit = 1000

    def items(self):
        since = timezone.now() - timedelta(hours=48)
        return edition_stories().filter(published_at__gte=since).order_by("-published_at")


SITEMAPS = {"stories": StorySitemap, "sections": SectionSitemap, "tags": TagSitemap, "authors": AuthorSitemap}
