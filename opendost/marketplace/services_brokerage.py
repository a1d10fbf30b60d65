"""The only writers of brokerage: connections between supply and demand, their timeline and
documents, and technology fairs.

Every function takes keyword arguments and an `actor`, runs in one transaction, checks who may act
first (PermissionDenied), then the data (ValidationError by field, all problems at once), and writes
an audit event for every change. Statuses move only through `transition_apply`
(workflows_brokerage.py); the data of a move (the deal's contract, the reason dropped, the follow-up)
is written in the same transaction, so a refused move writes nothing.

How a connection starts:
1. `interest_express`: an applicant acting for an enterprise (user.organization) is interested in a
   published offer, equipment or service of someone else; once per organisation and listing while a
   connection between them is open. The listing's owner and the department's brokers are notified.
2. `need_answer`: the owner of a published offer answers a published need with it.
3. `connection_create_by_officer`: a broker links an offer with a need or an enterprise, e.g. at a fair.

Edits of a connection are optimistic-locked (`expected_version`, opendost.common.locking): two
officers never silently overwrite each other.
"""

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opendost.accounts.models import User
from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.common.locking import conflict_for, save_with_version
from opendost.common.text import normalize
from opendost.departments.models import Department
from opendost.departments.scoping import in_jurisdiction
from opendost.marketplace.enums import (
    ConnectionEventKind,
    ConnectionStatus,
    FairKind,
    FairStatus,
    ListingKind,
    TransferMode,
)
from opendost.marketplace.models import (
    Connection,
    ConnectionEvent,
    ConnectionFile,
    Fair,
    FairListing,
    Listing,
)
from opendost.marketplace.permissions import is_listing_owner, listing_is_public
from opendost.marketplace.permissions_brokerage import (
    BROKER_PERM,
    applicant_organization_id,
    can_add_fair,
    can_broker,
    can_broker_in,
    can_change_fair,
    owner_organization_id,
)
from opendost.marketplace.workflows_brokerage import DEAL_STATES, OPEN_STATES
from opendost.notifications.enums import MessageChannel
from opendost.notifications.services import notify
from opendost.numbering.services import number_next
from opendost.subjects.models import Organization
from opendost.workflow.services import transition_apply

SUPPLY_KINDS = (ListingKind.OFFER, ListingKind.EQUIPMENT, ListingKind.SERVICE)
CHANNELS = [MessageChannel.IN_APP, MessageChannel.EMAIL]
MESSAGE_MAX = 4000
NOTE_MAX = 4000
MAX_DEAL_VND = 10**15  # a million billion VND: anything above is a typing error
MAX_FILE_BYTES = 20 * 1024 * 1024
# Accepted documents by extension, with the first bytes each kind of file starts with: the name alone
# is not trusted (a renamed executable is refused).
ZIP, OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
FILE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": ZIP,
    "xlsx": ZIP,
    "odt": ZIP,
    "ods": ZIP,
    "doc": OLE,
    "xls": OLE,
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONNECTION_EDITABLE = frozenset({"broker", "fair"})
DEAL_FIELDS = frozenset({"deal_signed_on", "deal_value_vnd", "deal_mode", "deal_contract_ref"})
FOLLOW_UP_FIELDS = frozenset({"followed_up_on", "follow_up_note"})
AUDITED = [
    "offer",
    "need",
    "seeker",
    "message",
    "broker",
    "fair",
    "deal_signed_on",
    "deal_value_vnd",
    "deal_mode",
    "deal_contract_ref",
    "drop_reason",
    "followed_up_on",
    "follow_up_note",
]
FAIR_FIELDS = frozenset({"title", "kind", "starts_on", "ends_on", "venue", "province", "description"})
TRANSITIONS = ("introduce", "meet", "negotiate", "sign_deal", "drop", "follow_up")


# HELPERS ------------------------------------------------------------------------------------------
def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _add(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _coded(field: str, message, code: str) -> ValidationError:
    """A ValidationError on `field` whose code says why (the API answers 409 for some codes)."""
    return ValidationError({field: [ValidationError(message, code=code)]})


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value: str | None, *, multiline: bool = False) -> str:
    if not value:
        return ""
    if multiline:
        return "\n".join(line.rstrip() for line in str(value).replace("\r\n", "\n").strip().split("\n"))
    return normalize(value)


def _not_future(errors: dict, field: str, value, *, label_required) -> None:
    if value is None:
        _add(errors, field, label_required)
    elif value > timezone.localdate():
        _add(errors, field, _("This date cannot be in the future."))


def _current_department(department: Department) -> Department:
    """The department that holds `department`'s records today (itself, or its successor if it ceased)."""
    today = timezone.localdate()
    seen = set()
    while department.valid_to is not None and department.valid_to < today and department.successor_id:
        if department.pk in seen:  # a loop in the data: stay where we are
            break
        seen.add(department.pk)
        department = department.successor
    return department


def _snapshot(connection: Connection) -> dict:
    return model_snapshot(connection, AUDITED)


def _check_version(connection: Connection, expected_version: int | None, fields) -> None:
    if expected_version is not None and expected_version != connection.version:
        raise conflict_for(connection, fields=fields, original=None)


def _locked(connection: Connection) -> Connection:
    """The row as it is now (locked on PostgreSQL until commit; SQLite's writer lock covers it)."""
    return (
        Connection.objects.select_for_update(of=("self",))
        .select_related("offer", "need", "department")
        .get(pk=connection.pk)
    )


def open_between(*, offer: Listing, seeker_id: int | None = None, need: Listing | None = None):
    rows = Connection.objects.filter(offer=offer, status__in=OPEN_STATES)
    if need is not None and seeker_id is not None:
        return rows.filter(Q(need=need) | Q(seeker_id=seeker_id))
    if need is not None:
        return rows.filter(need=need)
    return rows.filter(seeker_id=seeker_id)


def _next_code(department: Department, today: dt.date) -> str:
    number, _symbol = number_next(department=department, doc_type="KN", year=today.year, suffix="KN", on=today)
    return f"KN.{today.year}.{department.pk}.{number:04d}"


def _is_supply(listing: Listing | None) -> bool:
    return listing is not None and listing.kind in SUPPLY_KINDS


# NOTIFICATIONS ------------------------------------------------------------------------------------
def _department_and_successors(department_id: int) -> list[int]:
    ids, current = [], Department.objects.filter(pk=department_id).first()
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = current.successor
    return ids


def broker_users(department_id: int) -> list[User]:
    """Active officers who may broker the department's connections (their department holds it)."""
    app_label, codename = BROKER_PERM.split(".")
    granted = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    rows = User.objects.filter(granted, is_active=True, department_id__in=_department_and_successors(department_id))
    return list(rows.distinct().order_by("pk"))


def _organization_users(organization_id: int | None) -> list[User]:
    if organization_id is None:
        return []
    return list(User.objects.filter(organization_id=organization_id, is_active=True).order_by("pk"))


def _notify_new_connection(connection: Connection, *, party_organization_id: int | None) -> None:
    """Tell the other party (owner of the offer, or of the need answered) and the brokers."""
    values = {"code": connection.code, "title": connection.offer.title}
    if connection.need_id and party_organization_id == owner_organization_id(connection.need):
        values["title"] = connection.need.title
    with translation.override(settings.LANGUAGE_CODE):
        party = [u for u in _organization_users(party_organization_id) if u.pk != connection.requested_by_id]
        if party:
            notify(
                event_key=f"marketplace.connection.{connection.pk}.requested.party",
                recipients=party,
                subject=_(gettext_noop("New interest in your listing: %(title)s")) % values,
                body=_(
                    gettext_noop(
                        "An organisation is interested in “%(title)s” (connection %(code)s). "
                        "An officer of the Department will introduce you."
                    )
                )
                % values,
                channels=CHANNELS,
                context={"url": reverse("marketplace:my_connection_detail", args=[connection.public_id])},
            )
        brokers = [u for u in broker_users(connection.department_id) if u.pk != connection.requested_by_id]
        if brokers:
            notify(
                event_key=f"marketplace.connection.{connection.pk}.requested.brokers",
                recipients=brokers,
                subject=_(gettext_noop("New connection to follow: %(code)s")) % values,
                body=_(gettext_noop("Connection %(code)s on “%(title)s” is waiting for an introduction.")) % values,
                channels=CHANNELS,
                context={"url": connection.get_absolute_url()},
            )


# CREATION -----------------------------------------------------------------------------------------
def _create(
    *,
    actor,
    offer: Listing,
    need: Listing | None,
    seeker: Organization | None,
    message: str,
    fair: Fair | None = None,
    broker=None,
    party_organization_id: int | None,
) -> Connection:
    today = timezone.localdate()
    department = _current_department(offer.department)
    connection = Connection(
        department=department,
        code=_next_code(department, today),
        offer=offer,
        need=need,
        seeker=seeker,
        message=message,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        fair=fair,
        broker=broker,
    )
    connection.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=connection, after=_snapshot(connection))
    _notify_new_connection(connection, party_organization_id=party_organization_id)
    return connection


def _listing_locked(listing: Listing) -> Listing:
    """Lock the listing the connection is about, so two requests for it are checked one after the other."""
    return (
        Listing.objects.select_for_update(of=("self",)).select_related("owner_person", "department").get(pk=listing.pk)
    )


@transaction.atomic
def interest_express(*, actor, offer: Listing, message: str = "") -> Connection:
    """An enterprise (the applicant's organisation) expresses interest in a published offer, equipment
    or service that is not its own. Once per organisation and listing while a connection is open."""
    organization_id = applicant_organization_id(actor)
    _require(organization_id is not None)
    offer = _listing_locked(offer)
    today = timezone.localdate()
    if not _is_supply(offer) or not listing_is_public(offer, today):
        raise _coded(
            "offer", _("Interest can be expressed only in a published offer, equipment or service."), "not_published"
        )
    if is_listing_owner(actor, offer) or owner_organization_id(offer) == organization_id:
        raise _coded("offer", _("This listing is your own organisation's."), "own_listing")
    message = _text(message, multiline=True)
    if len(message) > MESSAGE_MAX:
        raise ValidationError({"message": [_("Keep the message under 4,000 characters.")]})
    existing = open_between(offer=offer, seeker_id=organization_id).first()
    if existing is not None:
        message_text = _("Your organisation already expressed interest in this listing (connection %(code)s).")
        raise _coded("offer", message_text % {"code": existing.code}, "duplicate")
    return _create(
        actor=actor,
        offer=offer,
        need=None,
        seeker=actor.organization,
        message=message,
        party_organization_id=owner_organization_id(offer),
    )


@transaction.atomic
def need_answer(*, actor, need: Listing, offer: Listing, message: str = "") -> Connection:
    """The owner of a published offer answers a published need of someone else with it."""
    organization_id = applicant_organization_id(actor)
    _require(organization_id is not None)
    need = _listing_locked(need)
    offer = _listing_locked(offer)
    today = timezone.localdate()
    errors: dict = {}
    if need.kind != ListingKind.NEED or not listing_is_public(need, today):
        _add(errors, "need", _("Only a published technology need can be answered."))
    elif is_listing_owner(actor, need) or owner_organization_id(need) == organization_id:
        _add(errors, "need", _("This need is your own organisation's."))
    if not _is_supply(offer) or not listing_is_public(offer, today):
        _add(errors, "offer", _("Answer with a published offer, equipment or service."))
    elif not (is_listing_owner(actor, offer) or owner_organization_id(offer) == organization_id):
        _add(errors, "offer", _("Answer with one of your own organisation's listings."))
    message = _text(message, multiline=True)
    if len(message) > MESSAGE_MAX:
        _add(errors, "message", _("Keep the message under 4,000 characters."))
    _raise(errors)
    existing = open_between(offer=offer, need=need).first()
    if existing is not None:
        raise _coded(
            "need",
            _("This offer is already connected to this need (connection %(code)s).") % {"code": existing.code},
            "duplicate",
        )
    seeker_id = owner_organization_id(need)
    return _create(
        actor=actor,
        offer=offer,
        need=need,
        seeker=Organization.objects.filter(pk=seeker_id).first() if seeker_id else None,
        message=message,
        party_organization_id=seeker_id,
    )


@transaction.atomic
def connection_create_by_officer(
    *,
    actor,
    offer: Listing,
    need: Listing | None = None,
    seeker: Organization | None = None,
    fair: Fair | None = None,
    broker=None,
    message: str = "",
) -> Connection:
    """A broker links a supply listing with a need or an interested enterprise (e.g. met at a fair).
    Without a seeker, the need's owner is the interested party."""
    _require(can_broker_in(actor, offer.department_id))
    offer = _listing_locked(offer)
    today = timezone.localdate()
    errors: dict = {}
    if not _is_supply(offer) or not listing_is_public(offer, today):
        _add(errors, "offer", _("Choose a published offer, equipment or service."))
    if need is not None:
        if need.kind != ListingKind.NEED or not listing_is_public(need, today):
            _add(errors, "need", _("Choose a published technology need."))
        elif not in_jurisdiction(actor, need.department_id):
            _add(errors, "need", _("Choose a need of your department."))
    if seeker is None and need is not None:
        seeker_id = owner_organization_id(need)
        seeker = Organization.objects.filter(pk=seeker_id).first() if seeker_id else None
    if need is None and seeker is None:
        _add(errors, "seeker", _("Choose the need or the interested enterprise."))
    if seeker is not None and not in_jurisdiction(actor, seeker.department_id):
        _add(errors, "seeker", _("Choose an organisation of your department's register."))
    if seeker is not None and seeker.pk == owner_organization_id(offer):
        _add(errors, "seeker", _("The interested party cannot be the listing's owner."))
    if fair is not None:
        _fair_errors(errors, actor, fair)
    if broker is not None:
        _broker_errors(errors, broker, offer.department_id)
    message = _text(message, multiline=True)
    if len(message) > MESSAGE_MAX:
        _add(errors, "message", _("Keep the message under 4,000 characters."))
    _raise(errors)
    existing = open_between(offer=offer, seeker_id=seeker.pk if seeker else None, need=need).first()
    if existing is not None:
        raise _coded(
            "offer",
            _("An open connection already links them (connection %(code)s).") % {"code": existing.code},
            "duplicate",
        )
    return _create(
        actor=actor,
        offer=offer,
        need=need,
        seeker=seeker,
        message=message,
        fair=fair,
        broker=broker,
        party_organization_id=None,  # the officer contacts the parties; the brokers are told
    )


def _fair_errors(errors: dict, actor, fair: Fair) -> None:
    if not in_jurisdiction(actor, fair.department_id):
        _add(errors, "fair", _("Choose a fair of your department."))
    elif fair.status == FairStatus.CANCELLED:
        _add(errors, "fair", _("This fair was cancelled."))


def _broker_errors(errors: dict, broker, department_id: int) -> None:
    if not (getattr(broker, "is_active", False) and can_broker_in(broker, department_id)):
        _add(errors, "broker", _("Choose an officer who follows connections in this department."))


# EDITS --------------------------------------------------------------------------------------------
@transaction.atomic
def connection_update(
    *, actor, connection: Connection, expected_version: int | None = None, original: dict | None = None, **changes: Any
) -> Connection:
    """Change the officer following the connection or the fair it was made at; correct the deal's
    data once signed and the follow-up once recorded. Raises EditConflict, writing nothing, when
    someone saved the connection after `expected_version`."""
    allowed = CONNECTION_EDITABLE | DEAL_FIELDS | FOLLOW_UP_FIELDS
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    _require(can_broker(actor, connection))
    current = _locked(connection)
    errors: dict = {}
    if set(changes) & DEAL_FIELDS and current.status not in DEAL_STATES:
        _add(errors, "deal_signed_on", _("The deal's data can be corrected only once it is signed."))
    if set(changes) & FOLLOW_UP_FIELDS and current.status != ConnectionStatus.FOLLOWED_UP:
        _add(errors, "followed_up_on", _("The follow-up can be corrected only once it is recorded."))
    _raise(errors)
    before = _snapshot(current)
    if "broker" in changes and changes["broker"] is not None:
        _broker_errors(errors, changes["broker"], current.department_id)
    if changes.get("fair") is not None:
        _fair_errors(errors, actor, changes["fair"])
    for name, value in changes.items():
        setattr(current, name, value)
    if set(changes) & DEAL_FIELDS:
        _deal_errors(errors, current)
    if set(changes) & FOLLOW_UP_FIELDS:
        current.follow_up_note = _text(current.follow_up_note, multiline=True)
        _follow_up_errors(errors, current)
    _raise(errors)
    version = current.version if expected_version is None else expected_version
    save_with_version(current, expected_version=version, fields=sorted(changes), actor=actor, original=original)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, before=before, after=_snapshot(current))
    return current


def connection_assign_broker(*, actor, connection: Connection, broker, expected_version: int | None = None):
    return connection_update(actor=actor, connection=connection, broker=broker, expected_version=expected_version)


def _deal_errors(errors: dict, connection: Connection) -> None:
    _not_future(
        errors, "deal_signed_on", connection.deal_signed_on, label_required=_("Give the date the contract was signed.")
    )
    value = connection.deal_value_vnd
    if value is None or isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        _add(errors, "deal_value_vnd", _("Give the contract's value in VND, more than 0."))
    elif value > MAX_DEAL_VND:
        _add(errors, "deal_value_vnd", _("This value is too large: check the number of digits."))
    if connection.deal_mode not in TransferMode.values:
        _add(errors, "deal_mode", _("Choose the transfer mode."))
    connection.deal_contract_ref = _text(connection.deal_contract_ref)
    if not connection.deal_contract_ref:
        _add(errors, "deal_contract_ref", _("Give the contract number."))
    elif len(connection.deal_contract_ref) > 100:
        _add(errors, "deal_contract_ref", _("Keep the contract number under 100 characters."))


def _follow_up_errors(errors: dict, connection: Connection) -> None:
    _not_future(
        errors, "followed_up_on", connection.followed_up_on, label_required=_("Give the date of the follow-up.")
    )
    signed = connection.deal_signed_on
    if connection.followed_up_on and signed and connection.followed_up_on < signed:
        _add(errors, "followed_up_on", _("The follow-up comes after the contract was signed."))
    if not connection.follow_up_note:
        _add(errors, "follow_up_note", _("Say how the transfer went."))
    elif len(connection.follow_up_note) > NOTE_MAX:
        _add(errors, "follow_up_note", _("Keep the note under 4,000 characters."))


# TRANSITIONS --------------------------------------------------------------------------------------
def _event_errors(errors: dict, kind: str, happened_on, note: str) -> None:
    if kind not in ConnectionEventKind.values:
        _add(errors, "kind", _("Choose what happened."))
    if happened_on is None:
        _add(errors, "happened_on", _("Give the date."))
    elif kind == ConnectionEventKind.MEETING:
        if happened_on > timezone.localdate() + dt.timedelta(days=365):
            _add(errors, "happened_on", _("A meeting is planned at most a year ahead."))
    elif happened_on > timezone.localdate():
        _add(errors, "happened_on", _("This date cannot be in the future."))
    if not note:
        _add(errors, "note", _("Write what happened."))
    elif len(note) > NOTE_MAX:
        _add(errors, "note", _("Keep the note under 4,000 characters."))


def _event_create(actor, connection: Connection, kind: str, happened_on, note: str) -> ConnectionEvent:
    event = ConnectionEvent.objects.create(
        connection=connection, kind=kind, happened_on=happened_on, note=note, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=event,
        after=model_snapshot(event, ["kind", "happened_on", "note"]),
        department_id=connection.department_id,
    )
    return event


def _move(
    actor,
    connection: Connection,
    name: str,
    *,
    expected_version: int | None,
    fields: dict | None = None,
    event: tuple[str, dt.date | None, str] | None = None,
    note: str = "",
) -> Connection:
    """Write the move's data (version-locked), its timeline event, then the transition itself."""
    _require(can_broker(actor, connection))
    current = _locked(connection)
    fields = fields or {}
    _check_version(current, expected_version, sorted(fields) or ["broker"])
    if fields:
        before = _snapshot(current)
        for key, value in fields.items():
            setattr(current, key, value)
        save_with_version(current, expected_version=current.version, fields=sorted(fields), actor=actor)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, before=before, after=_snapshot(current))
    if event is not None:
        _event_create(actor, current, *event)
    return transition_apply(current, name, actor=actor, note=note)


def _state_guard(connection: Connection, name: str) -> None:
    """Report a move that the state does not allow before checking its data (the engine says it again)."""
    from opendost.workflow.engine import workflow_for
    from opendost.workflow.exceptions import TransitionNotAllowed

    transition = workflow_for(connection).get(name)
    current = Connection.objects.filter(pk=connection.pk).values_list("status", flat=True).first()
    if transition is None or current not in {str(s) for s in transition.sources}:
        workflow = workflow_for(connection)
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while the connection is “%(state)s”.")
            % {
                "action": transition.display if transition else name,
                "state": workflow.label_of(current or ""),
            },
            code="wrong_state",
        )


@transaction.atomic
def connection_introduce(
    *, actor, connection: Connection, on: dt.date | None = None, note: str = "", expected_version: int | None = None
) -> Connection:
    """The broker has put the parties in touch: an introduction on the timeline, then "introduced"."""
    _require(can_broker(actor, connection))
    _state_guard(connection, "introduce")
    on = on or timezone.localdate()
    note = _text(note, multiline=True) or _("The parties were introduced to each other.")
    errors: dict = {}
    _event_errors(errors, ConnectionEventKind.INTRODUCTION, on, note)
    _raise(errors)
    return _move(
        actor,
        connection,
        "introduce",
        expected_version=expected_version,
        event=(ConnectionEventKind.INTRODUCTION, on, note),
    )


@transaction.atomic
def connection_meet(
    *, actor, connection: Connection, on: dt.date | None, note: str, expected_version: int | None = None
) -> Connection:
    """The first meeting of the parties (date and what was discussed); later ones are events."""
    _require(can_broker(actor, connection))
    _state_guard(connection, "meet")
    note = _text(note, multiline=True)
    errors: dict = {}
    _event_errors(errors, ConnectionEventKind.MEETING, on, note)
    _raise(errors)
    return _move(
        actor, connection, "meet", expected_version=expected_version, event=(ConnectionEventKind.MEETING, on, note)
    )


@transaction.atomic
def connection_negotiate(
    *, actor, connection: Connection, note: str = "", expected_version: int | None = None
) -> Connection:
    """The parties negotiate a contract (after meetings, or straight after the introduction)."""
    _require(can_broker(actor, connection))
    _state_guard(connection, "negotiate")
    note = _text(note, multiline=True)
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("Keep the note under 4,000 characters.")]})
    return _move(actor, connection, "negotiate", expected_version=expected_version, note=note)


@transaction.atomic
def connection_sign_deal(
    *,
    actor,
    connection: Connection,
    signed_on: dt.date | None,
    value_vnd: int | None,
    mode: str,
    contract_ref: str,
    expected_version: int | None = None,
) -> Connection:
    """A transfer contract was signed: its date (not in the future), value in VND (> 0), transfer
    mode and number. Deals count in the plan's indicator market_deals by the signing date."""
    _require(can_broker(actor, connection))
    _state_guard(connection, "sign_deal")
    probe = Connection(
        deal_signed_on=signed_on, deal_value_vnd=value_vnd, deal_mode=mode or "", deal_contract_ref=contract_ref
    )
    errors: dict = {}
    _deal_errors(errors, probe)
    _raise(errors)
    fields = {
        "deal_signed_on": signed_on,
        "deal_value_vnd": value_vnd,
        "deal_mode": mode,
        "deal_contract_ref": probe.deal_contract_ref,
    }
    return _move(actor, connection, "sign_deal", expected_version=expected_version, fields=fields)


@transaction.atomic
def connection_drop(*, actor, connection: Connection, reason: str, expected_version: int | None = None) -> Connection:
    """The connection ends without a deal; the reason is required."""
    _require(can_broker(actor, connection))
    _state_guard(connection, "drop")
    reason = _text(reason, multiline=True)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason the connection is dropped.")]})
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": [_("Keep the reason under 4,000 characters.")]})
    return _move(
        actor, connection, "drop", expected_version=expected_version, fields={"drop_reason": reason}, note=reason
    )


@transaction.atomic
def connection_follow_up(
    *, actor, connection: Connection, on: dt.date | None, note: str, expected_version: int | None = None
) -> Connection:
    """After the transfer: how it went (date not before the contract, not in the future)."""
    _require(can_broker(actor, connection))
    _state_guard(connection, "follow_up")
    note = _text(note, multiline=True)
    current = Connection.objects.get(pk=connection.pk)
    probe = Connection(deal_signed_on=current.deal_signed_on, followed_up_on=on, follow_up_note=note)
    errors: dict = {}
    _follow_up_errors(errors, probe)
    _raise(errors)
    return _move(
        actor,
        connection,
        "follow_up",
        expected_version=expected_version,
        fields={"followed_up_on": on, "follow_up_note": note},
        event=(ConnectionEventKind.FOLLOW_UP, on, note),
    )


# The data each move takes, for `connection_transition`.
TRANSITION_DATA = {
    "introduce": ("on", "note"),
    "meet": ("on", "note"),
    "negotiate": ("note",),
    "sign_deal": ("signed_on", "value_vnd", "mode", "contract_ref"),
    "drop": ("reason",),
    "follow_up": ("on", "note"),
}
_TEXT_DATA = {"note", "reason", "mode", "contract_ref"}


def connection_transition(
    *, actor, connection: Connection, name: str, expected_version: int | None = None, **data: Any
) -> Connection:
    """One entry point for the views and the API: `name` is one of TRANSITIONS, `data` its fields
    (others are ignored; a missing text is empty)."""
    services = {
        "introduce": connection_introduce,
        "meet": connection_meet,
        "negotiate": connection_negotiate,
        "sign_deal": connection_sign_deal,
        "drop": connection_drop,
        "follow_up": connection_follow_up,
    }
    if name not in services:
        raise ValueError(f"Unknown transition {name!r}")
    kwargs = {}
    for key in TRANSITION_DATA[name]:
        value = data.get(key)
        kwargs[key] = ("" if value is None else value) if key in _TEXT_DATA else value
    return services[name](actor=actor, connection=connection, expected_version=expected_version, **kwargs)


# EVENTS AND FILES ---------------------------------------------------------------------------------
@transaction.atomic
def event_add(*, actor, connection: Connection, kind: str, happened_on: dt.date | None, note: str) -> ConnectionEvent:
    """A line of the timeline: an introduction, a meeting (may be planned up to a year ahead), a note
    or a follow-up. The parties see the events of their connections (there is no private note)."""
    _require(can_broker(actor, connection))
    note = _text(note, multiline=True)
    errors: dict = {}
    _event_errors(errors, kind, happened_on, note)
    _raise(errors)
    return _event_create(actor, _locked(connection), kind, happened_on, note)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


@transaction.atomic
def file_add(*, actor, connection: Connection, upload, title: str = "") -> ConnectionFile:
    """A document of the connection (the contract, meeting minutes, an NDA): pdf, doc(x), xls(x),
    odt, ods, jpg or png, at most 20 MB, whose content matches its type; its SHA-256 is kept."""
    _require(can_broker(actor, connection))
    original = (getattr(upload, "name", "") or "file").replace("\\", "/").rsplit("/", 1)[-1][:255]
    extension = _extension(original)
    errors: dict = {}
    if extension not in FILE_SIGNATURES:
        _add(
            errors,
            "file",
            _("This type of file is not accepted. Accepted: %(list)s.") % {"list": ", ".join(sorted(FILE_SIGNATURES))},
        )
        _raise(errors)
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        _add(errors, "file", _("The file is larger than 20 MB."))
        _raise(errors)
    content = upload.read(MAX_FILE_BYTES + 1)
    if not content:
        _add(errors, "file", _("The file is empty."))
    elif len(content) > MAX_FILE_BYTES:
        _add(errors, "file", _("The file is larger than 20 MB."))
    elif not content.startswith(FILE_SIGNATURES[extension]):
        _add(errors, "file", _("The file's content is not a %(type)s file.") % {"type": extension.upper()})
    title = _text(title) or original
    if len(title) > 255:
        _add(errors, "title", _("Keep the title under 255 characters."))
    _raise(errors)
    item = ConnectionFile(
        connection=connection,
        title=title,
        name=original,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    item.file.save(original, ContentFile(content), save=False)
    item.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=item,
        after=model_snapshot(item, ["title", "name", "size", "sha256"]),
        department_id=connection.department_id,
    )
    return item


# FAIRS --------------------------------------------------------------------------------------------
def _fair_save(fair: Fair, data: dict) -> Fair:
    errors: dict = {}
    for name, value in data.items():
        if name in {"title", "venue"}:
            value = _text(value)
        elif name == "description":
            value = _text(value, multiline=True)
        setattr(fair, name, value)
    if not fair.title:
        _add(errors, "title", _("Give the fair's title."))
    if not fair.venue:
        _add(errors, "venue", _("Give the venue."))
    if fair.kind not in FairKind.values:
        _add(errors, "kind", _("Choose the kind of event."))
    if fair.starts_on is None:
        _add(errors, "starts_on", _("Give the first day."))
    if fair.ends_on is None:
        _add(errors, "ends_on", _("Give the last day."))
    if fair.starts_on and fair.ends_on and fair.ends_on < fair.starts_on:
        _add(errors, "ends_on", _("The last day cannot be before the first."))
    if fair.starts_on and fair.ends_on and (fair.ends_on - fair.starts_on).days > 60:
        _add(errors, "ends_on", _("An event lasts at most 60 days."))
    for name, limit in (("title", 300), ("venue", 255)):
        if len(getattr(fair, name) or "") > limit:
            _add(errors, name, _("Keep this under %(limit)s characters.") % {"limit": limit})
    _raise(errors)
    fair.save()
    return fair


@transaction.atomic
def fair_create(
    *,
    actor,
    department: Department,
    title: str,
    kind: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    venue: str,
    province=None,
    description: str = "",
) -> Fair:
    """A planned technology fair, demonstration event or brokerage session of the department."""
    _require(can_add_fair(actor, department))
    data = {k: v for k, v in locals().items() if k in FAIR_FIELDS}
    today = timezone.localdate()
    number, _symbol = number_next(department=department, doc_type="HC", year=today.year, suffix="HC", on=today)
    fair = _fair_save(Fair(department=department, code=f"HC.{today.year}.{department.pk}.{number:03d}"), data)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=fair, after=model_snapshot(fair))
    return fair


@transaction.atomic
def fair_update(*, actor, fair: Fair, **changes: Any) -> Fair:
    """Correct a fair's data (FAIR_FIELDS); a cancelled fair stays as it was."""
    unknown = set(changes) - FAIR_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    _require(can_change_fair(actor, fair))
    current = Fair.objects.select_for_update().get(pk=fair.pk)
    if current.status == FairStatus.CANCELLED:
        raise ValidationError(_("A cancelled fair can no longer be changed."), code="wrong_state")
    before = model_snapshot(current)
    saved = _fair_save(current, changes)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=saved, before=before, after=model_snapshot(saved))
    return saved


@transaction.atomic
def fair_hold(*, actor, fair: Fair, note: str = "") -> Fair:
    """The fair took place: it can be marked held from its first day."""
    _require(can_change_fair(actor, fair))
    if fair.status == FairStatus.PLANNED and fair.starts_on > timezone.localdate():
        raise ValidationError(_("A fair can be marked held from its first day."), code="too_early")
    return transition_apply(fair, "hold", actor=actor, note=_text(note, multiline=True))


@transaction.atomic
def fair_cancel(*, actor, fair: Fair, reason: str) -> Fair:
    _require(can_change_fair(actor, fair))
    reason = _text(reason, multiline=True)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason the fair is cancelled.")]})
    return transition_apply(fair, "cancel", actor=actor, note=reason)


@transaction.atomic
def fair_register(*, actor, fair: Fair, listing: Listing, booth: str = "") -> FairListing:
    """Register a published listing at a planned or held fair, with its booth (unique in the fair)."""
    _require(can_change_fair(actor, fair))
    fair = Fair.objects.select_for_update().get(pk=fair.pk)
    booth = _text(booth)
    errors: dict = {}
    if fair.status == FairStatus.CANCELLED:
        raise ValidationError(_("This fair was cancelled."), code="wrong_state")
    if not in_jurisdiction(actor, listing.department_id):
        _add(errors, "listing", _("Choose a listing of your department."))
    elif not listing_is_public(listing, timezone.localdate()):
        _add(errors, "listing", _("Only a published listing can be registered."))
    elif FairListing.objects.filter(fair=fair, listing=listing).exists():
        _add(errors, "listing", _("This listing is already registered at this fair."))
    if len(booth) > 30:
        _add(errors, "booth", _("Keep the booth under 30 characters."))
    elif booth and FairListing.objects.filter(fair=fair, booth__iexact=booth).exists():
        _add(errors, "booth", _("Booth %(booth)s is already taken at this fair.") % {"booth": booth})
    _raise(errors)
    registration = FairListing.objects.create(fair=fair, listing=listing, booth=booth)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=registration,
        after=model_snapshot(registration, ["fair", "listing", "booth"]),
        department_id=fair.department_id,
    )
    return registration


@transaction.atomic
def fair_unregister(*, actor, registration: FairListing) -> None:
    """Take a listing off a fair before it is held."""
    fair = registration.fair
    _require(can_change_fair(actor, fair))
    if fair.status != FairStatus.PLANNED:
        raise ValidationError(_("Registrations change only while the fair is planned."), code="wrong_state")
    before = model_snapshot(registration, ["fair", "listing", "booth"])
    audit_record(
        actor=actor, action=AuditAction.DELETE, obj=registration, before=before, department_id=fair.department_id
    )
    registration.delete()
