from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Comment
from .moderation import moderate


def moderation_action(status, description):
    """A bulk action that sets the chosen comments' status; only for users who may moderate."""

    @admin.action(permissions=["moderate"], description=description)
    def action(modeladmin, request, queryset):
        comments = list(queryset)
        for comment in comments:
            moderate(comment, status)
        count = len(comments)
        modeladmin.message_user(
            request,
            ngettext("%(count)d comment marked %(status)s.", "%(count)d comments marked %(status)s.", count)
            % {"count": count, "status": Comment.Status(status).label.lower()},
            messages.SUCCESS,
        )

    action.__name__ = f"mark_{status}"
    return action


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_body", "story", "status", "created_at", "ip_address"]
    list_filter = ["status", "created_at"]
    search_fields = ["name", "email", "body", "story__headline", "=story__news_id"]
    list_select_related = ["story"]
    readonly_fields = ["story", "created_at", "ip_address"]
    date_hierarchy = "created_at"
    actions = [
        moderation_action(Comment.Status.APPROVED, _("Approve selected comments")),
        moderation_action(Comment.Status.REJECTED, _("Reject selected comments")),
        moderation_action(Comment.Status.SPAM, _("Mark selected comments as spam")),
    ]

    @admin.display(description=_("comment"))
    def short_body(self, comment):
        return comment.body[:80]

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def has_add_permission(self, request):
        return False  # comments come from readers
