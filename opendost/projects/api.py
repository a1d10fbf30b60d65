"""/api/v1/projects/: every stage of an S&T task, from the proposal to the liquidated contract.

Thin like the views: the selectors read and scope, the services write and hold every rule (this
module checks none of them again). Who sees what:

    staff (officer, leader...)  the records of their jurisdiction, with the model's view permission
    an applicant                its organisation's proposals, applications and hosted tasks, and
                                the calls open today
    anyone else                 nothing: a record one may not see answers 404

The services' exceptions become JSON answers in one place (`_answers`):

    PermissionDenied                               403 {"detail": "..."}
    a record (in the path or the body) not visible 404 {"detail": "..."}
    TransitionNotAllowed, ConcurrentTransition,
    EditConflict, a rule about the record's state  409 {"detail": "..."}
    any other ValidationError                      422 {"detail": [{"type", "loc", "msg"}, ...]}
    a body that is not JSON                        400 {"detail": "Cannot parse request body"}

A 422 about one field is located at ["body", "data", <field>]; a problem about the whole request at
["body"]. Authentication: a bearer token, or the session with CSRF checked on unsafe methods; an
anonymous request always gets 401.
"""

import datetime as dt
from contextlib import contextmanager
from typing import Annotated, Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from pydantic import BeforeValidator, Field, model_validator

from opendost.api.auth import ApiTokenAuth, StaffSessionAuth
from opendost.api.inputs import (
    NO_NUL,
    NOT_BLANK,
    IsoDate,
    IsoDateTime,
    JsonBool,
    PublicId,
    QueryBool,
    json_int,
    json_number,
    query_int,
)
from opendost.api.pagination import LimitOffset
from opendost.api.schemas import ErrorOut, ValidationErrorOut
from opendost.classifications.models import ClassificationNode
from opendost.common.locking import EditConflict
from opendost.common.text import normalize
from opendost.geography.models import AdminUnit
from opendost.projects import council_links, selectors, services
from opendost.projects.enums import (
    AcceptanceLevel,
    AmendmentKind,
    ApplicationStatus,
    AssignmentMode,
    CallStatus,
    CheckConclusion,
    Classification,
    FundingSource,
    ProposalStatus,
    ResultType,
    RoundStatus,
    TaskKind,
    TaskLevel,
    TaskStatus,
)
from opendost.projects.models import (
    ContractAmendment,
    Deliverable,
    ProgressReport,
    Proposal,
    ProposalRound,
    SelectionApplication,
    SelectionCall,
    Task,
    TaskResult,
)
from opendost.projects.permissions import can, is_applicant
from opendost.search.selectors import search_filter
from opendost.subjects.models import Organization, Person
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.selectors import available_transitions

router = Router(tags=["S&T tasks"], auth=[ApiTokenAuth(), StaffSessionAuth()])

LIST_RESPONSES = {401: ErrorOut, 422: ValidationErrorOut}
DETAIL_RESPONSES = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
# 400: a body that is not JSON at all.
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}

# ValidationError codes of the services that say "not in this state" or "already done": a conflict
# with the record as it is, not bad input.
STATE_CODES = frozenset(
    {"wrong_state", "unknown_transition", "already_selected", "already_recorded", "not_certified_here", "must_certify"}
)


# ERRORS -------------------------------------------------------------------------------------------
# ninja names the JSON body after the parameter, `data`.
BODY = ("body", "data")


def _error_lists(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return list(error.error_dict.values())
    return [error.error_list]


def _problems(error: DjangoValidationError, *, locations: dict[str, list[str]]) -> list[dict]:
    problems = []
    pairs = error.error_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, error.error_list)]
    for name, errors in pairs:
        loc = ["body"] if name == NON_FIELD_ERRORS else locations.get(name, [*BODY, name])
        for item in errors:
            problems += [{"type": item.code or "invalid", "loc": loc, "msg": str(m)} for m in item.messages]
    return problems


@contextmanager
def _answers(*, locations: dict[str, list[str]] | None = None, state_error: bool = False):
    """The services' exceptions as the documented answers. `locations`: where a field the service names
    is in the request (by default that name in the body); `state_error`: the record is not in a state
    the action accepts, so any ValidationError is a 409."""
    try:
        yield
    except TransitionNotAllowed as error:  # ConcurrentTransition too
        raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
    except EditConflict as error:
        raise HttpError(409, error.message) from None
    except PermissionDenied:
        raise HttpError(403, "You may not do this with this record.") from None
    except DjangoValidationError as error:
        codes = {item.code for items in _error_lists(error) for item in items}
        if state_error or codes & STATE_CODES:
            raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
        raise NinjaValidationError(_problems(error, locations=locations or {})) from None


def _invalid(field: str, message: str, code: str = "invalid"):
    return NinjaValidationError([{"type": code, "loc": [*BODY, field], "msg": message}])


def _forbidden():
    return HttpError(403, "You may not do this.")


# INPUT TYPES: opendost/api/inputs.py; this router's own bounds below.
Amount = Annotated[int, Field(ge=0, le=10**15), BeforeValidator(json_int)]
Year = Annotated[int, Field(ge=1900, le=2100), BeforeValidator(json_int)]
QueryYear = Annotated[int, Field(ge=1900, le=2100), BeforeValidator(query_int)]
RowId = Annotated[int, Field(ge=1, le=2**62), BeforeValidator(json_int)]
Score = Annotated[float, Field(ge=0, le=100), BeforeValidator(json_number)]


def _text(max_length: int, description: str | None = None, *, default: Any = "") -> Any:
    return Field(default, max_length=max_length, pattern=NO_NUL, description=description)


def _required_text(max_length: int, description: str | None = None) -> Any:
    return Field(min_length=1, max_length=max_length, pattern=NOT_BLANK, description=description)


class In(Schema):
    """A JSON object (ninja would read the attributes of a string or a list: "AAA".title)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value):
        if not isinstance(getattr(value, "_obj", value), dict):  # ninja hands a DjangoGetter around it
            raise ValueError("Give a JSON object.")
        return value


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# OUTPUT -------------------------------------------------------------------------------------------
class BudgetOut(Schema):
    source: str
    amount: int


class TaskRef(Schema):
    public_id: UUID
    code: str
    title: str
    status: str
    assignment_mode: str


class DocumentOut(Schema):
    number_symbol: str
    issued_on: dt.date
    verification_url: str


def _document(document) -> dict | None:
    if document is None:
        return None
    return {
        "number_symbol": document.number_symbol,
        "issued_on": document.issued_on,
        "verification_url": settings.SITE_URL.rstrip("/") + document.get_verification_path(),
    }


class TaskBase(Schema):
    public_id: UUID
    code: str
    title: str
    kind: str
    level: str
    regime: str
    status: str
    field: str | None
    host: str | None
    principal_investigator: str | None
    start_on: dt.date | None
    end_on: dt.date | None
    budget: list[BudgetOut]


class TaskOut(TaskBase):
    @staticmethod
    def resolve_field(obj) -> str | None:
        return obj.field.code if obj.field_id else None

    @staticmethod
    def resolve_host(obj) -> str | None:
        return obj.host.name if obj.host_id else None

    @staticmethod
    def resolve_principal_investigator(obj) -> str | None:
        return obj.principal_investigator.full_name if obj.principal_investigator_id else None

    @staticmethod
    def resolve_budget(obj) -> list[dict]:
        return [{"source": line.source, "amount": line.amount} for line in obj.budget_lines.all()]


class TrancheOut(Schema):
    sequence: int
    planned_amount: int
    condition: str
    due_on: dt.date | None
    paid: int


class ContractOut(Schema):
    number: str
    signed_on: dt.date
    total: int
    starts_on: dt.date
    ends_on: dt.date
    paid: int
    tranches: list[TrancheOut]


class DisbursementOut(Schema):
    tranche: int = Field(description="Sequence number of the tranche")
    amount: int
    paid_on: dt.date
    reference: str

    @staticmethod
    def resolve_tranche(obj) -> int:
        return obj.tranche.sequence


class AmendmentOut(Schema):
    public_id: UUID
    kind: AmendmentKind
    reason: str
    new_end_on: dt.date | None
    new_total: int | None
    requested_on: dt.date
    decided_on: dt.date | None
    status: str


class DeliverableOut(Schema):
    id: int
    name: str
    specification: str
    due_on: dt.date
    delivered_on: dt.date | None


class ReportOut(Schema):
    public_id: UUID
    period_end: dt.date
    status: str
    content: str
    review_note: str


class CheckOut(Schema):
    checked_on: dt.date
    findings: str
    conclusion: CheckConclusion


class AcceptanceOut(Schema):
    level: AcceptanceLevel
    held_on: dt.date
    classification: Classification
    council_ref: str
    refund_amount: int
    rework_until: dt.date | None
    note: str


class RegistrationOut(Schema):
    public_id: UUID
    status: str
    received_on: dt.date
    due_on: dt.date
    storage_ref: str
    certificate_number: str
    certificate_issued_on: dt.date | None
    verification_url: str | None = Field(description="Where anyone checks the certificate (QR code)")
    note: str

    @staticmethod
    def resolve_verification_url(obj) -> str | None:
        document = _document(obj.certificate) if obj.certificate_id else None
        return document["verification_url"] if document else None


class ResultApplicationOut(Schema):
    place: str
    scale: str
    economic_effect: str
    year: int

    @staticmethod
    def resolve_place(obj) -> str:
        return obj.place.name if obj.place_id else obj.place_text


class TaskResultOut(Schema):
    public_id: UUID
    title: str
    abstract: str
    keywords: str
    field: str | None
    year: int
    result_type: ResultType
    registration: RegistrationOut | None
    applications: list[ResultApplicationOut]

    @staticmethod
    def resolve_field(obj) -> str | None:
        return obj.field.code if obj.field_id else None

    @staticmethod
    def resolve_registration(obj):
        return getattr(obj, "registration", None)

    @staticmethod
    def resolve_applications(obj) -> list:
        return list(obj.applications.all())


class TransitionOut(Schema):
    name: str
    label: str


class TaskDetailOut(TaskBase):
    version: int
    assignment_mode: AssignmentMode
    objectives: str
    expected_products: str
    proposal: UUID | None = Field(description="public_id of the proposal it was ordered from")
    round: UUID | None = Field(description="public_id of the round whose ordered list holds it")
    host_id: UUID | None = Field(description="public_id of the host organisation")
    principal_investigator_id: UUID | None = Field(description="public_id of the principal investigator")
    contract: ContractOut | None
    amendments: list[AmendmentOut]
    deliverables: list[DeliverableOut]
    reports: list[ReportOut]
    checks: list[CheckOut]
    acceptances: list[AcceptanceOut]
    results: list[TaskResultOut]
    transitions: list[TransitionOut] = Field(description="The status changes the caller may make now")


class ProposalOut(Schema):
    public_id: UUID
    title: str
    problem: str
    objectives: str
    expected_results: str
    field: str | None
    estimated_budget: int
    regime: str
    proposer: str
    proposer_organization: UUID | None
    round: UUID | None
    status: ProposalStatus
    submitted_at: dt.datetime | None
    decision_note: str
    task: TaskRef | None = Field(description="The task ordered from it")

    @staticmethod
    def resolve_field(obj) -> str | None:
        return obj.field.code if obj.field_id else None

    @staticmethod
    def resolve_proposer_organization(obj) -> UUID | None:
        return obj.proposer_organization.public_id if obj.proposer_organization_id else None

    @staticmethod
    def resolve_round(obj) -> UUID | None:
        return obj.round.public_id if obj.round_id else None

    @staticmethod
    def resolve_task(obj):
        return getattr(obj, "task", None) if obj.status == ProposalStatus.ORDERED else None


class RoundOut(Schema):
    public_id: UUID
    year: int
    title: str
    regime: str
    closes_on: dt.date | None
    status: RoundStatus
    decision: DocumentOut | None = Field(description="The decision approving the ordered list")
    tasks: list[TaskRef] = Field(description="The tasks of the approved ordered list")

    @staticmethod
    def resolve_decision(obj) -> dict | None:
        return _document(obj.decision) if obj.decision_id else None

    @staticmethod
    def resolve_tasks(obj) -> list:
        return list(obj.tasks.all())


class CallOut(Schema):
    public_id: UUID
    title: str
    description: str
    regime: str
    published_on: dt.date | None
    deadline: dt.datetime
    status: CallStatus
    tasks: list[TaskRef]

    @staticmethod
    def resolve_tasks(obj) -> list:
        return list(obj.tasks.all())


class ApplicationOut(Schema):
    public_id: UUID
    call: str
    task_code: str
    status: str
    submitted_at: dt.datetime | None
    budget_central: int
    budget_provincial: int
    budget_counterpart: int
    call_id: UUID = Field(description="public_id of the call")
    task_id: UUID = Field(description="public_id of the task")
    organization: str
    principal_investigator_name: str
    proposal_text: str
    team: str
    timeline: str
    score: float | None
    council_ref: str

    @staticmethod
    def resolve_call(obj) -> str:
        return obj.call.title

    @staticmethod
    def resolve_task_code(obj) -> str:
        return obj.task.code

    @staticmethod
    def resolve_call_id(obj) -> UUID:
        return obj.call.public_id

    @staticmethod
    def resolve_task_id(obj) -> UUID:
        return obj.task.public_id

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_score(obj) -> float | None:
        return float(obj.score) if obj.score is not None else None


class ResultOut(Schema):
    public_id: UUID
    title: str
    abstract: str
    keywords: str
    field: str | None
    year: int
    result_type: str
    task_code: str
    task_title: str
    host: str | None
    principal_investigator: str | None
    certificate_number: str

    @staticmethod
    def resolve_field(obj) -> str | None:
        return str(obj.field) if obj.field_id else None

    @staticmethod
    def resolve_task_code(obj) -> str:
        return obj.task.code

    @staticmethod
    def resolve_task_title(obj) -> str:
        return obj.task.title

    @staticmethod
    def resolve_host(obj) -> str | None:
        return obj.task.host.name if obj.task.host_id else None

    @staticmethod
    def resolve_principal_investigator(obj) -> str | None:
        task = obj.task
        return task.principal_investigator.full_name if task.principal_investigator_id else None

    @staticmethod
    def resolve_certificate_number(obj) -> str:
        return obj.registration.certificate_number


# FILTERS ------------------------------------------------------------------------------------------
class TaskFilter(Schema):
    q: str = _text(200, "Title, code, host or investigator, ignoring diacritics")
    status: TaskStatus | None = None
    level: TaskLevel | None = None
    year: QueryYear | None = Field(None, description="Year the task starts")


class ResultFilter(Schema):
    q: str = _text(200, "Title, abstract or keywords, ignoring diacritics")
    year: QueryYear | None = None


class ProposalFilter(Schema):
    status: ProposalStatus | None = None


class RoundFilter(Schema):
    status: RoundStatus | None = None


class CallFilter(Schema):
    status: CallStatus | None = Field(None, description="Staff only; others see the open calls")
    open: QueryBool = Field(False, description="Only the calls open for applications now")


class ApplicationFilter(Schema):
    status: ApplicationStatus | None = None
    call: PublicId | None = Field(None, description="public_id of the call")


# INPUT --------------------------------------------------------------------------------------------
class ProposalIn(In):
    title: str = _required_text(500)
    problem: str = _required_text(20_000, "The problem to solve")
    objectives: str = _required_text(20_000)
    expected_results: str = _required_text(20_000)
    field: RowId | None = Field(None, description="id of the S&T field (/api/v1/st-fields)")
    estimated_budget: Amount = Field(0, description="VND")
    submit: JsonBool = Field(False, description="Submit at once (otherwise a draft to submit later)")


class RecordedProposalIn(ProposalIn):
    proposer_name: str = _required_text(255, "The proposer as written: organisation, commune, agency or person")
    proposer_organization: PublicId | None = Field(
        None, description="public_id of the proposing organisation, when it is in the register"
    )


class GroupIn(In):
    round: PublicId = Field(description="public_id of the round (open or reviewing)")


class ReasonIn(In):
    reason: str = _required_text(5000)


class RoundIn(In):
    year: Annotated[int, Field(ge=2000, le=2100), BeforeValidator(json_int)] = Field(
        description="Year of the tasks: from 2000 to two years ahead"
    )
    title: str = _required_text(255)
    closes_on: IsoDate | None = Field(None, description="Proposals close on (today or later)")


class RoundApproveIn(In):
    direct: list[PublicId] = Field(
        default_factory=list,
        max_length=500,
        description="public_id of the shortlisted proposals assigned directly (the others: competitive selection)",
    )
    level: TaskLevel = TaskLevel.PROVINCIAL
    signer_name: str = _text(150, "Who signs the decision (default: the caller)")


class CallIn(In):
    title: str = _required_text(500)
    description: str = _text(20_000)
    deadline: IsoDateTime = Field(description="Applications until (in the future); without an offset: Vietnam time")
    tasks: list[PublicId] = Field(
        min_length=1, max_length=200, description="public_id of the ordered tasks selected competitively"
    )


class ApplicationIn(In):
    task: PublicId = Field(description="public_id of a task of the call")
    principal_investigator_name: str = _required_text(150)
    proposal_text: str = _required_text(50_000, "The proposal (thuyết minh)")
    team: str = _text(20_000)
    timeline: str = _text(20_000)
    budget_central: Amount = Field(0, description="VND")
    budget_provincial: Amount = Field(0, description="VND")
    budget_counterpart: Amount = Field(0, description="VND")
    submit: JsonBool = Field(False, description="Submit at once (otherwise a draft to submit later)")


class SelectionIn(In):
    selected: JsonBool
    score: Score | None = Field(None, description="Mean score of the council, 0 to 100")
    council_ref: str = _text(100, "The council (number of its decision)")


class BudgetIn(In):
    central: Amount = Field(0, description="Central S&T budget, VND")
    provincial: Amount = Field(0, description="Provincial S&T budget, VND")
    counterpart: Amount = Field(0, description="Counterpart funds, VND")

    def as_map(self) -> dict[str, int]:
        return {
            FundingSource.CENTRAL: self.central,
            FundingSource.PROVINCIAL: self.provincial,
            FundingSource.COUNTERPART: self.counterpart,
        }


class TaskIn(In):
    title: str = _required_text(500)
    code: str = _text(40, "Left empty: NV.<year>.<n>")
    kind: TaskKind = TaskKind.RESEARCH
    level: TaskLevel = TaskLevel.PROVINCIAL
    assignment_mode: AssignmentMode = AssignmentMode.DIRECT
    field: RowId | None = Field(None, description="id of the S&T field (/api/v1/st-fields)")
    objectives: str = _text(20_000)
    expected_products: str = _text(20_000)
    start_on: IsoDate | None = None
    end_on: IsoDate | None = None
    budget: BudgetIn = Field(default_factory=BudgetIn)
    note: str = _text(5000)


class AssignIn(In):
    host: PublicId = Field(description="public_id of the host organisation")
    principal_investigator: PublicId = Field(description="public_id of the principal investigator")
    start_on: IsoDate
    end_on: IsoDate
    budget: BudgetIn


class TrancheIn(In):
    planned_amount: Amount = Field(description="VND")
    condition: str = _text(255)
    due_on: IsoDate | None = None


class ContractIn(In):
    number: str = _required_text(60)
    signed_on: IsoDate
    total: Amount = Field(description="VND: the state-budget part of the approved budget")
    starts_on: IsoDate
    ends_on: IsoDate
    tranches: list[TrancheIn] = Field(default_factory=list, max_length=50)


class DisbursementIn(In):
    tranche: Annotated[int, Field(ge=1, le=1000), BeforeValidator(json_int)] = Field(
        description="Sequence number of the tranche"
    )
    amount: Amount = Field(description="VND")
    paid_on: IsoDate
    reference: str = _text(100, "Payment reference")


class AmendmentIn(In):
    kind: AmendmentKind
    reason: str = _required_text(5000)
    new_end_on: IsoDate | None = Field(None, description="extension: the new end date")
    new_total: Amount | None = Field(None, description="budget: the new contract value, VND")


class DecisionIn(In):
    decided_on: IsoDate | None = Field(None, description="Default: today")


class DeliverableIn(In):
    name: str = _required_text(500)
    specification: str = _text(20_000, "Quantity and quality required")
    due_on: IsoDate


class DeliveredIn(In):
    delivered_on: IsoDate


class ReportIn(In):
    period_end: IsoDate
    content: str = _required_text(50_000, "Work done, products, spending and problems")


class ReviewIn(In):
    accept: JsonBool = Field(True, description="false: return it to the host for revision (say why in note)")
    note: str = _text(5000)


class ResubmitIn(In):
    content: str = _required_text(50_000)


class CheckIn(In):
    checked_on: IsoDate
    findings: str = _required_text(20_000)
    conclusion: CheckConclusion


class AcceptanceIn(In):
    level: AcceptanceLevel
    classification: Classification
    council_ref: str = _text(100)
    held_on: IsoDate | None = Field(None, description="Default: today")
    refund_amount: Amount = Field(0, description="A failed final acceptance: the amount to refund, VND")
    rework_until: IsoDate | None = Field(None, description="A failed final acceptance: or rework allowed until")
    note: str = _text(20_000)


class ResultIn(In):
    title: str = _required_text(500)
    abstract: str = _required_text(50_000)
    year: Year
    keywords: str = _text(500)
    field: RowId | None = Field(None, description="id of the S&T field (default: the task's)")
    result_type: ResultType = ResultType.REPORT


class RegistrationIn(In):
    received_on: IsoDate | None = Field(None, description="The complete dossier was received on (default: today)")


class CertifyIn(In):
    storage_ref: str = _text(60)
    signer_name: str = _text(150, "Who signs the certificate (default: the caller)")


class StoreIn(In):
    storage_ref: str = _text(60)
    note: str = _text(5000)


class ResultApplicationIn(In):
    scale: str = _required_text(255)
    year: Year
    place: RowId | None = Field(None, description="id of the administrative unit (/api/v1/admin-units)")
    place_text: str = _text(255, "The place as written, without an administrative unit")
    economic_effect: str = _text(20_000)


# SCOPES -------------------------------------------------------------------------------------------
def _user(request):
    return request.auth


def _tasks(request) -> QuerySet[Task]:
    """Staff: the jurisdiction's tasks (view permission); an applicant: its organisation's."""
    user = _user(request)
    if user.has_perm("projects.view_task"):
        queryset = Task.objects.visible_to(user)
    elif getattr(user, "organization_id", None):
        queryset = Task.objects.filter(host_id=user.organization_id)
    else:
        queryset = Task.objects.none()
    return queryset.select_related("department", "host", "principal_investigator", "field").prefetch_related(
        "budget_lines"
    )


def _proposals(request) -> QuerySet[Proposal]:
    user = _user(request)
    if user.has_perm("projects.view_proposal"):
        queryset = selectors.proposal_list_for(user)
    else:
        queryset = selectors.my_proposals(user).select_related("proposer_organization")
    return queryset.select_related("task")


def _rounds(request) -> QuerySet[ProposalRound]:
    user = _user(request)
    if not user.has_perm("projects.view_proposalround"):
        return ProposalRound.objects.none()
    return (
        selectors.round_list_for(user)
        .select_related("department")
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.order_by("code")))
    )


def _calls(request) -> QuerySet[SelectionCall]:
    user = _user(request)
    if user.has_perm("projects.view_selectioncall"):
        return selectors.call_list_for(user).select_related("department")
    return selectors.open_calls().select_related("department")


def _applications(request) -> QuerySet[SelectionApplication]:
    user = _user(request)
    if user.has_perm("projects.view_selectionapplication"):
        queryset = SelectionApplication.objects.visible_to(user)
    else:
        queryset = selectors.my_applications(user)
    return queryset.select_related("call", "task", "organization", "department")


def _get(queryset: QuerySet, public_id, what: str = "record"):
    row = queryset.filter(public_id=public_id).first()
    if row is None:
        raise HttpError(404, f"No such {what}.")
    return row


def _task(request, public_id) -> Task:
    return _get(_tasks(request), public_id, "task")


def _field(pk: int | None):
    if pk is None:
        return None
    node = ClassificationNode.objects.filter(pk=pk).first()
    if node is None:
        raise HttpError(404, "No such S&T field.")
    return node


# TASK ANSWER --------------------------------------------------------------------------------------
def _contract_out(task: Task) -> dict | None:
    budget = selectors.budget_of(task)
    contract = getattr(task, "contract", None)
    if contract is None:
        return None
    return {
        "number": contract.number,
        "signed_on": contract.signed_on,
        "total": contract.total,
        "starts_on": contract.starts_on,
        "ends_on": contract.ends_on,
        "paid": budget.paid,
        "tranches": [
            {
                "sequence": row.tranche.sequence,
                "planned_amount": row.tranche.planned_amount,
                "condition": row.tranche.condition,
                "due_on": row.tranche.due_on,
                "paid": row.paid,
            }
            for row in budget.tranches
        ],
    }


def _task_out(task: Task, user) -> dict:
    """The task as the caller sees it now, with what it may do next."""
    task = Task.objects.select_related(
        "department", "host", "principal_investigator", "field", "proposal", "round"
    ).get(pk=task.pk)
    contract = getattr(task, "contract", None)
    return {
        **TaskOut.model_validate(task).model_dump(),
        "version": task.version,
        "assignment_mode": task.assignment_mode,
        "objectives": task.objectives,
        "expected_products": task.expected_products,
        "proposal": task.proposal.public_id if task.proposal_id else None,
        "round": task.round.public_id if task.round_id else None,
        "host_id": task.host.public_id if task.host_id else None,
        "principal_investigator_id": task.principal_investigator.public_id if task.principal_investigator_id else None,
        "contract": _contract_out(task),
        "amendments": list(contract.amendments.all()) if contract else [],
        "deliverables": list(task.deliverables.all()),
        "reports": list(task.progress_reports.all()),
        "checks": list(task.progress_checks.all()),
        "acceptances": list(task.acceptances.all()),
        "results": selectors.results_of(task),
        "transitions": [{"name": t.name, "label": t.display} for t in available_transitions(task, user)],
    }


def _task_answer(request, task: Task) -> dict:
    return _task_out(task, _user(request))


# TASKS --------------------------------------------------------------------------------------------
@router.get("/tasks", response={200: list[TaskOut], **LIST_RESPONSES}, url_name="projects_task_list")
@paginate(LimitOffset)
def task_list(request, filters: Query[TaskFilter]):
    """Tasks the caller may see; `q` searches title, code, host and investigator ignoring diacritics."""
    queryset = _tasks(request).order_by("-start_on", "code", "pk")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.year:
        queryset = queryset.filter(start_on__year=filters.year)
    if normalize(filters.q):
        queryset = search_filter(queryset, normalize(filters.q))
    return queryset


@router.post("/tasks", response={201: TaskDetailOut, **WRITE}, url_name="projects_task_create")
def task_create(request, data: TaskIn):
    """The officer records a task without a proposal of this system (a national task run in the
    province, a grassroots task...). Usually tasks come from an approved round (/rounds/{id}/approve)."""
    user = _user(request)
    if not can(user, "projects.add_task", user.department_id):
        raise _forbidden()
    values = data.model_dump(exclude={"budget", "field"})
    with _answers(locations={f"budget_{s}": [*BODY, "budget", s] for s in FundingSource.values}):
        task = services.task_create(
            actor=user, department=user.department, field=_field(data.field), budget=data.budget.as_map(), **values
        )
    return Status(201, _task_answer(request, task))


@router.get("/tasks/{public_id}", response={200: TaskDetailOut, **DETAIL_RESPONSES}, url_name="projects_task_detail")
def task_detail(request, public_id: UUID):
    """The task with its contract, tranches and payments, amendments, deliverables, progress reports
    and checks, acceptances, results with their registration, and the status changes the caller may make."""
    return _task_answer(request, _task(request, public_id))


def _staff_task(request, public_id, perm: str) -> Task:
    """A task for a staff action: 404 if the caller may not see it, 403 without `perm` on it."""
    task = _task(request, public_id)
    if not can(_user(request), perm, task.department_id):
        raise _forbidden()
    return task


@router.post("/tasks/{public_id}/assign", response={200: TaskDetailOut, **WRITE}, url_name="projects_task_assign")
def task_assign(request, public_id: UUID, data: AssignIn):
    """The leader approves the host, the principal investigator, the budget by source and the time. A
    competitively selected task goes to the selected applicant only."""
    task = _staff_task(request, public_id, "projects.approve_task")
    user = _user(request)
    host = _get(Organization.objects.visible_to(user), data.host, "organisation")
    person = _get(Person.objects.visible_to(user), data.principal_investigator, "person")
    with _answers(locations={f"budget_{s}": [*BODY, "budget", s] for s in FundingSource.values}):
        services.task_assign(
            actor=user,
            task=task,
            host=host,
            principal_investigator=person,
            start_on=data.start_on,
            end_on=data.end_on,
            budget=data.budget.as_map(),
        )
    return _task_answer(request, task)


@router.post("/tasks/{public_id}/contract", response={201: TaskDetailOut, **WRITE}, url_name="projects_contract_sign")
def contract_sign(request, public_id: UUID, data: ContractIn):
    """Sign the contract with its tranches; its value is the state-budget part of the approved budget."""
    task = _task(request, public_id)
    with _answers():
        services.contract_sign(
            actor=_user(request),
            task=task,
            number=data.number,
            signed_on=data.signed_on,
            total=data.total,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            tranches=[t.model_dump() for t in data.tranches],
        )
    return Status(201, _task_answer(request, task))


@router.post("/tasks/{public_id}/tranches", response={201: TrancheOut, **WRITE}, url_name="projects_tranche_add")
def tranche_add(request, public_id: UUID, data: TrancheIn):
    """Add a tranche to the contract (the tranches never add up to more than its value)."""
    task = _task(request, public_id)
    with _answers():
        tranche = services.tranche_add(
            actor=_user(request),
            task=task,
            planned_amount=data.planned_amount,
            condition=data.condition,
            due_on=data.due_on,
        )
    return Status(
        201,
        {
            "sequence": tranche.sequence,
            "planned_amount": tranche.planned_amount,
            "condition": tranche.condition,
            "due_on": tranche.due_on,
            "paid": 0,
        },
    )


@router.post(
    "/tasks/{public_id}/disbursements",
    response={201: DisbursementOut, **WRITE},
    url_name="projects_disbursement_record",
)
def disbursement_record(request, public_id: UUID, data: DisbursementIn):
    """A payment against a tranche; refused (422 at `amount`) when it would take the tranche over its
    planned amount."""
    task = _task(request, public_id)
    contract = getattr(task, "contract", None)
    if contract is None:
        raise HttpError(409, "The task has no contract yet.")
    tranche = contract.tranches.filter(sequence=data.tranche).first()
    if tranche is None:
        raise _invalid("tranche", "The contract has no such tranche.", "unknown")
    with _answers():
        disbursement = services.disbursement_record(
            actor=_user(request), tranche=tranche, amount=data.amount, paid_on=data.paid_on, reference=data.reference
        )
    return Status(201, disbursement)


def _plain(request, public_id, action) -> dict:
    task = _task(request, public_id)
    with _answers():
        action(actor=_user(request), task=task)
    return _task_answer(request, task)


TRANSITION = {200: TaskDetailOut, **WRITE}


@router.post("/tasks/{public_id}/start", response=TRANSITION, url_name="projects_task_start")
def task_start(request, public_id: UUID):
    """Contracted -> in progress."""
    return _plain(request, public_id, services.task_start)


@router.post(
    "/tasks/{public_id}/submit-for-acceptance", response=TRANSITION, url_name="projects_task_submit_for_acceptance"
)
def task_submit_for_acceptance(request, public_id: UUID):
    """The host's acceptance dossier is received: in progress (or extended) -> submitted for acceptance."""
    return _plain(request, public_id, services.task_submit_for_acceptance)


@router.post("/tasks/{public_id}/close", response=TRANSITION, url_name="projects_task_close")
def task_close(request, public_id: UUID):
    """A failed task is closed once its refund is settled (leader)."""
    return _plain(request, public_id, services.task_close)


@router.post("/tasks/{public_id}/liquidate", response=TRANSITION, url_name="projects_task_liquidate")
def task_liquidate(request, public_id: UUID):
    """Liquidate the contract (leader): every result must be registered (certified or stored)."""
    return _plain(request, public_id, services.task_liquidate)


@router.post("/tasks/{public_id}/cancel", response=TRANSITION, url_name="projects_task_cancel")
def task_cancel(request, public_id: UUID, data: ReasonIn):
    """Cancel a task before its acceptance (leader), with the reason."""
    task = _task(request, public_id)
    with _answers():
        services.task_cancel(actor=_user(request), task=task, reason=data.reason)
    return _task_answer(request, task)


# Amendments -----------------------------------------------------------------------------------------
@router.post(
    "/tasks/{public_id}/amendments", response={201: AmendmentOut, **WRITE}, url_name="projects_amendment_request"
)
def amendment_request(request, public_id: UUID, data: AmendmentIn):
    """The host (or the officer for it) asks for an extension (new_end_on), a content change or a budget
    change (new_total), while the task is in progress; one request waits at a time."""
    task = _task(request, public_id)
    with _answers():
        amendment = services.amendment_request(
            actor=_user(request),
            task=task,
            kind=data.kind,
            reason=data.reason,
            new_end_on=data.new_end_on,
            new_total=data.new_total,
        )
    return Status(201, amendment)


def _amendment(request, public_id, amendment_id) -> ContractAmendment:
    task = _task(request, public_id)
    amendment = ContractAmendment.objects.filter(contract__task=task, public_id=amendment_id).first()
    if amendment is None:
        raise HttpError(404, "No such amendment.")
    return amendment


@router.post(
    "/tasks/{public_id}/amendments/{amendment_id}/approve",
    response={200: AmendmentOut, **WRITE},
    url_name="projects_amendment_approve",
)
def amendment_approve(request, public_id: UUID, amendment_id: UUID, data: DecisionIn):
    """The leader approves: an extension moves the contract's and the task's end (the task is then
    extended), a budget change sets the contract's new value."""
    amendment = _amendment(request, public_id, amendment_id)
    with _answers():
        services.amendment_approve(actor=_user(request), amendment=amendment, decided_on=data.decided_on)
    amendment.refresh_from_db()
    return amendment


@router.post(
    "/tasks/{public_id}/amendments/{amendment_id}/reject",
    response={200: AmendmentOut, **WRITE},
    url_name="projects_amendment_reject",
)
def amendment_reject(request, public_id: UUID, amendment_id: UUID, data: ReasonIn):
    """The leader refuses the change, with the reason."""
    amendment = _amendment(request, public_id, amendment_id)
    with _answers():
        services.amendment_reject(actor=_user(request), amendment=amendment, reason=data.reason)
    amendment.refresh_from_db()
    return amendment


# Deliverables ---------------------------------------------------------------------------------------
@router.post(
    "/tasks/{public_id}/deliverables", response={201: DeliverableOut, **WRITE}, url_name="projects_deliverable_add"
)
def deliverable_add(request, public_id: UUID, data: DeliverableIn):
    """An item of the approved content and product schedule."""
    task = _task(request, public_id)
    with _answers():
        deliverable = services.deliverable_add(
            actor=_user(request), task=task, name=data.name, due_on=data.due_on, specification=data.specification
        )
    return Status(201, deliverable)


@router.post(
    "/tasks/{public_id}/deliverables/{deliverable_id}/delivered",
    response={200: DeliverableOut, **WRITE},
    url_name="projects_deliverable_deliver",
)
def deliverable_deliver(request, public_id: UUID, data: DeliveredIn, deliverable_id: int = Path(..., ge=1, le=2**62)):
    """Record the day the product was delivered."""
    task = _task(request, public_id)
    deliverable = Deliverable.objects.filter(task=task, pk=deliverable_id).first()
    if deliverable is None:
        raise HttpError(404, "No such deliverable.")
    with _answers():
        services.deliverable_deliver(actor=_user(request), deliverable=deliverable, delivered_on=data.delivered_on)
    return deliverable


# Progress -------------------------------------------------------------------------------------------
@router.post("/tasks/{public_id}/reports", response={201: ReportOut, **WRITE}, url_name="projects_report_submit")
def report_submit(request, public_id: UUID, data: ReportIn):
    """The host organisation (its applicant account) submits a progress report; the officer may record
    one received on paper."""
    task = _task(request, public_id)
    with _answers():
        report = services.progress_report_submit(
            actor=_user(request), task=task, period_end=data.period_end, content=data.content
        )
    return Status(201, report)


def _report(request, public_id, report_id) -> ProgressReport:
    task = _task(request, public_id)
    report = ProgressReport.objects.filter(task=task, public_id=report_id).select_related("task").first()
    if report is None:
        raise HttpError(404, "No such progress report.")
    return report


@router.post(
    "/tasks/{public_id}/reports/{report_id}/review",
    response={200: ReportOut, **WRITE},
    url_name="projects_report_review",
)
def report_review(request, public_id: UUID, report_id: UUID, data: ReviewIn):
    """The officer accepts the report, or returns it for revision (`accept: false`, with a note)."""
    report = _report(request, public_id, report_id)
    with _answers():
        services.progress_report_review(actor=_user(request), report=report, note=data.note, accept=data.accept)
    report.refresh_from_db()
    return report


@router.post(
    "/tasks/{public_id}/reports/{report_id}/resubmit",
    response={200: ReportOut, **WRITE},
    url_name="projects_report_resubmit",
)
def report_resubmit(request, public_id: UUID, report_id: UUID, data: ResubmitIn):
    """The host submits a returned report again, revised."""
    report = _report(request, public_id, report_id)
    with _answers():
        services.progress_report_resubmit(actor=_user(request), report=report, content=data.content)
    report.refresh_from_db()
    return report


@router.post("/tasks/{public_id}/checks", response={201: CheckOut, **WRITE}, url_name="projects_check_record")
def check_record(request, public_id: UUID, data: CheckIn):
    """The officer's progress check on the spot, while the task is under contract."""
    task = _task(request, public_id)
    with _answers():
        check = services.progress_check_record(
            actor=_user(request),
            task=task,
            checked_on=data.checked_on,
            findings=data.findings,
            conclusion=data.conclusion,
        )
    return Status(201, check)


# Acceptance -----------------------------------------------------------------------------------------
@router.post(
    "/tasks/{public_id}/acceptances", response={201: AcceptanceOut, **WRITE}, url_name="projects_acceptance_record"
)
def acceptance_record(request, public_id: UUID, data: AcceptanceIn):
    """The outcome of an acceptance council held on paper (a council held in OpenDOST records its own).
    At the task's level it moves the task: excellent or pass -> accepted; fail -> failed with the amount
    to refund, or extended when rework is allowed until a date."""
    task = _task(request, public_id)
    with _answers():
        acceptance = services.acceptance_record(
            actor=_user(request),
            task=task,
            level=data.level,
            classification=data.classification,
            council_ref=data.council_ref,
            held_on=data.held_on,
            refund_amount=data.refund_amount,
            rework_until=data.rework_until,
            note=data.note,
        )
    return Status(201, acceptance)


# Results --------------------------------------------------------------------------------------------
def _result(request, public_id, result_id) -> TaskResult:
    task = _task(request, public_id)
    result = (
        TaskResult.objects.filter(task=task, public_id=result_id)
        .select_related("task__department", "task__host", "field", "registration__certificate")
        .first()
    )
    if result is None:
        raise HttpError(404, "No such result.")
    return result


def _result_answer(result: TaskResult) -> TaskResult:
    return (
        TaskResult.objects.select_related("field", "registration", "registration__certificate", "task")
        .prefetch_related("applications__place")
        .get(pk=result.pk)
    )


@router.post("/tasks/{public_id}/results", response={201: TaskResultOut, **WRITE}, url_name="projects_result_add")
def result_add(request, public_id: UUID, data: ResultIn):
    """A result of an accepted task (the officer, or the host)."""
    task = _task(request, public_id)
    values = data.model_dump(exclude={"field"})
    with _answers():
        result = services.result_add(actor=_user(request), task=task, field=_field(data.field), **values)
    return Status(201, _result_answer(result))


@router.post(
    "/tasks/{public_id}/results/{result_id}/registration",
    response={201: TaskResultOut, **WRITE},
    url_name="projects_registration_submit",
)
def registration_submit(request, public_id: UUID, result_id: UUID, data: RegistrationIn):
    """The host's registration dossier of the result, complete on `received_on`: the statutory clock
    starts the next working day. Once per result (409 after)."""
    result = _result(request, public_id, result_id)
    with _answers(state_error=hasattr(result, "registration")):
        services.result_registration_submit(actor=_user(request), result=result, received_on=data.received_on)
    return Status(201, _result_answer(result))


def _registration(request, public_id, result_id):
    result = _result(request, public_id, result_id)
    registration = getattr(result, "registration", None)
    if registration is None:
        raise HttpError(404, "The result has no registration dossier.")
    return result, registration


@router.post(
    "/tasks/{public_id}/results/{result_id}/registration/certify",
    response={200: TaskResultOut, **WRITE},
    url_name="projects_registration_certify",
)
def registration_certify(request, public_id: UUID, result_id: UUID, data: CertifyIn):
    """Issue the registration certificate (numbered, QR-verifiable, never twice): its number and
    verification URL are in `registration`. When every result is registered the task is too."""
    result, registration = _registration(request, public_id, result_id)
    with _answers():
        services.result_register(
            actor=_user(request), registration=registration, storage_ref=data.storage_ref, signer_name=data.signer_name
        )
    return _result_answer(result)


@router.post(
    "/tasks/{public_id}/results/{result_id}/registration/store",
    response={200: TaskResultOut, **WRITE},
    url_name="projects_registration_store",
)
def registration_store(request, public_id: UUID, result_id: UUID, data: StoreIn):
    """Receive and store a result the Department does not certify (national task, not state-funded)."""
    result, registration = _registration(request, public_id, result_id)
    with _answers():
        services.result_store(
            actor=_user(request), registration=registration, storage_ref=data.storage_ref, note=data.note
        )
    return _result_answer(result)


@router.post(
    "/tasks/{public_id}/results/{result_id}/registration/return",
    response={200: TaskResultOut, **WRITE},
    url_name="projects_registration_return",
)
def registration_return(request, public_id: UUID, result_id: UUID, data: ReasonIn):
    """Return the dossier for completion, saying which documents are missing."""
    result, registration = _registration(request, public_id, result_id)
    with _answers():
        services.result_registration_return(actor=_user(request), registration=registration, reason=data.reason)
    return _result_answer(result)


@router.post(
    "/tasks/{public_id}/results/{result_id}/registration/resubmit",
    response={200: TaskResultOut, **WRITE},
    url_name="projects_registration_resubmit",
)
def registration_resubmit(request, public_id: UUID, result_id: UUID):
    """The host submits the completed dossier again: the statutory clock restarts."""
    result, registration = _registration(request, public_id, result_id)
    with _answers():
        services.result_registration_resubmit(actor=_user(request), registration=registration)
    return _result_answer(result)


@router.post(
    "/tasks/{public_id}/results/{result_id}/applications",
    response={201: ResultApplicationOut, **WRITE},
    url_name="projects_result_application_record",
)
def result_application_record(request, public_id: UUID, result_id: UUID, data: ResultApplicationIn):
    """A report of the result applied in practice (Mẫu 12), by the host or the officer."""
    result = _result(request, public_id, result_id)
    place = None
    if data.place is not None:
        place = AdminUnit.objects.filter(pk=data.place).first()
        if place is None:
            raise HttpError(404, "No such administrative unit.")
    with _answers():
        application = services.result_application_record(
            actor=_user(request),
            result=result,
            scale=data.scale,
            year=data.year,
            place=place,
            place_text=data.place_text,
            economic_effect=data.economic_effect,
        )
    return Status(201, application)


# PROPOSALS ----------------------------------------------------------------------------------------
@router.get("/proposals", response={200: list[ProposalOut], **LIST_RESPONSES}, url_name="projects_proposal_list")
@paginate(LimitOffset)
def proposal_list(request, filters: Query[ProposalFilter]):
    """Staff: the jurisdiction's proposals. An applicant: its organisation's."""
    queryset = _proposals(request).order_by("-created_at", "-pk")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset


def _proposal_create(request, data: ProposalIn, **proposer):
    user = _user(request)
    with _answers():
        proposal = services.proposal_create(
            actor=user,
            title=data.title,
            problem=data.problem,
            objectives=data.objectives,
            expected_results=data.expected_results,
            field=_field(data.field),
            estimated_budget=data.estimated_budget,
            submit=data.submit,
            **proposer,
        )
    return Status(201, _get(_proposals(request), proposal.public_id, "proposal"))


@router.post("/proposals", response={201: ProposalOut, **WRITE}, url_name="projects_proposal_create")
def proposal_create(request, data: ProposalIn):
    """An applicant proposes a task for its own organisation (to the department that holds its records
    today). `submit: true` submits it at once. Staff record proposals at /proposals/recorded."""
    user = _user(request)
    if user.is_department_staff or not is_applicant(user):
        raise _forbidden()
    return _proposal_create(request, data)


@router.post("/proposals/recorded", response={201: ProposalOut, **WRITE}, url_name="projects_proposal_record")
def proposal_record(request, data: RecordedProposalIn):
    """The officer records a proposal received by the department: from an organisation of the register
    (`proposer_organization`), or a commune, an agency or a person (`proposer_name` only)."""
    user = _user(request)
    if not can(user, "projects.add_proposal", user.department_id):
        raise _forbidden()
    organization = None
    if data.proposer_organization is not None:
        organization = _get(Organization.objects.visible_to(user), data.proposer_organization, "organisation")
    return _proposal_create(
        request,
        data,
        department=user.department,
        proposer_organization=organization,
        proposer_name=data.proposer_name,
    )


@router.get(
    "/proposals/{public_id}", response={200: ProposalOut, **DETAIL_RESPONSES}, url_name="projects_proposal_detail"
)
def proposal_detail(request, public_id: UUID):
    return _get(_proposals(request), public_id, "proposal")


def _proposal_action(request, public_id, action, *, staff: bool = True, **kwargs) -> Proposal:
    """`staff`: an officer's step (change_proposal on the proposal, as on its page), else the proposer's."""
    proposal = _get(_proposals(request), public_id, "proposal")
    if staff and not can(_user(request), "projects.change_proposal", proposal.department_id):
        raise _forbidden()
    with _answers():
        action(actor=_user(request), proposal=proposal, **kwargs)
    return _get(_proposals(request), public_id, "proposal")


PROPOSAL = {200: ProposalOut, **WRITE}


@router.post("/proposals/{public_id}/submit", response=PROPOSAL, url_name="projects_proposal_submit")
def proposal_submit(request, public_id: UUID):
    """The proposer submits its draft."""
    return _proposal_action(request, public_id, services.proposal_submit, staff=False)


@router.post("/proposals/{public_id}/group", response=PROPOSAL, url_name="projects_proposal_group")
def proposal_group(request, public_id: UUID, data: GroupIn):
    """The officer puts a submitted proposal into a round (open or reviewing)."""
    proposal = _get(_proposals(request), public_id, "proposal")
    user = _user(request)
    if not can(user, "projects.change_proposal", proposal.department_id):
        raise _forbidden()
    proposal_round = _get(_rounds(request), data.round, "round")
    with _answers(locations={NON_FIELD_ERRORS: ["body"]}):
        services.proposal_group(actor=user, proposal_round=proposal_round, proposals=[proposal])
    return _get(_proposals(request), public_id, "proposal")


@router.post("/proposals/{public_id}/shortlist", response=PROPOSAL, url_name="projects_proposal_shortlist")
def proposal_shortlist(request, public_id: UUID):
    """The officer shortlists a proposal of a round (after the task definition council)."""
    return _proposal_action(request, public_id, services.proposal_shortlist)


@router.post("/proposals/{public_id}/reject", response=PROPOSAL, url_name="projects_proposal_reject")
def proposal_reject(request, public_id: UUID, data: ReasonIn):
    """The officer does not retain the proposal, with the reason."""
    return _proposal_action(request, public_id, services.proposal_reject, reason=data.reason)


# ROUNDS -------------------------------------------------------------------------------------------
@router.get("/rounds", response={200: list[RoundOut], **LIST_RESPONSES}, url_name="projects_round_list")
@paginate(LimitOffset)
def round_list(request, filters: Query[RoundFilter]):
    """The jurisdiction's proposal rounds (staff)."""
    queryset = _rounds(request).order_by("-year", "-pk")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset


@router.post("/rounds", response={201: RoundOut, **WRITE}, url_name="projects_round_create")
def round_create(request, data: RoundIn):
    """The officer opens a round of proposals for ordering."""
    user = _user(request)
    with _answers():
        proposal_round = services.round_create(
            actor=user, department=user.department, year=data.year, title=data.title, closes_on=data.closes_on
        )
    return Status(201, _get(_rounds(request), proposal_round.public_id, "round"))


@router.get("/rounds/{public_id}", response={200: RoundOut, **DETAIL_RESPONSES}, url_name="projects_round_detail")
def round_detail(request, public_id: UUID):
    return _get(_rounds(request), public_id, "round")


@router.post("/rounds/{public_id}/close", response={200: RoundOut, **WRITE}, url_name="projects_round_close")
def round_close(request, public_id: UUID):
    """The officer closes the submissions: the round is reviewed."""
    proposal_round = _get(_rounds(request), public_id, "round")
    with _answers():
        services.round_close(actor=_user(request), proposal_round=proposal_round)
    return _get(_rounds(request), public_id, "round")


@router.post("/rounds/{public_id}/approve", response={200: RoundOut, **WRITE}, url_name="projects_round_approve")
def round_approve(request, public_id: UUID, data: RoundApproveIn):
    """The leader approves the ordered list: each shortlisted proposal becomes an ordered task
    (competitive selection unless listed in `direct`), the others are not retained, and the decision
    is issued: its number and verification URL are in `decision`, the new tasks in `tasks`."""
    proposal_round = _get(_rounds(request), public_id, "round")
    user = _user(request)
    if not can(user, "projects.approve_proposalround", proposal_round.department_id):
        raise _forbidden()
    direct = {p.public_id: p.pk for p in proposal_round.proposals.filter(public_id__in=data.direct)}
    unknown = [str(pid) for pid in data.direct if pid not in direct]
    if unknown:
        raise HttpError(404, f"No such proposal in this round: {', '.join(unknown)}.")
    with _answers():
        services.round_approve(
            actor=user,
            proposal_round=proposal_round,
            modes=dict.fromkeys(direct.values(), AssignmentMode.DIRECT),
            level=data.level,
            signer_name=data.signer_name,
        )
    return _get(_rounds(request), public_id, "round")


# CALLS AND APPLICATIONS ---------------------------------------------------------------------------
@router.get("/calls", response={200: list[CallOut], **LIST_RESPONSES}, url_name="projects_call_list")
@paginate(LimitOffset)
def call_list(request, filters: Query[CallFilter]):
    """Staff: the jurisdiction's calls. Anyone else: the calls open for applications now."""
    queryset = _calls(request)
    if filters.open:
        queryset = queryset.filter(status=CallStatus.PUBLISHED, deadline__gt=timezone.now())
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset.order_by("-deadline", "-pk")


@router.post("/calls", response={201: CallOut, **WRITE}, url_name="projects_call_create")
def call_create(request, data: CallIn):
    """The officer prepares a call (a draft) for ordered tasks selected competitively."""
    user = _user(request)
    if not can(user, "projects.add_selectioncall", user.department_id):
        raise _forbidden()
    visible = Task.objects.visible_to(user)
    tasks = {t.public_id: t for t in visible.filter(public_id__in=data.tasks)}
    unknown = [str(pid) for pid in data.tasks if pid not in tasks]
    if unknown:
        raise HttpError(404, f"No such task: {', '.join(unknown)}.")
    with _answers():
        call = services.call_create(
            actor=user,
            department=user.department,
            title=data.title,
            description=data.description,
            deadline=_aware(data.deadline),
            tasks=list(tasks.values()),
        )
    return Status(201, _get(_calls(request), call.public_id, "call"))


@router.get("/calls/{public_id}", response={200: CallOut, **DETAIL_RESPONSES}, url_name="projects_call_detail")
def call_detail(request, public_id: UUID):
    return _get(_calls(request), public_id, "call")


def _call_action(request, public_id, action) -> SelectionCall:
    call = _get(_calls(request), public_id, "call")
    with _answers():
        action(actor=_user(request), call=call)
    return _get(_calls(request), public_id, "call")


@router.post("/calls/{public_id}/publish", response={200: CallOut, **WRITE}, url_name="projects_call_publish")
def call_publish(request, public_id: UUID):
    """Publish the call on the portal: its tasks are now being selected."""
    return _call_action(request, public_id, services.call_publish)


@router.post("/calls/{public_id}/close", response={200: CallOut, **WRITE}, url_name="projects_call_close")
def call_close(request, public_id: UUID):
    """Close the call."""
    return _call_action(request, public_id, services.call_close)


@router.post(
    "/calls/{public_id}/applications",
    response={201: ApplicationOut, **WRITE},
    url_name="projects_application_create",
)
def application_create(request, public_id: UUID, data: ApplicationIn):
    """An applicant applies, for its organisation, for a task of an open call (once per task);
    `submit: true` submits at once, otherwise a draft to submit before the deadline."""
    call = _get(_calls(request), public_id, "call")
    task = call.tasks.filter(public_id=data.task).first()
    if task is None:
        raise HttpError(404, "No such task in this call.")
    values = data.model_dump(exclude={"task"})
    with _answers():
        application = services.application_create(actor=_user(request), call=call, task=task, **values)
    return Status(201, _get(_applications(request), application.public_id, "application"))


@router.get(
    "/applications", response={200: list[ApplicationOut], **LIST_RESPONSES}, url_name="projects_application_list"
)
@paginate(LimitOffset)
def application_list(request, filters: Query[ApplicationFilter]):
    """Staff: the jurisdiction's applications. An applicant: its organisation's."""
    queryset = _applications(request).order_by("-created_at", "-pk")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.call:
        queryset = queryset.filter(call__public_id=filters.call)
    return queryset


@router.get(
    "/applications/{public_id}",
    response={200: ApplicationOut, **DETAIL_RESPONSES},
    url_name="projects_application_detail",
)
def application_detail(request, public_id: UUID):
    return _get(_applications(request), public_id, "application")


@router.post(
    "/applications/{public_id}/submit",
    response={200: ApplicationOut, **WRITE},
    url_name="projects_application_submit",
)
def application_submit(request, public_id: UUID):
    """The applicant submits its draft before the call's deadline."""
    application = _get(_applications(request), public_id, "application")
    with _answers():
        services.application_submit(actor=_user(request), application=application)
    return _get(_applications(request), public_id, "application")


@router.post(
    "/applications/{public_id}/selection",
    response={200: ApplicationOut, **WRITE},
    url_name="projects_selection_record",
)
def selection_record(request, public_id: UUID, data: SelectionIn):
    """The officer records the selection council's result (held on paper; a council held in OpenDOST
    records its own): at most one selected application per task (409)."""
    application = _get(_applications(request), public_id, "application")
    with _answers():
        services.selection_result_record(
            actor=_user(request),
            application=application,
            selected=data.selected,
            score=data.score,
            council_ref=data.council_ref,
        )
    return _get(_applications(request), public_id, "application")


# PUBLISHED RESULTS --------------------------------------------------------------------------------
@router.get("/results", response={200: list[ResultOut], **LIST_RESPONSES}, url_name="projects_result_list")
@paginate(LimitOffset)
def result_list(request, filters: Query[ResultFilter]):
    """Published results (accepted tasks, registered)."""
    queryset = selectors.public_results()
    if filters.year:
        queryset = queryset.filter(Q(year=filters.year))
    if normalize(filters.q):
        queryset = search_filter(queryset, normalize(filters.q))
    return queryset


@router.get("/results/{public_id}", response={200: ResultOut, **DETAIL_RESPONSES}, url_name="projects_result_detail")
def result_detail(request, public_id: UUID):
    try:
        return selectors.public_results().get(public_id=public_id)
    except selectors.TaskResult.DoesNotExist as exc:
        raise Http404 from exc


# COUNCILS -----------------------------------------------------------------------------------------
# Forming a council from the records it judges (opendost/projects/council_links.py); members, criteria,
# scoring and closing are the councils API's (/api/v1/councils).


class CouncilStartIn(Schema):
    name: Annotated[str, Field(max_length=255, pattern=NO_NUL)] = ""
    meeting_on: IsoDate | None = None
    rules_version: Annotated[str, Field(max_length=40, pattern=NO_NUL)] = ""


class AcceptanceCouncilIn(CouncilStartIn):
    level: AcceptanceLevel


class CouncilFormedOut(Schema):
    public_id: UUID
    name: str
    purpose: str
    status: str
    rules_version: str
    items: int


class CouncilAppliedOut(Schema):
    recorded: list[str]
    pending: list[str]


def _formed(council) -> CouncilFormedOut:
    return CouncilFormedOut(
        public_id=council.public_id,
        name=council.name,
        purpose=council.purpose,
        status=council.status,
        rules_version=council.rules_version,
        items=council.items.count(),
    )


@router.post(
    "/rounds/{public_id}/council", response={201: CouncilFormedOut, **WRITE}, url_name="projects_round_council"
)
def round_council(request, public_id: UUID, data: CouncilStartIn):
    """Form the task definition council of a round under review: its grouped proposals are the items."""
    proposal_round = _get(_rounds(request), public_id, "round")
    with _answers():
        council = council_links.definition_council_start(
            actor=_user(request), proposal_round=proposal_round, **data.model_dump()
        )
    return Status(201, _formed(council))


@router.post("/calls/{public_id}/council", response={201: CouncilFormedOut, **WRITE}, url_name="projects_call_council")
def call_council(request, public_id: UUID, data: CouncilStartIn):
    """Form the selection council of a call after its deadline: its submitted applications are the items."""
    call = _get(_calls(request), public_id, "call")
    with _answers():
        council = council_links.selection_council_start(actor=_user(request), call=call, **data.model_dump())
    return Status(201, _formed(council))


@router.post(
    "/tasks/{public_id}/councils", response={201: CouncilFormedOut, **WRITE}, url_name="projects_task_council"
)
def task_council(request, public_id: UUID, data: AcceptanceCouncilIn):
    """Form a grassroots or final acceptance council of the task."""
    task = _task(request, public_id)
    values = data.model_dump()
    with _answers():
        council = council_links.acceptance_council_start(actor=_user(request), task=task, **values)
    return Status(201, _formed(council))


@router.post(
    "/councils/{public_id}/apply", response={200: CouncilAppliedOut, **WRITE}, url_name="projects_council_apply"
)
def council_apply(request, public_id: UUID):
    """Carry a closed council's outcome over to the records it judged (safe to repeat; done on closing
    too). A failed final acceptance stays pending: record it with its consequence (refund or rework)."""
    from opendost.councils.models import Council

    user = _user(request)
    council = _get(Council.objects.visible_to(user), public_id, "council")
    with _answers():
        report = council_links.council_outcome_apply(actor=user, council=council)
    return CouncilAppliedOut(recorded=report.recorded, pending=report.pending)
