"""The story budget and the follow-up desk (in progress)."""

from django.shortcuts import get_object_or_404

from .desk import desk_required, render_desk
from .models import PlannedItem


@desk_required
def calendar(request):
    return render_desk(request, "newsroom/desk/home.html", {"desk_area": "plan"})


@desk_required
def plan_item(request, pk):
    get_object_or_404(PlannedItem, pk=pk)
    return render_desk(request, "newsroom/desk/home.html", {"desk_area": "plan"})
