"""The radiation-safety register of medical diagnostic X-ray (domain-procedures §9).

A facility (cơ sở X-quang) belongs to one organisation of the subject register; it holds devices,
licences (giấy phép tiến hành công việc bức xạ) with their history chain, radiation workers and their
certificates, and facility-level incident response plans. Monitoring points and their readings record
environmental dose rates.

Statuses change only through `opendost.workflow.services.transition_apply` (workflows.py). A licence's
"expired" state is not stored: it is computed from `valid_until` against the day asked about, so no
job has to move licences. What was printed at issue (issuing body, facility name and address) is kept
as text on the licence (§19.2): a licence by "Sở KH&CN tỉnh Bắc Giang" keeps that text.
"""

import datetime as dt
import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opendost.common.models import PublicIdModel, TimeStampedModel
from opendost.common.text import fold
from opendost.departments.scoping import DepartmentScopedQuerySet
from opendost.radiation.enums import (
    DeviceStatus,
    DeviceType,
    FacilityKind,
    LicenceKind,
    LicenceState,
    LicenceStatus,
    PlanStatus,
)
from opendost.subjects.models import AddressMixin

# Without 0/O, 1/I/L: easy to read aloud and to type from paper (as opendost.documents).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def licence_number_key(number: str) -> str:
    """Licence numbers compare ignoring case, diacritics and spaces: "15/GP-SKHCN" = "15/gp-skhcn "."""
    return fold(number).replace(" ", "")


def in_force_on(day: dt.date, prefix: str = "") -> models.Q:
    """Licences that cover their devices on `day`: valid status, issued by then, not expired. (A
    renewal issued ahead of the old expiry covers from its issue day: the old one was superseded then.)"""
    return models.Q(
        **{f"{prefix}status": LicenceStatus.VALID, f"{prefix}issued_on__lte": day, f"{prefix}valid_until__gte": day}
    )


def _department_fk(related_name: str):
    return models.ForeignKey(
        "departments.Department", models.PROTECT, related_name=related_name, verbose_name=_("department")
    )


class Facility(PublicIdModel, TimeStampedModel, AddressMixin):
    """An X-ray facility: the work site named on the licence. The address is the one registered."""

    department = _department_fk("xray_facilities")
    organization = models.ForeignKey(
        "subjects.Organization", models.PROTECT, related_name="xray_facilities", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    rso_name = models.CharField(_("radiation safety officer"), max_length=150, blank=True)
    rso_certificate = models.CharField(
        _("officer's certificate"), max_length=100, blank=True, help_text=_("Number of the RSO's certificate.")
    )
    note = models.TextField(_("note"), blank=True)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("X-ray facility")
        verbose_name_plural = _("X-ray facilities")
        ordering = ["name_folded", "pk"]
        permissions = [("export_facility", _("Can export X-ray facilities"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("radiation:facility_detail", args=[self.public_id])


class Device(PublicIdModel, TimeStampedModel):
    department = _department_fk("xray_devices")
    facility = models.ForeignKey(Facility, models.PROTECT, related_name="devices", verbose_name=_("facility"))
    device_type = models.CharField(_("device type"), max_length=20, choices=DeviceType)
    manufacturer = models.CharField(_("manufacturer"), max_length=100)
    model_name = models.CharField(_("model"), max_length=100, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100)
    year_of_manufacture = models.PositiveSmallIntegerField(_("year of manufacture"), null=True, blank=True)
    kvp_max = models.PositiveSmallIntegerField(_("maximum kVp"), null=True, blank=True)
    ma_max = models.PositiveIntegerField(_("maximum mA"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DeviceStatus, default=DeviceStatus.INSTALLED)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    in_use_since = models.DateField(_("in use since"), null=True, blank=True)
    decommissioned_on = models.DateField(_("decommissioned on"), null=True, blank=True)
    status_note = models.TextField(_("status note"), blank=True)
    inspection_certificate = models.CharField(_("inspection certificate number"), max_length=100, blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspection_valid_until = models.DateField(_("inspection valid until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("X-ray device")
        verbose_name_plural = _("X-ray devices")
        ordering = ["facility_id", "device_type", "pk"]

    def __str__(self) -> str:
        label = " ".join(p for p in (self.manufacturer, self.model_name) if p)
        return f"{self.get_device_type_display()} {label} ({self.serial_number})"


class Licence(PublicIdModel, TimeStampedModel):
    department = _department_fk("xray_licences")
    facility = models.ForeignKey(Facility, models.PROTECT, related_name="licences", verbose_name=_("facility"))
    kind = models.CharField(_("kind"), max_length=10, choices=LicenceKind, default=LicenceKind.NEW)
    number = models.CharField(_("licence number"), max_length=60, help_text=_("As printed, e.g. 15/GP-SKHCN."))
    number_folded = models.CharField(max_length=60, editable=False, db_index=True)
    predecessor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("replaces licence"),
    )
    devices = models.ManyToManyField(Device, related_name="licences", verbose_name=_("devices covered"))
    work_scope = models.TextField(_("radiation work"))
    conditions = models.TextField(_("conditions"), blank=True)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=12, choices=LicenceStatus, default=LicenceStatus.VALID)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    document = models.ForeignKey(
        "documents.IssuedDocument",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("printed licence"),
    )
    issuer_name_at_issue = models.CharField(_("issuing body at issue"), max_length=255)
    facility_name_at_issue = models.CharField(_("facility name at issue"), max_length=255)
    address_text_at_issue = models.CharField(_("work-site address at issue"), max_length=500, blank=True)
    verification_code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_verification_code, editable=False
    )

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("radiation work licence")
        verbose_name_plural = _("radiation work licences")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")), name="licence_dates"),
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("radiation:licence_detail", args=[self.public_id])

    def get_verification_path(self) -> str:
        return reverse("radiation_public:verify", args=[self.verification_code])

    def state_on(self, day: dt.date) -> str:
        if self.status != LicenceStatus.VALID:
            return self.status
        if day > self.valid_until:
            return LicenceState.EXPIRED
        return LicenceState.VALID

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def get_state_display(self) -> str:
        return LicenceState(self.state).label

    def days_left(self, day: dt.date | None = None) -> int:
        return (self.valid_until - (day or timezone.localdate())).days


class RadiationWorker(PublicIdModel, TimeStampedModel):
    """A radiation worker (nhân viên bức xạ) of a facility; optionally a registered person."""

    department = _department_fk("xray_workers")
    facility = models.ForeignKey(Facility, models.PROTECT, related_name="workers", verbose_name=_("facility"))
    person = models.ForeignKey(
        "subjects.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="radiation_work",
        verbose_name=_("registered person"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    job_title = models.CharField(_("job"), max_length=150, blank=True)
    is_safety_officer = models.BooleanField(_("radiation safety officer"), default=False)
    left_on = models.DateField(_("left the facility on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("radiation worker")
        verbose_name_plural = _("radiation workers")
        ordering = ["full_name", "pk"]

    def __str__(self) -> str:
        return self.full_name


class SafetyCertificate(PublicIdModel, TimeStampedModel):
    """Chứng chỉ nhân viên bức xạ. It has no expiry under NĐ 142/2020 Art. 37, so none is stored."""

    worker = models.ForeignKey(
        RadiationWorker, models.CASCADE, related_name="certificates", verbose_name=_("radiation worker")
    )
    number = models.CharField(pgettext_lazy("radiation worker", "certificate number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=255)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("radiation worker certificate")
        verbose_name_plural = _("radiation worker certificates")
        ordering = ["-issued_on", "pk"]

    def __str__(self) -> str:
        return self.number


class ResponsePlan(PublicIdModel, TimeStampedModel):
    """Kế hoạch ứng phó sự cố bức xạ cấp cơ sở, with the cover-page fields (số hiệu, phiên bản, ngày hiệu lực)."""

    department = _department_fk("xray_response_plans")
    facility = models.ForeignKey(Facility, models.PROTECT, related_name="response_plans", verbose_name=_("facility"))
    code = models.CharField(_("plan code"), max_length=60)
    # Not "version": the transition engine increments a field of that name (optimistic locking).
    plan_version = models.CharField(_("version"), max_length=20, default="1.0")
    page_count = models.PositiveSmallIntegerField(_("number of pages"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus, default=PlanStatus.DRAFT)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_document = models.ForeignKey(
        "documents.IssuedDocument",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approval document"),
    )
    returned_reason = models.TextField(_("reason for return"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident response plan")
        verbose_name_plural = _("incident response plans")
        ordering = ["-effective_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.code} ({self.plan_version})"

    @property
    def version(self) -> str:
        """The plan's version as printed on its cover page (read-only alias of plan_version)."""
        return self.plan_version


class MeasurementPoint(PublicIdModel, TimeStampedModel, AddressMixin):
    """A point where the environmental dose rate is measured, near a facility or elsewhere."""

    department = _department_fk("radiation_points")
    name = models.CharField(_("name"), max_length=255)
    location = models.CharField(_("location"), max_length=255, blank=True)
    facility = models.ForeignKey(
        Facility,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="measurement_points",
        verbose_name=_("nearby facility"),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    threshold = models.DecimalField(
        _("alert threshold (µSv/h)"),
        max_digits=8,
        decimal_places=3,
        default="0.500",
        help_text=_("A reading above this dose rate is flagged."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring point")
        verbose_name_plural = _("monitoring points")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("radiation:point_detail", args=[self.public_id])


class Reading(PublicIdModel, TimeStampedModel):
    point = models.ForeignKey(
        MeasurementPoint, models.CASCADE, related_name="readings", verbose_name=_("monitoring point")
    )
    measured_at = models.DateTimeField(_("measured at"))
    dose_rate = models.DecimalField(_("dose rate (µSv/h)"), max_digits=8, decimal_places=3)
    above_threshold = models.BooleanField(_("above the threshold"), default=False, editable=False)
    instrument = models.CharField(_("instrument"), max_length=150, blank=True)
    measured_by = models.CharField(_("measured by"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("dose-rate reading")
        verbose_name_plural = _("dose-rate readings")
        ordering = ["-measured_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(dose_rate__gte=0), name="reading_dose_rate_positive")]

    def __str__(self) -> str:
        return f"{self.point} {self.measured_at:%d/%m/%Y %H:%M}: {self.dose_rate} µSv/h"
