from django.urls import path

from . import views

app_name = "newsroom"
urlpatterns = [
    path("stories/<int:news_id>/revisions", views.revision_list, name="revisions"),
    path("stories/<int:news_id>/diff", views.revision_diff, name="diff"),
    path("stories/<int:news_id>/revisions/<int:version>/restore", views.restore, name="restore"),
    path("stories/<int:news_id>/preview-link", views.preview_link, name="preview-link"),
    path("preview/<str:token>", views.preview, name="preview"),
]
