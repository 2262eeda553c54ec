"""A story's state as editors think of it, for the admin's filter and the desk's list alike: a published story whose
time has not come is "scheduled", one whose time has come is "published"."""

from django.utils.translation import gettext_lazy as _

from dateline.articles.models import Story

STATES = {
    "draft": (Story.Status.DRAFT.label, lambda stories: stories.filter(status=Story.Status.DRAFT)),
    "review": (Story.Status.REVIEW.label, lambda stories: stories.filter(status=Story.Status.REVIEW)),
    "scheduled": (_("Scheduled"), lambda stories: stories.scheduled()),
    "published": (_("Published"), lambda stories: stories.published()),
    "unpublished": (Story.Status.UNPUBLISHED.label, lambda stories: stories.filter(status=Story.Status.UNPUBLISHED)),
}


def state_choices():
    return [(state, label) for state, (label, _filter) in STATES.items()]


def in_state(stories, state):
    """`stories` in that state; all of them for an unknown state."""
    return STATES[state][1](stories) if state in STATES else stories
