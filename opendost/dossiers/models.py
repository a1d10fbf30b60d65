"""The one-stop dossier engine (domain reference §1): procedures as versioned data, dossiers with
their statutory clock, supplements (pauses), delays (apology slips), attachments and ratings.

A dossier keeps the procedure version it started under (`procedure_version`, PROTECT) and is never
re-judged under later rules. Dates are legal dates (Asia/Ho_Chi_Minh); the due date is computed at
receipt and recomputed only when the clock stops and restarts (services.py).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendost.calendars.enums import DeadlineUnit, StartRule
from opendost.calendars.workdays import DeadlineRule, Pause
from opendost.common.locking import VersionedModel
from opendost.common.models import PublicIdModel, TimeStampedModel
from opendost.departments.scoping import DepartmentScopedQuerySet
from opendost.dossiers.enums import (
    FINISHED_STATES,
    OPEN_STATES,
    ApplicantKind,
    Channel,
    DossierStatus,
    OnlineLevel,
    Recommendation,
    Satisfaction,
    Timeliness,
    VersionStatus,
)


class Procedure(PublicIdModel, TimeStampedModel):
    """An administrative procedure (thủ tục hành chính) of the catalogue; its rules live in versions."""

    code = models.CharField(_("national procedure code"), max_length=30, help_text=_("e.g. 1.000395"))
    local_code = models.CharField(
        _("full code with the provincial variant"),
        max_length=60,
        unique=True,
        help_text=_("e.g. 1.000395.000.00.00.H10"),
    )
    name = models.CharField(_("name"), max_length=500)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    handler_key = models.CharField(
        _("handler"), max_length=60, default="generic", help_text=_("What approving a dossier does in the registers.")
    )

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["sector", "name"]
        permissions = [("publish_procedure", _("Can publish procedure versions"))]

    def __str__(self) -> str:
        return f"{self.local_code} – {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("dossiers:procedure_detail", args=[self.public_id])


class ProcedureVersion(PublicIdModel, TimeStampedModel):
    """The rules of a procedure from `effective_from`: deadline, documents, fees, steps, slips, output.

    `rules` holds procedure-specific parameters the handler reads (e.g. {"renewal_lead_days": 45,
    "licence_term_years": 3}); `slip_names` the names of the slips printed under this version."""

    procedure = models.ForeignKey(Procedure, models.PROTECT, related_name="versions", verbose_name=_("procedure"))
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus, default=VersionStatus.DRAFT)
    regime = models.CharField(_("legal regime"), max_length=40, blank=True, help_text=_("e.g. NĐ 142/2020"))
    legal_basis = models.TextField(_("legal basis"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    online_level = models.CharField(_("online level"), max_length=10, choices=OnlineLevel, default=OnlineLevel.FULL)
    fee_amount = models.PositiveBigIntegerField(_("fee (VND)"), default=0)
    fee_note = models.TextField(_("fees"), blank=True)
    required_documents = models.JSONField(
        _("required documents"), default=list, blank=True, help_text=_("A list of {code, name, copy, required}.")
    )
    deadline_unit = models.CharField(_("deadline unit"), max_length=10, choices=DeadlineUnit)
    deadline_count = models.PositiveSmallIntegerField(_("deadline"))
    start_rule = models.CharField(
        _("the clock starts"), max_length=20, choices=StartRule, default=StartRule.NEXT_WORKING_DAY
    )
    pause_on_supplement = models.BooleanField(_("the clock stops while waiting for supplements"), default=True)
    intake_check_days = models.PositiveSmallIntegerField(
        _("completeness check (working days)"), default=0, help_text=_("0: checked at the counter on receipt.")
    )
    steps = models.JSONField(
        _("steps"), default=list, blank=True, help_text=_("A list of {code, name, days} in working days.")
    )
    output_name = models.CharField(_("result document"), max_length=255)
    output_doc_type = models.CharField(_("result document type (symbol)"), max_length=10, default="GP")
    slip_names = models.JSONField(_("slip names"), default=dict, blank=True)
    rules = models.JSONField(_("procedure rules"), default=dict, blank=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedureversion_unique_number"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="procedureversion_effective_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.local_code} v{self.number}"

    @property
    def deadline_rule(self) -> DeadlineRule:
        return DeadlineRule(unit=self.deadline_unit, count=self.deadline_count, start=self.start_rule)

    @property
    def deadline_display(self) -> str:
        return f"{self.deadline_count} {DeadlineUnit(self.deadline_unit).label.lower()}"

    def is_effective_on(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def clock_after_fee(self) -> bool:
        """The time limit runs from the complete dossier *and* the paid fees (e.g. NĐ 142/2020 Art. 29)."""
        return bool(self.rules.get("clock_after_fee")) and self.fee_amount > 0

    def slip_name(self, key: str, default: str) -> str:
        return str(self.slip_names.get(key) or default)


def _attachment_upload_to(instance: "DossierAttachment", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dossiers/{instance.dossier.public_id}/{instance.public_id}.{extension}"


class DossierQuerySet(DepartmentScopedQuerySet):
    def of_applicant(self, user) -> "DossierQuerySet":
        """The dossiers an applicant follows: those submitted from the account, and those of its organisation."""
        if not user.is_authenticated:
            return self.none()
        condition = models.Q(applicant_user=user)
        if user.organization_id:
            condition |= models.Q(applicant_organization_id=user.organization_id)
        return self.filter(condition)

    def open(self) -> "DossierQuerySet":
        return self.filter(status__in=OPEN_STATES)


class Dossier(PublicIdModel, TimeStampedModel, VersionedModel):
    department = models.ForeignKey(
        "departments.Department", models.PROTECT, related_name="dossiers", verbose_name=_("department")
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion, models.PROTECT, related_name="dossiers", verbose_name=_("procedure version")
    )
    code = models.CharField(_("dossier code"), max_length=40, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=25, choices=DossierStatus, default=DossierStatus.DRAFT)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.ONLINE)
    # The applicant as submitted (text kept as written; the organisation links it to the register).
    applicant_kind = models.CharField(
        _("applicant type"), max_length=15, choices=ApplicantKind, default=ApplicantKind.ORGANIZATION
    )
    applicant_organization = models.ForeignKey(
        "subjects.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("organisation"),
    )
    applicant_name = models.CharField(_("applicant"), max_length=255)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=30, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("applicant account"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    payload = models.JSONField(_("procedure details"), default=dict, blank=True)
    note = models.TextField(_("applicant's note"), blank=True)
    # Fees (phí, lệ phí) as paid: where the version says so, the clock waits for them.
    fee_amount = models.PositiveBigIntegerField(_("fee paid (VND)"), null=True, blank=True)
    fee_receipt = models.CharField(_("fee receipt number"), max_length=60, blank=True)
    fee_paid_on = models.DateField(_("fee paid on"), null=True, blank=True)
    # Clock
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    intake_due_date = models.DateField(_("completeness check due"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    clock_start_date = models.DateField(_("deemed received on"), null=True, blank=True)
    due_date = models.DateField(_("appointment date"), null=True, blank=True)
    rescheduled_due_date = models.DateField(_("new appointment date"), null=True, blank=True)
    finished_at = models.DateTimeField(_("handling finished at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    # Handling
    assigned_unit = models.ForeignKey(
        "departments.Unit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("handling unit")
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name=_("handling officer"),
    )
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation, blank=True)
    recommendation_note = models.TextField(_("officer's opinion"), blank=True)
    decision_reason = models.TextField(_("reasons"), blank=True)
    result_document = models.ForeignKey(
        "documents.IssuedDocument",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("result document"),
    )

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("receive_dossier", _("Can receive dossiers at the one-stop desk")),
            ("assign_dossier", _("Can assign dossiers")),
            ("handle_dossier", _("Can handle dossiers")),
            ("decide_dossier", _("Can approve or refuse dossiers")),
            ("view_dossier_statistics", _("Can view dossier statistics")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="dossier_unique_code"),
        ]
        indexes = [
            models.Index(fields=["department", "status", "due_date"], name="dossier_worklist_idx"),
            models.Index(fields=["procedure_version", "received_at"], name="dossier_procedure_idx"),
            # The staff list's default order within a department (bench/dossiers.py): without it every
            # page sorts all of the department's dossiers.
            models.Index(fields=["department", "submitted_at", "id"], name="dossier_list_idx"),
        ]

    def __str__(self) -> str:
        return self.code or str(_("Draft dossier"))

    def get_absolute_url(self) -> str:
        return reverse("dossiers:detail", args=[self.public_id])

    @property
    def procedure(self) -> Procedure:
        return self.procedure_version.procedure

    @property
    def effective_due_date(self):
        """The date promised to the applicant: the new appointment after an apology slip, else the due date."""
        return self.rescheduled_due_date or self.due_date

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATES

    def timeliness(self, today=None) -> str | None:
        return timeliness_of(self.status, self.due_date, self.finished_at, today)

    def is_late(self, today=None) -> bool:
        return self.timeliness(today) in {Timeliness.LATE, Timeliness.IN_PROGRESS_LATE}


def timeliness_of(status: str, due_date, finished_at, today=None) -> str | None:
    """Early / on time / late against the statutory due date (an apology slip does not make a late
    dossier on time); None before receipt or for a withdrawn dossier. One rule for the page, the
    statistics and the plan's indicators."""
    if due_date is None or status == DossierStatus.WITHDRAWN:
        return None
    from opendost.calendars.workdays import legal_date

    if finished_at is not None:
        done = legal_date(finished_at)
        if done < due_date:
            return Timeliness.EARLY
        return Timeliness.ON_TIME if done == due_date else Timeliness.LATE
    today = today or timezone.localdate()
    return Timeliness.IN_PROGRESS_LATE if today > due_date else Timeliness.IN_PROGRESS


class SupplementRequest(TimeStampedModel):
    """A request for supplements (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ). While it is open the clock
    stops when the procedure version says so; `resumed_at` restarts it."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="supplements", verbose_name=_("dossier"))
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    items = models.TextField(_("what is missing or must be corrected"))
    resumed_at = models.DateTimeField(_("supplemented at"), null=True, blank=True)
    applicant_note = models.TextField(_("applicant's note"), blank=True)
    pauses_clock = models.BooleanField(_("the clock stopped"), default=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.requested_at:%d/%m/%Y}"

    def as_pause(self) -> Pause | None:
        if not self.pauses_clock or self.resumed_at is None:
            return None
        return Pause.from_datetimes(self.requested_at, self.resumed_at)


class DossierDelay(TimeStampedModel):
    """An apology slip (phiếu xin lỗi và hẹn lại ngày trả kết quả) with the new appointment date."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="delays", verbose_name=_("dossier"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    previous_due_date = models.DateField(_("previous appointment date"))
    new_due_date = models.DateField(_("new appointment date"))
    reason = models.TextField(_("reason for the delay"))

    class Meta:
        verbose_name = _("apology slip")
        verbose_name_plural = _("apology slips")
        ordering = ["issued_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_due_date__gt=models.F("previous_due_date")), name="dossierdelay_later_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.new_due_date:%d/%m/%Y}"


class DossierStep(models.Model):
    """A sub-deadline of the handling (a step of the procedure version), planned at receipt."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="steps", verbose_name=_("dossier"))
    position = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("step"), max_length=255)
    due_date = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("handling step")
        verbose_name_plural = _("handling steps")
        ordering = ["dossier", "position"]
        constraints = [models.UniqueConstraint(fields=["dossier", "code"], name="dossierstep_unique_code")]

    def __str__(self) -> str:
        return self.name


class DossierAttachment(PublicIdModel):
    """A file of the dossier: a required document (by its code in the version) or a supplement."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="attachments", verbose_name=_("dossier"))
    requirement = models.CharField(_("document"), max_length=30, blank=True)
    name = models.CharField(_("description"), max_length=255)
    file = models.FileField(_("file"), upload_to=_attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    supplement = models.ForeignKey(
        SupplementRequest, models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()


class DossierRating(TimeStampedModel):
    """The applicant's satisfaction with a returned dossier (one per dossier)."""

    dossier = models.OneToOneField(Dossier, models.CASCADE, related_name="rating", verbose_name=_("dossier"))
    score = models.PositiveSmallIntegerField(_("satisfaction"), choices=Satisfaction)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")

    def __str__(self) -> str:
        return f"{self.dossier}: {self.get_score_display()}"
