from captcha.helpers import captcha_audio_url, captcha_image_url
from captcha.models import CaptchaStore
from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from dateline.accounts.ratelimit import client_ip
from dateline.articles.views import published_story, render_story

from .forms import CommentForm, issue_stamp
from .limits import comment_wait, refused_form
from .models import Comment
from .signals import comment_approved

RECEIVED = "received"
KEPT_FIELDS = ("name", "email", "body")


@require_http_methods(["GET", "POST"])
def post_comment(request, news_id):
    story = published_story(news_id)
    if request.method == "GET":  # the no-JavaScript `refresh` link reloads whatever page it is on
        return redirect(story.get_absolute_url() + "#comment-form")
    form = CommentForm(request.POST)
    if seconds := comment_wait(request, story):
        response = render_story(request, story, {"comment_form": refused_form(form, seconds)}, status=429)
        response["Retry-After"] = str(seconds)
        return response
    if not form.is_valid():
        return render_story(request, story, {"comment_form": form}, status=400)
    comment = form.save(commit=False)
    comment.story = story
    comment.ip_address = client_ip(request)
    if not settings.COMMENTS_MODERATION:
        comment.status = Comment.Status.APPROVED
    comment.save()
    if comment.status == Comment.Status.APPROVED:
        comment_approved.send(Comment, comment=comment)
    return redirect(f"{story.get_absolute_url()}?comment={RECEIVED}#comments")


@csrf_exempt  # it saves nothing: it only shows the form again, with a key and a token, and the reader's text
@never_cache
@require_http_methods(["GET", "POST"])
def write_comment(request, news_id):
    """The comment step for readers without JavaScript: a cached story page's form sends here, and this page (not
    cached) shows the story with the reader's own key and token, keeping what they typed."""
    story = published_story(news_id)
    kept = {name: request.POST[name] for name in KEPT_FIELDS if name in request.POST}
    notice = _("Type the security key to send your comment.") if kept else None
    response = render_story(request, story, {"comment_form": CommentForm(initial=kept), "comment_notice": notice})
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_GET
def form_parts(request):
    """The comment form's per-reader parts, fetched by site.js when a reader starts a comment on a cached page:
    a CSRF token (its cookie set too), a new security key and the signed `issued` stamp."""
    key = CaptchaStore.pick()
    audio = captcha_audio_url(key) if settings.CAPTCHA_FLITE_PATH else None
    return JsonResponse(
        {
            "csrf_token": get_token(request),
            "captcha": {"key": key, "image_url": captcha_image_url(key), "audio_url": audio},
            "issued": issue_stamp(),
        }
    )
