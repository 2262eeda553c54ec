"""Story bodies are HTML; every byte of it passes this allow-list before it is stored.

Allowed: paragraphs, headings, lists, links, emphasis, quotes and pull quotes (<blockquote class="pullquote">),
figures with images (<figure data-image="ID">, a caption with <span class="credit">), embeds by URL
(<figure class="embed" data-embed="…" data-src="…">, articles.embeds) and the iframes of known players that older
bodies carry. Everything else — scripts, styles, event handlers, unknown URL schemes, other classes — is removed,
keeping the text; Word and Google Docs clutter is first turned into structure by articles.paste. docs/writing.md
describes the markup.
"""

import math
import re
from html import unescape

import nh3
from django.utils.html import escape

from .embeds import PROVIDERS, is_frame, matching_players
from .paste import clean_pasted

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "em", "strong", "b", "i", "u", "s", "blockquote", "q",
    "cite", "figure", "figcaption", "img", "hr", "sub", "sup", "iframe", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "blockquote": {"cite", "class"},
    "figure": {"class", "data-image", "data-embed", "data-src"},
    "span": {"class"},
    "q": {"cite"},
    "iframe": {"src", "title", "width", "height", "allowfullscreen", "loading"},
}
EMBED_PROVIDERS = re.compile(
    r"https://(www\.youtube-nocookie\.com/embed/|www\.youtube\.com/embed/|player\.vimeo\.com/video/"
    r"|open\.spotify\.com/embed/|www\.dailymotion\.com/embed/video/)[\w\-/?=&.%]+"
)
EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL)
EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
BLANK_LINES = re.compile(r"\n\s*\n")
TRAILING_BREAKS = re.compile(r"(?:<br>\s*)+$")  # Chrome ends a copied selection with one
# The only classes a body carries, by element.
CLASSES = {"blockquote": {"pullquote"}, "figure": {"embed"}, "span": {"credit"}}


SAFE_URL = re.compile(r"(https?://|/(?!/)|[\w\-.]+(/|$))[^\s]*", re.IGNORECASE)


def filter_attribute(tag, attribute, value):
    """Iframes only from known embed providers; srcset (which nh3 does not check) only with plain URLs."""
    if tag == "iframe" and attribute == "src":
        return value if EMBED_PROVIDERS.fullmatch(value) else None
    if attribute == "class":
        return value if value in CLASSES.get(tag, ()) else None
    if attribute == "data-image":
        return value if value.isascii() and value.isdigit() else None
    if attribute == "data-embed":
        return value if value in PROVIDERS or value == "oembed" else None
    if attribute == "data-src":
        return value if is_frame(value) else None
    if attribute == "srcset":
        candidates = [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]
        return value if all(SAFE_URL.fullmatch(url) for url in candidates) else None
    return value


def clean_html(html):
    """Keep the allowed markup; drop scripts, styles, event handlers, unsafe URLs and unknown embeds."""
    cleaned = nh3.clean(
        clean_pasted(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=filter_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    cleaned = matching_players(EMPTY_PARAGRAPH.sub("", EMPTY_IFRAME.sub("", cleaned)))
    return TRAILING_BREAKS.sub("", BLANK_LINES.sub("\n", cleaned).strip())


def paragraphs_to_html(paragraphs):
    """Plain-text paragraphs as escaped <p> elements."""
    return "\n".join(f"<p>{escape(text)}</p>" for text in paragraphs)


WORDS_PER_MINUTE = 230
TAG = re.compile(r"<[^>]+>")
IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ALT = re.compile(r"\salt=\"([^\"]*)\"", re.IGNORECASE)


def body_text(html):
    """The words of a body, tags dropped (a tag boundary separates words, as a block does on the page)."""
    return unescape(TAG.sub(" ", html))


def word_count(html):
    """Words split by whitespace, so Arabic and Persian count as the reader sees them (body-editor.js does the same)."""
    return len(body_text(html).split())


def reading_time(html):
    """Whole minutes to read the body at WORDS_PER_MINUTE, at least one."""
    return max(1, math.ceil(word_count(html) / WORDS_PER_MINUTE))


def images_without_alt(html):
    """How many images in the body have no alternative text."""
    return sum(1 for tag in IMAGE.findall(html) if not (m := ALT.search(tag)) or not unescape(m[1]).strip())
