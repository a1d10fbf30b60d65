"""Who may do what in the subject register.

A permission (given to roles in opendost.accounts.roles) says what kind of action a user may take;
the jurisdiction says on which department's rows. Both must hold.
"""

from opendost.departments.models import Department


def jurisdiction_ids(user) -> list[int] | None:
    """The departments whose register the user works on; None means every department."""
    if not user.is_authenticated:
        return []
    if user.sees_all_departments:
        return None
    if not user.is_department_staff or user.department_id is None:
        return []
    if not hasattr(user, "_subjects_jurisdiction_ids"):
        user._subjects_jurisdiction_ids = user.department.jurisdiction_ids()
    return user._subjects_jurisdiction_ids


def in_jurisdiction(user, department: Department | int | None) -> bool:
    if department is None:
        return False
    ids = jurisdiction_ids(user)
    department_id = department if isinstance(department, int) else department.pk
    return ids is None or department_id in ids


def can(user, perm: str, department: Department | int | None) -> bool:
    """`perm` is "subjects.<codename>"; the department is the row's (or the new row's) department."""
    return user.is_authenticated and user.has_perm(perm) and in_jurisdiction(user, department)
