from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dateline.articles.urls")),
    path("", include("dateline.comments.urls")),
    path("captcha/", include("captcha.urls")),
    path("admin/", admin.site.urls),
]
