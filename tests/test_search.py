"""Search: what must be found is found, what must not appear never does, and no query breaks the page."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.articles import workflow
from dateline.articles.models import Story, Tag
from dateline.search import search
from dateline.search.backends import backend
from dateline.search.query import MAX_TERMS, parse

from .factories import make_author, make_section, make_story

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="exercises the SQLite FTS5 backend")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (issue 6 runs it)")


def headlines(query, **filters):
    return [story.headline for story in search(query, **filters)]


def page(client, **params):
    return client.get(reverse("search:results"), params)


# What must be found is found


def test_finds_a_word_in_the_headline():
    """A word of the headline finds the story."""
    make_story("Ceasefire holds in the north")
    assert headlines("ceasefire") == ["Ceasefire holds in the north"]


def test_finds_a_word_in_the_summary():
    """A word only the summary has finds the story."""
    make_story("Talks resume", summary="Negotiators gathered in Geneva.")
    assert headlines("Geneva") == ["Talks resume"]


def test_finds_a_word_in_the_body_but_not_the_markup():
    """Words of the body are found; tag and attribute names of its HTML are not."""
    make_story("Harvest report", body='<p>The <strong>wheat</strong> crop <a href="/x">doubled</a>.</p>')
    assert headlines("wheat doubled") == ["Harvest report"]
    assert headlines("strong") == [] and headlines("href") == []


def test_finds_a_tag_name():
    """A story is found by the name of one of its tags."""
    story = make_story("Markets open higher")
    story.tags.add(Tag.objects.create(name="Commodities"))
    assert headlines("commodities") == ["Markets open higher"]


def test_finds_an_author_name():
    """A story is found by its author's name."""
    story = make_story("Dispatch from the border")
    story.authors.add(make_author("Leila Farahani"))
    assert headlines("Farahani") == ["Dispatch from the border"]


def test_finds_arabic_words_with_or_without_vowel_marks():
    """Arabic words are found, whether the text or the query carries harakat or not."""
    make_story("اجتماع وزراء الخارجية في بغداد", body="<p>كَتَبَ الصحفي تقريرا</p>", language="ar")
    assert headlines("بغداد") == ["اجتماع وزراء الخارجية في بغداد"]
    assert headlines("كتب") == headlines("كَتَبَ") == ["اجتماع وزراء الخارجية في بغداد"]


def test_finds_persian_words():
    """Persian words are found, including one written with a zero-width non-joiner."""
    make_story("نشست خبری وزیر امور خارجه", body="<p>او می\u200cخواهد گفتگو کند</p>", language="fa")
    assert headlines("خارجه") == ["نشست خبری وزیر امور خارجه"]
    assert headlines("می\u200cخواهد") == ["نشست خبری وزیر امور خارجه"]


def test_accents_do_not_matter():
    """A query with or without accents finds the accented word, and the other way round."""
    make_story("Le café de la gare rouvre", language="fr")
    make_story("Naive plan fails")
    assert headlines("cafe") == headlines("CAFÉ") == ["Le café de la gare rouvre"]
    assert headlines("naïve") == ["Naive plan fails"]


def test_exact_phrase_in_quotes():
    """Words in quotes must stand together, in that order."""
    make_story("Prime minister resigns")
    make_story("Minister says prime rates will fall")
    assert headlines('"prime minister"') == ["Prime minister resigns"]


def test_every_word_must_be_present():
    """Several words find the stories that have all of them."""
    make_story("Flood warning for the coast")
    make_story("Flood waters recede inland")
    assert headlines("flood coast") == ["Flood warning for the coast"]


# What must not appear never does


@pytest.mark.parametrize("status", [Story.Status.DRAFT, Story.Status.REVIEW, Story.Status.UNPUBLISHED])
def test_stories_not_published_are_never_found(status):
    """Drafts, stories in review and unpublished stories are not found."""
    make_story("Secret embargoed scoop", status=status)
    assert headlines("embargoed") == []


def test_unpublishing_hides_a_story_at_once():
    """A story unpublished through the workflow is no longer found, with no reindex."""
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    story = make_story("Disputed report withdrawn")
    workflow.unpublish(story, User.objects.get(pk=editor.pk))
    assert headlines("disputed") == []


def test_scheduled_story_is_found_only_from_its_time():
    """A scheduled story is not found before its time and is found after it, with no reindex."""
    with time_machine.travel(NOON, tick=False):
        make_story("Budget speech transcript", ago=timedelta(hours=-2))
        assert headlines("budget") == []
    with time_machine.travel(NOON + timedelta(hours=2, seconds=1), tick=False):
        assert headlines("budget") == ["Budget speech transcript"]


def test_deleted_story_is_never_found():
    """A deleted story leaves the index."""
    story = make_story("Short-lived rumour")
    story_id = story.pk
    story.delete()
    assert headlines("rumour") == []
    assert index_holds(story_id) is False


# Ranking, order, filters


def test_headline_hit_ranks_above_body_only_hit():
    """A story with the word in its headline comes before one that only has it in the body."""
    make_story("Elections postponed again", body="<p>Officials met on Monday about elections.</p>")
    make_story("Officials meet", body="<p>They discussed the " + "long " * 50 + "elections.</p>", ago=timedelta(0))
    assert headlines("elections")[0] == "Elections postponed again"


def test_sort_by_date_puts_the_newest_first():
    """order="date" lists the newest match first, whatever the relevance."""
    make_story("Drought drought drought", ago=timedelta(days=3))
    make_story("A note on the drought", ago=timedelta(days=1))
    assert headlines("drought", order="date") == ["A note on the drought", "Drought drought drought"]


@pytest.mark.parametrize("dense", [0, 10**9])
def test_sort_by_date_is_the_same_whichever_way_the_index_is_read(monkeypatch, dense):
    """Newest first gives the same list whether the stories or the index drive the query."""
    monkeypatch.setattr("dateline.search.backends.sqlite.DENSE", dense)
    for days in (5, 1, 3):
        make_story(f"Heatwave day {days}", ago=timedelta(days=days))
    make_story("Heatwave draft", published=False)
    assert headlines("heatwave", order="date") == ["Heatwave day 1", "Heatwave day 3", "Heatwave day 5"]


@sqlite_only
def test_a_very_common_word_is_ranked_among_its_newest_stories(monkeypatch):
    """Past RANK_WINDOW matches, relevance ranks the newest stories only (older ones drop out)."""
    monkeypatch.setattr("dateline.search.backends.sqlite.RANK_WINDOW", 2)
    make_story("Tariff tariff tariff", body="<p>Tariff.</p>")
    make_story("Tariff news")
    make_story("More tariff news")
    assert sorted(headlines("tariff")) == ["More tariff news", "Tariff news"]


def test_results_stop_at_the_limit(client, monkeypatch):
    """Past MAX_RESULTS matches the count stops, and the page says there are more."""
    monkeypatch.setattr("dateline.search.results.MAX_RESULTS", 3)
    for n in range(5):
        make_story(f"Inflation report {n}")
    results = search("inflation")
    assert results.count() == 3 and results.more and len(results[:10]) == 3
    assert "More than 3 stories match “inflation”." in page(client, q="inflation").content.decode()


def test_filter_by_section_includes_subsections():
    """A section filter keeps stories of that section and its subsections, and no others."""
    world = make_section("World")
    africa = make_section("Africa", parent=world)
    make_story("Storm over Lagos", section=africa)
    make_story("Storm over Paris", section=world)
    make_story("Storm over the league", section=make_section("Sport"))
    assert sorted(headlines("storm", section="world")) == ["Storm over Lagos", "Storm over Paris"]


def test_filter_by_language():
    """A language filter keeps stories in that language (regional variants included)."""
    make_story("Summit opens", language="en")
    make_story("Summit agenda", language="en-GB")
    make_story("Summit ouvert", language="fr")
    assert sorted(headlines("summit", language="en")) == ["Summit agenda", "Summit opens"]


def test_filter_by_date_range_includes_both_days():
    """A date range keeps stories published on its first and last days, and none outside."""
    with time_machine.travel(NOON, tick=False):
        for days in (0, 2, 4, 6):
            make_story(f"Vaccine update {days}", ago=timedelta(days=days))
        since, until = date(2026, 11, 20), date(2026, 11, 22)
        assert sorted(headlines("vaccine", since=since, until=until)) == ["Vaccine update 4", "Vaccine update 6"]


def test_datetime_bounds_filter_as_given():
    """Datetime bounds filter as given: `since` inclusive, `until` exclusive."""
    moment = make_story("Exact moment").published_at
    assert headlines("moment", since=moment, until=moment + timedelta(seconds=1)) == ["Exact moment"]
    assert headlines("moment", until=moment) == []


def test_results_page_through_the_paginator(client, settings):
    """Results come in pages whose links keep the query and filters."""
    settings.STORIES_PER_PAGE = 2
    for n in range(5):
        make_story(f"Wildfire report {n}")
    response = page(client, q="wildfire", sort="date", page=2)
    assert response.context["page"].number == 2 and len(response.context["page"].object_list) == 2
    assert "?q=wildfire&amp;sort=date&amp;page=3" in response.content.decode()


# Snippets


def test_snippet_marks_the_hits():
    """The snippet shows the body's text around the hit, with the hit in <mark>."""
    make_story("Port reopens", body="<p>Ships returned to the harbour after the strike ended.</p>")
    (story,) = search("harbour")[:1]
    assert "<mark>harbour</mark>" in story.snippet


def test_snippet_escapes_hostile_body_text():
    """Markup written as text in a body never becomes markup in the snippet: only our marks are tags."""
    make_story("Hostile", body="<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b onclick=x&gt;payload</p>")
    (story,) = search("payload")[:1]
    assert "<script>" not in story.snippet and "<b " not in story.snippet
    assert "<mark>payload</mark>" in story.snippet


@sqlite_only
def test_snippet_keeps_hostile_text_as_escaped_text():
    """On SQLite the snippet shows such text as the reader wrote it, escaped."""
    make_story("Hostile", body="<p>&lt;script&gt;alert(1)&lt;/script&gt; payload</p>")
    (story,) = search("payload")[:1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>payload</mark>" in story.snippet


def test_snippet_falls_back_to_the_summary():
    """A story found by its headline shows its summary, escaped."""
    make_story("Bridge collapse", summary="Rescuers & divers search the river.", body="<p>Nothing here.</p>")
    (story,) = search("bridge")[:1]
    assert "Rescuers &amp; divers search the river." in story.snippet


# The page


def test_page_shows_results_with_headline_link_dateline_and_snippet(client):
    """The results page links each story's headline and shows its dateline and snippet."""
    story = make_story("Ceasefire holds", body="<p>The ceasefire held overnight.</p>")
    response = page(client, q="ceasefire")
    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="{story.get_absolute_url()}"' in content
    assert "GMT" in content and "<mark>ceasefire</mark> held overnight" in content


def test_page_has_a_labelled_search_field(client):
    """The page's form has a labelled search input, filled with the query."""
    response = page(client, q="budget")
    assert '<label for="id_q">' in response.content.decode()
    assert 'type="search" name="q" value="budget"' in response.content.decode()


def test_page_says_when_nothing_matches(client):
    """A query with no match says so, naming the query."""
    response = page(client, q="zeppelin")
    assert response.status_code == 200
    assert "No stories match “zeppelin”." in response.content.decode()


def test_page_says_when_nothing_was_searchable(client):
    """A query of only punctuation says it had nothing to search for."""
    response = page(client, q='*** "" -')
    assert response.status_code == 200
    assert "has nothing we can search for" in response.content.decode()


def test_page_ignores_invalid_filters(client):
    """An invalid filter is reported next to its field, and the search still runs without it."""
    make_story("Election night")
    response = page(client, q="election", section="nowhere", language="xx", **{"from": "yesterday"}, sort="sideways")
    assert response.status_code == 200
    assert [s.headline for s in response.context["page"]] == ["Election night"]
    assert 'class="error"' in response.content.decode()


HOSTILE = [
    '"unbalanced',
    'two "quotes" and "one',
    "AND OR NOT",
    "cats AND NOT dogs",
    "*",
    "pre*",
    "NEAR(",
    "NEAR(a b, 2)",
    '"',
    '"""',
    "-",
    "-excluded",
    "col:val",
    "headline:secret",
    "{headline body}: x",
    "^start",
    "(((",
    "a" * 10_000,
    "word " * 2_000,
    "nul\x00byte",
    "\x01\x02\x03\x1b[31m",
    "\u200f\u202eright to left\u202c",
    "emoji 🎉🔥 only",
    "🎉",
    "\ufeff\u200b",
    "' OR 1=1 --",
    "%",
    "\\",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_break_the_page(client, query):
    """Odd, hostile and huge queries get a page, never a server error."""
    make_story("Anything at all")
    assert page(client, q=query).status_code == 200


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text())
def test_any_text_gets_a_page(client, query):
    """Whatever text is typed, the search page answers 200."""
    assert page(client, q=query, sort="date").status_code == 200


def test_long_queries_are_cut():
    """A 10 KB query is cut to a bounded number of terms."""
    assert len(parse(" ".join(f"w{n}" for n in range(5000))).terms) <= MAX_TERMS


# The index follows every change


def test_edited_story_is_found_by_new_words_only():
    """After an edit, the new words find the story and the old ones no longer do."""
    story = make_story("Old headline about tariffs")
    story.headline = "New headline about subsidies"
    story.save()
    assert headlines("tariffs") == []
    assert headlines("subsidies") == ["New headline about subsidies"]


def test_edit_through_the_workflow_updates_the_index():
    """An editor's change through workflow.save_story reaches the index in the same transaction."""
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    story = make_story("Quiet day", body="<p>Nothing happened.</p>")
    story.body = "<p>An earthquake shook the capital.</p>"
    workflow.save_story(story, User.objects.get(pk=editor.pk), tags=[Tag.objects.create(name="Seismology")])
    assert headlines("earthquake seismology") == ["Quiet day"]


def test_index_change_rolls_back_with_the_story():
    """The index changes in the story's transaction: when that rolls back, the index keeps the old words."""
    story = make_story("Curfew lifted")
    with pytest.raises(RuntimeError), transaction.atomic():
        story.headline = "Curfew extended"
        story.save()
        assert headlines("extended") == ["Curfew extended"]
        raise RuntimeError("the rest of the change failed")
    assert headlines("extended") == [] and headlines("lifted") == ["Curfew lifted"]


def test_tag_changes_update_the_index():
    """Removing a tag stops it finding the story; renaming one finds the story by the new name."""
    story = make_story("Rates unchanged")
    banking, economy = Tag.objects.create(name="Banking"), Tag.objects.create(name="Economy")
    story.tags.set([banking, economy])
    story.tags.remove(banking)
    economy.name = "Macroeconomics"
    economy.save()
    assert headlines("banking") == [] and headlines("economy") == []
    assert headlines("macroeconomics") == ["Rates unchanged"]


def test_tag_added_from_the_tag_side_updates_the_index():
    """A story added to a tag's stories is found by the tag."""
    story = make_story("Grain deal signed")
    Tag.objects.create(name="Shipping").stories.add(story)
    assert headlines("shipping") == ["Grain deal signed"]


def test_deleted_tag_no_longer_finds_its_stories():
    """When a tag is deleted, its name stops finding the stories it was on."""
    story = make_story("Strike called off")
    tag = Tag.objects.create(name="Unions")
    story.tags.add(tag)
    tag.delete()
    assert headlines("unions") == []


def test_author_changes_update_the_index():
    """Replacing a byline and renaming an author are both reflected."""
    story = make_story("Interview with the mayor")
    first, second = make_author("Nadia Rahimi"), make_author("Omar Khalil")
    story.authors.set([first])
    story.authors.set([second])
    second.name = "Omar Khalili"
    second.save()
    assert headlines("Rahimi") == [] and headlines("Khalil") == []
    assert headlines("Khalili") == ["Interview with the mayor"]


# dateline reindex


def test_reindex_rebuilds_an_emptied_index():
    """After the index is wiped, `dateline reindex` makes every story findable again and reports its count."""
    make_story("Lost and found")
    backend().clear()
    assert headlines("lost") == []
    out = io.StringIO()
    call_command("reindex", stdout=out, stderr=io.StringIO())
    assert headlines("lost") == ["Lost and found"]
    assert "Indexed 1 stories" in out.getvalue()


def test_reindex_prints_progress_by_tenths(monkeypatch):
    """Without a terminal, progress comes as one line per tenth, ending at 100%."""
    monkeypatch.setattr("dateline.search.indexing.BATCH", 2)
    for n in range(20):
        make_story(f"Story {n}")
    err = io.StringIO()
    call_command("reindex", stdout=io.StringIO(), stderr=err)
    lines, total = err.getvalue().splitlines(), Story.objects.count()
    assert lines[0] == f"Indexed 2/{total} (10%)" and lines[-1] == f"Indexed {total}/{total} (100%)"
    assert len(lines) == 10


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_reindex_updates_progress_in_place_on_a_terminal(monkeypatch):
    """On a terminal, progress rewrites one line and ends it at 100%."""
    monkeypatch.setattr("dateline.search.indexing.BATCH", 2)
    for n in range(4):
        make_story(f"Story {n}")
    err = Terminal()
    call_command("reindex", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == "\rIndexed 2/4 (50%)\rIndexed 4/4 (100%)\n"


# PostgreSQL


@postgresql_only
def test_postgresql_finds_and_marks_arabic_words():
    """On PostgreSQL an Arabic word is found and marked in the snippet."""
    make_story("خبر", body="<p>اجتماع وزراء الخارجية في بغداد</p>", language="ar")
    (story,) = search("بغداد")[:1]
    assert "<mark>بغداد</mark>" in story.snippet


def index_holds(story_id):
    """Whether the search index has a row for this story id."""
    table, column = ("search_fts", "rowid") if connection.vendor == "sqlite" else ("search_pgdocument", "story_id")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {column} = %s", [story_id])
        return cursor.fetchone() is not None
