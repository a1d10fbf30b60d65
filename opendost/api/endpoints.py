"""Read-only endpoints of /api/v1/: reference data and the subject register (scoped to the caller)."""

from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from opendost.api.pagination import LimitOffset
from opendost.api.schemas import (
    AdminUnitDetailOut,
    AdminUnitOut,
    ErrorOut,
    OrganizationOut,
    PersonOut,
    QueryText,
    StFieldOut,
    ValidationErrorOut,
)
from opendost.classifications import selectors as classification_selectors
from opendost.common.text import fold
from opendost.geography import selectors as geography_selectors
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit
from opendost.subjects.models import Organization, Person

router = Router()

LIST_RESPONSES = {401: ErrorOut, 422: ValidationErrorOut}
DETAIL_RESPONSES = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class AdminUnitFilter(Schema):
    code_set: CodeSet | None = None
    level: AdminLevel | None = None
    parent: int | None = None
    q: QueryText = ""


class StFieldFilter(Schema):
    scheme: QueryText | None = None
    level: int | None = None
    parent: QueryText | None = None


class SubjectFilter(Schema):
    q: QueryText = ""


def _unit_ref(unit: AdminUnit) -> dict:
    return {"id": unit.pk, "code_set": unit.code_set, "level": unit.level, "code": unit.code, "name": unit.name}


@router.get("/admin-units", response={200: list[AdminUnitOut], **LIST_RESPONSES}, tags=["reference data"])
@paginate(LimitOffset)
def admin_unit_list(request, filters: Query[AdminUnitFilter]):
    """Administrative units of both code sets; `q` matches the name ignoring diacritics."""
    return geography_selectors.unit_list(
        code_set=filters.code_set, level=filters.level, parent_id=filters.parent, q=filters.q
    )


@router.get("/admin-units/{unit_id}", response={200: AdminUnitDetailOut, **DETAIL_RESPONSES}, tags=["reference data"])
def admin_unit_detail(request, unit_id: int):
    """One unit with where it went (successors) and what it was made of (predecessors) on 1 July 2025."""
    unit = get_object_or_404(AdminUnit, pk=unit_id)
    successors = [
        {"unit": _unit_ref(s.new_unit), "relation": s.relation, "effective_on": s.effective_on}
        for s in geography_selectors.successions_of(unit)
    ]
    predecessors = [
        {"unit": _unit_ref(s.old_unit), "relation": s.relation, "effective_on": s.effective_on}
        for s in geography_selectors.predecessions_of(unit)
    ]
    return {**AdminUnitOut.model_validate(unit).model_dump(), "successors": successors, "predecessors": predecessors}


@router.get("/st-fields", response={200: list[StFieldOut], **LIST_RESPONSES}, tags=["reference data"])
@paginate(LimitOffset)
def st_field_list(request, filters: Query[StFieldFilter]):
    """S&T fields of a classification scheme (QD12_2008, TT24_2025)."""
    return classification_selectors.node_list(scheme=filters.scheme, level=filters.level, parent_code=filters.parent)


def _organizations(request):
    return (
        Organization.objects.visible_to(request.auth)
        .select_related("department", "province", "district", "commune")
        .prefetch_related("fields__scheme")
    )


def _people(request):
    return (
        Person.objects.visible_to(request.auth)
        .select_related("department", "organization")
        .prefetch_related("fields__scheme")
    )


@router.get("/organizations", response={200: list[OrganizationOut], **LIST_RESPONSES}, tags=["subjects"])
@paginate(LimitOffset)
def organization_list(request, filters: Query[SubjectFilter]):
    """Organisations of the caller's department (and its predecessors)."""
    qs = _organizations(request)
    if folded := fold(filters.q):
        qs = qs.filter(name_folded__contains=folded)
    return qs.order_by("name", "pk")


@router.get("/organizations/{public_id}", response={200: OrganizationOut, **DETAIL_RESPONSES}, tags=["subjects"])
def organization_detail(request, public_id: UUID):
    return get_object_or_404(_organizations(request), public_id=public_id)


@router.get("/people", response={200: list[PersonOut], **LIST_RESPONSES}, tags=["subjects"])
@paginate(LimitOffset)
def person_list(request, filters: Query[SubjectFilter]):
    """People of the caller's department. Citizen ID numbers are only given masked."""
    qs = _people(request)
    if folded := fold(filters.q):
        qs = qs.filter(name_folded__contains=folded)
    return qs.order_by("full_name", "pk")


@router.get("/people/{public_id}", response={200: PersonOut, **DETAIL_RESPONSES}, tags=["subjects"])
def person_detail(request, public_id: UUID):
    return get_object_or_404(_people(request), public_id=public_id)
