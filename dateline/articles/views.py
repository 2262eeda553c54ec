from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import F, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from dateline.accounts.models import Author
from dateline.pagecache.hints import lists, read_when_sent, shared_part

from . import metadata
from .cachekeys import CORRECTIONS_LIST, author_list_key, section_list_key, tag_list_key, translations_list_key
from .editions import current_edition, edition_of, local_name, reading
from .models import Correction, FrontPage, Section, Story, Tag
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
    if not read_when_sent(request, story):
        count_read(request, story)
    return render_story(request, story)


def render_story(request, story, extra_context=None, status=200):
    """The story page, in its edition's language; the comments app renders it again with a form that needs
    correcting, the newsroom with a preview."""
    with reading(story.edition):
        context = story_context(request, story, extra_context)
        return render(request, "articles/story_detail.html", context, status=status)


def story_context(request, story, extra_context):
    prefetch_related_objects([story], "tags", "authors")  # the page and its structured data both show them
    tags = list(story.tags.all())
    shown_lists = [tag_list_key(tag.pk) for tag in tags] + [translations_list_key(story.translation_of_id or story.pk)]
    lists(request, *shown_lists, *([section_list_key(story.section_id)] if story.section_id else []))
    updated_at = shown_update(story)
    corrections = list(story.corrections.all())
    return {
        "story": story,
        "authors": story.authors.all(),
        "tags": tags,
        "corrections": corrections,
        "live_entries": story.live_entries.all() if story.story_type == Story.Type.LIVE else None,
        "updated_at": updated_at,
        "structured_data": metadata.news_article(story, request, updated_at, corrections),
        "share_image": metadata.lead_image(story, request),
        "related": related_stories(story, tags),
        "most_read": most_read_box(request, story.edition),
        "current_section": top_section(story.section),
        "translations": translation_links(story),
        **(extra_context or {}),
    }


def most_read_box(request, edition):
    """The edition's "Most read" box: the same on all its story pages, so made once for those the cache keeps."""

    def box():
        stories = most_read(edition=edition)
        context = {"stories": stories, "box": "most-read", "title": _("Most read"), "ordered": True}
        return render_to_string("articles/_story_links.html", context) if stories else ""

    return shared_part(request, f"most-read:{edition}", box)


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

    The candidates are ranked by id alone (the tags' stories through the visibility index, the section's newest
    through its listing index), and only the chosen few are read whole: on a large site a tag has hundreds of
    stories and a section thousands.
    """
    stories = Story.objects.published().in_edition(story.edition).exclude(pk=story.pk).latest_first()
    tagged = Story.tags.through.objects.filter(tag__in=[tag.pk for tag in tags]).values("story")
    sharing = list(stories.filter(pk__in=tagged).values_list("pk", flat=True)[:limit]) if tags else []
    nearby = stories.filter(section_id=story.section_id) if story.section_id else Story.objects.none()
    chosen = (sharing + [pk for pk in nearby.values_list("pk", flat=True)[:limit] if pk not in sharing])[:limit]
    found = Story.objects.select_related("section").defer("body").in_bulk(chosen)
    return [found[pk] for pk in chosen if pk in found]


def front_page(request):
    """The edition's front: its lead story, then its latest stories."""
    edition = current_edition()
    lead = lead_story(edition)
    stories = Story.objects.published().in_edition(edition)
    if lead:
        stories = stories.exclude(pk=lead.pk)
    page = paginate(request, stories.latest_first())
    return render(request, "articles/front_page.html", {"lead": lead, "page": page})


def section_page(request, slug):
    """A section's front: its stories and its sub-sections' stories (at any depth), with links to the sub-sections."""
    tree = SectionTree(Section.objects.all())
    section = tree.find(slug)
    if edition_of(section.language) != current_edition():
        return redirect(section, permanent=True)
    ancestors = tree.ancestors(section)
    ids = tree.ids_under(section)
    lists(request, *map(section_list_key, ids))
    stories = edition_stories()
    if len(ids) == 1:
        stories = stories.filter(section_id=section.pk)
    else:  # walk the newest-first listing index, picking these sections' stories (`+ 0` keeps the database from
        # collecting all their stories through the section index to sort them: slow for a large section group)
        stories = stories.alias(listed_in=F("section_id") + 0).filter(listed_in__in=ids)
    context = {
        "section": section,
        "ancestors": ancestors,
        "subsections": tree.children(section),
        "current_section": (ancestors or [section])[0],
        "page": paginate(request, stories.latest_first()),
    }
    return render(request, "articles/section_page.html", context)


def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    lists(request, tag_list_key(tag.pk))
    stories = edition_stories().filter(tags=tag).latest_first(drawn_from_relation=True)
    return render(request, "articles/tag_page.html", {"tag": tag, "page": paginate(request, stories)})


def author_page(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo").prefetch_related("links"), slug=slug)
    lists(request, author_list_key(author.pk))
    stories = edition_stories().filter(authors=author).latest_first(drawn_from_relation=True)
    return render(request, "articles/author_page.html", {"author": author, "page": paginate(request, stories)})


def corrections_page(request):
    """Every correction, clarification, update, retraction and editor's note on the edition's stories, newest first."""
    lists(request, CORRECTIONS_LIST)
    notes = Correction.objects.filter(story__in=edition_stories()).select_related("story")
    notes = notes.order_by("-created_at", "-pk")
    try:  # notes are few beside stories: Django's paginator (and its count) will do
        page = Paginator(notes, settings.STORIES_PER_PAGE).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page") from None
    return render(request, "articles/corrections_page.html", {"page": page})


def edition_stories():
    """The published stories of the edition being read."""
    return Story.objects.published().in_edition(current_edition())


def lead_story(edition):
    """The editors' choice for the edition's front page, or its latest story when they chose none (or it is not
    live)."""
    front = FrontPage.objects.filter(language=edition).select_related("lead__section").first()
    published = Story.objects.published().in_edition(edition)
    if front and front.lead_id and published.filter(pk=front.lead_id).exists():
        return front.lead
    return published.latest_first().first()


def paginate(request, stories):
    """The page of the list (`stories`, newest first) that `?page=N` asks for (the first when N is not a number;
    404 past the last)."""
    number = request.GET.get("page", "")
    page = LatestPage(stories, int(number) if number.isdigit() else 1)
    if page.number > 1 and not page.object_list:
        raise Http404("No such page")
    return page


class LatestPage:
    """One page of a list of stories, newest first, found without counting the list: counting a section's
    thousands of stories costs more than showing twenty of them. One story more than a page is asked for, to know
    whether an older page exists. The page is found by id through the listing and visibility indexes, then only its
    stories are read whole (a story's row is long: skipping rows to reach page 50 would read a thousand of them)."""

    def __init__(self, stories, number):
        per_page = settings.STORIES_PER_PAGE
        self.number = max(number, 1)
        start = (self.number - 1) * per_page
        ids = list(stories.values_list("pk", flat=True)[start : start + per_page + 1])
        found = Story.objects.select_related("section").defer("body").in_bulk(ids[:per_page])
        self.object_list, self.has_next = [found[pk] for pk in ids[:per_page] if pk in found], len(ids) > per_page
        self.has_previous = self.number > 1
        self.has_other_pages = self.has_next or self.has_previous

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


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
