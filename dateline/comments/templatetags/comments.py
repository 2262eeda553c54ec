from django import template
from django.conf import settings

from ..forms import CommentForm
from ..views import RECEIVED

register = template.Library()


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comment_section(context, story):
    """A story's approved comments and the form to add one (the form's key and token differ per reader)."""
    request = context["request"]
    return {
        "story": story,
        "comments": story.comments.approved(),
        "form": context.get("comment_form") or CommentForm(),
        "received": request.GET.get("comment") == RECEIVED,
        "moderated": settings.COMMENTS_MODERATION,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
