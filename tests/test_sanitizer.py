"""Editor HTML passes an allow-list: structure survives, anything active is removed."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.articles.html import clean_html

HOSTILE = [
    "<script>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    '<img src="x" onerror="alert(1)">',
    '<IMG SRC="x" ONERROR="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example/"><input name="p"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<style>body{display:none}</style><p style="background:url(javascript:alert(1))">p</p>',
    '<p onclick="alert(1)" onmouseover="alert(2)">p</p>',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<math><maction actiontype="statusline">x</maction></math>',
    '<img src="x" srcset="javascript:alert(1) 1x">',
    '<a href="vbscript:msgbox(1)">x</a>',
]
ACTIVE = [
    "<script",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "javascript:",
    "vbscript:",
    "data:text",
    "<iframe",
    "<object",
    "<embed",
    "<form",
    "<input",
    "<meta",
    "<style",
    "style=",
    "<base",
    "<link",
    "srcdoc",
    "<svg",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markup_comes_out_inert(payload):
    """Scripts, handlers, dangerous URLs and foreign embeds never survive cleaning."""
    cleaned = clean_html(payload).lower()
    for marker in ACTIVE:
        assert marker not in cleaned, (payload, cleaned)


def test_editorial_structure_survives():
    """Paragraphs, headings, lists, links, emphasis, quotes and figures are kept."""
    html = (
        '<h2>Sub</h2><p>A <strong>bold</strong> and <em>quiet</em> <a href="https://example.org/">link</a>.</p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>Quote</p></blockquote>"
        '<figure><img src="/media/a.jpg" alt="A harbour" width="640" height="480"><figcaption>Cap</figcaption></figure>'
    )
    cleaned = clean_html(html)
    for fragment in [
        "<h2>Sub</h2>",
        "<strong>bold</strong>",
        "<em>quiet</em>",
        "<li>one</li>",
        "<li>two</li>",
        "<blockquote><p>Quote</p></blockquote>",
        'alt="A harbour"',
        "<figcaption>Cap</figcaption>",
    ]:
        assert fragment in cleaned
    assert '<a href="https://example.org/" rel="noopener noreferrer">link</a>' in cleaned


def test_known_embed_is_kept_and_unknown_removed():
    """A YouTube (no-cookie) embed stays; an iframe from anywhere else is dropped whole."""
    cleaned = clean_html(
        '<iframe src="https://www.youtube-nocookie.com/embed/abc123" title="Video" onload="x()"></iframe>'
        '<iframe src="https://www.youtube-nocookie.com.evil.example/embed/abc"></iframe>'
    )
    assert cleaned == '<iframe src="https://www.youtube-nocookie.com/embed/abc123" title="Video"></iframe>'


def test_word_paste_comes_out_clean():
    """Word's classes, styles, conditional comments and <o:p> tags are removed; the text stays."""
    word = (
        '<meta name=Generator content="Microsoft Word 15"><style>p.MsoNormal{margin:0}</style>'
        "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
        '<p class=MsoNormal style="mso-margin-top-alt:auto"><span lang=EN-GB style="font-size:12.0pt">'
        "Minister <b>resigns</b><o:p></o:p></span></p>"
    )
    assert clean_html(word) == "<p>Minister <b>resigns</b></p>"


def test_google_docs_paste_comes_out_clean():
    """Google Docs' wrapping <b id="docs-internal-guid…"> and inline styles are removed; a bold span is <strong>."""
    gdocs = (
        '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b3c">'
        '<p dir="ltr" style="line-height:1.38;margin-top:0pt"><span style="font-size:11pt;font-weight:700">'
        "Talks resume</span></p></b>"
    )
    assert clean_html(gdocs) == "<p><strong>Talks resume</strong></p>"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_cleaning_is_idempotent_and_never_fails(text):
    """Any input cleans without error, and cleaning clean HTML changes nothing."""
    once = clean_html(text)
    assert clean_html(once) == once
