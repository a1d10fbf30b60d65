"""Who may do what with S&T tasks.

Staff: a model permission (given to roles on ProjectsConfig.role_permissions) on a row of their
jurisdiction. Applicants hold no model permission: they act on the records of the organisation
their account represents (`user.organization`), and on nothing else.
"""

from opendost.departments.scoping import has_perm_in

# The kernel's check: the permission, in the user's jurisdiction.
can = has_perm_in


def represents(user, organization_id) -> bool:
    """The user applies on behalf of this organisation."""
    return bool(
        user
        and user.is_authenticated
        and organization_id is not None
        and getattr(user, "organization_id", None) == organization_id
    )


def is_applicant(user) -> bool:
    return bool(user and user.is_authenticated and getattr(user, "organization_id", None))


# Predicates for the workflows: (user, obj) -> bool ---------------------------------------------
def staff(perm: str):
    def check(user, obj) -> bool:
        return can(user, perm, _department_id(obj))

    check.__name__ = f"staff_{perm.split('.')[-1]}"
    return check


def _department_id(obj):
    for path in ("department_id", "task.department_id", "contract.task.department_id"):
        target = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        return target
    return None


def proposer_or_staff(user, obj) -> bool:
    return (
        represents(user, obj.proposer_organization_id)
        or (obj.submitted_by_id is not None and obj.submitted_by_id == getattr(user, "pk", None))
        or can(user, "projects.add_proposal", obj.department_id)
    )


def applicant_of(user, obj) -> bool:
    return represents(user, obj.organization_id)


def host_of_task(user, obj) -> bool:
    task = getattr(obj, "task", obj)
    return represents(user, task.host_id)


def host_of_result(user, obj) -> bool:
    return represents(user, obj.result.task.host_id)
