"""The page cache in front of Django, through the real WSGI application (dateline.wsgi), as `dateline serve` runs it."""

import io
import re
from datetime import UTC, datetime, timedelta
from time import perf_counter
from wsgiref.util import setup_testing_defaults

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.conf import settings as settings_module
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import LocalePrefixPattern, URLResolver

from dateline import pagecache, urls
from dateline.articles import readcount, timing, workflow
from dateline.articles.models import StoryViews, Tag
from dateline.comments.models import Comment
from dateline.pagecache.middleware import PageCache
from dateline.wsgi import application, django_application
from tests.factories import make_author, make_comment, make_section, make_story

pytestmark = pytest.mark.django_db(transaction=True)  # changes are noted when their transaction commits
FIGURE = re.compile(rb"Page Generated in ([0-9.]+) sec")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


@pytest.fixture(autouse=True)
def cache_in(tmp_path, settings):
    """A page cache of its own for each test."""
    settings.PAGE_CACHE, settings.VAR_DIR = True, tmp_path
    pagecache.store.cache_clear()
    yield
    pagecache.store.cache_clear()


class Response:
    def __init__(self, status, headers, body):
        assert all(type(header) is tuple for header in headers)  # as WSGI servers (granian) insist
        self.status, self.headers, self.body = int(status.split()[0]), dict(headers), body

    @property
    def cache(self):
        return self.headers.get("X-Cache")


def call(path, method="GET", query="", body=b"", **environ):
    """One request through dateline.wsgi.application, as the server would make it."""
    env = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, **environ}
    env["wsgi.input"], env["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
    setup_testing_defaults(env)
    started = {}
    chunks = application(env, lambda status, headers, exc_info=None: started.update(status=status, headers=headers))
    return Response(started["status"], started["headers"], b"".join(chunks))


def get(path, **environ):
    return call(path, **environ)


@pytest.fixture
def story():
    return make_story("Rivers rise in the north", body="<p>The water came up overnight.</p>")


def test_second_request_is_a_hit_with_its_own_footer_figure(story):
    """The first view renders and stores the page; the second is a hit whose footer figure is written when sent."""
    first, second = get(story.get_absolute_url()), get(story.get_absolute_url())
    assert (first.cache, second.cache) == ("miss", "hit")
    assert b"Rivers rise in the north" in second.body
    assert float(FIGURE.search(second.body)[1]) < float(FIGURE.search(first.body)[1])
    assert second.headers["Server-Timing"].startswith("app;dur=")
    assert b"<!--dateline:generated-in" not in second.body


def test_cacheable_pages_say_so_to_caches_in_front(story):
    """Cached pages carry a weak ETag and a Cache-Control a CDN can keep for the bound."""
    response = get(story.get_absolute_url())
    assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=60, stale-while-revalidate=30"
    assert response.headers["ETag"].startswith('W/"')
    assert response.headers["Content-Length"] == str(len(response.body))


def test_a_kept_page_names_its_keys_for_an_edge_cache(story):
    """Surrogate-Key and xkey list the keys the page depends on, the same on the miss and on the hit."""
    miss, hit = get(story.get_absolute_url()), get(story.get_absolute_url())
    keys = miss.headers["Surrogate-Key"].split()
    assert f"story:{story.pk}" in keys and "sections" in keys
    assert hit.headers["Surrogate-Key"] == miss.headers["Surrogate-Key"] == miss.headers["xkey"]


def test_a_page_not_kept_names_no_keys(story):
    response = get(story.get_absolute_url(), HTTP_COOKIE="sessionid=abc")
    assert "Surrogate-Key" not in response.headers and "xkey" not in response.headers


def test_if_none_match_gets_304(story):
    """A browser or CDN holding the current copy is told so without a body."""
    etag = get(story.get_absolute_url()).headers["ETag"]
    response = get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status == 304
    assert response.body == b""


def test_a_correction_shows_on_the_corrections_page_and_its_feed_at_once(story):
    """/corrections and its feed are kept, and a new correction refreshes them and the story's pages, no others."""
    from dateline.articles.models import Correction

    elsewhere = make_story("Elsewhere", section=make_section("Sport")).section.get_absolute_url()
    for path in ("/corrections", "/corrections/rss.xml", elsewhere, story.get_absolute_url()):
        get(path)
    Correction.objects.create(story=story, kind="clarification", text="The river is the Tigris.")
    assert b"The river is the Tigris." in get("/corrections").body
    assert b"The river is the Tigris." in get("/corrections/rss.xml").body
    assert b"The river is the Tigris." in get(story.get_absolute_url()).body
    assert get(elsewhere).cache == "hit"


def test_editing_a_story_shows_on_the_next_request(story):
    """An edit saved through the workflow is on the story page at the very next request."""
    editor = User.objects.create_superuser("editor", password="x")
    get(story.get_absolute_url())
    story.body = "<p>The water has gone down.</p>"
    workflow.save_story(story, editor, based_on=story.version)
    response = get(story.get_absolute_url())
    assert b"The water has gone down." in response.body
    assert get(story.get_absolute_url()).cache == "hit"


def test_editing_a_headline_shows_on_the_front_page(story):
    """A story's headline changes on the lists that show it."""
    get("/")
    story.headline = "Rivers fall in the north"
    story.save()
    assert b"Rivers fall in the north" in get("/").body


def test_publishing_a_story_shows_it_on_the_front_page(story):
    """A draft published is on the front page at the next request."""
    draft = make_story("Bridge reopens", published=False)
    assert b"Bridge reopens" not in get("/").body
    workflow.publish(draft, User.objects.create_superuser("editor", password="x"))
    assert b"Bridge reopens" in get("/").body


def test_unpublishing_a_story_takes_it_off_its_page_and_the_front(story):
    """An unpublished story's page is gone and the front page no longer lists it."""
    get("/"), get(story.get_absolute_url())
    workflow.unpublish(story, User.objects.create_superuser("editor", password="x"))
    assert get(story.get_absolute_url()).status == 404
    assert b"Rivers rise in the north" not in get("/").body


def test_approving_a_comment_shows_it(story):
    """A comment approved (as the API does, one save) is on the story page at the next request."""
    comment = make_comment(story, body="Stay safe, everyone.", status=Comment.Status.PENDING)
    assert b"Stay safe, everyone." not in get(story.get_absolute_url()).body
    comment.status = Comment.Status.APPROVED
    comment.save(update_fields=["status"])
    assert b"Stay safe, everyone." in get(story.get_absolute_url()).body


def test_approving_comments_in_the_admin_shows_them(story):
    """The admin's bulk approval (one UPDATE for all) makes the story page current too."""
    make_comment(story, body="Approved in bulk.", status=Comment.Status.PENDING)
    moderator = User.objects.create_superuser("moderator", password="x")
    get(story.get_absolute_url())
    client = Client()
    client.force_login(moderator)
    pending = Comment.objects.values_list("pk", flat=True)
    client.post("/admin/comments/comment/", {"action": "mark_approved", "_selected_action": list(pending)})
    assert b"Approved in bulk." in get(story.get_absolute_url()).body


def test_renaming_a_section_shows_everywhere(story):
    """A section's new name is on its stories' pages (and in the navigation)."""
    section = make_section("Weather")
    story.section = section
    story.save()
    get(story.get_absolute_url())
    section.name = "Climate"
    section.save()
    assert b"Climate" in get(story.get_absolute_url()).body


def test_renaming_a_tag_shows_on_its_stories(story):
    """A tag's new name is on the pages that list it."""
    tag = Tag.objects.create(name="Floods")
    story.tags.add(tag)
    assert b"Floods" in get(story.get_absolute_url()).body
    tag.name = "Flooding"
    tag.save()
    assert b"Flooding" in get(story.get_absolute_url()).body


def test_renaming_an_author_shows_in_the_byline(story):
    """An author's new name is in the bylines of cached pages."""
    author = make_author("Amira Haddad")
    story.authors.add(author)
    assert b"Amira Haddad" in get(story.get_absolute_url()).body
    author.name = "Amira H. Haddad"
    author.save()
    assert b"Amira H. Haddad" in get(story.get_absolute_url()).body


def test_publishing_refreshes_the_pages_that_list_the_story_and_no_others():
    """A story published in one section is on that section's page, its stories' related box and the front page at
    the next request; a story page and a section page elsewhere stay cached."""
    weather, sport = make_section("Weather"), make_section("Sport")
    rain, final = make_story("Rain all week", section=weather), make_story("Cup final tonight", section=sport)
    pages = [
        rain.get_absolute_url(),
        weather.get_absolute_url(),
        "/",
        final.get_absolute_url(),
        sport.get_absolute_url(),
    ]
    for page in pages:
        get(page)
    draft = make_story("Snow by Friday", section=weather, published=False)
    workflow.publish(draft, User.objects.create_superuser("editor", password="x"))
    for page in pages[:3]:
        assert b"Snow by Friday" in get(page).body, page
    assert [get(page).cache for page in pages[3:]] == ["hit", "hit"]


def test_a_story_in_a_subsection_shows_on_the_parent_section_page():
    news = make_section("News")
    local = make_section("Local", parent=news)
    get(news.get_absolute_url())
    make_story("Council votes on the new bridge", section=local)
    assert b"Council votes on the new bridge" in get(news.get_absolute_url()).body


@pytest.mark.parametrize("undo", ["remove", "clear"])
def test_tagging_and_untagging_a_story_shows_on_the_tag_page(story, undo):
    """Tagged, the story joins the tag's page and the related box of the tag's stories; untagged, it leaves."""
    floods, sport = Tag.objects.create(name="Floods"), Tag.objects.create(name="Sport")
    neighbour = make_story("Dams hold for now")
    neighbour.tags.add(floods)
    pages = [floods.get_absolute_url(), neighbour.get_absolute_url()]
    untouched = make_story("Cup final tonight")
    untouched.tags.add(sport)
    for page in [*pages, sport.get_absolute_url(), untouched.get_absolute_url()]:
        get(page)
    story.tags.add(floods)
    assert all(b"Rivers rise in the north" in get(page).body for page in pages)
    assert [get(sport.get_absolute_url()).cache, get(untouched.get_absolute_url()).cache] == ["hit", "hit"]
    story.tags.remove(floods) if undo == "remove" else story.tags.clear()
    assert not any(b"Rivers rise in the north" in get(page).body for page in pages)


def test_tagging_from_the_tag_side_shows_on_the_tag_page(story):
    floods = Tag.objects.create(name="Floods")
    get(floods.get_absolute_url())
    floods.stories.add(story)
    assert b"Rivers rise in the north" in get(floods.get_absolute_url()).body


def test_a_byline_added_shows_the_story_on_the_author_page(story):
    author = make_author("Sara Karimi")
    get(author.get_absolute_url())
    story.authors.add(author)
    assert b"Rivers rise in the north" in get(author.get_absolute_url()).body


def test_deleting_a_story_shifts_the_second_page_of_its_tag(story, settings):
    """Pages that did not show the story still change when it leaves the list."""
    settings.STORIES_PER_PAGE = 1
    floods = Tag.objects.create(name="Floods")
    for headline, days in (("Dams hold for now", 2), ("Rain warning issued", 3)):
        make_story(headline, ago=timedelta(days=days)).tags.add(floods)
    story.tags.add(floods)
    second_page = {"QUERY_STRING": "page=2"}
    assert b"Dams hold for now" in get(floods.get_absolute_url(), **second_page).body
    story.delete()
    assert b"Rain warning issued" in get(floods.get_absolute_url(), **second_page).body


def test_publishing_a_translation_links_it_from_the_original(story):
    get(story.get_absolute_url())
    persian = make_story("رودخانه‌ها در شمال بالا آمدند", language="fa", published=False, translation_of=story)
    workflow.publish(persian, User.objects.create_superuser("editor", password="x"))
    assert persian.get_absolute_url().encode() in get(story.get_absolute_url()).body


def test_a_scheduled_story_appears_on_the_cached_front_page_at_its_time(story):
    """A page cached before a scheduled story's time does not hide it after."""
    if settings_module.REDIS_URL:
        pytest.skip("the Redis store judges staleness by the Redis server's clock, which time_machine cannot move")
    with time_machine.travel(datetime(2026, 11, 26, 12, 0, tzinfo=UTC)) as clock:
        make_story("Polls open", ago=timedelta(minutes=-10))
        assert b"Polls open" not in get("/").body
        assert get("/").cache == "hit"
        clock.shift(timedelta(minutes=11))
        assert b"Polls open" in get("/").body


def test_pages_go_stale_after_the_bound(story, settings):
    """PAGE_CACHE_SECONDS is the safety net: past it a page is rendered again."""
    settings.PAGE_CACHE_SECONDS = 0
    get(story.get_absolute_url())
    assert get(story.get_absolute_url()).cache == "miss"


def test_logged_in_readers_bypass_the_cache(story):
    """A request with a session cookie goes through Django and is never stored."""
    get(story.get_absolute_url())
    response = get(story.get_absolute_url(), HTTP_COOKIE="sessionid=abc")
    assert response.cache is None
    assert b"Page Generated in" in response.body


def test_posts_and_queries_bypass_the_cache(story):
    """POSTs, searches and other query strings are not cached."""
    assert call(f"/comments/{story.news_id}", method="POST").cache is None
    get("/search", query="q=rivers")
    assert get("/search", query="q=rivers").cache is None
    get("/", query="utm=x")
    assert get("/", query="utm=x").cache is None


def test_a_prefix_in_the_bypass_setting_is_left_to_django(story, settings):
    """A page under a prefix added to PAGE_CACHE_BYPASS (read when the page cache is built) is rendered by Django
    every time, never stored."""
    settings.PAGE_CACHE_BYPASS = {**settings.PAGE_CACHE_BYPASS, "news": "allow"}
    cache = PageCache(django_application, stamp=timing.stamp, count_read=readcount.reads.count, expires_at=lambda: 0)
    for _ in range(2):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": story.get_absolute_url(), "dateline.started": perf_counter()}
        setup_testing_defaults(environ)
        started = {}
        body = b"".join(cache(environ, lambda status, headers, exc_info=None, sent=started: sent.update(h=headers)))
        assert b"Rivers rise in the north" in body
        assert "X-Cache" not in dict(started["h"])


def test_every_mount_beside_the_reader_pages_is_bypassed():
    """What the root URLconf mounts beside the reader pages (the API, the newsroom, the admin, media…) is in
    PAGE_CACHE_BYPASS, robots.txt aside."""
    mounted, patterns = set(), list(urls.urlpatterns)
    while patterns:
        pattern = patterns.pop()
        if isinstance(pattern, URLResolver) and not str(pattern.pattern):
            patterns += [] if isinstance(pattern.pattern, LocalePrefixPattern) else pattern.url_patterns
        else:
            mounted.add(str(pattern.pattern).removeprefix("^").split("/")[0])
    assert mounted - {"robots.txt"} <= set(settings_module.PAGE_CACHE_BYPASS)


def test_page_cache_off_serves_everything_from_django(story, settings):
    """PAGE_CACHE=0: no page is stored."""
    settings.PAGE_CACHE = False
    get(story.get_absolute_url())
    response = get(story.get_absolute_url())
    assert response.cache is None
    assert b'name="csrfmiddlewaretoken"' in response.body


def test_cached_story_page_has_the_form_without_per_reader_parts(story):
    """The cached form shows its Security Key label and refresh link, but no key or token of anyone's."""
    body = get(story.get_absolute_url()).body
    assert b"Security Key" in body and b'class="captcha-refresh"' in body
    assert b"csrfmiddlewaretoken" not in body
    assert b'data-parts="/comments/form-parts"' in body


def test_crawling_cached_pages_creates_no_captcha_rows(story):
    """A crawler reading story pages, hits and misses alike, stores no security keys."""
    before = CaptchaStore.objects.count()
    for _ in range(20):
        get(story.get_absolute_url(), HTTP_USER_AGENT="Googlebot/2.1")
    assert CaptchaStore.objects.count() == before


def test_form_parts_give_a_reader_their_own_key_and_token(story, client):
    """The endpoint site.js calls returns a token (and its cookie), a new key and a signed stamp; never cached."""
    response = client.get("/comments/form-parts")
    parts = response.json()
    assert CaptchaStore.objects.filter(hashkey=parts["captcha"]["key"]).exists()
    assert parts["csrf_token"] and parts["issued"] and "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"]


def test_readers_without_javascript_get_a_form_with_their_text_kept(story, client):
    """The cached form sends to an uncached step that shows a key and a token, keeping what the reader typed."""
    response = client.post(f"/comments/{story.news_id}/write", {"name": "Dana", "body": "My words stay."})
    html = response.content.decode()
    assert "My words stay." in html and 'name="csrfmiddlewaretoken"' in html
    assert re.search(r'name="captcha_0" value="[0-9a-f]+"', html)
    assert "Type the security key to send your comment." in html
    assert "no-store" in response["Cache-Control"]


def test_hits_count_reads(story):
    """A reader's view of a cached story page counts for "most read"; a crawler's or a browser's prefetch does not."""
    readcount.reads.FLUSH_SECONDS = 0
    try:
        get(story.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
        get(story.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
        get(story.get_absolute_url(), HTTP_USER_AGENT="Googlebot/2.1")
        get(story.get_absolute_url(), HTTP_USER_AGENT=BROWSER, HTTP_SEC_PURPOSE="prefetch;prerender")
        get(story.get_absolute_url(), HTTP_USER_AGENT=BROWSER, HTTP_PURPOSE="prefetch")
    finally:
        readcount.reads.FLUSH_SECONDS = readcount.Reads.FLUSH_SECONDS
    assert StoryViews.objects.get(story=story).count == 2


def test_first_request_of_a_story_page_counts_a_read(story):
    """The request that renders a story page for the cache counts like the hits after it."""
    readcount.reads.FLUSH_SECONDS = 0
    try:
        assert get(story.get_absolute_url(), HTTP_USER_AGENT=BROWSER).cache == "miss"
        get(story.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    finally:
        readcount.reads.FLUSH_SECONDS = readcount.Reads.FLUSH_SECONDS
    assert StoryViews.objects.get(story=story).count == 2


def read(story, times=3):
    StoryViews.objects.create(story=story, day=readcount.today(), count=times)


def test_most_read_box_is_made_once_for_all_story_pages(story):
    """Story pages rendered for the cache share one "Most read" box: the second page does not rank reads again."""
    popular = make_story("Crowds at the harbour")
    read(popular)
    first, second = make_story("Ferry resumes"), make_story("Port reopens")
    assert b"Crowds at the harbour" in get(first.get_absolute_url()).body
    with CaptureQueriesContext(connection) as queries:
        body = get(second.get_absolute_url()).body
    assert b"Crowds at the harbour" in body
    assert not [q for q in queries.captured_queries if "articles_storyviews" in q["sql"]]


@pytest.mark.parametrize("change", ["unpublish", "rename"])
def test_a_change_to_a_most_read_story_refreshes_every_page_showing_the_box(story, change):
    """The shared box depends on the stories it lists: unpublishing or renaming one makes the pages showing it
    current at the next request, though those pages are about other stories."""
    popular = make_story("Crowds at the harbour")
    read(popular)
    get(story.get_absolute_url())
    if change == "unpublish":
        workflow.unpublish(popular, User.objects.create_superuser("editor", password="x"))
    else:
        popular.headline = "Crowds leave the harbour"
        popular.save()
    body = get(story.get_absolute_url()).body
    assert b"Crowds at the harbour" not in body
    assert (b"Crowds leave the harbour" in body) is (change == "rename")


def test_most_read_box_follows_the_reads_within_the_bound(story, settings):
    """The box ranks reads as they were when it was made: past PAGE_CACHE_SECONDS it is made again, and so are the
    pages showing it."""
    settings.PAGE_CACHE_SECONDS = 0
    get(story.get_absolute_url())
    read(make_story("Crowds at the harbour"))
    assert b"Crowds at the harbour" in get(story.get_absolute_url()).body


def test_a_new_section_shows_in_the_navigation_of_cached_pages(story):
    """The header is a part shared by many pages; a section added is in it at the next request."""
    assert b"Science" not in get("/").body
    make_section("Science")
    assert b"Science" in get("/").body
    assert b"Science" in get(story.get_absolute_url()).body


def test_search_pages_share_the_header_and_stay_current(story):
    """A search page is never stored, but takes the header the cached pages share, current like theirs."""
    get("/")
    with CaptureQueriesContext(connection) as queries:
        assert b"Rivers rise in the north" in get("/search", query="q=rivers").body
    navigation = '"articles_section"."parent_id" IS NULL'
    assert not [q for q in queries.captured_queries if navigation in q["sql"]]
    make_section("Science")
    assert b"Science" in get("/search", query="q=rivers").body


def test_the_navigation_marks_the_section_being_read(story):
    """Pages share the header per section: each section's page marks its own entry as the current one."""
    weather, sport = make_section("Weather"), make_section("Sport")
    for section in (weather, sport, weather):
        body = get(section.get_absolute_url()).body.decode()
        assert f'href="{section.get_absolute_url()}" aria-current="page"' in body
        assert body.count('aria-current="page"') == 1


def test_feeds_are_cached_and_made_current(story):
    """The RSS feed is served from the cache and lists a newly published story at once."""
    get("/rss.xml")
    assert get("/rss.xml").cache == "hit"
    make_story("Harbour closes")
    assert b"Harbour closes" in get("/rss.xml").body


def test_clear_forgets_every_stored_page(story):
    """`dateline serve` clears the cache at start: a new release's templates are never hidden by old pages."""
    from dateline import pagecache

    get(story.get_absolute_url())
    assert get(story.get_absolute_url()).cache == "hit"
    pagecache.clear()
    assert get(story.get_absolute_url()).cache == "miss"
