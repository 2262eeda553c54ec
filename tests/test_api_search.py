"""GET /api/v1/search: the site's search as JSON, paged with a cursor."""

from datetime import timedelta

import pytest

from .factories import make_section, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    sport = make_section("Sport")
    found = [
        make_story(f"Record number {n}", ago=timedelta(hours=n), section=sport, body="<p>The marathon ran late.</p>")
        for n in range(1, 6)
    ]
    make_story("Marathon plans kept secret", published=False)
    make_story("Budget talks", summary="Nothing about running.")
    return found


def test_search_finds_published_stories_with_snippets(client, stories):
    """Each hit has its News ID, headline, canonical URL and a snippet with the hit marked."""
    data = client.get("/api/v1/search", {"q": "marathon"}).json()
    assert {item["news_id"] for item in data["items"]} == {story.news_id for story in stories}
    first = data["items"][0]
    assert first["url"].startswith("http://testserver/news/")
    assert "<mark>marathon</mark>" in first["snippet"]
    assert data["next"] is None


def test_search_never_returns_unpublished_stories(client, stories):
    """A draft that matches is not in the results."""
    headlines = [item["headline"] for item in client.get("/api/v1/search", {"q": "secret"}).json()["items"]]
    assert headlines == []


def test_search_pages_with_a_cursor_without_repeats(client, stories):
    """Walking the pages two at a time gives every hit once."""
    seen, cursor = [], None
    while True:
        params = {"q": "marathon", "limit": 2, "sort": "date", **({"cursor": cursor} if cursor else {})}
        data = client.get("/api/v1/search", params).json()
        seen += [item["news_id"] for item in data["items"]]
        cursor = data["next"]
        if not cursor:
            break
    assert seen == [story.news_id for story in stories]


@pytest.mark.parametrize(
    "params",
    [{"q": '"unbalanced'}, {"q": "NEAR( AND OR *"}, {"q": "x" * 10_000}, {"q": "a", "cursor": "forged"}, {}],
)
def test_bad_search_input_gets_a_clear_answer_not_a_500(client, stories, params):
    """Odd queries get results or a 4xx JSON error, never a server error."""
    response = client.get("/api/v1/search", params)
    assert response.status_code in (200, 400, 422)
    assert isinstance(response.json(), dict)
