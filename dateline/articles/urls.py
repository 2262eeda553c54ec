from django.urls import path, register_converter

from . import views


class UnicodeSlugConverter:
    """Slugs keep non-Latin letters: /section/خاورمیانه"""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.front_page, name="front"),
    path("news/<int:news_id>", views.story_redirect, name="short"),
    path("news/<int:news_id>/<uslug:slug>", views.story_detail, name="detail"),
    path("section/<uslug:slug>", views.section_page, name="section"),
    path("tag/<uslug:slug>", views.tag_page, name="tag"),
    path("author/<uslug:slug>", views.author_page, name="author"),
    path("corrections", views.corrections_page, name="corrections"),
]
