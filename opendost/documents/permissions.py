"""Who may issue and withdraw official documents.

Issuing is open to the staff of the issuing department (the officer prepares, the leader signs on
paper or with a digital signature before the number is taken). Revoking or replacing a document
changes its legal effect, so it needs a leader or an administrator of the department's jurisdiction.
"""

from opendost.accounts.roles import Role
from opendost.departments.models import Department
from opendost.departments.scoping import in_jurisdiction


def can_issue_document(user, department: Department) -> bool:
    return user.is_authenticated and in_jurisdiction(user, department.pk)


def can_withdraw_document(user, document) -> bool:
    if not user.is_authenticated:
        return False
    if not (user.is_superuser or user.has_role(Role.LEADER) or user.has_role(Role.ADMINISTRATOR)):
        return False
    return in_jurisdiction(user, document.department_id)
