"""Most read: reads counted on the server per story and day, without cookies or trackers, and the box they feed."""

import datetime as dt
import re

import pytest
import time_machine
from django.db.models import QuerySet
from django.urls import reverse

from dateline.articles import readcount
from dateline.articles.models import Story, StoryViews

from .factories import make_story

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
MACHINES = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "WhatsApp/2.23.20.0",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36",
]


def read(client, story, agent=BROWSER, **headers):
    response = client.get(story.get_absolute_url(), headers={"User-Agent": agent, **headers})
    assert response.status_code == 200
    return response


def reads(story):
    """The story's counts by day."""
    return dict(StoryViews.objects.filter(story=story).values_list("day", "count"))


def add_reads(story, count, days_ago=0):
    StoryViews.objects.create(story=story, day=readcount.today() - dt.timedelta(days=days_ago), count=count)


def most_read_box(client, story):
    """The headlines in the story page's most read box, in order."""
    html = read(client, story, agent="").content.decode()
    match = re.search(r'<section class="story-links most-read".*?</section>', html, re.DOTALL)
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', match[0]) if match else []


# Counting


def test_reader_views_are_counted_for_today(client):
    """Each page view by a reader adds one to the story's count for today (UTC)."""
    story = make_story()
    read(client, story)
    read(client, story)
    assert reads(story) == {readcount.today(): 2}


def test_views_are_counted_per_utc_day(client):
    """A view just before midnight GMT and one just after land on two days."""
    story = make_story(ago=dt.timedelta(days=3))
    with time_machine.travel(dt.datetime(2030, 3, 1, 23, 59, tzinfo=dt.UTC), tick=False):
        read(client, story)
    with time_machine.travel(dt.datetime(2030, 3, 2, 0, 1, tzinfo=dt.UTC), tick=False):
        read(client, story)
    assert reads(story) == {dt.date(2030, 3, 1): 1, dt.date(2030, 3, 2): 1}


@pytest.mark.parametrize("agent", MACHINES, ids=lambda agent: agent.split("/")[0][-12:])
def test_bots_are_not_counted(client, agent):
    """Crawlers, link previewers, HTTP libraries and headless browsers read nothing."""
    story = make_story()
    read(client, story, agent=agent)
    assert reads(story) == {}


def test_empty_user_agent_is_not_counted(client):
    """A request that names no User-Agent is not a reader (the test client's default)."""
    story = make_story()
    read(client, story, agent="")
    assert reads(story) == {}


def test_browser_prefetch_is_not_counted(client):
    """A page the browser fetches ahead (Sec-Purpose: prefetch) is not read until the reader goes there."""
    story = make_story()
    read(client, story, **{"Sec-Purpose": "prefetch"})
    assert reads(story) == {}


def test_redirects_and_comment_errors_are_not_counted(client):
    """Only the story page itself counts: not the short URL's redirect, not a comment form sent back with errors."""
    story = make_story()
    headers = {"User-Agent": BROWSER}
    assert client.get(f"/news/{story.news_id}", headers=headers).status_code == 301
    assert client.post(reverse("comments:post", args=[story.news_id]), {"name": ""}, headers=headers).status_code == 400
    assert reads(story) == {}


def test_a_read_after_the_first_of_the_day_is_one_query(django_assert_num_queries):
    """Once the day's row exists, a read is a single UPDATE."""
    story = make_story()
    add_reads(story, 1)
    with django_assert_num_queries(1):
        readcount.add_read(story.pk, readcount.today())
    assert reads(story) == {readcount.today(): 2}


def test_simultaneous_first_reads_lose_nothing(monkeypatch):
    """When another reader creates the day's row between our UPDATE and INSERT, our read still counts."""
    story, day = make_story(), readcount.today()
    update = QuerySet.update

    def update_racing_another_reader(queryset, **fields):
        monkeypatch.setattr(QuerySet, "update", update)
        StoryViews.objects.create(story=story, day=day, count=1)  # the other reader's first read
        return 0  # our UPDATE ran before their INSERT

    monkeypatch.setattr(QuerySet, "update", update_racing_another_reader)
    readcount.add_read(story.pk, day)
    assert reads(story) == {day: 2}


def test_story_page_sets_no_tracking_cookie(client):
    """A story page sets no cookie but the CSRF token its comment form needs, for readers and for bots."""
    story = make_story()
    for agent in [BROWSER, ""]:
        response = read(client, story, agent=agent)
        assert set(response.cookies) <= {"csrftoken"}
        assert "sessionid" not in response.cookies


# The box


def test_box_ranks_stories_by_reads_over_the_window(client, settings):
    """The box lists the most read stories of today and yesterday, most read first; older reads do not count."""
    settings.MOST_READ_DAYS = 2
    first, second, third = make_story("First"), make_story("Second"), make_story("Third")
    add_reads(first, 5)
    add_reads(first, 6, days_ago=1)
    add_reads(second, 8)
    add_reads(third, 2)
    add_reads(third, 100, days_ago=2)
    assert most_read_box(client, make_story("Reader's page")) == ["First", "Second", "Third"]


def test_window_follows_the_setting(client, settings):
    """MOST_READ_DAYS widens the window: a week counts last week's reads."""
    settings.MOST_READ_DAYS = 7
    old, recent = make_story("Read last week"), make_story("Read today")
    add_reads(old, 100, days_ago=6)
    add_reads(recent, 5)
    assert most_read_box(client, make_story()) == ["Read last week", "Read today"]


def test_box_lists_five_stories_at_most(client):
    """Only the five most read stories are listed."""
    for n in range(1, 8):
        add_reads(make_story(f"Read {n} times"), n)
    assert most_read_box(client, make_story()) == [f"Read {n} times" for n in range(7, 2, -1)]


@pytest.mark.parametrize(
    "fields",
    [{"status": Story.Status.UNPUBLISHED}, {"status": Story.Status.DRAFT}, {"published_at": None}],
    ids=["unpublished", "draft", "no-time"],
)
def test_box_never_lists_stories_the_public_may_not_see(client, fields):
    """A story read a lot and then pulled leaves the box at once."""
    pulled, kept = make_story("Pulled story"), make_story("Kept story")
    add_reads(pulled, 1000)
    add_reads(kept, 1)
    Story.objects.filter(pk=pulled.pk).update(**fields)
    assert most_read_box(client, make_story()) == ["Kept story"]


def test_box_is_absent_when_nothing_was_read(client):
    """With no reads in the window, the page shows no empty box."""
    assert most_read_box(client, make_story()) == []
