"""The desk's first screen, the story list with its search, the notices and the moderation queue."""

from datetime import datetime, time
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dateline.articles.models import Story
from dateline.articles.permissions import editable_stories
from dateline.comments.models import Comment
from dateline.comments.moderation import moderate
from dateline.search import search

from .desk import desk_required, render_desk
from .models import Note, Notice, PlannedItem
from .states import in_state, state_choices

SHELF = 8  # stories per list on the home screen
STORIES_PER_PAGE = 50


def shelf(queryset, order):
    """A home-screen list: its first few items and how many there are in all."""
    return {"items": list(queryset.order_by(*order)[:SHELF]), "count": queryset.count()}


def mine(user, stories):
    """The stories this person wrote or is bylined on (two indexed lookups: an OR across the join scans them all)."""
    written = Story.objects.filter(created_by=user).values_list("pk", flat=True)
    bylined = Story.authors.through.objects.filter(author__user=user).values_list("story_id", flat=True)
    return stories.filter(pk__in={*written, *bylined})


def open_notes_on_live_stories(user):
    """Notes still open on public stories: corrections to make, for those who may edit a published story."""
    if not user.has_perm("articles.edit_any_story"):
        return Note.objects.none()  # a reporter's own stories are drafts or in review, never public
    open_notes = Note.objects.filter(resolved_at__isnull=True)
    # From the few open notes to their stories, not from the many public stories to their notes.
    noted = Story.objects.published().filter(pk__in={*open_notes.values_list("story_id", flat=True)})
    return open_notes.filter(story__in=list(noted.values_list("pk", flat=True)))


def start_of_today():
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


@desk_required
def home(request):
    """What waits for this person today, with counts: each list links to the whole of it."""
    user, context = request.user, {"desk_area": "home"}
    if user.has_perm("articles.change_story"):
        stories = editable_stories(user).select_related("section")
        assignments = PlannedItem.objects.filter(assignee=user).exclude(state=PlannedItem.State.PUBLISHED)
        live_notes = open_notes_on_live_stories(user)
        context |= {
            "assignments": shelf(assignments.select_related("section", "story"), ["due_at", "pk"]),
            "drafts": shelf(mine(user, stories).filter(status=Story.Status.DRAFT), ["-updated_at"]),
            "in_review": shelf(stories.filter(status=Story.Status.REVIEW), ["-updated_at"]),
            "scheduled": shelf(stories.scheduled(), ["published_at"]),
            "published_today": shelf(stories.published().filter(published_at__gte=start_of_today()), ["-published_at"]),
            "corrections": shelf(live_notes.select_related("story"), ["created_at"]),
        }
    if user.has_perm("comments.moderate_comment"):
        pending = Comment.objects.filter(status=Comment.Status.PENDING).select_related("story")
        context["pending_comments"] = shelf(pending, ["-created_at"])
    return render_desk(request, "newsroom/desk/home.html", context)


@desk_required
def story_list(request):
    """Every story this person may open, of every status, newest change first; searched by its words (headline,
    standfirst, text, tags, bylines: the search index, best match first) or by its News ID."""
    if not request.user.has_perm("articles.change_story"):
        raise PermissionDenied
    stories = editable_stories(request.user).select_related("section").defer("body", "summary", "section__description")
    query, state = request.GET.get("q", "").strip(), request.GET.get("state", "")
    stories = in_state(stories, state)
    if query.isdigit():
        found = stories.filter(news_id=int(query))
    elif query:
        found = search(query, within=stories.order_by())  # the full-text index holds stories of every status
    else:
        found = stories.order_by("-updated_at", "-pk")
    page = Paginator(found, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    filters = urlencode({name: value for name, value in (("q", query), ("state", state)) if value})
    context = {"desk_area": "stories", "page": page, "query": query, "state": state, "states": state_choices()}
    context["filters"] = f"{filters}&" if filters else ""
    return render_desk(request, "newsroom/desk/stories.html", context)


@desk_required
def notices(request):
    """This person's notices, newest first; opening the page marks them read."""
    mine = Notice.objects.filter(user=request.user)
    page = Paginator(mine, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    unread = [notice.pk for notice in page if notice.read_at is None]
    response = render_desk(request, "newsroom/desk/notices.html", {"page": page, "unread": unread})
    mine.filter(pk__in=unread).update(read_at=timezone.now())
    return response


@desk_required
def comment_queue(request):
    """Comments waiting for a moderator, oldest first, each with approve, reject and spam."""
    if not request.user.has_perm("comments.moderate_comment"):
        raise PermissionDenied
    pending = Comment.objects.filter(status=Comment.Status.PENDING).select_related("story").order_by("created_at")
    page = Paginator(pending, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    return render_desk(request, "newsroom/desk/comments.html", {"desk_area": "comments", "page": page})


@require_POST
@desk_required
def moderate_comment(request, pk):
    if not request.user.has_perm("comments.moderate_comment"):
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=pk)
    status = request.POST.get("status")
    if status not in {Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.SPAM}:
        messages.error(request, _("Choose approve, reject or spam."))
    else:
        moderate(comment, status)
        messages.success(
            request,
            _("Comment by %(name)s: %(status)s.") % {"name": comment.name, "status": comment.get_status_display()},
        )
    return redirect("newsroom:comments")
