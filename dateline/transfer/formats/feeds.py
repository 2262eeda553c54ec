"""RSS 2.0, RSS 1.0 and Atom 1.0 feeds as stories, from a file or a URL.

Each entry becomes a published story keyed on the feed and the entry's id (or link), so importing the feed again
updates the stories it made. An entry without a title or a date is refused with the reason; the others still
import, each in its own transaction. feedparser reads the feed (it copes with the feeds found in the wild and
never expands entities); it is given bytes only, never a name it could open or fetch by itself.
"""

import http.client
import io
import re
import urllib.request
from datetime import UTC, datetime
from urllib.error import HTTPError, URLError

import feedparser
from django.db import DatabaseError, transaction

from dateline.accounts.models import Author
from dateline.articles.html import paragraphs_to_html
from dateline.articles.models import Story

from ..detect import refuse_internal_dtd
from ..report import Refused
from ..stories import ImportedStory, headline_from, plain_text, save_imported_story, tags_named

URL = re.compile(r"https?://", re.IGNORECASE)
MAX_FETCH_BYTES = 20 * 1024 * 1024
FETCH_TIMEOUT = 30  # seconds, for connecting and for each read
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def is_url(location):
    return bool(URL.match(str(location)))


def fetch(url):
    """The bytes at an http(s) URL, or Refused saying why not (status, network error, too large)."""
    request = urllib.request.Request(url, headers={"User-Agent": "Dateline importer"})
    try:
        with web_opener().open(request, timeout=FETCH_TIMEOUT) as response:
            data = response.read(MAX_FETCH_BYTES + 1)
    except HTTPError as error:
        raise Refused(f"cannot be fetched (HTTP {error.code} {error.reason})") from None
    except URLError as error:
        raise Refused(f"cannot be fetched ({error.reason})") from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise Refused(f"cannot be fetched ({error or type(error).__name__})") from None
    if len(data) > MAX_FETCH_BYTES:
        raise Refused(f"is larger than {MAX_FETCH_BYTES // 1024 // 1024} MB")
    return data


def web_opener():
    """An opener for http and https only: a redirect to file:// or ftp:// is an error, not a read."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler,
        urllib.request.HTTPSHandler,
        urllib.request.HTTPRedirectHandler,
        urllib.request.HTTPDefaultErrorHandler,
        urllib.request.HTTPErrorProcessor,
    ):
        opener.add_handler(handler())
    return opener


def read(location):
    """The bytes of a file or URL, or Refused."""
    if is_url(location):
        return fetch(str(location))
    try:
        with open(location, "rb") as file:
            return file.read()
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror})") from None


def import_feed(location, report, data=None):
    """Import every entry of the feed at location (a path or URL; `data`, when given, is its bytes)."""
    try:
        feed = parse(read(location) if data is None else data, location)
    except Refused as refusal:
        report.refused.append(refusal.located(location))
        return
    source = "feed:" + (feed.feed.get("id") or feed.feed.get("link") or str(location))
    language = feed.feed.get("language", "")
    for number, entry in enumerate(feed.entries, start=1):
        import_entry(entry, source, language, report, where=f"{location}: entry {number}")
        report.advance(location, number, len(feed.entries))


def parse(data, location=""):
    """feedparser's reading of a feed, or Refused when the bytes are not one."""
    refuse_internal_dtd(data)
    base = {"content-location": str(location)} if is_url(location) else None
    try:
        feed = feedparser.parse(io.BytesIO(data), response_headers=base)
    except Exception as error:  # feedparser's loose parser can fail on hostile input; that is a refusal too
        raise Refused(f"is not a readable RSS or Atom feed ({type(error).__name__})") from None
    if not feed.get("version"):
        problem = feed.get("bozo_exception") or "no RSS or Atom elements"
        raise Refused(f"is not a readable RSS or Atom feed ({problem})")
    return feed


def import_entry(entry, source, language, report, where):
    """One entry as a story in its own transaction; a refusal names the entry and its reason."""
    label = entry.get("id") or entry.get("link") or plain_text(entry.get("title", ""))[:80]
    where = f"{where} ({label})" if label else where
    try:
        fields = entry_fields(entry, language)
        with transaction.atomic():
            _, created = save_imported_story(
                ImportedStory(
                    source=source,
                    tags=tags_named(tag.get("label") or tag.get("term") or "" for tag in entry.get("tags") or []),
                    authors=[Author.objects.for_name(name) for name in author_names(entry)],
                    **fields,
                )
            )
    except Refused as refusal:
        report.refused.append(f"{where}: {refusal.message}")
        return
    except DatabaseError as error:
        report.refused.append(f"{where}: cannot be stored ({error})")
        return
    report.saved(created)


def entry_fields(entry, language):
    """An entry's story fields, or Refused when it lacks a key, a title or a date."""
    key = entry.get("id") or entry.get("link")
    if not key:
        raise Refused("has neither an id nor a link")
    headline = headline_from(entry.get("title"))
    # dict.get: feedparser's own get() answers updated_parsed with published_parsed (and a warning)
    updated = moment(dict.get(entry, "updated_parsed"))
    published = moment(dict.get(entry, "published_parsed")) or updated
    if not published:
        raise Refused("has no publication date")
    body, summary = body_and_summary(entry)
    return {
        "key": key,
        "headline": headline,
        "body": body,
        "summary": summary,
        "status": Story.Status.PUBLISHED,
        "published_at": published,
        "revised_at": updated if updated and updated > published else None,
        "language": entry_language(entry) or language,
    }


def body_and_summary(entry):
    """The entry's full content as the body and its summary as text; a summary alone becomes the body."""
    contents = [content for content in entry.get("content") or [] if content.get("value")]
    summary = entry.get("summary_detail") or {}
    if contents:
        return as_html(contents[0]), plain_text(summary.get("value", ""))
    if summary.get("value"):
        return as_html(summary), ""
    return "", ""


def as_html(detail):
    """HTML for a feed text construct; plain text becomes paragraphs (Story.save cleans the HTML)."""
    value = detail.get("value", "")
    if detail.get("type") == "text/plain":
        return paragraphs_to_html(p.strip() for p in PARAGRAPH_BREAK.split(value) if p.strip())
    return value


def entry_language(entry):
    contents = entry.get("content") or [{}]
    return contents[0].get("language") or (entry.get("title_detail") or {}).get("language") or ""


def author_names(entry):
    """The entry's author names, each once (Atom may list several; RSS has one author or dc:creator)."""
    names = [author.get("name", "") for author in entry.get("authors") or []] or [entry.get("author", "")]
    return list(dict.fromkeys(name for name in (plain_text(n) for n in names) if name))


def moment(parsed):
    """An aware UTC datetime from feedparser's parsed time, or None."""
    try:
        return datetime(*parsed[:6], tzinfo=UTC) if parsed else None
    except (TypeError, ValueError):
        return None
