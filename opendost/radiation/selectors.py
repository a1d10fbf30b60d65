"""Reads of the radiation register, scoped to what the user may see (another department's rows are
not found), and the public register (no personal data)."""

import datetime as dt
from collections.abc import Mapping
from uuid import UUID

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendost.common.text import fold
from opendost.geography.models import AdminUnit
from opendost.radiation import rules
from opendost.radiation.enums import DeviceStatus, DeviceType, FacilityKind, LicenceStatus
from opendost.radiation.models import (
    Device,
    Facility,
    Licence,
    MeasurementPoint,
    RadiationWorker,
    Reading,
    ResponsePlan,
    in_force_on,
    licence_number_key,
)


# FILTERS ------------------------------------------------------------------------------------------
class LicenceStateFilter:
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NONE = "none"
    CHOICES = [
        (VALID, _("Licence in force")),
        (EXPIRING, _("Licence expiring within 90 days")),
        (EXPIRED, _("Licence expired, not renewed")),
        (NONE, _("No licence in force")),
    ]


class FacilityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name, tax code or licence number"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=FacilityKind.choices, empty_label=_("All"))
    licence = django_filters.ChoiceFilter(
        label=_("Licence"), choices=LicenceStateFilter.CHOICES, method="by_licence", empty_label=_("All")
    )
    device_type = django_filters.ChoiceFilter(
        label=_("Device type"), choices=DeviceType.choices, method="by_device_type", empty_label=_("All")
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune / ward"),
        queryset=AdminUnit.objects.filter(pk__in=Facility.objects.values("commune")).order_by("name"),
        empty_label=_("All"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"

    def search(self, qs, name, value):
        folded = fold(value)
        if not folded:
            return qs
        by_licence = Licence.objects.filter(facility=OuterRef("pk"), number_folded__contains=folded.replace(" ", ""))
        return qs.filter(
            Q(name_folded__contains=folded) | Q(organization__tax_code__startswith=value.strip()) | Exists(by_licence)
        )

    def by_licence(self, qs, name, value):
        today = timezone.localdate()
        in_force = Licence.objects.filter(in_force_on(today), facility=OuterRef("pk"))
        if value == LicenceStateFilter.VALID:
            return qs.filter(Exists(in_force))
        if value == LicenceStateFilter.EXPIRING:
            soon = today + dt.timedelta(days=rules.EXPIRY_WINDOW_DAYS)
            return qs.filter(Exists(in_force.filter(valid_until__lte=soon)))
        if value == LicenceStateFilter.EXPIRED:
            lapsed = Licence.objects.filter(facility=OuterRef("pk"), status=LicenceStatus.VALID, valid_until__lt=today)
            return qs.filter(Exists(lapsed))
        return qs.exclude(Exists(in_force))

    def by_device_type(self, qs, name, value):
        devices = Device.objects.filter(facility=OuterRef("pk"), device_type=value).exclude(
            status=DeviceStatus.DECOMMISSIONED
        )
        return qs.filter(Exists(devices))


# FACILITIES ---------------------------------------------------------------------------------------
def _with_summary(qs: QuerySet[Facility], today: dt.date) -> QuerySet[Facility]:
    """Each facility with its devices in use and its licence in force (the latest-expiring one)."""
    current = Licence.objects.filter(in_force_on(today), facility=OuterRef("pk")).order_by("-valid_until", "-pk")
    return qs.annotate(
        devices_in_use=Count("devices", filter=Q(devices__status=DeviceStatus.IN_USE), distinct=True),
        licence_number=Subquery(current.values("number")[:1]),
        licence_valid_until=Subquery(current.values("valid_until")[:1]),
    )


def facility_filterset_for(user, filters: Mapping | None) -> FacilityFilter:
    queryset = _with_summary(
        Facility.objects.visible_to(user).select_related("organization", "province", "district", "commune"),
        timezone.localdate(),
    ).order_by("name_folded", "pk")
    return FacilityFilter(filters or None, queryset=queryset)


def facility_list_for(user, filters: Mapping | None = None) -> QuerySet[Facility]:
    return facility_filterset_for(user, filters).qs


def facility_get_for(user, public_id: UUID | str) -> Facility:
    return _get(
        Facility.objects.visible_to(user).select_related(
            "department", "organization", "province", "district", "commune"
        ),
        public_id,
    )


def facility_choices_for(user) -> QuerySet[Facility]:
    return Facility.objects.visible_to(user).order_by("name_folded", "pk")


def facilities_of_organization(*, user, organization) -> list[Facility]:
    """The organisation's facilities the user may see, each with `current_licence` (or None)."""
    today = timezone.localdate()
    in_force = Licence.objects.filter(in_force_on(today)).order_by("-valid_until", "-pk")
    rows = list(
        Facility.objects.visible_to(user)
        .filter(organization=organization)
        .annotate(devices_in_use=Count("devices", filter=Q(devices__status=DeviceStatus.IN_USE), distinct=True))
        .prefetch_related(Prefetch("licences", queryset=in_force, to_attr="licences_in_force"))
        .order_by("name_folded", "pk")[:50]
    )
    for facility in rows:
        facility.current_licence = facility.licences_in_force[0] if facility.licences_in_force else None
    return rows


def facility_devices(facility: Facility) -> list[Device]:
    today = timezone.localdate()
    covered = Licence.objects.filter(in_force_on(today), devices=OuterRef("pk"))
    return list(facility.devices.annotate(licensed=Exists(covered)).order_by("status", "device_type", "pk"))


def facility_licences(facility: Facility) -> list[Licence]:
    """Every licence of the facility, newest first, with what it replaced (the history chain)."""
    return list(
        facility.licences.select_related("predecessor", "document")
        .annotate(device_count=Count("devices"))
        .order_by("-issued_on", "-pk")
    )


def facility_workers(facility: Facility) -> list[RadiationWorker]:
    return list(facility.workers.select_related("person").prefetch_related("certificates").order_by("full_name", "pk"))


def facility_plans(facility: Facility) -> list[ResponsePlan]:
    return list(facility.response_plans.select_related("approval_document").order_by("-pk"))


# OTHER OBJECTS ------------------------------------------------------------------------------------
def device_get_for(user, public_id) -> Device:
    return _get(Device.objects.visible_to(user).select_related("facility", "department"), public_id)


def licence_get_for(user, public_id) -> Licence:
    return _get(
        Licence.objects.visible_to(user).select_related("facility", "department", "predecessor", "document"),
        public_id,
    )


def licence_chain(licence: Licence) -> list[Licence]:
    """The licence's whole history, oldest first: what it replaced, itself, and what replaced it."""
    chain = [licence]
    seen = {licence.pk}
    while chain[0].predecessor_id and chain[0].predecessor_id not in seen:
        previous = Licence.objects.get(pk=chain[0].predecessor_id)
        seen.add(previous.pk)
        chain.insert(0, previous)
    while True:
        following = Licence.objects.filter(predecessor=chain[-1]).exclude(pk__in=seen).order_by("pk").first()
        if following is None:
            return chain
        seen.add(following.pk)
        chain.append(following)


def worker_get_for(user, public_id) -> RadiationWorker:
    return _get(RadiationWorker.objects.visible_to(user).select_related("facility", "person"), public_id)


def plan_get_for(user, public_id) -> ResponsePlan:
    return _get(ResponsePlan.objects.visible_to(user).select_related("facility"), public_id)


def point_get_for(user, public_id) -> MeasurementPoint:
    return _get(
        MeasurementPoint.objects.visible_to(user).select_related("facility", "province", "district", "commune"),
        public_id,
    )


def point_list_for(user) -> QuerySet[MeasurementPoint]:
    latest = Reading.objects.filter(point=OuterRef("pk")).order_by("-measured_at", "-pk")
    return (
        MeasurementPoint.objects.visible_to(user)
        .select_related("facility", "province", "commune")
        .annotate(
            last_dose_rate=Subquery(latest.values("dose_rate")[:1]),
            last_measured_at=Subquery(latest.values("measured_at")[:1]),
            readings_above=Count("readings", filter=Q(readings__above_threshold=True)),
        )
        .order_by("name", "pk")
    )


def point_readings(point: MeasurementPoint) -> QuerySet[Reading]:
    return point.readings.order_by("-measured_at", "-pk")


def person_choices_for(user):
    from opendost.subjects.selectors import person_choices_for as subjects_people

    return subjects_people(user)


def organization_choices_for(user):
    from opendost.subjects.selectors import organization_choices_for as subjects_organizations

    return subjects_organizations(user)


# EXPIRY CONTROL -----------------------------------------------------------------------------------
def licences_expiring(*, user, within_days: int, today: dt.date) -> QuerySet[Licence]:
    """Licences in force today that expire within `within_days` days, soonest first."""
    return (
        Licence.objects.visible_to(user)
        .filter(in_force_on(today), valid_until__lte=today + dt.timedelta(days=within_days))
        .select_related("facility")
        .annotate(device_count=Count("devices", filter=~Q(devices__status=DeviceStatus.DECOMMISSIONED)))
        .order_by("valid_until", "pk")
    )


def licences_overdue(*, user, today: dt.date) -> QuerySet[Licence]:
    """Expired licences not replaced, whose devices are still in use (radiation work without a licence)."""
    in_use = Device.objects.filter(licences=OuterRef("pk"), status=DeviceStatus.IN_USE)
    return (
        Licence.objects.visible_to(user)
        .filter(status=LicenceStatus.VALID, valid_until__lt=today)
        .filter(Exists(in_use))
        .select_related("facility")
        .annotate(device_count=Count("devices", filter=Q(devices__status=DeviceStatus.IN_USE)))
        .order_by("valid_until", "pk")
    )


def devices_without_valid_licence(*, user, today: dt.date) -> QuerySet[Device]:
    """Devices in use that no licence in force covers today."""
    covered = Licence.objects.filter(in_force_on(today), devices=OuterRef("pk"))
    return (
        Device.objects.visible_to(user)
        .filter(status=DeviceStatus.IN_USE)
        .exclude(Exists(covered))
        .select_related("facility")
        .order_by("facility__name_folded", "pk")
    )


def renewal_deadline(licence: Licence, *, today: dt.date) -> dt.date:
    return rules.renewal_filing_deadline(licence.valid_until, today=today)


# PUBLIC -------------------------------------------------------------------------------------------
def public_register(*, q: str = "", today: dt.date | None = None) -> QuerySet[Licence]:
    """Licences in force: facility name and address, licence number, validity, devices licensed.
    Nothing personal (no safety officer, worker, phone or note) is selected for the page."""
    today = today or timezone.localdate()
    qs = Licence.objects.filter(in_force_on(today)).select_related(
        "facility__province", "facility__district", "facility__commune"
    )
    if folded := fold(q):
        qs = qs.filter(Q(facility__name_folded__contains=folded) | Q(number_folded__contains=folded.replace(" ", "")))
    return qs.annotate(device_count=Count("devices", filter=~Q(devices__status=DeviceStatus.DECOMMISSIONED))).order_by(
        "facility__name_folded", "pk"
    )


def licence_for_verification(number_or_code: str) -> Licence | None:
    """The licence a QR code (verification code) or a printed number refers to; for a number shared
    by several licences (numbering restarts every year), the most recently issued."""
    value = (number_or_code or "").strip()
    if not value or len(value) > 60:
        return None
    qs = Licence.objects.select_related("facility", "predecessor").prefetch_related(
        Prefetch("successors", queryset=Licence.objects.order_by("pk"))
    )
    licence = qs.filter(verification_code=value.upper()).first()
    if licence is None:
        licence = qs.filter(number_folded=licence_number_key(value)).order_by("-issued_on", "-pk").first()
    return licence


# HELPERS ------------------------------------------------------------------------------------------
def _get(queryset: QuerySet, public_id):
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
