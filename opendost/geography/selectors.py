"""Reads over administrative units: select lists, roll-up of old units to current ones."""

from django.db.models import Q, QuerySet

from opendost.common.text import fold
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit, AdminUnitSuccession


def units_for_select(*, code_set: str, level: str, parent: AdminUnit | int | None = None) -> QuerySet[AdminUnit]:
    """The units offered in a select, in the official (code) order.

    `parent` narrows communes to a province (current set) or to a district or province (pre-2025).
    """
    qs = AdminUnit.objects.filter(code_set=code_set, level=level)
    if parent is not None:
        parent_id = parent.pk if isinstance(parent, AdminUnit) else parent
        qs = qs.filter(Q(parent_id=parent_id) | Q(province_id=parent_id))
    return qs.order_by("code")


def unit_list(
    *, code_set: str | None = None, level: str | None = None, parent_id: int | None = None, q: str = ""
) -> QuerySet[AdminUnit]:
    """Units filtered for browsing and the API; `q` matches the name ignoring diacritics."""
    qs = AdminUnit.objects.all()
    if code_set:
        qs = qs.filter(code_set=code_set)
    if level:
        qs = qs.filter(level=level)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    if folded := fold(q):
        qs = qs.filter(name_folded__contains=folded)
    return qs.order_by("code_set", "level", "code")


def province_of(unit: AdminUnit) -> AdminUnit:
    """The province a unit lies in (in its own code set); a province is its own."""
    if unit.level == AdminLevel.PROVINCE:
        return unit
    return unit.province


def current_units_for(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """The current (2025) unit(s) an old unit went into; a current unit rolls up to itself.

    An old province gives the new province(s), an old commune the new commune(s), and an old district
    (districts were abolished) the new communes that took over its communes.
    """
    if unit.code_set == CodeSet.CURRENT:
        return AdminUnit.objects.filter(pk=unit.pk)
    if unit.level == AdminLevel.DISTRICT:
        return AdminUnit.objects.filter(predecessors__old_unit__parent=unit).distinct().order_by("code")
    return AdminUnit.objects.filter(predecessors__old_unit=unit).distinct().order_by("code")


def current_provinces_for(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """The current province(s) a unit of either set now lies in (for reports on the new map)."""
    if unit.code_set == CodeSet.CURRENT:
        return AdminUnit.objects.filter(pk=province_of(unit).pk)
    if unit.level == AdminLevel.PROVINCE:
        return current_units_for(unit)
    province_ids = current_units_for(unit).values("province_id")
    return AdminUnit.objects.filter(pk__in=province_ids).order_by("code")


def successions_of(unit: AdminUnit) -> QuerySet[AdminUnitSuccession]:
    """Where an old unit went (empty for a current unit)."""
    return unit.successors.select_related("new_unit").order_by("new_unit__code")


def predecessions_of(unit: AdminUnit) -> QuerySet[AdminUnitSuccession]:
    """Which old units a current unit was made of (empty for an old unit)."""
    return unit.predecessors.select_related("old_unit").order_by("old_unit__code")
