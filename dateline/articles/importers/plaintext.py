"""The plain-text story format of the reference page (see demo/fixtures/seed-article.txt):

News ID: 318214
Published: 0350 GMT November 24, 2021
Language: en                       (optional)

Headline                           (a news page repeats it; one is kept)

Body paragraphs, one a line (empty lines between them are ignored).

Security Key: ... Captcha refresh ... Page Generated in 0/3907 sec   (page chrome: dropped)
"""

import codecs
import re
from dataclasses import dataclass
from datetime import datetime

from ..datelines import parse_dateline
from .report import Refused

HEADER = re.compile(r"(News ID|Published|Language):\s*(.*)", re.IGNORECASE)
CHROME = re.compile(r"Security Key:.*|Captcha refresh|Page Generated in .* sec", re.IGNORECASE)
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_HEADLINE = 300
MAX_LANGUAGE = 35


@dataclass
class ParsedStory:
    news_id: int
    published_at: datetime
    language: str | None
    headline: str
    paragraphs: list


def decode(data):
    """UTF-8 text (a byte-order mark is allowed) with Unix line ends."""
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        at = error.start + len(data) - len(body)
        line = unix_line_ends(data[:at]).count(b"\n") + 1
        raise Refused(f"not UTF-8 (invalid byte 0x{data[at]:02x} at offset {at})", line) from None
    return unix_line_ends(text)


def unix_line_ends(text):
    """Windows (CRLF) and old Mac (CR) line ends as LF; works on str and bytes alike."""
    lf, cr = ("\n", "\r") if isinstance(text, str) else (b"\n", b"\r")
    return text.replace(cr + lf, lf).replace(cr, lf)


def parse(data):
    """A ParsedStory from a file's bytes, or Refused naming the line and the problem."""
    lines = [line.strip() for line in CONTROL.sub("", decode(data)).split("\n")]  # CONTROL spares "\n"
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line]
    numbered = drop_chrome(numbered)
    fields, rest = read_header(numbered)
    if "news id" not in fields:
        raise Refused("no 'News ID:' line at the top of the file", numbered[0][0] if numbered else 1)
    if "published" not in fields:
        raise Refused("no 'Published:' line in the header", fields["news id"][0])
    headline_line, headline = read_headline(rest, last_line=numbered[-1][0] if numbered else 1)
    paragraphs = [line for _, line in rest[1:]]
    if paragraphs and paragraphs[0] == headline:
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise Refused("no body paragraphs after the headline", headline_line)
    return ParsedStory(
        news_id=parse_news_id(*fields["news id"]),
        published_at=parse_published(*fields["published"]),
        language=parse_language(*fields["language"]) if "language" in fields else None,
        headline=headline,
        paragraphs=paragraphs,
    )


def drop_chrome(numbered):
    """Drop the page furniture after the story (captcha label, refresh link, generation time)."""
    while numbered and CHROME.fullmatch(numbered[-1][1]):
        numbered = numbered[:-1]
    return numbered


def read_header(numbered):
    fields = {}
    for index, (number, line) in enumerate(numbered):
        match = HEADER.fullmatch(line)
        if not match:
            return fields, numbered[index:]
        key = match[1].lower()
        if key in fields:
            raise Refused(f"a second '{match[1]}:' line", number)
        fields[key] = (number, match[2].strip())
    return fields, []


def read_headline(rest, last_line):
    if not rest:
        raise Refused("no headline after the header", last_line)
    number, headline = rest[0]
    if len(headline) > MAX_HEADLINE:
        raise Refused(f"headline is {len(headline)} characters long; the limit is {MAX_HEADLINE}", number)
    return number, headline


def parse_news_id(number, value):
    if not value.isascii() or not value.isdigit() or int(value) < 1 or int(value) >= 2**63:
        raise Refused(f"News ID must be a positive whole number, not {value!r}", number)
    return int(value)


def parse_published(number, value):
    try:
        return parse_dateline(value)
    except ValueError as error:
        raise Refused(f"date does not parse: {value!r} ({error})", number) from None


def parse_language(number, value):
    if len(value) > MAX_LANGUAGE or not LANGUAGE_TAG.fullmatch(value):
        raise Refused(f"language must be a BCP 47 code such as 'en' or 'fa-IR', not {value!r}", number)
    return value
