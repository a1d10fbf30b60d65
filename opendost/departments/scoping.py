"""Jurisdiction: which departments' records a user works on (docs/adr/0008-jurisdiction.md).

Every department-owned register scopes its rows with `DepartmentScopedQuerySet.visible_to(user)`,
so a record of another department is simply not found (a 404, never a 403 that confirms it exists).
"""

from django.db import models


def jurisdiction_ids(user) -> list[int] | None:
    """The departments whose records the user works on; None means every department."""
    if not user.is_authenticated:
        return []
    if user.sees_all_departments:
        return None
    if not user.is_department_staff or user.department_id is None:
        return []
    if not hasattr(user, "_jurisdiction_ids"):
        user._jurisdiction_ids = user.department.jurisdiction_ids()
    return user._jurisdiction_ids


def in_jurisdiction(user, department) -> bool:
    """`department` is a Department, its id, or None (never in anyone's jurisdiction)."""
    if department is None:
        return False
    ids = jurisdiction_ids(user)
    department_id = department if isinstance(department, int) else department.pk
    return ids is None or department_id in ids


def has_perm_in(user, perm: str, department) -> bool:
    """The user holds `perm` ("app.codename") and `department` (a Department, its id, or None) is in
    the user's jurisdiction: the one permission check every department-owned register uses."""
    return bool(
        user is not None and user.is_authenticated and user.has_perm(perm) and in_jurisdiction(user, department)
    )


class DepartmentScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> models.QuerySet:
        """Rows of the user's department (and its predecessors); everything for an administrator."""
        ids = jurisdiction_ids(user)
        if ids is None:
            return self
        if not ids:
            return self.none()
        return self.filter(department_id__in=ids)
