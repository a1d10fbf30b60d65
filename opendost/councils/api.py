"""/api/v1/councils: council members read their seats and items, declare conflicts and submit sheets;
officers read the councils of their jurisdiction with the outcome.

Mounted through `CouncilsConfig.api_routers`. A council the caller does not sit on (member endpoints)
or outside their jurisdiction (officer endpoints) answers 404; service rule errors answer 422 in the
documented shape (a list of problems), a missing permission 403.
"""

import datetime
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from opendost.api.auth import ApiTokenAuth, StaffSessionAuth
from opendost.api.pagination import LimitOffset
from opendost.api.schemas import DepartmentRef, ErrorOut, ValidationErrorOut
from opendost.councils import selectors, services
from opendost.councils.enums import CouncilPurpose, CouncilStatus

router = Router(tags=["councils"])


WRITE_AUTH = [ApiTokenAuth(), StaffSessionAuth()]
READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


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
    full_name: str
    role: str
    is_present: bool


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


class CouncilDetailOut(CouncilOut):
    members: list[MemberOut]
    items: list[ItemOut]
    criteria: list[CriterionOut]
    quorum: QuorumOut
    outcome: list[OutcomeOut]


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
        return _invalid(exc)
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
        return _invalid(exc)
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
    """One council with members, items, criteria, quorum and the outcome (stored once closed,
    otherwise a preview from the sheets submitted so far)."""
    if not request.auth.has_perm("councils.view_council"):
        raise Http404
    council = selectors.council_get_for(request.auth, public_id)
    tally = selectors.council_tally(council)
    quorum = selectors.council_quorum(council, tally.members)
    return {
        **CouncilOut.model_validate(council).model_dump(),
        "members": [
            {"public_id": m.public_id, "full_name": m.person.full_name, "role": m.role, "is_present": m.is_present}
            for m in tally.members
        ],
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
    }
