"""django.contrib.admin, with accounts.admin_site.NewsroomAdminSite as `admin.site` (kept apart: imports no model)."""

from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    default_site = "dateline.accounts.admin_site.NewsroomAdminSite"
