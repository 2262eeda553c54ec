from django.apps import AppConfig
from django.apps import apps as global_apps
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """The editorial side: workflow in the admin, revisions, audit log, preview links, roles."""

    default = True  # of the two configurations here, the one `dateline.newsroom` in INSTALLED_APPS means
    name = "dateline.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import receivers  # noqa: F401  (connects to the articles app's signals)

        post_migrate.connect(resync_roles, sender=self)


def resync_roles(sender, apps=global_apps, **kwargs):
    """After every migrate (and flush, which sends no `apps`): the roles hold exactly their permissions,
    Admin every one (new apps' too)."""
    from .roles import sync_roles

    sync_roles(apps)


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with admin_site.NewsroomAdminSite as `admin.site` (installed in its place)."""

    default = False
    default_site = "dateline.newsroom.admin_site.NewsroomAdminSite"
