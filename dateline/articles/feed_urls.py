"""The feeds, RSS and Atom, under the `feeds` namespace (the site includes them per edition: /rss.xml, /fa/rss.xml)."""

from django.urls import path

from .feeds import AuthorFeed, SectionFeed, StoryFeed, TagFeed, atom

app_name = "feeds"
urlpatterns = [
    path("rss.xml", StoryFeed(), name="rss"),
    path("atom.xml", atom(StoryFeed)(), name="atom"),
    path("section/<str:slug>/rss.xml", SectionFeed(), name="section-rss"),
    path("section/<str:slug>/atom.xml", atom(SectionFeed)(), name="section-atom"),
    path("tag/<str:slug>/rss.xml", TagFeed(), name="tag-rss"),
    path("tag/<str:slug>/atom.xml", atom(TagFeed)(), name="tag-atom"),
    path("author/<str:slug>/rss.xml", AuthorFeed(), name="author-rss"),
    path("author/<str:slug>/atom.xml", atom(AuthorFeed)(), name="author-atom"),
]
