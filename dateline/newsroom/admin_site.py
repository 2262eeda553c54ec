"""The admin site (`admin.site`, see apps.NewsroomAdminConfig): the staff login of accounts.login (second factor,
limits) and an index that is the newsroom's dashboard."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dateline.accounts.login import StaffLoginForm, failures_wait, refusal, second_factor_done
from dateline.articles.models import Story
from dateline.articles.permissions import editable_stories
from dateline.comments.models import Comment

DASHBOARD_LENGTH = 10


class NewsroomAdminSite(admin.AdminSite):
    login_form = StaffLoginForm
    login_template = "accounts/admin_login.html"
    index_template = "newsroom/dashboard.html"

    @property
    def site_header(self):
        return _("%(site)s newsroom") % {"site": settings.SITE_NAME}

    @property
    def site_title(self):
        return settings.SITE_NAME

    def has_permission(self, request):
        """Active staff; those with a two-factor device only once they have used it in this session."""
        return super().has_permission(request) and second_factor_done(request.user)

    def login(self, request, extra_context=None):
        """Refused while an address is waiting out its failures; with nowhere else asked for, it leads to the desk."""
        if request.method == "POST" and (seconds := failures_wait(request)):
            return refusal(request, seconds)
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            extra_context = {REDIRECT_FIELD_NAME: reverse("newsroom:home"), **(extra_context or {})}
        return super().login(request, extra_context)

    def index(self, request, extra_context=None):
        return super().index(request, {**dashboard(request.user), **(extra_context or {})})


def dashboard(user):
    """What waits for this user: scheduled stories (next first), stories in review, comments to moderate."""
    context = {}
    if user.has_perm("articles.change_story"):
        stories = editable_stories(user).order_by()
        context["scheduled"] = stories.scheduled().order_by("published_at")[:DASHBOARD_LENGTH]
        context["in_review"] = stories.filter(status=Story.Status.REVIEW).order_by("-updated_at")[:DASHBOARD_LENGTH]
    if user.has_perm("comments.moderate_comment"):
        pending = Comment.objects.filter(status=Comment.Status.PENDING)
        context["pending_comments"] = pending.select_related("story").order_by("-created_at")[:DASHBOARD_LENGTH]
        context["pending_count"] = pending.count()
        context["pending_url"] = reverse("admin:comments_comment_changelist") + "?status__exact=pending"
    return context
