"""The audit log and the revisions in the admin: to read and filter, never to add, change or delete; and the user
admin, which names the acting admin in the audit entries of the role changes it saves.

Imported by newsroom/admin.py; an append-only trail is only worth something if nobody edits it after the fact.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Revision
from .receivers import changes_by
from .revisions import field_label


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages for those with the view permission; no adding, changing or deleting for anyone."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "user", "subject", "news_id"]
    list_filter = ["action", ("user", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["user"]
    search_fields = ["subject", "=news_id", "user__username"]
    date_hierarchy = "created_at"


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["story", "version", "user", "created_at", "changed_fields", "compare"]
    list_filter = [("user", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["story", "user"]
    search_fields = ["=story__news_id", "story__headline"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        # The list never shows the stored copy of the story (loaded on demand on the detail page).
        return super().get_queryset(request).defer("data")

    @admin.display(description=_("changed"))
    def changed_fields(self, revision):
        return ", ".join(str(field_label(name)) for name in revision.changed)

    @admin.display(description=_("compare"))
    def compare(self, revision):
        if revision.version <= 1:
            return ""
        url = reverse("newsroom:diff", args=[revision.story.news_id])
        return format_html('<a href="{}?b={}">{}</a>', url, revision.version, _("Changes"))


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    """Django's user admin; a change of groups or permissions saved here is audited with who made it."""

    def save_related(self, request, form, formsets, change):
        with changes_by(request.user, form.instance):
            super().save_related(request, form, formsets, change)
