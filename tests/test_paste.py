"""Clipboard HTML from Word, Google Docs and web pages is stored as the body's own structure (articles.paste)."""

from pathlib import Path

import pytest

from dateline.articles.html import clean_html, reading_time, word_count

CLIPBOARD = Path(__file__).parent / "fixtures" / "clipboard"
# What each fixture becomes; tests/test_body_editor.py expects the same after a paste into the editor.
EXPECTED = {
    "word365.html": [
        "<h2>Water-sharing talks resume</h2>",
        "<b>Thursday</b>",
        "<i>officials said</i>",
        "<ul><li>Quotas for the dry season",
        "</li><li>A joint monitoring body",
        "<ol><li>Sign the draft",
        "</li><li>Meet again in March",
        "<blockquote><p><i>“We are closer than ever,” the envoy said.</i></p></blockquote>",
    ],
    "google-docs.html": [
        "<h2>Talks resume in Basra</h2>",
        "<p>Negotiators met on <strong>Thursday</strong>, <em>officials said</em>. Read the "
        '<a href="https://example.org/report" rel="noopener noreferrer">report</a>.</p>',
        "<ul><li><p>Quotas for the dry season</p></li><li><p>A joint monitoring body</p></li></ul>",
    ],
    "web-page-chrome.html": [
        "<h3>Talks resume in Basra</h3>",
        "<p>Negotiators met on <strong>Thursday</strong>, <em>officials said</em>. "
        '<a href="https://example.org/report" rel="noopener noreferrer">Read the report</a>.</p>',
        "<blockquote><p>“We are closer than ever.”</p></blockquote>",
        "<ul><li>Quotas for the dry season</li><li>A joint monitoring body</li></ul>",
    ],
}
CLUTTER = ["style=", "class=", "mso", "<o:p", "<span", "<div", "<script", "ads.push", "<!--", "·", "docs-internal"]


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_clipboard_html_keeps_its_structure(fixture):
    """Headings, bold and italic, links, lists and quotes of a paste survive as the body's elements."""
    cleaned = clean_html((CLIPBOARD / fixture).read_text())
    for fragment in EXPECTED[fixture]:
        assert fragment in cleaned


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_clipboard_clutter_is_gone(fixture):
    """Styles, classes, Word's list markers and conditional comments, and the page's scripts leave nothing."""
    cleaned = clean_html((CLIPBOARD / fixture).read_text())
    for marker in CLUTTER:
        assert marker not in cleaned, (marker, cleaned)


def test_word_nested_list_paragraphs_become_nested_lists():
    """A Word list paragraph at level 2 opens a list inside the item above it."""
    item = "<p class=MsoListParagraphCxSpMiddle style='mso-list:l0 level{} lfo1'><![if !supportLists]>"
    marker = "<span style='mso-list:Ignore'>·<span>&nbsp; </span></span><![endif]>{}</p>"
    html = "".join((item + marker).format(level, text) for level, text in [(1, "a"), (2, "b"), (1, "c")])
    assert clean_html(html) == "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"


def test_google_docs_heading_in_normal_weight_is_not_bold():
    """A span at weight 400 adds nothing; one at 700 is <strong>, one in italic <em>."""
    html = '<span style="font-weight:400">plain</span> <span style="font-weight:700;font-style:italic">both</span>'
    assert clean_html(f"<p>{html}</p>") == "<p>plain <strong><em>both</em></strong></p>"


def test_credit_span_and_pull_quote_are_kept_other_classes_dropped():
    """Only the body's own classes survive: a figure's credit and a pull quote."""
    html = (
        '<blockquote class="pullquote"><p>Said</p></blockquote><blockquote class="big"><p>Not</p></blockquote>'
        '<figure data-image="7"><img src="/media/a.jpg" alt="A"><figcaption>Cap <span class="credit">AP</span>'
        '</figcaption></figure><p><span class="highlight">x</span></p>'
    )
    assert clean_html(html) == (
        '<blockquote class="pullquote"><p>Said</p></blockquote><blockquote><p>Not</p></blockquote>'
        '<figure data-image="7"><img src="/media/a.jpg" alt="A"><figcaption>Cap <span class="credit">AP</span>'
        "</figcaption></figure><p>x</p>"
    )


def test_words_and_reading_time():
    """Words are split by whitespace, Persian as English; reading time rounds up to whole minutes."""
    assert word_count("<p>مذاکرات آب در بصره</p><p>از سر گرفته شد</p>") == 8
    assert word_count("<h2>One</h2><p>two <strong>three</strong></p>") == 3
    assert reading_time("<p>word</p>") == 1
    assert reading_time("<p>" + "word " * 231 + "</p>") == 2
