"""Story bodies are HTML; every byte of it passes this allow-list before it is stored.

Allowed: paragraphs, headings, lists, links, emphasis, quotes, figures with images, and embeds (iframes) of
known providers only. Everything else — scripts, styles, event handlers, unknown URL schemes, Word and Google
Docs clutter — is removed, keeping the text.
"""

import re

import nh3
from django.utils.html import escape

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "em", "strong", "b", "i", "u", "s", "blockquote", "q",
    "cite", "figure", "figcaption", "img", "hr", "sub", "sup", "iframe",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "iframe": {"src", "title", "width", "height", "allowfullscreen", "loading"},
}
EMBED_PROVIDERS = re.compile(
    r"https://(www\.youtube-nocookie\.com/embed/|www\.youtube\.com/embed/|player\.vimeo\.com/video/"
    r"|open\.spotify\.com/embed/|www\.dailymotion\.com/embed/video/)[\w\-/?=&.%]+"
)
EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL)
# Google Docs wraps a whole paste in <b id="docs-internal-guid-…"> (not bold at all): unwrap it.
GOOGLE_DOCS_WRAPPER = re.compile(
    r"<b\b[^>]*\bid=\"docs-internal-guid-[^\"]*\"[^>]*>(.*)</b>", re.DOTALL | re.IGNORECASE
)


SAFE_URL = re.compile(r"(https?://|/(?!/)|[\w\-.]+(/|$))[^\s]*", re.IGNORECASE)


def filter_attribute(tag, attribute, value):
    """Iframes only from known embed providers; srcset (which nh3 does not check) only with plain URLs."""
    if tag == "iframe" and attribute == "src":
        return value if EMBED_PROVIDERS.fullmatch(value) else None
    if attribute == "srcset":
        candidates = [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]
        return value if all(SAFE_URL.fullmatch(url) for url in candidates) else None
    return value


def clean_html(html):
    """Keep the allowed markup; drop scripts, styles, event handlers, unsafe URLs and unknown embeds."""
    cleaned = nh3.clean(
        GOOGLE_DOCS_WRAPPER.sub(r"\1", html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=filter_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return EMPTY_IFRAME.sub("", cleaned)


def paragraphs_to_html(paragraphs):
    """Plain-text paragraphs as escaped <p> elements."""
    return "\n".join(f"<p>{escape(text)}</p>" for text in paragraphs)
