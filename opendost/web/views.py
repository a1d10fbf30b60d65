"""The signed-in shell: each role's home page and the administrator's read-only lists."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opendost.accounts import selectors as account_selectors
from opendost.accounts.roles import Role
from opendost.departments.models import Department
from opendost.web.home import cards_for


def home(request: HttpRequest) -> HttpResponse:
    """The home page made for the user's primary role; a polite dead end for users without a role."""
    user = request.user
    role = user.primary_role
    if role is None:
        return render(request, "web/home_no_role.html", {})
    context = {
        "role": role,
        "role_label": Role(role).label,
        "cards": cards_for(user, role),
    }
    return render(request, "web/home.html", context)


def user_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("accounts.view_user"):
        raise PermissionDenied
    users = account_selectors.user_list_for(user=request.user)
    page = Paginator(users, settings.OPENDOST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/user_list.html", {"page": page})


def department_list(request: HttpRequest) -> HttpResponse:
    if not request.user.sees_all_departments:
        raise PermissionDenied
    departments = (
        Department.objects.select_related("successor")
        .prefetch_related("units")
        .annotate(
            active_user_count=Count("users", filter=Q(users__is_active=True), distinct=True),
        )
        .order_by("name")
    )
    return render(request, "web/department_list.html", {"departments": departments})
