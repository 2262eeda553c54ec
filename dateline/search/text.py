"""The text the index holds and the reader's query are both normalised here, so they meet."""

import html
import re
import unicodedata

BLOCK_TAG = re.compile(r"</?(?:p|br|h[1-6]|li|ul|ol|blockquote|figure|figcaption|hr|div|iframe|img)\b[^>]*>", re.I)
ANY_TAG = re.compile(r"<[^>]*>")
# Arabic harakat, Quranic marks, superscript alef and tatweel; Hebrew points. Readers rarely type them, and SQLite's
# tokenizer would split words at them (it only folds Latin diacritics), so they go from both sides.
SCRIPT_MARKS = re.compile("[\u0591-\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff]")
# Control characters (NUL included) become spaces: they are never part of a word, and \x02/\x03 mark snippet hits.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SPACES = re.compile(r"\s+")


def normalize(text):
    """NFC text without control characters or Arabic/Hebrew vowel marks, runs of white space made one space."""
    text = unicodedata.normalize("NFC", text)
    text = SCRIPT_MARKS.sub("", text)
    return SPACES.sub(" ", CONTROL.sub(" ", text)).strip()


def html_to_text(markup):
    """The words of a (cleaned) HTML body, blocks kept apart, entities decoded."""
    text = ANY_TAG.sub("", BLOCK_TAG.sub(" ", markup))
    return normalize(html.unescape(text))
