from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendost.accounts.roles import Role


class OpenDostAdminSite(admin.AdminSite):
    """The Django admin, open to administrators only and without a login form of its own.

    Signing in always goes through accounts:login, so throttling (axes) and two-factor apply.
    """

    site_header = _("OpenDOST administration")
    site_title = _("OpenDOST administration")
    index_title = _("Reference data and accounts")

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_authenticated and user.primary_role == Role.ADMINISTRATOR

    @login_not_required
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in but not an administrator: sending them to log in again would loop.
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))
