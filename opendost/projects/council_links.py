"""S&T tasks before councils (domain-procedures §5.3-§5.5): forming the councils, showing them on the
task pages and carrying their outcomes back.

Three councils judge records of this app, each through the generic councils app
(`opendost.councils.services.council_create` + `item_add`):

- task definition (xác định nhiệm vụ) for a proposal round: its grouped proposals are the items;
  approved -> shortlisted, rejected -> not retained;
- selection (tuyển chọn) for a call: its submitted applications are the items, grouped by task code
  so the applications for one task compete in the ranking; the selected one -> selected, the
  others -> not selected (with the council's mean score);
- acceptance (nghiệm thu), grassroots or provincial, for a task: the task is the item; excellent /
  pass / fail -> `services.acceptance_record` with the classification.

The outcome flows back when the council closes: `councils.signals.council_closed` is sent after the
closing commit with the closing user as `actor`; `on_council_closed` applies the outcome as that
user, one record per transaction, and is idempotent (a record already decided is skipped, an
acceptance is linked to its council once). What cannot be applied automatically stays visible as
an action on the page for an officer:

- a **failed final acceptance** needs a consequence the council's outcome does not give (the
  amount to refund, or a rework deadline): the task page offers "Record the acceptance" prefilled
  with the council's classification, level, reference and date, linked to the council;
- a write the closing user may not make (e.g. a leader without `projects.change_task`) or that a
  rule refuses (another application already selected for the task) is left for the officer's
  "Record the council's outcome" button (`council_outcome_apply`), which can be pressed again.

A council without quorum ("no_quorum") changes nothing on the projects side: a new council is formed.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opendost.councils import services as council_services
from opendost.councils.enums import CouncilPurpose, CouncilStatus, OutcomeResult
from opendost.councils.models import Council, CouncilItem, Outcome
from opendost.projects import services
from opendost.projects.enums import (
    AcceptanceLevel,
    ApplicationStatus,
    CallStatus,
    Classification,
    ProposalStatus,
    RoundStatus,
    TaskLevel,
    TaskStatus,
)
from opendost.projects.models import Acceptance, Proposal, ProposalRound, SelectionApplication, SelectionCall, Task
from opendost.projects.permissions import can
from opendost.workflow.exceptions import TransitionNotAllowed

logger = logging.getLogger(__name__)

P = CouncilPurpose
ACCEPTANCE_PURPOSE = {
    AcceptanceLevel.GRASSROOTS: P.ACCEPTANCE_GRASSROOTS,
    AcceptanceLevel.PROVINCIAL: P.ACCEPTANCE_PROVINCIAL,
}
LEVEL_OF_PURPOSE = {purpose: level for level, purpose in ACCEPTANCE_PURPOSE.items()}
CLASSIFICATION_OF = {
    OutcomeResult.EXCELLENT: Classification.EXCELLENT,
    OutcomeResult.PASS: Classification.PASS,
    OutcomeResult.FAIL: Classification.FAIL,
}
HANDLED = (P.TASK_DEFINITION, P.SELECTION, P.ACCEPTANCE_GRASSROOTS, P.ACCEPTANCE_PROVINCIAL)
OPEN_STATES = (CouncilStatus.FORMING, CouncilStatus.CONVENED, CouncilStatus.SCORING)
RUNNING = (TaskStatus.IN_PROGRESS, TaskStatus.EXTENDED)
_FAILURES = (ValidationError, PermissionDenied, TransitionNotAllowed)


def council_ref_of(council: Council) -> str:
    """The reference written on the projects side: the decision number and the council's name."""
    if council.decision_document_id:
        return f"{council.decision_document.number_symbol} – {council.name}"[:100]
    return council.name[:100]


# READS ------------------------------------------------------------------------------------------
def _items_condition(pairs) -> Q:
    condition = Q(pk__in=[])
    for model, ids in pairs:
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return condition


def councils_judging(pairs, *, user=None) -> QuerySet[Council]:
    """Councils with an item among `pairs` ((model, ids or a pk subquery), ...), newest first;
    scoped to `user`'s jurisdiction when given. One query, no row repeated (Exists)."""
    items = CouncilItem.objects.filter(_items_condition(pairs), council=OuterRef("pk"))
    councils = Council.objects.visible_to(user) if user is not None else Council.objects.all()
    return councils.filter(Exists(items)).select_related("department").order_by("-created_at", "-pk")


def subject_pairs(subject: Model) -> list:
    """What a page's councils judge: a task (its acceptance, its applications, its proposal), a
    round (its proposals), a call (its applications), or one proposal or application."""
    if isinstance(subject, Task):
        pairs = [(Task, [subject.pk]), (SelectionApplication, subject.applications.values("pk"))]
        if subject.proposal_id:
            pairs.append((Proposal, [subject.proposal_id]))
        return pairs
    if isinstance(subject, ProposalRound):
        return [(Proposal, subject.proposals.values("pk"))]
    if isinstance(subject, SelectionCall):
        return [(SelectionApplication, subject.applications.values("pk"))]
    return [(type(subject), [subject.pk])]


@dataclass
class CouncilRow:
    council: Council
    outcomes: list = field(default_factory=list)  # Outcome rows of the page's subjects
    awaiting: bool = False  # a decisive outcome not yet carried over to the projects side


def council_rows(subject: Model, *, user, staff: bool = True) -> list[CouncilRow]:
    """The councils shown on a page. Staff: the councils of their jurisdiction judging the page's
    records, with the outcomes of those records. An applicant (staff=False): only closed councils
    on its own record, with its own outcome (never the council's other items)."""
    pairs = subject_pairs(subject)
    if staff:
        councils = list(councils_judging(pairs, user=user))
    else:
        councils = list(councils_judging(pairs).filter(status=CouncilStatus.CLOSED))
    if not councils:
        return []
    outcomes = (
        Outcome.objects.filter(council__in=councils)
        .filter(Exists(CouncilItem.objects.filter(_items_condition(pairs), pk=OuterRef("item_id"))))
        .select_related("item")
    )
    by_council: dict[int, list] = {}
    for outcome in outcomes:
        by_council.setdefault(outcome.council_id, []).append(outcome)
    return [
        CouncilRow(c, by_council.get(c.pk, []), staff and c.status == CouncilStatus.CLOSED and awaiting(c))
        for c in councils
    ]


def _decisive(council: Council) -> QuerySet[Outcome]:
    return council.outcomes.exclude(result=OutcomeResult.NO_QUORUM)


def _subject_ids(council: Council, model, outcomes: QuerySet[Outcome]) -> QuerySet:
    return outcomes.filter(item__content_type=ContentType.objects.get_for_model(model)).values("item__object_id")


def awaiting(council: Council) -> bool:
    """A closed council of this app has an outcome the projects side has not recorded yet."""
    if council.status != CouncilStatus.CLOSED or council.purpose not in HANDLED:
        return False
    decisive = _decisive(council)
    if council.purpose == P.TASK_DEFINITION:
        ids = _subject_ids(council, Proposal, decisive)
        return Proposal.objects.filter(pk__in=ids, status=ProposalStatus.IN_ROUND).exists()
    if council.purpose == P.SELECTION:
        ids = _subject_ids(council, SelectionApplication, decisive)
        return SelectionApplication.objects.filter(pk__in=ids, status=ApplicationStatus.SUBMITTED).exists()
    return decisive.exists() and not Acceptance.objects.filter(council=council).exists()


def acceptance_prefill(task: Task, user, council_public_id) -> tuple[Council | None, dict]:
    """For "Record the acceptance" opened from a closed acceptance council of `task`: the council
    and the form's initial values (level, classification, reference, date, conclusion)."""
    if not council_public_id:
        return None, {}
    try:
        council = (
            councils_judging([(Task, [task.pk])], user=user)
            .filter(purpose__in=list(LEVEL_OF_PURPOSE), status=CouncilStatus.CLOSED)
            .select_related("decision_document")
            .get(public_id=council_public_id)
        )
    except (Council.DoesNotExist, ValueError, ValidationError):
        return None, {}
    outcome = _decisive(council).filter(item__object_id=task.pk).first()
    if outcome is None or outcome.result not in CLASSIFICATION_OF:
        return None, {}
    return council, {
        "level": LEVEL_OF_PURPOSE[council.purpose],
        "classification": CLASSIFICATION_OF[outcome.result],
        "council_ref": council_ref_of(council),
        "held_on": _held_on(council),
        "note": outcome.explanation,
    }


def pending_acceptances(task: Task, user) -> list[Council]:
    """Closed acceptance councils of `task` whose outcome is not recorded yet (shown as an action)."""
    councils = councils_judging([(Task, [task.pk])], user=user).filter(
        purpose__in=list(LEVEL_OF_PURPOSE), status=CouncilStatus.CLOSED
    )
    recorded = Acceptance.objects.filter(council=OuterRef("pk"))
    decisive = Outcome.objects.filter(council=OuterRef("pk")).exclude(result=OutcomeResult.NO_QUORUM)
    return list(councils.filter(Exists(decisive)).exclude(Exists(recorded)))


# FORMING COUNCILS -------------------------------------------------------------------------------
def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _before_open_council(purpose: str, model, ids) -> list[str]:
    """Names of open councils of `purpose` that already judge one of the records."""
    busy = councils_judging([(model, ids)]).filter(purpose=purpose, status__in=OPEN_STATES)
    return list(busy.values_list("name", flat=True))


def _create(*, actor, department, purpose, name, meeting_on, rules_version) -> Council:
    return council_services.council_create(
        actor=actor,
        department=department,
        purpose=purpose,
        name=name,
        meeting_on=meeting_on,
        rules_version=rules_version or "",
    )


@transaction.atomic
def definition_council_start(
    *,
    actor,
    proposal_round: ProposalRound,
    name: str = "",
    meeting_on: dt.date | None = None,
    rules_version: str = "",
) -> Council:
    """The task definition council of a round: every proposal grouped in the round and not yet
    decided is an item. Submissions must be closed (the round is under review)."""
    _require(can(actor, "projects.change_proposal", proposal_round.department_id))
    if proposal_round.status != RoundStatus.REVIEWING:
        raise ValidationError(
            _("Close the submissions of the round before forming its task definition council."), code="wrong_state"
        )
    proposals = list(proposal_round.proposals.filter(status=ProposalStatus.IN_ROUND).order_by("pk"))
    if not proposals:
        raise ValidationError(_("No proposal of the round is waiting for a council."), code="empty")
    busy = _before_open_council(P.TASK_DEFINITION, Proposal, [p.pk for p in proposals])
    if busy:
        raise ValidationError(
            _("Proposals of this round are already before the council %(name)s.") % {"name": busy[0]}, code="busy"
        )
    council = _create(
        actor=actor,
        department=proposal_round.department,
        purpose=P.TASK_DEFINITION,
        name=name or f"Hội đồng tư vấn xác định nhiệm vụ KH&CN – {proposal_round.title}",
        meeting_on=meeting_on,
        rules_version=rules_version,
    )
    for proposal in proposals:
        council_services.item_add(actor=actor, council=council, subject=proposal)
    return council


@transaction.atomic
def selection_council_start(
    *,
    actor,
    call: SelectionCall,
    name: str = "",
    meeting_on: dt.date | None = None,
    rules_version: str = "",
) -> Council:
    """The selection council of a call: every submitted application not yet decided is an item,
    grouped by the task's code so the applications for one task compete in the ranking.
    Applications are opened after the deadline (or once the call is closed)."""
    _require(can(actor, "projects.change_selectionapplication", call.department_id))
    open_for_applications = call.status == CallStatus.PUBLISHED and call.deadline > timezone.now()
    if call.status == CallStatus.DRAFT or open_for_applications:
        raise ValidationError(
            _("The selection council is formed once the call's deadline has passed."), code="wrong_state"
        )
    applications = list(
        call.applications.filter(status=ApplicationStatus.SUBMITTED)
        .select_related("task", "organization")
        .order_by("task__code", "submitted_at", "pk")
    )
    if not applications:
        raise ValidationError(_("No submitted application of the call is waiting for a council."), code="empty")
    busy = _before_open_council(P.SELECTION, SelectionApplication, [a.pk for a in applications])
    if busy:
        raise ValidationError(
            _("Applications of this call are already before the council %(name)s.") % {"name": busy[0]}, code="busy"
        )
    council = _create(
        actor=actor,
        department=call.department,
        purpose=P.SELECTION,
        name=name or f"Hội đồng tuyển chọn tổ chức, cá nhân chủ trì – {call.title}"[:255],
        meeting_on=meeting_on,
        rules_version=rules_version,
    )
    for application in applications:
        council_services.item_add(
            actor=actor,
            council=council,
            subject=application,
            title=f"{application.task.code} – {application.organization.name}",
            group=application.task.code,
        )
    return council


def acceptance_levels(task: Task) -> list[str]:
    """The acceptance councils the Department can hold for the task now: grassroots while it runs
    or is submitted; its own (final) level once the acceptance dossier is received. A national
    task's final acceptance is held by the ministry, not here."""
    levels = []
    if task.status in (*RUNNING, TaskStatus.SUBMITTED_FOR_ACCEPTANCE) and task.level != TaskLevel.GRASSROOTS:
        levels.append(AcceptanceLevel.GRASSROOTS)
    final = services._final_level(task)
    if task.status == TaskStatus.SUBMITTED_FOR_ACCEPTANCE and final in ACCEPTANCE_PURPOSE and final not in levels:
        levels.append(final)
    return levels


@transaction.atomic
def acceptance_council_start(
    *,
    actor,
    task: Task,
    level: str,
    name: str = "",
    meeting_on: dt.date | None = None,
    rules_version: str = "",
) -> Council:
    """An acceptance council (grassroots or provincial) with the task as its item."""
    _require(can(actor, "projects.change_task", task.department_id))
    if level not in acceptance_levels(task):
        raise ValidationError(
            {"level": [_("This acceptance cannot be held for the task in its current state.")]}, code="wrong_state"
        )
    purpose = ACCEPTANCE_PURPOSE[AcceptanceLevel(level)]
    busy = _before_open_council(purpose, Task, [task.pk])
    if busy:
        raise ValidationError(_("The task is already before the council %(name)s.") % {"name": busy[0]}, code="busy")
    default = {
        AcceptanceLevel.GRASSROOTS: "Hội đồng đánh giá, nghiệm thu cấp cơ sở",
        AcceptanceLevel.PROVINCIAL: "Hội đồng tư vấn đánh giá, nghiệm thu cấp tỉnh",
    }[AcceptanceLevel(level)]
    council = _create(
        actor=actor,
        department=task.department,
        purpose=purpose,
        name=name or f"{default} – {task.code}",
        meeting_on=meeting_on,
        rules_version=rules_version,
    )
    council_services.item_add(actor=actor, council=council, subject=task)
    return council


# OUTCOMES ---------------------------------------------------------------------------------------
@dataclass
class ApplyReport:
    recorded: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)


def _held_on(council: Council) -> dt.date:
    closed = timezone.localdate(council.closed_at) if council.closed_at else timezone.localdate()
    if council.meeting_on and council.meeting_on <= closed:
        return council.meeting_on
    return closed


def _locked(model, pk):
    return model.objects.select_for_update().filter(pk=pk).first()


@transaction.atomic
def _apply_definition(actor, council: Council, outcome: Outcome) -> str | None:
    proposal = _locked(Proposal, outcome.item.object_id)
    if proposal is None or proposal.status != ProposalStatus.IN_ROUND:
        return None  # decided already (by this follow-up before, or by hand)
    if outcome.result == OutcomeResult.APPROVED:
        services.proposal_shortlist(actor=actor, proposal=proposal)
    else:
        reason = _("Not recommended by the council %(council)s.") % {"council": council_ref_of(council)}
        services.proposal_reject(actor=actor, proposal=proposal, reason=reason)
    return proposal.title


@transaction.atomic
def _apply_selection(actor, council: Council, outcome: Outcome) -> str | None:
    application = _locked(SelectionApplication, outcome.item.object_id)
    if application is None or application.status != ApplicationStatus.SUBMITTED:
        return None
    score = outcome.mean_score if outcome.mean_score is not None and 0 <= outcome.mean_score <= 100 else None
    services.selection_result_record(
        actor=actor,
        application=application,
        selected=outcome.result == OutcomeResult.SELECTED,
        score=score,
        council_ref=council_ref_of(council),
    )
    return outcome.item.title


@transaction.atomic
def _apply_acceptance(actor, council: Council, outcome: Outcome) -> str | None:
    task = _locked(Task, outcome.item.object_id)
    if task is None or Acceptance.objects.filter(council=council).exists():
        return None
    level = LEVEL_OF_PURPOSE[council.purpose]
    classification = CLASSIFICATION_OF[outcome.result]
    if classification == Classification.FAIL and level == services._final_level(task):
        raise ValidationError(
            _(
                "%(task)s failed its acceptance: record the acceptance with the amount to refund "
                "or the rework deadline."
            )
            % {"task": task.code},
            code="needs_consequence",
        )
    services.acceptance_record(
        actor=actor,
        task=task,
        level=level,
        classification=classification,
        council_ref=council_ref_of(council),
        held_on=_held_on(council),
        note=outcome.explanation,
        council=council,
    )
    return str(task)


def council_outcome_apply(*, actor, council: Council) -> ApplyReport:
    """Carry a closed council's outcome over to the proposals, applications or task it judged, as
    `actor`. Each record is decided in its own transaction; a record already decided is skipped,
    so the function can run again (after the signal, from the officer's button). What fails is
    reported in `pending` and changes nothing."""
    report = ApplyReport()
    if council.status != CouncilStatus.CLOSED or council.purpose not in HANDLED:
        return report
    if council.purpose == P.TASK_DEFINITION:
        model, apply = Proposal, _apply_definition
    elif council.purpose == P.SELECTION:
        model, apply = SelectionApplication, _apply_selection
    else:
        model, apply = Task, _apply_acceptance
    content_type = ContentType.objects.get_for_model(model)
    outcomes = (
        _decisive(council)
        .filter(item__content_type=content_type)
        .select_related("item", "council__decision_document")
        .order_by("item__position", "item__pk")
    )
    # Losers first: a winner is recorded after the other applications of its task are settled.
    for outcome in sorted(outcomes, key=lambda o: o.result == OutcomeResult.SELECTED):
        try:
            done = apply(actor, council, outcome)
        except _FAILURES as exc:
            report.pending.append(f"{outcome.item.title}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        else:
            if done:
                report.recorded.append(done)
    return report


def on_council_closed(sender, council: Council, outcomes=None, actor=None, **kwargs) -> None:
    """Receiver of `councils.signals.council_closed` (after the closing commit). Never raises: the
    council is closed whatever happens here; what is not applied stays as an action on the pages."""
    if council.purpose not in HANDLED:
        return
    if actor is None:
        logger.warning("Council %s closed without an actor: its outcome waits for an officer.", council.public_id)
        return
    try:
        report = council_outcome_apply(actor=actor, council=council)
    except Exception:  # the closing request must not fail after its commit
        logger.exception("Applying the outcome of council %s failed.", council.public_id)
        return
    if report.pending:
        logger.info("Council %s: outcome waiting for an officer: %s", council.public_id, report.pending)
