"""Reads of S&T tasks, always scoped: staff see their jurisdiction (`visible_to`), an applicant
sees the records of the organisation its account represents, the public sees registered results
and open calls only. Anything else is a 404."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from opendost.documents.models import IssuedDocument
from opendost.projects.enums import (
    CallStatus,
    FundingSource,
    RegistrationStatus,
    TaskLevel,
    TaskStatus,
)
from opendost.projects.filters import TaskFilter
from opendost.projects.models import (
    Acceptance,
    BudgetLine,
    ContractAmendment,
    Disbursement,
    ProgressReport,
    Proposal,
    ProposalRound,
    ResultRegistration,
    SelectionApplication,
    SelectionCall,
    Task,
    TaskResult,
    Tranche,
)
from opendost.workflow.models import TransitionLog

PUBLIC_REGISTRATION = (RegistrationStatus.CERTIFIED, RegistrationStatus.STORED)
PUBLIC_TASK_STATES = (TaskStatus.ACCEPTED, TaskStatus.RESULTS_REGISTERED, TaskStatus.LIQUIDATED)
_BAD_ID = (ValueError, ValidationError)


def _get(queryset: QuerySet, public_id):
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, *_BAD_ID) as exc:
        raise Http404 from exc


# STAFF ------------------------------------------------------------------------------------------
def task_rows(queryset: QuerySet | None = None) -> QuerySet[Task]:
    """What a list row shows, in a constant number of queries (budget totals annotated)."""
    queryset = queryset if queryset is not None else Task.objects.all()
    return queryset.select_related("host", "principal_investigator", "field").annotate(
        budget_total=Sum("budget_lines__amount")
    )


def task_filterset_for(user, filters: Mapping | None) -> TaskFilter:
    queryset = task_rows(Task.objects.visible_to(user)).order_by("-start_on", "code", "pk")
    return TaskFilter(filters or None, queryset=queryset)


def task_list_for(user, filters: Mapping | None = None) -> QuerySet[Task]:
    return task_filterset_for(user, filters).qs


def task_get_for(user, public_id: UUID | str) -> Task:
    return _get(
        Task.objects.visible_to(user).select_related(
            "department", "host", "principal_investigator", "field", "proposal", "round"
        ),
        public_id,
    )


def proposal_list_for(user) -> QuerySet[Proposal]:
    return Proposal.objects.visible_to(user).select_related("proposer_organization", "round", "field")


def proposal_get_for(user, public_id) -> Proposal:
    return _get(proposal_list_for(user).select_related("department", "submitted_by"), public_id)


def round_list_for(user) -> QuerySet[ProposalRound]:
    return ProposalRound.objects.visible_to(user).select_related("decision")


def round_get_for(user, public_id) -> ProposalRound:
    return _get(round_list_for(user).select_related("department"), public_id)


def call_list_for(user) -> QuerySet[SelectionCall]:
    return SelectionCall.objects.visible_to(user).prefetch_related("tasks")


def call_get_for(user, public_id) -> SelectionCall:
    return _get(call_list_for(user), public_id)


def application_get_for(user, public_id) -> SelectionApplication:
    return _get(
        SelectionApplication.objects.visible_to(user).select_related("call", "task", "organization"), public_id
    )


def tasks_of_organization(organization, *, user) -> QuerySet[Task]:
    """The organisation's tasks as host, for its page: staff see their jurisdiction's, the
    organisation's own applicant sees them all, anyone else nothing."""
    if user is None:
        return Task.objects.none()
    if getattr(user, "organization_id", None) == organization.pk and not user.is_department_staff:
        base = Task.objects.all()
    else:
        base = Task.objects.visible_to(user)
    return base.filter(host=organization).order_by("-start_on", "code", "pk")


# APPLICANTS -------------------------------------------------------------------------------------
def _organization_id(user):
    return getattr(user, "organization_id", None) if user.is_authenticated else None


def my_tasks(user) -> QuerySet[Task]:
    org = _organization_id(user)
    if not org:
        return Task.objects.none()
    return task_rows(Task.objects.filter(host_id=org)).order_by("-start_on", "code", "pk")


def my_task_get(user, public_id) -> Task:
    return _get(my_tasks(user).select_related("department"), public_id)


def my_proposals(user) -> QuerySet[Proposal]:
    org = _organization_id(user)
    if not org:
        return Proposal.objects.none()
    return Proposal.objects.filter(Q(proposer_organization_id=org) | Q(submitted_by=user)).select_related(
        "field", "round"
    )


def my_proposal_get(user, public_id) -> Proposal:
    return _get(my_proposals(user), public_id)


def my_applications(user) -> QuerySet[SelectionApplication]:
    org = _organization_id(user)
    if not org:
        return SelectionApplication.objects.none()
    return SelectionApplication.objects.filter(organization_id=org).select_related("call", "task")


def my_application_get(user, public_id) -> SelectionApplication:
    return _get(my_applications(user), public_id)


def my_report_get(user, task: Task, public_id) -> ProgressReport:
    return _get(task.progress_reports.all(), public_id)


# THE TASK PAGE ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime | dt.date
    label: str
    detail: str = ""
    actor: str = ""

    @property
    def sort_key(self) -> dt.datetime:
        if isinstance(self.at, dt.datetime):
            return timezone.localtime(self.at).replace(tzinfo=None)
        return dt.datetime.combine(self.at, dt.time(23, 59))


def _actor(log: TransitionLog) -> str:
    return (log.actor.full_name or log.actor.username) if log.actor_id else ""


def timeline_for(task: Task) -> list[TimelineEntry]:
    """Every step of a task, oldest first: its status changes and those of its proposal,
    applications, amendments, progress reports and result registrations, and the events that are
    not status changes (contract, payments, checks, acceptances, documents)."""
    from opendost.projects.regimes import state_label
    from opendost.projects.workflows import (
        AMENDMENT_WORKFLOW,
        APPLICATION_WORKFLOW,
        PROPOSAL_WORKFLOW,
        REGISTRATION_WORKFLOW,
        REPORT_WORKFLOW,
        TASK_WORKFLOW,
    )

    ct = ContentType.objects.get_for_models(
        Task, Proposal, SelectionApplication, ContractAmendment, ProgressReport, ResultRegistration
    )
    related = {
        ct[Task]: ([str(task.pk)], TASK_WORKFLOW, ""),
        ct[Proposal]: ([str(task.proposal_id)] if task.proposal_id else [], PROPOSAL_WORKFLOW, "proposal"),
        ct[SelectionApplication]: (
            [str(pk) for pk in task.applications.values_list("pk", flat=True)],
            APPLICATION_WORKFLOW,
            "application",
        ),
        ct[ContractAmendment]: (
            [str(pk) for pk in ContractAmendment.objects.filter(contract__task=task).values_list("pk", flat=True)],
            AMENDMENT_WORKFLOW,
            "amendment",
        ),
        ct[ProgressReport]: (
            [str(pk) for pk in task.progress_reports.values_list("pk", flat=True)],
            REPORT_WORKFLOW,
            "report",
        ),
        ct[ResultRegistration]: (
            [str(pk) for pk in ResultRegistration.objects.filter(result__task=task).values_list("pk", flat=True)],
            REGISTRATION_WORKFLOW,
            "registration",
        ),
    }
    condition = Q(pk__in=[])
    for content_type, (ids, _wf, _kind) in related.items():
        if ids:
            condition |= Q(content_type=content_type, object_id__in=ids)
    entries = []
    from django.utils.translation import gettext as _

    prefixes = {
        "": "",
        "proposal": _("Proposal"),
        "application": _("Application"),
        "amendment": _("Amendment"),
        "report": _("Progress report"),
        "registration": _("Result registration"),
    }
    for log in TransitionLog.objects.filter(condition).select_related("actor", "content_type"):
        _ids, workflow, kind = related[log.content_type]
        transition = workflow.get(log.name)
        target = state_label(task.regime, log.to_state) if kind == "" else workflow.label_of(log.to_state)
        label = f"{prefixes[kind]}: {target}" if kind else target
        entries.append(TimelineEntry(log.at, label, log.note if transition is None or log.note else "", _actor(log)))
    contract = getattr(task, "contract", None)
    if contract is not None:
        entries.append(
            TimelineEntry(contract.signed_on, _("Contract signed"), f"{contract.number} – {contract.total:,} VND")
        )
        for payment in Disbursement.objects.filter(tranche__contract=contract).select_related("tranche"):
            entries.append(
                TimelineEntry(
                    payment.paid_on,
                    _("Payment"),
                    _("Tranche %(n)s: %(amount)s VND")
                    % {"n": payment.tranche.sequence, "amount": f"{payment.amount:,}"},
                )
            )
    for check in task.progress_checks.all():
        entries.append(TimelineEntry(check.checked_on, _("Progress check"), check.get_conclusion_display()))
    for acceptance in task.acceptances.all():
        entries.append(
            TimelineEntry(
                acceptance.held_on,
                _("Acceptance (%(level)s)") % {"level": acceptance.get_level_display()},
                acceptance.get_classification_display(),
            )
        )
    for document in documents_of(task):
        entries.append(
            TimelineEntry(document.issued_on, document.kind_label, f"{document.number_symbol} {document.title}")
        )
    return sorted(entries, key=lambda e: e.sort_key)


def documents_of(task: Task) -> list[IssuedDocument]:
    """Documents issued with the task, its round or one of its results as their subject."""
    subjects = [(Task, [task.pk]), (TaskResult, list(task.results.values_list("pk", flat=True)))]
    if task.round_id:
        subjects.append((ProposalRound, [task.round_id]))
    condition = Q(pk__in=[])
    for model, ids in subjects:
        if ids:
            condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return list(IssuedDocument.objects.filter(condition).order_by("issued_on", "pk"))


@dataclass(frozen=True)
class TrancheRow:
    tranche: Tranche
    paid: int
    payments: list

    @property
    def remaining(self) -> int:
        return self.tranche.planned_amount - self.paid


@dataclass(frozen=True)
class Budget:
    lines: list
    total: int
    state_total: int
    tranches: list
    paid: int

    @property
    def by_source(self) -> dict:
        return {line.source: line.amount for line in self.lines}


def budget_of(task: Task) -> Budget:
    lines = list(task.budget_lines.all())
    tranches = []
    contract = getattr(task, "contract", None)
    if contract is not None:
        for tranche in contract.tranches.prefetch_related(Prefetch("disbursements")):
            payments = list(tranche.disbursements.all())
            tranches.append(TrancheRow(tranche, sum(p.amount for p in payments), payments))
    state = sum(line.amount for line in lines if line.source in (FundingSource.CENTRAL, FundingSource.PROVINCIAL))
    return Budget(
        lines=lines,
        total=sum(line.amount for line in lines),
        state_total=state,
        tranches=tranches,
        paid=sum(row.paid for row in tranches),
    )


def results_of(task: Task) -> list[TaskResult]:
    return list(
        task.results.select_related("field", "registration", "registration__certificate").prefetch_related(
            "applications__place"
        )
    )


# FIGURES ----------------------------------------------------------------------------------------
def task_statistics(*, department_ids, start_year: int, end_year: int) -> dict:
    """The plan's figures for a period, computed from the records (DESIGN rule 7):
    provincial and national tasks started in the period, their budget by source, results received
    (registration dossiers complete in the period) and certificates issued in the period."""
    tasks = Task.objects.filter(
        department_id__in=department_ids,
        level__in=[TaskLevel.PROVINCIAL, TaskLevel.NATIONAL],
        start_on__year__gte=start_year,
        start_on__year__lte=end_year,
    ).exclude(status=TaskStatus.CANCELLED)
    by_level = {row["level"]: row["n"] for row in tasks.values("level").annotate(n=Count("pk"))}
    budget = {
        row["source"]: row["total"]
        for row in BudgetLine.objects.filter(task__in=tasks).values("source").annotate(total=Sum("amount"))
    }
    registrations = ResultRegistration.objects.filter(
        department_id__in=department_ids, received_on__year__gte=start_year, received_on__year__lte=end_year
    )
    return {
        "tasks": sum(by_level.values()),
        "provincial": by_level.get(TaskLevel.PROVINCIAL, 0),
        "national": by_level.get(TaskLevel.NATIONAL, 0),
        "budget": {source: budget.get(source, 0) for source in FundingSource.values},
        "budget_total": sum(budget.values()),
        "results_received": registrations.filter(status__in=PUBLIC_REGISTRATION).count(),
        "certificates": ResultRegistration.objects.filter(
            department_id__in=department_ids,
            status=RegistrationStatus.CERTIFIED,
            certificate_issued_on__year__gte=start_year,
            certificate_issued_on__year__lte=end_year,
        ).count(),
    }


# PUBLIC (results database, calls, the OAI-PMH provider) -----------------------------------------
def public_results() -> QuerySet[TaskResult]:
    """Results published to everyone: of accepted tasks, and received (certified or stored).

    Fields meant for publication: title, abstract, keywords, field, year, type, the task's code,
    title, level, host organisation name and principal investigator's name, the places where it
    applies, the certificate number and date. Nothing else about people is published.
    """
    return (
        TaskResult.objects.filter(registration__status__in=PUBLIC_REGISTRATION, task__status__in=PUBLIC_TASK_STATES)
        .select_related("field", "task__host", "task__principal_investigator", "registration")
        .order_by("-year", "title", "pk")
    )


def result_public(public_id) -> TaskResult:
    """One published result, or Http404."""
    return _get(public_results().prefetch_related("task__places", "applications__place"), public_id)


def open_calls() -> QuerySet[SelectionCall]:
    return (
        SelectionCall.objects.filter(status=CallStatus.PUBLISHED, deadline__gt=timezone.now())
        .prefetch_related("tasks")
        .order_by("deadline", "pk")
    )


def open_call_get(public_id) -> SelectionCall:
    return _get(open_calls(), public_id)


def acceptances_of(task: Task) -> list[Acceptance]:
    return list(task.acceptances.all())
