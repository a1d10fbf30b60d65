"""Who may do what with the plan: the permission (from the role) on a plan of the user's jurisdiction."""

from opendost.departments.scoping import has_perm_in

# The kernel's check: the permission, in the user's jurisdiction.
can = has_perm_in


def can_review_value(user, value) -> bool:
    """Maker-checker: a manual value is approved or rejected by someone other than the one who entered it."""
    return value.entered_by_id != getattr(user, "pk", None) and can(
        user, "planning.approve_manualvalue", value.target.plan.department_id
    )
