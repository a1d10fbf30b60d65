"""Who may do what in the subject register.

A permission (given to roles in opendost.accounts.roles) says what kind of action a user may take;
the jurisdiction says on which department's rows. Both must hold.
"""

from opendost.departments.scoping import has_perm_in, in_jurisdiction, jurisdiction_ids

__all__ = ["can", "in_jurisdiction", "jurisdiction_ids"]


# The kernel's check: the permission, in the user's jurisdiction.
can = has_perm_in
