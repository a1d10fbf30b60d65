"""Reads for accounts: users a viewer may list, two-factor state."""

from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from opendost.accounts.models import User


def user_list_for(*, user: User) -> QuerySet[User]:
    """Accounts the viewer may see, with what the users page shows, in three queries."""
    return (
        User.objects.visible_to(user)
        .select_related("department", "unit", "organization")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .order_by("department__name", "username")
    )


def user_has_totp_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user: User, *, staff_required: bool) -> bool:
    """A user must pass the second factor when the setting covers them or they set up a device themselves."""
    if not user.is_authenticated:
        return False
    if staff_required and user.is_department_staff:
        return True
    return user_has_totp_device(user)
