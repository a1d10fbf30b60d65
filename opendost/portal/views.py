from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opendost.portal import selectors


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """The public landing page: what the Department does, how to log in, how to reach it."""
    context = {
        "functions": selectors.function_cards(),
        "departments": list(selectors.departments_in_office()),
    }
    return render(request, "portal/home.html", context)
