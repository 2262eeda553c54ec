"""How often comments may be posted: per address and per story (COMMENTS_RATE_PER_IP, COMMENTS_RATE_PER_STORY)."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.utils.translation import ngettext

from dateline.accounts import ratelimit


def comment_wait(request, story):
    """Count this post (valid or not: wrong security keys count); the seconds to wait when over a limit, else 0.

    A post refused for its address is not counted against the story, so one sender cannot close a story's comments.
    """
    per_ip = ratelimit.parse_rate(settings.COMMENTS_RATE_PER_IP)
    if seconds := ratelimit.hit("comments-ip", ratelimit.client_ip(request), per_ip):
        return seconds
    per_story = ratelimit.parse_rate(settings.COMMENTS_RATE_PER_STORY)
    return ratelimit.hit("comments-story", story.pk, per_story)


def refused_form(form, seconds):
    """The reader's form as sent, unchecked (its security key stays unspent), saying how long to wait."""
    message = ngettext(
        "You have sent several comments in a short time; please wait %(seconds)s second.",
        "You have sent several comments in a short time; please wait %(seconds)s seconds.",
        seconds,
    ) % {"seconds": seconds}
    form.cleaned_data = {}
    form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([message], error_class="nonfield")})
    return form
