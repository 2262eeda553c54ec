"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, each section, tag and author (Django's syndication
framework); each edition has its own, with its stories only. With WEBSUB_HUBS set, each names its hubs."""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from dateline.accounts.models import Author
from dateline.pagecache.hints import lists

from . import websub
from .cachekeys import CORRECTIONS_LIST
from .editions import current_edition, in_edition
from .feedformats import AtomFeed, JsonFeed, RssFeed
from .links import absolute_url
from .models import Correction, Section, Story, Tag

FEED_LENGTH = 50


class StoryFeed(Feed):
    """The latest published stories of the edition; subclasses narrow `stories()`."""

    feed_type = RssFeed
    drawn_from_relation = False  # see StoryQuerySet.latest_first

    def __call__(self, request, *args, **kwargs):
        feed = copy.copy(self)  # one instance serves every request: keep this request on a copy
        feed.request = request
        response = Feed.__call__(feed, request, *args, **kwargs)
        if settings.WEBSUB_HUBS:
            response["Link"] = websub.link_header(absolute_url(request.path, request))
        return response

    def feed_extra_kwargs(self, obj):
        return {"hubs": settings.WEBSUB_HUBS}

    def author_name(self):
        """The feed's author, the publication: Atom (RFC 4287) wants one wherever an entry names none."""
        return settings.SITE_NAME

    def item_extra_kwargs(self, story):
        """What JSON Feed carries beyond RSS and Atom (their generators ignore it)."""
        authors = [author.name for author in story.authors.all()]
        return {"summary": story.summary, "author_names": authors, "language": story.language}

    def stories(self, obj):
        return Story.objects.published().in_edition(current_edition())

    def items(self, obj):
        related = self.stories(obj).latest_first(self.drawn_from_relation).select_related("section", "lead_image")
        return related.prefetch_related("authors", "tags")[:FEED_LENGTH]

    def title(self, obj):
        return settings.SITE_NAME

    def description(self, obj):
        return _("The latest stories from %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self, obj):
        return self.description(obj)

    def link(self, obj):
        return absolute_url(obj.get_absolute_url() if obj else "/", self.request)

    def feed_url(self, obj):
        return absolute_url(self.request.path, self.request)

    def item_title(self, story):
        return story.headline

    def item_description(self, story):
        return story.body if settings.FEEDS_FULL_TEXT else story.summary

    def item_link(self, story):
        return absolute_url(story.get_absolute_url(), self.request)

    def item_guid(self, story):
        """Stable for life: the story's short URL, built on its News ID (slugs may change)."""
        return absolute_url(f"/news/{story.news_id}", self.request)

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return story.revised_at or story.published_at

    def item_author_name(self, story):
        return ", ".join(author.name for author in story.authors.all()) or None

    def item_categories(self, story):
        names = [story.section.name] if story.section else []
        return names + [tag.name for tag in story.tags.all()]

    def item_enclosure_url(self, story):
        return absolute_url(story.lead_image.file.url, self.request) if story.lead_image else None

    def item_enclosure_length(self, story):
        return story.lead_image.file.size if story.lead_image else None

    def item_enclosure_mime_type(self, story):
        if story.lead_image:
            extension = story.lead_image.file.name.rsplit(".", 1)[-1].lower()
            return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(
                extension, "image/gif"
            )
        return None


class SectionFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section.objects.filter(in_edition(current_edition())), slug=slug)

    def stories(self, section):
        return super().stories(section).filter(section__in=[section, *section.children.all()])

    def title(self, section):
        return f"{section.name} – {settings.SITE_NAME}"


class TagFeed(StoryFeed):
    drawn_from_relation = True

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def stories(self, tag):
        return super().stories(tag).filter(tags=tag)

    def title(self, tag):
        return f"{tag.name} – {settings.SITE_NAME}"


class AuthorFeed(StoryFeed):
    drawn_from_relation = True

    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def stories(self, author):
        return super().stories(author).filter(authors=author)

    def title(self, author):
        return f"{author.name} – {settings.SITE_NAME}"


class CorrectionFeed(StoryFeed):
    """/corrections as a feed: one item per correction, clarification, update, retraction or editor's note."""

    def items(self, obj):
        lists(self.request, CORRECTIONS_LIST)
        stories = Story.objects.published().in_edition(current_edition())
        notes = Correction.objects.filter(story__in=stories).select_related("story").order_by("-created_at")
        return notes[:FEED_LENGTH]

    def title(self, obj):
        return _("Corrections – %(site)s") % {"site": settings.SITE_NAME}

    def description(self, obj):
        return _("Corrections, clarifications and updates from %(site)s") % {"site": settings.SITE_NAME}

    def link(self, obj):
        return absolute_url(reverse("articles:corrections"), self.request)

    def item_title(self, note):
        return f"{note.get_kind_display()}: {note.story.headline}"

    def item_description(self, note):
        return note.text

    def item_link(self, note):
        return absolute_url(f"{note.story.get_absolute_url()}#correction-{note.pk}", self.request)

    def item_guid(self, note):
        return absolute_url(f"/news/{note.story.news_id}#correction-{note.pk}", self.request)

    def item_pubdate(self, note):
        return note.created_at

    def item_updateddate(self, note):
        return note.created_at

    def item_author_name(self, note):
        return settings.SITE_NAME

    def item_categories(self, note):
        return [note.get_kind_display()]

    def item_enclosure_url(self, note):
        return None

    def item_extra_kwargs(self, note):
        return {"language": note.story.language}


def atom(feed_class):
    """The Atom 1.0 twin of an RSS feed class."""
    return type(f"{feed_class.__name__}Atom", (feed_class,), {"feed_type": AtomFeed})


def json_feed(feed_class):
    """The JSON Feed 1.1 twin of an RSS feed class."""
    return type(f"{feed_class.__name__}Json", (feed_class,), {"feed_type": JsonFeed})
