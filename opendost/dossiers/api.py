"""The one-stop dossier engine over /api/v1/dossiers (mounted through DossiersConfig.api_routers).

Thin like the views: selectors read (and scope: a dossier the caller may not see is a 404), services
write and hold every rule. The services' exceptions become JSON answers in one place (`_answers`):

    PermissionDenied                              403 {"detail": "..."}
    Http404                                       404 {"detail": "Not found."}   (opendost/api/urls.py)
    TransitionNotAllowed, ConcurrentTransition,
    EditConflict, a rule about the dossier's state 409 {"detail": "..."}
    any other ValidationError                     422 {"detail": [{"type", "loc", "msg"}, ...]}

Authentication: a bearer token, or the session with CSRF checked on unsafe methods (as the rest of
the API); an anonymous request always gets 401, also on POST.
"""

import datetime as dt
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import BeforeValidator, Field

from opendost.accounts.models import User
from opendost.api import auth as api_auth
from opendost.api.inputs import (
    IsoDate,
    JsonInt,
    PublicId,
    QueryBool,
    json_int,
)
from opendost.api.pagination import LimitOffset
from opendost.api.schemas import ErrorOut, ValidationErrorOut
from opendost.common.locking import EditConflict
from opendost.common.text import fold
from opendost.departments.models import Unit
from opendost.dossiers import permissions as perms
from opendost.dossiers import selectors, services
from opendost.dossiers.enums import (
    ApplicantKind,
    Channel,
    DossierStatus,
    OnlineLevel,
    Recommendation,
    Satisfaction,
    VersionStatus,
)
from opendost.dossiers.models import Dossier, Procedure, ProcedureVersion, SupplementRequest
from opendost.subjects.models import Organization
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.selectors import available_transitions

# The kernel's session auth answers 401 to anonymous callers and checks CSRF for logged-in sessions.
router = Router(tags=["dossiers"], auth=[api_auth.ApiTokenAuth(), api_auth.StaffSessionAuth()])

READ = {401: ErrorOut, 422: ValidationErrorOut}
READ_ONE = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
# 400: a body that is not JSON (or not multipart) at all.
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}
WORKLIST_SIZE = 50

# ValidationError codes of the services that say "not in this state": a conflict, not bad input.
STATE_CODES = frozenset(
    {"not_editable", "not_open", "wrong_state", "not_finished", "rated", "no_request", "fee_unpaid"}
)
ATTACHABLE = frozenset({DossierStatus.DRAFT, DossierStatus.RETURNED, DossierStatus.SUPPLEMENT_REQUESTED})


# ERRORS -------------------------------------------------------------------------------------------


# Where ninja locates a problem in a JSON body (the parameter is called `data`); a problem that is not
# about one field (e.g. documents missing at submission) is located at ["body"].
BODY = ("body", "data")


def _problems(error: DjangoValidationError, *, locations: dict[str, list[str]]) -> list[dict]:
    """A Django ValidationError in the documented 422 shape; `locations` maps a field the service names
    to where it is in the request (by default, that name in the JSON body)."""
    problems = []
    pairs = error.error_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, error.error_list)]
    for name, errors in pairs:
        loc = ["body"] if name == NON_FIELD_ERRORS else locations.get(name, [*BODY, name])
        for item in errors:
            problems += [{"type": item.code or "invalid", "loc": loc, "msg": str(m)} for m in item.messages]
    return problems


@contextmanager
def _answers(
    *, locations: dict[str, list[str]] | None = None, body: type[Schema] | None = None, state_error: bool = False
):
    """Turn the services' exceptions into the documented answers. `locations`: where a field the service
    names is in the request; `body`: the request schema, whose other field names are the procedure's own
    fields (located under body.data.payload); `state_error`: the dossier was not in a state the action
    accepts, so a ValidationError the service raises is a 409."""
    try:
        yield
    except TransitionNotAllowed as error:  # ConcurrentTransition too
        raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
    except EditConflict as error:
        raise HttpError(409, error.message) from None
    except PermissionDenied:
        raise HttpError(403, "You may not do this with this dossier.") from None
    except DjangoValidationError as error:
        codes = {item.code for items in _error_lists(error) for item in items}
        if state_error or codes & STATE_CODES:
            raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
        where = dict(locations or {})
        if body is not None:
            for name in getattr(error, "error_dict", {}):
                if name not in body.model_fields and name != NON_FIELD_ERRORS:
                    where.setdefault(name, [*BODY, "payload", name])
        raise NinjaValidationError(_problems(error, locations=where)) from None


def _error_lists(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return list(error.error_dict.values())
    return [error.error_list]


def _invalid(field: str, message: str, code: str = "invalid"):
    return NinjaValidationError([{"type": code, "loc": [*BODY, field], "msg": message}])


# SCHEMAS ------------------------------------------------------------------------------------------


class RequiredDocumentOut(Schema):
    code: str
    name: str
    copy_kind: str = Field(description="original, copy or certified copy, as the procedure says")
    required: bool


class ProcedureStepOut(Schema):
    code: str
    name: str
    days: int = Field(description="Working days of the step")


class ProcedureVersionOut(Schema):
    public_id: UUID
    number: int
    status: VersionStatus
    regime: str
    legal_basis: str
    effective_from: dt.date
    effective_to: dt.date | None
    online_level: OnlineLevel
    deadline_unit: str
    deadline_count: int
    start_rule: str
    pause_on_supplement: bool
    intake_check_days: int
    fee_amount: int = Field(description="VND")
    fee_note: str
    required_documents: list[RequiredDocumentOut]
    steps: list[ProcedureStepOut]
    output_name: str


class ProcedureOut(Schema):
    public_id: UUID
    code: str
    local_code: str
    name: str
    sector: str
    version: ProcedureVersionOut = Field(description="The version in force today")


class ProcedureDetailOut(Schema):
    public_id: UUID
    code: str
    local_code: str
    name: str
    sector: str
    version_in_force: int | None = Field(description="Number of the version in force today")
    versions: list[ProcedureVersionOut]


class ProcedureRef(Schema):
    public_id: UUID
    local_code: str
    name: str
    version: int


class UnitRef(Schema):
    id: int
    code: str
    name: str


class OfficerRef(Schema):
    public_id: UUID
    username: str
    full_name: str


class DossierBase(Schema):
    public_id: UUID
    code: str
    status: DossierStatus
    status_label: str
    procedure: ProcedureRef
    channel: Channel
    applicant_name: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_date: dt.date | None
    rescheduled_due_date: dt.date | None
    finished_at: dt.datetime | None
    timeliness: str | None
    assigned_unit: UnitRef | None
    assigned_officer: OfficerRef | None


class DossierListOut(DossierBase):
    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_procedure(obj) -> dict:
        version = obj.procedure_version
        procedure = version.procedure
        return {
            "public_id": procedure.public_id,
            "local_code": procedure.local_code,
            "name": procedure.name,
            "version": version.number,
        }

    @staticmethod
    def resolve_timeliness(obj) -> str | None:
        return obj.timeliness()


class ApplicantOut(Schema):
    kind: ApplicantKind
    name: str
    address: str
    phone: str
    email: str
    organization: UUID | None = Field(description="public_id of the organisation in the subject register")


class DossierStepOut(Schema):
    position: int
    code: str
    name: str
    due_date: dt.date
    done_at: dt.datetime | None


class SupplementOut(Schema):
    requested_at: dt.datetime
    items: str
    resumed_at: dt.datetime | None
    applicant_note: str
    pauses_clock: bool


class DelayOut(Schema):
    issued_at: dt.datetime
    previous_due_date: dt.date
    new_due_date: dt.date
    reason: str


class AttachmentOut(Schema):
    public_id: UUID
    requirement: str
    name: str
    original_name: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    for_supplement: bool

    @staticmethod
    def resolve_for_supplement(obj) -> bool:
        return obj.supplement_id is not None


class ResultDocumentOut(Schema):
    number_symbol: str
    doc_kind: str
    issued_on: dt.date
    valid_until: dt.date | None
    verification_url: str


class RatingOut(Schema):
    score: Satisfaction
    comment: str


class TransitionOut(Schema):
    name: str
    label: str


class FeeOut(Schema):
    amount: int
    receipt_number: str
    paid_on: dt.date


class DossierOut(DossierBase):
    version: int = Field(description="Row version: send it back as expected_version to edit a draft")
    applicant: ApplicantOut
    payload: dict[str, Any]
    note: str
    intake_due_date: dt.date | None
    fee: FeeOut | None = Field(description="The fees paid, as on the receipt (null while unpaid)")
    deemed_received_on: dt.date | None = Field(description="The day the statutory clock counts from")
    returned_at: dt.datetime | None
    effective_due_date: dt.date | None = Field(description="The new appointment date if any, else the due date")
    recommendation: str = Field(description="The officer's proposal (staff only)")
    recommendation_note: str = Field(description="The officer's opinion (staff only)")
    decision_reason: str
    missing_documents: list[str] = Field(description="Codes of required documents without a file")
    steps: list[DossierStepOut]
    supplements: list[SupplementOut]
    delays: list[DelayOut]
    attachments: list[AttachmentOut]
    result_document: ResultDocumentOut | None
    rating: RatingOut | None
    transitions: list[TransitionOut] = Field(description="The actions the caller may take now")


class TimelineOut(Schema):
    at: dt.datetime
    label: str
    note: str


class WorklistBucket(Schema):
    items: list[DossierListOut]
    more: bool = Field(description=f"More than {WORKLIST_SIZE} dossiers wait: the list shows the first")


class WorklistOut(Schema):
    intake: WorklistBucket | None = None
    to_return: WorklistBucket | None = None
    to_assign: WorklistBucket | None = None
    to_handle: WorklistBucket | None = None
    to_decide: WorklistBucket | None = None


class StatRowOut(Schema):
    key: str
    label: str
    received: int
    early: int
    on_time: int
    late: int
    in_progress: int
    in_progress_late: int
    finished: int
    on_time_rate: float | None


class StatisticsOut(Schema):
    date_from: dt.date
    date_to: dt.date
    group_by: str
    rows: list[StatRowOut]
    total: StatRowOut


# INPUT TYPES: opendost/api/inputs.py; this router's own bounds below.
UnitId = Annotated[int, Field(ge=1, le=2**62), BeforeValidator(json_int)]


class ProcedureFilter(Schema):
    q: str = Field("", max_length=200, description="Code or name, ignoring diacritics")
    sector: str = Field("", max_length=200)


class DossierFilter(Schema):
    status: DossierStatus | None = None
    procedure: PublicId | None = Field(None, description="public_id of the procedure")
    q: str = Field("", max_length=200, description="Dossier code or applicant name")
    late: QueryBool = Field(False, description="Open dossiers past their due date (staff)")
    mine: QueryBool = Field(False, description="Dossiers assigned to the caller (staff)")


class StatisticsGroup(StrEnum):
    PROCEDURE = "procedure"
    UNIT = "unit"
    OFFICER = "officer"


class StatisticsFilter(Schema):
    date_from: IsoDate | None = Field(None, description="Received from (default: 1 January of this year)")
    date_to: IsoDate | None = Field(None, description="Received until (default: today)")
    group_by: StatisticsGroup = StatisticsGroup.PROCEDURE


class ApplicantIn(Schema):
    applicant_kind: ApplicantKind | None = None
    applicant_name: str | None = Field(None, max_length=255)
    applicant_address: str | None = Field(None, max_length=500)
    applicant_phone: str | None = Field(None, max_length=30)
    applicant_email: str | None = Field(None, max_length=254)
    note: str | None = Field(None, max_length=5000)

    def applicant_values(self) -> dict[str, Any]:
        return {name: value for name in services.APPLICANT_FIELDS if (value := getattr(self, name)) is not None}


class DossierCreateIn(ApplicantIn):
    procedure: PublicId = Field(description="public_id of the procedure (its version in force today applies)")
    organization: PublicId | None = Field(None, description="public_id of the applicant's organisation")
    channel: Channel = Field(Channel.ONLINE, description="Counter and post: the desk only")
    payload: dict[str, Any] = Field(default_factory=dict, description="The procedure's own fields")


class DossierDraftIn(ApplicantIn):
    expected_version: JsonInt = Field(ge=1, le=2_000_000_000, description="The `version` the client read")
    payload: dict[str, Any] | None = None


class TransitionName(StrEnum):
    RECEIVE = "receive"
    RETURN_FOR_COMPLETION = "return_for_completion"
    REFUSE_INTAKE = "refuse_intake"
    ASSIGN = "assign"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    PROPOSE = "propose"
    SEND_BACK = "send_back"
    APPROVE = "approve"
    REJECT = "reject"
    ISSUE_RESULT = "issue_result"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"


class TransitionIn(Schema):
    """The fields each action reads; the others are ignored."""

    reason: str = Field(
        "", max_length=5000, description="return_for_completion, refuse_intake, send_back, reject, withdraw"
    )
    items: str = Field("", max_length=5000, description="request_supplement: what is missing")
    note: str = Field("", max_length=5000, description="supplement, propose, approve")
    recommendation: Recommendation | None = Field(None, description="propose")
    unit: UnitId | None = Field(None, description="assign: id of the unit")
    officer: PublicId | None = Field(None, description="assign: public_id of the officer")


class DelayIn(Schema):
    new_due_date: IsoDate
    reason: str = Field(max_length=5000)


class FeeIn(Schema):
    amount: JsonInt = Field(ge=1, le=10**12, description="VND")
    receipt_number: str = Field(min_length=1, max_length=60, pattern=r"^[^\x00]*\S[^\x00]*$")
    paid_on: IsoDate


class RatingIn(Schema):
    score: JsonInt = Field(ge=1, le=3, description="3 very satisfied, 2 satisfied, 1 not satisfied")
    comment: str = Field("", max_length=5000)


# READS --------------------------------------------------------------------------------------------


def _documents(version: ProcedureVersion) -> list[dict]:
    return [
        {
            "code": str(d.get("code", "")),
            "name": str(d.get("name", "")),
            "copy_kind": str(d.get("copy", "")),
            "required": bool(d.get("required", True)),
        }
        for d in version.required_documents
        if isinstance(d, dict)
    ]


def _steps(version: ProcedureVersion) -> list[dict]:
    return [
        {"code": str(s.get("code", "")), "name": str(s.get("name", "")), "days": int(s.get("days") or 0)}
        for s in version.steps
        if isinstance(s, dict)
    ]


def _version_out(version: ProcedureVersion) -> dict:
    names = ProcedureVersionOut.model_fields.keys() - {"required_documents", "steps"}
    return {
        **{name: getattr(version, name) for name in names},
        "required_documents": _documents(version),
        "steps": _steps(version),
    }


def _procedure_out(procedure: Procedure, **extra) -> dict:
    return {
        "public_id": procedure.public_id,
        "code": procedure.code,
        "local_code": procedure.local_code,
        "name": procedure.name,
        "sector": procedure.sector,
        **extra,
    }


def _is_staff(user) -> bool:
    return user.is_department_staff


def _dossier_out(dossier: Dossier, user) -> dict:
    """The dossier as `user` (staff of its jurisdiction, or its applicant) may see it."""
    staff = _is_staff(user)
    document = dossier.result_document
    rating = getattr(dossier, "rating", None)
    supplements = list(dossier.supplements.all())
    attachments = list(dossier.attachments.all())
    attached = {a.requirement for a in attachments}
    show_reason = staff or dossier.status in {
        DossierStatus.RETURNED,
        DossierStatus.REFUSED_AT_INTAKE,
        DossierStatus.REJECTED,
        DossierStatus.WITHDRAWN,
    }
    return {
        **DossierListOut.model_validate(dossier).model_dump(),
        "version": dossier.version,
        "applicant": {
            "kind": dossier.applicant_kind,
            "name": dossier.applicant_name,
            "address": dossier.applicant_address,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "organization": dossier.applicant_organization.public_id if dossier.applicant_organization else None,
        },
        "payload": dossier.payload if isinstance(dossier.payload, dict) else {},
        "note": dossier.note,
        "intake_due_date": dossier.intake_due_date,
        "fee": (
            {"amount": dossier.fee_amount, "receipt_number": dossier.fee_receipt, "paid_on": dossier.fee_paid_on}
            if dossier.fee_paid_on
            else None
        ),
        "deemed_received_on": dossier.clock_start_date,
        "returned_at": dossier.returned_at,
        "effective_due_date": dossier.effective_due_date,
        "recommendation": dossier.recommendation if staff else "",
        "recommendation_note": dossier.recommendation_note if staff else "",
        "decision_reason": dossier.decision_reason if show_reason else "",
        "missing_documents": [
            d["code"]
            for d in dossier.procedure_version.required_documents
            if d.get("required", True) and d.get("code") not in attached
        ],
        "steps": list(dossier.steps.all()),
        "supplements": supplements,
        "delays": list(dossier.delays.all()),
        "attachments": attachments,
        "result_document": (
            {
                "number_symbol": document.number_symbol,
                "doc_kind": document.doc_kind,
                "issued_on": document.issued_on,
                "valid_until": document.valid_until,
                "verification_url": settings.SITE_URL.rstrip("/") + document.get_verification_path(),
            }
            if document is not None
            else None
        ),
        "rating": rating,
        "transitions": [{"name": t.name, "label": t.display} for t in available_transitions(dossier, user)],
    }


def _dossier(request, public_id: UUID) -> Dossier:
    return selectors.dossier_for(user=request.auth, public_id=public_id)


def _detail(request, public_id: UUID) -> dict:
    """Read the dossier again after a write: what the caller sees now, with its fresh transitions."""
    return _dossier_out(_dossier(request, public_id), request.auth)


@router.get("/procedures", response={200: list[ProcedureOut], **READ}, url_name="dossier_procedure_list")
@paginate(LimitOffset)
def procedure_list(request, filters: Query[ProcedureFilter]):
    """The catalogue in force today: each procedure with the published version that applies to a dossier
    started now (deadline, fee, documents, steps)."""
    folded = fold(filters.q)
    rows = []
    for version in selectors.procedures_in_force():
        procedure = version.procedure
        if folded and folded not in fold(f"{procedure.local_code} {procedure.name}"):
            continue
        if filters.sector and fold(filters.sector) != fold(procedure.sector):
            continue
        rows.append(_procedure_out(procedure, version=_version_out(version)))
    return rows


@router.get(
    "/procedures/{public_id}", response={200: ProcedureDetailOut, **READ_ONE}, url_name="dossier_procedure_detail"
)
def procedure_detail(request, public_id: UUID):
    """One procedure with all its versions (drafts only for those who publish versions)."""
    procedure = selectors.procedure_get(public_id)
    versions = procedure.versions.order_by("-number")
    if not request.auth.has_perm("dossiers.publish_procedure"):
        versions = versions.exclude(status=VersionStatus.DRAFT)
    versions = list(versions)
    if not versions:
        raise Http404
    try:
        in_force = services.version_in_force(procedure).number
    except DjangoValidationError:
        in_force = None
    return _procedure_out(procedure, version_in_force=in_force, versions=[_version_out(v) for v in versions])


@router.get("/worklist", response={200: WorklistOut, **READ}, url_name="dossier_worklist")
def worklist(request):
    """What waits for the caller, by kind of action, each ordered by due date (the first 50)."""
    result = {}
    for key, queryset in selectors.worklist(user=request.auth).items():
        rows = list(queryset[: WORKLIST_SIZE + 1])
        result[key] = {"items": rows[:WORKLIST_SIZE], "more": len(rows) > WORKLIST_SIZE}
    return result


@router.get("/statistics", response={200: StatisticsOut, 403: ErrorOut, **READ}, url_name="dossier_statistics")
def statistics(request, filters: Query[StatisticsFilter]):
    """Dossiers received in the period, by procedure, unit or officer: finished early / on time / late,
    in progress / overdue. An empty period gives no rows."""
    if not perms.can_view_statistics(request.auth):
        raise HttpError(403, "You may not see the dossier statistics.")
    today = timezone.localdate()
    date_to = filters.date_to or today
    date_from = filters.date_from or date_to.replace(month=1, day=1)
    rows = selectors.statistics(
        user=request.auth, date_from=date_from, date_to=date_to, group_by=filters.group_by.value, today=today
    )

    def out(row):
        return {**{name: getattr(row, name) for name in StatRowOut.model_fields}}

    return {
        "date_from": date_from,
        "date_to": date_to,
        "group_by": filters.group_by.value,
        "rows": [out(row) for row in rows],
        "total": out(selectors.statistics_total(rows)),
    }


@router.get("", response={200: list[DossierListOut], **READ}, url_name="dossier_list")
@paginate(LimitOffset)
def dossier_list(request, filters: Query[DossierFilter]):
    """Staff: the dossiers of the caller's department (no drafts). Applicants: their own dossiers."""
    user = request.auth
    procedure = None
    if filters.procedure is not None:
        procedure = Procedure.objects.filter(public_id=filters.procedure).first()
        if procedure is None:
            return Dossier.objects.none()
    if _is_staff(user):
        return selectors.dossier_list(
            user=user,
            status=filters.status or "",
            procedure=procedure,
            q=filters.q,
            late=filters.late,
            mine=filters.mine,
        )
    qs = selectors.applicant_dossiers(user=user).select_related(*selectors.LIST_RELATED)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if procedure is not None:
        qs = qs.filter(procedure_version__procedure=procedure)
    if q := filters.q.strip():
        qs = qs.filter(code__icontains=q)
    return qs


@router.get("/{public_id}", response={200: DossierOut, **READ_ONE}, url_name="dossier_detail")
def dossier_detail(request, public_id: UUID):
    """The dossier with its clock, steps, supplements, apology slips, files, result and the actions the
    caller may take. 404 for anyone who is neither its applicant nor staff of its jurisdiction."""
    return _detail(request, public_id)


@router.get("/{public_id}/timeline", response={200: list[TimelineOut], **READ_ONE}, url_name="dossier_timeline")
def dossier_timeline(request, public_id: UUID):
    """Each status change; the applicant sees no names and no internal notes."""
    dossier = _dossier(request, public_id)
    return selectors.timeline(dossier, public=not _is_staff(request.auth))


# WRITES -------------------------------------------------------------------------------------------


def _organization_for(user, public_id: UUID | None) -> Organization | None:
    """The applicant files for its own organisation; the desk for any organisation it can see."""
    if public_id is None:
        return None
    if user.has_perm("dossiers.receive_dossier"):
        organization = Organization.objects.visible_to(user).filter(public_id=public_id).first()
        if organization is None:
            raise _invalid("organization", "No such organisation in your department.", "unknown")
        return organization
    own = user.organization
    if own is None or own.public_id != public_id:
        raise HttpError(403, "You may only file dossiers for your own organisation.")
    return own


@router.post("", response={201: DossierOut, **WRITE}, url_name="dossier_create")
def dossier_create(request, data: DossierCreateIn):
    """A draft dossier under the procedure's version in force today. An applicant files for itself (its
    organisation or as an individual); the desk may record one for an applicant."""
    user = request.auth
    procedure = selectors.procedure_get(data.procedure)
    organization = _organization_for(user, data.organization)
    with _answers(body=DossierCreateIn):
        dossier = services.dossier_create(
            actor=user,
            procedure=procedure,
            organization=organization,
            payload=data.payload,
            channel=data.channel,
            **data.applicant_values(),
        )
    return Status(201, _detail(request, dossier.public_id))


@router.post("/{public_id}/draft", response={200: DossierOut, **WRITE}, url_name="dossier_draft_update")
def dossier_draft_update(request, public_id: UUID, data: DossierDraftIn):
    """Change a draft (or a dossier returned for completion). Send the `version` you read: if someone
    saved in between, 409 and nothing is written. Fields left out keep their value."""
    dossier = _dossier(request, public_id)
    with _answers(body=DossierDraftIn):
        services.dossier_update_draft(
            actor=request.auth,
            dossier=dossier,
            expected_version=data.expected_version,
            payload=data.payload,
            **data.applicant_values(),
        )
    return _detail(request, public_id)


# Not marked required in the document so that a dossier the caller may not see answers 404 whatever the
# form holds (an empty file part is dropped by the parser); a missing file is a 422 in ninja's shape.
FILE = File(None, description="The file (required): pdf, doc(x), xls(x), odt, ods, jpg, png or zip; 20 MB at most")
ATTACHMENT_FIELDS = {"file": ["file", "file"], "requirement": ["form", "requirement"], "name": ["form", "name"]}


def _open_supplement(dossier: Dossier) -> SupplementRequest | None:
    return dossier.supplements.filter(resumed_at__isnull=True).order_by("-requested_at").first()


@router.post("/{public_id}/attachments", response={201: AttachmentOut, **WRITE}, url_name="dossier_attachment_add")
def attachment_add(
    request,
    public_id: UUID,
    file: UploadedFile = FILE,
    requirement: str = Form("", max_length=30, description="Code of the required document"),
    name: str = Form("", max_length=255, description="Description (default: the document's name)"),
):
    """Attach a file (multipart): to a draft or a returned dossier, with the code of the required
    document it is, or, while supplements are requested, to the open request. At most 20 MB."""
    dossier = _dossier(request, public_id)
    if file is None:  # checked here, after the dossier: the client learns first whether it may see it
        raise NinjaValidationError([{"type": "missing", "loc": ["file", "file"], "msg": "Field required"}])
    supplement = _open_supplement(dossier) if dossier.status == DossierStatus.SUPPLEMENT_REQUESTED else None
    with _answers(locations=ATTACHMENT_FIELDS, state_error=dossier.status not in ATTACHABLE):
        attachment = services.attachment_add(
            actor=request.auth,
            dossier=dossier,
            upload=file,
            requirement=requirement,
            name=name,
            supplement=supplement,
        )
    return Status(201, attachment)


@router.post("/{public_id}/submit", response={200: DossierOut, **WRITE}, url_name="dossier_submit")
def dossier_submit(request, public_id: UUID):
    """Submit a draft, or resubmit a returned dossier: the required documents must be attached."""
    dossier = _dossier(request, public_id)
    with _answers():
        services.dossier_submit(actor=request.auth, dossier=dossier)
    return _detail(request, public_id)


def _assignee(dossier: Dossier, data: TransitionIn) -> tuple[Unit | None, User | None]:
    unit = officer = None
    if data.unit is not None:
        unit = Unit.objects.filter(pk=data.unit, department_id=dossier.department_id).first()
        if unit is None:
            raise _invalid("unit", "No such unit in the dossier's department.", "unknown")
    if data.officer is not None:
        officer = User.objects.filter(public_id=data.officer, department_id=dossier.department_id).first()
        if officer is None:
            raise _invalid("officer", "No such officer in the dossier's department.", "unknown")
    return unit, officer


def _apply(name: TransitionName, dossier: Dossier, user, data: TransitionIn) -> None:
    match name:
        case TransitionName.RECEIVE:
            services.dossier_receive(actor=user, dossier=dossier)
        case TransitionName.RETURN_FOR_COMPLETION:
            services.dossier_return_for_completion(actor=user, dossier=dossier, reason=data.reason)
        case TransitionName.REFUSE_INTAKE:
            services.dossier_refuse_intake(actor=user, dossier=dossier, reason=data.reason)
        case TransitionName.ASSIGN:
            unit, officer = _assignee(dossier, data)
            services.dossier_assign(actor=user, dossier=dossier, unit=unit, officer=officer)
        case TransitionName.REQUEST_SUPPLEMENT:
            services.supplement_request(actor=user, dossier=dossier, items=data.items)
        case TransitionName.SUPPLEMENT:
            services.supplement_submit(actor=user, dossier=dossier, note=data.note)
        case TransitionName.PROPOSE:
            services.dossier_propose(
                actor=user, dossier=dossier, recommendation=data.recommendation or "", note=data.note
            )
        case TransitionName.SEND_BACK:
            services.dossier_send_back(actor=user, dossier=dossier, reason=data.reason)
        case TransitionName.APPROVE:
            services.dossier_approve(actor=user, dossier=dossier, note=data.note)
        case TransitionName.REJECT:
            services.dossier_reject(actor=user, dossier=dossier, reason=data.reason)
        case TransitionName.ISSUE_RESULT:
            services.dossier_issue_result(actor=user, dossier=dossier)
        case TransitionName.RETURN_RESULT:
            services.dossier_return_result(actor=user, dossier=dossier)
        case TransitionName.WITHDRAW:
            services.dossier_withdraw(actor=user, dossier=dossier, reason=data.reason)


# A service names the field it checks; the request field it came from.
TRANSITION_FIELDS = {TransitionName.REQUEST_SUPPLEMENT: {"reason": [*BODY, "items"]}}


@router.post("/{public_id}/transitions/{name}", response={200: DossierOut, **WRITE}, url_name="dossier_transition")
def dossier_transition(request, public_id: UUID, name: TransitionName, data: TransitionIn):
    """Move the dossier: receive, return_for_completion, refuse_intake (reason), assign (unit and/or
    officer), request_supplement (items), supplement (note, after uploading the files), propose
    (recommendation, note: required to propose a refusal), send_back (reason), approve (note), reject
    (reason), issue_result, return_result, withdraw (reason). 409 if the dossier is not in a state the
    action accepts, or someone moved it first."""
    dossier = _dossier(request, public_id)
    with _answers(locations=TRANSITION_FIELDS.get(name)):
        _apply(name, dossier, request.auth, data)
    return _detail(request, public_id)


@router.post("/{public_id}/delay", response={201: DelayOut, **WRITE}, url_name="dossier_delay")
def dossier_delay(request, public_id: UUID, data: DelayIn):
    """The apology slip: a later appointment date (a working day) with the reason. The statutory due date
    does not move (the dossier stays late in the statistics)."""
    dossier = _dossier(request, public_id)
    with _answers():
        delay = services.delay_record(
            actor=request.auth, dossier=dossier, new_due_date=data.new_due_date, reason=data.reason
        )
    return Status(201, delay)


@router.post("/{public_id}/fee", response={200: DossierOut, **WRITE}, url_name="dossier_fee")
def dossier_fee(request, public_id: UUID, data: FeeIn):
    """The desk records the fees paid. Where the procedure says so (`clock_after_fee`), the dossier can
    be received only once they are."""
    dossier = _dossier(request, public_id)
    with _answers():
        services.fee_record(
            actor=request.auth,
            dossier=dossier,
            amount=data.amount,
            receipt_number=data.receipt_number,
            paid_on=data.paid_on,
        )
    return _detail(request, public_id)


@router.post("/{public_id}/rating", response={201: RatingOut, **WRITE}, url_name="dossier_rating")
def dossier_rating(request, public_id: UUID, data: RatingIn):
    """The applicant's satisfaction, once the result is out (once per dossier)."""
    dossier = _dossier(request, public_id)
    with _answers():
        rating = services.rating_submit(actor=request.auth, dossier=dossier, score=data.score, comment=data.comment)
    return Status(201, rating)
