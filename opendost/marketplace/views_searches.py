"""A logged-in user's saved searches of the public exchange (login required: the URLs are in the
"marketplace" namespace). Another user's saved search is not found (404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendost.marketplace import selectors_public, services_searches
from opendost.marketplace.forms_public import SavedSearchForm


@require_GET
def saved_search_list(request: HttpRequest) -> HttpResponse:
    browse = reverse("exchange:browse")
    rows = [
        (search, f"{browse}?{selectors_public.saved_search_query(search)}")
        for search in selectors_public.saved_searches_for(request.user)
    ]
    return render(request, "marketplace/searches/list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """GET: the form filled from the public list's criteria; POST: keep the search."""
    if request.method == "POST":
        form = SavedSearchForm(request.POST)
        if form.is_valid():
            try:
                services_searches.saved_search_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The search is saved."))
                return redirect("marketplace:saved_search_list")
    else:
        form = SavedSearchForm(initial=SavedSearchForm.initial_from(request.GET))
    return render(request, "marketplace/searches/form.html", {"form": form})


@require_POST
def saved_search_alerts(request: HttpRequest, public_id) -> HttpResponse:
    search = selectors_public.saved_search_get_for(request.user, public_id)
    services_searches.saved_search_set_alerts(actor=request.user, search=search, alerts=not search.alerts)
    return redirect("marketplace:saved_search_list")


@require_POST
def saved_search_delete(request: HttpRequest, public_id) -> HttpResponse:
    search = selectors_public.saved_search_get_for(request.user, public_id)
    services_searches.saved_search_delete(actor=request.user, search=search)
    messages.success(request, _("The saved search is deleted."))
    return redirect("marketplace:saved_search_list")
