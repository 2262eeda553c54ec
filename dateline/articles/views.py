from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dateline.accounts.models import Author

from . import metadata
from .editions import current_edition, edition_of, local_name, reading
from .models import FrontPage, Section, Story, Tag
from .pagekeys import author_list, lists, section_list, tag_list, translations_list
from .readcount import count_read, most_read

RELATED_STORIES = 5


def published_story(news_id):
    """The story with this News ID if the public may see it, else 404."""
    stories = Story.objects.published().select_related("section__parent", "lead_image")
    return get_object_or_404(stories, news_id=news_id)


def story_redirect(request, news_id):
    return redirect(published_story(news_id), permanent=True)


def story_detail(request, news_id, slug):
    """The story's page, at one address: its slug, in its language's edition."""
    story = published_story(news_id)
    if slug != story.slug or story.edition != current_edition():
        return redirect(story, permanent=True)
    count_read(request, story)
    return render_story(request, story)


def render_story(request, story, extra_context=None, status=200):
    """The story page, in its edition's language; the comments app renders it again with a form that needs
    correcting, the newsroom with a preview."""
    with reading(story.edition):
        context = story_context(request, story, extra_context)
        return render(request, "articles/story_detail.html", context, status=status)


def story_context(request, story, extra_context):
    tags = list(story.tags.all())
    shown_lists = [tag_list(tag.pk) for tag in tags] + [translations_list(story.translation_of_id or story.pk)]
    lists(request, *shown_lists, *([section_list(story.section_id)] if story.section_id else []))
    updated_at = shown_update(story)
    return {
        "story": story,
        "authors": story.authors.all(),
        "tags": tags,
        "corrections": story.corrections.all(),
        "live_entries": story.live_entries.all() if story.story_type == Story.Type.LIVE else None,
        "updated_at": updated_at,
        "structured_data": metadata.news_article(story, request, updated_at),
        "share_image": metadata.lead_image(story, request),
        "related": related_stories(story, tags),
        "most_read": most_read(edition=story.edition),
        "current_section": top_section(story.section),
        "translations": translation_links(story),
        **(extra_context or {}),
    }


def translation_links(story):
    """The story's published translations, each with a "Read this story in …" in its own language."""
    links = []
    for other in story.linked_translations():
        with reading(other.edition):
            label = _("Read this story in %(language)s") % {"language": local_name(other.edition)}
        links.append({"story": other, "label": label})
    return links


def shown_update(story):
    """The time for "Updated:": the last revision, when it falls in a later minute than publication, else None."""
    if not (story.revised_at and story.published_at):
        return None
    minute = {"second": 0, "microsecond": 0}
    return story.revised_at if story.revised_at.replace(**minute) > story.published_at.replace(**minute) else None


def related_stories(story, tags, limit=RELATED_STORIES):
    """Published stories sharing a tag with `story` first, then from its section; newest first, never itself.

    Candidates are picked by index (the tags' stories, the section's stories) before they are ranked.
    """
    if not (tags or story.section_id):
        return []
    tagged = Story.tags.through.objects.filter(tag__in=[tag.pk for tag in tags]).values("story")
    near = Q(pk__in=tagged)
    if story.section_id:
        near |= Q(section_id=story.section_id)
    stories = Story.objects.published().in_edition(story.edition).exclude(pk=story.pk).filter(near)
    ranked = stories.annotate(shares_tag=Exists(tagged.filter(story=OuterRef("pk"))))
    ordered = ranked.order_by("-shares_tag", "-published_at", "-news_id").select_related("section")
    return list(ordered[:limit])


def front_page(request):
    """The edition's front: its lead story, then its latest stories."""
    edition = current_edition()
    lead = lead_story(edition)
    stories = Story.objects.published().in_edition(edition)
    if lead:
        stories = stories.exclude(pk=lead.pk)
    return render(request, "articles/front_page.html", {"lead": lead, "page": paginate(request, stories)})


def section_page(request, slug):
    """A section's front: its stories and its sub-sections' stories (at any depth), with links to the sub-sections."""
    tree = SectionTree(Section.objects.all())
    section = tree.find(slug)
    if edition_of(section.language) != current_edition():
        return redirect(section, permanent=True)
    ancestors = tree.ancestors(section)
    ids = tree.ids_under(section)
    lists(request, *map(section_list, ids))
    stories = edition_stories().filter(section_id__in=ids)
    context = {
        "section": section,
        "ancestors": ancestors,
        "subsections": tree.children(section),
        "current_section": (ancestors or [section])[0],
        "page": paginate(request, stories),
    }
    return render(request, "articles/section_page.html", context)


def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    lists(request, tag_list(tag.pk))
    stories = edition_stories().filter(tags=tag)
    return render(request, "articles/tag_page.html", {"tag": tag, "page": paginate(request, stories)})


def author_page(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo").prefetch_related("links"), slug=slug)
    lists(request, author_list(author.pk))
    stories = edition_stories().filter(authors=author)
    return render(request, "articles/author_page.html", {"author": author, "page": paginate(request, stories)})


def edition_stories():
    """The published stories of the edition being read."""
    return Story.objects.published().in_edition(current_edition())


def lead_story(edition):
    """The editors' choice for the edition's front page, or its latest story when they chose none (or it is not
    live)."""
    front = FrontPage.objects.filter(language=edition).select_related("lead").first()
    published = Story.objects.published().in_edition(edition)
    if front and front.lead_id and published.filter(pk=front.lead_id).exists():
        return front.lead
    return published.latest_first().first()


def paginate(request, stories):
    stories = stories.latest_first().select_related("section")
    return Paginator(stories, settings.STORIES_PER_PAGE).get_page(request.GET.get("page"))


def top_section(section):
    """The top-level section above `section` (itself when it has no parent): the one the site's navigation lists."""
    while section is not None and section.parent_id:
        section = section.parent
    return section


class SectionTree:
    """All sections, loaded in one query (a newsroom has tens), for walking the hierarchy without more queries."""

    def __init__(self, sections):
        self.sections = list(sections)
        self.by_id = {section.pk: section for section in self.sections}

    def find(self, slug):
        """The section with this slug, else 404."""
        for section in self.sections:
            if section.slug == slug:
                return section
        raise Http404("No such section")

    def children(self, section):
        return [child for child in self.sections if child.parent_id == section.pk]

    def ids_under(self, section):
        """The ids of `section` and every section below it."""
        ids, frontier = [], [section]
        while frontier:
            ids += [s.pk for s in frontier]
            frontier = [child for parent in frontier for child in self.children(parent) if child.pk not in ids]
        return ids

    def ancestors(self, section):
        """The sections above `section`, top-level first."""
        above = []
        while section.parent_id and section.parent_id in self.by_id and len(above) < len(self.sections):
            section = self.by_id[section.parent_id]
            above.insert(0, section)
        return above
