"""The writing screen (in progress)."""

from django.shortcuts import get_object_or_404, redirect

from dateline.articles.models import Story

from .desk import desk_required


@desk_required
def write_new(request):
    return redirect("admin:articles_story_add")


@desk_required
def write(request, news_id):
    story = get_object_or_404(Story, news_id=news_id)
    return redirect("admin:articles_story_change", story.pk)
