"""Which importer a file needs, from its first bytes (and, where those leave a doubt, its extension).

XML whose root is `rss` with the WordPress export namespace is a WordPress export (WXR); other `rss`, `feed`
(Atom) and `rdf:RDF` (RSS 1.0) roots are feeds. JSON whose first object has a `kind` is a Dateline export;
one with `uri` or `headlines` is ninjs. Anything else is the plain-text story format, whose importer says what
is wrong with a file that is not one.
"""

import codecs
import json
import re
from enum import StrEnum
from pathlib import PurePath

from .report import Refused

HEAD_BYTES = 1 << 20
PROLOG = re.compile(r"(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|\s)*<([A-Za-z_][\w.:-]*)", re.DOTALL)
# WordPress writes http://wordpress.org/export/1.2/; WordPress.com (and the Theme Unit Test data) https://…
WORDPRESS_NAMESPACE = re.compile(r"""xmlns:\w+\s*=\s*["']https?://wordpress\.org/export/1\.[0-2]/["']""")
INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
NINJS_KEY = re.compile(r'"(uri|headlines|headline)"\s*:')
FEED_ROOTS = {"rss", "feed", "RDF"}


class Format(StrEnum):
    PLAIN_TEXT = "plain text"
    FEED = "RSS or Atom feed"
    WORDPRESS = "WordPress export"
    NINJS = "ninjs"
    EXPORT = "Dateline export"


def sniff_file(path):
    """The format of the file at path, and its bytes when that read them all (else None), so a story file is read
    once. An unreadable file is left to the plain-text importer to report."""
    try:
        with open(path, "rb") as file:
            head = file.read(HEAD_BYTES)
    except OSError:
        return Format.PLAIN_TEXT, None
    return sniff(head, PurePath(path).suffix), head if len(head) < HEAD_BYTES else None


def sniff(head, suffix=""):
    """The format of a file that starts with these bytes, or Refused for XML or JSON of no kind we import."""
    text = decode_head(head).lstrip()
    if text.startswith("<"):
        return sniff_xml(text)
    if text.startswith(("{", "[")):
        return sniff_json(text, suffix.lower(), complete=len(head) < HEAD_BYTES)
    return Format.PLAIN_TEXT


def decode_head(head):
    """The start of a file as text, for looking at (UTF-16 when it has a UTF-16 byte-order mark)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="replace")
    return head.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")


def sniff_xml(text):
    match = PROLOG.match(text)
    if not match:
        raise Refused("starts like XML but has no root element")
    root = match[1].rpartition(":")[2]
    if root == "rss" and WORDPRESS_NAMESPACE.search(text):
        return Format.WORDPRESS
    if root in FEED_ROOTS:
        return Format.FEED
    if root.lower() == "html":
        raise Refused("is an HTML page, not a feed or a WordPress export")
    raise Refused(f"is XML but neither an RSS or Atom feed nor a WordPress export (its root element is <{match[1]}>)")


def sniff_json(text, suffix, complete):
    """Export or ninjs by the first object's keys; the extension decides only what the keys leave open."""
    first = first_object(text, complete)
    if first is not None:
        if "kind" in first:
            return Format.EXPORT
        if {"uri", "headlines", "headline"} & first.keys():
            return Format.NINJS
    elif NINJS_KEY.search(text):
        return Format.NINJS
    if suffix in (".jsonl", ".ndjson"):
        return Format.EXPORT
    if suffix == ".json":
        return Format.NINJS
    raise Refused("is JSON but neither ninjs nor a Dateline export")


def first_object(text, complete):
    """The first JSON object of a document, an array of objects, or JSON lines; None when it cannot be read."""
    candidates = [text.split("\n", 1)[0]] + ([text] if complete else [])
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        value = value[0] if isinstance(value, list) and value else value
        if isinstance(value, dict):
            return value
    return None


def refuse_internal_dtd(data):
    """Refused when an XML document declares its own DTD rules (entities: the XXE and "billion laughs" attacks).

    Feeds and WordPress exports never need them; a public DOCTYPE without an internal subset is fine.
    """
    first_element = FIRST_ELEMENT.search(data)
    prolog = data[: first_element.start()] if first_element else data
    if INTERNAL_SUBSET.search(prolog):
        raise Refused("declares its own DTD entities or rules (<!DOCTYPE … [ … ]>); refused for safety")
