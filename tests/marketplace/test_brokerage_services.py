"""Brokerage services: every rule and error of interest, answers, officer connections, transitions
with their data, events, files, edits and the audit of every change."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from opendost.audit.enums import AuditAction
from opendost.audit.models import AuditEvent
from opendost.common.locking import EditConflict
from opendost.marketplace import services_brokerage as brokerage
from opendost.marketplace.enums import (
    ConnectionEventKind,
    ConnectionStatus,
    ListingKind,
    ListingStatus,
    TransferMode,
)
from opendost.marketplace.models import Connection
from opendost.notifications.models import Message
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.models import TransitionLog
from tests.marketplace.brokerage_fixtures import *  # noqa: F403
from tests.marketplace.brokerage_fixtures import TODAY, carry_to_deal
from tests.marketplace.factories import listing_factory

pytestmark = pytest.mark.django_db
S = ConnectionStatus


def _codes(exc: ValidationError) -> set[str]:
    return {e.code for errors in exc.error_dict.values() for e in errors} if hasattr(exc, "error_dict") else set()


def _fields(exc: ValidationError) -> set[str]:
    return set(exc.error_dict)


# INTEREST -----------------------------------------------------------------------------------------
def test_interest_opens_a_connection_in_the_offers_department(connection, offer, enterprise, applicant):
    assert connection.status == S.REQUESTED
    assert connection.offer == offer
    assert connection.seeker == enterprise
    assert connection.requested_by == applicant
    assert connection.department == offer.department
    assert connection.code == f"KN.2026.{offer.department.pk}.0001"
    assert connection.message == "Chúng tôi muốn nhận chuyển giao."


def test_codes_follow_each_other(today, applicant, stranger, offer):
    first = brokerage.interest_express(actor=applicant, offer=offer)
    second = brokerage.interest_express(actor=stranger, offer=offer)
    assert (first.code[-4:], second.code[-4:]) == ("0001", "0002")


def test_interest_notifies_the_owner_and_the_brokers_not_others(owner, officer, stranger, outsider, connection):
    messages = Message.objects.filter(event_key__startswith=f"marketplace.connection.{connection.pk}.")
    recipients = set(messages.values_list("recipient_user", flat=True))
    assert recipients == {owner.pk, officer.pk}
    owner_message = Message.objects.filter(recipient_user=owner).first()
    assert owner_message.context["url"] == f"/market/my-connections/{connection.public_id}/"
    officer_message = Message.objects.filter(recipient_user=officer).first()
    assert officer_message.context["url"] == connection.get_absolute_url()


def test_interest_is_audited(connection, applicant):
    event = AuditEvent.objects.for_object(connection).get(action=AuditAction.CREATE, actor=applicant)
    assert event.after["message"] == "Chúng tôi muốn nhận chuyển giao."


@pytest.mark.parametrize("status", [ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.WITHDRAWN])
def test_interest_only_in_a_published_listing(today, department, owner_org, applicant, status):
    listing = listing_factory(status=status, department=department, owner=owner_org)
    with pytest.raises(ValidationError) as exc:
        brokerage.interest_express(actor=applicant, offer=listing)
    assert _codes(exc.value) == {"not_published"}
    assert not Connection.objects.exists()


def test_interest_not_in_a_listing_past_its_validity(today, department, owner_org, applicant):
    listing = listing_factory(
        status=ListingStatus.PUBLISHED,
        department=department,
        owner=owner_org,
        valid_until=TODAY + dt.timedelta(days=3),
    )
    with at(TODAY + dt.timedelta(days=4)), pytest.raises(ValidationError):  # noqa: F405
        brokerage.interest_express(actor=applicant, offer=listing)


def test_interest_not_in_a_need(need, stranger):
    with pytest.raises(ValidationError) as exc:
        brokerage.interest_express(actor=stranger, offer=need)
    assert "offer" in _fields(exc.value)


@pytest.mark.parametrize("kind", [ListingKind.EQUIPMENT, ListingKind.SERVICE])
def test_interest_in_equipment_and_services(today, department, owner_org, applicant, kind):
    listing = listing_factory(kind=kind, status=ListingStatus.PUBLISHED, department=department, owner=owner_org)
    assert brokerage.interest_express(actor=applicant, offer=listing).offer == listing


def test_owner_cannot_express_interest_in_its_own_offer(offer, owner):
    with pytest.raises(ValidationError) as exc:
        brokerage.interest_express(actor=owner, offer=offer)
    assert _codes(exc.value) == {"own_listing"}


def test_interest_once_per_organisation_and_offer_while_open(connection, applicant, offer, enterprise):
    colleague = applicant_of(enterprise)  # noqa: F405
    with pytest.raises(ValidationError) as exc:
        brokerage.interest_express(actor=colleague, offer=offer)
    assert _codes(exc.value) == {"duplicate"}
    assert connection.code in str(exc.value)


def test_interest_again_once_the_connection_is_dropped(connection, applicant, offer, officer):
    brokerage.connection_drop(actor=officer, connection=connection, reason="Không còn nhu cầu.")
    again = brokerage.interest_express(actor=applicant, offer=offer)
    assert again.pk != connection.pk


@pytest.mark.parametrize("who", ["officer", "leader", "outsider"])
def test_only_an_applicant_of_an_organisation_expresses_interest(request, offer, who):
    with pytest.raises(PermissionDenied):
        brokerage.interest_express(actor=request.getfixturevalue(who), offer=offer)


def test_an_applicant_without_an_organisation_cannot(offer):
    from opendost.accounts.roles import Role
    from tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        brokerage.interest_express(actor=UserFactory(role=Role.APPLICANT, department=None), offer=offer)


def test_interest_message_is_bounded(offer, applicant):
    with pytest.raises(ValidationError) as exc:
        brokerage.interest_express(actor=applicant, offer=offer, message="x" * 4001)
    assert _fields(exc.value) == {"message"}


# NEED ANSWERS -------------------------------------------------------------------------------------
def test_owner_answers_a_need_with_its_offer(need, offer, owner, enterprise, applicant):
    connection = brokerage.need_answer(actor=owner, need=need, offer=offer, message="Chúng tôi có giải pháp.")
    assert (connection.need, connection.offer, connection.seeker) == (need, offer, enterprise)
    assert set(Message.objects.filter(event_key__endswith=".party").values_list("recipient_user", flat=True)) == {
        applicant.pk
    }


def test_a_need_is_answered_only_with_ones_own_offer(need, offer, stranger):
    with pytest.raises(ValidationError) as exc:
        brokerage.need_answer(actor=stranger, need=need, offer=offer)
    assert _fields(exc.value) == {"offer"}


def test_ones_own_need_is_not_answered(today, need, applicant, department, enterprise):
    own_offer = listing_factory(status=ListingStatus.PUBLISHED, department=department, owner=enterprise)
    with pytest.raises(ValidationError) as exc:
        brokerage.need_answer(actor=applicant, need=need, offer=own_offer)
    assert _fields(exc.value) == {"need"}


def test_only_a_published_need_is_answered(today, department, enterprise, offer, owner):
    draft = listing_factory(kind=ListingKind.NEED, department=department, owner=enterprise)
    with pytest.raises(ValidationError) as exc:
        brokerage.need_answer(actor=owner, need=draft, offer=offer)
    assert _fields(exc.value) == {"need"}


def test_a_need_is_answered_once_by_an_offer_while_open(need, offer, owner):
    brokerage.need_answer(actor=owner, need=need, offer=offer)
    with pytest.raises(ValidationError) as exc:
        brokerage.need_answer(actor=owner, need=need, offer=offer)
    assert _codes(exc.value) == {"duplicate"}


def test_officer_cannot_answer_a_need_as_an_applicant(need, offer, officer):
    with pytest.raises(PermissionDenied):
        brokerage.need_answer(actor=officer, need=need, offer=offer)


# OFFICER CONNECTIONS ------------------------------------------------------------------------------
def test_officer_links_an_offer_and_a_need(need, offer, officer, enterprise, owner):
    connection = brokerage.connection_create_by_officer(actor=officer, offer=offer, need=need, broker=officer)
    assert connection.seeker == enterprise  # the need's owner
    assert connection.broker == officer
    assert not Message.objects.filter(recipient_user=owner).exists()  # the officer contacts the parties


def test_officer_links_an_offer_and_an_enterprise(offer, officer, enterprise):
    connection = brokerage.connection_create_by_officer(actor=officer, offer=offer, seeker=enterprise)
    assert connection.need is None and connection.seeker == enterprise


def test_officer_needs_a_need_or_an_enterprise(offer, officer):
    with pytest.raises(ValidationError) as exc:
        brokerage.connection_create_by_officer(actor=officer, offer=offer)
    assert _fields(exc.value) == {"seeker"}


def test_the_interested_party_is_not_the_owner(offer, officer, owner_org):
    with pytest.raises(ValidationError) as exc:
        brokerage.connection_create_by_officer(actor=officer, offer=offer, seeker=owner_org)
    assert _fields(exc.value) == {"seeker"}


def test_the_broker_must_follow_connections_of_the_department(offer, officer, enterprise, leader, outsider):
    for broker in (leader, outsider):
        with pytest.raises(ValidationError) as exc:
            brokerage.connection_create_by_officer(actor=officer, offer=offer, seeker=enterprise, broker=broker)
        assert _fields(exc.value) == {"broker"}


@pytest.mark.parametrize("who", ["leader", "outsider", "applicant"])
def test_only_a_broker_of_the_department_opens_connections(request, offer, enterprise, who):
    with pytest.raises(PermissionDenied):
        brokerage.connection_create_by_officer(actor=request.getfixturevalue(who), offer=offer, seeker=enterprise)


def test_an_organisation_of_another_department_is_refused(offer, officer, other_department):
    from tests.subjects.factories import OrganizationFactory

    with pytest.raises(ValidationError) as exc:
        brokerage.connection_create_by_officer(
            actor=officer, offer=offer, seeker=OrganizationFactory(department=other_department)
        )
    assert _fields(exc.value) == {"seeker"}


# TRANSITIONS --------------------------------------------------------------------------------------
def test_the_whole_way_to_a_followed_up_deal(connection, officer):
    deal = carry_to_deal(connection, officer)
    assert deal.status == S.DEAL
    assert (deal.deal_signed_on, deal.deal_value_vnd, deal.deal_mode) == (TODAY, 450_000_000, TransferMode.LICENCE)
    assert deal.deal_contract_ref == "15/2026/HĐCGCN"
    done = brokerage.connection_follow_up(actor=officer, connection=deal, on=TODAY, note="Vận hành tốt.")
    assert done.status == S.FOLLOWED_UP
    assert (done.followed_up_on, done.follow_up_note) == (TODAY, "Vận hành tốt.")
    steps = list(TransitionLog.objects.for_object(done).values_list("name", "to_state"))
    assert steps == [
        ("introduce", S.INTRODUCED),
        ("meet", S.MEETING),
        ("negotiate", S.NEGOTIATING),
        ("sign_deal", S.DEAL),
        ("follow_up", S.FOLLOWED_UP),
    ]
    kinds = list(done.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == [ConnectionEventKind.INTRODUCTION, ConnectionEventKind.MEETING, ConnectionEventKind.FOLLOW_UP]
    transitions = AuditEvent.objects.for_object(done).filter(action=AuditAction.TRANSITION).count()
    assert transitions == 5


def test_introduced_parties_may_go_straight_to_negotiation(connection, officer):
    brokerage.connection_introduce(actor=officer, connection=connection)
    moved = brokerage.connection_negotiate(actor=officer, connection=connection)
    assert moved.status == S.NEGOTIATING


def test_introduction_defaults_to_today_with_a_note(connection, officer):
    brokerage.connection_introduce(actor=officer, connection=connection)
    event = connection.events.get()
    assert (event.kind, event.happened_on) == (ConnectionEventKind.INTRODUCTION, TODAY)
    assert event.note


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("meet", {"on": TODAY, "note": "Họp."}),
        ("negotiate", {}),
        ("sign_deal", {"signed_on": TODAY, "value_vnd": 1, "mode": TransferMode.SALE, "contract_ref": "1"}),
        ("follow_up", {"on": TODAY, "note": "Tốt."}),
    ],
)
def test_no_step_is_skipped_from_requested(connection, officer, name, data):
    with pytest.raises(TransitionNotAllowed):
        brokerage.connection_transition(actor=officer, connection=connection, name=name, **data)
    assert Connection.objects.get(pk=connection.pk).status == S.REQUESTED
    assert not connection.events.exists()


@pytest.mark.parametrize("steps", [0, 1, 2, 3])
def test_an_open_connection_can_be_dropped_with_its_reason(connection, officer, steps):
    moves = [
        lambda: brokerage.connection_introduce(actor=officer, connection=connection),
        lambda: brokerage.connection_meet(actor=officer, connection=connection, on=TODAY, note="Họp."),
        lambda: brokerage.connection_negotiate(actor=officer, connection=connection),
    ]
    for move in moves[:steps]:
        move()
    dropped = brokerage.connection_drop(actor=officer, connection=connection, reason="Giá không phù hợp.")
    assert (dropped.status, dropped.drop_reason) == (S.DROPPED, "Giá không phù hợp.")
    assert TransitionLog.objects.for_object(dropped).last().note == "Giá không phù hợp."


def test_dropping_needs_a_reason(connection, officer):
    with pytest.raises(ValidationError) as exc:
        brokerage.connection_drop(actor=officer, connection=connection, reason="   ")
    assert _fields(exc.value) == {"reason"}
    assert Connection.objects.get(pk=connection.pk).status == S.REQUESTED


def test_a_deal_cannot_be_dropped(connection, officer):
    carry_to_deal(connection, officer)
    with pytest.raises(TransitionNotAllowed):
        brokerage.connection_drop(actor=officer, connection=connection, reason="Đổi ý.")


def test_a_meeting_needs_its_date_and_note(connection, officer):
    brokerage.connection_introduce(actor=officer, connection=connection)
    with pytest.raises(ValidationError) as exc:
        brokerage.connection_meet(actor=officer, connection=connection, on=None, note="")
    assert _fields(exc.value) == {"happened_on", "note"}


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"value_vnd": 0}, {"deal_value_vnd"}),
        ({"value_vnd": -5}, {"deal_value_vnd"}),
        ({"value_vnd": None}, {"deal_value_vnd"}),
        ({"value_vnd": 10**16}, {"deal_value_vnd"}),
        ({"signed_on": TODAY + dt.timedelta(days=1)}, {"deal_signed_on"}),
        ({"signed_on": None}, {"deal_signed_on"}),
        ({"mode": ""}, {"deal_mode"}),
        ({"mode": "gift"}, {"deal_mode"}),
        ({"contract_ref": "  "}, {"deal_contract_ref"}),
    ],
)
def test_a_deal_needs_its_contract(connection, officer, data, fields):
    brokerage.connection_introduce(actor=officer, connection=connection)
    brokerage.connection_negotiate(actor=officer, connection=connection)
    values = {"signed_on": TODAY, "value_vnd": 100_000_000, "mode": TransferMode.LICENCE, "contract_ref": "01/HĐ"}
    values.update(data)
    with pytest.raises(ValidationError) as exc:
        brokerage.connection_sign_deal(actor=officer, connection=connection, **values)
    assert _fields(exc.value) == fields
    fresh = Connection.objects.get(pk=connection.pk)
    assert fresh.status == S.NEGOTIATING and fresh.deal_value_vnd is None


def test_a_follow_up_comes_after_the_contract_and_says_how_it_went(connection, officer):
    carry_to_deal(connection, officer, signed_on=TODAY - dt.timedelta(days=10))
    with pytest.raises(ValidationError) as exc:
        brokerage.connection_follow_up(actor=officer, connection=connection, on=TODAY - dt.timedelta(days=11), note="")
    assert _fields(exc.value) == {"followed_up_on", "follow_up_note"}
    with pytest.raises(ValidationError):
        brokerage.connection_follow_up(actor=officer, connection=connection, on=TODAY + dt.timedelta(days=1), note="x")


@pytest.mark.parametrize("who", ["leader", "outsider", "applicant", "owner"])
def test_only_a_broker_of_the_department_moves_a_connection(request, connection, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        brokerage.connection_introduce(actor=user, connection=connection)
    with pytest.raises(PermissionDenied):
        brokerage.connection_drop(actor=user, connection=connection, reason="x")
    assert Connection.objects.get(pk=connection.pk).status == S.REQUESTED


def test_a_second_officer_of_the_department_may_broker(connection, second_officer):
    assert brokerage.connection_introduce(actor=second_officer, connection=connection).status == S.INTRODUCED


def test_a_move_from_a_stale_page_is_refused_and_writes_nothing(connection, officer, second_officer):
    seen = connection.version
    brokerage.event_add(actor=second_officer, connection=connection, kind="note", happened_on=TODAY, note="Gọi điện.")
    brokerage.connection_update(actor=second_officer, connection=connection, broker=second_officer)
    with pytest.raises(EditConflict):
        brokerage.connection_drop(actor=officer, connection=connection, reason="Trùng.", expected_version=seen)
    fresh = Connection.objects.get(pk=connection.pk)
    assert fresh.status == S.REQUESTED and fresh.drop_reason == ""


def test_a_move_someone_made_first_is_refused(connection, officer, second_officer):
    stale = Connection.objects.get(pk=connection.pk)
    brokerage.connection_introduce(actor=second_officer, connection=connection)
    with pytest.raises(TransitionNotAllowed):
        brokerage.connection_introduce(actor=officer, connection=stale)
    assert connection.events.count() == 1


def test_connection_transition_dispatches_by_name(connection, officer):
    moved = brokerage.connection_transition(
        actor=officer, connection=connection, name="introduce", on=TODAY, note=None, unrelated="ignored"
    )
    assert moved.status == S.INTRODUCED
    with pytest.raises(ValueError):
        brokerage.connection_transition(actor=officer, connection=connection, name="teleport")


# EDITS, EVENTS, FILES -----------------------------------------------------------------------------
def test_broker_assignment_is_version_locked_and_audited(connection, officer, second_officer):
    seen = connection.version
    brokerage.connection_assign_broker(actor=officer, connection=connection, broker=officer, expected_version=seen)
    with pytest.raises(EditConflict):
        brokerage.connection_assign_broker(
            actor=second_officer, connection=connection, broker=second_officer, expected_version=seen
        )
    fresh = Connection.objects.get(pk=connection.pk)
    assert fresh.broker == officer and fresh.version == seen + 1
    update = AuditEvent.objects.for_object(connection).filter(action=AuditAction.UPDATE).get()
    assert update.changes["broker"][1]["id"] == officer.pk


def test_the_broker_must_be_a_broker(connection, officer, leader):
    with pytest.raises(ValidationError) as exc:
        brokerage.connection_update(actor=officer, connection=connection, broker=leader)
    assert _fields(exc.value) == {"broker"}


def test_deal_data_is_corrected_only_once_signed(connection, officer):
    with pytest.raises(ValidationError):
        brokerage.connection_update(actor=officer, connection=connection, deal_value_vnd=5)
    carry_to_deal(connection, officer)
    fixed = brokerage.connection_update(actor=officer, connection=connection, deal_value_vnd=500_000_000)
    assert fixed.deal_value_vnd == 500_000_000
    with pytest.raises(ValidationError):
        brokerage.connection_update(actor=officer, connection=connection, deal_value_vnd=0)


def test_update_refuses_other_fields(connection, officer):
    with pytest.raises(TypeError):
        brokerage.connection_update(actor=officer, connection=connection, status=S.DEAL)


def test_events_are_recorded_by_the_broker(connection, officer, applicant):
    event = brokerage.event_add(
        actor=officer, connection=connection, kind=ConnectionEventKind.NOTE, happened_on=TODAY, note="  Gọi điện.  "
    )
    assert (event.note, event.recorded_by) == ("Gọi điện.", officer)
    assert AuditEvent.objects.for_object(event).filter(action=AuditAction.CREATE).exists()
    with pytest.raises(PermissionDenied):
        brokerage.event_add(actor=applicant, connection=connection, kind="note", happened_on=TODAY, note="x")


@pytest.mark.parametrize(
    ("kind", "day", "note", "fields"),
    [
        ("party", TODAY, "x", {"kind"}),
        ("note", None, "x", {"happened_on"}),
        ("note", TODAY + dt.timedelta(days=1), "x", {"happened_on"}),
        ("meeting", TODAY + dt.timedelta(days=400), "x", {"happened_on"}),
        ("note", TODAY, " ", {"note"}),
    ],
)
def test_event_rules(connection, officer, kind, day, note, fields):
    with pytest.raises(ValidationError) as exc:
        brokerage.event_add(actor=officer, connection=connection, kind=kind, happened_on=day, note=note)
    assert _fields(exc.value) == fields


def test_a_meeting_may_be_planned_ahead(connection, officer):
    event = brokerage.event_add(
        actor=officer, connection=connection, kind="meeting", happened_on=TODAY + dt.timedelta(days=30), note="Hẹn."
    )
    assert event.happened_on == TODAY + dt.timedelta(days=30)


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_a_document_is_kept_with_its_digest(connection, officer):
    item = brokerage.file_add(
        actor=officer, connection=connection, upload=SimpleUploadedFile("hop-dong.pdf", PDF), title="Hợp đồng"
    )
    assert (item.title, item.name, item.size) == ("Hợp đồng", "hop-dong.pdf", len(PDF))
    assert item.sha256 == hashlib.sha256(PDF).hexdigest()
    with item.file.open("rb") as stored:
        assert stored.read() == PDF
    assert AuditEvent.objects.for_object(item).filter(action=AuditAction.CREATE).exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("hop-dong.pdf", b"MZ\x90\x00 not a pdf"),  # renamed: the content is not a PDF
        ("bien-ban.docx", b"%PDF-1.4"),
        ("empty.pdf", b""),
        ("noextension", b"%PDF-1.4"),
    ],
)
def test_documents_of_other_types_are_refused(connection, officer, name, content):
    with pytest.raises(ValidationError) as exc:
        brokerage.file_add(actor=officer, connection=connection, upload=SimpleUploadedFile(name, content))
    assert _fields(exc.value) == {"file"}
    assert not connection.files.exists()


def test_documents_are_at_most_20_mb(connection, officer, monkeypatch):
    monkeypatch.setattr(brokerage, "MAX_FILE_BYTES", 16)
    with pytest.raises(ValidationError) as exc:
        brokerage.file_add(actor=officer, connection=connection, upload=SimpleUploadedFile("big.pdf", PDF))
    assert "20 MB" in str(exc.value)


def test_only_a_broker_adds_documents(connection, applicant):
    with pytest.raises(PermissionDenied):
        brokerage.file_add(actor=applicant, connection=connection, upload=SimpleUploadedFile("a.pdf", PDF))
