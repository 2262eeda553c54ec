from django.urls import path
from django.views.i18n import JavaScriptCatalog, set_language

from . import embeds, home, planning, review, setup, uploads, views, writing

app_name = "newsroom"
urlpatterns = [
    path("", home.home, name="home"),
    path("stories/", home.story_list, name="stories"),
    path("stories/new", writing.write_new, name="write-new"),
    path("stories/<int:news_id>/", writing.write, name="write"),
    path("stories/<int:news_id>/autosave", writing.autosave, name="autosave"),
    path("stories/<int:news_id>/live-preview", writing.live_preview, name="live-preview"),
    path("stories/<int:news_id>/corrections", writing.add_correction, name="add-correction"),
    path("stories/<int:news_id>/review", review.review, name="review"),
    path("stories/<int:news_id>/notes", review.add_note, name="add-note"),
    path("stories/<int:news_id>/notes/<int:pk>/resolve", review.resolve_note, name="resolve-note"),
    path("images/upload", uploads.upload_image, name="image-upload"),
    path("embeds/resolve", embeds.resolve_embed, name="embed-resolve"),
    path("suggest/<str:kind>", writing.suggestions, name="suggestions"),
    path("plan/", planning.calendar, name="calendar"),
    path("plan/list", planning.plan_list, name="plan-list"),
    path("plan/new", planning.plan_new, name="plan-new"),
    path("plan/<int:pk>/", planning.plan_item, name="plan-item"),
    path("plan/<int:pk>/draft", planning.plan_draft, name="plan-draft"),
    path("follow-ups/<int:pk>/accept", planning.accept_follow_up, name="follow-up-accept"),
    path("follow-ups/<int:pk>/dismiss", planning.dismiss_follow_up, name="follow-up-dismiss"),
    path("notices", home.notices, name="notices"),
    path("language", set_language, name="language"),
    path("jsi18n", JavaScriptCatalog.as_view(packages=["dateline.newsroom"]), name="jsi18n"),
    path("comments", home.comment_queue, name="comments"),
    path("comments/<int:pk>/moderate", home.moderate_comment, name="moderate-comment"),
    path("stories/<int:news_id>/revisions", views.revision_list, name="revisions"),
    path("stories/<int:news_id>/diff", views.revision_diff, name="diff"),
    path("stories/<int:news_id>/revisions/<int:version>/restore", views.restore, name="restore"),
    path("stories/<int:news_id>/preview-link", views.preview_link, name="preview-link"),
    path("preview/<str:token>", views.preview, name="preview"),
    path("setup/<str:token>", setup.setup, name="setup"),
]
