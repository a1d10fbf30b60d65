"""The public results database and the open calls (no login). A page shows what a published
result publishes: title, abstract, keywords, field, year, the task, its host organisation and
principal investigator's name, where it is applied, and the certificate's number and date."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opendost.common.pagination import paginate
from opendost.common.text import normalize
from opendost.projects import selectors
from opendost.search.selectors import search_filter


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1900 <= year <= 2100 else None


@login_not_required
@require_GET
def result_search(request: HttpRequest) -> HttpResponse:
    """Accent-insensitive search over title, abstract, keywords, field, host organisation,
    investigator, year and the communes/districts where the result applies (opendost.search)."""
    query = normalize(request.GET.get("q", ""))[:200]
    results = selectors.public_results()
    if query:
        results = search_filter(results, query)
    year = _year(request.GET.get("year"))
    if year:
        results = results.filter(year=year)
    page = paginate(results, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    template = "projects/public/search.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"page": page, "query": query, "year": year or ""})


@login_not_required
@require_GET
def result_detail(request: HttpRequest, public_id) -> HttpResponse:
    result = selectors.result_public(public_id)
    return render(request, "projects/public/result.html", {"result": result, "task": result.task})


@login_not_required
@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/public/calls.html", {"calls": selectors.open_calls()})


@login_not_required
@require_GET
def call_detail(request: HttpRequest, public_id) -> HttpResponse:
    call = selectors.open_call_get(public_id)
    return render(request, "projects/public/call.html", {"call": call})
