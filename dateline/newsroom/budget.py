"""The story budget's rules, apart from its pages: weeks, filters, who may be assigned, the planned-item form,
accepting and dismissing follow-ups, and starting a planned item's draft."""

import re
from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dateline.accounts.models import Author
from dateline.articles import workflow
from dateline.articles.models import Section, Story

from .models import FollowUp, Notice, PlannedItem

ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def week_of(value):
    """The Monday of an ISO week given as "2021-W47"; this week's for anything else."""
    match = ISO_WEEK.match(value or "")
    if match:
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def iso_week(monday):
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def day_start(day):
    """Midnight at the start of `day`, in the newsroom's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def morning_of(value):
    """9 o'clock on the day given as "2021-12-09" (a new item's due time, from the calendar); None for no day."""
    try:
        return day_start(date.fromisoformat(value)) + timedelta(hours=9) if value else None
    except ValueError:
        return None


def desk_people():
    """Who may be given a story to write: active staff whose roles let them write."""
    permissions = Permission.objects.filter(codename="change_story", content_type__app_label="articles")
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    writers = Q(is_superuser=True) | Q(groups__permissions__in=permissions) | Q(user_permissions__in=permissions)
    return users.filter(pk__in=users.filter(writers).values("pk")).order_by("first_name", "last_name", "username")


class Filters:
    """The desk and person a budget page is narrowed to (`?desk=<section id>&person=<user id>`)."""

    def __init__(self, query):
        self.desk = number(query.get("desk"))
        self.person = number(query.get("person"))

    def planned(self, items):
        if self.desk:
            items = items.filter(section_id=self.desk)
        if self.person:
            items = items.filter(assignee_id=self.person)
        return items

    def follow_ups(self, follow_ups):
        """Follow-ups of the desk's stories; for a person, of the stories they wrote."""
        if self.desk:
            follow_ups = follow_ups.filter(story__section_id=self.desk)
        if self.person:
            written = Story.authors.through.objects.filter(author__user_id=self.person).values("story_id")
            follow_ups = follow_ups.filter(story_id__in=written)
        return follow_ups

    def query(self):
        """The filters as a query string to carry over to other links ("" for none)."""
        pairs = [(name, value) for name, value in (("desk", self.desk), ("person", self.person)) if value]
        return "&".join(f"{name}={value}" for name, value in pairs)


def number(value):
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def suggested():
    """The follow-ups still waiting for an editor, with their stories."""
    return FollowUp.objects.filter(state=FollowUp.State.SUGGESTED).select_related("story")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class PlannedItemForm(forms.ModelForm):
    """A line of the budget, as the desk edits it."""

    class Meta:
        model = PlannedItem
        fields = ["slug", "section", "assignee", "due_at", "length", "notes", "state"]
        widgets = {
            "due_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.order_by("name")
        self.fields["assignee"] = PersonChoice(
            desk_people(), required=False, label=_("Assigned to"), empty_label=_("Nobody yet")
        )


class AcceptForm(forms.Form):
    """Who writes the follow-up an editor accepts."""

    assignee = PersonChoice(desk_people(), label=_("Assign to"), empty_label=None)


def follow_up_slug(story):
    base = story.slug or slugify(story.headline, allow_unicode=True)
    return f"{base[:100]}-follow-up"


@transaction.atomic
def accept(follow_up, assignee, editor):
    """The follow-up becomes an assigned planned item, due on its day, its notes quoting the promise; the
    assignee is told. False when someone decided on it already."""
    follow_up = FollowUp.objects.select_for_update().select_related("story").get(pk=follow_up.pk)
    if follow_up.state != FollowUp.State.SUGGESTED:
        return False
    story = follow_up.story
    item = PlannedItem.objects.create(
        slug=follow_up_slug(story),
        section=story.section,
        assignee=assignee,
        due_at=day_start(follow_up.due),
        notes=gettext("Follow-up of “%(headline)s” (News ID %(news_id)s): “%(sentence)s”")
        % {"headline": story.headline, "news_id": story.news_id, "sentence": follow_up.sentence},
        state=PlannedItem.State.ASSIGNED,
        created_by=editor,
    )
    follow_up.state, follow_up.planned_item, follow_up.decided_by = FollowUp.State.ACCEPTED, item, editor
    follow_up.save(update_fields=["state", "planned_item", "decided_by"])
    tell_assignee(item)
    return item


def tell_assignee(item):
    text = gettext("You were assigned “%(slug)s”, due %(due)s.") % {"slug": item.slug, "due": item.due_at.date()}
    Notice.objects.create(user=item.assignee, text=text[:300], url=reverse("newsroom:plan-item", args=[item.pk]))


def dismiss(follow_up, editor):
    """Set aside for good: publishing the story again does not bring it back. False when decided already."""
    decided = FollowUp.objects.filter(pk=follow_up.pk, state=FollowUp.State.SUGGESTED)
    return bool(decided.update(state=FollowUp.State.DISMISSED, decided_by=editor))


def headline_from(slug):
    """ "iraq-troops-leave" → "Iraq troops leave": a working headline for the draft."""
    words = re.sub(r"[-_]+", " ", slug).strip()
    return (words[:1].upper() + words[1:])[:300] or slug


@transaction.atomic
def start_draft(item, user):
    """A draft story for the planned item, linked to it: headline from the slug, section from the desk, byline the
    assignee's (or the user's, who is then the assignee); an idea becomes an assignment."""
    item = PlannedItem.objects.select_for_update().get(pk=item.pk)
    if item.story_id:
        return item.story
    writer = item.assignee or user
    story = Story(headline=headline_from(item.slug), slug=slugify(item.slug, allow_unicode=True), body="")
    story.section = item.section
    workflow.save_story(story, user, authors=[Author.objects.for_user(writer)])
    item.story, item.assignee = story, writer
    if item.state == PlannedItem.State.IDEA:
        item.state = PlannedItem.State.ASSIGNED
    item.save(update_fields=["story", "assignee", "state", "updated_at"])
    return story
