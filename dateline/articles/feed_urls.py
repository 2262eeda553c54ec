"""The feeds, RSS, Atom and JSON Feed, under the `feeds` namespace (included per edition: /rss.xml, /fa/rss.xml)."""

from django.urls import path

from .feeds import AuthorFeed, CorrectionFeed, SectionFeed, StoryFeed, TagFeed, atom, json_feed

app_name = "feeds"
urlpatterns = [
    path("rss.xml", StoryFeed(), name="rss"),
    path("atom.xml", atom(StoryFeed)(), name="atom"),
    path("feed.json", json_feed(StoryFeed)(), name="json"),
    path("section/<str:slug>/rss.xml", SectionFeed(), name="section-rss"),
    path("section/<str:slug>/atom.xml", atom(SectionFeed)(), name="section-atom"),
    path("section/<str:slug>/feed.json", json_feed(SectionFeed)(), name="section-json"),
    path("tag/<str:slug>/rss.xml", TagFeed(), name="tag-rss"),
    path("tag/<str:slug>/atom.xml", atom(TagFeed)(), name="tag-atom"),
    path("tag/<str:slug>/feed.json", json_feed(TagFeed)(), name="tag-json"),
    path("author/<str:slug>/rss.xml", AuthorFeed(), name="author-rss"),
    path("author/<str:slug>/atom.xml", atom(AuthorFeed)(), name="author-atom"),
    path("author/<str:slug>/feed.json", json_feed(AuthorFeed)(), name="author-json"),
    path("corrections/rss.xml", CorrectionFeed(), name="corrections-rss"),
    path("corrections/atom.xml", atom(CorrectionFeed)(), name="corrections-atom"),
    path("corrections/feed.json", json_feed(CorrectionFeed)(), name="corrections-json"),
]
