"""Embeds by URL: recognised providers, the stored element, the allow-list's check of players, the desk endpoint
and the privacy-first placeholder readers see."""

import json
import re

import pytest
from django.urls import reverse

from dateline.articles import embeds
from dateline.articles.embeds import EmbedError, placeholders, resolve
from dateline.articles.html import clean_html
from dateline.ops import outbound

from .factories import make_member, make_story

PLAYERS = {
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42": (
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    "https://youtu.be/dQw4w9WgXcQ": ("youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    "https://www.youtube.com/shorts/dQw4w9WgXcQ": ("youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    "https://vimeo.com/76979871": ("vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
    "https://x.com/dateline/status/1790000000000000000": (
        "x",
        "https://platform.twitter.com/embed/Tweet.html?id=1790000000000000000",
    ),
    "https://twitter.com/dateline/status/20": ("x", "https://platform.twitter.com/embed/Tweet.html?id=20"),
    "https://www.instagram.com/p/C1a2b3c4d5e/": ("instagram", "https://www.instagram.com/p/C1a2b3c4d5e/embed"),
    "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kgbz6tj4ik2f": (
        "bluesky",
        "https://embed.bsky.app/embed/did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kgbz6tj4ik2f",
    ),
    "https://soundcloud.com/dateline-radio/episode-12": (
        "soundcloud",
        "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fdateline-radio%2Fepisode-12",
    ),
    "https://mastodon.social/@dateline/111222333444": ("mastodon", ""),
    "https://social.example.org/@reporter/42": ("mastodon", ""),
}


@pytest.mark.parametrize("url", sorted(PLAYERS))
def test_shared_url_becomes_its_provider_and_player(url):
    """Each provider's shared URL gives the provider's name and its privacy-friendlier player (none for Mastodon)."""
    embed = resolve(url)
    assert (embed.provider, embed.src) == PLAYERS[url]


@pytest.mark.parametrize("url", sorted(PLAYERS))
def test_stored_embed_survives_the_allow_list(url):
    """The element an embed stores passes the sanitizer unchanged, but for the rel it adds to links."""
    html = resolve(url).to_html()
    assert clean_html(html) == re.sub(r'(<a href="[^"]*")', r'\1 rel="noopener noreferrer"', str(html))
    cleaned = clean_html(html)
    assert f'data-embed="{PLAYERS[url][0]}"' in cleaned
    assert (f'data-src="{PLAYERS[url][1]}"' in cleaned) == bool(PLAYERS[url][1])


def test_bluesky_handle_is_resolved_to_its_did(monkeypatch):
    """A post URL with a handle asks Bluesky's public API (through ops.outbound) for the DID the player needs."""
    calls = []

    def fake_request(method, url, **options):
        calls.append(url)
        return outbound.Response(200, json.dumps({"did": "did:plc:abc123"}).encode())

    monkeypatch.setattr(outbound, "request", fake_request)
    embed = resolve("https://bsky.app/profile/dateline.bsky.social/post/3kgbz6tj4ik2f")
    assert embed.src == "https://embed.bsky.app/embed/did:plc:abc123/app.bsky.feed.post/3kgbz6tj4ik2f"
    assert calls == [f"{embeds.BLUESKY_RESOLVE}?handle=dateline.bsky.social"]


def test_unknown_provider_is_refused_with_a_reason():
    """A URL of no known or allowed provider is refused, naming its host."""
    with pytest.raises(EmbedError, match="example.com"):
        resolve("https://example.com/video/1")


def test_player_of_another_host_is_dropped_by_the_allow_list():
    """data-src keeps only a known provider's player address; anything else is removed, leaving a link card."""
    cleaned = clean_html(
        '<figure class="embed" data-embed="youtube" data-src="https://evil.example/embed/dQw4w9WgXcQ">'
        '<a href="https://youtu.be/dQw4w9WgXcQ">Video</a></figure>'
    )
    assert "data-src" not in cleaned and 'data-embed="youtube"' in cleaned


def test_allowed_oembed_provider_is_asked_through_outbound(settings, monkeypatch):
    """An admin-allowed oEmbed provider gives the title and the player from its oEmbed answer."""
    settings.EMBED_OEMBED_PROVIDERS = {"flickr.com": "https://www.flickr.com/services/oembed/"}
    answer = {"title": "Basra at dawn", "html": '<iframe src="https://embedr.flickr.com/photos/1"></iframe>'}
    calls = []

    def fake_request(method, url, **options):
        calls.append(url)
        return outbound.Response(200, json.dumps(answer).encode())

    monkeypatch.setattr(outbound, "request", fake_request)
    embed = resolve("https://www.flickr.com/photos/dateline/1")
    assert (embed.provider, embed.src, embed.title) == ("oembed", "https://embedr.flickr.com/photos/1", "Basra at dawn")
    assert calls[0].startswith("https://www.flickr.com/services/oembed/?url=https%3A%2F%2Fwww.flickr.com")
    assert 'data-src="https://embedr.flickr.com/photos/1"' in clean_html(embed.to_html())


def test_oembed_player_on_another_domain_is_not_kept(settings, monkeypatch):
    """A player an oEmbed answer names outside the allowed domain is not stored: the embed is a link card."""
    settings.EMBED_OEMBED_PROVIDERS = {"flickr.com": "https://www.flickr.com/services/oembed/"}
    answer = {"title": "T", "html": '<iframe src="https://tracker.example/p"></iframe>'}
    monkeypatch.setattr(outbound, "request", lambda *a, **k: outbound.Response(200, json.dumps(answer).encode()))
    assert resolve("https://www.flickr.com/photos/dateline/1").src == ""


def test_placeholder_asks_nothing_of_the_provider():
    """Readers get the provider's name, a link and a load button; no iframe until they click."""
    html = placeholders(clean_html(resolve("https://youtu.be/dQw4w9WgXcQ").to_html()))
    assert "<iframe" not in html
    assert "Load content from YouTube" in html
    assert 'data-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert '<a href="https://youtu.be/dQw4w9WgXcQ"' in html


def test_mastodon_is_a_link_card():
    """A Mastodon post has no load button: its instance cannot be listed in the frame policy."""
    html = placeholders(clean_html(resolve("https://mastodon.social/@dateline/111").to_html()))
    assert "embed-load" not in html and "Mastodon" in html and 'href="https://mastodon.social/@dateline/111"' in html


def test_older_iframe_bodies_become_placeholders_too():
    """An <iframe> of a known player stored before embeds by URL is shown as a placeholder as well."""
    html = placeholders(clean_html('<iframe src="https://player.vimeo.com/video/1" title="Clip"></iframe>'))
    assert "<iframe" not in html and "Load content from Vimeo" in html


@pytest.mark.django_db
def test_story_page_shows_the_placeholder(client):
    """The public story page carries the placeholder, not the player."""
    story = make_story("Talks resume", body=resolve("https://youtu.be/dQw4w9WgXcQ").to_html())
    response = client.get(story.get_absolute_url(), follow=True)
    assert b"<iframe" not in response.content
    assert "Load content from YouTube" in response.content.decode()


@pytest.mark.django_db
def test_desk_endpoint_resolves_for_staff(client):
    """Staff get the embed's data and markup; an unknown provider gets a 400 with the reason."""
    client.force_login(make_member("Reporter"))
    url = reverse("newsroom:embed-resolve")
    answer = client.get(url, {"url": "https://vimeo.com/76979871"}).json()
    assert answer["provider"] == "vimeo" and answer["label"] == "Vimeo" and 'data-embed="vimeo"' in answer["html"]
    refused = client.get(url, {"url": "https://example.com/x"})
    assert refused.status_code == 400 and "example.com" in refused.json()["error"]


@pytest.mark.django_db
def test_desk_endpoint_refuses_readers(client):
    """Someone not logged in to the newsroom gets 403."""
    assert client.get(reverse("newsroom:embed-resolve"), {"url": "https://vimeo.com/1"}).status_code == 403


def test_player_of_another_provider_is_dropped():
    """A Vimeo player under data-embed="youtube" is not kept: data-src must be the named provider's player."""
    cleaned = clean_html(
        '<figure class="embed" data-embed="youtube" data-src="https://player.vimeo.com/video/1?dnt=1">'
        '<a href="https://youtu.be/dQw4w9WgXcQ">Video</a></figure>'
    )
    assert "data-src" not in cleaned and 'data-embed="youtube"' in cleaned
