"""Writers for accounts, roles, passwords and two-factor devices."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from opendost.accounts.models import User
from opendost.accounts.roles import Role, role_permissions

TOTP_DEVICE_NAME = "Authenticator app"


def roles_sync() -> None:
    """Make each role group carry exactly the permissions of `role_permissions()`."""
    table = role_permissions()
    perms = {f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = [perms[name] for name in table[role] if name in perms]
        group.permissions.set(wanted)


@transaction.atomic
def password_change(*, user: User, new_password: str, actor: User) -> User:
    """Set a new password the caller has already validated (current password + validators).

    Changing the password changes the session hash, so every other session of the user ends
    (ASVS 7.4.3); the view keeps the current one with `update_session_auth_hash`.
    """
    if actor.pk != user.pk:
        raise PermissionDenied
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def totp_device_create(*, user: User, key: str, token: str) -> TOTPDevice | None:
    """Save an authenticator app once the user proves it works; None when the code is wrong.

    The secret `key` (hex) was generated for the set-up page and kept in the session, so nothing is
    written before the first code is right. The accepted time step is stored as `last_t`, so the
    set-up code cannot be replayed to pass a later login. Older devices of the user are replaced.
    """
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not token.isdigit() or not totp.verify(int(token), device.tolerance):
        return None
    device.last_t = totp.t()
    TOTPDevice.objects.filter(user=user).delete()
    device.save()
    return device


@transaction.atomic
def totp_verify(*, user: User, token: str) -> TOTPDevice | None:
    """Check a code against the user's confirmed devices; the device that accepted it, or None.

    django-otp stores the time step of the last accepted code (`last_t`), so a code is accepted at
    most once (no replay), and it throttles the device after failures (1 s, 2 s, 4 s... wait).
    """
    for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk"):
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def totp_devices_reset(*, user: User, actor: User) -> int:
    """Remove every authenticator device of a user who lost theirs (administrator action)."""
    if not (actor.is_superuser or actor.has_perm("accounts.change_user")):
        raise PermissionDenied
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted
