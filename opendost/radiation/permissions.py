"""Who may do what in the radiation register: the permission (from the role) on rows of the user's
jurisdiction (opendost.departments.scoping). Both must hold."""

from opendost.departments.scoping import in_jurisdiction


def can(user, perm: str, department) -> bool:
    """`perm` is "radiation.<codename>"; `department` is the row's department (or its id)."""
    return bool(
        user is not None and user.is_authenticated and user.has_perm(perm) and in_jurisdiction(user, department)
    )


def can_change_device(user, device) -> bool:
    return can(user, "radiation.change_device", device.department_id)


def can_change_licence(user, licence) -> bool:
    return can(user, "radiation.change_licence", licence.department_id)


def can_change_plan(user, plan) -> bool:
    return can(user, "radiation.change_responseplan", plan.department_id)
