from functools import cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import translation

from dateline.pagecache.hints import DEPENDS, SHARED

from ..cachekeys import comments_key
from ..forms import CommentForm
from ..views import RECEIVED

register = template.Library()


def blank_fields():
    """The fields of the blank form on a shared page: the same on every story page of an edition, so made once
    per language (Django's form rendering is a third of a story page's rendering time)."""
    return _blank_fields(translation.get_language())


@cache
def _blank_fields(language):
    return render_to_string("comments/_fields.html", {"form": CommentForm(deferred=True)})


@receiver(setting_changed)
def forget_blank_fields(**kwargs):
    """Settings (the audio key, the image size) shape the fields."""
    _blank_fields.cache_clear()


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comment_section(context, story):
    """A story's approved comments and the form to add one. The form's key and token differ per reader, so a page
    rendered for the page cache carries neither: the reader's browser fetches them (views.form_parts)."""
    request = context["request"]
    shared = bool(request.META.get(SHARED))
    if shared:  # approving a comment makes this page stale
        request.META.get(DEPENDS, set()).add(comments_key(story.pk))
    return {
        "story": story,
        "comments": story.comments.approved(),
        "form": context.get("comment_form") or CommentForm(deferred=shared),
        "notice": context.get("comment_notice"),
        "received": request.GET.get("comment") == RECEIVED,
        "moderated": settings.COMMENTS_MODERATION,
        "csrf_token": None if shared else context.get("csrf_token"),
        "blank_fields": blank_fields()
        if shared and not (context.get("comment_form") or context.get("comment_notice"))
        else None,
        "request": request,
    }
