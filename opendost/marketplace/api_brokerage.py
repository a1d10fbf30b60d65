"""/api/v1/marketplace/connections and /fairs: brokerage of the technology exchange.

Staff (marketplace.view_connection) read the connections of their jurisdiction and, as brokers,
move them and record their events; an applicant reads its organisation's connections (as the
interested party or the owner of the offer or need), expresses interest in a published offer or
answers a published need. Anything else is a 404. Thin like the views: selectors read, services
write and hold every rule. Answers:

    PermissionDenied                                      403 {"detail": "..."}
    not found / not visible                               404 {"detail": "Not found."}
    wrong state, someone moved it first, EditConflict,
    already connected, own listing                        409 {"detail": "..."}
    any other rule                                        422 {"detail": [{"type", "loc", "msg"}]}
"""

import datetime as dt
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from pydantic import BeforeValidator, Field

from opendost.api.auth import ApiTokenAuth, StaffSessionAuth
from opendost.api.inputs import NO_NUL, NOT_BLANK, IsoDate, PublicId, json_int
from opendost.api.pagination import LimitOffset
from opendost.api.schemas import ErrorOut, ValidationErrorOut
from opendost.common.locking import EditConflict
from opendost.marketplace import selectors_brokerage as selectors
from opendost.marketplace import services_brokerage as services
from opendost.marketplace.enums import ConnectionEventKind, ConnectionStatus, FairStatus, TransferMode
from opendost.marketplace.models import Connection, Fair, Listing
from opendost.marketplace.permissions import listing_is_public
from opendost.marketplace.permissions_brokerage import VIEW_PERM, can_broker
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.selectors import available_transitions

router = Router(tags=["technology exchange: brokerage"], auth=[ApiTokenAuth(), StaffSessionAuth()])

READ = {401: ErrorOut, 422: ValidationErrorOut}
READ_ONE = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}
CONFLICT_CODES = frozenset({"wrong_state", "duplicate", "own_listing", "not_published"})
BODY = ("body", "data")


# ERRORS -------------------------------------------------------------------------------------------
def _items(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return list(error.error_dict.items())
    return [(NON_FIELD_ERRORS, error.error_list)]


@contextmanager
def _answers(*, locations: dict[str, str] | None = None):
    """The services' exceptions as the documented answers; `locations` maps a field the service names
    to the request's field."""
    locations = locations or {}
    try:
        yield
    except TransitionNotAllowed as error:  # ConcurrentTransition too
        raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
    except EditConflict as error:
        raise HttpError(409, error.message) from None
    except PermissionDenied:
        raise HttpError(403, "You may not do this with this connection.") from None
    except DjangoValidationError as error:
        codes = {item.code for _name, items in _items(error) for item in items}
        if codes & CONFLICT_CODES:
            raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
        problems = []
        for name, errors in _items(error):
            loc = ["body"] if name == NON_FIELD_ERRORS else [*BODY, locations.get(name, name)]
            for item in errors:
                problems += [{"type": item.code or "invalid", "loc": loc, "msg": str(m)} for m in item.messages]
        raise NinjaValidationError(problems) from None


# SCHEMAS ------------------------------------------------------------------------------------------
class ListingRef(Schema):
    public_id: UUID
    code: str
    kind: str
    title: str


class PartyRef(Schema):
    public_id: UUID
    name: str


class FairRef(Schema):
    public_id: UUID
    code: str
    title: str


class ConnectionOut(Schema):
    public_id: UUID
    code: str
    status: ConnectionStatus
    offer: ListingRef
    need: ListingRef | None
    seeker: PartyRef | None = Field(description="The interested party (the demand side)")
    fair: FairRef | None
    broker_name: str = Field(description="The officer following it (staff only; empty for the parties)")
    created_at: dt.datetime
    deal_signed_on: dt.date | None
    deal_value_vnd: int | None = Field(description="VND; staff only (null for the parties)")
    deal_mode: str
    deal_contract_ref: str
    followed_up_on: dt.date | None
    version: int = Field(description="Row version: send it back as expected_version with a transition")
    actions: list[str] = Field(description="Transitions the caller may take now")

    @staticmethod
    def resolve_broker_name(obj, context) -> str:
        if not _staff(context["request"].auth) or obj.broker_id is None:
            return ""
        return obj.broker.full_name or obj.broker.username

    @staticmethod
    def resolve_deal_value_vnd(obj, context) -> int | None:
        return obj.deal_value_vnd if _staff(context["request"].auth) else None

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        user = context["request"].auth
        return [t.name for t in available_transitions(obj, user)] if can_broker(user, obj) else []


class ConnectionDetailOut(ConnectionOut):
    message: str = Field(description="The interested party's message (staff only)")
    drop_reason: str = Field(description="Staff only")
    follow_up_note: str

    @staticmethod
    def resolve_message(obj, context) -> str:
        return obj.message if _staff(context["request"].auth) else ""

    @staticmethod
    def resolve_drop_reason(obj, context) -> str:
        return obj.drop_reason if _staff(context["request"].auth) else ""


class ConnectionTimelineOut(Schema):
    day: dt.date
    at: dt.datetime
    kind: str = Field(description="event, status or file")
    title: str
    note: str
    actor: str


class EventOut(Schema):
    kind: ConnectionEventKind
    happened_on: dt.date
    note: str


class FairOut(Schema):
    public_id: UUID
    code: str
    title: str
    kind: str
    status: FairStatus
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    registered: int
    connections_made: int
    deals_made: int


class FairResultsOut(Schema):
    registered: int
    connections: int
    deals: int
    deal_value_vnd: int


class FairDetailOut(FairOut):
    description: str
    results: FairResultsOut


class FairRegistrationOut(Schema):
    booth: str
    listing: ListingRef


class ConnectionFilter(Schema):
    status: ConnectionStatus | None = None
    fair: PublicId | None = None
    date_from: IsoDate | None = Field(None, description="Opened on or after (YYYY-MM-DD)")
    date_to: IsoDate | None = Field(None, description="Opened on or before (YYYY-MM-DD)")


class FairFilter(Schema):
    status: FairStatus | None = None
    year: int | None = Field(None, ge=2000, le=2100)


def _text(max_length: int, description: str | None = None) -> Any:
    return Field("", max_length=max_length, pattern=NO_NUL, description=description)


Money = Annotated[int, Field(ge=1, le=10**15), BeforeValidator(json_int)]
Version = Annotated[int, Field(ge=1, le=2**31), BeforeValidator(json_int)]


class InterestIn(Schema):
    offer: PublicId = Field(
        description="The published offer, equipment or service (the caller's own to answer a need)"
    )
    need: PublicId | None = Field(None, description="A published need to answer with the caller's own offer")
    message: str = _text(4000)


class TransitionName(StrEnum):
    INTRODUCE = "introduce"
    MEET = "meet"
    NEGOTIATE = "negotiate"
    SIGN_DEAL = "sign_deal"
    DROP = "drop"
    FOLLOW_UP = "follow_up"


class TransitionIn(Schema):
    expected_version: Version | None = Field(None, description="The `version` the caller read; 409 if it changed")
    on: IsoDate | None = Field(None, description="introduce (default today), meet, follow_up: the date")
    note: str = _text(4000, "introduce, meet (required), negotiate, follow_up (required)")
    signed_on: IsoDate | None = Field(None, description="sign_deal: the contract's date")
    value_vnd: Money | None = Field(None, description="sign_deal: the contract's value in VND")
    mode: TransferMode | None = Field(None, description="sign_deal: the transfer mode")
    contract_ref: str = _text(100, "sign_deal: the contract number")
    reason: str = _text(4000, "drop: why (required)")


class EventIn(Schema):
    kind: ConnectionEventKind
    happened_on: IsoDate
    note: str = Field(max_length=4000, pattern=NOT_BLANK)


# HELPERS ------------------------------------------------------------------------------------------
def _staff(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(VIEW_PERM))


def _connections(user):
    """Staff: their jurisdiction's; an applicant: its organisation's; others: none."""
    if _staff(user):
        return selectors.connection_list_for(user)
    return selectors.my_connections(user).select_related("fair", "broker")


def _connection(request, public_id: UUID) -> Connection:
    connection = _connections(request.auth).filter(public_id=public_id).first()
    if connection is None:
        raise Http404
    return connection


def _public_listing(public_id: UUID) -> Listing:
    listing = Listing.objects.filter(public_id=public_id).select_related("owner_person", "department").first()
    if listing is None or not listing_is_public(listing, timezone.localdate()):
        raise Http404
    return listing


def _fairs(request):
    return selectors.fair_list_for(request.auth)


def _fair(request, public_id: UUID) -> Fair:
    fair = _fairs(request).filter(public_id=public_id).first()
    if fair is None:
        raise Http404
    return fair


# CONNECTIONS --------------------------------------------------------------------------------------
@router.get("/connections", response={200: list[ConnectionOut], **READ}, url_name="market_connection_list")
@paginate(LimitOffset)
def connection_list(request, filters: Query[ConnectionFilter]):
    """Newest first. Staff see their jurisdiction's connections; an applicant its organisation's."""
    qs = _connections(request.auth)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.fair:
        qs = qs.filter(fair__public_id=filters.fair)
    return selectors.opened_between(qs, filters.date_from, filters.date_to)


@router.post("/connections", response={201: ConnectionDetailOut, **WRITE}, url_name="market_connection_create")
def connection_create(request, data: InterestIn):
    """An applicant expresses interest in a published offer (`offer`), or answers a published need
    (`need`) with its own published offer. 409 when its organisation already has an open connection
    for it, or the listing is its own; 403 for a caller who does not act for an organisation."""
    offer = _public_listing(data.offer)
    need = _public_listing(data.need) if data.need else None
    with _answers():
        if need is not None:
            connection = services.need_answer(actor=request.auth, need=need, offer=offer, message=data.message)
        else:
            connection = services.interest_express(actor=request.auth, offer=offer, message=data.message)
    return Status(201, _connection(request, connection.public_id))


@router.get(
    "/connections/{public_id}", response={200: ConnectionDetailOut, **READ_ONE}, url_name="market_connection_detail"
)
def connection_detail(request, public_id: UUID):
    return _connection(request, public_id)


@router.get(
    "/connections/{public_id}/timeline",
    response={200: list[ConnectionTimelineOut], **READ_ONE},
    url_name="market_connection_timeline",
)
def connection_timeline(request, public_id: UUID):
    """Events, status changes and documents by date; a party sees events and status changes without
    names, notes of status changes or documents."""
    connection = _connection(request, public_id)
    return selectors.timeline(connection, public=not _staff(request.auth))


@router.post(
    "/connections/{public_id}/transitions/{name}",
    response={200: ConnectionDetailOut, **WRITE},
    url_name="market_connection_transition",
)
def connection_transition(request, public_id: UUID, name: TransitionName, data: TransitionIn):
    """Move the connection (a broker of its department): introduce (on, note), meet (on, note),
    negotiate (note), sign_deal (signed_on, value_vnd, mode, contract_ref), drop (reason),
    follow_up (on, note). 409 if the state does not allow it or the version changed."""
    connection = _connection(request, public_id)
    payload = data.model_dump(exclude={"expected_version"})
    with _answers(
        locations={
            "happened_on": "on",
            "followed_up_on": "on",
            "follow_up_note": "note",
            "deal_signed_on": "signed_on",
            "deal_value_vnd": "value_vnd",
            "deal_mode": "mode",
            "deal_contract_ref": "contract_ref",
        }
    ):
        services.connection_transition(
            actor=request.auth,
            connection=connection,
            name=str(name),
            expected_version=data.expected_version,
            **payload,
        )
    return _connection(request, public_id)


@router.post(
    "/connections/{public_id}/events", response={201: EventOut, **WRITE}, url_name="market_connection_event_add"
)
def connection_event_add(request, public_id: UUID, data: EventIn):
    """Record an introduction, a meeting (up to a year ahead), a note or a follow-up (a broker)."""
    connection = _connection(request, public_id)
    with _answers():
        event = services.event_add(
            actor=request.auth, connection=connection, kind=data.kind, happened_on=data.happened_on, note=data.note
        )
    return Status(201, event)


# FAIRS --------------------------------------------------------------------------------------------
@router.get("/fairs", response={200: list[FairOut], **READ}, url_name="market_fair_list")
@paginate(LimitOffset)
def fair_list(request, filters: Query[FairFilter]):
    """Fairs of the caller's jurisdiction, newest first, with their listings, connections and deals counted."""
    return selectors.fair_list_for(request.auth, status=filters.status or "", year=filters.year)


@router.get("/fairs/{public_id}", response={200: FairDetailOut, **READ_ONE}, url_name="market_fair_detail")
def fair_detail(request, public_id: UUID):
    fair = _fair(request, public_id)
    fair.results = selectors.fair_results(fair)
    return fair


@router.get(
    "/fairs/{public_id}/registrations",
    response={200: list[FairRegistrationOut], **READ_ONE},
    url_name="market_fair_registrations",
)
def fair_registrations(request, public_id: UUID):
    return selectors.fair_registrations(_fair(request, public_id))


@router.get("/fairs/{public_id}/results", response={200: FairResultsOut, **READ_ONE}, url_name="market_fair_results")
def fair_results(request, public_id: UUID):
    return selectors.fair_results(_fair(request, public_id))
