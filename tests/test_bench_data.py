"""`dateline bench-data`: a site of realistic shape for benchmarks, built with bulk inserts."""

import pytest
from django.core.management import CommandError, call_command

from dateline.accounts.models import Author
from dateline.articles.models import Section, Story, StoryViews, Tag
from dateline.comments.models import Comment
from dateline.search import search

pytestmark = pytest.mark.django_db


def build(**options):
    call_command("bench-data", stories=300, verbosity=0, **options)


def test_builds_a_site_of_the_asked_shape(client):
    build()
    stories = Story.objects.published()
    assert stories.count() == 300
    assert Section.objects.count() == 30 and Section.objects.filter(parent__isnull=False).count() == 23
    assert Tag.objects.count() == 2000 and Author.objects.count() == 300
    assert Comment.objects.approved().count() == 600
    assert not stories.filter(tags=None).exists() and not stories.filter(authors=None).exists()
    assert StoryViews.objects.exists()
    years = stories.dates("published_at", "year")
    assert len(years) >= 9  # spread over ten years
    story = stories.latest_first().first()
    word = story.headline.split()[-1]
    assert story in [found for found in search(word)[:300]]
    for url in [story.get_absolute_url(), "/", story.section.get_absolute_url()]:
        assert story.headline in client.get(url).content.decode(), url
    for related in (story.tags.first(), story.authors.first()):
        assert client.get(related.get_absolute_url()).status_code == 200


def test_the_same_seed_builds_the_same_site():
    build(seed=7)
    first = list(Story.objects.order_by("news_id").values_list("headline", flat=True))
    build(seed=7, replace=True)
    assert list(Story.objects.order_by("news_id").values_list("headline", flat=True)) == first
    build(seed=8, replace=True)
    assert list(Story.objects.order_by("news_id").values_list("headline", flat=True)) != first


def test_refuses_a_database_that_has_stories():
    build()
    with pytest.raises(CommandError, match="--replace"):
        build()
    assert Story.objects.count() == 300
