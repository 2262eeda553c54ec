from django.conf import settings
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from dateline.articles.views import published_story, render_story

from .forms import CommentForm
from .models import Comment

RECEIVED = "received"


@require_http_methods(["GET", "POST"])
def post_comment(request, news_id):
    story = published_story(news_id)
    if request.method == "GET":  # the no-JavaScript `refresh` link reloads whatever page it is on
        return redirect(story.get_absolute_url() + "#comment-form")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render_story(request, story, {"comment_form": form}, status=400)
    comment = form.save(commit=False)
    comment.story = story
    comment.ip_address = request.META.get("REMOTE_ADDR")
    if not settings.COMMENTS_MODERATION:
        comment.status = Comment.Status.APPROVED
    comment.save()
    return redirect(f"{story.get_absolute_url()}?comment={RECEIVED}#comments")
