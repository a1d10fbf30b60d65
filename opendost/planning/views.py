"""Staff pages of the plan: dashboard, target, drill-down, budget, Excel export, manual values."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendost.common.excel import Column, xlsx_response
from opendost.planning import forms, indicators, progress, selectors, services
from opendost.planning.enums import ManualValueStatus
from opendost.planning.permissions import can, can_review_value
from opendost.subjects.services import export_record

BAR_WIDTH = 300
LABEL_WIDTH = 320


def _year(request, plan) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return max(plan.start_year, min(year, plan.end_year))


@require_GET
@permission_required("planning.view_plan", raise_exception=True)
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "planning/plan_list.html", {"plans": selectors.plan_list_for(request.user)})


def _chart(board) -> dict:
    rows = []
    for index, row in enumerate(r for r in board.rows if r.progress.percent is not None):
        share = min(row.progress.percent, Decimal(100)) / 100
        rows.append({"y": 10 + index * 28, "label": row.target.title, "width": int(share * BAR_WIDTH),
                     "percent": row.progress.percent, "status": row.progress.status})  # fmt: skip
    return {
        "rows": rows,
        "label_width": LABEL_WIDTH,
        "bar_width": BAR_WIDTH,
        "width": LABEL_WIDTH + BAR_WIDTH + 60,
        "height": 20 + 28 * len(rows),
        "expected_x": LABEL_WIDTH + int(board.share * BAR_WIDTH),
    }


@require_GET
@permission_required("planning.view_plan", raise_exception=True)
def plan_dashboard(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    board = selectors.dashboard(plan, year=_year(request, plan))
    context = {
        "plan": plan,
        "board": board,
        "chart": _chart(board),
        "rule": progress.RULE_TEXT,
        "share_percent": (board.share * 100).quantize(Decimal("0.1")),
        "can_export": request.user.has_perm("planning.export_plan"),
    }
    return render(request, "planning/dashboard.html", context)


EXPORT_COLUMNS = [
    Column(gettext_lazy("Area"), lambda r: r.target.get_area_display(), 24),
    Column(gettext_lazy("Code"), lambda r: r.target.code, 18),
    Column(gettext_lazy("Target"), lambda r: r.target.title, 50),
    Column(gettext_lazy("Unit"), lambda r: r.target.unit, 14),
    Column(gettext_lazy("Baseline"), lambda r: r.target.baseline_value, 12),
    Column(gettext_lazy("Baseline period"), lambda r: r.target.baseline_label, 12),
    Column(gettext_lazy("Target (minimum)"), lambda r: r.target.target_min, 12),
    Column(gettext_lazy("Target (maximum)"), lambda r: r.target.target_max, 12),
    Column(gettext_lazy("Actual"), lambda r: r.actual, 12),
    Column(gettext_lazy("Expected by now"), lambda r: r.progress.expected, 12),
    Column(gettext_lazy("Share of target"), lambda r: r.progress.percent, 10),
    Column(gettext_lazy("Status"), lambda r: r.progress.status_label, 14),
    Column(
        gettext_lazy("Source"),
        lambda r: r.indicator.source if r.indicator else gettext_lazy("Approved manual values"),
        50,
    ),
]


@require_GET
@permission_required("planning.export_plan", raise_exception=True)
def plan_export(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    board = selectors.dashboard(plan, year=_year(request, plan))
    name = _("plan-indicators")
    export_record(
        actor=request.user, kind="planning.Plan", file_type="xlsx", filters=f"year={board.year}", rows=len(board.rows)
    )
    return xlsx_response(
        board.rows, EXPORT_COLUMNS, filename=f"{name}-{plan.code}-{board.year}.xlsx", sheet_name=name[:31]
    )


@require_GET
@permission_required("planning.view_plan", raise_exception=True)
def plan_budget(request: HttpRequest, public_id) -> HttpResponse:
    """The budget tree as stated, with its warnings and the money (views_plans.budget_context)."""
    from opendost.planning.views_plans import budget_context

    plan = selectors.plan_get_for(request.user, public_id)
    return render(request, "planning/budget.html", budget_context(request, plan))


@require_GET
@permission_required("planning.view_plan", raise_exception=True)
def target_detail(request: HttpRequest, public_id) -> HttpResponse:
    target = selectors.target_get_for(request.user, public_id)
    plan = target.plan
    year = _year(request, plan)
    department = plan.department_id
    context = {
        "plan": plan,
        "target": target,
        "indicator": indicators.get(target.indicator_key),
        "history": selectors.target_history(target),
        "year": year,
        "quarters": selectors.target_quarters(target, year=year),
        "manual_values": selectors.manual_values_of(target) if target.is_manual else [],
        "can_enter": target.is_manual and can(request.user, "planning.add_manualvalue", department),
        "can_review": target.is_manual and can(request.user, "planning.approve_manualvalue", department),
        "form": forms.ManualValueForm(initial={"year": year}),
    }
    return render(request, "planning/target_detail.html", context)


@require_GET
@permission_required("planning.view_plan", raise_exception=True)
def target_records(request: HttpRequest, public_id) -> HttpResponse:
    """The records behind a computed figure: the same query as the figure, with its ids."""
    target = selectors.target_get_for(request.user, public_id)
    plan = target.plan
    if target.is_manual:
        raise Http404
    year_to = _year(request, plan)
    year_from = year_to if request.GET.get("single") else plan.start_year
    quarter = request.GET.get("quarter")
    quarter = int(quarter) if quarter in {"1", "2", "3", "4"} else None
    if quarter:
        year_from = year_to
    value = selectors.target_value(
        target, department_ids=selectors.department_ids_of(plan), year_from=year_from, year_to=year_to, quarter=quarter
    )
    renderer = indicators.RECORDS.get(value.records)
    records = renderer(value.record_ids) if renderer else []
    context = {
        "plan": plan,
        "target": target,
        "value": value,
        "actual": selectors.display_number(target, value.number),
        "records": records,
        "year_from": year_from,
        "year_to": year_to,
        "quarter": quarter,
    }
    return render(request, "planning/target_records.html", context)


@require_POST
def manual_value_create(request: HttpRequest, public_id) -> HttpResponse:
    target = selectors.target_get_for(request.user, public_id)
    form = forms.ManualValueForm(request.POST)
    if form.is_valid():
        try:
            services.manual_value_enter(actor=request.user, target=target, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The value is recorded; another user must approve it before it counts."))
    else:
        messages.error(request, _("The value was not recorded: check the fields."))
    return redirect("planning:target_detail", public_id=target.public_id)


@require_http_methods(["POST"])
def manual_value_review(request: HttpRequest, public_id, action: str) -> HttpResponse:
    value = selectors.manual_value_get_for(request.user, public_id)
    if action not in ("approve", "reject"):
        raise Http404
    if not can_review_value(request.user, value) and value.status == ManualValueStatus.DRAFT:
        raise PermissionDenied
    form = forms.ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    service = services.manual_value_approve if action == "approve" else services.manual_value_reject
    try:
        service(actor=request.user, value=value, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("planning:target_detail", public_id=value.target.public_id)
