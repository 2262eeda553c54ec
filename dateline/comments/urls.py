from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("comments/<int:news_id>", views.post_comment, name="post"),
]
