"""The global search page: `/search/?q=...`, hits grouped by type, only those the user may see."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opendost.search import selectors
from opendost.search.forms import SearchForm


@require_GET
def search_results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    groups, query = [], ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        groups = selectors.search_results_for(request.user, query)
    return render(request, "search/results.html", {"form": form, "query": query, "groups": groups})
