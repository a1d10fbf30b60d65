"""Who may do what in the radiation register: the permission (from the role) on rows of the user's
jurisdiction (opendost.departments.scoping). Both must hold."""

from opendost.departments.scoping import has_perm_in

# The kernel's check: the permission, in the user's jurisdiction.
can = has_perm_in


def can_change_device(user, device) -> bool:
    return can(user, "radiation.change_device", device.department_id)


def can_change_licence(user, licence) -> bool:
    return can(user, "radiation.change_licence", licence.department_id)


def can_change_plan(user, plan) -> bool:
    return can(user, "radiation.change_responseplan", plan.department_id)
