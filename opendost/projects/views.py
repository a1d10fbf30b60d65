"""Staff pages of S&T tasks (officers and leaders of the department) and the applicant's pages.

A staff page without the permission answers 403 on lists and forms, 404 on records (an outsider
learns nothing). An applicant sees only its organisation's records; anything else is a 404.
Each step of the procedure is one form: `task_action` looks the step up in ACTIONS (form, who may
open it, the service it calls) so every step is a small declarative row, not a view of its own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendost.audit.selectors import history_for
from opendost.common.excel import csv_response, xlsx_response
from opendost.common.locking import EditConflict
from opendost.common.pagination import paginate
from opendost.projects import council_links, forms, selectors, services, services_edit
from opendost.projects.enums import (
    AmendmentStatus,
    ApplicationStatus,
    AssignmentMode,
    CallStatus,
    ProposalStatus,
    RegistrationStatus,
    RoundStatus,
    TaskStatus,
)
from opendost.projects.exports import TASK_COLUMNS
from opendost.projects.models import ContractAmendment, Deliverable, ProgressReport, ResultRegistration, TaskResult
from opendost.projects.permissions import can, represents
from opendost.subjects import selectors as subject_selectors
from opendost.subjects.services import export_record
from opendost.subjects.views import _add_errors, _sort_headers
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.selectors import available_transitions
from opendost.workflow.services import transition_apply

TASK_SORTS = [
    ("code", gettext_lazy("Code")),
    ("title", gettext_lazy("Title")),
    ("start", gettext_lazy("Start")),
    ("status", gettext_lazy("Status")),
]
EXPORT_TYPES = ("xlsx", "csv")
# Steps without data of their own, offered as buttons on the task page.
PLAIN_TRANSITIONS = {"start", "submit_for_acceptance", "liquidate", "close", "open_selection"}
# What the workflow asks of who makes these steps (the others: projects.change_task).
_TRANSITION_PERMISSION = {"liquidate": "projects.approve_task", "close": "projects.approve_task"}


def councils_section(subject, user, *, staff: bool = True) -> list:
    """The councils judging the page's records (council_links.council_rows): staff see those of
    their jurisdiction with the records' outcomes; an applicant only closed councils on its own
    record, with its own outcome."""
    return council_links.council_rows(subject, user=user, staff=staff)


# TASK LIST --------------------------------------------------------------------------------------
@require_GET
@permission_required("projects.view_task", raise_exception=True)
def task_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.task_filterset_for(request.user, request.GET)
    page = paginate(filterset.qs, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    context = {
        "filter": filterset,
        "page": page,
        "sort_headers": _sort_headers(request, TASK_SORTS),
        "can_add": can(request.user, "projects.add_task", request.user.department_id),
        "can_export": request.user.has_perm("projects.export_task"),
    }
    template = "projects/task_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_GET
@permission_required("projects.export_task", raise_exception=True)
def task_export(request: HttpRequest, file_type: str) -> HttpResponse:
    if file_type not in EXPORT_TYPES:
        raise Http404
    rows = selectors.task_list_for(request.user, request.GET).prefetch_related("budget_lines")
    limit = settings.OPENDOST_EXPORT_MAX_ROWS
    count = rows[: limit + 1].count()
    if count > limit:
        messages.error(
            request,
            _("More than %(limit)s rows match: narrow the filters and export again.") % {"limit": f"{limit:,}"},
        )
        return redirect(reverse("projects:task_list") + "?" + request.GET.urlencode())
    filters = "; ".join(f"{k}={v}" for k, v in request.GET.items() if v and k != "page")
    export_record(actor=request.user, kind="projects.Task", file_type=file_type, filters=filters, rows=count)
    filename = f"nhiem-vu-khcn-{timezone.localdate():%Y-%m-%d}.{file_type}"
    rows = rows.iterator(chunk_size=2000)
    if file_type == "csv":
        return csv_response(rows, TASK_COLUMNS, filename=filename)
    return xlsx_response(rows, TASK_COLUMNS, filename=filename, sheet_name=_("S&T tasks"))


@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    if not can(request.user, "projects.add_task", department):
        raise PermissionDenied
    form = forms.TaskForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            task = services.task_create(actor=request.user, department=department, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Task recorded."))
            return redirect(task)
    return render(request, "projects/form.html", {"form": form, "title": _("Record a task")})


# TASK PAGE --------------------------------------------------------------------------------------
def _task_or_404(request: HttpRequest, public_id):
    if not request.user.has_perm("projects.view_task"):
        raise Http404
    return selectors.task_get_for(request.user, public_id)


def _task_context(request: HttpRequest, task, *, staff: bool) -> dict:
    transitions = []
    if staff:
        transitions = [t for t in available_transitions(task, request.user) if t.name in PLAIN_TRANSITIONS]
    contract = getattr(task, "contract", None)
    return {
        "task": task,
        "staff": staff,
        "timeline": selectors.timeline_for(task),
        "budget": selectors.budget_of(task),
        "contract": contract,
        "amendments": list(contract.amendments.all()) if contract else [],
        "deliverables": list(task.deliverables.all()),
        "reports": list(task.progress_reports.select_related("submitted_by")),
        "checks": list(task.progress_checks.all()),
        "acceptances": selectors.acceptances_of(task),
        "results": selectors.results_of(task),
        "applications": list(task.applications.select_related("organization")) if staff else [],
        "documents": selectors.documents_of(task),
        "councils": councils_section(task, request.user, staff=staff),
        "transitions": transitions,
        "actions": _actions_for(request.user, task) if staff else [],
        "history": history_for(task, request.user) if staff else [],
        "can_change": staff and can(request.user, "projects.change_task", task.department_id),
        "can_edit": staff and services_edit.task_editable_by(request.user, task),
        "can_register": staff and can(request.user, "projects.change_resultregistration", task.department_id),
        "can_approve": staff and can(request.user, "projects.approve_task", task.department_id),
        "pending_acceptances": council_links.pending_acceptances(task, request.user) if staff else [],
        "council_start": staff
        and request.user.has_perm("councils.add_council")
        and bool(council_links.acceptance_levels(task))
        and can(request.user, "projects.change_task", task.department_id),
        "RegistrationStatus": RegistrationStatus,
    }


@require_GET
def task_detail(request: HttpRequest, public_id) -> HttpResponse:
    task = _task_or_404(request, public_id)
    return render(request, "projects/task_detail.html", _task_context(request, task, staff=True))


@require_POST
def task_transition(request: HttpRequest, public_id) -> HttpResponse:
    """The steps without data of their own (start, receive the acceptance dossier, liquidate...)."""
    task = _task_or_404(request, public_id)
    name = request.POST.get("transition", "")
    if name not in PLAIN_TRANSITIONS:
        raise Http404
    if not can(request.user, _TRANSITION_PERMISSION.get(name, "projects.change_task"), task.department_id):
        raise PermissionDenied
    try:
        if name == "liquidate":
            services.task_liquidate(actor=request.user, task=task)
        else:
            transition_apply(task, name, actor=request.user, note=request.POST.get("note", "")[:500])
    except (TransitionNotAllowed, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status changed."))
    return redirect(task)


@dataclass(frozen=True)
class Action:
    title: Any
    form: Callable  # (request, task, data, files) -> form
    run: Callable  # (request, task, form) -> None
    allowed: Callable  # (user, task) -> bool
    states: tuple = ()


def _people(request, task):
    return subject_selectors.person_choices_for(request.user)


def _organizations(request, task):
    return subject_selectors.organization_choices_for(request.user)


def _assign_form(request, task, data, files):
    return forms.AssignForm(
        data, organizations=_organizations(request, task), people=_people(request, task), initial=_assign_initial(task)
    )


def _assign_initial(task) -> dict:
    initial = {"host": task.host_id, "principal_investigator": task.principal_investigator_id}
    selected = task.applications.filter(status=ApplicationStatus.SELECTED).first()
    if selected is not None:
        initial.update(
            host=selected.organization_id,
            budget_central=selected.budget_central,
            budget_provincial=selected.budget_provincial,
            budget_counterpart=selected.budget_counterpart,
        )
    return initial


def _run_assign(request, task, form):
    data = dict(form.cleaned_data)
    budget = form.budget()
    for key in ("budget_central", "budget_provincial", "budget_counterpart"):
        data.pop(key)
    services.task_assign(actor=request.user, task=task, budget=budget, **data)


def _contract_form(request, task, data, files):
    total = services.state_budget_of(task)
    return forms.ContractForm(
        data,
        initial={"total": total, "tranche_1": total, "starts_on": task.start_on, "ends_on": task.end_on},
    )


def _run_contract(request, task, form):
    data = {k: form.cleaned_data[k] for k in ("number", "signed_on", "total", "starts_on", "ends_on")}
    services.contract_sign(actor=request.user, task=task, tranches=form.tranches(), **data)


def _disbursement_form(request, task, data, files):
    contract = getattr(task, "contract", None)
    tranches = contract.tranches.all() if contract else []
    return forms.DisbursementForm(data, tranches=tranches)


def _change(user, task) -> bool:
    return can(user, "projects.change_task", task.department_id)


def _approve(user, task) -> bool:
    return can(user, "projects.approve_task", task.department_id)


def _add_result(user, task) -> bool:
    return can(user, "projects.add_taskresult", task.department_id)


def _acceptance_form(request, task, data, files):
    """Opened from a closed acceptance council (?council=<id>): prefilled with its outcome."""
    _council, initial = council_links.acceptance_prefill(task, request.user, request.GET.get("council"))
    return forms.AcceptanceForm(data, initial=initial or {"level": task.level})


def _run_acceptance(request, task, form):
    council, _initial = council_links.acceptance_prefill(task, request.user, request.GET.get("council"))
    services.acceptance_record(actor=request.user, task=task, council=council, **form.cleaned_data)


RUNNING = (TaskStatus.IN_PROGRESS, TaskStatus.EXTENDED)

ACTIONS: dict[str, Action] = {
    "assign": Action(
        gettext_lazy("Approve host, investigator and budget"),
        _assign_form,
        _run_assign,
        _approve,
        (TaskStatus.ORDERED, TaskStatus.SELECTING),
    ),
    "contract": Action(
        gettext_lazy("Sign the contract"), _contract_form, _run_contract, _change, (TaskStatus.ASSIGNED,)
    ),
    "tranche": Action(
        gettext_lazy("Add a tranche"),
        lambda r, t, d, f: forms.TrancheForm(d),
        lambda r, t, f: services.tranche_add(actor=r.user, task=t, **f.cleaned_data),
        _change,
        services.FUNDED,
    ),
    "disbursement": Action(
        gettext_lazy("Record a payment"),
        _disbursement_form,
        lambda r, t, f: services.disbursement_record(actor=r.user, **f.cleaned_data),
        _change,
        services.FUNDED,
    ),
    "amendment": Action(
        gettext_lazy("Request a contract amendment"),
        lambda r, t, d, f: forms.AmendmentForm(d),
        lambda r, t, f: services.amendment_request(actor=r.user, task=t, **f.cleaned_data),
        _change,
        RUNNING,
    ),
    "deliverable": Action(
        gettext_lazy("Add a deliverable"),
        lambda r, t, d, f: forms.DeliverableForm(d),
        lambda r, t, f: services.deliverable_add(actor=r.user, task=t, **f.cleaned_data),
        _change,
    ),
    "report": Action(
        gettext_lazy("Record a progress report"),
        lambda r, t, d, f: forms.ProgressReportForm(d, f),
        lambda r, t, f: services.progress_report_submit(actor=r.user, task=t, **f.cleaned_data),
        _change,
        RUNNING,
    ),
    "check": Action(
        gettext_lazy("Record a progress check"),
        lambda r, t, d, f: forms.CheckForm(d),
        lambda r, t, f: services.progress_check_record(actor=r.user, task=t, **f.cleaned_data),
        _change,
        (*RUNNING, TaskStatus.CONTRACTED),
    ),
    "acceptance": Action(
        gettext_lazy("Record an acceptance"),
        _acceptance_form,
        _run_acceptance,
        _change,
        (*RUNNING, TaskStatus.SUBMITTED_FOR_ACCEPTANCE),
    ),
    "result": Action(
        gettext_lazy("Record a result"),
        lambda r, t, d, f: forms.ResultForm(d, initial={"year": timezone.localdate().year, "field": t.field_id}),
        lambda r, t, f: services.result_add(actor=r.user, task=t, **f.cleaned_data),
        _add_result,
        services.HAS_RESULTS,
    ),
    "cancel": Action(
        gettext_lazy("Cancel the task"),
        lambda r, t, d, f: forms.CancelForm(d),
        lambda r, t, f: services.task_cancel(actor=r.user, task=t, **f.cleaned_data),
        _approve,
        (
            TaskStatus.ORDERED,
            TaskStatus.SELECTING,
            TaskStatus.ASSIGNED,
            TaskStatus.CONTRACTED,
            *RUNNING,
        ),
    ),
}


def _actions_for(user, task) -> list[tuple[str, Any]]:
    return [
        (name, action.title)
        for name, action in ACTIONS.items()
        if (not action.states or task.status in action.states) and action.allowed(user, task)
    ]


@require_http_methods(["GET", "POST"])
def task_action(request: HttpRequest, public_id, action: str) -> HttpResponse:
    task = _task_or_404(request, public_id)
    step = ACTIONS.get(action)
    if step is None:
        raise Http404
    if not step.allowed(request.user, task):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = step.form(request, task, data, request.FILES if data is not None else None)
    if form.is_bound and form.is_valid():
        try:
            step.run(request, task, form)
        except (ValidationError, TransitionNotAllowed) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(task)
    return render(request, "projects/form.html", {"form": form, "title": step.title, "task": task})


@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, public_id) -> HttpResponse:
    """Correct the task's descriptive data, checked against the version the form was opened with."""
    task = _task_or_404(request, public_id)
    if not services_edit.task_editable_by(request.user, task):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = forms.TaskEditForm(data, instance=task, editable=services_edit.task_editable_fields(task))
    if form.is_bound and form.is_valid():
        try:
            services_edit.task_update(
                actor=request.user,
                task=task,
                expected_version=form.expected_version(),
                original=form.started_from(),
                **form.data_without_version(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Task saved."))
            return redirect(task)
    return render(request, "projects/form.html", {"form": form, "title": _("Edit the task"), "task": task})


@require_http_methods(["GET", "POST"])
def deliverable_deliver(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    """Record the date a deliverable of the task's schedule was handed over."""
    task = _task_or_404(request, public_id)
    try:
        deliverable = task.deliverables.get(pk=pk)
    except Deliverable.DoesNotExist as exc:
        raise Http404 from exc
    if not _change(request.user, task):
        raise PermissionDenied
    initial = {"delivered_on": deliverable.delivered_on or timezone.localdate()}
    form = forms.DeliverForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.deliverable_deliver(actor=request.user, deliverable=deliverable, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Delivery recorded."))
            return redirect(reverse("projects:task_detail", args=[task.public_id]) + "#deliverables")
    title = _("Record the delivery of: %(name)s") % {"name": deliverable.name}
    return render(request, "projects/form.html", {"form": form, "title": title, "task": task})


def _registration_or_404(request, public_id) -> ResultRegistration:
    if not request.user.has_perm("projects.view_resultregistration"):
        raise Http404
    try:
        return (
            ResultRegistration.objects.visible_to(request.user)
            .select_related("result__task__host", "result__task__principal_investigator", "department")
            .get(public_id=public_id)
        )
    except (ResultRegistration.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
def registration_action(request: HttpRequest, public_id, action: str) -> HttpResponse:
    """Certify, store or return a result registration dossier."""
    registration = _registration_or_404(request, public_id)
    if not can(request.user, "projects.change_resultregistration", registration.department_id):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    if action == "certify":
        form = forms.CertifyForm(data, initial={"signer_name": request.user.get_full_name()})
        run = lambda f: services.result_register(actor=request.user, registration=registration, **f.cleaned_data)  # noqa: E731
        title = _("Issue the registration certificate")
    elif action == "store":
        form = forms.StoreForm(data)
        run = lambda f: services.result_store(actor=request.user, registration=registration, **f.cleaned_data)  # noqa: E731
        title = _("Receive and store the result")
    elif action == "return":
        form = forms.RejectForm(data)
        run = lambda f: services.result_registration_return(  # noqa: E731
            actor=request.user, registration=registration, **f.cleaned_data
        )
        title = _("Return the dossier for completion")
    else:
        raise Http404
    task = registration.result.task
    if form.is_bound and form.is_valid():
        try:
            run(form)
        except (ValidationError, TransitionNotAllowed) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(task)
    context = {"form": form, "title": title, "task": task, "registration": registration}
    return render(request, "projects/form.html", context)


def _result_or_404(request, public_id) -> TaskResult:
    if not request.user.has_perm("projects.view_taskresult"):
        raise Http404
    try:
        return TaskResult.objects.visible_to(request.user).select_related("task").get(public_id=public_id)
    except (TaskResult.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


@require_POST
def result_registration_open(request: HttpRequest, public_id) -> HttpResponse:
    """The officer records a registration dossier received on paper (complete today)."""
    result = _result_or_404(request, public_id)
    try:
        services.result_registration_submit(actor=request.user, result=result)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        raise
    else:
        messages.success(request, _("Registration dossier received."))
    return redirect(result.task)


@require_http_methods(["GET", "POST"])
def result_application_add(request: HttpRequest, public_id) -> HttpResponse:
    result = _result_or_404(request, public_id)
    if not can(request.user, "projects.change_taskresult", result.department_id):
        raise PermissionDenied
    form = forms.ResultApplicationForm(request.POST or None, initial={"year": timezone.localdate().year})
    if form.is_bound and form.is_valid():
        try:
            services.result_application_record(actor=request.user, result=result, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(result.task)
    return render(
        request,
        "projects/form.html",
        {"form": form, "title": _("Record an application of the result"), "task": result.task},
    )


def _amendment_or_404(request, public_id) -> ContractAmendment:
    if not request.user.has_perm("projects.view_task"):
        raise Http404
    try:
        amendment = ContractAmendment.objects.select_related("contract__task").get(public_id=public_id)
    except (ContractAmendment.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    selectors.task_get_for(request.user, amendment.contract.task.public_id)  # scope check (404)
    return amendment


@require_http_methods(["GET", "POST"])
def amendment_decide(request: HttpRequest, public_id) -> HttpResponse:
    amendment = _amendment_or_404(request, public_id)
    task = amendment.contract.task
    if not can(request.user, "projects.approve_task", task.department_id):
        raise PermissionDenied
    form = forms.DecisionForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            if form.cleaned_data["approve"]:
                services.amendment_approve(actor=request.user, amendment=amendment)
            else:
                services.amendment_reject(actor=request.user, amendment=amendment, reason=form.cleaned_data["reason"])
        except (ValidationError, TransitionNotAllowed) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(task)
    context = {"form": form, "title": _("Decide on the amendment"), "task": task, "amendment": amendment}
    return render(request, "projects/form.html", context)


def _report_or_404(request, public_id) -> ProgressReport:
    if not request.user.has_perm("projects.view_task"):
        raise Http404
    try:
        report = ProgressReport.objects.select_related("task").get(public_id=public_id)
    except (ProgressReport.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    selectors.task_get_for(request.user, report.task.public_id)
    return report


@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, public_id) -> HttpResponse:
    report = _report_or_404(request, public_id)
    if not can(request.user, "projects.change_task", report.task.department_id):
        raise PermissionDenied
    form = forms.ReviewForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            services.progress_report_review(actor=request.user, report=report, **form.cleaned_data)
        except (ValidationError, TransitionNotAllowed) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect(report.task)
    context = {"form": form, "title": _("Review the progress report"), "task": report.task, "report": report}
    return render(request, "projects/form.html", context)


# PROPOSALS, ROUNDS, CALLS -----------------------------------------------------------------------
@require_GET
@permission_required("projects.view_proposal", raise_exception=True)
def proposal_list(request: HttpRequest) -> HttpResponse:
    proposals = selectors.proposal_list_for(request.user).order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status in ProposalStatus.values:
        proposals = proposals.filter(status=status)
    page = paginate(proposals, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    context = {
        "page": page,
        "statuses": ProposalStatus.choices,
        "status": status,
        "rounds": selectors.round_list_for(request.user)[:10],
        "calls": selectors.call_list_for(request.user)[:10],
        "can_add": can(request.user, "projects.add_proposal", request.user.department_id),
    }
    return render(request, "projects/proposal_list.html", context)


@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    if not can(request.user, "projects.add_proposal", department):
        raise PermissionDenied
    form = forms.StaffProposalForm(
        request.POST or None, organizations=subject_selectors.organization_choices_for(request.user)
    )
    if form.is_bound and form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user, department=department, submit=True, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Proposal recorded."))
            return redirect(proposal)
    return render(request, "projects/form.html", {"form": form, "title": _("Record a proposal")})


def _proposal_or_404(request, public_id):
    if not request.user.has_perm("projects.view_proposal"):
        raise Http404
    return selectors.proposal_get_for(request.user, public_id)


@require_http_methods(["GET", "POST"])
def proposal_detail(request: HttpRequest, public_id) -> HttpResponse:
    proposal = _proposal_or_404(request, public_id)
    can_change = can(request.user, "projects.change_proposal", proposal.department_id)
    rounds = selectors.round_list_for(request.user).filter(department=proposal.department).exclude(status="approved")
    group_form = forms.GroupForm(rounds=rounds)
    reject_form = forms.RejectForm()
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "group":
                group_form = forms.GroupForm(request.POST, rounds=rounds)
                if group_form.is_valid():
                    services.proposal_group(
                        actor=request.user,
                        proposal_round=group_form.cleaned_data["proposal_round"],
                        proposals=[proposal],
                    )
                    return redirect(proposal)
            elif action == "shortlist":
                services.proposal_shortlist(actor=request.user, proposal=proposal)
                return redirect(proposal)
            elif action == "reject":
                reject_form = forms.RejectForm(request.POST)
                if reject_form.is_valid():
                    services.proposal_reject(actor=request.user, proposal=proposal, **reject_form.cleaned_data)
                    return redirect(proposal)
            else:
                raise Http404
        except (ValidationError, TransitionNotAllowed) as exc:
            messages.error(request, " ".join(exc.messages))
    context = {
        "proposal": proposal,
        "can_change": can_change,
        "can_edit": services_edit.proposal_editable_by(request.user, proposal),
        "group_form": group_form,
        "reject_form": reject_form,
        "task": getattr(proposal, "task", None),
        "councils": councils_section(proposal, request.user),
        "history": history_for(proposal, request.user),
    }
    return render(request, "projects/proposal_detail.html", context)


def _proposal_initial(proposal, names) -> dict:
    initial = {name: getattr(proposal, name) for name in names if name not in ("field", "proposer_organization")}
    initial["field"] = proposal.field_id
    if "proposer_organization" in names:
        initial["proposer_organization"] = proposal.proposer_organization_id
    return initial


def _proposal_edit(request, proposal, form, *, title: str, done_url: str) -> HttpResponse:
    if form.is_bound and form.is_valid():
        try:
            services_edit.proposal_update(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Proposal saved."))
            return redirect(done_url)
    context = {"form": form, "title": title, "cancel_url": done_url, "subtitle": proposal.title}
    return render(request, "projects/form.html", context)


@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, public_id) -> HttpResponse:
    """The officer corrects a proposal until the round's ordered list is decided."""
    proposal = _proposal_or_404(request, public_id)
    if not (
        can(request.user, "projects.change_proposal", proposal.department_id)
        and services_edit.proposal_editable_by(request.user, proposal)
    ):
        raise PermissionDenied
    form = forms.StaffProposalForm(
        request.POST if request.method == "POST" else None,
        organizations=subject_selectors.organization_choices_for(request.user),
        initial=_proposal_initial(proposal, services_edit.STAFF_PROPOSAL_FIELDS),
    )
    return _proposal_edit(request, proposal, form, title=_("Edit the proposal"), done_url=proposal.get_absolute_url())


@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    if not can(request.user, "projects.add_proposalround", department):
        raise PermissionDenied
    form = forms.RoundForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if form.is_bound and form.is_valid():
        try:
            proposal_round = services.round_create(actor=request.user, department=department, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect(proposal_round)
    return render(request, "projects/form.html", {"form": form, "title": _("Open a proposal round")})


@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, public_id) -> HttpResponse:
    if not request.user.has_perm("projects.view_proposalround"):
        raise Http404
    proposal_round = selectors.round_get_for(request.user, public_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "close":
                services.round_close(actor=request.user, proposal_round=proposal_round)
            elif action == "approve":
                modes = {
                    p.pk: AssignmentMode.DIRECT
                    for p in proposal_round.proposals.all()
                    if request.POST.get(f"direct_{p.pk}")
                }
                services.round_approve(actor=request.user, proposal_round=proposal_round, modes=modes)
                messages.success(request, _("Ordered list approved; the decision is issued."))
            else:
                raise Http404
        except (ValidationError, TransitionNotAllowed) as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied:
            raise
        return redirect(proposal_round)
    context = {
        "round": proposal_round,
        "proposals": proposal_round.proposals.select_related("proposer_organization", "field"),
        "tasks": proposal_round.tasks.all(),
        "can_close": can(request.user, "projects.change_proposalround", proposal_round.department_id),
        "can_approve": can(request.user, "projects.approve_proposalround", proposal_round.department_id),
        "councils": councils_section(proposal_round, request.user),
        "council_start": proposal_round.status == RoundStatus.REVIEWING
        and request.user.has_perm("councils.add_council")
        and can(request.user, "projects.change_proposal", proposal_round.department_id),
        "history": history_for(proposal_round, request.user),
    }
    return render(request, "projects/round_detail.html", context)


@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    if not can(request.user, "projects.add_selectioncall", department):
        raise PermissionDenied
    tasks = selectors.task_list_for(request.user).filter(
        department=department,
        assignment_mode=AssignmentMode.SELECTION,
        status__in=[TaskStatus.ORDERED, TaskStatus.SELECTING],
    )
    form = forms.CallForm(request.POST or None, tasks=tasks)
    if form.is_bound and form.is_valid():
        try:
            call = services.call_create(actor=request.user, department=department, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect(call)
    return render(request, "projects/form.html", {"form": form, "title": _("Prepare a call for applications")})


@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, public_id) -> HttpResponse:
    """Change a call while it is a draft: once published, applicants rely on it."""
    if not request.user.has_perm("projects.view_selectioncall"):
        raise Http404
    call = selectors.call_get_for(request.user, public_id)
    if not services_edit.call_editable_by(request.user, call):
        raise PermissionDenied
    listed = list(call.tasks.values_list("pk", flat=True))
    tasks = (
        selectors.task_list_for(request.user)
        .filter(department_id=call.department_id, assignment_mode=AssignmentMode.SELECTION)
        .filter(Q(status__in=[TaskStatus.ORDERED, TaskStatus.SELECTING]) | Q(pk__in=listed))
    )
    initial = {"title": call.title, "description": call.description, "deadline": call.deadline, "tasks": listed}
    form = forms.CallForm(request.POST if request.method == "POST" else None, tasks=tasks, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services_edit.call_update(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Call saved."))
            return redirect(call)
    context = {
        "form": form,
        "title": _("Edit the call"),
        "cancel_url": call.get_absolute_url(),
        "subtitle": call.title,
    }
    return render(request, "projects/form.html", context)


@require_http_methods(["GET", "POST"])
def call_detail(request: HttpRequest, public_id) -> HttpResponse:
    if not request.user.has_perm("projects.view_selectioncall"):
        raise Http404
    call = selectors.call_get_for(request.user, public_id)
    can_change = can(request.user, "projects.change_selectioncall", call.department_id)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.call_publish(actor=request.user, call=call)
            elif action == "close":
                services.call_close(actor=request.user, call=call)
            else:
                raise Http404
        except (ValidationError, TransitionNotAllowed) as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(call)
    context = {
        "call": call,
        "can_change": can_change,
        "can_edit": services_edit.call_editable_by(request.user, call),
        "applications": call.applications.exclude(status=ApplicationStatus.DRAFT).select_related(
            "task", "organization"
        ),
        "councils": councils_section(call, request.user),
        "council_start": call.status != CallStatus.DRAFT
        and request.user.has_perm("councils.add_council")
        and can(request.user, "projects.change_selectionapplication", call.department_id),
    }
    return render(request, "projects/call_detail.html", context)


@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, public_id) -> HttpResponse:
    if not request.user.has_perm("projects.view_selectionapplication"):
        raise Http404
    application = selectors.application_get_for(request.user, public_id)
    can_change = can(request.user, "projects.change_selectionapplication", application.department_id)
    form = forms.SelectionResultForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.selection_result_record(actor=request.user, application=application, **form.cleaned_data)
            except (ValidationError, TransitionNotAllowed) as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Selection result recorded."))
                return redirect(application)
    context = {
        "application": application,
        "form": form if can_change and application.status == ApplicationStatus.SUBMITTED else None,
        "councils": councils_section(application, request.user),
        "history": history_for(application, request.user),
    }
    return render(request, "projects/application_detail.html", context)


# APPLICANTS -------------------------------------------------------------------------------------
def _applicant(request) -> None:
    if not getattr(request.user, "organization_id", None):
        raise Http404


@require_GET
def my_home(request: HttpRequest) -> HttpResponse:
    _applicant(request)
    context = {
        "organization": request.user.organization,
        "tasks": selectors.my_tasks(request.user)[:50],
        "proposals": selectors.my_proposals(request.user)[:50],
        "applications": selectors.my_applications(request.user)[:50],
        "calls": selectors.open_calls()[:20],
    }
    return render(request, "projects/my_home.html", context)


@require_http_methods(["GET", "POST"])
def my_proposal_create(request: HttpRequest) -> HttpResponse:
    _applicant(request)
    form = forms.ProposalForm(request.POST or None)
    draft = "draft" in request.POST
    if form.is_bound and form.is_valid():
        try:
            proposal = services.proposal_create(actor=request.user, submit=not draft, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if draft:
                messages.success(request, _("Your draft is saved: you can change it before submitting it."))
            else:
                messages.success(request, _("Your proposal has been submitted."))
            return redirect("projects:my_proposal", public_id=proposal.public_id)
    context = {
        "form": form,
        "title": _("Propose a task for ordering"),
        "submit_label": _("Submit"),
        "draft_label": _("Save as draft"),
        "cancel_url": reverse("projects:my_home"),
    }
    return render(request, "projects/form.html", context)


@require_GET
def my_proposal(request: HttpRequest, public_id) -> HttpResponse:
    _applicant(request)
    proposal = selectors.my_proposal_get(request.user, public_id)
    context = {
        "proposal": proposal,
        "councils": councils_section(proposal, request.user, staff=False),
        "can_edit": services_edit.proposal_editable_by(request.user, proposal),
    }
    return render(request, "projects/my_proposal.html", context)


@require_http_methods(["GET", "POST"])
def my_proposal_edit(request: HttpRequest, public_id) -> HttpResponse:
    """The proposer changes its draft (a submitted proposal is the Department's to handle)."""
    _applicant(request)
    proposal = selectors.my_proposal_get(request.user, public_id)
    if not services_edit.proposal_editable_by(request.user, proposal):
        raise PermissionDenied
    form = forms.ProposalForm(
        request.POST if request.method == "POST" else None,
        initial=_proposal_initial(proposal, services_edit.PROPOSAL_FIELDS),
    )
    done_url = reverse("projects:my_proposal", args=[proposal.public_id])
    return _proposal_edit(request, proposal, form, title=_("Edit the draft proposal"), done_url=done_url)


@require_POST
def my_proposal_submit(request: HttpRequest, public_id) -> HttpResponse:
    _applicant(request)
    proposal = selectors.my_proposal_get(request.user, public_id)
    try:
        services.proposal_submit(actor=request.user, proposal=proposal)
    except (ValidationError, TransitionNotAllowed) as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your proposal has been submitted."))
    return redirect("projects:my_proposal", public_id=proposal.public_id)


@require_http_methods(["GET", "POST"])
def my_apply(request: HttpRequest, public_id) -> HttpResponse:
    _applicant(request)
    call = selectors.open_call_get(public_id)
    form = forms.ApplicationForm(request.POST or None, tasks=call.tasks.all())
    if form.is_bound and form.is_valid():
        try:
            application = services.application_create(actor=request.user, call=call, submit=True, **form.cleaned_data)
        except (ValidationError, TransitionNotAllowed) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your application has been submitted."))
            return redirect("projects:my_application", public_id=application.public_id)
    return render(request, "projects/form.html", {"form": form, "title": call.title, "call": call})


@require_GET
def my_application(request: HttpRequest, public_id) -> HttpResponse:
    _applicant(request)
    application = selectors.my_application_get(request.user, public_id)
    context = {"application": application, "councils": councils_section(application, request.user, staff=False)}
    return render(request, "projects/my_application.html", context)


@require_GET
def my_task(request: HttpRequest, public_id) -> HttpResponse:
    _applicant(request)
    task = selectors.my_task_get(request.user, public_id)
    context = _task_context(request, task, staff=False)
    context["report_form"] = forms.ProgressReportForm() if task.status in RUNNING else None
    return render(request, "projects/task_detail.html", context)


@require_POST
def my_report_submit(request: HttpRequest, public_id) -> HttpResponse:
    _applicant(request)
    task = selectors.my_task_get(request.user, public_id)
    form = forms.ProgressReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.progress_report_submit(actor=request.user, task=task, **form.cleaned_data)
        except (ValidationError, TransitionNotAllowed) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your progress report has been submitted."))
            return redirect("projects:my_task", public_id=task.public_id)
    context = _task_context(request, task, staff=False)
    context["report_form"] = form
    return render(request, "projects/task_detail.html", context)


@require_POST
def my_result_register(request: HttpRequest, public_id) -> HttpResponse:
    """The host submits the registration dossier of one of its results."""
    _applicant(request)
    try:
        result = TaskResult.objects.select_related("task").get(
            public_id=public_id, task__host_id=request.user.organization_id
        )
    except (TaskResult.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    if not represents(request.user, result.task.host_id):
        raise Http404
    try:
        services.result_registration_submit(actor=request.user, result=result)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your registration dossier has been submitted."))
    return redirect("projects:my_task", public_id=result.task.public_id)


def open_amendments(task) -> list:
    contract = getattr(task, "contract", None)
    return list(contract.amendments.filter(status=AmendmentStatus.REQUESTED)) if contract else []


# COUNCILS ---------------------------------------------------------------------------------------
COUNCIL_SUBJECTS = {
    "round": (selectors.round_get_for, "projects.view_proposalround"),
    "call": (selectors.call_get_for, "projects.view_selectioncall"),
    "task": (selectors.task_get_for, "projects.view_task"),
}


@require_http_methods(["GET", "POST"])
def council_start(request: HttpRequest, kind: str, public_id) -> HttpResponse:
    """Form the council of a round (task definition), a call (selection) or a task (acceptance)
    and go to the council's page, where its members and criteria are managed."""
    if kind not in COUNCIL_SUBJECTS:
        raise Http404
    get, perm = COUNCIL_SUBJECTS[kind]
    if not request.user.has_perm(perm):
        raise Http404
    subject = get(request.user, public_id)
    if not request.user.has_perm("councils.add_council"):
        raise PermissionDenied
    levels = council_links.acceptance_levels(subject) if kind == "task" else None
    form = forms.CouncilStartForm(request.POST if request.method == "POST" else None, levels=levels)
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if kind == "round":
                council = council_links.definition_council_start(actor=request.user, proposal_round=subject, **data)
            elif kind == "call":
                council = council_links.selection_council_start(actor=request.user, call=subject, **data)
            else:
                council = council_links.acceptance_council_start(actor=request.user, task=subject, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Council formed: add its members and check its criteria."))
            return redirect(council)
    titles = {
        "round": _("Form the task definition council"),
        "call": _("Form the selection council"),
        "task": _("Form an acceptance council"),
    }
    context = {"form": form, "title": titles[kind], "task": subject if kind == "task" else None}
    return render(request, "projects/form.html", context)


# Who records a council's outcome on the records it judged (acceptance councils: projects.change_task).
_OUTCOME_PERMISSION = {
    council_links.P.TASK_DEFINITION: "projects.change_proposal",
    council_links.P.SELECTION: "projects.change_selectionapplication",
}


@require_POST
def council_apply(request: HttpRequest, public_id) -> HttpResponse:
    """Record a closed council's outcome on the proposals, applications or task it judged (what the
    closing did not record automatically). Safe to press again."""
    from opendost.councils.selectors import council_get_for

    council = council_get_for(request.user, public_id)
    if council.purpose not in council_links.HANDLED:
        raise Http404
    if not can(request.user, _OUTCOME_PERMISSION.get(council.purpose, "projects.change_task"), council.department_id):
        raise PermissionDenied  # who may see a council is not always who records on the judged records
    report = council_links.council_outcome_apply(actor=request.user, council=council)
    if report.recorded:
        messages.success(request, _("Outcome recorded for: %(list)s.") % {"list": "; ".join(report.recorded)})
    for line in report.pending:
        messages.error(request, line)
    if not report.recorded and not report.pending:
        messages.info(request, _("Nothing left to record: the council's outcome is already recorded."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = council.get_absolute_url()
    return redirect(target)


# PROGRESS REPORT ATTACHMENTS -------------------------------------------------------------------
@require_GET
def report_attachment(request: HttpRequest, public_id) -> HttpResponse:
    """A progress report's attachment, for the host organisation's users and the department's staff
    only (files are never served from the public media URL). Anyone else: 404."""
    try:
        report = ProgressReport.objects.select_related("task").get(public_id=public_id)
    except (ProgressReport.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    if not represents(request.user, report.task.host_id):
        if not request.user.has_perm("projects.view_task"):
            raise Http404
        selectors.task_get_for(request.user, report.task.public_id)  # jurisdiction (404)
    if not report.attachment:
        raise Http404
    try:
        handle = report.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = report.attachment.name.rsplit(".", 1)[-1]
    name = f"bao-cao-tien-do-{report.task.code}-{report.period_end:%Y-%m-%d}.{extension}"
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
