"""/api/v1/radiation/: the X-ray register, read-only, scoped to the caller like the staff pages
(rows of the caller's jurisdiction, and only with the view permission). Safety officers' and
workers' names are not exposed."""

import datetime
from uuid import UUID

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from opendost.api.pagination import LimitOffset
from opendost.api.schemas import ErrorOut, QueryText, ValidationErrorOut
from opendost.common.text import fold
from opendost.radiation import selectors
from opendost.radiation.enums import DeviceStatus
from opendost.radiation.models import Device, Facility, Licence

router = Router(tags=["radiation"])

LIST_RESPONSES = {401: ErrorOut, 422: ValidationErrorOut}
DETAIL_RESPONSES = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class DeviceOut(Schema):
    public_id: UUID
    facility_id: UUID
    device_type: str
    manufacturer: str
    model_name: str
    serial_number: str
    year_of_manufacture: int | None
    kvp_max: int | None
    ma_max: int | None
    room: str
    status: str
    in_use_since: datetime.date | None
    decommissioned_on: datetime.date | None
    inspection_valid_until: datetime.date | None

    @staticmethod
    def resolve_facility_id(obj) -> UUID:
        return obj.facility.public_id


class LicenceOut(Schema):
    public_id: UUID
    facility_id: UUID
    number: str
    kind: str
    status: str
    state: str = Field(description="valid, expired, superseded or revoked, today")
    issued_on: datetime.date
    valid_from: datetime.date
    valid_until: datetime.date
    predecessor_id: UUID | None
    issuer_name_at_issue: str
    work_scope: str
    device_ids: list[UUID]

    @staticmethod
    def resolve_facility_id(obj) -> UUID:
        return obj.facility.public_id

    @staticmethod
    def resolve_predecessor_id(obj) -> UUID | None:
        return obj.predecessor.public_id if obj.predecessor_id else None

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.state_on(timezone.localdate())

    @staticmethod
    def resolve_device_ids(obj) -> list[UUID]:
        return [d.public_id for d in obj.devices.all()]


class FacilityOut(Schema):
    public_id: UUID
    name: str
    kind: str
    organization_id: UUID
    organization_name: str
    address: str
    province_code: str | None
    commune_code: str | None
    devices_in_use: int
    licence_number: str | None
    licence_valid_until: datetime.date | None

    @staticmethod
    def resolve_organization_id(obj) -> UUID:
        return obj.organization.public_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_address(obj) -> str:
        return obj.full_address

    @staticmethod
    def resolve_province_code(obj) -> str | None:
        return obj.province.code if obj.province_id else None

    @staticmethod
    def resolve_commune_code(obj) -> str | None:
        return obj.commune.code if obj.commune_id else None


class FacilityDetailOut(FacilityOut):
    devices: list[DeviceOut]
    licences: list[LicenceOut]

    @staticmethod
    def resolve_devices(obj) -> list:
        return obj.device_rows

    @staticmethod
    def resolve_licences(obj) -> list:
        return obj.licence_rows


class FacilityFilter(Schema):
    q: QueryText = ""


class LicenceFilter(Schema):
    expiring_within: int | None = Field(
        None, ge=0, le=3650, description="Only licences in force expiring within N days."
    )
    facility: UUID | None = None


class DeviceFilter(Schema):
    status: DeviceStatus | None = None
    facility: UUID | None = None


def _facilities(request):
    if not request.auth.has_perm("radiation.view_facility"):
        return Facility.objects.none()
    return selectors.facility_list_for(request.auth)


def _licences(request):
    if not request.auth.has_perm("radiation.view_licence"):
        return Licence.objects.none()
    return (
        Licence.objects.visible_to(request.auth)
        .select_related("facility", "predecessor")
        .prefetch_related("devices__facility")
    )


def _devices(request):
    if not request.auth.has_perm("radiation.view_device"):
        return Device.objects.none()
    return Device.objects.visible_to(request.auth).select_related("facility")


@router.get("/facilities", response={200: list[FacilityOut], **LIST_RESPONSES})
@paginate(LimitOffset)
def facility_list(request, filters: Query[FacilityFilter]):
    """X-ray facilities of the caller's department, with devices in use and the licence in force."""
    qs = _facilities(request)
    if folded := fold(filters.q):
        qs = qs.filter(name_folded__contains=folded)
    return qs


@router.get("/facilities/{public_id}", response={200: FacilityDetailOut, **DETAIL_RESPONSES})
def facility_detail(request, public_id: UUID):
    """One facility with its devices and every licence (the history chain through predecessor_id)."""
    facility = get_object_or_404(_facilities(request), public_id=public_id)
    facility.device_rows = list(_devices(request).filter(facility=facility).order_by("pk"))
    facility.licence_rows = list(_licences(request).filter(facility=facility).order_by("-issued_on", "-pk"))
    return facility


@router.get("/licences", response={200: list[LicenceOut], **LIST_RESPONSES})
@paginate(LimitOffset)
def licence_list(request, filters: Query[LicenceFilter]):
    """Licences, newest first; `expiring_within=N` gives those in force expiring within N days, soonest first."""
    qs = _licences(request)
    if filters.facility:
        qs = qs.filter(facility__public_id=filters.facility)
    if filters.expiring_within is not None:
        today = timezone.localdate()
        ids = selectors.licences_expiring(user=request.auth, within_days=filters.expiring_within, today=today)
        return qs.filter(pk__in=ids.values("pk")).order_by("valid_until", "pk")
    return qs.order_by("-issued_on", "-pk")


@router.get("/devices", response={200: list[DeviceOut], **LIST_RESPONSES})
@paginate(LimitOffset)
def device_list(request, filters: Query[DeviceFilter]):
    qs = _devices(request)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.facility:
        qs = qs.filter(facility__public_id=filters.facility)
    return qs.order_by("facility_id", "pk")
