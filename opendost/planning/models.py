"""The five-year plan: its targets, the values typed in for indicators no register computes yet
(maker-checker), and the budget as the plan states it (DESIGN rule 7: typed figures keep their
source, and sums that do not add up are reported)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opendost.common.models import PublicIdModel, TimeStampedModel
from opendost.departments.scoping import DepartmentScopedQuerySet
from opendost.planning.enums import ManualValueStatus, TargetArea


class Plan(PublicIdModel, TimeStampedModel):
    department = models.ForeignKey(
        "departments.Department", models.PROTECT, related_name="+", verbose_name=_("department")
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    document_ref = models.CharField(_("plan document"), max_length=255, blank=True)

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


class Target(PublicIdModel, TimeStampedModel):
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


class BudgetLine(TimeStampedModel):
    """A budget line as the plan states it, in million VND (the plan's own unit, with fractions)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="budget_lines", verbose_name=_("plan"))
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent line")
    )
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    amount_million = models.DecimalField(_("amount stated (million VND)"), max_digits=18, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["plan", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="planning_budget_unique_code")]

    def __str__(self) -> str:
        return self.title
