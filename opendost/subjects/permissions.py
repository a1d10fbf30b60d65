"""Who may do what in the subject register.

A permission (given to roles in opendost.accounts.roles) says what kind of action a user may take;
the jurisdiction says on which department's rows. Both must hold.
"""

from opendost.departments.models import Department
from opendost.departments.scoping import in_jurisdiction, jurisdiction_ids

__all__ = ["can", "in_jurisdiction", "jurisdiction_ids"]


def can(user, perm: str, department: Department | int | None) -> bool:
    """`perm` is "subjects.<codename>"; the department is the row's (or the new row's) department."""
    return user.is_authenticated and user.has_perm(perm) and in_jurisdiction(user, department)
