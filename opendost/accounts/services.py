"""Writers for accounts and roles."""

from django.contrib.auth.models import Group, Permission

from opendost.accounts.roles import ROLE_PERMISSIONS, Role


def roles_sync() -> None:
    """Make each role group carry exactly the permissions listed in ROLE_PERMISSIONS."""
    perms = {f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = [perms[name] for name in ROLE_PERMISSIONS[role] if name in perms]
        group.permissions.set(wanted)
