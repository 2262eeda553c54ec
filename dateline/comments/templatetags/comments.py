from django import template
from django.conf import settings

from dateline.articles.pagekeys import DEPENDS

from ..forms import CommentForm
from ..views import RECEIVED

register = template.Library()
SHARED = "dateline.shared"  # set by the page cache in front of Django: the page will be sent to other readers too


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comment_section(context, story):
    """A story's approved comments and the form to add one. The form's key and token differ per reader, so a page
    rendered for the page cache carries neither: the reader's browser fetches them (views.form_parts)."""
    request = context["request"]
    shared = bool(request.META.get(SHARED))
    if shared:  # approving a comment makes this page stale
        request.META.get(DEPENDS, set()).add(f"comments:{story.pk}")
    return {
        "story": story,
        "comments": story.comments.approved(),
        "form": context.get("comment_form") or CommentForm(deferred=shared),
        "notice": context.get("comment_notice"),
        "received": request.GET.get("comment") == RECEIVED,
        "moderated": settings.COMMENTS_MODERATION,
        "csrf_token": None if shared else context.get("csrf_token"),
        "request": request,
    }
