"""A WordPress export (WXR 1.0–1.2, Tools → Export in WordPress) as stories, sections, tags, bylines and comments.

Posts become stories, one transaction each with their comments, keyed on the site and the post id so importing
the export again updates them. Statuses: publish → published at wp:post_date_gmt (UTC); future → published at
that (future) time, i.e. scheduled; draft → draft; pending → in review; private → unpublished (kept, not
public); trash → skipped; any other (a plugin's custom status) → draft. Categories become sections (with their
parents; a post's deepest category is its section, its other categories become tags), tags become tags,
wp:author blocks become bylines under their display names, keyed on the login. Pages, attachments, menu items,
reusable blocks and other item types are skipped, which is not an error.

The XML is parsed with entity expansion, DTD loading and network access off; a document that declares entities
is refused before parsing.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import unquote

from django.db import DatabaseError, transaction
from django.utils.text import slugify
from lxml import etree

from dateline.accounts.models import Author
from dateline.articles.models import Section, Story, Tag

from ..comments import WORDPRESS_STATUS, ImportedComment, import_comments
from ..detect import refuse_internal_dtd
from ..report import Refused
from ..stories import (
    ImportedStory,
    headline_from,
    imported,
    plain_text,
    remember,
    save_imported_story,
)
from .feeds import read

WP_NAMESPACE = re.compile(r"https?://wordpress\.org/export/1\.[0-2]/")  # https: WordPress.com's exports
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
STATUS = {
    "publish": Story.Status.PUBLISHED,
    "future": Story.Status.PUBLISHED,
    "draft": Story.Status.DRAFT,
    "pending": Story.Status.REVIEW,
    "private": Story.Status.UNPUBLISHED,
}
DATED_STATUSES = {"publish", "future"}
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
NOT_COMMENTS = {"pingback", "trackback"}
DEFAULT_CATEGORY = "uncategorized"


@dataclass
class Export:
    """What the channel of an export says about the site, and its items."""

    site: str
    language: str
    ns: str
    authors: dict  # login → display name
    categories: dict  # nicename → (name, parent nicename)
    items: list = field(default_factory=list)

    def wp(self, name):
        return f"{{{self.ns}}}{name}"

    def text(self, element, name):
        """The stripped text of a wp: child element ('' when absent)."""
        return (element.findtext(self.wp(name)) or "").strip()


def import_wordpress(location, report, data=None):
    """Import every post of the export at location (`data`, when given, is its bytes); skip other items."""
    try:
        export = parse(read(location) if data is None else data, location)
    except Refused as refusal:
        report.refused.append(refusal.located(location))
        return
    for number, item in enumerate(export.items, start=1):
        import_item(export, item, location, report)
        report.advance(location, number, len(export.items))


def parse(data, location=""):
    """The export's channel data and items, or Refused when the bytes are not a safe, well-formed WXR file."""
    refuse_internal_dtd(data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise Refused(f"is not well-formed XML ({error.msg})", error.lineno or None) from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise Refused("declares its own DTD entities or rules; refused for safety")
    ns = next((uri for uri in root.nsmap.values() if uri and WP_NAMESPACE.fullmatch(uri)), None)
    channel = root.find("channel")
    if root.tag != "rss" or ns is None or channel is None:
        raise Refused("is not a WordPress export (no <rss><channel> with the wp: export namespace)")
    return read_channel(channel, ns, location)


def read_channel(channel, ns, location):
    """The site, language, authors and categories the channel declares, and its items."""
    export = Export(site="", language=channel.findtext("language") or "", ns=ns, authors={}, categories={})
    export.site = (
        export.text(channel, "base_blog_url")
        or export.text(channel, "base_site_url")
        or (channel.findtext("link") or "").strip()
        or str(location)
    )
    for author in channel.iterfind(export.wp("author")):
        login = export.text(author, "author_login")
        export.authors[login] = export.text(author, "author_display_name") or login
    for category in channel.iterfind(export.wp("category")):
        nicename = unquote(export.text(category, "category_nicename"))
        export.categories[nicename] = (
            export.text(category, "cat_name"),
            unquote(export.text(category, "category_parent")),
        )
    export.items = channel.findall("item")
    return export


def import_item(export, item, location, report):
    """One item: a post becomes a story with its comments in one transaction; other types are skipped."""
    post_id, post_type, status = (export.text(item, name) for name in ("post_id", "post_type", "status"))
    title = plain_text(item.findtext("title") or "")
    where = f"{location}: {post_type or 'item'} {post_id}" + (f" ({title})" if title else "")
    if post_type != "post" or status in SKIPPED_STATUSES:
        report.skipped.append(f"{where}: skipped" + (f" ({status})" if post_type == "post" else ""))
        return
    try:
        fields = post_fields(export, item, post_id, status)
        with transaction.atomic():
            story, created = save_imported_story(story_of(export, item, fields))
            import_comments(story, f"wordpress-comment:{export.site}", comments_of(export, item))
    except Refused as refusal:
        report.refused.append(f"{where}: {refusal.message}")
        return
    except DatabaseError as error:
        report.refused.append(f"{where}: cannot be stored ({error})")
        return
    report.saved(created)


def post_fields(export, item, post_id, status):
    """The post's own story fields (no database rows yet), or Refused."""
    if not post_id:
        raise Refused("has no wp:post_id")
    headline = headline_from(item.findtext("title"))
    published_at = utc(export.text(item, "post_date_gmt")) or rfc822(item.findtext("pubDate"))
    if status in DATED_STATUSES and not published_at:
        raise Refused(f"is '{status}' but has no publication date")
    return {
        "source": f"wordpress:{export.site}",
        "key": post_id,
        "headline": headline,
        "body": wordpress_html(item.findtext(CONTENT) or ""),
        "summary": plain_text(item.findtext(f"{{{export.ns}excerpt/}}encoded") or ""),
        "status": STATUS.get(status, Story.Status.DRAFT),
        "published_at": published_at if status in DATED_STATUSES or status == "private" else None,
        "language": export.language,
        "slug": slugify(unquote(export.text(item, "post_name")), allow_unicode=True)[:255].strip("-"),
    }


def story_of(export, item, fields):
    """The story with its section, tags and bylines found or made (inside the post's transaction)."""
    categories, tags = terms(item)
    section, other_categories = choose_section(export, categories)
    return ImportedStory(
        **fields,
        section=section,
        tags=unique([Tag.objects.for_name(plain_text(name), slug) for slug, name in tags + other_categories]),
        authors=[byline(export, login) for login in logins(item)],
    )


def terms(item):
    """The post's categories and tags as (nicename, name) pairs, in the file's order."""
    found = {"category": [], "post_tag": []}
    for term in item.iterfind("category"):
        if term.get("domain") in found and (term.text or "").strip():
            found[term.get("domain")].append((unquote(term.get("nicename") or ""), term.text.strip()))
    return found["category"], found["post_tag"]


def choose_section(export, categories):
    """The deepest of the post's categories as its section; the others, except its ancestors, for tags."""
    categories = [(slug, name) for slug, name in categories if slug != DEFAULT_CATEGORY]
    if not categories:
        return None, []
    chosen = max(categories, key=lambda category: len(ancestors(export, category[0])))
    lineage = {chosen[0], *ancestors(export, chosen[0])}
    return section_of(export, *chosen), [category for category in categories if category[0] not in lineage]


def ancestors(export, nicename):
    """A category's parents' nicenames, nearest first (a loop in the file ends the chain)."""
    chain = []
    parent = export.categories.get(nicename, ("", ""))[1]
    while parent and parent not in chain and parent != nicename and len(chain) < 20:
        chain.append(parent)
        parent = export.categories.get(parent, ("", ""))[1]
    return chain


def section_of(export, nicename, name):
    """The section for a category, its parent sections made first."""
    parent = None
    for ancestor in reversed(ancestors(export, nicename)):
        parent = Section.objects.for_slug(ancestor, plain_text(category_name(export, ancestor)), parent)
    return Section.objects.for_slug(nicename, plain_text(category_name(export, nicename, name)), parent)


def category_name(export, nicename, default=""):
    """The name the channel gives a category; else the item's name for it, else its nicename."""
    return export.categories.get(nicename, ("", ""))[0] or default or nicename


def logins(item):
    login = (item.findtext(CREATOR) or "").strip()
    return [login] if login else []


def byline(export, login):
    """The byline for a WordPress login: the one imported before, else one with its display name."""
    source = f"wordpress-author:{export.site}"
    record = imported(source, login)
    if record and record.author:
        return record.author
    author = Author.objects.for_name(plain_text(export.authors.get(login) or login))
    remember(source, login, author=author)
    return author


def comments_of(export, item):
    """The post's reader comments that Dateline keeps (approved, pending, spam); pingbacks and trash are left."""
    comments = []
    for element in item.iterfind(export.wp("comment")):
        status = WORDPRESS_STATUS.get(export.text(element, "comment_approved"))
        if status and export.text(element, "comment_type") not in NOT_COMMENTS:
            comments.append(
                ImportedComment(
                    key=export.text(element, "comment_id"),
                    name=export.text(element, "comment_author"),
                    email=export.text(element, "comment_author_email"),
                    body=export.text(element, "comment_content"),
                    status=status,
                    created_at=utc(export.text(element, "comment_date_gmt")),
                    ip_address=export.text(element, "comment_author_IP"),
                )
            )
    return [comment for comment in comments if comment.key]


def unique(items):
    return list(dict.fromkeys(items))


def utc(text):
    """A WordPress GMT time ('2024-03-01 08:30:00') as an aware datetime; None for '0000-00-00 …' or nonsense."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def rfc822(text):
    try:
        moment = parsedate_to_datetime((text or "").strip())
    except (TypeError, ValueError, IndexError):
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


# Post content: WordPress stores paragraphs as text separated by blank lines (its wpautop adds the <p>s when
# showing them), block-editor posts carry <!-- wp:… --> comments, and shortcodes sit in square brackets.

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->|<!--(?:more|nextpage)\b.*?-->", re.DOTALL)
CAPTION = re.compile(r"\[caption\b[^\]]*\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
CAPTIONED = re.compile(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", re.DOTALL | re.IGNORECASE)
SHORTCODE = re.compile(r"\[/?(?:gallery|embed|audio|video|playlist)\b[^\]]*\]", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
BLOCK_TAGS = (
    r"p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|figure|figcaption|table|thead|tbody|tr|td|th|pre|hr|iframe"
    r"|section|article|aside|header|footer|address|details|summary|form"
)
STARTS_BLOCK = re.compile(rf"^<(?:{BLOCK_TAGS})\b", re.IGNORECASE)
ENDS_BLOCK = re.compile(rf"</(?:{BLOCK_TAGS})>$", re.IGNORECASE)


def wordpress_html(content):
    """Post content as HTML paragraphs: block comments gone, captions as figures, bare text wrapped in <p>."""
    content = BLOCK_COMMENT.sub("", content.replace("\r\n", "\n").replace("\r", "\n"))
    content = SHORTCODE.sub("", CAPTION.sub(figure, content))
    chunks = [chunk.strip() for chunk in PARAGRAPH_BREAK.split(content) if chunk.strip()]
    return "\n".join(chunk if is_block(chunk) else paragraph(chunk) for chunk in chunks)


def paragraph(chunk):
    """Bare text as a paragraph; its single line breaks stay line breaks."""
    return "<p>" + chunk.replace("\n", "<br>\n") + "</p>"


def is_block(chunk):
    return bool(STARTS_BLOCK.match(chunk) or ENDS_BLOCK.search(chunk))


def figure(match):
    """[caption]<img …> The caption[/caption] as <figure><img …><figcaption>The caption</figcaption></figure>."""
    parts = CAPTIONED.match(match[1])
    if not parts:
        return match[1]
    caption = parts[2].strip()
    return f"<figure>{parts[1]}" + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>"
