from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from . import search
from .forms import SearchForm


def results(request):
    """/search?q=…&section=&language=&from=&to=&sort=relevance|date&page=: whatever it is given, a page, never a 500."""
    form = SearchForm(request.GET)
    arguments = form.search_arguments()
    text = form.cleaned_data.get("q", "")
    found = search(text, **arguments)
    context = {
        "form": form,
        "text": text,
        "searched": bool(text.strip()),
        "query": found.query,
        "results": found,
        "page": Paginator(found, settings.STORIES_PER_PAGE).get_page(request.GET.get("page")),
        "query_string": query_string(request),
    }
    return render(request, "search/results.html", context)


def query_string(request):
    """The request's query string without `page`, for the pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
