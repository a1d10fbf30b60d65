"""Reads of the plan: scoped to the user's jurisdiction (another department's plan is a 404), and
the figures of its targets computed from the records (`indicators`) or from approved manual values."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from opendost.planning import indicators, progress
from opendost.planning.enums import ManualValueStatus, TargetArea
from opendost.planning.indicators import FLOW, Value
from opendost.planning.models import BudgetLine, ManualValue, Plan, Target


def _get(queryset: QuerySet, public_id):
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def plan_list_for(user) -> QuerySet[Plan]:
    if not user.has_perm("planning.view_plan"):
        return Plan.objects.none()
    return Plan.objects.visible_to(user).select_related("department").order_by("-start_year", "code", "pk")


def plan_get_for(user, public_id) -> Plan:
    return _get(plan_list_for(user), public_id)


def target_get_for(user, public_id) -> Target:
    if not user.has_perm("planning.view_plan"):
        raise Http404
    plans = Plan.objects.visible_to(user)
    return _get(Target.objects.filter(plan__in=plans).select_related("plan__department"), public_id)


# FIGURES -----------------------------------------------------------------------------------------
def department_ids_of(plan: Plan) -> list[int]:
    """The plan's department and its predecessors: their records count for the plan."""
    return plan.department.jurisdiction_ids()


def manual_value(target: Target, *, year_from: int, year_to: int, quarter: int | None = None) -> Value:
    """Approved manual values: a quarter's own value; for years, each year's yearly value if one was
    approved (the latest), otherwise the sum of its quarters."""
    rows = list(
        ManualValue.objects.filter(
            target=target, status=ManualValueStatus.APPROVED, year__gte=year_from, year__lte=year_to
        ).order_by("year", "quarter", "pk")
    )
    if quarter is not None:
        rows = [r for r in rows if r.quarter == quarter]
        return Value(rows[-1].value if rows else None, [r.pk for r in rows[-1:]], "manual")
    total, used = None, []
    for year in range(year_from, year_to + 1):
        of_year = [r for r in rows if r.year == year]
        yearly = [r for r in of_year if r.quarter is None]
        chosen = yearly[-1:] if yearly else [r for r in of_year if r.quarter is not None]
        if chosen:
            total = (total or Decimal(0)) + sum((r.value for r in chosen), Decimal(0))
            used.extend(r.pk for r in chosen)
    return Value(total, used, "manual")


def target_value(
    target: Target, *, department_ids, year_from: int, year_to: int, quarter: int | None = None, ids: bool = True
) -> Value:
    """The target's figure; `ids=False` computes the number alone (no record ids read)."""
    if target.is_manual:
        return manual_value(target, year_from=year_from, year_to=year_to, quarter=quarter)
    indicator = indicators.get(target.indicator_key)
    if indicator is None:
        return Value(None, note=str(_("Unknown indicator.")))
    return indicator.compute(
        department_ids=department_ids, year_from=year_from, year_to=year_to, quarter=quarter, ids=ids
    )


def kind_of(target: Target) -> str:
    indicator = None if target.is_manual else indicators.get(target.indicator_key)
    return indicator.kind if indicator else FLOW


def display_number(target: Target, number: Decimal | None) -> Decimal | None:
    """Rates are computed as a share (0–1) and shown in percent."""
    if number is None:
        return None
    if kind_of(target) == indicators.RATE:
        return (number * 100).quantize(Decimal("0.1"))
    return number


@dataclass(frozen=True)
class TargetRow:
    target: Target
    indicator: indicators.Indicator | None
    value: Value
    progress: progress.Progress

    @property
    def actual(self):
        return display_number(self.target, self.value.number)


def target_progress(target: Target, value: Value, *, share: Decimal) -> progress.Progress:
    actual = display_number(target, value.number)
    goal = target.target_value
    kind = kind_of(target)
    return progress.Progress(
        actual=actual,
        target_value=goal,
        expected=progress.expected_value(goal, kind, share) if goal is not None else None,
        percent=progress.percent_of(actual, goal),
        status=progress.status_for(actual=actual, target_value=goal, kind=kind, share=share),
    )


@dataclass(frozen=True)
class Dashboard:
    plan: Plan
    year: int
    as_of: dt.date
    share: Decimal
    groups: list  # [(area label, [TargetRow])]

    @property
    def rows(self) -> list[TargetRow]:
        return [row for _label, rows in self.groups for row in rows]


def dashboard(plan: Plan, *, year: int) -> Dashboard:
    """Every target with its actual from the period's start to the end of `year` (today if earlier)."""
    year = max(plan.start_year, min(year, plan.end_year))
    as_of = progress.as_of_date(year)
    share = progress.elapsed_share(plan.start_year, plan.end_year, as_of)
    department_ids = department_ids_of(plan)
    targets = list(plan.targets.all())
    computed = indicators.compute_many(  # one aggregate per register where several targets read it
        [i for t in targets if not t.is_manual and (i := indicators.get(t.indicator_key)) is not None],
        department_ids=department_ids,
        year_from=plan.start_year,
        year_to=year,
    )
    by_area: dict[str, list[TargetRow]] = {}
    for target in targets:
        value = computed.get(target.indicator_key) if not target.is_manual else None
        if value is None:
            value = target_value(
                target, department_ids=department_ids, year_from=plan.start_year, year_to=year, ids=False
            )
        row = TargetRow(
            target, indicators.get(target.indicator_key), value, target_progress(target, value, share=share)
        )
        by_area.setdefault(target.area, []).append(row)
    groups = [(label, by_area[area]) for area, label in TargetArea.choices if area in by_area]
    return Dashboard(plan=plan, year=year, as_of=as_of, share=share, groups=groups)


@dataclass(frozen=True)
class YearRow:
    year: int
    value: Value
    planned: str
    actual: Decimal | None
    cumulative: Decimal | None


def target_history(target: Target) -> list[YearRow]:
    """The target's figure year by year (a state on each year's last day), with the cumulative total
    for figures that accumulate."""
    plan = target.plan
    department_ids = department_ids_of(plan)
    rows, running = [], Decimal(0)
    flow = kind_of(target) == FLOW
    indicator = None if target.is_manual else indicators.get(target.indicator_key)
    additive = indicator is None or indicator.additive
    for year in plan.years:
        value = target_value(target, department_ids=department_ids, year_from=year, year_to=year, ids=False)
        if not additive:  # a minimum per unit: the period's own figure, not the sum of the years'
            so_far = target_value(
                target, department_ids=department_ids, year_from=plan.start_year, year_to=year, ids=False
            )
            running = so_far.number if so_far.number is not None else running
        elif value.number is not None:
            running += value.number
        rows.append(
            YearRow(
                year=year,
                value=value,
                planned=str(target.yearly_values.get(str(year), "")),
                actual=display_number(target, value.number),
                cumulative=running if flow else None,
            )
        )
    return rows


def target_quarters(target: Target, *, year: int) -> list[tuple[int, Value]]:
    department_ids = department_ids_of(target.plan)
    return [
        (q, target_value(target, department_ids=department_ids, year_from=year, year_to=year, quarter=q, ids=False))
        for q in (1, 2, 3, 4)
    ]


def manual_values_of(target: Target) -> QuerySet[ManualValue]:
    return target.manual_values.select_related("entered_by", "approved_by").order_by("-year", "-quarter", "-pk")


def manual_value_get_for(user, public_id) -> ManualValue:
    if not user.has_perm("planning.view_plan"):
        raise Http404
    plans = Plan.objects.visible_to(user)
    return _get(
        ManualValue.objects.filter(target__plan__in=plans).select_related("target__plan", "entered_by"), public_id
    )


# BUDGET ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BudgetRow:
    line: BudgetLine
    depth: int
    children_sum: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.children_sum is None:
            return None
        return self.children_sum - self.line.amount_million


def budget_of(plan: Plan) -> list[BudgetRow]:
    """The budget tree as stated, each parent with the sum of its children (one query)."""
    lines = list(plan.budget_lines.all())
    children: dict[int | None, list[BudgetLine]] = {}
    for line in lines:
        children.setdefault(line.parent_id, []).append(line)
    rows: list[BudgetRow] = []

    def walk(parent_id, depth):
        for line in children.get(parent_id, []):
            kids = children.get(line.pk, [])
            total = sum((k.amount_million for k in kids), Decimal(0)) if kids else None
            rows.append(BudgetRow(line, depth, total))
            walk(line.pk, depth + 1)

    walk(None, 0)
    return rows


def budget_warnings(rows: list[BudgetRow]) -> list[BudgetRow]:
    return [row for row in rows if row.difference not in (None, Decimal(0))]
