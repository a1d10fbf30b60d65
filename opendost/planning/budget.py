"""The plan's budget against the money: what the plan states, what each year allocates, what the S&T
task contracts commit and what their tranches pay (DESIGN rule 7: figures are computed, and sums that
do not add up are reported).

MAPPING FROM THE TASK RECORDS TO THE PLAN'S BUDGET LINES
A budget line names, in `source_key`, which task funding it counts (one of SOURCES below; empty: the
line counts no task spending, e.g. equipment or state management). A source is a set of task levels
and a set of state-budget funding sources (projects.FundingSource: central, provincial; counterpart
funds never pass through the Department's contract, so no line can count them):

1. Commitments come from the contracts (projects.Contract) of the plan's department and its
   predecessors, signed in the year (`signed_on`). A contract's value is the state-budget part of
   the task's approved budget (central + provincial; projects.services.contract_sign), after any
   approved budget amendment. A source counting one funding source takes the task's share of it:
   contract value x (the task's budget line of that source / its state-budget lines). The contract of
   a cancelled task commits only what was paid under it (the rest is released).
2. Disbursements come from the payments (projects.Disbursement) against the contracts' tranches,
   in the year they were paid (`paid_on`), with the same share. A payment in the plan's years under a
   contract signed before them counts: it is money of those years.
3. A parent line counts the spending of its lines; a line and one of its ancestors or descendants
   cannot both name a source, and a source is named by one line of a plan (services refuse both),
   so no contract is counted twice.
4. Allocations (BudgetAllocation) are entered per line and year with the document that allocates
   them. A parent line's allocation for a year is what is entered on it; if nothing is, the sum of
   its lines'. When both exist and differ, the difference is reported like the stated amounts'.

Variance: allocated - committed (money not yet committed), committed - disbursed (committed, not yet
paid) and the share of the commitments disbursed. Amounts are million VND (the plan's unit); the
task register keeps whole đồng. Every computed figure drills down to the contracts and payments
behind it (`line_records`).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendost.planning.models import BudgetAllocation, BudgetLine, Plan
from opendost.planning.selectors import BudgetRow, budget_of, department_ids_of
from opendost.projects.enums import FundingSource, TaskLevel, TaskStatus
from opendost.projects.models import BudgetLine as TaskBudgetLine
from opendost.projects.models import Contract, Disbursement

MILLION = Decimal(1_000_000)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
STATE_FUNDING = (FundingSource.CENTRAL, FundingSource.PROVINCIAL)
ALL_LEVELS = tuple(TaskLevel.values)


@dataclass(frozen=True)
class Source:
    """Which task funding a budget line counts: tasks of `levels`, the part paid from `funding`."""

    key: str
    name: str
    description: str
    levels: tuple[str, ...]
    funding: tuple[str, ...]

    def share(self, amounts: dict[str, int]) -> Decimal:
        """The part of a task's contract this source counts, from its approved budget by source."""
        if set(STATE_FUNDING) <= set(self.funding):
            return Decimal(1)
        state = sum(amounts.get(s, 0) for s in STATE_FUNDING)
        if not state:
            return Decimal(0)
        return Decimal(sum(amounts.get(s, 0) for s in self.funding)) / Decimal(state)


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        Source(
            "tasks_state_budget",
            _("S&T tasks: state budget (contract values)"),
            _("Contracts of S&T tasks of every level, whole value (central and provincial S&T budget)."),
            ALL_LEVELS,
            STATE_FUNDING,
        ),
        Source(
            "tasks_provincial_budget",
            _("S&T tasks: provincial S&T budget"),
            _("The provincial S&T budget part of the contracts of S&T tasks of every level."),
            ALL_LEVELS,
            (FundingSource.PROVINCIAL,),
        ),
        Source(
            "tasks_central_budget",
            _("S&T tasks: central S&T budget"),
            _("The central S&T budget part of the contracts of S&T tasks of every level."),
            ALL_LEVELS,
            (FundingSource.CENTRAL,),
        ),
        Source(
            "tasks_provincial",
            _("Provincial S&T tasks (state budget)"),
            _("Contracts of provincial-level S&T tasks, whole value."),
            (TaskLevel.PROVINCIAL,),
            STATE_FUNDING,
        ),
        Source(
            "tasks_national",
            _("National S&T tasks (state budget)"),
            _("Contracts of national-level S&T tasks carried out in the province, whole value."),
            (TaskLevel.NATIONAL,),
            STATE_FUNDING,
        ),
        Source(
            "tasks_grassroots",
            _("Grassroots S&T tasks (state budget)"),
            _("Contracts of grassroots-level S&T tasks, whole value."),
            (TaskLevel.GRASSROOTS,),
            STATE_FUNDING,
        ),
    ]
}

# The 2021-2025 plan's lines that count task spending: "research and application of S&T" is what the
# provincial S&T budget spends on S&T tasks (seed: annex IV, 1, first line).
SEED_SOURCES = {"research-application": "tasks_provincial_budget"}


def source_choices() -> list[tuple[str, str]]:
    return [("", _("No task spending counted"))] + [(s.key, s.name) for s in SOURCES.values()]


def get(key: str) -> Source | None:
    return SOURCES.get(key)


# RECORDS BEHIND THE FIGURES ----------------------------------------------------------------------
@dataclass(frozen=True)
class Commitment:
    """A contract counted by a source: its value (VND) and the part counted (million VND)."""

    source: str
    task_public_id: object
    task_code: str
    task_title: str
    task_level: str
    contract_number: str
    signed_on: dt.date
    contract_total: int
    share: Decimal
    amount: Decimal
    cancelled: bool

    @property
    def year(self) -> int:
        return self.signed_on.year

    @property
    def share_percent(self) -> Decimal:
        return (self.share * HUNDRED).quantize(Decimal("0.1"))

    @property
    def url(self) -> str:
        return reverse("projects:task_detail", args=[self.task_public_id]) + "#budget"


@dataclass(frozen=True)
class Payment:
    """A payment against a tranche, counted by a source: the part counted (million VND)."""

    source: str
    task_public_id: object
    task_code: str
    task_title: str
    contract_number: str
    tranche: int
    paid_on: dt.date
    reference: str
    paid: int
    share: Decimal
    amount: Decimal

    @property
    def year(self) -> int:
        return self.paid_on.year

    @property
    def share_percent(self) -> Decimal:
        return (self.share * HUNDRED).quantize(Decimal("0.1"))

    @property
    def url(self) -> str:
        return reverse("projects:task_detail", args=[self.task_public_id]) + "#budget"


@dataclass
class Spending:
    commitments: list[Commitment] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)


def _task_records(plan: Plan, levels: list[str]):
    """The contracts signed and the payments made in the plan's years, with each task's budget."""
    ids = department_ids_of(plan)
    start, end = dt.date(plan.start_year, 1, 1), dt.date(plan.end_year, 12, 31)
    contracts = list(
        Contract.objects.filter(
            task__department_id__in=ids, task__level__in=levels, signed_on__gte=start, signed_on__lte=end
        )
        .select_related("task")
        .order_by("signed_on", "pk")
    )
    payments = list(
        Disbursement.objects.filter(
            tranche__contract__task__department_id__in=ids,
            tranche__contract__task__level__in=levels,
            paid_on__gte=start,
            paid_on__lte=end,
        )
        .select_related("tranche__contract__task")
        .order_by("paid_on", "pk")
    )
    task_ids = {c.task_id for c in contracts} | {p.tranche.contract.task_id for p in payments}
    amounts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = TaskBudgetLine.objects.filter(task_id__in=task_ids).values_list("task_id", "source", "amount")
    for task_id, source, amount in rows:
        amounts[task_id][source] = amount
    cancelled = [c.pk for c in contracts if c.task.status == TaskStatus.CANCELLED]
    paid_of_cancelled: dict[int, int] = {}
    if cancelled:
        paid_of_cancelled = dict(
            Disbursement.objects.filter(tranche__contract_id__in=cancelled)
            .values("tranche__contract_id")
            .annotate(s=Sum("amount"))
            .values_list("tranche__contract_id", "s")
        )
    return contracts, payments, amounts, paid_of_cancelled


def _commitment(source: Source, contract, share: Decimal, paid_of_cancelled: dict) -> Commitment:
    task = contract.task
    cancelled = task.status == TaskStatus.CANCELLED
    counted = paid_of_cancelled.get(contract.pk, 0) if cancelled else contract.total
    return Commitment(
        source=source.key,
        task_public_id=task.public_id,
        task_code=task.code,
        task_title=task.title,
        task_level=task.level,
        contract_number=contract.number,
        signed_on=contract.signed_on,
        contract_total=contract.total,
        share=share,
        amount=Decimal(counted) / MILLION * share,
        cancelled=cancelled,
    )


def _payment(source: Source, payment, share: Decimal) -> Payment:
    contract = payment.tranche.contract
    task = contract.task
    return Payment(
        source=source.key,
        task_public_id=task.public_id,
        task_code=task.code,
        task_title=task.title,
        contract_number=contract.number,
        tranche=payment.tranche.sequence,
        paid_on=payment.paid_on,
        reference=payment.reference,
        paid=payment.amount,
        share=share,
        amount=Decimal(payment.amount) / MILLION * share,
    )


def spending(plan: Plan, keys) -> dict[str, Spending]:
    """The commitments and payments of the plan's years counted by each source in `keys` (a constant
    number of queries, whatever the number of sources and contracts)."""
    sources = [SOURCES[k] for k in sorted(keys) if k in SOURCES]
    result = {s.key: Spending() for s in sources}
    if not sources:
        return result
    levels = sorted({level for s in sources for level in s.levels})
    contracts, payments, amounts, paid_of_cancelled = _task_records(plan, levels)
    for source in sources:
        bucket = result[source.key]
        for contract in contracts:
            if contract.task.level in source.levels:
                share = source.share(amounts[contract.task_id])
                bucket.commitments.append(_commitment(source, contract, share, paid_of_cancelled))
        for payment in payments:
            task = payment.tranche.contract.task
            if task.level in source.levels:
                bucket.payments.append(_payment(source, payment, source.share(amounts[task.pk])))
    return result


# FIGURES -----------------------------------------------------------------------------------------
def _sum(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


@dataclass(frozen=True)
class Figures:
    """One line's money for a year or for the period, million VND. None: nothing is counted."""

    allocated: Decimal | None
    committed: Decimal | None
    disbursed: Decimal | None

    @property
    def uncommitted(self) -> Decimal | None:
        """Allocated and not yet committed (negative: committed beyond the allocation); only for a
        line that counts task spending."""
        if self.committed is None:
            return None
        return (self.allocated or Decimal(0)) - self.committed

    @property
    def undisbursed(self) -> Decimal | None:
        if self.committed is None:
            return None
        return self.committed - (self.disbursed or Decimal(0))

    @property
    def disbursed_percent(self) -> Decimal | None:
        if not self.committed:
            return None
        return ((self.disbursed or Decimal(0)) / self.committed * HUNDRED).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class AllocationWarning:
    line: BudgetLine
    year: int
    entered: Decimal
    children_sum: Decimal

    @property
    def difference(self) -> Decimal:
        return self.children_sum - self.entered


@dataclass(frozen=True)
class LineRow:
    """A line of the tree as stated (`stated`: the selectors' BudgetRow) with its money."""

    stated: BudgetRow
    years: dict[int, Figures]
    period: Figures
    counts_spending: bool

    @property
    def line(self) -> BudgetLine:
        return self.stated.line

    @property
    def depth(self) -> int:
        return self.stated.depth

    @property
    def source(self) -> Source | None:
        return SOURCES.get(self.line.source_key)

    def figures(self, year: int | None) -> Figures:
        return self.period if year is None else self.years[year]


@dataclass(frozen=True)
class BudgetTable:
    plan: Plan
    rows: list[LineRow]
    stated_warnings: list[BudgetRow]
    allocation_warnings: list[AllocationWarning]

    @property
    def years(self) -> list[int]:
        return self.plan.years

    def row(self, code: str) -> LineRow | None:
        return next((r for r in self.rows if r.line.code == code), None)


def _own_spending(line: BudgetLine, found: dict[str, Spending], years) -> tuple[dict, dict] | None:
    if line.source_key not in found:
        return None
    bucket = found[line.source_key]
    committed = {y: Decimal(0) for y in years}
    disbursed = {y: Decimal(0) for y in years}
    for c in bucket.commitments:
        committed[c.year] += c.amount
    for p in bucket.payments:
        disbursed[p.year] += p.amount
    return committed, disbursed


def _allocations_by_line(plan: Plan) -> dict[int, dict[int, Decimal]]:
    entered: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = BudgetAllocation.objects.filter(line__plan=plan).values_list("line_id", "year", "amount_million")
    for line_id, year, amount in rows:
        entered[line_id][year] = entered[line_id].get(year, Decimal(0)) + amount
    return entered


def budget_table(plan: Plan) -> BudgetTable:
    """The tree as stated with, per line, the money of each year and of the period."""
    stated = budget_of(plan)
    years = plan.years
    lines = {r.line.pk: r.line for r in stated}
    children: dict[int | None, list[int]] = defaultdict(list)
    for r in stated:
        children[r.line.parent_id].append(r.line.pk)
    entered = _allocations_by_line(plan)
    found = spending(plan, {line.source_key for line in lines.values() if line.source_key})
    warnings: list[AllocationWarning] = []
    memo: dict[int, tuple[dict, dict, dict, bool]] = {}

    def figures(pk: int):
        """(allocated, committed, disbursed) by year for a line, and whether it counts spending."""
        if pk in memo:
            return memo[pk]
        kids = [figures(child) for child in children.get(pk, [])]
        allocated = {}
        for year in years:
            below = _sum(k[0].get(year) for k in kids)
            own = entered.get(pk, {}).get(year)
            if own is not None and below is not None and below != own:
                warnings.append(AllocationWarning(lines[pk], year, own, below))
            allocated[year] = own if own is not None else below
        spent = _own_spending(lines[pk], found, years)
        counts = spent is not None or any(k[3] for k in kids)
        if spent is not None:
            committed, disbursed = spent
        elif counts:
            committed = {y: _sum(k[1].get(y) for k in kids if k[3]) for y in years}
            disbursed = {y: _sum(k[2].get(y) for k in kids if k[3]) for y in years}
        else:
            committed, disbursed = {}, {}
        memo[pk] = (allocated, committed, disbursed, counts)
        return memo[pk]

    rows = []
    for r in stated:
        allocated, committed, disbursed, counts = figures(r.line.pk)
        per_year = {y: Figures(allocated.get(y), committed.get(y), disbursed.get(y)) for y in years}
        period = Figures(
            _sum(allocated.get(y) for y in years),
            _sum(committed.get(y) for y in years) if counts else None,
            _sum(disbursed.get(y) for y in years) if counts else None,
        )
        rows.append(LineRow(r, per_year, period, counts))
    warnings.sort(key=lambda w: (w.line.position, w.line.pk, w.year))
    return BudgetTable(
        plan=plan,
        rows=rows,
        stated_warnings=[r for r in stated if r.difference not in (None, Decimal(0))],
        allocation_warnings=warnings,
    )


# DRILL-DOWN --------------------------------------------------------------------------------------
def descendants(plan: Plan, line: BudgetLine) -> list[BudgetLine]:
    """The line and every line below it."""
    by_parent: dict[int | None, list[BudgetLine]] = defaultdict(list)
    for other in plan.budget_lines.all():
        by_parent[other.parent_id].append(other)
    found, frontier = [line], [line]
    while frontier:
        frontier = [child for parent in frontier for child in by_parent.get(parent.pk, [])]
        found.extend(frontier)
    return found


@dataclass(frozen=True)
class LineRecords:
    line: BudgetLine
    year: int | None
    allocations: list[BudgetAllocation]
    commitments: list[Commitment]
    payments: list[Payment]

    @property
    def allocated(self) -> Decimal:
        return sum((a.amount_million for a in self.allocations), Decimal(0))

    @property
    def committed(self) -> Decimal:
        return sum((c.amount for c in self.commitments), Decimal(0))

    @property
    def disbursed(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal(0))


def line_records(plan: Plan, line: BudgetLine, *, year: int | None = None) -> LineRecords:
    """The records behind a line's figures (its own and its lines'), for a year or the whole period:
    the allocations with their documents, the contracts and the payments counted."""
    family = descendants(plan, line)
    allocations = BudgetAllocation.objects.filter(line__in=family).select_related("line", "entered_by")
    if year is not None:
        allocations = allocations.filter(year=year)
    found = spending(plan, {member.source_key for member in family if member.source_key})
    commitments = [c for s in found.values() for c in s.commitments if year is None or c.year == year]
    payments = [p for s in found.values() for p in s.payments if year is None or p.year == year]
    return LineRecords(
        line=line,
        year=year,
        allocations=list(allocations.order_by("year", "line__position", "pk")),
        commitments=sorted(commitments, key=lambda c: (c.signed_on, c.task_code)),
        payments=sorted(payments, key=lambda p: (p.paid_on, p.task_code, p.tranche)),
    )


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT)
