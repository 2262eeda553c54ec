from django.urls import path

from .v1.api import api

app_name = "api"
urlpatterns = [
    path("v1/", api.urls),
]
