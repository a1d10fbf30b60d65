"""The only writers of S&T tasks, from the proposal to the liquidated contract.

Every function takes keyword arguments and the `actor`, runs in one transaction, checks in this
order the actor's right (PermissionDenied), the record's state and the data (ValidationError, all
field errors at once, English msgids), then writes, moves statuses through
`workflow.services.transition_apply` and appends an audit event. Amounts are whole đồng.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.calendars.workdays import due_date
from opendost.common.text import normalize
from opendost.departments.models import Department
from opendost.documents.services import document_issue
from opendost.projects import documents as docs
from opendost.projects.enums import (
    AcceptanceLevel,
    AmendmentKind,
    AmendmentStatus,
    ApplicationStatus,
    AssignmentMode,
    CallStatus,
    Classification,
    FundingSource,
    ProposalStatus,
    RegistrationStatus,
    ReportStatus,
    RoundStatus,
    TaskLevel,
    TaskStatus,
)
from opendost.projects.models import (
    Acceptance,
    BudgetLine,
    Contract,
    ContractAmendment,
    Deliverable,
    Disbursement,
    ProgressCheck,
    ProgressReport,
    Proposal,
    ProposalRound,
    ResultApplication,
    ResultRegistration,
    SelectionApplication,
    SelectionCall,
    Task,
    TaskResult,
    Tranche,
)
from opendost.projects.permissions import can, represents
from opendost.projects.regimes import regime_on, version_of
from opendost.projects.workflows import RECORD_TRANSITIONS
from opendost.search.services import search_index
from opendost.workflow.services import transition_apply

RUNNING = (TaskStatus.IN_PROGRESS, TaskStatus.EXTENDED)
FUNDED = (
    TaskStatus.CONTRACTED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.EXTENDED,
    TaskStatus.SUBMITTED_FOR_ACCEPTANCE,
    TaskStatus.ACCEPTED,
    TaskStatus.FAILED,
    TaskStatus.RESULTS_REGISTERED,
)
HAS_RESULTS = (TaskStatus.ACCEPTED, TaskStatus.RESULTS_REGISTERED, TaskStatus.LIQUIDATED)
STATE_BUDGET = (FundingSource.CENTRAL, FundingSource.PROVINCIAL)


# HELPERS ----------------------------------------------------------------------------------------
def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _state_error(message: str) -> ValidationError:
    return ValidationError(message, code="wrong_state")


def current_department(department: Department) -> Department:
    """The body that holds a department's records today (Sở Bắc Giang -> Sở Bắc Ninh after 1 July 2025)."""
    seen = set()
    while department.successor_id and department.pk not in seen:
        seen.add(department.pk)
        department = department.successor
    return department


def _audit_create(actor, obj, fields=None) -> None:
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, after=model_snapshot(obj, fields))


def _audit_update(actor, obj, before: dict, fields=None, note: str = "") -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=obj,
        before=before,
        after=model_snapshot(obj, fields),
        note=note,
        department_id=_department_of(obj),
    )


def _department_of(obj) -> int | None:
    if hasattr(obj, "department_id"):
        return obj.department_id
    if hasattr(obj, "task"):
        return obj.task.department_id
    if hasattr(obj, "contract"):
        return obj.contract.task.department_id
    return None


def _full_clean(obj, errors: dict, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=[*exclude, "status"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                _add(errors, name, message)


# ROUNDS AND PROPOSALS ---------------------------------------------------------------------------
@transaction.atomic
def round_create(*, actor, department: Department, year: int, title: str, closes_on: dt.date | None = None):
    _require(can(actor, "projects.add_proposalround", department))
    errors: dict = {}
    today = timezone.localdate()
    if not 2000 <= int(year) <= today.year + 2:
        _add(errors, "year", _("Give a year between 2000 and %(max)s.") % {"max": today.year + 2})
    if closes_on is not None and closes_on < today:
        _add(errors, "closes_on", _("The closing date cannot be in the past."))
    round_ = ProposalRound(
        department=department, year=year, title=normalize(title), closes_on=closes_on, regime=regime_on(today)
    )
    _full_clean(round_, errors, exclude=["decision"])
    _raise(errors)
    round_.save()
    _audit_create(actor, round_)
    return round_


@transaction.atomic
def round_close(*, actor, proposal_round: ProposalRound) -> ProposalRound:
    return transition_apply(proposal_round, "close_submissions", actor=actor)


@transaction.atomic
def proposal_create(
    *,
    actor,
    title: str,
    problem: str,
    objectives: str,
    expected_results: str,
    field=None,
    estimated_budget: int = 0,
    department: Department | None = None,
    proposer_organization=None,
    proposer_name: str = "",
    submit: bool = False,
) -> Proposal:
    """A proposal for ordering. An applicant proposes for the organisation it represents (to the
    department that holds that organisation's records today); an officer records a proposal of any
    organisation, commune or agency of the department."""
    if getattr(actor, "organization_id", None) and not getattr(actor, "is_department_staff", False):
        proposer_organization = actor.organization
        proposer_name = ""
        department = current_department(actor.organization.department)
    else:
        _require(department is not None and can(actor, "projects.add_proposal", department))
    errors: dict = {}
    if proposer_organization is None and not _text(proposer_name):
        _add(errors, "proposer_name", _("Name the proposing organisation, commune or agency."))
    if proposer_organization is not None and proposer_organization.department_id not in department.jurisdiction_ids():
        _add(errors, "proposer_organization", _("This organisation is not in the department's register."))
    if estimated_budget is None or int(estimated_budget) < 0:
        _add(errors, "estimated_budget", _("The estimated budget cannot be negative."))
    proposal = Proposal(
        department=department,
        proposer_organization=proposer_organization,
        proposer_name=normalize(proposer_name),
        title=normalize(title),
        problem=_text(problem),
        objectives=_text(objectives),
        expected_results=_text(expected_results),
        field=field,
        estimated_budget=int(estimated_budget or 0),
        regime=regime_on(timezone.localdate()),
        submitted_by=actor,
    )
    _full_clean(proposal, errors, exclude=["round", "submitted_at", "department"])
    _raise(errors)
    proposal.save()
    _audit_create(actor, proposal)
    if submit:
        proposal_submit(actor=actor, proposal=proposal)
    return proposal


@transaction.atomic
def proposal_submit(*, actor, proposal: Proposal) -> Proposal:
    proposal = transition_apply(proposal, "submit", actor=actor)
    proposal.submitted_at = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(submitted_at=proposal.submitted_at)
    return proposal


@transaction.atomic
def proposal_group(*, actor, proposal_round: ProposalRound, proposals: Iterable[Proposal]) -> int:
    """Put submitted proposals into a proposal_round (the Sở screens them for form and duplication first)."""
    _require(can(actor, "projects.change_proposal", proposal_round.department_id))
    if proposal_round.status not in (RoundStatus.OPEN, RoundStatus.REVIEWING):
        raise _state_error(_("Proposals can be added only to a proposal round that is not yet approved."))
    count = 0
    for proposal in proposals:
        if proposal.department_id != proposal_round.department_id:
            raise ValidationError(_("A proposal can join only a proposal round of its own department."))
        Proposal.objects.filter(pk=proposal.pk).update(round=proposal_round)
        proposal.round = proposal_round
        transition_apply(proposal, "group", actor=actor, note=proposal_round.title)
        count += 1
    return count


@transaction.atomic
def proposal_shortlist(*, actor, proposal: Proposal) -> Proposal:
    return transition_apply(proposal, "shortlist", actor=actor)


@transaction.atomic
def proposal_reject(*, actor, proposal: Proposal, reason: str) -> Proposal:
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for not retaining the proposal.")]})
    Proposal.objects.filter(pk=proposal.pk).update(decision_note=reason)
    proposal.decision_note = reason
    return transition_apply(proposal, "reject", actor=actor, note=reason)


def _next_code(department: Department, year: int) -> str:
    prefix = f"NV.{year}."
    taken = set(
        Task.objects.filter(department_id__in=department.jurisdiction_ids(), code__startswith=prefix).values_list(
            "code", flat=True
        )
    )
    n = 1
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"


@transaction.atomic
def round_approve(
    *,
    actor,
    proposal_round: ProposalRound,
    modes: Mapping[int, str] | None = None,
    level: str = TaskLevel.PROVINCIAL,
    signer_name: str = "",
    issued_on: dt.date | None = None,
) -> ProposalRound:
    """The leader approves the ordered list: every shortlisted proposal of the round becomes an
    ordered task (competitive selection unless `modes[proposal.pk]` says direct assignment), the
    others are not retained, and the decision is issued (numbered, QR-verifiable)."""
    _require(can(actor, "projects.approve_proposalround", proposal_round.department_id))
    if proposal_round.status != RoundStatus.REVIEWING:
        raise _state_error(_("Close the submissions of the round before approving its ordered list."))
    shortlisted = list(proposal_round.proposals.filter(status=ProposalStatus.SHORTLISTED).select_related("field"))
    if not shortlisted:
        raise ValidationError(_("No proposal of this round is shortlisted: shortlist at least one."))
    modes = modes or {}
    tasks = []
    for proposal in shortlisted:
        task = Task.objects.create(
            department=proposal_round.department,
            code=_next_code(proposal_round.department, proposal_round.year),
            title=proposal.title,
            level=level,
            regime=proposal_round.regime,
            assignment_mode=modes.get(proposal.pk, AssignmentMode.SELECTION),
            field=proposal.field,
            proposal=proposal,
            round=proposal_round,
            objectives=proposal.objectives,
            expected_products=proposal.expected_results,
            status=TaskStatus.ORDERED,
        )
        _audit_create(actor, task)
        search_index(task)
        transition_apply(proposal, "order", actor=actor, note=task.code)
        tasks.append(task)
    for proposal in proposal_round.proposals.filter(status=ProposalStatus.IN_ROUND):
        Proposal.objects.filter(pk=proposal.pk).update(decision_note=_("Not in the approved ordered list."))
        transition_apply(proposal, "reject", actor=actor, note="not ordered")
    data = docs.ordered_list_decision(
        proposal_round=proposal_round,
        tasks=tasks,
        issued_on=issued_on or timezone.localdate(),
        signer_name=signer_name or actor.get_full_name(),
    )
    decision = document_issue(
        actor=actor,
        department=proposal_round.department,
        doc_type=docs.DECISION_DOC_TYPE,
        data=data,
        subject=proposal_round,
    )
    ProposalRound.objects.filter(pk=proposal_round.pk).update(decision=decision)
    proposal_round.decision = decision
    return transition_apply(proposal_round, "approve_list", actor=actor, note=decision.number_symbol)


# TASKS ------------------------------------------------------------------------------------------
def _budget_errors(budget: Mapping[str, int], errors: dict) -> dict[str, int]:
    clean = {}
    for source, amount in (budget or {}).items():
        if source not in FundingSource.values:
            _add(errors, "budget", _("Unknown funding source: %(source)s.") % {"source": source})
            continue
        try:
            value = int(amount or 0)
        except (TypeError, ValueError):
            value = -1
        if value < 0:
            _add(errors, f"budget_{source}", _("An amount cannot be negative."))
        elif value:
            clean[source] = value
    return clean


def _set_budget(task: Task, budget: Mapping[str, int], *, new: bool = False) -> None:
    if new:
        BudgetLine.objects.bulk_create(
            [BudgetLine(task=task, source=s, amount=budget[s]) for s in FundingSource.values if budget.get(s)]
        )
        return
    for source in FundingSource.values:
        amount = budget.get(source, 0)
        if amount:
            BudgetLine.objects.update_or_create(task=task, source=source, defaults={"amount": amount})
        else:
            BudgetLine.objects.filter(task=task, source=source).delete()


@transaction.atomic
def task_create(
    *,
    actor,
    department: Department,
    title: str,
    code: str = "",
    kind: str = "research",
    level: str = TaskLevel.PROVINCIAL,
    assignment_mode: str = AssignmentMode.DIRECT,
    regime: str = "",
    field=None,
    objectives: str = "",
    expected_products: str = "",
    host=None,
    principal_investigator=None,
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
    places: Iterable = (),
    admin_code_set: str = "",
    budget: Mapping[str, int] | None = None,
    note: str = "",
    is_historic: bool = False,
) -> Task:
    """A task entered by the Department without a proposal of this system (a national task run in
    the province, a grassroots task whose results come to be stored, a task of the former register)."""
    _require(can(actor, "projects.add_task", department))
    errors: dict = {}
    budget = _budget_errors(budget or {}, errors)
    code = normalize(code).upper() or _next_code(department, (start_on or timezone.localdate()).year)
    if Task.objects.filter(department_id__in=department.jurisdiction_ids(), code=code).exists():
        _add(errors, "code", _("A task with this code is already recorded."))
    if start_on and end_on and end_on < start_on:
        _add(errors, "end_on", _("The end cannot be before the start."))
    for name, subject in (("host", host), ("principal_investigator", principal_investigator)):
        if subject is not None and subject.department_id not in department.jurisdiction_ids():
            _add(errors, name, _("This record is not in the department's register."))
    places = list(places or ())
    if places and not admin_code_set:
        admin_code_set = places[0].code_set
    if any(p.code_set != admin_code_set for p in places):
        _add(errors, "places", _("Give all places in the same code set (before or from 1 July 2025)."))
    task = Task(
        department=department,
        code=code,
        title=normalize(title),
        kind=kind,
        level=level,
        assignment_mode=assignment_mode,
        regime=regime or regime_on(start_on or timezone.localdate()),
        field=field,
        objectives=_text(objectives),
        expected_products=_text(expected_products),
        host=host,
        principal_investigator=principal_investigator,
        start_on=start_on,
        end_on=end_on,
        admin_code_set=admin_code_set,
        note=_text(note),
        is_historic=is_historic,
    )
    # The related rows were given as objects already read: no query per foreign key to re-check them.
    _full_clean(task, errors, exclude=["proposal", "round", "department", "host", "principal_investigator", "field"])
    _raise(errors)
    task.save()
    if places:
        task.places.set(places)
    _set_budget(task, budget, new=True)
    _audit_create(actor, task)
    search_index(task)
    return task


@transaction.atomic
def task_record_historic(*, actor, status: str = TaskStatus.ORDERED, **fields: Any) -> Task:
    """A task of the former register at the state it had reached (Excel import, the 2016-2020 list)."""
    if status not in RECORD_TRANSITIONS:
        raise ValidationError(
            {"status": [_("A recorded task can be ordered, in progress, accepted, registered, liquidated or closed.")]}
        )
    task = task_create(actor=actor, is_historic=True, **fields)
    transition = RECORD_TRANSITIONS[status]
    if transition:
        transition_apply(task, transition, actor=actor, note="former register")
    return task


@transaction.atomic
def task_cancel(*, actor, task: Task, reason: str) -> Task:
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for cancelling the task.")]})
    return transition_apply(task, "cancel", actor=actor, note=reason)


# SELECTION --------------------------------------------------------------------------------------
@transaction.atomic
def call_create(
    *, actor, department: Department, title: str, deadline: dt.datetime, tasks: Iterable[Task], description: str = ""
) -> SelectionCall:
    _require(can(actor, "projects.add_selectioncall", department))
    errors: dict = {}
    tasks = list(tasks)
    if not tasks:
        _add(errors, "tasks", _("A call is for at least one ordered task."))
    for task in tasks:
        if task.department_id != department.pk:
            _add(errors, "tasks", _("A call can list only tasks of its own department."))
        elif task.assignment_mode != AssignmentMode.SELECTION or task.status not in (
            TaskStatus.ORDERED,
            TaskStatus.SELECTING,
        ):
            _add(
                errors,
                "tasks",
                _("%(code)s is not an ordered task to be selected competitively.") % {"code": task.code},
            )
    if deadline is not None and deadline <= timezone.now():
        _add(errors, "deadline", _("The deadline must be in the future."))
    call = SelectionCall(
        department=department,
        title=normalize(title),
        description=_text(description),
        deadline=deadline,
        regime=regime_on(timezone.localdate()),
    )
    _full_clean(call, errors, exclude=["published_on"])
    _raise(errors)
    call.save()
    call.tasks.set(tasks)
    _audit_create(actor, call)
    return call


@transaction.atomic
def call_publish(*, actor, call: SelectionCall) -> SelectionCall:
    """Publish the call on the portal; its tasks are now being selected."""
    if call.deadline <= timezone.now():
        raise ValidationError({"deadline": [_("The deadline has passed: set a new one before publishing.")]})
    SelectionCall.objects.filter(pk=call.pk).update(published_on=timezone.localdate())
    call.published_on = timezone.localdate()
    transition_apply(call, "publish", actor=actor)
    for task in call.tasks.filter(status=TaskStatus.ORDERED):
        transition_apply(task, "open_selection", actor=actor, note=call.title)
    return call


@transaction.atomic
def call_close(*, actor, call: SelectionCall) -> SelectionCall:
    return transition_apply(call, "close", actor=actor)


APPLICATION_FIELDS = (
    "principal_investigator_name",
    "proposal_text",
    "team",
    "timeline",
    "budget_central",
    "budget_provincial",
    "budget_counterpart",
)


@transaction.atomic
def application_create(
    *,
    actor,
    call: SelectionCall,
    task: Task,
    principal_investigator_name: str,
    proposal_text: str,
    team: str = "",
    timeline: str = "",
    budget_central: int = 0,
    budget_provincial: int = 0,
    budget_counterpart: int = 0,
    submit: bool = False,
) -> SelectionApplication:
    """An applicant's dossier for a task of a published call, for the organisation it represents."""
    organization = getattr(actor, "organization", None)
    _require(organization is not None)
    if call.status != CallStatus.PUBLISHED or call.deadline <= timezone.now():
        raise _state_error(_("This call is not open for applications."))
    errors: dict = {}
    if not call.tasks.filter(pk=task.pk).exists():
        _add(errors, "task", _("This task is not part of the call."))
    if SelectionApplication.objects.filter(call=call, task=task, organization=organization).exists():
        _add(errors, "task", _("Your organisation has already applied for this task in this call."))
    amounts = {"budget_central": budget_central, "budget_provincial": budget_provincial}
    amounts["budget_counterpart"] = budget_counterpart
    for name, value in amounts.items():
        if value is not None and int(value) < 0:
            _add(errors, name, _("An amount cannot be negative."))
    if sum(int(v or 0) for v in amounts.values()) <= 0:
        _add(errors, "budget_provincial", _("Give the budget requested by source."))
    application = SelectionApplication(
        department=call.department,
        call=call,
        task=task,
        organization=organization,
        principal_investigator_name=normalize(principal_investigator_name),
        proposal_text=_text(proposal_text),
        team=_text(team),
        timeline=_text(timeline),
        submitted_by=actor,
        **{k: int(v or 0) for k, v in amounts.items()},
    )
    _full_clean(application, errors, exclude=["submitted_at", "score", "council_ref"])
    _raise(errors)
    application.save()
    _audit_create(actor, application)
    if submit:
        application_submit(actor=actor, application=application)
    return application


@transaction.atomic
def application_submit(*, actor, application: SelectionApplication) -> SelectionApplication:
    call = application.call
    if call.status != CallStatus.PUBLISHED or call.deadline <= timezone.now():
        raise _state_error(_("The call has closed: the application can no longer be submitted."))
    application = transition_apply(application, "submit", actor=actor)
    application.submitted_at, application.submitted_by = timezone.now(), actor
    SelectionApplication.objects.filter(pk=application.pk).update(
        submitted_at=application.submitted_at, submitted_by=actor
    )
    return application


@transaction.atomic
def selection_result_record(
    *, actor, application: SelectionApplication, selected: bool, score=None, council_ref: str = ""
) -> SelectionApplication:
    """The selection council's result for one application (the councils app calls this when its
    council closes): at most one selected application per task."""
    if selected and (
        SelectionApplication.objects.filter(task=application.task, status=ApplicationStatus.SELECTED)
        .exclude(pk=application.pk)
        .exists()
    ):
        raise ValidationError(_("Another application is already selected for this task."), code="already_selected")
    if score is not None and not 0 <= float(score) <= 100:
        raise ValidationError({"score": [_("A score is between 0 and 100.")]})
    SelectionApplication.objects.filter(pk=application.pk).update(score=score, council_ref=_text(council_ref))
    application.score, application.council_ref = score, _text(council_ref)
    return transition_apply(application, "select" if selected else "not_select", actor=actor, note=council_ref)


@transaction.atomic
def task_assign(
    *,
    actor,
    task: Task,
    host,
    principal_investigator,
    start_on: dt.date,
    end_on: dt.date,
    budget: Mapping[str, int],
) -> Task:
    """The decision approving the host, the principal investigator, the budget by source and the
    time (QĐ phê duyệt). A competitively selected task goes to the selected applicant only."""
    _require(can(actor, "projects.approve_task", task.department_id))
    errors: dict = {}
    budget = _budget_errors(budget, errors)
    if not budget:
        _add(errors, "budget_provincial", _("Give the budget by source."))
    if end_on <= start_on:
        _add(errors, "end_on", _("The end must be after the start."))
    if principal_investigator.department_id not in task.department.jurisdiction_ids():
        _add(errors, "principal_investigator", _("This person is not in the department's register."))
    if host.department_id not in task.department.jurisdiction_ids():
        _add(errors, "host", _("This organisation is not in the department's register."))
    if (
        task.assignment_mode == AssignmentMode.SELECTION
        and not task.applications.filter(status=ApplicationStatus.SELECTED, organization=host).exists()
    ):
        _add(errors, "host", _("The host of a competitively selected task must be the selected applicant."))
    _raise(errors)
    before = model_snapshot(task)
    Task.objects.filter(pk=task.pk).update(
        host=host, principal_investigator=principal_investigator, start_on=start_on, end_on=end_on
    )
    task.host, task.principal_investigator, task.start_on, task.end_on = host, principal_investigator, start_on, end_on
    _set_budget(task, budget)
    _audit_update(actor, task, before)
    search_index(task)
    return transition_apply(task, "assign", actor=actor)


# CONTRACT AND MONEY -----------------------------------------------------------------------------
def state_budget_of(task: Task) -> int:
    return task.budget_lines.filter(source__in=STATE_BUDGET).aggregate(s=Sum("amount"))["s"] or 0


def disbursed_total(task: Task) -> int:
    return (
        Disbursement.objects.filter(tranche__contract__task=task).aggregate(s=Sum("amount"))["s"] or 0
        if hasattr(task, "contract")
        else 0
    )


@transaction.atomic
def contract_sign(
    *,
    actor,
    task: Task,
    number: str,
    signed_on: dt.date,
    total: int,
    starts_on: dt.date,
    ends_on: dt.date,
    tranches: Iterable[Mapping[str, Any]] = (),
) -> Contract:
    """The contract between the Department, the host and the investigator, with its tranches;
    its value is the state-budget part of the approved budget."""
    _require(can(actor, "projects.change_task", task.department_id))
    if task.status != TaskStatus.ASSIGNED:
        raise _state_error(_("A contract is signed once the host and the investigator are approved."))
    errors: dict = {}
    if signed_on > timezone.localdate():
        _add(errors, "signed_on", _("The signing date cannot be in the future."))
    if ends_on <= starts_on:
        _add(errors, "ends_on", _("The end must be after the start."))
    expected = state_budget_of(task)
    if int(total) != expected:
        _add(
            errors,
            "total",
            _("The contract value must equal the approved state budget: %(amount)s VND.")
            % {"amount": f"{expected:,}"},
        )
    tranches = list(tranches)
    planned = sum(int(t.get("planned_amount") or 0) for t in tranches)
    if planned > int(total):
        _add(errors, "tranches", _("The tranches add up to more than the contract value."))
    if any(int(t.get("planned_amount") or 0) <= 0 for t in tranches):
        _add(errors, "tranches", _("Each tranche needs a positive amount."))
    contract = Contract(
        task=task,
        number=normalize(number),
        signed_on=signed_on,
        host=task.host,
        principal_investigator=task.principal_investigator,
        total=int(total),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _full_clean(contract, errors, exclude=["task", "host", "principal_investigator"])
    _raise(errors)
    contract.save()
    for sequence, tranche in enumerate(tranches, start=1):
        Tranche.objects.create(
            contract=contract,
            sequence=sequence,
            planned_amount=int(tranche["planned_amount"]),
            condition=_text(tranche.get("condition")),
            due_on=tranche.get("due_on"),
        )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=task,
        after={"contract": contract.number, "total": contract.total, "tranches": len(tranches)},
        note="contract signed",
    )
    Task.objects.filter(pk=task.pk).update(start_on=starts_on, end_on=ends_on)
    task.start_on, task.end_on = starts_on, ends_on
    transition_apply(task, "sign_contract", actor=actor, note=contract.number)
    return contract


@transaction.atomic
def tranche_add(*, actor, task: Task, planned_amount: int, condition: str = "", due_on=None) -> Tranche:
    _require(can(actor, "projects.change_task", task.department_id))
    contract = getattr(task, "contract", None)
    if contract is None:
        raise _state_error(_("The task has no contract yet."))
    planned = contract.tranches.aggregate(s=Sum("planned_amount"))["s"] or 0
    if int(planned_amount) <= 0:
        raise ValidationError({"planned_amount": [_("Each tranche needs a positive amount.")]})
    if planned + int(planned_amount) > contract.total:
        raise ValidationError({"planned_amount": [_("The tranches add up to more than the contract value.")]})
    tranche = Tranche.objects.create(
        contract=contract,
        sequence=(contract.tranches.count() + 1),
        planned_amount=int(planned_amount),
        condition=_text(condition),
        due_on=due_on,
    )
    _audit_create(actor, tranche)
    return tranche


@transaction.atomic
def disbursement_record(
    *, actor, tranche: Tranche, amount: int, paid_on: dt.date, reference: str = ""
) -> Disbursement:
    """A payment against a tranche. Refused when it would take the tranche over its planned amount."""
    task = tranche.contract.task
    _require(can(actor, "projects.change_task", task.department_id))
    if task.status not in FUNDED:
        raise _state_error(_("Payments are recorded for contracted tasks only."))
    # Lock the tranche so two payments recorded at once cannot both fit (no-op on SQLite, whose
    # writers are serialised by BEGIN IMMEDIATE).
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    errors: dict = {}
    amount = int(amount or 0)
    if amount <= 0:
        _add(errors, "amount", _("A payment must be a positive amount."))
    paid = tranche.disbursements.aggregate(s=Sum("amount"))["s"] or 0
    if amount > 0 and paid + amount > tranche.planned_amount:
        _add(
            errors,
            "amount",
            _(
                "This payment would take tranche %(n)s over its planned amount: %(paid)s VND already paid "
                "of %(planned)s VND."
            )
            % {"n": tranche.sequence, "paid": f"{paid:,}", "planned": f"{tranche.planned_amount:,}"},
        )
    if paid_on > timezone.localdate():
        _add(errors, "paid_on", _("The payment date cannot be in the future."))
    elif paid_on < tranche.contract.signed_on:
        _add(errors, "paid_on", _("A payment cannot be made before the contract was signed."))
    _raise(errors)
    disbursement = Disbursement.objects.create(
        tranche=tranche, amount=amount, paid_on=paid_on, reference=normalize(reference)
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=task,
        after={"disbursement": amount, "tranche": tranche.sequence, "paid_on": paid_on},
        note="disbursement",
    )
    return disbursement


@transaction.atomic
def task_start(*, actor, task: Task) -> Task:
    return transition_apply(task, "start", actor=actor)


@transaction.atomic
def amendment_request(
    *,
    actor,
    task: Task,
    kind: str,
    reason: str,
    new_end_on: dt.date | None = None,
    new_total: int | None = None,
    requested_on: dt.date | None = None,
) -> ContractAmendment:
    """The host (or the officer on its behalf) asks for an extension, a content or a budget change."""
    _require(represents(actor, task.host_id) or can(actor, "projects.change_task", task.department_id))
    contract = getattr(task, "contract", None)
    if contract is None or task.status not in RUNNING:
        raise _state_error(_("Only a task in progress under a contract can be amended."))
    errors: dict = {}
    if not _text(reason):
        _add(errors, "reason", _("Give the reason for the change."))
    if kind == AmendmentKind.EXTENSION and (new_end_on is None or new_end_on <= contract.ends_on):
        _add(
            errors,
            "new_end_on",
            _("An extension needs a new end date after %(date)s.") % {"date": contract.ends_on.strftime("%d/%m/%Y")},
        )
    if kind == AmendmentKind.BUDGET and (new_total is None or int(new_total) < disbursed_total(task)):
        _add(errors, "new_total", _("A budget change needs a new value, at least what has been paid."))
    if contract.amendments.filter(status=AmendmentStatus.REQUESTED).exists():
        _add(errors, "kind", _("A request is already waiting for a decision."))
    _raise(errors)
    amendment = ContractAmendment.objects.create(
        contract=contract,
        kind=kind,
        reason=_text(reason),
        new_end_on=new_end_on if kind == AmendmentKind.EXTENSION else None,
        new_total=int(new_total) if kind == AmendmentKind.BUDGET else None,
        requested_on=requested_on or timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=amendment,
        after=model_snapshot(amendment),
        department_id=task.department_id,
    )
    return amendment


@transaction.atomic
def amendment_approve(*, actor, amendment: ContractAmendment, decided_on: dt.date | None = None) -> ContractAmendment:
    """Approve a change: an extension moves the contract's and the task's end and the task is then
    "extended"; a budget change sets the contract's new value."""
    contract = amendment.contract
    task = contract.task
    transition_apply(amendment, "approve", actor=actor)
    ContractAmendment.objects.filter(pk=amendment.pk).update(decided_on=decided_on or timezone.localdate())
    if amendment.kind == AmendmentKind.EXTENSION:
        Contract.objects.filter(pk=contract.pk).update(ends_on=amendment.new_end_on)
        Task.objects.filter(pk=task.pk).update(end_on=amendment.new_end_on)
        task.refresh_from_db()
        transition_apply(task, "extend", actor=actor, note=amendment.new_end_on.strftime("%d/%m/%Y"))
    elif amendment.kind == AmendmentKind.BUDGET:
        Contract.objects.filter(pk=contract.pk).update(total=amendment.new_total)
    return amendment


@transaction.atomic
def amendment_reject(*, actor, amendment: ContractAmendment, reason: str) -> ContractAmendment:
    ContractAmendment.objects.filter(pk=amendment.pk).update(decided_on=timezone.localdate())
    return transition_apply(amendment, "reject", actor=actor, note=_text(reason))


@transaction.atomic
def deliverable_add(*, actor, task: Task, name: str, due_on: dt.date, specification: str = "") -> Deliverable:
    _require(can(actor, "projects.change_task", task.department_id))
    errors: dict = {}
    if not _text(name):
        _add(errors, "name", _("This field is required."))
    if task.start_on and due_on < task.start_on:
        _add(errors, "due_on", _("A deliverable cannot be due before the task starts."))
    _raise(errors)
    deliverable = Deliverable.objects.create(
        task=task, name=normalize(name), specification=_text(specification), due_on=due_on
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=task,
        after={"deliverable": deliverable.name, "due_on": due_on},
        note="deliverable",
    )
    return deliverable


@transaction.atomic
def deliverable_deliver(*, actor, deliverable: Deliverable, delivered_on: dt.date) -> Deliverable:
    task = deliverable.task
    _require(can(actor, "projects.change_task", task.department_id))
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": [_("The date cannot be in the future.")]})
    Deliverable.objects.filter(pk=deliverable.pk).update(delivered_on=delivered_on)
    deliverable.delivered_on = delivered_on
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=task,
        after={"delivered": deliverable.name, "on": delivered_on},
        note="deliverable",
    )
    return deliverable


# PROGRESS ---------------------------------------------------------------------------------------
@transaction.atomic
def progress_report_submit(*, actor, task: Task, period_end: dt.date, content: str, attachment=None) -> ProgressReport:
    """A periodic report by the host (or recorded by the officer from paper)."""
    _require(represents(actor, task.host_id) or can(actor, "projects.change_task", task.department_id))
    if task.status not in RUNNING:
        raise _state_error(_("Progress is reported while the task is in progress."))
    errors: dict = {}
    if not _text(content):
        _add(errors, "content", _("Describe the work done in the period."))
    if period_end > timezone.localdate():
        _add(errors, "period_end", _("A period cannot end in the future."))
    if task.start_on and period_end < task.start_on:
        _add(errors, "period_end", _("The period ends before the task started."))
    _raise(errors)
    report = ProgressReport(task=task, period_end=period_end, content=_text(content), submitted_by=actor)
    if attachment:
        report.attachment = attachment
    report.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=report,
        after=model_snapshot(report),
        department_id=task.department_id,
    )
    return report


@transaction.atomic
def progress_report_review(*, actor, report: ProgressReport, note: str, accept: bool = True) -> ProgressReport:
    note = _text(note)
    if not accept and not note:
        raise ValidationError({"note": [_("Say what the host must revise.")]})
    ProgressReport.objects.filter(pk=report.pk).update(review_note=note)
    report.review_note = note
    return transition_apply(report, "review" if accept else "return", actor=actor, note=note)


@transaction.atomic
def progress_report_resubmit(*, actor, report: ProgressReport, content: str) -> ProgressReport:
    if not _text(content):
        raise ValidationError({"content": [_("Describe the work done in the period.")]})
    if report.status != ReportStatus.RETURNED:
        raise _state_error(_("Only a returned report can be submitted again."))
    ProgressReport.objects.filter(pk=report.pk).update(content=_text(content))
    report.content = _text(content)
    return transition_apply(report, "resubmit", actor=actor)


@transaction.atomic
def progress_check_record(*, actor, task: Task, checked_on: dt.date, findings: str, conclusion: str) -> ProgressCheck:
    _require(can(actor, "projects.change_task", task.department_id))
    errors: dict = {}
    if task.status not in (*RUNNING, TaskStatus.CONTRACTED):
        raise _state_error(_("Progress is checked while the task is under contract."))
    if checked_on > timezone.localdate():
        _add(errors, "checked_on", _("The date cannot be in the future."))
    if not _text(findings):
        _add(errors, "findings", _("Record what the check found."))
    check = ProgressCheck(task=task, checked_on=checked_on, findings=_text(findings), conclusion=conclusion)
    _full_clean(check, errors, exclude=["task"])
    _raise(errors)
    check.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=task,
        after={"check": checked_on, "conclusion": conclusion},
        note="progress check",
    )
    return check


# ACCEPTANCE -------------------------------------------------------------------------------------
@transaction.atomic
def task_submit_for_acceptance(*, actor, task: Task) -> Task:
    """The host's acceptance dossier is received (within 30 days of the (extended) contract end)."""
    return transition_apply(task, "submit_for_acceptance", actor=actor)


def _final_level(task: Task) -> str:
    return {
        TaskLevel.NATIONAL: AcceptanceLevel.NATIONAL,
        TaskLevel.PROVINCIAL: AcceptanceLevel.PROVINCIAL,
        TaskLevel.GRASSROOTS: AcceptanceLevel.GRASSROOTS,
    }[TaskLevel(task.level)]


@transaction.atomic
def acceptance_record(
    *,
    actor,
    task: Task,
    level: str,
    classification: str,
    council_ref: str = "",
    held_on: dt.date | None = None,
    refund_amount: int = 0,
    rework_until: dt.date | None = None,
    note: str = "",
    council=None,
) -> Acceptance:
    """The outcome of an acceptance council (the councils app calls this when it closes one).

    A grassroots acceptance of a provincial or national task is only recorded. The final one (at
    the task's own level) moves the task: Excellent or Pass -> accepted; Fail -> failed with the
    amount to refund, or back to "extended" when the council allows rework until a date.
    `council` links the record to the council held in OpenDOST (one acceptance per council).
    """
    _require(can(actor, "projects.change_task", task.department_id))
    held_on = held_on or timezone.localdate()
    final = level == _final_level(task)
    errors: dict = {}
    if level not in AcceptanceLevel.values:
        _add(errors, "level", _("Unknown acceptance level."))
    if classification not in Classification.values:
        _add(errors, "classification", _("Unknown classification."))
    if held_on > timezone.localdate():
        _add(errors, "held_on", _("The date cannot be in the future."))
    if final and task.status != TaskStatus.SUBMITTED_FOR_ACCEPTANCE:
        raise _state_error(_("The final acceptance is recorded once the acceptance dossier is received."))
    if not final and task.status not in (*RUNNING, TaskStatus.SUBMITTED_FOR_ACCEPTANCE):
        raise _state_error(_("A grassroots acceptance is recorded while the task is running or submitted."))
    refund_amount = int(refund_amount or 0)
    failed = classification == Classification.FAIL
    if final and failed:
        if bool(refund_amount) == bool(rework_until):
            _add(
                errors,
                "refund_amount",
                _(
                    "A failed acceptance needs one consequence: the amount to refund, "
                    "or the date until which rework is allowed."
                ),
            )
        if refund_amount and refund_amount > disbursed_total(task):
            _add(
                errors,
                "refund_amount",
                _("The refund cannot exceed what was paid: %(paid)s VND.") % {"paid": f"{disbursed_total(task):,}"},
            )
        if rework_until and rework_until <= held_on:
            _add(errors, "rework_until", _("The rework deadline must be after the meeting."))
    elif refund_amount or rework_until:
        _add(errors, "refund_amount", _("Only a failed final acceptance has a refund or a rework deadline."))
    if council is not None and Acceptance.objects.filter(council=council).exists():
        raise ValidationError(_("The outcome of this council is already recorded."), code="already_recorded")
    _raise(errors)
    acceptance = Acceptance.objects.create(
        task=task,
        level=level,
        held_on=held_on,
        classification=classification,
        council_ref=_text(council_ref),
        refund_amount=refund_amount,
        rework_until=rework_until,
        note=_text(note),
        council=council,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=task, after=model_snapshot(acceptance), note="acceptance")
    if final:
        if not failed:
            transition_apply(task, "accept", actor=actor, note=acceptance.get_classification_display())
        elif rework_until:
            Task.objects.filter(pk=task.pk).update(end_on=rework_until)
            task.end_on = rework_until
            transition_apply(task, "rework", actor=actor, note=rework_until.strftime("%d/%m/%Y"))
        else:
            transition_apply(task, "fail", actor=actor, note=f"refund {refund_amount}")
    return acceptance


@transaction.atomic
def task_close(*, actor, task: Task) -> Task:
    """A failed task is closed once its refund is settled."""
    return transition_apply(task, "close", actor=actor)


# RESULTS ----------------------------------------------------------------------------------------
RESULT_FIELDS = ("title", "abstract", "keywords", "field", "year", "result_type")


@transaction.atomic
def result_add(
    *,
    actor,
    task: Task,
    title: str,
    abstract: str,
    year: int,
    keywords: str = "",
    field=None,
    result_type: str = "report",
) -> TaskResult:
    _require(represents(actor, task.host_id) or can(actor, "projects.add_taskresult", task.department_id))
    if task.status not in HAS_RESULTS:
        raise _state_error(_("Results are recorded once the task is accepted."))
    errors: dict = {}
    result = TaskResult(
        department=task.department,
        task=task,
        title=normalize(title),
        abstract=_text(abstract),
        keywords=normalize(keywords),
        field=field or task.field,
        year=year,
        result_type=result_type,
    )
    _full_clean(result, errors, exclude=["department", "task", "field"])
    _raise(errors)
    result.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=result, after=model_snapshot(result))
    search_index(result)
    return result


def certificate_required(task: Task) -> bool:
    """The Department certifies results of provincial and grassroots tasks funded by the state
    budget (TTHC 1.004473); national tasks' results are certified by the national agency and the
    province stores a copy."""
    if task.level == TaskLevel.NATIONAL:
        return False
    return task.budget_lines.filter(source__in=STATE_BUDGET, amount__gt=0).exists()


@transaction.atomic
def result_registration_submit(*, actor, result: TaskResult, received_on: dt.date | None = None) -> ResultRegistration:
    """The host's registration dossier, complete on `received_on` (today by default): the statutory
    clock of the procedure version starts the next working day."""
    task = result.task
    _require(represents(actor, task.host_id) or can(actor, "projects.change_resultregistration", task.department_id))
    if hasattr(result, "registration"):
        raise ValidationError(_("This result is already registered: a certificate is never issued twice."))
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("The date cannot be in the future.")]})
    registration = ResultRegistration.objects.create(
        department=result.department,
        result=result,
        received_on=received_on,
        due_on=due_date(received_on, version_of(task.regime).certificate_rule),
        submitted_by=actor,
        status=RegistrationStatus.SUBMITTED,
    )
    _audit_create(actor, registration)
    return registration


def results_touch(**filters: Any) -> int:
    """Move the datestamp (`updated_at`) of the results matching `filters`: what a result publishes
    (OAI-PMH, the public page) also comes from its registration, task and applications, and a
    harvester asking for changes since a date must see a result whose published metadata changed."""
    return TaskResult.objects.filter(**filters).update(updated_at=timezone.now())


def _after_registration(actor, registration: ResultRegistration) -> None:
    """When every result of an accepted task is certified or stored, the task's results are registered."""
    results_touch(pk=registration.result_id)
    task = Task.objects.get(pk=registration.result.task_id)
    open_results = task.results.exclude(
        registration__status__in=[RegistrationStatus.CERTIFIED, RegistrationStatus.STORED]
    )
    if task.status == TaskStatus.ACCEPTED and not open_results.exists():
        transition_apply(task, "register_results", actor=actor)


@transaction.atomic
def result_register(
    *,
    actor,
    registration: ResultRegistration,
    storage_ref: str = "",
    signer_name: str = "",
    issued_on: dt.date | None = None,
) -> ResultRegistration:
    """Issue the registration certificate (one per result, never re-issued), numbered and
    QR-verifiable, through the documents service."""
    task = registration.result.task
    _require(can(actor, "projects.change_resultregistration", registration.department_id))
    if registration.status != RegistrationStatus.SUBMITTED:
        raise _state_error(_("Only a received, complete dossier can be certified."))
    if registration.certificate_id or registration.certificate_number:
        raise ValidationError(_("This result already has its certificate: it is never issued twice."))
    if not certificate_required(task):
        raise ValidationError(
            _("The Department does not certify this result (national task or not state-funded): store it instead."),
            code="not_certified_here",
        )
    ResultRegistration.objects.filter(pk=registration.pk).update(storage_ref=normalize(storage_ref))
    registration.storage_ref = normalize(storage_ref)
    issued_on = issued_on or timezone.localdate()
    data = docs.registration_certificate(
        registration=registration, issued_on=issued_on, signer_name=signer_name or actor.get_full_name()
    )
    document = document_issue(
        actor=actor,
        department=current_department(registration.department)
        if not _series_open(registration.department, issued_on)
        else registration.department,
        doc_type=docs.CERTIFICATE_DOC_TYPE,
        data=data,
        subject=registration.result,
    )
    ResultRegistration.objects.filter(pk=registration.pk).update(
        certificate=document, certificate_number=document.number_symbol, certificate_issued_on=document.issued_on
    )
    registration.certificate = document
    registration.certificate_number, registration.certificate_issued_on = document.number_symbol, document.issued_on
    transition_apply(registration, "certify", actor=actor, note=document.number_symbol)
    _after_registration(actor, registration)
    return registration


def _series_open(department: Department, on: dt.date) -> bool:
    from opendost.numbering.services import series_is_open

    return series_is_open(department, on)


@transaction.atomic
def result_registration_record_legacy(
    *, actor, registration: ResultRegistration, certificate_number: str, issued_on: dt.date
) -> ResultRegistration:
    """A certificate issued on paper before OpenDOST (the former register): its number and date are
    recorded as printed; no new document is issued."""
    _require(can(actor, "projects.change_resultregistration", registration.department_id))
    number = normalize(certificate_number)
    if not number:
        raise ValidationError({"certificate_number": [_("This field is required.")]})
    if issued_on < registration.received_on or issued_on > timezone.localdate():
        raise ValidationError({"issued_on": [_("The certificate date must be between receipt and today.")]})
    ResultRegistration.objects.filter(pk=registration.pk).update(
        certificate_number=number, certificate_issued_on=issued_on
    )
    registration.certificate_number, registration.certificate_issued_on = number, issued_on
    transition_apply(registration, "certify", actor=actor, note=f"former register {number}")
    _after_registration(actor, registration)
    return registration


@transaction.atomic
def result_store(
    *, actor, registration: ResultRegistration, storage_ref: str = "", note: str = ""
) -> ResultRegistration:
    """Receive and store a result the Department does not certify (tiếp nhận, lưu giữ)."""
    _require(can(actor, "projects.change_resultregistration", registration.department_id))
    if certificate_required(registration.result.task):
        raise ValidationError(
            _("This result of a state-funded task must be certified, not only stored."), code="must_certify"
        )
    ResultRegistration.objects.filter(pk=registration.pk).update(storage_ref=normalize(storage_ref), note=_text(note))
    registration.storage_ref, registration.note = normalize(storage_ref), _text(note)
    transition_apply(registration, "store", actor=actor, note=_text(note))
    _after_registration(actor, registration)
    return registration


@transaction.atomic
def result_registration_return(*, actor, registration: ResultRegistration, reason: str) -> ResultRegistration:
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Say which documents are missing.")]})
    ResultRegistration.objects.filter(pk=registration.pk).update(note=reason)
    registration.note = reason
    return transition_apply(registration, "return", actor=actor, note=reason)


@transaction.atomic
def result_registration_resubmit(*, actor, registration: ResultRegistration) -> ResultRegistration:
    """The completed dossier restarts the statutory clock."""
    received_on = timezone.localdate()
    regime = registration.result.task.regime
    transition_apply(registration, "resubmit", actor=actor)
    due_on = due_date(received_on, version_of(regime).certificate_rule)
    ResultRegistration.objects.filter(pk=registration.pk).update(received_on=received_on, due_on=due_on)
    registration.received_on, registration.due_on = received_on, due_on
    return registration


@transaction.atomic
def result_application_record(
    *,
    actor,
    result: TaskResult,
    scale: str,
    year: int,
    place=None,
    place_text: str = "",
    economic_effect: str = "",
) -> ResultApplication:
    """A report of the result applied somewhere (by the user organisation, or the host)."""
    task = result.task
    _require(represents(actor, task.host_id) or can(actor, "projects.change_taskresult", task.department_id))
    errors: dict = {}
    if place is None and not _text(place_text):
        _add(errors, "place", _("Give the place where the result is applied."))
    if int(year) < result.year or int(year) > timezone.localdate().year:
        _add(errors, "year", _("The year must be between the result's year and this year."))
    application = ResultApplication(
        result=result,
        place=place,
        place_text=normalize(place_text),
        scale=normalize(scale),
        economic_effect=_text(economic_effect),
        year=year,
    )
    _full_clean(application, errors, exclude=["result"])
    _raise(errors)
    application.save()
    results_touch(pk=result.pk)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=result,
        after=model_snapshot(application),
        note="application of the result",
    )
    return application


@transaction.atomic
def task_liquidate(*, actor, task: Task) -> Task:
    """Liquidate the contract (thanh lý): the results are registered, which is its condition."""
    if task.results.exclude(
        registration__status__in=[RegistrationStatus.CERTIFIED, RegistrationStatus.STORED]
    ).exists():
        raise _state_error(_("Every result must be registered before the contract is liquidated."))
    return transition_apply(task, "liquidate", actor=actor)
