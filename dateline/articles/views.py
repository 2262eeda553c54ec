from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from .models import FrontPage, Section, Story


def published_story(news_id):
    """The story with this News ID if the public may see it, else 404."""
    return get_object_or_404(Story.objects.published().select_related("section"), news_id=news_id)


def story_redirect(request, news_id):
    return redirect(published_story(news_id), permanent=True)


def story_detail(request, news_id, slug):
    story = published_story(news_id)
    if slug != story.slug:
        return redirect(story, permanent=True)
    return render_story(request, story)


def render_story(request, story, extra_context=None, status=200):
    """The story page; the comments app renders it again with a form that needs correcting."""
    context = {
        "story": story,
        "authors": story.authors.all(),
        "current_section": story.section,
        **(extra_context or {}),
    }
    return render(request, "articles/story_detail.html", context, status=status)


def front_page(request):
    lead = lead_story()
    stories = Story.objects.published()
    if lead:
        stories = stories.exclude(pk=lead.pk)
    return render(request, "articles/front_page.html", {"lead": lead, "page": paginate(request, stories)})


def section_page(request, slug):
    section = get_object_or_404(Section, slug=slug)
    stories = Story.objects.published().filter(section=section)
    context = {"section": section, "current_section": section, "page": paginate(request, stories)}
    return render(request, "articles/section_page.html", context)


def lead_story():
    """The editors' choice for the front page, or the latest story when they chose none (or it is not live)."""
    front = FrontPage.objects.filter(language=settings.LANGUAGE_CODE).select_related("lead").first()
    published = Story.objects.published()
    if front and front.lead_id and published.filter(pk=front.lead_id).exists():
        return front.lead
    return published.latest_first().first()


def paginate(request, stories):
    stories = stories.latest_first().select_related("section")
    return Paginator(stories, settings.STORIES_PER_PAGE).get_page(request.GET.get("page"))
