"""Results: the matching published stories, counted and sliced lazily, so Django's Paginator can page them."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from dateline.articles.models import Section, Story

from .backends import backend
from .query import parse

ORDERS = ("relevance", "date")
# Results go this deep and no deeper (50 pages of 20): counting every match of a common word costs time
# in proportion to the matches, and nobody reads page 51.
MAX_RESULTS = 1000


class Results:
    """What `dateline.search.search()` returns. `count()` (and `len()`) counts the matches up to MAX_RESULTS,
    `more` says whether there are more; a slice is a list of stories, each with `rank` and `snippet`.
    `query` is the parsed Query: falsy when nothing in the text was searchable."""

    def __init__(self, text, *, section=None, language=None, since=None, until=None, order="relevance", within=None):
        self.query = parse(text)
        self.order = order if order in ORDERS else "relevance"
        self.language = language
        self.narrowed = any([section, language, since, until])
        stories = Story.objects.published() if within is None else within
        self.stories = filtered(stories, section, language, since, until)
        self._count = None

    def count(self):
        if self._count is None:
            self._count = backend().count(self.stories, self.query, MAX_RESULTS + 1, self.language) if self.query else 0
        return min(self._count, MAX_RESULTS)

    @property
    def more(self):
        """Whether more stories match than the results go to."""
        self.count()
        return self._count > MAX_RESULTS

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, step = index.indices(MAX_RESULTS)
        if not self.query or start >= stop:
            return []
        ranked = backend().ranked_ids(
            self.stories, self.query, order=self.order, start=start, stop=stop, language=self.language,
            narrowed=self.narrowed,
        )  # fmt: skip
        stories = self.page_of(ranked)
        if stories:
            backend().decorate(stories, self.query, self.language)
        return stories[::step]

    def __iter__(self):
        return iter(self[:])

    def page_of(self, ranked):
        """The stories for (id, rank) pairs, in that order, each with its rank."""
        # The ids were chosen through self.stories (published() and the filters). Filtering again here would let
        # SQLite walk the listing index over every published story instead of looking up twenty by primary key.
        found = Story.objects.select_related("section").in_bulk([pk for pk, _ in ranked])
        stories = []
        for pk, rank in ranked:
            if pk in found:
                found[pk].rank = rank
                stories.append(found[pk])
        return stories


def filtered(stories, section, language, since, until):
    """Stories narrowed to a section (with its subsections), a language and a range of publication times."""
    if section:
        slug = getattr(section, "slug", section)
        stories = stories.filter(section__in=Section.objects.filter(Q(slug=slug) | Q(parent__slug=slug)))
    if language:
        stories = stories.filter(Q(language=language) | Q(language__startswith=f"{language}-"))
    if since:
        stories = stories.filter(published_at__gte=moment(since))
    if until and until != dt.date.max:
        stories = stories.filter(published_at__lt=moment(until, day_after=True))
    return stories


def moment(value, day_after=False):
    """A datetime as given; a date as the start of that day (or of the next, to include the whole day)."""
    if isinstance(value, dt.datetime):
        return value
    day = value + dt.timedelta(days=1) if day_after else value
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
