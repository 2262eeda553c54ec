"""Story bodies are HTML; every byte of it passes this allow-list before it is stored."""

import nh3
from django.utils.html import escape

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "em", "strong", "b", "i", "blockquote", "q", "cite",
    "figure", "figcaption", "img", "hr", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
}


def clean_html(html):
    """Keep the allowed markup; drop scripts, styles, event handlers and unsafe URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def paragraphs_to_html(paragraphs):
    """Plain-text paragraphs as escaped <p> elements."""
    return "\n".join(f"<p>{escape(text)}</p>" for text in paragraphs)
