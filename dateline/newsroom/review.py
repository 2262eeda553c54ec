"""Review in the desk: what changed since the last review, notes anchored to passages, and the editor's decision.

Notes are internal: nothing public (story pages, previews, feeds, sitemaps, the API, ninjs, exports) reads them.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dateline.articles.models import Story
from dateline.articles.permissions import can_edit, can_publish
from dateline.articles.workflow import Conflict, publish, save_story

from .desk import desk_required, render_desk
from .models import Note, Review, Revision
from .notices import notify
from .revisions import compare, field_label, snapshot
from .textdiff import body_changes, inline_diff, text_blocks, with_marks

TEXT_FIELDS = ("headline", "summary", "body")


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["passage", "text"]
        widgets = {"passage": forms.Textarea(attrs={"rows": 2}), "text": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        widget=forms.RadioSelect,
        choices=[
            ("send-back", gettext_lazy("Send back to the writer")),
            ("approve", gettext_lazy("Approve")),
            ("publish", gettext_lazy("Approve and publish now")),
            ("schedule", gettext_lazy("Approve and schedule")),
        ],
    )
    at = forms.DateTimeField(
        label=gettext_lazy("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    message = forms.CharField(
        label=gettext_lazy("Message to the writer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "schedule":
            if data.get("at") is None:
                self.add_error("at", _("Choose when to publish."))
            elif data["at"] <= timezone.now():
                self.add_error("at", _("Choose a time in the future."))
        return data


def story_for_review(user, news_id):
    """The story with this News ID (404), for whoever may edit it (403 otherwise)."""
    story = get_object_or_404(Story, news_id=news_id)
    if not can_edit(user, story):
        raise PermissionDenied
    return story


@require_http_methods(["GET", "HEAD", "POST"])
@desk_required
def review(request, news_id):
    """The story with its notes' passages marked, what changed since the last review, the notes and the decision."""
    story = story_for_review(request.user, news_id)
    if request.method == "POST":
        return decide(request, story)
    return review_page(request, story)


def review_page(request, story, note_form=None, decision_form=None, status=200):
    last_review = story.reviews.select_related("reviewer").first()
    newer = story.revisions.first() or Revision(story=story, version=story.version, data=snapshot(story))
    older = baseline(story, last_review, newer)
    notes = list(story.notes.select_related("author"))
    open_notes = [note for note in notes if note.resolved_at is None]
    may_decide = can_publish(request.user)
    context = {
        "story": story,
        "desk_area": "stories",
        "text": marked_text(story, open_notes),
        "last_review": last_review,
        "older": older,
        "newer": newer,
        "diff": story_diff(older, newer) if older else None,
        "open_notes": open_notes,
        "resolved_notes": [note for note in notes if note.resolved_at is not None],
        "note_form": note_form or NoteForm(),
        "decision_form": (decision_form or DecisionForm()) if may_decide else None,
        "may_resolve_any": may_decide,
    }
    return render_desk(request, "newsroom/desk/review.html", context, status=status)


def baseline(story, last_review, newer):
    """The revision to compare with: the one last reviewed; with no review, the first (None for a new story)."""
    if last_review is not None:
        return story.revisions.filter(version__lte=last_review.version).first() or newer
    first = story.revisions.order_by("version").first()
    return first if first is not None and first.version != newer.version else None


def story_diff(older, newer):
    """Headline, summary and body word by word; the other changed fields by label."""
    old, new = older.data, newer.data
    changed = [name for name in TEXT_FIELDS[:2] if old.get(name) != new.get(name)]
    return {
        "texts": [(field_label(name), inline_diff(old.get(name), new.get(name))) for name in changed],
        "body": body_changes(old.get("body", ""), new.get("body", "")),
        "fields": [change for change in compare(older, newer) if change.name not in TEXT_FIELDS],
    }


def marked_text(story, open_notes):
    """Headline, summary and body paragraphs escaped, each open note's passage marked where it first occurs."""
    for number, note in enumerate(open_notes, 1):
        note.number = number
    placed = set()
    text = {
        "headline": with_marks(story.headline, open_notes, placed),
        "summary": with_marks(story.summary, open_notes, placed),
        "paragraphs": [with_marks(block, open_notes, placed) for block in text_blocks(story.body)],
    }
    for note in open_notes:
        note.anchored = note.pk in placed
    return text


# Notes


@require_POST
@desk_required
def add_note(request, news_id):
    """A note from whoever may edit the story (a reporter answering, too), on a passage of it or on the whole."""
    story = story_for_review(request.user, news_id)
    form = NoteForm(request.POST, instance=Note(story=story, author=request.user, version=story.version))
    if not form.is_valid():
        return review_page(request, story, note_form=form, status=400)
    note = form.save()
    messages.success(request, _("Your note was added."))
    return redirect(reverse("newsroom:review", args=[news_id]) + f"#note-{note.pk}")


@require_POST
@desk_required
def resolve_note(request, news_id, pk):
    """A note marked resolved, by its author or an editor."""
    story = story_for_review(request.user, news_id)
    note = get_object_or_404(Note, story=story, pk=pk)
    if note.author_id != request.user.pk and not can_publish(request.user):
        raise PermissionDenied
    if note.resolved_at is None:
        note.resolved_at = timezone.now()
        note.save(update_fields=["resolved_at"])
    messages.success(request, _("The note was resolved."))
    return redirect("newsroom:review", news_id=news_id)


# Decisions


def decide(request, story):
    """Send back, approve, approve and publish, or approve and schedule: editors only; refused on a stale view."""
    if not can_publish(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return review_page(request, story, decision_form=form, status=400)
    based_on = request.POST.get("based_on", "")
    data = {**form.cleaned_data, "based_on": int(based_on) if based_on.isdigit() else None}
    try:
        with transaction.atomic():
            done = DECISIONS[data["decision"]](story, request.user, data)
    except Conflict as conflict:
        form.add_error(None, CONFLICT % {"version": conflict.current_version})
        return review_page(request, Story.objects.get(pk=story.pk), decision_form=form, status=409)
    except ValidationError as error:
        form.add_error(None, error)
        return review_page(request, Story.objects.get(pk=story.pk), decision_form=form, status=400)
    messages.success(request, done)
    return redirect("newsroom:review", news_id=story.news_id)


CONFLICT = gettext_lazy(
    "Someone saved this story since you opened it (it is now at version %(version)s); nothing was decided. "
    "Look at the changes again, then decide."
)


def send_back(story, user, data):
    if story.is_live:
        raise ValidationError(_("This story is public: unpublish it rather than send it back."))
    story.status = Story.Status.DRAFT
    save_story(story, user, based_on=data["based_on"])
    record(story, user, Review.Decision.SENT_BACK, data)
    return _("“%(headline)s” was sent back to %(writer)s.") % {
        "headline": story.headline,
        "writer": tell_writers(story, user, _("%(editor)s sent “%(headline)s” back to you."), data),
    }


def approve(story, user, data):
    check_version(story, data["based_on"])
    record(story, user, Review.Decision.APPROVED, data)
    tell_writers(story, user, _("%(editor)s approved “%(headline)s”."), data)
    return _("“%(headline)s” was approved.") % {"headline": story.headline}


def approve_and_publish(story, user, data):
    publish(story, user, based_on=data["based_on"])
    record(story, user, Review.Decision.APPROVED, data)
    tell_writers(story, user, _("%(editor)s approved and published “%(headline)s”."), data)
    return _("“%(headline)s” was approved and published.") % {"headline": story.headline}


def approve_and_schedule(story, user, data):
    publish(story, user, at=data["at"], based_on=data["based_on"])
    record(story, user, Review.Decision.APPROVED, data)
    when = date_format(timezone.localtime(data["at"]), "DATETIME_FORMAT")
    tell_writers(story, user, _("%(editor)s approved “%(headline)s”; it is scheduled for %(when)s."), data, when=when)
    return _("“%(headline)s” was approved and scheduled for %(when)s.") % {"headline": story.headline, "when": when}


DECISIONS = {
    "send-back": send_back,
    "approve": approve,
    "publish": approve_and_publish,
    "schedule": approve_and_schedule,
}


def check_version(story, based_on):
    """A decision that saves nothing is refused all the same when the story moved on since the page was shown."""
    stored = Story.objects.select_for_update().get(pk=story.pk)
    if based_on is not None and stored.version != based_on:
        raise Conflict(stored.version)


def record(story, user, decision, data):
    """The review (of the version the decision leaves), and the editor's message kept as a note on the story."""
    Review.objects.create(story=story, version=story.version, decision=decision, reviewer=user)
    if data["message"]:
        Note.objects.create(story=story, text=data["message"], author=user, version=story.version)


def tell_writers(story, editor, template, data, **extra):
    """A notice (and an e-mail, where configured) to the story's creator and bylined users, the editor left out; the
    names of those told."""
    text = template % {"editor": name_of(editor), "headline": story.headline, **extra}
    if data["message"]:
        text = f"{text} {data['message']}"
    people = notify(writers(story, editor), text, reverse("newsroom:write", args=[story.news_id]))
    return ", ".join(name_of(person) for person in people) or _("nobody (no writer has an account)")


def writers(story, editor):
    users = get_user_model().objects.filter(Q(pk=story.created_by_id) | Q(author__stories=story))
    return users.exclude(pk=editor.pk).distinct().order_by("pk")


def name_of(user):
    return user.get_full_name() or user.get_username()
