"""The feed formats: Django's RSS 2.0 and Atom 1.0 with WebSub hub links, and JSON Feed 1.1 (jsonfeed.org)."""

import json

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc3339_date


class RssFeed(Rss201rev2Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for hub in self.feed.get("hubs", ()):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": hub})


class AtomFeed(Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for hub in self.feed.get("hubs", ()):
            handler.addQuickElement("link", "", {"rel": "hub", "href": hub})


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1, from the same fields Django's syndication framework fills for RSS and Atom."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.document(), ensure_ascii=False, indent=1).encode(encoding))

    def document(self):
        feed = self.feed
        document = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "hubs": [{"type": "WebSub", "url": hub} for hub in feed.get("hubs", ())],
            "items": [self.item(item) for item in self.items],
        }
        return {name: value for name, value in document.items() if value not in (None, [])}

    def item(self, item):
        entry = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["description"],
            "summary": item.get("summary"),
            "image": item["enclosures"][0].url if item["enclosures"] else None,
            "date_published": item["pubdate"] and rfc3339_date(item["pubdate"]),
            "date_modified": item["updateddate"] and rfc3339_date(item["updateddate"]),
            "authors": [{"name": name} for name in item.get("author_names", ())],
            "tags": list(item["categories"]),
            "language": item.get("language"),
        }
        return {name: value for name, value in entry.items() if value not in (None, [], "")}
