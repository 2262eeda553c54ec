"""A story's text as an editor reads it: the words of each block of the body, what changed in them, and passages
marked where notes point.

Everything is built from text, never from the stored HTML: each piece is escaped here, and only <ins>, <del> and
<mark> elements of our own are added.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Elements whose text reads as a paragraph of its own.
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "dt", "dd", "td", "th"}
SKIPPED = {"script", "style", "template"}
WORDS = re.compile(r"\s*\S+\s*")


class BlockText(HTMLParser):
    """The text of a body, cut where a block element begins or ends."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.skipping = [[]], 0

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in SKIPPED
        if tag in BLOCKS or tag == "br":
            self.blocks.append([])

    def handle_endtag(self, tag):
        self.skipping -= tag in SKIPPED and self.skipping > 0
        if tag in BLOCKS:
            self.blocks.append([])

    def handle_data(self, data):
        if not self.skipping:
            self.blocks[-1].append(data)


def text_blocks(html):
    """The text of each paragraph (heading, list item…) of a body, its spaces collapsed; empty ones left out."""
    parser = BlockText()
    parser.feed(html or "")
    parser.close()
    return [text for text in (" ".join("".join(block).split()) for block in parser.blocks) if text]


def words(text):
    """`text` in words, each with the spaces after it."""
    return WORDS.findall(text)


def inline_diff(old, new):
    """`new`, escaped, with the words it lost from `old` in <del> and the words it gained in <ins>."""
    a, b = words(old or ""), words(new or "")
    matcher = SequenceMatcher(None, [w.strip() for w in a], [w.strip() for w in b], autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(b[j1:j2])))
            continue
        out.append(marked("del", _("deleted"), "".join(a[i1:i2])))
        out.append(marked("ins", _("inserted"), "".join(b[j1:j2])))
    return mark_safe("".join(out))  # every piece is escaped


def marked(element, said, text):
    """`text` escaped in <ins> or <del>, which says (to screen readers) what it is; its trailing space outside."""
    if not text:
        return ""
    kept = text.rstrip()
    template = f'<{element}><span class="visually-hidden">{{}}: </span>{{}}</{element}>{{}}'
    return format_html(template, said, kept, text[len(kept) :] or " ")


@dataclass
class BlockChange:
    """A paragraph of the body that changed: its place in the newer text (or the older, when it was removed)."""

    number: int
    kind: str  # "changed", "inserted" or "deleted"
    html: SafeString


def body_changes(old_html, new_html):
    """The paragraphs that differ between two bodies, in reading order, each with its words marked."""
    old, new = text_blocks(old_html), text_blocks(new_html)
    changes = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            changes.append(BlockChange(j1 + k + 1, "changed", inline_diff(old[i1 + k], new[j1 + k])))
        for k in range(j1 + paired, j2):
            changes.append(BlockChange(k + 1, "inserted", inline_diff("", new[k])))
        for k in range(i1 + paired, i2):
            changes.append(BlockChange(j2, "deleted", inline_diff(old[k], "")))
    return changes


# Passages


def with_marks(text, notes, placed):
    """`text` escaped, the first occurrence of each note's passage (not yet `placed` elsewhere) in <mark>, followed
    by a link to the note; the notes marked join `placed`."""
    spans = []
    for note in notes:
        passage = " ".join(note.passage.split())
        if note.pk in placed or not passage:
            continue
        start = text.find(passage)
        if start >= 0 and all(start >= end or start + len(passage) <= begin for begin, end, _n in spans):
            spans.append((start, start + len(passage), note))
            placed.add(note.pk)
    out, position = [], 0
    for start, end, note in sorted(spans, key=lambda span: span[0]):
        out.append(escape(text[position:start]))
        out.append(passage_mark(text[start:end], note))
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # every piece is escaped


def passage_mark(passage, note):
    return format_html(
        '<mark id="passage-{}">{}</mark><a class="note-ref" href="#note-{}">{}</a>',
        note.pk,
        passage,
        note.pk,
        _("note %(number)s") % {"number": note.number},
    )
