"""What a reader types, made safe: words and "exact phrases", never operators, never an error.

Any text at all parses. Quotes pair up into phrases (an odd one out is dropped), everything else splits at white
space, and a piece without a letter or digit in it (`*`, `-`, `(`, emoji) is dropped. Words like AND, NEAR or
`col:val` are searched as the words they are. Long input is cut to MAX_CHARS characters and MAX_TERMS terms.
"""

import re
from dataclasses import dataclass

from .text import normalize

MAX_CHARS = 200
MAX_TERMS = 20
QUOTES = str.maketrans({c: '"' for c in "“”„‟«»＂"})
PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Query:
    """A parsed query: `terms` are words or phrases (words joined by spaces), all of which a story must contain."""

    text: str
    terms: tuple = ()

    def __bool__(self):
        return bool(self.terms)


def parse(text):
    """The Query for what a reader typed; empty (falsy) when nothing in it can be searched for."""
    text = normalize((text or "")[: MAX_CHARS * 4]).translate(QUOTES)[:MAX_CHARS]
    terms = []
    for term in pieces(balance_quotes(text)):
        if searchable(term) and term.casefold() not in {t.casefold() for t in terms}:
            terms.append(term)
    return Query(text=text, terms=tuple(terms[:MAX_TERMS]))


def balance_quotes(text):
    """The text with its last quote removed when the quotes do not pair up."""
    if text.count('"') % 2:
        head, _, tail = text.rpartition('"')
        return head + " " + tail
    return text


def pieces(text):
    """Quoted phrases whole, and the words between them."""
    for index, part in enumerate(PHRASE.split(text)):
        if index % 2:
            yield " ".join(part.split())
        else:
            yield from part.split()


def searchable(term):
    """Whether a term has a letter or digit in it (what the index tokenizes into words)."""
    return any(c.isalnum() for c in term)


def fts5_string(term):
    """A term as an FTS5 string: inside double quotes nothing is an operator, so any text is safe."""
    return '"' + term.replace('"', '""') + '"'
