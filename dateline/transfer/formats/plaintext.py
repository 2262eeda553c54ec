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
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.text import Truncator

from dateline.articles.datelines import parse_dateline
from dateline.articles.html import paragraphs_to_html
from dateline.articles.models import Story

from ..report import Refused
from ..stories import LANGUAGE_TAG, MAX_HEADLINE, MAX_LANGUAGE, announce, story_numbered

HEADER = re.compile(r"(News ID|Published|Language):\s*(.*)", re.IGNORECASE)
CHROME = re.compile(r"Security Key:.*|Captcha refresh|Page Generated in .* sec", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SUMMARY_CHARS = 300


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


# Writing


def import_file(path, report, data=None):
    """Import one file in its own transaction; a refusal is recorded in the report, never half-written. `data`: the
    file's bytes, when the caller has read them already."""
    try:
        data = path.read_bytes() if data is None else data
    except OSError as error:
        report.refused.append(f"{path}: cannot be read ({error.strerror})")
        return
    try:
        parsed = parse(data)
        with transaction.atomic():
            created = save_plaintext_story(parsed)
    except Refused as refusal:
        report.refused.append(refusal.located(path))
        return
    report.saved(created)


def save_plaintext_story(parsed):
    """Create or update the story with this News ID. True when it is new."""
    story = story_numbered(parsed.news_id) or Story(news_id=parsed.news_id)
    created = story.pk is None
    fill_plaintext_story(story, parsed)
    story.save()
    announce(story, created)
    return created


def fill_plaintext_story(story, parsed):
    """Give a story the content of a parsed file. A new story is published; an update keeps the editors' decision
    (an unpublished story stays unpublished)."""
    story.headline = parsed.headline
    story.body = paragraphs_to_html(parsed.paragraphs)
    story.summary = summary_of(parsed.paragraphs[0])
    story.language = parsed.language or settings.LANGUAGE_CODE
    story.published_at = parsed.published_at
    if story.pk is None:
        story.status = Story.Status.PUBLISHED


def summary_of(paragraph):
    """The paragraph cut to SUMMARY_CHARS characters, as Truncator.chars cuts it; a paragraph that fits (most do) is
    only NFC-normalised, as Truncator would return it, without its walk over every character."""
    text = unicodedata.normalize("NFC", paragraph)
    return text if len(text) <= SUMMARY_CHARS else Truncator(text).chars(SUMMARY_CHARS)
