"""Roles are groups whose permissions follow ROLE_PERMISSIONS after every migrate."""

import pytest
from django.contrib.auth.models import Group, Permission

from opendost.accounts.roles import Role, role_permissions

pytestmark = pytest.mark.django_db


def test_every_listed_permission_exists():
    existing = {f"{app}.{code}" for app, code in Permission.objects.values_list("content_type__app_label", "codename")}
    listed = {perm for perms in role_permissions().values() for perm in perms}
    assert listed - existing == set()


@pytest.mark.parametrize("role", list(Role))
def test_each_role_group_carries_exactly_its_permissions_after_migrate(role):
    group = Group.objects.get(name=role.value)
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert granted == set(role_permissions()[role])
