"""Who may do what with councils.

Officers form and run councils of their jurisdiction (model permissions + jurisdiction); a council
member acts only through their own seat (`CouncilMember.user`), whatever their role.
"""

from opendost.departments.scoping import has_perm_in


def can(user, perm: str, council_or_department) -> bool:
    """`perm` is "councils.<codename>"; the jurisdiction is the council's department."""
    return has_perm_in(user, perm, getattr(council_or_department, "department_id", council_or_department))


def can_manage_council(user, council) -> bool:
    return can(user, "councils.change_council", council)


def can_close_council(user, council) -> bool:
    return can(user, "councils.close_council", council)


def can_record_for(user, member) -> bool:
    """The member themself, or an officer recording a paper sheet or declaration for them."""
    if user is None or not user.is_authenticated:
        return False
    if member.user_id is not None and member.user_id == user.pk:
        return True
    return can(user, "councils.record_scores", member.council)
