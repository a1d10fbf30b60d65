"""/api/v1/marketplace/: listings of the technology exchange, their moderation and their matches.

Thin like the views: the selectors read and scope, the services write and hold every rule (this
module checks none of them again). Who sees what:

    staff (officer, leader...)  the listings of their jurisdiction, with marketplace.view_listing
    an applicant                the listings it posted or its organisation owns
    anyone else                 nothing: a listing one may not see answers 404

The API needs a token or a session like every other operation of /api/v1/; the public reads the
published listings on the portal (/exchange/), which has no JSON twin.

The services' exceptions become JSON answers in one place (`_answers`):

    PermissionDenied                                   403 {"detail": "..."}
    a record (in the path or the body) not visible     404 {"detail": "..."}
    TransitionNotAllowed, EditConflict (the listing
    was saved since `version`), a rule about the
    listing's state (submitting an incomplete one,
    offering a result twice)                           409 {"detail": "..."}
    any other ValidationError                          422 {"detail": [{"type", "loc", "msg"}, ...]}
    a body that is not JSON                            400 {"detail": "Cannot parse request body"}

A 422 about one field is located at ["body", "data", <field>]; a problem about the whole request at
["body"]. Messages are in the caller's language (Accept-Language; Vietnamese by default).
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
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from pydantic import BeforeValidator, model_validator

from opendost.api.auth import ApiTokenAuth, StaffSessionAuth
from opendost.api.inputs import NO_NUL, NOT_BLANK, IsoDate, JsonBool, PublicId, json_int
from opendost.api.pagination import LimitOffset
from opendost.api.schemas import ErrorOut, ValidationErrorOut
from opendost.classifications.models import ClassificationNode
from opendost.common.locking import EditConflict
from opendost.geography.models import AdminUnit
from opendost.marketplace import matching, permissions, selectors, selectors_public, services, services_searches
from opendost.marketplace.enums import (
    CaptureChannel,
    EquipmentMode,
    IpStatus,
    ListingKind,
    ListingSource,
    ListingStatus,
    ServiceType,
    TransferMode,
)
from opendost.marketplace.models import Listing, ListingFile
from opendost.projects.models import TaskResult
from opendost.subjects.models import Organization, Person
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.selectors import available_transitions

router = Router(tags=["technology exchange"], auth=[ApiTokenAuth(), StaffSessionAuth()])

LIST_RESPONSES = {401: ErrorOut, 422: ValidationErrorOut}
DETAIL_RESPONSES = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}

# ValidationError codes that say "not in this state" or "already done": a conflict with the record
# as it is, not bad input.
STATE_CODES = frozenset({"wrong_state", "already_offered", "unknown_transition"})
BODY = ("body", "data")


# ERRORS -------------------------------------------------------------------------------------------
def _error_items(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return list(error.error_dict.items())
    return [(NON_FIELD_ERRORS, error.error_list)]


def _problems(error: DjangoValidationError) -> list[dict]:
    problems = []
    for name, errors in _error_items(error):
        loc = ["body"] if name == NON_FIELD_ERRORS else [*BODY, name]
        for item in errors:
            problems += [{"type": item.code or "invalid", "loc": loc, "msg": str(m)} for m in item.messages]
    return problems


@contextmanager
def _answers(*, state_error: bool = False):
    """The services' exceptions as the documented answers; `state_error`: the action depends on the
    listing's state and content, so any ValidationError is a 409."""
    try:
        yield
    except TransitionNotAllowed as error:
        raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
    except EditConflict as error:
        raise HttpError(409, error.message) from None
    except PermissionDenied:
        raise HttpError(403, "You may not do this with this listing.") from None
    except DjangoValidationError as error:
        codes = {item.code for _name, items in _error_items(error) for item in items}
        if state_error or codes & STATE_CODES:
            raise HttpError(409, " ".join(str(m) for m in error.messages)) from None
        raise NinjaValidationError(_problems(error)) from None


# INPUT TYPES --------------------------------------------------------------------------------------
Amount = Annotated[int, Field(ge=0, le=10**15), BeforeValidator(json_int)]
RowId = Annotated[int, Field(ge=1, le=2**62), BeforeValidator(json_int)]
Readiness = Annotated[int, Field(ge=1, le=9), BeforeValidator(json_int)]
Version = Annotated[
    int, Field(ge=1, le=2**31, description="The version the change starts from"), BeforeValidator(json_int)
]


def _text(max_length: int, description: str | None = None) -> Any:
    return Field("", max_length=max_length, pattern=NO_NUL, description=description)


def _required_text(max_length: int, description: str | None = None) -> Any:
    return Field(min_length=1, max_length=max_length, pattern=NOT_BLANK, description=description)


class In(Schema):
    """A JSON object (ninja would read the attributes of a string or a list)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value):
        if not isinstance(getattr(value, "_obj", value), dict):
            raise ValueError("Give a JSON object.")
        return value


class ListingCreateSource(StrEnum):
    OWNER = ListingSource.OWNER.value
    OFFICER = ListingSource.OFFICER.value


class ListingFieldsIn(In):
    keywords: str = _text(500, "Keywords, separated by semicolons")
    field: RowId | None = Field(None, description="id of the S&T field (/st-fields)")
    sector: str = _text(200)
    readiness_level: Readiness | None = None
    ip_status: IpStatus | None = None
    transfer_modes: list[TransferMode] = Field(default_factory=list, max_length=len(TransferMode))
    price_vnd: Amount | None = Field(None, description="Indicative price, VND")
    price_negotiable: JsonBool = False
    equipment_mode: EquipmentMode | None = None
    service_type: ServiceType | None = None
    expected_result: str = _text(20_000, "A need: the result the enterprise expects")
    budget_min_vnd: Amount | None = None
    budget_max_vnd: Amount | None = None
    needed_by: IsoDate | None = None
    owner_organization: PublicId | None = Field(None, description="Staff: public_id of the owner organisation")
    owner_person: PublicId | None = Field(None, description="Staff: public_id of the owner person")
    contact_name: str = _text(150)
    contact_email: str = _text(254)
    contact_phone: str = _text(30)
    province: RowId | None = Field(None, description="id of the province (/admin-units)")
    commune: RowId | None = Field(None, description="id of the commune (/admin-units)")
    location_text: str = _text(255)
    valid_from: IsoDate | None = None
    valid_until: IsoDate | None = None
    capture_channel: CaptureChannel | None = Field(None, description="Staff: where a need was captured")


class ListingCreateIn(ListingFieldsIn):
    kind: ListingKind
    title: str = _required_text(300)
    summary: str = _required_text(20_000, "A need: the problem to solve")
    source: ListingCreateSource = Field(
        ListingCreateSource.OWNER, description="Staff: 'officer' for a need captured on an enterprise's behalf"
    )


class ListingUpdateIn(ListingFieldsIn):
    """Only the fields sent are changed."""

    version: Version
    title: str = Field("", max_length=300, pattern=NOT_BLANK)
    summary: str = Field("", max_length=20_000, pattern=NOT_BLANK)


class ListingReturnIn(In):
    reason: str = _required_text(5000, "What the owner must change")


class ListingWithdrawIn(In):
    reason: str = _text(5000)


class OfferFromResultIn(In):
    result: PublicId = Field(description="public_id of an accepted S&T task result")


class ListingFilter(Schema):
    kind: ListingKind | None = None
    status: ListingStatus | None = None
    q: str = Field("", max_length=200, pattern=NO_NUL, description="Words or code, ignoring diacritics")


# OUTPUT -------------------------------------------------------------------------------------------
class ListingBase(Schema):
    public_id: UUID
    code: str
    kind: str
    status: str
    title: str
    department: str
    field_id: int | None
    field: str | None = Field(description="Code of the S&T field")
    province_id: int | None
    readiness_level: int | None
    owner_organization: UUID | None
    owner_person: UUID | None
    owner_name: str
    published_on: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    updated_at: dt.datetime


class ListingOut(ListingBase):
    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code

    @staticmethod
    def resolve_field(obj) -> str | None:
        return obj.field.code if obj.field_id else None

    @staticmethod
    def resolve_owner_organization(obj) -> UUID | None:
        return obj.owner_organization.public_id if obj.owner_organization_id else None

    @staticmethod
    def resolve_owner_person(obj) -> UUID | None:
        return obj.owner_person.public_id if obj.owner_person_id else None

    @staticmethod
    def resolve_owner_name(obj) -> str:
        if obj.owner_organization_id:
            return obj.owner_organization.name
        return obj.owner_person.full_name if obj.owner_person_id else ""


class ListingFileOut(Schema):
    public_id: UUID
    name: str
    size: int
    sha256: str
    is_image: bool


class ListingTransitionOut(Schema):
    name: str
    label: str


class ListingDetailOut(ListingBase):
    version: int
    summary: str
    keywords: str
    sector: str
    ip_status: str
    transfer_modes: list[str]
    price_vnd: int | None
    price_negotiable: bool
    equipment_mode: str
    service_type: str
    expected_result: str
    budget_min_vnd: int | None
    budget_max_vnd: int | None
    needed_by: dt.date | None
    contact_name: str
    contact_email: str
    contact_phone: str
    commune_id: int | None
    location_text: str
    source: str
    capture_channel: str
    source_result: UUID | None = Field(description="public_id of the S&T task result it was made from")
    return_reason: str
    public_url: str | None = Field(description="The page on the public exchange, while the listing is public")
    files: list[ListingFileOut]
    transitions: list[ListingTransitionOut] = Field(description="The status changes the caller may make now")


class MatchedListingOut(Schema):
    """A matched listing as the public sees it (no contact details)."""

    public_id: UUID
    code: str
    kind: str
    title: str
    field: str | None
    province: str | None
    owner: str = Field(description="The owner organisation's name, or 'individual' for a person")
    public_url: str


class ListingMatchOut(Schema):
    listing: MatchedListingOut
    score: float
    reasons: list[str]


# HELPERS ------------------------------------------------------------------------------------------
def _user(request):
    return request.auth


def _listings(user):
    if user.has_perm("marketplace.view_listing"):
        return Listing.objects.visible_to(user)
    return Listing.objects.filter(selectors.owned_filter(user))


def _listing(request, public_id) -> Listing:
    """A listing the caller may see (its jurisdiction's, or its own), or 404."""
    try:
        return selectors.listing_get_for(_user(request), public_id)
    except Http404:
        raise HttpError(404, "No such listing.") from None


def _by_id(model, pk: int | None, label: str):
    if pk is None:
        return None
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise HttpError(404, f"No such {label}.")
    return row


def _by_public_id(queryset, public_id, label: str):
    if public_id is None:
        return None
    row = queryset.filter(public_id=public_id).first()
    if row is None:
        raise HttpError(404, f"No such {label} in the register.")
    return row


REFERENCES = {"field", "province", "commune", "owner_organization", "owner_person"}
CHOICES = {"ip_status", "equipment_mode", "service_type", "capture_channel"}


def _values(user, data: ListingFieldsIn, names) -> dict:
    """The service's keyword arguments for the fields sent: references resolved (404 if unknown or
    not visible), enums as their values ("" for none)."""
    values = {}
    for name in names:
        value = getattr(data, name)
        if name == "field":
            value = _by_id(ClassificationNode, value, "S&T field")
        elif name in {"province", "commune"}:
            value = _by_id(AdminUnit, value, "administrative unit")
        elif name == "owner_organization":
            value = _by_public_id(Organization.objects.visible_to(user), value, "organisation")
        elif name == "owner_person":
            value = _by_public_id(Person.objects.visible_to(user), value, "person")
        elif name in CHOICES:
            value = value.value if value is not None else ""
        elif name == "transfer_modes":
            value = [mode.value for mode in value]
        values[name] = value
    return values


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _public_url(listing: Listing) -> str | None:
    if not permissions.listing_is_public(listing, timezone.localdate()):
        return None
    return _absolute(reverse("exchange:listing_detail", args=[listing.public_id]))


DETAIL_FIELDS = [
    "version",
    "summary",
    "keywords",
    "sector",
    "ip_status",
    "transfer_modes",
    "price_vnd",
    "price_negotiable",
    "equipment_mode",
    "service_type",
    "expected_result",
    "budget_min_vnd",
    "budget_max_vnd",
    "needed_by",
    "contact_name",
    "contact_email",
    "contact_phone",
    "commune_id",
    "location_text",
    "source",
    "capture_channel",
    "return_reason",
]


def _detail(request, listing: Listing) -> dict:
    """The listing as the caller sees it now, with what it may do next."""
    user = _user(request)
    listing = selectors.listing_get_for(user, listing.public_id)
    files = ListingFile.objects.filter(listing=listing).order_by("-is_image", "pk")
    return {
        **ListingOut.model_validate(listing).model_dump(),
        **{name: getattr(listing, name) for name in DETAIL_FIELDS},
        "source_result": listing.source_result.public_id if listing.source_result_id else None,
        "public_url": _public_url(listing),
        "files": list(files),
        "transitions": [{"name": t.name, "label": t.display} for t in available_transitions(listing, user)],
    }


# LISTINGS -----------------------------------------------------------------------------------------
@router.get("/listings", response={200: list[ListingOut], **LIST_RESPONSES}, url_name="marketplace_listing_list")
@paginate(LimitOffset)
def listing_list(request, filters: Query[ListingFilter]):
    """Staff: the listings of their jurisdiction; an applicant: its own. Newest change first."""
    user = _user(request)
    values = {k: v for k, v in filters.model_dump().items() if v}
    if user.has_perm("marketplace.view_listing"):
        return selectors.listing_list_for(user, values)
    return selectors.my_listings_for(user, values)


@router.post("/listings", response={201: ListingDetailOut, **WRITE}, url_name="marketplace_listing_create")
def listing_create(request, data: ListingCreateIn):
    """Post a draft listing. Staff post in their department for an owner of the register (or capture
    a need with `source` "officer" and `capture_channel`); an applicant posts for its organisation,
    so it sends no owner. The rules of the kind are checked at once (422 per field)."""
    user = _user(request)
    names = [n for n in ListingFieldsIn.model_fields if n in data.model_fields_set]
    values = _values(user, data, names)
    with _answers():
        listing = services.listing_create(
            actor=user,
            kind=data.kind.value,
            source=data.source.value,
            title=data.title,
            summary=data.summary,
            **values,
        )
    return Status(201, _detail(request, listing))


@router.get(
    "/listings/{public_id}",
    response={200: ListingDetailOut, **DETAIL_RESPONSES},
    url_name="marketplace_listing_detail",
)
def listing_detail(request, public_id: UUID):
    """A listing with its files, its version (send it back to edit) and the moves the caller may make."""
    return _detail(request, _listing(request, public_id))


@router.post(
    "/listings/{public_id}/edit", response={200: ListingDetailOut, **WRITE}, url_name="marketplace_listing_update"
)
def listing_update(request, public_id: UUID, data: ListingUpdateIn):
    """Change the fields sent. The owner edits a draft or returned listing; staff of the department
    any listing but a withdrawn one. 409 if the listing was saved since `version`."""
    listing = _listing(request, public_id)
    sent = data.model_fields_set - {"version"}
    names = [n for n in (*ListingFieldsIn.model_fields, "title", "summary") if n in sent]
    values = _values(_user(request), data, names)
    with _answers():
        services.listing_update(actor=_user(request), listing=listing, expected_version=data.version, **values)
    return _detail(request, listing)


@router.post(
    "/listings/{public_id}/submit", response={200: ListingDetailOut, **WRITE}, url_name="marketplace_listing_submit"
)
def listing_submit(request, public_id: UUID):
    """Send a draft or returned listing to moderation; every rule is checked again (409 with the
    problems if it is incomplete)."""
    listing = _listing(request, public_id)
    with _answers(state_error=True):
        services.listing_submit(actor=_user(request), listing=listing)
    return _detail(request, listing)


@router.post(
    "/listings/{public_id}/approve", response={200: ListingDetailOut, **WRITE}, url_name="marketplace_listing_approve"
)
def listing_approve(request, public_id: UUID):
    """Publish a submitted listing (marketplace.moderate_listing in its department): valid for 12
    months unless its validity was given; matching and saved-search alerts follow."""
    listing = _listing(request, public_id)
    with _answers(state_error=True):
        services.listing_publish(actor=_user(request), listing=listing)
    return _detail(request, listing)


@router.post(
    "/listings/{public_id}/return", response={200: ListingDetailOut, **WRITE}, url_name="marketplace_listing_return"
)
def listing_return(request, public_id: UUID, data: ListingReturnIn):
    """Return a submitted listing to its owner with the reasons."""
    listing = _listing(request, public_id)
    with _answers():
        services.listing_return(actor=_user(request), listing=listing, reason=data.reason)
    return _detail(request, listing)


@router.post(
    "/listings/{public_id}/withdraw",
    response={200: ListingDetailOut, **WRITE},
    url_name="marketplace_listing_withdraw",
)
def listing_withdraw(request, public_id: UUID, data: ListingWithdrawIn):
    """The owner or staff take a published or expired listing off the exchange."""
    listing = _listing(request, public_id)
    with _answers():
        services.listing_withdraw(actor=_user(request), listing=listing, reason=data.reason)
    return _detail(request, listing)


@router.post(
    "/offers/from-result", response={201: ListingDetailOut, **WRITE}, url_name="marketplace_offer_from_result"
)
def offer_from_result(request, data: OfferFromResultIn):
    """Turn an accepted S&T task result of the caller's jurisdiction into a draft offer, filled from
    the result. 409 if the task has not passed its acceptance or the result is already offered."""
    user = _user(request)
    result = _by_public_id(TaskResult.objects.visible_to(user).select_related("task"), data.result, "task result")
    with _answers():
        listing = services.offer_from_result(actor=user, result=result)
    return Status(201, _detail(request, listing))


# MATCHES ------------------------------------------------------------------------------------------
class ListingMatchFilter(Schema):
    limit: int = Field(10, ge=1, le=50, description="At most this many matches")


def _match_out(match: matching.Match, listing: Listing) -> dict:
    owner = selectors_public.public_owner(listing)
    return {
        "listing": {
            "public_id": listing.public_id,
            "code": listing.code,
            "kind": listing.kind,
            "title": listing.title,
            "field": listing.field.code if listing.field_id else None,
            "province": listing.province.name if listing.province_id else None,
            "owner": "individual" if owner.individual else owner.organization,
            "public_url": _absolute(reverse("exchange:listing_detail", args=[listing.public_id])),
        },
        "score": round(match.score, 4),
        "reasons": [str(r) for r in match.reasons],
    }


@router.get(
    "/listings/{public_id}/matches",
    response={200: list[ListingMatchOut], **DETAIL_RESPONSES},
    url_name="marketplace_listing_matches",
)
def listing_matches(request, public_id: UUID, filters: Query[ListingMatchFilter]):
    """For a need, the public offers that may answer it (for an offer, the needs), best first, with
    the reasons they matched (shared terms, field, readiness, place)."""
    listing = _listing(request, public_id)
    today = timezone.localdate()
    matches = matching.matches_for(listing, limit=filters.limit, today=today)
    public = selectors_public.public_in_bulk([m.listing.pk for m in matches], today=today)
    return [_match_out(m, public[m.listing.pk]) for m in matches if m.listing.pk in public]


# SAVED SEARCHES -----------------------------------------------------------------------------------
class SavedSearchIn(In):
    name: str = _required_text(150)
    kind: ListingKind | None = None
    query: str = _text(300, "Words, every one of which a listing must hold (diacritics ignored)")
    field: RowId | None = Field(None, description="id of the S&T field (/st-fields); its sub-fields match too")
    province: RowId | None = Field(None, description="id of the province (/admin-units)")
    min_readiness_level: Readiness | None = None
    alerts: JsonBool = True


class SavedSearchOut(Schema):
    public_id: UUID
    name: str
    kind: str
    query: str
    field_id: int | None
    province_id: int | None
    min_readiness_level: int | None
    alerts: bool
    created_at: dt.datetime


@router.get(
    "/saved-searches", response={200: list[SavedSearchOut], **LIST_RESPONSES}, url_name="marketplace_search_list"
)
@paginate(LimitOffset)
def saved_search_list(request):
    """The caller's own saved searches."""
    return selectors_public.saved_searches_for(_user(request))


@router.post("/saved-searches", response={201: SavedSearchOut, **WRITE}, url_name="marketplace_search_create")
def saved_search_create(request, data: SavedSearchIn):
    """Keep a search; with `alerts`, a newly published listing that meets it is notified (in the app
    and by email). At least one criterion; at most 20 searches each (422)."""
    with _answers():
        search = services_searches.saved_search_create(
            actor=_user(request),
            name=data.name,
            kind=data.kind.value if data.kind else "",
            query=data.query,
            field=_by_id(ClassificationNode, data.field, "S&T field"),
            province=_by_id(AdminUnit, data.province, "administrative unit"),
            min_readiness_level=data.min_readiness_level,
            alerts=data.alerts,
        )
    return Status(201, search)


@router.post(
    "/saved-searches/{public_id}/delete",
    response={200: SavedSearchOut, **WRITE},
    url_name="marketplace_search_delete",
)
def saved_search_delete(request, public_id: UUID):
    """Delete one of the caller's saved searches (another user's is not found); answers what it was."""
    try:
        search = selectors_public.saved_search_get_for(_user(request), public_id)
    except Http404:
        raise HttpError(404, "No such saved search.") from None
    answer = SavedSearchOut.model_validate(search).model_dump()
    with _answers():
        services_searches.saved_search_delete(actor=_user(request), search=search)
    return answer
