"""The five-year plan: its targets, the values typed in for indicators no register computes yet
(maker-checker), and the budget as the plan states it (DESIGN rule 7: typed figures keep their
source, and sums that do not add up are reported)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opendost.common.locking import VersionedModel
from opendost.common.models import PublicIdModel, TimeStampedModel
from opendost.departments.scoping import DepartmentScopedQuerySet
from opendost.planning.enums import ManualValueStatus, TargetArea


class Plan(PublicIdModel, TimeStampedModel, VersionedModel):
    department = models.ForeignKey(
        "departments.Department", models.PROTECT, related_name="+", verbose_name=_("department")
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    document_ref = models.CharField(_("plan document"), max_length=255, blank=True)
    copied_from = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("copied from")
    )

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_year", "code"]
        permissions = [("export_plan", _("Can export plan dashboards"))]
        constraints = [
            models.UniqueConstraint(fields=["department", "code"], name="planning_plan_unique_code"),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="planning_plan_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class Target(PublicIdModel, TimeStampedModel, VersionedModel):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="targets", verbose_name=_("plan"))
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    area = models.CharField(_("area"), max_length=12, choices=TargetArea)
    unit = models.CharField(_("unit of measure"), max_length=60)
    baseline_value = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, null=True, blank=True)
    baseline_label = models.CharField(_("baseline period"), max_length=40, blank=True)
    target_min = models.DecimalField(_("target (minimum)"), max_digits=18, decimal_places=4, null=True, blank=True)
    target_max = models.DecimalField(_("target (maximum)"), max_digits=18, decimal_places=4, null=True, blank=True)
    yearly_values = models.JSONField(_("values per year"), default=dict, blank=True)
    source_text = models.TextField(_("source of the baseline and target"), blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=255, blank=True)
    indicator_key = models.CharField(
        _("indicator"), max_length=60, blank=True, help_text=_("Empty: the values are entered and approved by hand.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="planning_target_unique_code")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_manual(self) -> bool:
        return not self.indicator_key

    @property
    def target_value(self) -> Decimal | None:
        """The value progress is measured against: the minimum of a range (the commitment)."""
        return self.target_min if self.target_min is not None else self.target_max


class ManualValue(PublicIdModel, TimeStampedModel):
    """A figure typed in for a manual indicator; it counts once approved by a user other than its maker."""

    target = models.ForeignKey(Target, models.CASCADE, related_name="manual_values", verbose_name=_("target"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    source_document = models.TextField(_("source document"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=ManualValueStatus, default=ManualValueStatus.DRAFT)

    class Meta:
        verbose_name = _("manual value")
        verbose_name_plural = _("manual values")
        ordering = ["target", "year", "quarter", "pk"]
        permissions = [("approve_manualvalue", _("Can approve manual values"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__isnull=True) | models.Q(quarter__gte=1, quarter__lte=4),
                name="planning_manual_quarter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target.code} {self.year}" + (f" Q{self.quarter}" if self.quarter else "")

    @property
    def department_id(self):
        return self.target.plan.department_id


class BudgetLine(TimeStampedModel, VersionedModel):
    """A budget line as the plan states it, in million VND (the plan's own unit, with fractions)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="budget_lines", verbose_name=_("plan"))
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent line")
    )
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    amount_million = models.DecimalField(_("amount stated (million VND)"), max_digits=18, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    source_key = models.CharField(
        _("spending counted"),
        max_length=40,
        blank=True,
        help_text=_("Which task funding is counted as this line's commitments and disbursements (budget.SOURCES)."),
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="planning_budget_unique_code"),
            # one line per kind of spending, or the plan would count the same contracts twice
            models.UniqueConstraint(
                fields=["plan", "source_key"], condition=~models.Q(source_key=""), name="planning_budget_unique_source"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BudgetAllocation(PublicIdModel, TimeStampedModel):
    """Money allocated to a budget line for one year (the province's yearly budget decision, or a
    change to it: a negative amount is a cut), with the document that allocates it."""

    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="allocations", verbose_name=_("budget line"))
    year = models.PositiveSmallIntegerField(_("year"))
    amount_million = models.DecimalField(_("amount allocated (million VND)"), max_digits=18, decimal_places=2)
    source_document = models.TextField(_("source document"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("entered by")
    )

    class Meta:
        verbose_name = _("budget allocation")
        verbose_name_plural = _("budget allocations")
        ordering = ["line", "year", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount_million=0), name="planning_allocation_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.line.code} {self.year}: {self.amount_million}"


# REPORTS (opendost.planning.reports, opendost.planning.review) ----------------------------------
class PlanReportKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly progress report")
    REVIEW = "review", _("Five-year review")


def _report_upload_to(instance: "PlanReport", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1]
    return f"planning/reports/{instance.year_to}/{instance.public_id}.{extension}"


class PlanReport(PublicIdModel, TimeStampedModel):
    """A report on the plan being prepared: the texts the officer writes (the figures are computed),
    and the draft last generated from them (.docx to edit and sign, PDF), with the snapshot of the
    figures and tables it printed (`content`), so its Excel export shows the same numbers.

    The number is left blank: the clerk (văn thư) numbers the report when the leader has signed it.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="reports", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=10, choices=PlanReportKind)
    year_from = models.PositiveSmallIntegerField(_("first year"))
    year_to = models.PositiveSmallIntegerField(_("last year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    general_situation = models.TextField(_("general situation"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    next_steps = models.TextField(_("tasks and solutions for the next period"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One recipient per line."))
    archive_unit = models.CharField(_("unit keeping the file copy"), max_length=40, blank=True)
    signer_authority = models.CharField(_("signing on behalf of"), max_length=60, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    content = models.JSONField(_("content generated"), default=dict, blank=True, editable=False)
    docx = models.FileField(_("Word file"), upload_to=_report_upload_to, max_length=200, blank=True)
    pdf = models.FileField(_("PDF file"), upload_to=_report_upload_to, max_length=200, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("prepared by")
    )
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("generated by"),
    )

    class Meta:
        verbose_name = _("plan report")
        verbose_name_plural = _("plan reports")
        ordering = ["plan", "-year_to", "-quarter", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="quarterly", quarter__gte=1, quarter__lte=4, year_from=models.F("year_to"))
                    | models.Q(kind="review", quarter__isnull=True, year_to__gte=models.F("year_from"))
                ),
                name="planning_report_period",
            ),
            models.UniqueConstraint(
                fields=["plan", "year_to", "quarter"],
                condition=models.Q(kind="quarterly"),
                name="planning_report_one_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["plan", "year_from", "year_to"],
                condition=models.Q(kind="review"),
                name="planning_report_one_review_per_period",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == PlanReportKind.QUARTERLY:
            return f"{self.plan.code} Q{self.quarter}/{self.year_to}"
        return f"{self.plan.code} {self.year_from}-{self.year_to}"

    @property
    def department_id(self):
        return self.plan.department_id

    @property
    def is_generated(self) -> bool:
        return self.generated_at is not None


class HistoricFigure(TimeStampedModel):
    """A figure an imported report states for a past period (e.g. the 2016-2020 results in part one
    of the 2021-2025 plan), kept as stated with its source, so it can be set against the records:
    the indicator `indicator_key` over the figure's years (times `scale`, from the indicator's unit to
    the stated one), or, for a stated rate, its stated parts (`numerator_key` / `denominator_key`,
    other figures of the same plan and period; the rate is in percent)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="historic_figures", verbose_name=_("plan"))
    year_from = models.PositiveSmallIntegerField(_("first year"))
    year_to = models.PositiveSmallIntegerField(_("last year"))
    key = models.SlugField(_("key"), max_length=60)
    label = models.CharField(_("figure"), max_length=500)
    stated_value = models.DecimalField(_("value stated"), max_digits=18, decimal_places=4)
    decimals = models.PositiveSmallIntegerField(
        _("decimals stated"), default=0, help_text=_("The figure from the records is rounded the same way.")
    )
    unit = models.CharField(_("unit of measure"), max_length=60)
    source_text = models.TextField(_("where it is stated"))
    indicator_key = models.CharField(_("indicator"), max_length=60, blank=True)
    scale = models.DecimalField(
        _("scale"),
        max_digits=18,
        decimal_places=6,
        default=1,
        help_text=_("The indicator's value times this is in the stated unit (e.g. 0.001 from million to billion)."),
    )
    numerator_key = models.SlugField(_("numerator"), max_length=60, blank=True)
    denominator_key = models.SlugField(_("denominator"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("historic figure")
        verbose_name_plural = _("historic figures")
        ordering = ["plan", "year_from", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year_from", "year_to", "key"], name="planning_historic_unique_key"
            ),
            models.CheckConstraint(
                condition=models.Q(year_to__gte=models.F("year_from")), name="planning_historic_years"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(numerator_key="", denominator_key="")
                    | (~models.Q(numerator_key="") & ~models.Q(denominator_key=""))
                ),
                name="planning_historic_rate_parts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.year_from}-{self.year_to})"

    @property
    def department_id(self):
        return self.plan.department_id
