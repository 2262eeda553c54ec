from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("comments/form-parts", views.form_parts, name="form-parts"),
    path("comments/<int:news_id>", views.post_comment, name="post"),
    path("comments/<int:news_id>/write", views.write_comment, name="write"),
]
