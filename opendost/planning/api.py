"""/api/v1/planning/: the five-year plans, their targets with progress computed from the records, the
values typed in for manual indicators (maker-checker), the budget with its money, and plan copy.

Thin like the views: the selectors read and scope, the services write and hold every rule. A plan
of another department, or any plan without the view permission, answers 404. The services'
exceptions become the documented answers in one place (`_answers`):

    PermissionDenied                                      403 {"detail": "..."}
    TransitionNotAllowed, a rule about the record's state 409 {"detail": "..."}
    any other ValidationError                             422 {"detail": [{"type", "loc", "msg"}, ...]}

Figures are numbers: amounts in million VND (the plan's unit), rates in percent, as on the pages.
"""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from pydantic import BeforeValidator, Field, model_validator

from opendost.api.auth import ApiTokenAuth, StaffSessionAuth
from opendost.api.inputs import NO_NUL, NOT_BLANK, json_int, json_number, query_int
from opendost.api.pagination import LimitOffset
from opendost.api.schemas import DepartmentRef, ErrorOut, ValidationErrorOut
from opendost.planning import budget, progress, selectors, services
from opendost.planning.models import ManualValue, Plan, Target
from opendost.workflow.exceptions import TransitionNotAllowed

router = Router(tags=["plan"], auth=[ApiTokenAuth(), StaffSessionAuth()])

LIST_RESPONSES = {401: ErrorOut, 422: ValidationErrorOut}
DETAIL_RESPONSES = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}
BODY = ("body", "data")
STATE_CODES = frozenset({"wrong_state"})

Year = Annotated[int, Field(ge=2000, le=2100), BeforeValidator(json_int)]
QueryYear = Annotated[int, Field(ge=2000, le=2100), BeforeValidator(query_int)]
Quarter = Annotated[int, Field(ge=1, le=4), BeforeValidator(json_int)]
Number = Annotated[float, Field(ge=-1e13, le=1e13), BeforeValidator(json_number)]


# ERRORS -------------------------------------------------------------------------------------------
def _problems(error: DjangoValidationError) -> list[dict]:
    pairs = error.error_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, error.error_list)]
    problems = []
    for name, errors in pairs:
        loc = ["body"] if name == NON_FIELD_ERRORS else [*BODY, name]
        for item in errors:
            problems += [{"type": item.code or "invalid", "loc": loc, "msg": str(m)} for m in item.messages]
    return problems


@contextmanager
def _answers():
    try:
        yield
    except TransitionNotAllowed as error:
        raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
    except PermissionDenied:
        raise HttpError(403, "You may not do this with this record.") from None
    except DjangoValidationError as error:
        items = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
        if {item.code for group in items for item in group} & STATE_CODES:
            raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
        raise NinjaValidationError(_problems(error)) from None


class In(Schema):
    """A JSON object (ninja would read the attributes of a string or a list)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value):
        if not isinstance(getattr(value, "_obj", value), dict):
            raise ValueError("Give a JSON object.")
        return value


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# SCOPES -------------------------------------------------------------------------------------------
def _plans(request) -> QuerySet[Plan]:
    return selectors.plan_list_for(request.auth).select_related("department", "copied_from")


def _plan(request, public_id) -> Plan:
    plan = _plans(request).filter(public_id=public_id).first()
    if plan is None:
        raise HttpError(404, "No such plan.")
    return plan


def _target(request, public_id) -> Target:
    try:
        return selectors.target_get_for(request.auth, public_id)
    except Http404:
        raise HttpError(404, "No such target.") from None


def _manual_value(request, public_id) -> ManualValue:
    try:
        return selectors.manual_value_get_for(request.auth, public_id)
    except Http404:
        raise HttpError(404, "No such value.") from None


def _year(plan: Plan, year: int | None) -> int:
    """The year asked for, kept within the plan (as the dashboard does); today's by default."""
    year = timezone.localdate().year if year is None else year
    return max(plan.start_year, min(year, plan.end_year))


# OUTPUT -------------------------------------------------------------------------------------------
class PlanOut(Schema):
    public_id: UUID
    code: str
    title: str
    start_year: int
    end_year: int
    legal_basis: str
    document_ref: str
    department: DepartmentRef
    copied_from: UUID | None = Field(description="public_id of the plan this one was copied from")
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_copied_from(obj) -> UUID | None:
        return obj.copied_from.public_id if obj.copied_from_id else None


class TargetOut(Schema):
    public_id: UUID
    code: str
    title: str
    area: str
    unit: str
    indicator_key: str = Field(description="Empty: the values are entered by hand and approved")
    kind: str = Field(description="flow (accumulates), stock (a state on a day) or rate (percent)")
    baseline_value: float | None
    baseline_label: str
    target_min: float | None
    target_max: float | None
    yearly_values: dict[str, float]
    source_text: str
    responsible_unit: str
    position: int
    version: int

    @staticmethod
    def resolve_kind(obj) -> str:
        return selectors.kind_of(obj)


class PlanDetailOut(PlanOut):
    targets: list[TargetOut]

    @staticmethod
    def resolve_targets(obj) -> list:
        return list(obj.targets.order_by("position", "code", "pk"))


class TargetProgressOut(Schema):
    target: TargetOut
    indicator_name: str
    source: str = Field(description="What the figure is computed from")
    actual: float | None
    target_value: float | None = Field(description="The minimum of a range")
    expected: float | None = Field(description="What the target calls for by now")
    percent: float | None = Field(description="Actual as a percentage of the target")
    status: str
    status_label: str
    records_url: str | None = Field(description="The staff page listing the records behind a computed figure")


class PlanProgressOut(Schema):
    plan: PlanOut
    year: int
    as_of: dt.date
    elapsed_percent: float
    rule: str
    targets: list[TargetProgressOut]


class TargetYearValueOut(Schema):
    year: int
    planned: float | None
    actual: float | None
    cumulative: float | None
    note: str


class TargetQuarterValueOut(Schema):
    quarter: int
    actual: float | None
    note: str


class TargetValuesOut(Schema):
    target: TargetOut
    plan_id: UUID
    years: list[TargetYearValueOut]
    quarters_of: int
    quarters: list[TargetQuarterValueOut]


class ManualValueOut(Schema):
    public_id: UUID
    target_id: UUID
    year: int
    quarter: int | None
    value: float
    source_document: str
    status: str
    entered_by: str
    approved_by: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_target_id(obj) -> UUID:
        return obj.target.public_id

    @staticmethod
    def resolve_entered_by(obj) -> str:
        return str(obj.entered_by)

    @staticmethod
    def resolve_approved_by(obj) -> str | None:
        return str(obj.approved_by) if obj.approved_by_id else None


class PlanMoneyOut(Schema):
    allocated: float | None
    committed: float | None = Field(description="null: the line counts no task spending")
    disbursed: float | None
    allocated_minus_committed: float | None
    committed_minus_disbursed: float | None
    disbursed_percent: float | None = Field(description="Disbursed as a percentage of committed")


class PlanYearMoneyOut(PlanMoneyOut):
    year: int


class PlanBudgetLineOut(Schema):
    code: str
    title: str
    parent_code: str | None
    depth: int
    position: int
    source_key: str
    stated: float = Field(description="million VND, as the plan states it")
    children_sum: float | None
    difference: float | None = Field(description="Sum of its lines minus the stated amount")
    period: PlanMoneyOut
    years: list[PlanYearMoneyOut]


class BudgetStatedWarningOut(Schema):
    code: str
    title: str
    stated: float
    children_sum: float
    difference: float


class BudgetAllocationWarningOut(Schema):
    code: str
    year: int
    entered: float
    children_sum: float
    difference: float


class PlanBudgetOut(Schema):
    plan_id: UUID
    sources: dict[str, str] = Field(description="The kinds of task spending a line can count")
    stated_warnings: list[BudgetStatedWarningOut]
    allocation_warnings: list[BudgetAllocationWarningOut]
    lines: list[PlanBudgetLineOut]


class BudgetAllocationOut(Schema):
    public_id: UUID
    line_code: str
    year: int
    amount: float
    source_document: str


class BudgetCommitmentOut(Schema):
    task_id: UUID
    task_code: str
    task_title: str
    contract_number: str
    signed_on: dt.date
    contract_total: int = Field(description="VND")
    share: float
    amount: float = Field(description="million VND counted")
    cancelled: bool


class BudgetPaymentOut(Schema):
    task_id: UUID
    task_code: str
    contract_number: str
    tranche: int
    paid_on: dt.date
    reference: str
    paid: int = Field(description="VND")
    share: float
    amount: float = Field(description="million VND counted")


class PlanBudgetRecordsOut(Schema):
    code: str
    year: int | None
    allocated: float
    committed: float
    disbursed: float
    allocations: list[BudgetAllocationOut]
    commitments: list[BudgetCommitmentOut]
    payments: list[BudgetPaymentOut]


# INPUT --------------------------------------------------------------------------------------------
class PlanCopyIn(In):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str = Field(min_length=1, max_length=500, pattern=NOT_BLANK)
    start_year: Year
    end_year: Year


class ManualValueIn(In):
    year: Year
    quarter: Quarter | None = Field(None, description="null: the whole year")
    value: Number
    source_document: str = Field(min_length=1, max_length=5000, pattern=NOT_BLANK)


class ManualValueReviewIn(In):
    note: str = Field("", max_length=1000, pattern=NO_NUL)


class PlanYearFilter(Schema):
    year: QueryYear | None = Field(None, description="Up to the end of this year (kept within the plan)")


class PlanBudgetFilter(Schema):
    year: QueryYear | None = Field(None, description="One year's money; the whole period without it")


# PLANS --------------------------------------------------------------------------------------------
@router.get("/plans", response={200: list[PlanOut], **LIST_RESPONSES}, url_name="planning_plan_list")
@paginate(LimitOffset)
def plan_list(request):
    """The plans of the caller's jurisdiction, newest first."""
    return _plans(request)


@router.get("/plans/{public_id}", response={200: PlanDetailOut, **DETAIL_RESPONSES}, url_name="planning_plan_detail")
def plan_detail(request, public_id: UUID):
    """A plan with its targets (indicator, unit, baseline, range, values per year, unit responsible)."""
    return _plan(request, public_id)


@router.post("/plans/{public_id}/copy", response={201: PlanDetailOut, **WRITE}, url_name="planning_plan_copy")
def plan_copy(request, public_id: UUID, data: PlanCopyIn):
    """A new plan from this one (the officer): its targets with baselines from this plan's actuals (or its
    targets), values per year moved to the new years, the budget tree with every amount at 0, no legal
    basis. Belongs to the department that holds this plan's records."""
    source = _plan(request, public_id)
    with _answers():
        plan = services.plan_copy(actor=request.auth, source=source, **data.model_dump())
    return Status(201, plan)


def _progress_row(row: selectors.TargetRow) -> dict:
    target = row.target
    records = None
    if not target.is_manual:
        records = reverse("planning:target_records", args=[target.public_id])
    return {
        "target": target,
        "indicator_name": str(row.indicator.name) if row.indicator else "",
        "source": str(row.indicator.source) if row.indicator else "Approved manual values",
        "actual": _number(row.progress.actual),
        "target_value": _number(row.progress.target_value),
        "expected": _number(row.progress.expected),
        "percent": _number(row.progress.percent),
        "status": row.progress.status,
        "status_label": str(row.progress.status_label),
        "records_url": records,
    }


@router.get(
    "/plans/{public_id}/progress",
    response={200: PlanProgressOut, **DETAIL_RESPONSES},
    url_name="planning_plan_progress",
)
def plan_progress(request, public_id: UUID, filters: Query[PlanYearFilter]):
    """Every target with its actual from the plan's start to the end of `year`, the percentage of the
    target, the value expected by then and the status by the rule in `rule`."""
    plan = _plan(request, public_id)
    board = selectors.dashboard(plan, year=_year(plan, filters.year))
    return {
        "plan": plan,
        "year": board.year,
        "as_of": board.as_of,
        "elapsed_percent": float((board.share * 100).quantize(Decimal("0.1"))),
        "rule": str(progress.RULE_TEXT),
        "targets": [_progress_row(row) for row in board.rows],
    }


# TARGETS ------------------------------------------------------------------------------------------
@router.get(
    "/targets/{public_id}/values", response={200: TargetValuesOut, **DETAIL_RESPONSES}, url_name="planning_values"
)
def target_values(request, public_id: UUID, filters: Query[PlanYearFilter]):
    """The target's figure year by year (planned, actual, cumulative for figures that accumulate) and
    the quarters of `year`."""
    target = _target(request, public_id)
    plan = target.plan
    year = _year(plan, filters.year)

    def planned(value) -> float | None:
        try:
            return float(Decimal(str(value))) if value not in ("", None) else None
        except ArithmeticError:
            return None

    return {
        "target": target,
        "plan_id": plan.public_id,
        "years": [
            {
                "year": row.year,
                "planned": planned(row.planned),
                "actual": _number(row.actual),
                "cumulative": _number(row.cumulative),
                "note": row.value.note,
            }
            for row in selectors.target_history(target)
        ],
        "quarters_of": year,
        "quarters": [
            {"quarter": q, "actual": _number(selectors.display_number(target, v.number)), "note": v.note}
            for q, v in selectors.target_quarters(target, year=year)
        ],
    }


@router.get(
    "/targets/{public_id}/manual-values",
    response={200: list[ManualValueOut], **DETAIL_RESPONSES},
    url_name="planning_manual_value_list",
)
@paginate(LimitOffset)
def manual_value_list(request, public_id: UUID):
    """Values typed in for a manual target, newest first, with who entered and who approved them."""
    target = _target(request, public_id)
    return selectors.manual_values_of(target).select_related("target")


@router.post(
    "/targets/{public_id}/manual-values",
    response={201: ManualValueOut, **WRITE},
    url_name="planning_manual_value_create",
)
def manual_value_create(request, public_id: UUID, data: ManualValueIn):
    """An officer types in a figure for a manual target with its source document; it counts once
    another user approves it."""
    target = _target(request, public_id)
    values = data.model_dump()
    values["value"] = Decimal(str(values["value"]))
    with _answers():
        entry = services.manual_value_enter(actor=request.auth, target=target, **values)
    return Status(201, entry)


@router.post(
    "/manual-values/{public_id}/approve", response={200: ManualValueOut, **WRITE}, url_name="planning_value_approve"
)
def manual_value_approve(request, public_id: UUID, data: ManualValueReviewIn):
    """A leader other than the one who entered it approves the value (403 for its maker; 409 once decided)."""
    value = _manual_value(request, public_id)
    with _answers():
        services.manual_value_approve(actor=request.auth, value=value, note=data.note)
    return _manual_value(request, public_id)


@router.post(
    "/manual-values/{public_id}/reject", response={200: ManualValueOut, **WRITE}, url_name="planning_value_reject"
)
def manual_value_reject(request, public_id: UUID, data: ManualValueReviewIn):
    """Reject the value, giving the reason in `note` (422 without one)."""
    value = _manual_value(request, public_id)
    with _answers():
        services.manual_value_reject(actor=request.auth, value=value, note=data.note)
    return _manual_value(request, public_id)


# BUDGET -------------------------------------------------------------------------------------------
def _money(figures: budget.Figures) -> dict[str, Any]:
    return {
        "allocated": _number(budget.rounded(figures.allocated)),
        "committed": _number(budget.rounded(figures.committed)),
        "disbursed": _number(budget.rounded(figures.disbursed)),
        "allocated_minus_committed": _number(budget.rounded(figures.uncommitted)),
        "committed_minus_disbursed": _number(budget.rounded(figures.undisbursed)),
        "disbursed_percent": _number(figures.disbursed_percent),
    }


@router.get("/plans/{public_id}/budget", response={200: PlanBudgetOut, **DETAIL_RESPONSES}, url_name="planning_budget")
def plan_budget(request, public_id: UUID):
    """The budget tree as stated (million VND) with the sums that do not add up, and per line the
    allocations, commitments (contracts signed) and disbursements (payments) of each year and of the
    period. The mapping of task records to lines: `source_key` (see `sources`)."""
    plan = _plan(request, public_id)
    table = budget.budget_table(plan)
    codes = {row.line.pk: row.line.code for row in table.rows}
    lines = []
    for row in table.rows:
        lines.append(
            {
                "code": row.line.code,
                "title": row.line.title,
                "parent_code": codes.get(row.line.parent_id),
                "depth": row.depth,
                "position": row.line.position,
                "source_key": row.line.source_key,
                "stated": float(row.line.amount_million),
                "children_sum": _number(row.stated.children_sum),
                "difference": _number(row.stated.difference),
                "period": _money(row.period),
                "years": [{"year": y, **_money(f)} for y, f in sorted(row.years.items())],
            }
        )
    return {
        "plan_id": plan.public_id,
        "sources": {key: str(source.name) for key, source in budget.SOURCES.items()},
        "stated_warnings": [
            {
                "code": w.line.code,
                "title": w.line.title,
                "stated": float(w.line.amount_million),
                "children_sum": float(w.children_sum),
                "difference": float(w.difference),
            }
            for w in table.stated_warnings
        ],
        "allocation_warnings": [
            {
                "code": w.line.code,
                "year": w.year,
                "entered": float(w.entered),
                "children_sum": float(w.children_sum),
                "difference": float(w.difference),
            }
            for w in table.allocation_warnings
        ],
        "lines": lines,
    }


@router.get(
    "/plans/{public_id}/budget/{code}/records",
    response={200: PlanBudgetRecordsOut, **DETAIL_RESPONSES},
    url_name="planning_budget_records",
)
def budget_records(
    request,
    public_id: UUID,
    filters: Query[PlanBudgetFilter],
    code: str = Path(..., max_length=60, pattern=r"^[-a-zA-Z0-9_]+$", description="The line's code"),
):
    """The records behind a line's figures (its own and its lines'): the allocations with their
    documents, the contracts and the payments counted, for `year` or the whole period."""
    plan = _plan(request, public_id)
    line = plan.budget_lines.filter(code=code).first()
    if line is None:
        raise HttpError(404, "No such budget line.")
    year = filters.year if filters.year in plan.years else None
    records = budget.line_records(plan, line, year=year)
    return {
        "code": line.code,
        "year": year,
        "allocated": float(records.allocated),
        "committed": float(budget.rounded(records.committed)),
        "disbursed": float(budget.rounded(records.disbursed)),
        "allocations": [
            {
                "public_id": a.public_id,
                "line_code": a.line.code,
                "year": a.year,
                "amount": float(a.amount_million),
                "source_document": a.source_document,
            }
            for a in records.allocations
        ],
        "commitments": [
            {
                "task_id": c.task_public_id,
                "task_code": c.task_code,
                "task_title": c.task_title,
                "contract_number": c.contract_number,
                "signed_on": c.signed_on,
                "contract_total": c.contract_total,
                "share": float(c.share),
                "amount": float(budget.rounded(c.amount)),
                "cancelled": c.cancelled,
            }
            for c in records.commitments
        ],
        "payments": [
            {
                "task_id": p.task_public_id,
                "task_code": p.task_code,
                "contract_number": p.contract_number,
                "tranche": p.tranche,
                "paid_on": p.paid_on,
                "reference": p.reference,
                "paid": p.paid,
                "share": float(p.share),
                "amount": float(budget.rounded(p.amount)),
            }
            for p in records.payments
        ],
    }
