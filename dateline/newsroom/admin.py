"""The editors' admin: stories through the workflow, with the role rules, optimistic locking, autosave and a dashboard.

Every change a form or an action makes goes through articles.workflow, so the admin and the API keep the same
rules (articles.permissions) and leave the same trail (revisions, audit log).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dateline.articles import workflow
from dateline.articles.models import Correction, LiveEntry, Story
from dateline.articles.permissions import OWN_EDITABLE, can_delete, can_edit, can_publish, editable_stories

from . import admin_audit  # noqa: F401  (registers the audit log and revisions)
from .forms import BodyEditorWidget, StoryAdminForm, autosave_refusal
from .states import in_state, state_choices

AUTOSAVE_SECONDS = 30


class ActionRefused(Exception):
    """A bulk action cannot apply to one of the chosen stories; nothing is changed."""


class StatusFilter(admin.SimpleListFilter):
    """Status as editors think of it: a published story whose time has not come is "scheduled"."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return state_choices()

    def queryset(self, request, queryset):
        return in_state(queryset, self.value())


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]


class LiveEntryInline(admin.StackedInline):
    model = LiveEntry
    extra = 0
    fields = ["body", "is_pinned", "created_at"]
    formfield_overrides = {models.TextField: {"widget": BodyEditorWidget}}


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    form = StoryAdminForm
    change_form_template = "newsroom/story_change_form.html"
    list_display = ["news_id", "headline", "section", "status_label", "published_at", "byline", "updated_at"]
    list_display_links = ["news_id", "headline"]
    list_filter = [StatusFilter, "section", "authors", "language", "story_type", "published_at"]
    search_fields = ["headline", "summary", "=news_id"]
    date_hierarchy = "published_at"
    ordering = ["-updated_at"]
    list_select_related = ["section"]
    autocomplete_fields = ["tags", "authors", "lead_image", "translation_of"]
    readonly_fields = ["news_id", "revised_at", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "summary", "body"]}),
        (
            _("Classification"),
            {
                "fields": [
                    *["section", "tags", "authors", "reporting_credit", "story_type", "location", "language"],
                    "translation_of",
                ]
            },
        ),
        (_("Lead image"), {"fields": ["lead_image", "lead_image_caption", "lead_image_credit"]}),
        (_("Publication"), {"fields": ["status", "published_at", "revised_at", "based_on"]}),
        (_("Record"), {"fields": ["news_id", "created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    actions = ["submit_for_review", "publish_now", "unpublish"]

    class Media:
        css = {"all": ["newsroom/admin.css"]}

    # Who may do what: the rules of articles.permissions.

    def get_queryset(self, request):
        return editable_stories(request.user).select_related("section").prefetch_related("authors")

    def has_view_permission(self, request, obj=None):
        # Stories are for those who write them: a moderator, who may only view, sees comments alone.
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("articles.change_story")
        return can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("articles.delete_story")
        return can_delete(request.user, obj)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "published_at"]

    def get_inlines(self, request, obj):
        if obj is not None and obj.story_type == Story.Type.LIVE:
            return [CorrectionInline, LiveEntryInline]
        return [CorrectionInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_changeform_initial_data(self, request):
        """A new story carries its writer's byline, when they have one."""
        initial = super().get_changeform_initial_data(request)
        author = getattr(request.user, "author", None)
        if author is not None:
            initial.setdefault("authors", [author.pk])
        return initial

    # Saving through the workflow.

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related saves the story with its tags and authors, so one revision holds all of it."""

    def save_related(self, request, form, formsets, change):
        form.save_for(request.user)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_deleted_objects(self, objs, request):
        """What goes with a story (its revisions, corrections, comments) is part of it: can_delete decides alone."""
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        workflow.delete_story(obj, request.user)

    def delete_queryset(self, request, queryset):
        for story in queryset:
            workflow.delete_story(story, request.user)

    def view_on_site(self, story):
        return story.get_absolute_url() if is_public(story) else None

    # The list.

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, story):
        state = "scheduled" if story.is_scheduled else story.status
        label = _("Scheduled") if story.is_scheduled else story.get_status_display()
        return format_html('<span class="story-status story-status-{}">{}</span>', state, label)

    @admin.display(description=_("authors"))
    def byline(self, story):
        return ", ".join(author.name for author in story.authors.all())

    # Bulk actions: all chosen stories change, or none does and the message says why.

    @admin.action(permissions=["change"], description=_("Submit for review"))
    def submit_for_review(self, request, queryset):
        def submit(story, user):
            if story.status == Story.Status.PUBLISHED:
                raise ActionRefused(_("it is published; unpublish it first"))
            if story.status != Story.Status.REVIEW:
                workflow.submit_for_review(story, user)

        self.apply_to_each(request, queryset, submit, _("submitted for review"))

    @admin.action(permissions=["publish"], description=_("Publish now"))
    def publish_now(self, request, queryset):
        def publish(story, user):
            if story.status != Story.Status.PUBLISHED or story.is_scheduled:
                try:
                    workflow.publish(story, user)
                except ValidationError as error:  # not ready (an image without alt text…): say why
                    raise ActionRefused(" ".join(error.messages)) from None

        self.apply_to_each(request, queryset, publish, _("published"))

    @admin.action(permissions=["publish"], description=_("Unpublish"))
    def unpublish(self, request, queryset):
        def unpublish(story, user):
            if story.status != Story.Status.UNPUBLISHED:
                workflow.unpublish(story, user)

        self.apply_to_each(request, queryset, unpublish, _("unpublished"))

    def apply_to_each(self, request, queryset, operation, done):
        """Run `operation` on every chosen story in one transaction; a refusal rolls all of them back."""
        stories = list(queryset)
        try:
            with transaction.atomic():
                for story in stories:
                    operation(story, request.user)
        except (PermissionDenied, ActionRefused) as refusal:
            reason = {"story": story, "reason": refusal}
            self.message_user(request, _("Nothing was changed. %(story)s: %(reason)s") % reason, messages.ERROR)
            return
        count = len(stories)
        message = ngettext("%(count)d story %(done)s.", "%(count)d stories %(done)s.", count)
        self.message_user(request, message % {"count": count, "done": done}, messages.SUCCESS)

    # The change form: links to revisions and preview, and autosave.

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["is_public"] = is_public(obj)
            if obj.status in OWN_EDITABLE:
                context["autosave_url"] = reverse("admin:articles_story_autosave", args=[obj.pk])
                context["autosave_seconds"] = AUTOSAVE_SECONDS
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        autosave = self.admin_site.admin_view(self.autosave_view)
        return [path("<path:object_id>/autosave/", autosave, name="articles_story_autosave"), *super().get_urls()]

    @method_decorator(require_POST)
    def autosave_view(self, request, object_id):
        """Save a draft's form in the background: 200 with the new version, 409 when someone else saved first."""
        with transaction.atomic():
            story = self.get_object(request, unquote(object_id))
            if story is None or not self.has_change_permission(request, story):
                return JsonResponse({"error": str(_("You may not edit this story."))}, status=403)
            if story.status not in OWN_EDITABLE:
                return JsonResponse({"error": str(_("Only drafts are saved automatically."))}, status=400)
            status, published_at = story.status, story.published_at
            form = self.get_form(request, story, change=True)(request.POST, instance=story)
            if not form.is_valid():
                return autosave_refusal(form)
            # Autosave keeps the text; a change of status or time waits for the Save button.
            story.status, story.published_at = status, published_at
            form.save_for(request.user)
        return JsonResponse({"version": story.version, "saved_at": timezone.now().isoformat()})


def is_public(story):
    return Story.objects.published().filter(pk=story.pk).exists()
