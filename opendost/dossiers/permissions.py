"""Who may do what to a dossier. Every predicate also checks jurisdiction (staff) or ownership
(applicants), so a transition button never appears for someone who could not see the dossier."""

from opendost.departments.scoping import in_jurisdiction


def is_owner(user, dossier) -> bool:
    """The applicant's own dossier: submitted from the account, or of the applicant's organisation."""
    if not user.is_authenticated or user.is_department_staff:
        return False
    if dossier.applicant_user_id is not None and dossier.applicant_user_id == user.pk:
        return True
    return user.organization_id is not None and dossier.applicant_organization_id == user.organization_id


def _staff(user, dossier, perm: str) -> bool:
    return user.has_perm(perm) and in_jurisdiction(user, dossier.department_id)


def can_view(user, dossier) -> bool:
    return is_owner(user, dossier) or _staff(user, dossier, "dossiers.view_dossier")


def can_act_for_applicant(user, dossier) -> bool:
    """Submit, supplement, withdraw: the applicant, or the desk on the applicant's behalf."""
    return is_owner(user, dossier) or _staff(user, dossier, "dossiers.receive_dossier")


def can_receive(user, dossier) -> bool:
    return _staff(user, dossier, "dossiers.receive_dossier")


def can_assign(user, dossier) -> bool:
    return _staff(user, dossier, "dossiers.assign_dossier")


def can_handle(user, dossier) -> bool:
    """The assigned officer (any handler of the department while nobody is assigned), or a leader."""
    if _staff(user, dossier, "dossiers.decide_dossier"):
        return True
    if not _staff(user, dossier, "dossiers.handle_dossier"):
        return False
    return dossier.assigned_officer_id is None or dossier.assigned_officer_id == user.pk


def can_issue_result(user, dossier) -> bool:
    """The handling officer issues the approved result (numbers it, updates the register); the leader
    has approved it already and does not keep the registers."""
    if not _staff(user, dossier, "dossiers.handle_dossier"):
        return False
    return dossier.assigned_officer_id is None or dossier.assigned_officer_id == user.pk


def can_decide(user, dossier) -> bool:
    return _staff(user, dossier, "dossiers.decide_dossier")


def can_view_statistics(user) -> bool:
    return user.has_perm("dossiers.view_dossier_statistics")
