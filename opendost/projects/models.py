"""S&T tasks (nhiệm vụ KH&CN: đề tài, dự án) from the proposal to the registered result.

Every status field is written by `opendost.workflow.services.transition_apply` only (workflows.py);
amounts are whole đồng. Rows that belong to a department carry it, so `visible_to(user)` scopes
them; rows below a task (budget, contract, reports, results) are reached through a scoped task.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendost.common.locking import VersionedModel
from opendost.common.models import PublicIdModel, TimeStampedModel
from opendost.departments.scoping import DepartmentScopedQuerySet
from opendost.geography.enums import CodeSet
from opendost.projects.enums import (
    AcceptanceLevel,
    AmendmentKind,
    AmendmentStatus,
    ApplicationStatus,
    AssignmentMode,
    CallStatus,
    CheckConclusion,
    Classification,
    FundingSource,
    ProposalStatus,
    Regime,
    RegistrationStatus,
    ReportStatus,
    ResultType,
    RoundStatus,
    TaskKind,
    TaskLevel,
    TaskStatus,
)
from opendost.projects.regimes import state_label

_DEPARTMENT = "departments.Department"
_ORGANIZATION = "subjects.Organization"
_FIELD = "classifications.ClassificationNode"


def _department_fk():
    return models.ForeignKey(_DEPARTMENT, models.PROTECT, related_name="+", verbose_name=_("department"))


# ORDERING ---------------------------------------------------------------------------------------
class ProposalRound(PublicIdModel, TimeStampedModel):
    """A yearly round of proposals for ordering (đợt đề xuất đặt hàng)."""

    department = _department_fk()
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    regime = models.CharField(_("legal regime"), max_length=4, choices=Regime)
    closes_on = models.DateField(_("proposals close on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RoundStatus, default=RoundStatus.OPEN)
    decision = models.ForeignKey(
        "documents.IssuedDocument",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision approving the ordered list"),
    )

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal round")
        verbose_name_plural = _("proposal rounds")
        ordering = ["-year", "-pk"]
        permissions = [("approve_proposalround", _("Can approve the ordered list of a round"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:round_detail", args=[self.public_id])


class Proposal(PublicIdModel, TimeStampedModel):
    """A proposal for ordering a task (đề xuất đặt hàng), from an organisation, a commune or an agency."""

    department = _department_fk()
    round = models.ForeignKey(
        ProposalRound, models.PROTECT, null=True, blank=True, related_name="proposals", verbose_name=_("round")
    )
    proposer_organization = models.ForeignKey(
        _ORGANIZATION,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="st_proposals",
        verbose_name=_("proposing organisation"),
    )
    proposer_name = models.CharField(
        _("proposer"),
        max_length=255,
        blank=True,
        help_text=_("For a commune, an agency or a person not in the register."),
    )
    title = models.CharField(_("title"), max_length=500)
    problem = models.TextField(_("problem to solve"))
    objectives = models.TextField(_("objectives"))
    expected_results = models.TextField(_("expected results"))
    field = models.ForeignKey(
        _FIELD, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("S&T field")
    )
    estimated_budget = models.PositiveBigIntegerField(_("estimated budget (VND)"), default=0)
    regime = models.CharField(_("legal regime"), max_length=4, choices=Regime)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decision_note = models.TextField(_("reason of the decision"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus, default=ProposalStatus.DRAFT)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def proposer(self) -> str:
        return self.proposer_organization.name if self.proposer_organization_id else self.proposer_name

    def get_absolute_url(self) -> str:
        return reverse("projects:proposal_detail", args=[self.public_id])


# TASKS ------------------------------------------------------------------------------------------
class Task(PublicIdModel, TimeStampedModel, VersionedModel):
    department = _department_fk()
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind, default=TaskKind.RESEARCH)
    level = models.CharField(_("level"), max_length=12, choices=TaskLevel, default=TaskLevel.PROVINCIAL)
    regime = models.CharField(_("legal regime"), max_length=4, choices=Regime)
    assignment_mode = models.CharField(
        _("assignment mode"), max_length=12, choices=AssignmentMode, default=AssignmentMode.SELECTION
    )
    field = models.ForeignKey(
        _FIELD, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("S&T field")
    )
    proposal = models.OneToOneField(
        Proposal, models.PROTECT, null=True, blank=True, related_name="task", verbose_name=_("proposal")
    )
    round = models.ForeignKey(
        ProposalRound, models.PROTECT, null=True, blank=True, related_name="tasks", verbose_name=_("round")
    )
    objectives = models.TextField(_("objectives"), blank=True)
    expected_products = models.TextField(_("expected products"), blank=True)
    host = models.ForeignKey(
        _ORGANIZATION,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="st_tasks",
        verbose_name=_("host organisation"),
    )
    principal_investigator = models.ForeignKey(
        "subjects.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="st_tasks",
        verbose_name=_("principal investigator"),
    )
    start_on = models.DateField(_("start"), null=True, blank=True)
    end_on = models.DateField(_("end"), null=True, blank=True)
    admin_code_set = models.CharField(_("code set of the places"), max_length=10, choices=CodeSet, blank=True)
    places = models.ManyToManyField(
        "geography.AdminUnit", blank=True, related_name="+", verbose_name=_("places where applied")
    )
    is_historic = models.BooleanField(
        _("recorded from the former register"), default=False, help_text=_("Its earlier steps are not in OpenDOST.")
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=30, choices=TaskStatus, default=TaskStatus.ORDERED)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("S&T task")
        verbose_name_plural = _("S&T tasks")
        ordering = ["-start_on", "code", "pk"]
        permissions = [
            ("export_task", _("Can export S&T tasks")),
            ("approve_task", _("Can approve S&T task decisions")),
        ]
        constraints = [models.UniqueConstraint(fields=["department", "code"], name="projects_task_unique_code")]
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["department", "start_on"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:task_detail", args=[self.public_id])

    @property
    def status_label(self) -> str:
        return state_label(self.regime, self.status)


class BudgetLine(TimeStampedModel):
    task = models.ForeignKey(Task, models.CASCADE, related_name="budget_lines", verbose_name=_("task"))
    source = models.CharField(_("source"), max_length=12, choices=FundingSource)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["task", "source"]
        constraints = [models.UniqueConstraint(fields=["task", "source"], name="projects_budget_unique_source")]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.amount}"


# SELECTION --------------------------------------------------------------------------------------
class SelectionCall(PublicIdModel, TimeStampedModel):
    """A call for applications (thông báo tuyển chọn) for one or more ordered tasks."""

    department = _department_fk()
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    regime = models.CharField(_("legal regime"), max_length=4, choices=Regime)
    tasks = models.ManyToManyField(Task, related_name="calls", verbose_name=_("tasks"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=CallStatus, default=CallStatus.DRAFT)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-deadline", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:call_detail", args=[self.public_id])


class SelectionApplication(PublicIdModel, TimeStampedModel):
    """An applicant's dossier for a task in a call (hồ sơ đăng ký tuyển chọn)."""

    department = _department_fk()
    call = models.ForeignKey(SelectionCall, models.PROTECT, related_name="applications", verbose_name=_("call"))
    task = models.ForeignKey(Task, models.PROTECT, related_name="applications", verbose_name=_("task"))
    organization = models.ForeignKey(
        _ORGANIZATION, models.PROTECT, related_name="st_applications", verbose_name=_("applicant organisation")
    )
    principal_investigator_name = models.CharField(_("proposed principal investigator"), max_length=150)
    proposal_text = models.TextField(_("proposal (thuyết minh)"))
    team = models.TextField(_("team"), blank=True)
    timeline = models.TextField(_("timeline"), blank=True)
    budget_central = models.PositiveBigIntegerField(_("central S&T budget (VND)"), default=0)
    budget_provincial = models.PositiveBigIntegerField(_("provincial S&T budget (VND)"), default=0)
    budget_counterpart = models.PositiveBigIntegerField(_("counterpart funds (VND)"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.DecimalField(_("mean score"), max_digits=5, decimal_places=2, null=True, blank=True)
    council_ref = models.CharField(_("council"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=ApplicationStatus, default=ApplicationStatus.DRAFT)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} – {self.task.code}"

    @property
    def budget_total(self) -> int:
        return self.budget_central + self.budget_provincial + self.budget_counterpart

    def get_absolute_url(self) -> str:
        return reverse("projects:application_detail", args=[self.public_id])


# CONTRACT AND FUNDING ---------------------------------------------------------------------------
class Contract(TimeStampedModel):
    task = models.OneToOneField(Task, models.PROTECT, related_name="contract", verbose_name=_("task"))
    number = models.CharField(_("contract number"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    host = models.ForeignKey(_ORGANIZATION, models.PROTECT, related_name="+", verbose_name=_("host organisation"))
    principal_investigator = models.ForeignKey(
        "subjects.Person", models.PROTECT, related_name="+", verbose_name=_("principal investigator")
    )
    total = models.PositiveBigIntegerField(_("contract value from the state budget (VND)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return self.number


class ContractAmendment(PublicIdModel, TimeStampedModel):
    contract = models.ForeignKey(Contract, models.CASCADE, related_name="amendments", verbose_name=_("contract"))
    kind = models.CharField(_("kind"), max_length=12, choices=AmendmentKind)
    reason = models.TextField(_("reason"))
    new_end_on = models.DateField(_("new end date"), null=True, blank=True)
    new_total = models.PositiveBigIntegerField(_("new contract value (VND)"), null=True, blank=True)
    requested_on = models.DateField(_("requested on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AmendmentStatus, default=AmendmentStatus.REQUESTED)

    class Meta:
        verbose_name = _("contract amendment")
        verbose_name_plural = _("contract amendments")
        ordering = ["requested_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.requested_on:%d/%m/%Y})"


class Tranche(TimeStampedModel):
    contract = models.ForeignKey(Contract, models.CASCADE, related_name="tranches", verbose_name=_("contract"))
    sequence = models.PositiveSmallIntegerField(_("tranche"))
    planned_amount = models.PositiveBigIntegerField(_("planned amount (VND)"))
    condition = models.CharField(_("condition"), max_length=255, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["contract", "sequence"]
        constraints = [models.UniqueConstraint(fields=["contract", "sequence"], name="projects_tranche_unique_seq")]

    def __str__(self) -> str:
        return _("Tranche %(n)s") % {"n": self.sequence}


class Disbursement(TimeStampedModel):
    tranche = models.ForeignKey(Tranche, models.PROTECT, related_name="disbursements", verbose_name=_("tranche"))
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="projects_disbursement_positive")]

    def __str__(self) -> str:
        return f"{self.amount} ({self.paid_on:%d/%m/%Y})"


class Deliverable(TimeStampedModel):
    """An item of the approved content and product schedule (one row per product, graded at acceptance)."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="deliverables", verbose_name=_("task"))
    name = models.CharField(_("content or product"), max_length=500)
    specification = models.TextField(_("quantity and quality required"), blank=True)
    due_on = models.DateField(_("due on"))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.name


# PROGRESS ---------------------------------------------------------------------------------------
def _report_upload(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()[:5]
    return f"projects/reports/{instance.public_id}.{extension}"


class ProgressReport(PublicIdModel, TimeStampedModel):
    task = models.ForeignKey(Task, models.CASCADE, related_name="progress_reports", verbose_name=_("task"))
    period_end = models.DateField(_("period ending on"))
    content = models.TextField(_("work done, products, spending and problems"))
    attachment = models.FileField(_("attachment"), upload_to=_report_upload, blank=True, max_length=200)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("submitted by")
    )
    review_note = models.TextField(_("officer's review"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus, default=ReportStatus.SUBMITTED)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["period_end", "pk"]

    def __str__(self) -> str:
        return _("Progress report to %(date)s") % {"date": self.period_end.strftime("%d/%m/%Y")}


class ProgressCheck(TimeStampedModel):
    task = models.ForeignKey(Task, models.CASCADE, related_name="progress_checks", verbose_name=_("task"))
    checked_on = models.DateField(_("checked on"))
    findings = models.TextField(_("findings"))
    conclusion = models.CharField(_("conclusion"), max_length=12, choices=CheckConclusion)

    class Meta:
        verbose_name = _("progress check")
        verbose_name_plural = _("progress checks")
        ordering = ["checked_on", "pk"]

    def __str__(self) -> str:
        return f"{self.checked_on:%d/%m/%Y}"


# ACCEPTANCE AND RESULTS -------------------------------------------------------------------------
class Acceptance(TimeStampedModel):
    """The outcome of an acceptance council (written by `services.acceptance_record`, which the
    councils app calls when it closes a council)."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="acceptances", verbose_name=_("task"))
    level = models.CharField(_("level"), max_length=12, choices=AcceptanceLevel)
    held_on = models.DateField(_("held on"))
    classification = models.CharField(_("classification"), max_length=10, choices=Classification)
    council_ref = models.CharField(_("council"), max_length=100, blank=True)
    council = models.ForeignKey(
        "councils.Council",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("council record"),
        help_text=_("The council in OpenDOST whose outcome this is (empty for a council held on paper)."),
    )
    refund_amount = models.PositiveBigIntegerField(_("amount to refund (VND)"), default=0)
    rework_until = models.DateField(_("rework allowed until"), null=True, blank=True)
    note = models.TextField(_("conclusion"), blank=True)

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.get_classification_display()}"


class TaskResult(PublicIdModel, TimeStampedModel):
    """A result of a task (the final report and its products), as registered and published."""

    department = _department_fk()
    task = models.ForeignKey(Task, models.PROTECT, related_name="results", verbose_name=_("task"))
    title = models.CharField(_("title"), max_length=500)
    abstract = models.TextField(_("abstract"))
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    field = models.ForeignKey(
        _FIELD, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("S&T field")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    result_type = models.CharField(_("type"), max_length=12, choices=ResultType, default=ResultType.REPORT)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("task result")
        verbose_name_plural = _("task results")
        ordering = ["-year", "title", "pk"]
        # The OAI-PMH provider pages results by (updated_at, id).
        indexes = [models.Index(fields=["updated_at", "id"], name="projects_result_oai_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:task_detail", args=[self.task.public_id]) + "#results"


class ResultRegistration(PublicIdModel, TimeStampedModel):
    """The host's registration dossier of a result; the Department issues the certificate within
    5 working days of a complete dossier (or, for results it does not certify, stores them)."""

    department = _department_fk()
    result = models.OneToOneField(TaskResult, models.PROTECT, related_name="registration", verbose_name=_("result"))
    received_on = models.DateField(_("complete dossier received on"))
    due_on = models.DateField(_("statutory deadline"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    storage_ref = models.CharField(_("storage reference"), max_length=60, blank=True)
    certificate = models.OneToOneField(
        "documents.IssuedDocument",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certificate"),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus, default=RegistrationStatus.SUBMITTED
    )

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("result registration")
        verbose_name_plural = _("result registrations")
        ordering = ["-received_on", "pk"]

    def __str__(self) -> str:
        return str(self.result)


class ResultApplication(TimeStampedModel):
    """A report of a result applied in practice (Mẫu 12, TT 14/2014)."""

    result = models.ForeignKey(TaskResult, models.CASCADE, related_name="applications", verbose_name=_("result"))
    place = models.ForeignKey(
        "geography.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("place")
    )
    place_text = models.CharField(_("place (as written)"), max_length=255, blank=True)
    scale = models.CharField(_("scale"), max_length=255)
    economic_effect = models.TextField(_("economic and social effect"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("application of a result")
        verbose_name_plural = _("applications of results")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return f"{self.year}: {self.scale}"
