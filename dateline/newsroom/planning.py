"""The story budget (a week calendar and a list of planned items) and the follow-up desk on it: the promises
found in published stories, suggested on their due day for an editor to accept or dismiss."""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dateline.articles.models import Section

from . import budget
from .desk import desk_required, render_desk
from .models import FollowUp, PlannedItem

ITEMS_PER_PAGE = 50


def planner_required(view):
    """The desk's writers and editors (articles.change_story) plan; others (moderators) are refused."""

    @desk_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.has_perm("articles.change_story"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def editor_required(view):
    """Deciding on a follow-up is an editor's call (articles.publish_story)."""

    @planner_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.has_perm("articles.publish_story"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def budget_context(request, filters):
    """What every budget page shows: its filters and their choices, and whether follow-ups can be decided here."""
    people = list(budget.desk_people())
    return {
        "desk_area": "plan",
        "filters": filters,
        "filter_query": filters.query(),
        "sections": Section.objects.order_by("name"),
        "people": people,
        "can_decide": request.user.has_perm("articles.publish_story"),
        "here": request.get_full_path(),
    }


@planner_required
def calendar(request):
    """One week (`?week=2021-W47`), a day to a column: planned items and suggested follow-ups due that day."""
    monday, filters = budget.week_of(request.GET.get("week")), budget.Filters(request.GET)
    start, end = budget.day_start(monday), budget.day_start(monday + timedelta(days=7))
    planned = filters.planned(PlannedItem.objects.filter(due_at__gte=start, due_at__lt=end))
    planned = planned.select_related("section", "assignee", "story")
    follow_ups = filters.follow_ups(budget.suggested().filter(due__gte=monday, due__lt=monday + timedelta(days=7)))
    context = budget_context(request, filters) | {
        "days": week_days(monday, planned, follow_ups),
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous_week": budget.iso_week(monday - timedelta(days=7)),
        "next_week": budget.iso_week(monday + timedelta(days=7)),
        "this_week": budget.iso_week(monday),
    }
    return render_desk(request, "newsroom/desk/plan_calendar.html", context)


def week_days(monday, planned, follow_ups):
    """The seven days from `monday`, each with its planned items and follow-ups (two queries in all)."""
    today = timezone.localdate()
    days = {monday + timedelta(days=n): {"items": [], "follow_ups": []} for n in range(7)}
    for item in planned:
        days[timezone.localdate(item.due_at)]["items"].append(item)
    for follow_up in follow_ups:
        days[follow_up.due]["follow_ups"].append(follow_up)
    return [{"date": day, "is_today": day == today, **content} for day, content in days.items()]


@planner_required
def plan_list(request):
    """Every planned item, by due time (`?sort=-due` for the latest first), and the follow-ups still suggested."""
    filters, newest_first = budget.Filters(request.GET), request.GET.get("sort") == "-due"
    order = ["-due_at", "-pk"] if newest_first else ["due_at", "pk"]
    planned = filters.planned(PlannedItem.objects.select_related("section", "assignee", "story")).order_by(*order)
    page = Paginator(planned, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    follow_ups = filters.follow_ups(budget.suggested()).order_by(*(["-due", "-pk"] if newest_first else ["due", "pk"]))
    context = budget_context(request, filters) | {
        "page": page,
        "newest_first": newest_first,
        "follow_ups": follow_ups[:ITEMS_PER_PAGE],
    }
    return render_desk(request, "newsroom/desk/plan_list.html", context)


@planner_required
def plan_new(request):
    form = budget.PlannedItemForm(request.POST or None, initial={"due_at": budget.morning_of(request.GET.get("due"))})
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        item = form.save()
        messages.success(request, _("“%(slug)s” is on the budget.") % {"slug": item.slug})
        return redirect(week_url(item))
    return render_desk(request, "newsroom/desk/plan_form.html", {"desk_area": "plan", "form": form, "item": None})


@planner_required
def plan_item(request, pk):
    """A planned item's form; its draft, once begun, is a link away."""
    item = get_object_or_404(PlannedItem.objects.select_related("story"), pk=pk)
    form = budget.PlannedItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("“%(slug)s” is saved.") % {"slug": item.slug})
        return redirect(week_url(item))
    return render_desk(request, "newsroom/desk/plan_form.html", {"desk_area": "plan", "form": form, "item": item})


def week_url(item):
    """The calendar of the week the item is due in (this week for an item without a time)."""
    url = reverse("newsroom:calendar")
    return f"{url}?week={budget.iso_week(timezone.localdate(item.due_at))}" if item.due_at else url


@require_POST
@planner_required
def plan_draft(request, pk):
    """Start the draft: a story linked to the planned item, opened on the writing screen."""
    if not request.user.has_perm("articles.add_story"):
        raise PermissionDenied
    story = budget.start_draft(get_object_or_404(PlannedItem, pk=pk), request.user)
    return redirect("newsroom:write", story.news_id)


@require_POST
@editor_required
def accept_follow_up(request, pk):
    """The follow-up becomes a planned item, assigned to the person chosen."""
    follow_up = get_object_or_404(FollowUp, pk=pk)
    form = budget.AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who writes the follow-up."))
    elif budget.accept(follow_up, form.cleaned_data["assignee"], request.user):
        messages.success(request, _("Follow-up accepted: “%(phrase)s”.") % {"phrase": follow_up.phrase})
    else:
        messages.error(request, _("Someone decided on this follow-up already."))
    return back(request, follow_up)


@require_POST
@editor_required
def dismiss_follow_up(request, pk):
    follow_up = get_object_or_404(FollowUp, pk=pk)
    if budget.dismiss(follow_up, request.user):
        messages.success(request, _("Follow-up dismissed: “%(phrase)s”.") % {"phrase": follow_up.phrase})
    else:
        messages.error(request, _("Someone decided on this follow-up already."))
    return back(request, follow_up)


def back(request, follow_up):
    """To the page the decision was made on, or the week of the follow-up's due day."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(f"{reverse('newsroom:calendar')}?week={budget.iso_week(follow_up.due)}")
