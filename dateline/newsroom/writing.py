"""The writing screen: the text in a calm editor, the rest in a side panel, a live preview beside it; the buttons
move the story through the workflow. A conflict keeps everything typed and lets the writer merge."""

from csp.constants import SELF
from csp.decorators import csp_replace, csp_update
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from dateline.accounts.models import Author
from dateline.articles import workflow
from dateline.articles.html import clean_html
from dateline.articles.links import absolute_url
from dateline.articles.models import Correction, Story, Tag
from dateline.articles.permissions import OWN_EDITABLE, can_edit, can_publish
from dateline.articles.views import render_story

from .desk import desk_required, render_desk
from .forms import DeskStoryForm, autosave_refusal
from .merge import differences, resolve
from .preview import preview_url

AUTOSAVE_SECONDS = 30
SUGGESTIONS = 10
ACTIONS = {"save", "submit", "publish", "schedule", "unpublish"}


def story_or_403(user, news_id):
    story = get_object_or_404(Story.objects.select_related("section", "lead_image"), news_id=news_id)
    if not can_edit(user, story):
        raise PermissionDenied
    return story


def desk_form(user, *args, **kwargs):
    return type("DeskStoryForm", (DeskStoryForm,), {"user": user})(*args, **kwargs)


@desk_required
@csp_update({"frame-src": [SELF]})
def write_new(request):
    """A blank story; the first save makes it a draft with its News ID, and the writing screen opens on it."""
    if not request.user.has_perm("articles.add_story"):
        raise PermissionDenied
    story = Story(status=Story.Status.DRAFT)
    if request.method == "POST":
        return save(request, story, desk_form(request.user, request.POST, request.FILES, instance=story))
    form = desk_form(request.user, instance=story, initial={"authors": Author.objects.filter(user=request.user)})
    return page(request, story, form)


@desk_required
@csp_update({"frame-src": [SELF]})
def write(request, news_id):
    story = story_or_403(request.user, news_id)
    if request.method == "POST":
        data = request.POST.copy()
        if "resolve" in data:
            data = resolve(data, Story.objects.get(pk=story.pk))
        return save(request, story, desk_form(request.user, data, request.FILES, instance=story))
    return page(request, story, desk_form(request.user, instance=story))


def save(request, story, form):
    """Validate and save through the workflow, as the pressed button says; any refusal keeps the text on screen."""
    action = request.POST.get("action", "save")
    if action not in ACTIONS:
        action = "save"
    try:
        with transaction.atomic():
            if not form.is_valid():
                return page(request, story, form, status=409 if is_conflict(form) else 400)
            apply_action(form, action)
            form.save_for(request.user)
    except (ValidationError, PermissionDenied) as refusal:
        form.add_error(None, refusal if isinstance(refusal, ValidationError) else _("You may not do that."))
        story.status = form.stored_status or Story.Status.DRAFT
        return page(request, story, form, status=400)
    except workflow.Conflict:
        form.add_error(None, ValidationError(_("Someone saved this story meanwhile."), code="conflict"))
        return page(request, story, form, status=409)
    messages.success(request, done_message(action, story))
    return redirect("newsroom:write", news_id=story.news_id)


def is_conflict(form):
    return form.has_error(NON_FIELD_ERRORS, "conflict")


def apply_action(form, action):
    """Set the status the pressed button asks for; the workflow then checks who may do it."""
    story, data = form.instance, form.cleaned_data
    if action == "submit":
        if form.stored_status not in (None, *OWN_EDITABLE):
            raise ValidationError(_("Only a draft can be sent for review."))
        story.status = Story.Status.REVIEW
    elif action == "publish":
        story.status = Story.Status.PUBLISHED
        if not (story.published_at and story.published_at <= timezone.now()):
            story.published_at = data["published_at"] = None  # now
    elif action == "schedule":
        if not data.get("published_at") or data["published_at"] <= timezone.now():
            raise ValidationError(_("Choose a publication time in the future to schedule the story."))
        story.status = Story.Status.PUBLISHED
    elif action == "unpublish":
        story.status = Story.Status.UNPUBLISHED


def done_message(action, story):
    if action == "submit":
        return _("Sent for review. An editor will see it on their desk.")
    if action == "schedule" or (action == "publish" and story.is_scheduled):
        return _("Scheduled for %(time)s.") % {
            "time": timezone.localtime(story.published_at).strftime("%Y-%m-%d %H:%M")
        }
    if action == "publish":
        return _("Published. Readers see it now.")
    if action == "unpublish":
        return _("Unpublished. Readers no longer see it.")
    return _("Saved (version %(version)s).") % {"version": story.version}


def page(request, story, form, status=200):
    context = {
        "story": story,
        "form": form,
        "may_publish": can_publish(request.user),
        "conflict": conflict_context(story, form) if is_conflict(form) else None,
        "autosave_seconds": AUTOSAVE_SECONDS,
        "correction_kinds": Correction.Kind.choices,
        "corrections": list(story.corrections.all()) if story.pk else [],
        "preview_link": absolute_url(preview_url(story), request) if story.pk and not story.is_live else None,
    }
    return render_desk(request, "newsroom/desk/write.html", context, status=status)


def conflict_context(story, form):
    """Both versions side by side: what is stored now and what this writer sent."""
    stored = Story.objects.select_related("section").get(pk=story.pk)
    mine = form.data
    return {
        "stored": stored,
        "saved_by": stored.revisions.select_related("user").first(),
        "differences": differences(stored.body, mine.get("body", "")),
        "fields": [
            (name, getattr(stored, name), mine.get(name, ""))
            for name in ("headline", "summary")
            if getattr(stored, name) != mine.get(name, "")
        ],
    }


@require_POST
@desk_required
def autosave(request, news_id):
    """Keep a draft's text in the background: 200 with the new version, 409 when someone else saved first."""
    with transaction.atomic():
        story = story_or_403(request.user, news_id)
        if story.status not in OWN_EDITABLE:
            return JsonResponse({"error": _("Only drafts are saved automatically.")}, status=400)
        form = desk_form(request.user, request.POST, instance=story)
        if not form.is_valid():
            return autosave_refusal(form)
        form.save_for(request.user)
    return JsonResponse({"version": story.version, "saved_at": timezone.now().isoformat()})


@require_POST
@desk_required
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def live_preview(request, news_id):
    """The story as the form now holds it, unsaved, in the public design (shown in a frame beside the text)."""
    story = story_or_403(request.user, news_id)
    form = desk_form(request.user, request.POST, instance=story)
    with transaction.atomic():  # the form's version check locks the row (PostgreSQL wants a transaction for it)
        form.full_clean()
    for name in ("headline", "summary", "body", "location", "lead_image_caption", "lead_image_credit"):
        if name in form.cleaned_data:
            setattr(story, name, form.cleaned_data[name])
    story.body = clean_html(story.body)
    response = render_story(request, story, {"preview": True})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
@desk_required
def add_correction(request, news_id):
    """A typed correction on a published story, shown on it, in its feed and its structured data."""
    story = get_object_or_404(Story, news_id=news_id)
    if not request.user.has_perm("articles.add_correction") or not can_edit(request.user, story):
        raise PermissionDenied
    kind, text = request.POST.get("kind", ""), request.POST.get("text", "").strip()
    if kind not in Correction.Kind.values or not text:
        messages.error(request, _("A correction needs a kind and its text."))
    else:
        Correction.objects.create(story=story, kind=kind, text=text)
        messages.success(request, _("The %(kind)s was added to the story.") % {"kind": Correction.Kind(kind).label})
    return redirect("newsroom:write", news_id=news_id)


SUGGESTED = {"tags": Tag.objects, "authors": Author.objects}


@require_GET
@desk_required
def suggestions(request, kind):
    """Existing tags or bylines that begin with the name being typed (after the last comma), for autocomplete."""
    typed = request.GET.get("q", "").split(",")[-1].strip()
    if kind not in SUGGESTED or not request.user.has_perm("articles.change_story"):
        raise PermissionDenied
    names = SUGGESTED[kind].filter(name__istartswith=typed).order_by("name").values_list("name", flat=True)
    return JsonResponse({"names": list(names[:SUGGESTIONS]) if typed else []})
