"""Staff pages that keep the plan: copy a plan, edit it, its targets, its budget lines and their yearly
allocations; the budget tree with the money and its drill-down; the budget's Excel export.

Thin views: the selectors scope (another department's plan is a 404), the services hold the rules,
check the right (403 for a user of the department without it) and the versions (an edit saved by
someone else meanwhile is shown as a conflict, the user's input kept).
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from opendost.common.excel import Column, xlsx_response
from opendost.common.locking import EditConflict
from opendost.planning import budget, forms, selectors, services
from opendost.planning.models import BudgetAllocation, Plan
from opendost.planning.permissions import can
from opendost.subjects.services import export_record

_VIEW = "planning.view_plan"


def _require(user, perm: str, plan: Plan) -> None:
    if not can(user, perm, plan.department_id):
        raise PermissionDenied


def _add_errors(form, exc: ValidationError) -> None:
    """Service errors next to their field; errors about fields not on the form on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _form_page(request, form, *, title: str, plan: Plan, cancel_url: str, subtitle: str = "") -> HttpResponse:
    context = {"form": form, "title": title, "plan": plan, "cancel_url": cancel_url, "subtitle": subtitle}
    return render(request, "planning/form.html", context)


def _year_of(request, plan: Plan) -> int | None:
    """The year asked for (?year=), or None for the whole period."""
    value = request.GET.get("year") or ""
    return int(value) if value.isdigit() and int(value) in plan.years else None


def _manage_url(plan: Plan) -> str:
    return reverse("planning:plan_manage", args=[plan.public_id])


def _budget_url(plan: Plan) -> str:
    return reverse("planning:plan_budget", args=[plan.public_id])


# PLAN --------------------------------------------------------------------------------------------
@require_GET
@permission_required(_VIEW, raise_exception=True)
def plan_manage(request: HttpRequest, public_id) -> HttpResponse:
    """The plan's data and targets, with what the user may change."""
    plan = selectors.plan_get_for(request.user, public_id)
    department = plan.department_id
    context = {
        "plan": plan,
        "targets": plan.targets.order_by("position", "code", "pk"),
        "can_change": can(request.user, "planning.change_plan", department),
        "can_add_target": can(request.user, "planning.add_target", department),
        "can_change_target": can(request.user, "planning.change_target", department),
        "can_delete_target": can(request.user, "planning.delete_target", department),
        "can_copy": can(request.user, "planning.add_plan", services.successor_of(plan.department)),
    }
    return render(request, "planning/plan_manage.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(_VIEW, raise_exception=True)
def plan_edit(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    _require(request.user, "planning.change_plan", plan)
    form = forms.PlanForm(request.POST or None, instance=plan)
    if form.is_bound and form.is_valid():
        try:
            services.plan_update(
                actor=request.user,
                plan=plan,
                expected_version=form.expected_version(),
                original=form.started_from(),
                **form.data_without_version(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(_manage_url(plan))
    return _form_page(request, form, title=_("Edit the plan"), plan=plan, cancel_url=_manage_url(plan))


@require_http_methods(["GET", "POST"])
@permission_required(_VIEW, raise_exception=True)
def plan_copy(request: HttpRequest, public_id) -> HttpResponse:
    """A new plan from this one: targets with baselines from its actuals, the budget tree without amounts."""
    source = selectors.plan_get_for(request.user, public_id)
    if not can(request.user, "planning.add_plan", services.successor_of(source.department)):
        raise PermissionDenied
    length = source.end_year - source.start_year + 1
    initial = {"start_year": source.end_year + 1, "end_year": source.end_year + length}
    form = forms.PlanCopyForm(request.POST or None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            plan = services.plan_copy(actor=request.user, source=source, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The plan is copied: fill in its legal basis, targets and budget."))
            return redirect(_manage_url(plan))
    subtitle = _("From %(plan)s") % {"plan": source}
    return _form_page(
        request, form, title=_("Copy the plan"), plan=source, cancel_url=_manage_url(source), subtitle=subtitle
    )


# TARGETS -----------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required(_VIEW, raise_exception=True)
def target_add(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    _require(request.user, "planning.add_target", plan)
    form = forms.TargetForm(request.POST or None, plan=plan, initial={"position": plan.targets.count()})
    if form.is_bound and form.is_valid():
        try:
            services.target_create(actor=request.user, plan=plan, **form.service_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The target is added."))
            return redirect(_manage_url(plan))
    return _form_page(request, form, title=_("Add a target"), plan=plan, cancel_url=_manage_url(plan))


@require_http_methods(["GET", "POST"])
@permission_required(_VIEW, raise_exception=True)
def target_edit(request: HttpRequest, public_id) -> HttpResponse:
    target = selectors.target_get_for(request.user, public_id)
    plan = target.plan
    _require(request.user, "planning.change_target", plan)
    form = forms.TargetForm(request.POST or None, plan=plan, instance=target)
    if form.is_bound and form.is_valid():
        try:
            services.target_update(
                actor=request.user,
                target=target,
                expected_version=form.expected_version(),
                original=form.started_from(),
                **form.service_data(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The target is saved."))
            return redirect(_manage_url(plan))
    return _form_page(
        request, form, title=_("Edit the target"), plan=plan, cancel_url=_manage_url(plan), subtitle=target.title
    )


def _delete_page(request, form, *, plan, what: str, cancel_url: str) -> HttpResponse:
    context = {"form": form, "plan": plan, "what": what, "cancel_url": cancel_url}
    return render(request, "planning/confirm_delete.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(_VIEW, raise_exception=True)
def target_delete(request: HttpRequest, public_id) -> HttpResponse:
    target = selectors.target_get_for(request.user, public_id)
    plan = target.plan
    _require(request.user, "planning.delete_target", plan)
    form = forms.DeleteForm(request.POST or None, instance=target)
    if form.is_bound and form.is_valid():
        try:
            services.target_delete(actor=request.user, target=target, expected_version=form.expected_version())
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The target is deleted."))
            return redirect(_manage_url(plan))
    return _delete_page(request, form, plan=plan, what=target.title, cancel_url=_manage_url(plan))


# BUDGET ------------------------------------------------------------------------------------------
def budget_context(request, plan: Plan) -> dict:
    """The budget tree page: the stated tree with its warnings and the money of a year or the period."""
    table = budget.budget_table(plan)
    year = _year_of(request, plan)
    department = plan.department_id
    return {
        "plan": plan,
        "table": table,
        "year": year,
        "rows": [(row, row.figures(year)) for row in table.rows],
        "warnings": table.stated_warnings,
        "can_add_line": can(request.user, "planning.add_budgetline", department),
        "can_export": request.user.has_perm("planning.export_plan"),
    }


def _line(plan: Plan, code: str):
    return get_object_or_404(plan.budget_lines.select_related("parent"), code=code)


@require_GET
@permission_required(_VIEW, raise_exception=True)
def budget_line_detail(request: HttpRequest, public_id, code: str) -> HttpResponse:
    """One line's money year by year and the records behind each figure (the drill-down)."""
    plan = selectors.plan_get_for(request.user, public_id)
    line = _line(plan, code)
    year = _year_of(request, plan)
    table = budget.budget_table(plan)
    department = plan.department_id
    context = {
        "plan": plan,
        "line": line,
        "row": table.row(line.code),
        "year": year,
        "records": budget.line_records(plan, line, year=year),
        "warnings": [w for w in table.allocation_warnings if w.line.pk == line.pk],
        "can_change": can(request.user, "planning.change_budgetline", department),
        "can_delete": can(request.user, "planning.delete_budgetline", department),
        "can_allocate": can(request.user, "planning.add_budgetallocation", department),
        "can_change_allocation": can(request.user, "planning.change_budgetallocation", department),
        "can_delete_allocation": can(request.user, "planning.delete_budgetallocation", department),
    }
    return render(request, "planning/budget_line.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(_VIEW, raise_exception=True)
def budget_line_add(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    _require(request.user, "planning.add_budgetline", plan)
    parent = plan.budget_lines.filter(code=request.GET.get("parent") or "").first()
    initial = {"parent": parent.pk if parent else None, "position": plan.budget_lines.count()}
    form = forms.BudgetLineForm(request.POST or None, plan=plan, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            line = services.budget_line_create(actor=request.user, plan=plan, **form.service_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The budget line is added."))
            return redirect("planning:budget_line_detail", public_id=plan.public_id, code=line.code)
    return _form_page(request, form, title=_("Add a budget line"), plan=plan, cancel_url=_budget_url(plan))


@require_http_methods(["GET", "POST"])
@permission_required(_VIEW, raise_exception=True)
def budget_line_edit(request: HttpRequest, public_id, code: str) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    line = _line(plan, code)
    _require(request.user, "planning.change_budgetline", plan)
    form = forms.BudgetLineForm(request.POST or None, plan=plan, instance=line)
    if form.is_bound and form.is_valid():
        try:
            line = services.budget_line_update(
                actor=request.user,
                line=line,
                expected_version=form.expected_version(),
                original=form.started_from(),
                **form.service_data(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The budget line is saved."))
            return redirect("planning:budget_line_detail", public_id=plan.public_id, code=line.code)
    cancel = reverse("planning:budget_line_detail", args=[plan.public_id, line.code])
    title = _("Edit the budget line")
    return _form_page(request, form, title=title, plan=plan, cancel_url=cancel, subtitle=line.title)


@require_http_methods(["GET", "POST"])
@permission_required(_VIEW, raise_exception=True)
def budget_line_delete(request: HttpRequest, public_id, code: str) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    line = _line(plan, code)
    _require(request.user, "planning.delete_budgetline", plan)
    form = forms.DeleteForm(request.POST or None, instance=line)
    if form.is_bound and form.is_valid():
        try:
            services.budget_line_delete(actor=request.user, line=line, expected_version=form.expected_version())
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The budget line is deleted."))
            return redirect(_budget_url(plan))
    cancel = reverse("planning:budget_line_detail", args=[plan.public_id, line.code])
    return _delete_page(request, form, plan=plan, what=line.title, cancel_url=cancel)


# ALLOCATIONS -------------------------------------------------------------------------------------
def _allocation(request, public_id) -> BudgetAllocation:
    plans = selectors.plan_list_for(request.user)
    queryset = BudgetAllocation.objects.filter(line__plan__in=plans).select_related("line__plan")
    try:
        return queryset.get(public_id=public_id)
    except (BudgetAllocation.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def _line_url(line) -> str:
    return reverse("planning:budget_line_detail", args=[line.plan.public_id, line.code])


@require_http_methods(["GET", "POST"])
@permission_required(_VIEW, raise_exception=True)
def allocation_add(request: HttpRequest, public_id, code: str) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    line = _line(plan, code)
    _require(request.user, "planning.add_budgetallocation", plan)
    form = forms.AllocationForm(request.POST or None, plan=plan)
    if form.is_bound and form.is_valid():
        try:
            services.allocation_create(actor=request.user, line=line, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The allocation is recorded."))
            return redirect(_line_url(line))
    return _form_page(request, form, title=_("Record an allocation"), plan=plan, cancel_url=_line_url(line),
                      subtitle=line.title)  # fmt: skip


@require_http_methods(["GET", "POST"])
@permission_required(_VIEW, raise_exception=True)
def allocation_edit(request: HttpRequest, public_id) -> HttpResponse:
    allocation = _allocation(request, public_id)
    line = allocation.line
    _require(request.user, "planning.change_budgetallocation", line.plan)
    initial = {"year": allocation.year, "amount_million": allocation.amount_million,
               "source_document": allocation.source_document}  # fmt: skip
    form = forms.AllocationForm(request.POST or None, plan=line.plan, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.allocation_update(actor=request.user, allocation=allocation, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The allocation is saved."))
            return redirect(_line_url(line))
    return _form_page(request, form, title=_("Edit the allocation"), plan=line.plan, cancel_url=_line_url(line),
                      subtitle=line.title)  # fmt: skip


@require_http_methods(["GET", "POST"])
@permission_required(_VIEW, raise_exception=True)
def allocation_delete(request: HttpRequest, public_id) -> HttpResponse:
    allocation = _allocation(request, public_id)
    line = allocation.line
    _require(request.user, "planning.delete_budgetallocation", line.plan)
    if request.method == "POST":
        try:
            services.allocation_delete(actor=request.user, allocation=allocation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The allocation is deleted."))
        return redirect(_line_url(line))
    what = f"{allocation.year}: {allocation.amount_million} — {allocation.source_document}"
    return _delete_page(request, None, plan=line.plan, what=what, cancel_url=_line_url(line))


# EXPORT ------------------------------------------------------------------------------------------
def _money(value: Decimal | None):
    return None if value is None else budget.rounded(value)


def budget_columns(table: budget.BudgetTable) -> list[Column]:
    """The budget table as a sheet: the tree as stated, the money of each year, the period's variance."""
    columns = [
        Column(gettext_lazy("Code"), lambda r: r.line.code, 22),
        Column(gettext_lazy("Line"), lambda r: ("    " * r.depth) + r.line.title, 60),
        Column(gettext_lazy("Stated"), lambda r: r.line.amount_million, 16),
        Column(gettext_lazy("Sum of its lines"), lambda r: r.stated.children_sum, 16),
        Column(gettext_lazy("Difference"), lambda r: r.stated.difference or None, 12),
        Column(gettext_lazy("Spending counted"), lambda r: r.source.name if r.source else "", 30),
    ]
    for year in table.years:
        columns += [
            Column(f"{_('Allocated')} {year}", lambda r, y=year: _money(r.years[y].allocated), 14),
            Column(f"{_('Committed')} {year}", lambda r, y=year: _money(r.years[y].committed), 14),
            Column(f"{_('Disbursed')} {year}", lambda r, y=year: _money(r.years[y].disbursed), 14),
        ]
    columns += [
        Column(gettext_lazy("Allocated, period"), lambda r: _money(r.period.allocated), 16),
        Column(gettext_lazy("Committed, period"), lambda r: _money(r.period.committed), 16),
        Column(gettext_lazy("Disbursed, period"), lambda r: _money(r.period.disbursed), 16),
        Column(gettext_lazy("Allocated − committed"), lambda r: _money(r.period.uncommitted), 16),
        Column(gettext_lazy("Committed − disbursed"), lambda r: _money(r.period.undisbursed), 16),
        Column(gettext_lazy("Disbursed (percent of committed)"), lambda r: r.period.disbursed_percent, 12),
    ]
    return columns


@require_GET
@permission_required("planning.export_plan", raise_exception=True)
def budget_export(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    table = budget.budget_table(plan)
    name = _("plan-budget")
    export_record(actor=request.user, kind="planning.BudgetLine", file_type="xlsx", filters="", rows=len(table.rows))
    return xlsx_response(table.rows, budget_columns(table), filename=f"{name}-{plan.code}.xlsx", sheet_name=name[:31])
