"""Who may do what with the plan: the permission (from the role) on a plan of the user's jurisdiction."""

from opendost.departments.scoping import in_jurisdiction


def can(user, perm: str, department) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.has_perm(perm) and in_jurisdiction(user, department)
    )


def can_review_value(user, value) -> bool:
    """Maker-checker: a manual value is approved or rejected by someone other than the one who entered it."""
    return value.entered_by_id != getattr(user, "pk", None) and can(
        user, "planning.approve_manualvalue", value.target.plan.department_id
    )
