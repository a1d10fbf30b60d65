"""/api/v1/councils: council members read their seats and items, declare conflicts and submit sheets;
officers and leaders form and run the councils of their jurisdiction.

Mounted through `CouncilsConfig.api_routers`. Thin like the views: the selectors read and scope, the
services write and hold every rule (with the same permissions as the pages). The services' exceptions
become JSON answers in one place for the officer endpoints (`_answers`):

    PermissionDenied                                     403 {"detail": "..."}
    a council (or a member, item, person, account or
    department named in the path or the body) not
    visible to the caller                                404 {"detail": "..."}
    TransitionNotAllowed, ConcurrentTransition, a rule
    about the council's state (wrong state, composition
    at convening, sheets missing at closing, an item
    with sheets, an item not assigned, minutes issued)   409 {"detail": "..."}
    any other ValidationError                            422 {"detail": [{"type", "loc", "msg"}, ...]}
    a body that is not JSON                              400 {"detail": "Cannot parse request body"}

A 422 about one field is located at ["body", "data", <field>] (a criterion's score at
["body", "data", "scores", <code>]); a problem about the whole request at ["body"]. A member who sits
on a council but may not administer it gets 403 on the officer endpoints; anyone else outside the
council's jurisdiction 404. A sheet refused because the member declared a conflict of interest on the
item (type "conflict") or is recorded absent (type "absent") is a 422, on the member's own endpoint as
on the officer's paper-sheet endpoint.

Council members' endpoints (their own seat) answer a council they do not sit on, or an item not
assigned to them, with 404; their rule errors with 422 located at ["body", <field>], a council not in
the state the action needs with 409.

S&T records (a proposal round, a call, a task at acceptance) are put before a council by the projects
app (opendost.projects.council_links); here an item is free text.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from pydantic import BeforeValidator, model_validator

from opendost.accounts.models import User
from opendost.api.auth import ApiTokenAuth, StaffSessionAuth
from opendost.api.inputs import (
    NO_NUL,
    NOT_BLANK,
    IsoDate,
    JsonBool,
    PublicId,
    json_int,
    json_number,
)
from opendost.api.pagination import LimitOffset
from opendost.api.schemas import DepartmentRef, ErrorOut, ValidationErrorOut
from opendost.councils import selectors, services
from opendost.councils.enums import CouncilPurpose, CouncilStatus, MemberRole
from opendost.councils.models import Council, CouncilMember
from opendost.councils.rules import RULE_SETS
from opendost.departments.models import Department
from opendost.subjects.models import Person
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.selectors import available_transitions

router = Router(tags=["councils"])


WRITE_AUTH = [ApiTokenAuth(), StaffSessionAuth()]
READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}


class CouncilOut(Schema):
    public_id: UUID
    department: DepartmentRef
    name: str
    purpose: str
    status: str
    rules_version: str
    meeting_on: datetime.date | None
    meeting_place: str


class SeatOut(Schema):
    council: CouncilOut
    role: str
    is_present: bool


class MyItemOut(Schema):
    public_id: UUID
    title: str
    group: str
    conflict_declared: bool | None = Field(description="null: not declared yet")
    sheet_submitted_at: datetime.datetime | None
    sheet_revision: int | None


class ConflictIn(Schema):
    has_conflict: bool
    note: str = Field("", max_length=2000)


class ConflictOut(Schema):
    item: UUID
    has_conflict: bool
    note: str
    declared_at: datetime.datetime


class SheetIn(Schema):
    scores: dict[str, float] = Field(
        default_factory=dict, description="criterion code -> score (0..max, at most two decimals)"
    )
    vote: str = Field("", max_length=20, description="excellent/pass/fail, approve/reject, or empty")
    comment: str = Field("", max_length=5000)


class SheetOut(Schema):
    item: UUID
    vote: str
    comment: str
    revision: int
    submitted_at: datetime.datetime
    scores: dict[str, str]


class MemberOut(Schema):
    public_id: UUID
    person: UUID = Field(description="public_id of the person in the expert register")
    full_name: str
    role: str
    user: UUID | None = Field(description="public_id of the account the member logs in with")
    is_present: bool
    items: list[UUID] = Field(description="public_id of the items assigned to the member")


class ItemOut(Schema):
    public_id: UUID
    title: str
    group: str


class CriterionOut(Schema):
    code: str
    name: str
    max_score: int
    weight: Decimal


class QuorumOut(Schema):
    members: int
    present: int
    required: int
    ok: bool


class OutcomeOut(Schema):
    item: UUID
    title: str
    result: str
    mean_score: Decimal | None
    rank: int | None
    explanation: str
    is_final: bool


class MissingSheetOut(Schema):
    member: UUID
    item: UUID


class TransitionOut(Schema):
    name: str
    label: str


class DocumentOut(Schema):
    number_symbol: str
    issued_on: datetime.date
    verification_url: str


class CouncilDetailOut(CouncilOut):
    note: str
    members: list[MemberOut]
    items: list[ItemOut]
    criteria: list[CriterionOut]
    quorum: QuorumOut
    outcome: list[OutcomeOut]
    missing_sheets: list[MissingSheetOut] = Field(
        description="Voters (present, assigned, no conflict) who have not submitted their sheet for an item"
    )
    transitions: list[TransitionOut] = Field(description="The actions the caller may take now")
    minutes: DocumentOut | None


class CouncilFilter(Schema):
    status: CouncilStatus | None = None
    purpose: CouncilPurpose | None = None
    q: str = Field("", max_length=100)


def _invalid(exc: DjangoValidationError) -> Status:
    problems = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                message = error.message % error.params if error.params else error.message
                problems.append({"type": error.code or "invalid", "loc": ["body", field], "msg": str(message)})
    else:
        for error in exc.error_list:
            message = error.message % error.params if error.params else error.message
            problems.append({"type": error.code or "invalid", "loc": ["body"], "msg": str(message)})
    return Status(422, {"detail": problems})


def _forbidden() -> Status:
    return Status(403, {"detail": "You do not have permission to do this."})


def _member_error(exc: DjangoValidationError) -> Status:
    """A member's write refused: 409 when the council is not in the state the action needs."""
    if isinstance(exc, TransitionNotAllowed) or any(e.code == "wrong_state" for e in _flat(exc)):
        return Status(409, {"detail": " ".join(str(m) for m in exc.messages)})
    return _invalid(exc)


def _flat(exc: DjangoValidationError) -> list[DjangoValidationError]:
    if hasattr(exc, "error_dict"):
        return [e for errors in exc.error_dict.values() for e in errors]
    return list(exc.error_list)


# COUNCIL MEMBERS ------------------------------------------------------------------------------------
@router.get("/mine", response={200: list[SeatOut], **READ})
def my_councils(request):
    """The councils the caller sits on (through a member seat linked to their account)."""
    return list(selectors.my_seats(request.auth)[:200])


@router.get("/{public_id}/items", response={200: list[MyItemOut], **READ})
def my_items(request, public_id: UUID):
    """Only the items assigned to the caller; a council they do not sit on is a 404."""
    seat = selectors.my_seat_get(request.auth, public_id)
    return [
        {
            "public_id": row["item"].public_id,
            "title": row["item"].title,
            "group": row["item"].group,
            "conflict_declared": row["conflict"].has_conflict if row["conflict"] else None,
            "sheet_submitted_at": row["sheet"].submitted_at if row["sheet"] else None,
            "sheet_revision": row["sheet"].revision if row["sheet"] else None,
        }
        for row in selectors.my_items(seat)
    ]


def _conflict_out(item, declaration) -> dict:
    return {
        "item": item.public_id,
        "has_conflict": declaration.has_conflict,
        "note": declaration.note,
        "declared_at": declaration.declared_at,
    }


def _sheet_out(item, sheet) -> dict:
    return {
        "item": item.public_id,
        "vote": sheet.vote,
        "comment": sheet.comment,
        "revision": sheet.revision,
        "submitted_at": sheet.submitted_at,
        "scores": {s.criterion.code: str(s.value) for s in sheet.scores.all()},
    }


@router.get("/{public_id}/items/{item_id}/conflict", response={200: ConflictOut, **READ})
def my_conflict_get(request, public_id: UUID, item_id: UUID):
    """The caller's declaration on an assigned item (404 while none is declared)."""
    seat = selectors.my_seat_get(request.auth, public_id)
    item = selectors.my_item_get(seat, item_id)
    declaration = selectors.my_conflict(seat, item)
    if declaration is None:
        raise Http404
    return _conflict_out(item, declaration)


@router.get("/{public_id}/items/{item_id}/sheet", response={200: SheetOut, **READ})
def my_sheet_get(request, public_id: UUID, item_id: UUID):
    """The caller's submitted sheet for an assigned item (404 while none is submitted)."""
    seat = selectors.my_seat_get(request.auth, public_id)
    item = selectors.my_item_get(seat, item_id)
    sheet = selectors.my_sheet(seat, item)
    if sheet is None:
        raise Http404
    return _sheet_out(item, sheet)


@router.post("/{public_id}/items/{item_id}/conflict", response={200: ConflictOut, **WRITE}, auth=WRITE_AUTH)
def my_conflict(request, public_id: UUID, item_id: UUID, payload: ConflictIn):
    seat = selectors.my_seat_get(request.auth, public_id)
    item = selectors.my_item_get(seat, item_id)
    try:
        declaration = services.conflict_declare(
            actor=request.auth, member=seat, item=item, has_conflict=payload.has_conflict, note=payload.note
        )
    except PermissionDenied:
        return _forbidden()
    except DjangoValidationError as exc:
        return _member_error(exc)
    return _conflict_out(item, declaration)


@router.post("/{public_id}/items/{item_id}/sheet", response={200: SheetOut, **WRITE}, auth=WRITE_AUTH)
def my_sheet(request, public_id: UUID, item_id: UUID, payload: SheetIn):
    seat = selectors.my_seat_get(request.auth, public_id)
    item = selectors.my_item_get(seat, item_id)
    try:
        services.score_submit(
            actor=request.auth,
            member=seat,
            item=item,
            scores=payload.scores,
            vote=payload.vote,
            comment=payload.comment,
        )
    except PermissionDenied:
        return _forbidden()
    except DjangoValidationError as exc:
        return _member_error(exc)
    return _sheet_out(item, selectors.my_sheet(seat, item))


# OFFICERS -------------------------------------------------------------------------------------------
@router.get("", response={200: list[CouncilOut], **READ})
@paginate(LimitOffset)
def council_list(request, filters: Query[CouncilFilter]):
    """Councils of the caller's jurisdiction (needs councils.view_council), newest first."""
    if not request.auth.has_perm("councils.view_council"):
        raise HttpError(403, "You do not have permission to do this.")
    return selectors.council_list_for(request.auth, filters.model_dump())


@router.get("/{public_id}", response={200: CouncilDetailOut, **READ})
def council_detail(request, public_id: UUID):
    """One council with members (and the items each is assigned), items, criteria, quorum, the outcome
    (stored once closed, otherwise a preview from the sheets submitted so far), the sheets still
    missing, the actions the caller may take and the minutes once issued."""
    if not request.auth.has_perm("councils.view_council"):
        raise Http404
    return _detail_out(request.auth, selectors.council_get_for(request.auth, public_id))


def _document_out(document) -> dict | None:
    if document is None:
        return None
    return {
        "number_symbol": document.number_symbol,
        "issued_on": document.issued_on,
        "verification_url": settings.SITE_URL.rstrip("/") + document.get_verification_path(),
    }


def _member_out(member: CouncilMember, item_ids: list[UUID]) -> dict:
    return {
        "public_id": member.public_id,
        "person": member.person.public_id,
        "full_name": member.person.full_name,
        "role": member.role,
        "user": member.user.public_id if member.user_id else None,
        "is_present": member.is_present,
        "items": item_ids,
    }


def _detail_out(user, council: Council) -> dict:
    tally = selectors.council_tally(council)
    quorum = selectors.council_quorum(council, tally.members)
    item_ids = {i.pk: i.public_id for i in tally.items}
    member_ids = {m.pk: m.public_id for m in tally.members}
    assigned: dict[int, list[UUID]] = {}
    for item in tally.items:  # in the items' order
        for member in tally.members:
            if (member.pk, item.pk) in tally.assigned:
                assigned.setdefault(member.pk, []).append(item.public_id)
    return {
        **CouncilOut.model_validate(council).model_dump(),
        "note": council.note,
        "members": [_member_out(m, assigned.get(m.pk, [])) for m in tally.members],
        "items": [{"public_id": i.public_id, "title": i.title, "group": i.group} for i in tally.items],
        "criteria": selectors.criteria_of(council),
        "quorum": {"members": quorum.members, "present": quorum.present, "required": quorum.required, "ok": quorum.ok},
        "outcome": [
            {
                "item": row.item.public_id,
                "title": row.item.title,
                "result": row.result,
                "mean_score": row.mean_score,
                "rank": row.rank,
                "explanation": row.explanation,
                "is_final": row.is_final,
            }
            for row in selectors.council_outcome(council, tally)
        ],
        "missing_sheets": [
            {"member": member_ids[m.pk], "item": item_ids[i.pk]} for m, i in tally.missing if m.pk in member_ids
        ],
        "transitions": [{"name": t.name, "label": str(t.display)} for t in available_transitions(council, user)],
        "minutes": _document_out(council.minutes_document),
    }


# OFFICERS: FORMING AND RUNNING A COUNCIL -----------------------------------------------------------
# ninja names the JSON body after the parameter, `data`.
BODY = ("body", "data")

# ValidationError codes of the services that say the council is not in a state the action accepts (or
# the action was done already): a conflict with the council as it is, not bad input.
STATE_CODES = frozenset(
    {
        "wrong_state",
        "unknown_transition",
        "composition",
        "missing",
        "has_sheets",
        "already_issued",
        "not_assigned",
    }
)


def _problems(error: DjangoValidationError, *, locations: dict[str, list[str]]) -> list[dict]:
    problems = []
    pairs = error.error_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, error.error_list)]
    for name, errors in pairs:
        loc = ["body"] if name == NON_FIELD_ERRORS else locations.get(name, [*BODY, name])
        for item in errors:
            problems += [{"type": item.code or "invalid", "loc": loc, "msg": str(m)} for m in item.messages]
    return problems


@contextmanager
def _answers(*, locations: dict[str, list[str]] | None = None, whole_is_state: bool = False):
    """The services' exceptions as the documented answers; `locations`: where a field the service names
    is in the request (by default that name in the body); `whole_is_state`: a problem not about a field
    of the request is about the council's state (e.g. its composition when convening), so a 409."""
    try:
        yield
    except TransitionNotAllowed as error:  # ConcurrentTransition too
        raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
    except PermissionDenied:
        raise HttpError(403, "You may not do this with this council.") from None
    except DjangoValidationError as error:
        if {item.code for item in _flat(error)} & STATE_CODES or (whole_is_state and not hasattr(error, "error_dict")):
            raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
        raise NinjaValidationError(_problems(error, locations=locations or {})) from None


def _invalid_field(field: str, message: str, code: str = "invalid") -> NinjaValidationError:
    return NinjaValidationError([{"type": code, "loc": [*BODY, field], "msg": message}])


def _council(request, public_id: UUID) -> Council:
    """The council an officer endpoint acts on: of the caller's jurisdiction (with councils.view_council),
    else 403 for a member who sits on it (they know it exists but may not administer it), else 404."""
    user = request.auth
    if user.has_perm("councils.view_council"):
        return selectors.council_get_for(user, public_id)
    if selectors.my_seats(user).filter(council__public_id=public_id).exists():
        raise HttpError(403, "Council members cannot administer the council.")
    raise Http404


def _detail(request, council: Council) -> dict:
    """Read the council again after a write: what the caller sees now, with its fresh transitions."""
    return _detail_out(request.auth, selectors.council_get_for(request.auth, council.public_id))


# INPUT TYPES: opendost/api/inputs.py; this router's own bounds below.
MaxScore = Annotated[int, Field(ge=1, le=services.MAX_CRITERION_SCORE), BeforeValidator(json_int)]
Weight = Annotated[float, Field(ge=0.01, le=999.99), BeforeValidator(json_number)]
ScoreValue = Annotated[float, Field(ge=0, le=services.MAX_CRITERION_SCORE), BeforeValidator(json_number)]
RuleSetKey = StrEnum("RuleSetKey", {key: key for key in RULE_SETS})


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


class CouncilCreateIn(In):
    purpose: CouncilPurpose
    name: str = _required_text(255)
    rules_version: RuleSetKey | None = Field(
        None, description="A rule set that fits the purpose; by default the one in force today for it"
    )
    meeting_on: IsoDate | None = None
    meeting_place: str = _text(255)
    note: str = _text(5000)
    department: str | None = Field(
        None,
        max_length=30,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description="Code of the department (an administrator only; by default the caller's own)",
    )
    with_default_criteria: JsonBool = Field(True, description="Copy the rule set's criteria template")


class CouncilUpdateIn(In):
    """Fields left out (or null) keep their value; `meeting_on: null` clears the meeting date."""

    name: str | None = Field(None, min_length=1, max_length=255, pattern=NOT_BLANK)
    rules_version: RuleSetKey | None = Field(None, description="Only while the council is forming")
    meeting_on: IsoDate | None = None
    meeting_place: str | None = Field(None, max_length=255, pattern=NO_NUL)
    note: str | None = Field(None, max_length=5000, pattern=NO_NUL)


class MemberIn(In):
    person: PublicId = Field(description="public_id of an expert in the department's register")
    role: MemberRole
    user: PublicId | None = Field(None, description="public_id of the account the member logs in with")
    assign_all: JsonBool = Field(True, description="Assign the member every current item")


class AttendanceIn(In):
    is_present: JsonBool


class AssignIn(In):
    items: list[PublicId] | None = Field(
        None, max_length=500, description="public_id of the items the member scores; null: every item"
    )


class ItemIn(In):
    title: str = _required_text(500, "The title the council judges it under")
    group: str = _text(100, "Items of one group compete with each other (selection)")
    assign_all: JsonBool = Field(True, description="Assign the item to every current member")


class CriterionIn(In):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$")
    name: str = _required_text(255)
    max_score: MaxScore
    weight: Weight = Field(1, description="Rounded to two decimals")


class TemplateOut(Schema):
    added: int = Field(description="How many template criteria were added")
    criteria: list[CriterionOut]


class CouncilTransition(StrEnum):
    CONVENE = "convene"
    OPEN_SCORING = "open_scoring"
    CLOSE = "close"
    CANCEL = "cancel"


class TransitionIn(In):
    note: str = _text(5000, "cancel: the reason (required); close: a note for the record")


class PaperConflictIn(In):
    has_conflict: JsonBool
    note: str = _text(2000, "Required when declaring a conflict")


class PaperSheetIn(In):
    scores: dict[str, ScoreValue] = Field(
        default_factory=dict, description="criterion code -> score (0..max, at most two decimals)"
    )
    vote: str = _text(20, "excellent/pass/fail, approve/reject, or empty, as the council's rule set takes")
    comment: str = _text(5000)


# WRITES ------------------------------------------------------------------------------------------
def _department_for(user, code: str | None) -> Department:
    """The caller's department, or (an administrator only) the one named."""
    own = user.department
    if code is None or (own is not None and code == own.code):
        if own is None:
            raise _invalid_field("department", "Name the department the council belongs to.", "required")
        return own
    if not user.sees_all_departments:
        raise HttpError(403, "Only an administrator forms councils for another department.")
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise HttpError(404, "No such department.")
    return department


@router.post("", response={201: CouncilDetailOut, **WRITE}, auth=WRITE_AUTH, url_name="councils_create")
def council_create(request, data: CouncilCreateIn):
    """Form a council (forming) of the caller's department, with the rule set's criteria template by
    default. Needs councils.add_council. A rule set that does not fit the purpose is a 422."""
    user = request.auth
    if not user.has_perm("councils.add_council"):
        raise HttpError(403, "You may not form councils.")
    department = _department_for(user, data.department)
    with _answers():
        council = services.council_create(
            actor=user,
            department=department,
            purpose=data.purpose,
            name=data.name,
            rules_version=data.rules_version.value if data.rules_version else "",
            meeting_on=data.meeting_on,
            meeting_place=data.meeting_place,
            note=data.note,
            with_default_criteria=data.with_default_criteria,
        )
    return Status(201, _detail(request, council))


@router.post(
    "/{public_id}/edit", response={200: CouncilDetailOut, **WRITE}, auth=WRITE_AUTH, url_name="councils_update"
)
def council_update(request, public_id: UUID, data: CouncilUpdateIn):
    """Change the name, meeting date and place, note (until the council closes) and the rule set
    (while it is forming)."""
    council = _council(request, public_id)
    changes = {
        name: value.value if isinstance(value, StrEnum) else value
        for name, value in data.model_dump(exclude_unset=True).items()
        if value is not None or name == "meeting_on"
    }
    with _answers():
        services.council_update(actor=request.auth, council=council, **changes)
    return _detail(request, council)


def _person(user, public_id: UUID) -> Person:
    person = Person.objects.visible_to(user).filter(public_id=public_id).first()
    if person is None:
        raise HttpError(404, "No such person in the register.")
    return person


def _account(user, public_id: UUID | None) -> User | None:
    if public_id is None:
        return None
    account = User.objects.visible_to(user).filter(public_id=public_id).first()
    if account is None:
        raise HttpError(404, "No such account.")
    return account


def _assigned_ids(member: CouncilMember) -> list[UUID]:
    return list(member.assignments.order_by("item__position", "item__pk").values_list("item__public_id", flat=True))


@router.post(
    "/{public_id}/members", response={201: MemberOut, **WRITE}, auth=WRITE_AUTH, url_name="councils_member_add"
)
def member_add(request, public_id: UUID, data: MemberIn):
    """Seat an expert of the register (forming only): one chair; a person and an account once. The
    account is optional (a member without one votes on paper, entered by an officer)."""
    council = _council(request, public_id)
    person = _person(request.auth, data.person)
    account = _account(request.auth, data.user)
    with _answers():
        member = services.member_add(
            actor=request.auth,
            council=council,
            person=person,
            role=data.role,
            user=account,
            assign_all=data.assign_all,
        )
    return Status(201, _member_out(member, _assigned_ids(member)))


def _member(council: Council, member_id: UUID) -> CouncilMember:
    return selectors.member_get(council, member_id)


@router.post(
    "/{public_id}/members/{member_id}/remove",
    response={200: CouncilDetailOut, **WRITE},
    auth=WRITE_AUTH,
    url_name="councils_member_remove",
)
def member_remove(request, public_id: UUID, member_id: UUID):
    """Take a member off the council (forming only)."""
    council = _council(request, public_id)
    member = _member(council, member_id)
    with _answers():
        services.member_remove(actor=request.auth, member=member)
    return _detail(request, council)


@router.post(
    "/{public_id}/members/{member_id}/attendance",
    response={200: MemberOut, **WRITE},
    auth=WRITE_AUTH,
    url_name="councils_member_attendance",
)
def member_attendance(request, public_id: UUID, member_id: UUID, data: AttendanceIn):
    """Record whether the member attends (convened or scoring): only members present count for the
    quorum and vote. Needs councils.change_council or councils.record_scores."""
    council = _council(request, public_id)
    member = _member(council, member_id)
    with _answers():
        member = services.member_attendance_set(actor=request.auth, member=member, is_present=data.is_present)
    return _member_out(member, _assigned_ids(member))


@router.post(
    "/{public_id}/members/{member_id}/items",
    response={200: MemberOut, **WRITE},
    auth=WRITE_AUTH,
    url_name="councils_member_assign",
)
def member_assign(request, public_id: UUID, member_id: UUID, data: AssignIn):
    """Set the items the member sees and scores (every item when `items` is null). An item the member
    has already scored cannot be taken away (422); an item not before the council is a 404."""
    council = _council(request, public_id)
    member = _member(council, member_id)
    items = None
    if data.items is not None:
        wanted = set(data.items)
        items = list(council.items.filter(public_id__in=wanted))
        if len(items) != len(wanted):
            raise HttpError(404, "No such item before this council.")
    with _answers():
        services.assign(actor=request.auth, member=member, items=items)
    return _member_out(member, _assigned_ids(member))


@router.post(
    "/{public_id}/members/{member_id}/items/{item_id}/conflict",
    response={200: ConflictOut, **WRITE},
    auth=WRITE_AUTH,
    url_name="councils_paper_conflict",
)
def paper_conflict(request, public_id: UUID, member_id: UUID, item_id: UUID, data: PaperConflictIn):
    """An officer enters a member's declaration made on paper (councils.record_scores). Declaring a
    conflict withdraws a sheet already submitted for the item."""
    council = _council(request, public_id)
    member = _member(council, member_id)
    item = selectors.item_get(council, item_id)
    with _answers():
        declaration = services.conflict_declare(
            actor=request.auth, member=member, item=item, has_conflict=data.has_conflict, note=data.note
        )
    return _conflict_out(item, declaration)


@router.post(
    "/{public_id}/members/{member_id}/items/{item_id}/sheet",
    response={200: SheetOut, **WRITE},
    auth=WRITE_AUTH,
    url_name="councils_paper_sheet",
)
def paper_sheet(request, public_id: UUID, member_id: UUID, item_id: UUID, data: PaperSheetIn):
    """An officer enters a member's paper score sheet (councils.record_scores; scoring only). A member
    who declared a conflict on the item, or is recorded absent, cannot score it (422, type "conflict"
    or "absent"); an item not assigned to the member is a 409."""
    council = _council(request, public_id)
    member = _member(council, member_id)
    item = selectors.item_get(council, item_id)
    locations = {f"score_{c.code}": [*BODY, "scores", c.code] for c in selectors.criteria_of(council)}
    with _answers(locations=locations):
        services.score_submit(
            actor=request.auth,
            member=member,
            item=item,
            scores={code: Decimal(str(value)) for code, value in data.scores.items()},
            vote=data.vote,
            comment=data.comment,
        )
    return _sheet_out(item, selectors.my_sheet(member, item))


@router.post("/{public_id}/items", response={201: ItemOut, **WRITE}, auth=WRITE_AUTH, url_name="councils_item_add")
def item_add(request, public_id: UUID, data: ItemIn):
    """Put a free-text item before the council (until scoring opens); every member is assigned it by
    default. S&T records are put before their councils by the projects app."""
    council = _council(request, public_id)
    with _answers():
        item = services.item_add(
            actor=request.auth, council=council, title=data.title, group=data.group, assign_all=data.assign_all
        )
    return Status(201, {"public_id": item.public_id, "title": item.title, "group": item.group})


@router.post(
    "/{public_id}/items/{item_id}/remove",
    response={200: CouncilDetailOut, **WRITE},
    auth=WRITE_AUTH,
    url_name="councils_item_remove",
)
def item_remove(request, public_id: UUID, item_id: UUID):
    """Take an item off the council (until scoring opens; not once it has sheets: 409)."""
    council = _council(request, public_id)
    item = selectors.item_get(council, item_id)
    with _answers():
        services.item_remove(actor=request.auth, item=item)
    return _detail(request, council)


@router.post(
    "/{public_id}/criteria", response={201: CriterionOut, **WRITE}, auth=WRITE_AUTH, url_name="councils_criterion_add"
)
def criterion_add(request, public_id: UUID, data: CriterionIn):
    """Add a scoring criterion (forming only); the code is unique in the council."""
    council = _council(request, public_id)
    with _answers():
        criterion = services.criterion_add(
            actor=request.auth,
            council=council,
            code=data.code,
            name=data.name,
            max_score=data.max_score,
            weight=Decimal(str(data.weight)).quantize(Decimal("0.01")),
        )
    return Status(201, criterion)


@router.post(
    "/{public_id}/criteria/template",
    response={200: TemplateOut, **WRITE},
    auth=WRITE_AUTH,
    url_name="councils_criteria_template",
)
def criteria_template(request, public_id: UUID):
    """Add the rule set's template criteria the council does not have yet (forming only)."""
    council = _council(request, public_id)
    with _answers():
        added = services.criteria_apply_template(actor=request.auth, council=council)
    return {"added": added, "criteria": selectors.criteria_of(council)}


@router.post(
    "/{public_id}/criteria/{code}/remove",
    response={200: CouncilDetailOut, **WRITE},
    auth=WRITE_AUTH,
    url_name="councils_criterion_remove",
)
def criterion_remove(request, public_id: UUID, code: str):
    """Remove a criterion by its code (forming only)."""
    council = _council(request, public_id)
    criterion = council.criteria.filter(code=code).first()
    if criterion is None:
        raise HttpError(404, "No such criterion.")
    with _answers():
        services.criterion_remove(actor=request.auth, criterion=criterion)
    return _detail(request, council)


@router.post(
    "/{public_id}/transitions/{name}",
    response={200: CouncilDetailOut, **WRITE},
    auth=WRITE_AUTH,
    url_name="councils_transition",
)
def council_transition(request, public_id: UUID, name: CouncilTransition, data: TransitionIn):
    """Move the council: convene (forming: exactly one chair, the roles the rule set needs, an item,
    criteria when it scores; 409 listing what is missing), open_scoring, close (every voter's sheet in,
    else 409 naming the missing ones; needs councils.close_council; the answer holds the stored outcome
    of every item with its explanation), cancel (note: the reason, required). 409 when the council is
    not in a state the action accepts, or someone moved it first."""
    council = _council(request, public_id)
    with _answers(whole_is_state=True):
        services.council_transition(actor=request.auth, council=council, name=name.value, note=data.note)
    return _detail(request, council)


@router.post(
    "/{public_id}/minutes", response={201: DocumentOut, **WRITE}, auth=WRITE_AUTH, url_name="councils_minutes_issue"
)
def minutes_issue(request, public_id: UUID):
    """Issue the minutes of a closed council as an official document (councils.issue_minutes); once
    (409 after). The answer gives its number and the public verification address."""
    council = _council(request, public_id)
    with _answers():
        document = services.minutes_issue(actor=request.auth, council=council)
    return Status(201, _document_out(document))
