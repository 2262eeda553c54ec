from django.urls import path

from . import home, planning, views, writing

app_name = "newsroom"
urlpatterns = [
    path("", home.home, name="home"),
    path("stories/", home.story_list, name="stories"),
    path("stories/new", writing.write_new, name="write-new"),
    path("stories/<int:news_id>/", writing.write, name="write"),
    path("plan/", planning.calendar, name="calendar"),
    path("plan/<int:pk>/", planning.plan_item, name="plan-item"),
    path("notices", home.notices, name="notices"),
    path("comments", home.comment_queue, name="comments"),
    path("comments/<int:pk>/moderate", home.moderate_comment, name="moderate-comment"),
    path("stories/<int:news_id>/revisions", views.revision_list, name="revisions"),
    path("stories/<int:news_id>/diff", views.revision_diff, name="diff"),
    path("stories/<int:news_id>/revisions/<int:version>/restore", views.restore, name="restore"),
    path("stories/<int:news_id>/preview-link", views.preview_link, name="preview-link"),
    path("preview/<str:token>", views.preview, name="preview"),
]
from . import review  # noqa: E402 (appended, so that parallel additions to this file merge)

urlpatterns += [
    path("stories/<int:news_id>/review", review.review, name="review"),
    path("stories/<int:news_id>/notes", review.add_note, name="add-note"),
    path("stories/<int:news_id>/notes/<int:pk>/resolve", review.resolve_note, name="resolve-note"),
]
