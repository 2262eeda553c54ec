"""Embeds by URL: a YouTube, Vimeo, X, Instagram, Bluesky, Mastodon or SoundCloud link (or one of a provider an
admin allows through oEmbed, settings.EMBED_OEMBED_PROVIDERS) becomes a provider-neutral element in the body:

    <figure class="embed" data-embed="youtube" data-src="https://www.youtube-nocookie.com/embed/ID">
      <a href="https://www.youtube.com/watch?v=ID">title or URL</a></figure>

`data-src` is the player's address; without it (Mastodon, whose instances no Content-Security-Policy can list,
or a provider that gave no player) the embed is a link card. Readers see a placeholder and nothing is asked of the
provider until they click (`placeholders`, site.js).
"""

import json
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _

from dateline.ops import outbound


@dataclass(frozen=True)
class Provider:
    label: str
    page: re.Pattern  # the URLs readers share
    frame: re.Pattern | None  # the player's address, as the sanitizer accepts it (None: a link card only)


def pattern(regex):
    return re.compile(regex, re.IGNORECASE)


PROVIDERS = {
    "youtube": Provider(
        "YouTube",
        pattern(
            r"https?://(?:(?:www\.|m\.)?youtube\.com/(?:watch\?(?:[^#]*&)?v=|shorts/|embed/|live/)|youtu\.be/)"
            r"(?P<id>[\w-]{11})\b.*"
        ),
        pattern(r"https://www\.youtube-nocookie\.com/embed/[\w-]{11}"),
    ),
    "vimeo": Provider(
        "Vimeo",
        pattern(r"https?://(?:www\.)?vimeo\.com/(?:video/)?(?P<id>\d+)\b.*"),
        pattern(r"https://player\.vimeo\.com/video/\d+\?dnt=1"),
    ),
    "x": Provider(
        "X",
        pattern(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+/status(?:es)?/(?P<id>\d+)\b.*"),
        pattern(r"https://platform\.twitter\.com/embed/Tweet\.html\?id=\d+"),
    ),
    "instagram": Provider(
        "Instagram",
        pattern(r"https?://(?:www\.)?instagram\.com/(?P<kind>p|reel|tv)/(?P<id>[\w-]+)\b.*"),
        pattern(r"https://www\.instagram\.com/(?:p|reel|tv)/[\w-]+/embed"),
    ),
    "bluesky": Provider(
        "Bluesky",
        pattern(r"https?://bsky\.app/profile/(?P<actor>[\w.:-]+)/post/(?P<id>\w+)\b.*"),
        pattern(r"https://embed\.bsky\.app/embed/did:[a-z]+:[\w.:%-]+/app\.bsky\.feed\.post/\w+"),
    ),
    "soundcloud": Provider(
        "SoundCloud",
        pattern(r"https?://(?:www\.|m\.)?soundcloud\.com/(?P<path>[\w-]+/[\w-]+)/?(?:\?.*)?"),
        pattern(r"https://w\.soundcloud\.com/player/\?url=https%3A%2F%2Fsoundcloud\.com%2F[\w-]+%2F[\w-]+"),
    ),
    # Last: any host's /@user/123 is a Mastodon post.
    "mastodon": Provider("Mastodon", pattern(r"https://(?P<host>[\w.-]+\.[a-z]{2,})/@\w+(?:@[\w.-]+)?/\d+/?"), None),
}
# Players of iframes that bodies carried before embeds by URL (articles.html.EMBED_PROVIDERS), by host.
IFRAME_LABELS = {
    "www.youtube-nocookie.com": "YouTube",
    "www.youtube.com": "YouTube",
    "player.vimeo.com": "Vimeo",
    "open.spotify.com": "Spotify",
    "www.dailymotion.com": "Dailymotion",
}
BLUESKY_RESOLVE = "https://public.api.bsky.app/xrpc/com.atproto.identity.resolveHandle"
IFRAME_SRC = re.compile(r"<iframe\b[^>]*\bsrc=\"(https://[^\"]+)\"", re.IGNORECASE)


class EmbedError(ValueError):
    """A URL that cannot be embedded; the message says why, for the writer."""


@dataclass
class Embed:
    provider: str
    url: str
    src: str = ""
    title: str = ""

    def to_html(self):
        """The element the body stores."""
        src = format_html(' data-src="{}"', self.src) if self.src else ""
        return format_html(
            '<figure class="embed" data-embed="{}"{}><a href="{}">{}</a></figure>',
            self.provider,
            src,
            self.url,
            self.title or self.url,
        )

    def as_dict(self):
        label = PROVIDERS[self.provider].label if self.provider in PROVIDERS else host_of(self.src or self.url)
        return {"provider": self.provider, "label": label, "url": self.url, "src": self.src, "title": self.title}


def resolve(url):
    """The Embed for a shared URL; EmbedError when no known or allowed provider serves it."""
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")):
        raise EmbedError(_("Paste the full address of the post or video, starting with https://."))
    if (endpoint := oembed_endpoint(url)) is not None:
        return from_oembed(url, endpoint)
    for name, provider in PROVIDERS.items():
        if match := provider.page.fullmatch(url):
            return Embed(name, url, player(name, match))
    raise EmbedError(
        _("Dateline cannot embed content from %(host)s. Link to it instead, or ask an administrator to allow it.")
        % {"host": host_of(url)}
    )


def player(name, match):
    """The player's address for a recognised URL ("" for a link card)."""
    if name == "youtube":
        return f"https://www.youtube-nocookie.com/embed/{match['id']}"
    if name == "vimeo":
        return f"https://player.vimeo.com/video/{match['id']}?dnt=1"
    if name == "x":
        return f"https://platform.twitter.com/embed/Tweet.html?id={match['id']}"
    if name == "instagram":
        return f"https://www.instagram.com/{match['kind']}/{match['id']}/embed"
    if name == "soundcloud":
        return "https://w.soundcloud.com/player/?url=" + quote(f"https://soundcloud.com/{match['path']}", safe="")
    if name == "bluesky":
        did = bluesky_did(match["actor"])
        return f"https://embed.bsky.app/embed/{did}/app.bsky.feed.post/{match['id']}" if did else ""
    return ""


def bluesky_did(actor):
    """The DID the player needs: in the URL already, or asked of Bluesky's public API for a handle ("" if not)."""
    if actor.startswith("did:"):
        return actor
    data = fetch_json(f"{BLUESKY_RESOLVE}?{urlencode({'handle': actor})}")
    did = str((data or {}).get("did", ""))
    return did if re.fullmatch(r"did:[a-z]+:[\w.:%-]+", did) else ""


def oembed_providers():
    """{domain: endpoint} from settings.EMBED_OEMBED_PROVIDERS."""
    return getattr(settings, "EMBED_OEMBED_PROVIDERS", {})


def oembed_endpoint(url):
    host = host_of(url)
    for domain, endpoint in oembed_providers().items():
        if in_domain(host, domain):
            return endpoint
    return None


def from_oembed(url, endpoint):
    """Ask an allowed provider's oEmbed endpoint (through ops.outbound) for the title and player."""
    data = fetch_json(f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode({'url': url, 'format': 'json'})}")
    if data is None:
        raise EmbedError(
            _("%(host)s did not describe this address. Check it, or try again later.") % {"host": host_of(url)}
        )
    found = IFRAME_SRC.search(str(data.get("html", "")))
    src = found.group(1).replace("&amp;", "&") if found else ""
    return Embed("oembed", url, src if is_oembed_frame(src) else "", str(data.get("title", ""))[:300])


def fetch_json(url):
    """A JSON object from `url`, or None when the call fails or answers something else."""
    try:
        response = outbound.request("GET", url, headers={"Accept": "application/json"}, timeout=5)
        data = json.loads(response.body) if response.status == 200 else None
    except (outbound.Refused, *outbound.FAILURES):
        return None
    return data if isinstance(data, dict) else None


def is_frame(src):
    """Whether `src` is a player the body may carry: a known provider's, or on an allowed oEmbed domain."""
    return any(p.frame and p.frame.fullmatch(src) for p in PROVIDERS.values()) or is_oembed_frame(src)


def is_oembed_frame(src):
    parts = urlsplit(src)
    return parts.scheme == "https" and any(in_domain(parts.hostname or "", d) for d in oembed_providers())


def in_domain(host, domain):
    return host == domain or host.endswith(f".{domain}")


def host_of(url):
    return (urlsplit(url).hostname or url)[:100]


def label_for(provider, src):
    if provider in PROVIDERS:
        return PROVIDERS[provider].label
    return IFRAME_LABELS.get(host_of(src)) or host_of(src)


def frame_allowed(provider, src):
    """A stored player is loaded only when it is the one its provider uses (the sanitizer checked it is *a* player)."""
    known = PROVIDERS.get(provider)
    if provider == "oembed":
        return is_oembed_frame(src)
    return bool(src and known and known.frame and known.frame.fullmatch(src))


def placeholder(provider, url, src, title):
    """What readers see instead of a player: the provider, a link, and a button that loads it (site.js)."""
    label = label_for(provider, src or url)
    button = ""
    if src:
        button = format_html(
            '<button type="button" class="embed-load" data-src="{}" data-title="{}" hidden>{}</button>'
            '<span class="embed-note" hidden>{}</span>',
            src,
            title or label,
            _("Load content from %(provider)s") % {"provider": label},
            _("Loading it connects to %(provider)s, which may set cookies and see your address.") % {"provider": label},
        )
    return format_html(
        '<figure class="embed embed-placeholder embed-{}" data-embed="{}"><figcaption><span class="embed-provider">{}'
        '</span> <a href="{}" rel="noopener noreferrer">{}</a></figcaption>{}</figure>',
        provider or "iframe",
        provider,
        label,
        url,
        title or url,
        button,
    )


STORED_EMBED = re.compile(r"<figure\s([^>]*\bclass=\"embed\"[^>]*)>\s*<a\s([^>]*)>(.*?)</a>\s*</figure>", re.DOTALL)
STORED_IFRAME = re.compile(r"<iframe\s([^>]*)>\s*</iframe>")
ATTRIBUTE = re.compile(r"([\w-]+)=\"([^\"]*)\"")


def attributes(text):
    return {name: unescape(value) for name, value in ATTRIBUTE.findall(text)}


EMBED_START = re.compile(r"<figure\s[^>]*\bclass=\"embed\"[^>]*>")


def matching_players(html):
    """Clean HTML with each embed's data-src dropped unless it is the player of the provider its data-embed names."""

    def check(match):
        found = attributes(match[0])
        src = found.get("data-src")
        if src is None or frame_allowed(found.get("data-embed", ""), src):
            return match[0]
        return re.sub(r"\sdata-src=\"[^\"]*\"", "", match[0])

    return EMBED_START.sub(check, html)


def placeholders(body):
    """A clean body with each embed (and each older <iframe> of a known player) as a click-to-load placeholder."""

    def embed(match):
        figure, link = attributes(match[1]), attributes(match[2])
        provider, src = figure.get("data-embed", ""), figure.get("data-src", "")
        title = unescape(re.sub(r"<[^>]+>", "", match[3]))
        return placeholder(provider, link.get("href", ""), src if frame_allowed(provider, src) else "", title)

    def iframe(match):
        found = attributes(match[1])
        return placeholder("", found.get("src", ""), found.get("src", ""), found.get("title", ""))

    return STORED_IFRAME.sub(iframe, STORED_EMBED.sub(embed, body))
