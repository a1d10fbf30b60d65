"""Fairs: planning, editing, holding and cancelling, registrations with booths, connections made at a
fair and the results counted."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opendost.audit.enums import AuditAction
from opendost.audit.models import AuditEvent
from opendost.marketplace import selectors_brokerage as selectors
from opendost.marketplace import services_brokerage as brokerage
from opendost.marketplace.enums import FairKind, FairStatus, ListingKind, ListingStatus
from opendost.marketplace.models import FairListing
from opendost.workflow.exceptions import TransitionNotAllowed
from tests.marketplace.brokerage_fixtures import *  # noqa: F403
from tests.marketplace.brokerage_fixtures import TODAY, at, carry_to_deal
from tests.marketplace.factories import listing_factory

pytestmark = pytest.mark.django_db


def _fair(officer, department, **changes):
    values = {
        "title": "Techmart Bắc Ninh 2026",
        "kind": FairKind.FAIR,
        "starts_on": TODAY + dt.timedelta(days=10),
        "ends_on": TODAY + dt.timedelta(days=12),
        "venue": "Trung tâm Hội nghị tỉnh",
    }
    values.update(changes)
    return brokerage.fair_create(actor=officer, department=department, **values)


@pytest.fixture
def fair(today, officer, department):
    return _fair(officer, department)


def test_a_fair_is_planned_with_a_code(fair, department):
    assert fair.status == FairStatus.PLANNED
    assert fair.code == f"HC.2026.{department.pk}.001"
    assert AuditEvent.objects.for_object(fair).filter(action=AuditAction.CREATE).exists()


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"title": " "}, {"title"}),
        ({"venue": ""}, {"venue"}),
        ({"kind": "party"}, {"kind"}),
        ({"starts_on": None}, {"starts_on"}),
        ({"ends_on": TODAY}, {"ends_on"}),  # before the first day
        ({"ends_on": TODAY + dt.timedelta(days=90)}, {"ends_on"}),
    ],
)
def test_fair_rules(today, officer, department, changes, fields):
    with pytest.raises(ValidationError) as exc:
        _fair(officer, department, **changes)
    assert set(exc.value.error_dict) == fields


@pytest.mark.parametrize("who", ["leader", "outsider", "applicant"])
def test_only_officers_of_the_department_plan_fairs(request, today, department, who):
    with pytest.raises(PermissionDenied):
        _fair(request.getfixturevalue(who), department)


def test_a_fair_is_corrected_and_audited(fair, officer, outsider):
    brokerage.fair_update(actor=officer, fair=fair, venue="Nhà Văn hóa tỉnh")
    fair.refresh_from_db()
    assert fair.venue == "Nhà Văn hóa tỉnh"
    update = AuditEvent.objects.for_object(fair).get(action=AuditAction.UPDATE)
    assert update.changes["venue"] == ["Trung tâm Hội nghị tỉnh", "Nhà Văn hóa tỉnh"]
    with pytest.raises(PermissionDenied):
        brokerage.fair_update(actor=outsider, fair=fair, venue="x")
    with pytest.raises(TypeError):
        brokerage.fair_update(actor=officer, fair=fair, status=FairStatus.HELD)


def test_a_fair_is_held_from_its_first_day(fair, officer):
    with pytest.raises(ValidationError):
        brokerage.fair_hold(actor=officer, fair=fair)
    with at(fair.starts_on):
        assert brokerage.fair_hold(actor=officer, fair=fair).status == FairStatus.HELD
        with pytest.raises(TransitionNotAllowed):
            brokerage.fair_cancel(actor=officer, fair=fair, reason="x")


def test_a_fair_is_cancelled_with_its_reason_and_then_frozen(fair, officer):
    with pytest.raises(ValidationError):
        brokerage.fair_cancel(actor=officer, fair=fair, reason=" ")
    cancelled = brokerage.fair_cancel(actor=officer, fair=fair, reason="Trùng lịch hội nghị tỉnh.")
    assert cancelled.status == FairStatus.CANCELLED
    with pytest.raises(ValidationError):
        brokerage.fair_update(actor=officer, fair=fair, title="Mới")
    with pytest.raises(TransitionNotAllowed):
        brokerage.fair_hold(actor=officer, fair=fair)


def test_a_leader_may_not_hold_or_cancel(fair, leader):
    with pytest.raises(PermissionDenied):
        brokerage.fair_cancel(actor=leader, fair=fair, reason="x")


# REGISTRATIONS ------------------------------------------------------------------------------------
def test_published_listings_are_registered_with_unique_booths(fair, officer, offer, need):
    registration = brokerage.fair_register(actor=officer, fair=fair, listing=offer, booth=" A01 ")
    assert registration.booth == "A01"
    with pytest.raises(ValidationError) as exc:
        brokerage.fair_register(actor=officer, fair=fair, listing=need, booth="a01")
    assert set(exc.value.error_dict) == {"booth"}
    with pytest.raises(ValidationError) as exc:
        brokerage.fair_register(actor=officer, fair=fair, listing=offer, booth="A02")
    assert set(exc.value.error_dict) == {"listing"}
    assert brokerage.fair_register(actor=officer, fair=fair, listing=need, booth="").booth == ""
    assert (
        brokerage.fair_register(
            actor=officer,
            fair=fair,
            listing=listing_factory(status=ListingStatus.PUBLISHED, department=fair.department),
            booth="",
        ).booth
        == ""
    )  # no booth: several may


def test_only_published_listings_of_the_department_are_registered(fair, officer, department, other_department):
    draft = listing_factory(department=department)
    foreign = listing_factory(status=ListingStatus.PUBLISHED, department=other_department)
    for listing in (draft, foreign):
        with pytest.raises(ValidationError) as exc:
            brokerage.fair_register(actor=officer, fair=fair, listing=listing)
        assert set(exc.value.error_dict) == {"listing"}


def test_no_registration_at_a_cancelled_fair(fair, officer, offer):
    brokerage.fair_cancel(actor=officer, fair=fair, reason="Hoãn.")
    with pytest.raises(ValidationError):
        brokerage.fair_register(actor=officer, fair=fair, listing=offer)


def test_registrations_are_removed_only_while_planned(fair, officer, offer):
    registration = brokerage.fair_register(actor=officer, fair=fair, listing=offer, booth="A01")
    brokerage.fair_unregister(actor=officer, registration=registration)
    assert not FairListing.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, department=fair.department).exists()
    registration = brokerage.fair_register(actor=officer, fair=fair, listing=offer, booth="A01")
    with at(fair.starts_on):
        brokerage.fair_hold(actor=officer, fair=fair)
    registration.fair.refresh_from_db()
    with pytest.raises(ValidationError):
        brokerage.fair_unregister(actor=officer, registration=registration)


# RESULTS ------------------------------------------------------------------------------------------
def test_results_count_listings_connections_and_deals_of_the_fair(
    fair, officer, department, offer, need, enterprise, connection
):
    other = listing_factory(status=ListingStatus.PUBLISHED, department=department)
    brokerage.fair_register(actor=officer, fair=fair, listing=offer, booth="A01")
    brokerage.fair_register(actor=officer, fair=fair, listing=need, booth="A02")
    at_fair = brokerage.connection_create_by_officer(actor=officer, offer=other, seeker=enterprise, fair=fair)
    carry_to_deal(at_fair, officer, value=300_000_000)
    second = brokerage.connection_create_by_officer(actor=officer, offer=other, need=need, fair=fair)
    brokerage.connection_drop(actor=officer, connection=second, reason="Không phù hợp.")
    brokerage.connection_update(actor=officer, connection=connection, fair=fair)
    carry_to_deal(connection, officer, value=200_000_000)
    brokerage.connection_follow_up(actor=officer, connection=connection, on=TODAY, note="Tốt.")
    elsewhere = listing_factory(kind=ListingKind.SERVICE, status=ListingStatus.PUBLISHED, department=department)
    brokerage.connection_create_by_officer(actor=officer, offer=elsewhere, seeker=enterprise)  # not at the fair

    results = selectors.fair_results(fair)

    assert results == selectors.FairResults(registered=2, connections=3, deals=2, deal_value_vnd=500_000_000)
    row = selectors.fair_list_for(officer).get(pk=fair.pk)
    assert (row.registered, row.connections_made, row.deals_made) == (2, 3, 2)


def test_a_connection_is_not_recorded_at_a_cancelled_fair_or_another_departments(
    fair, officer, offer, enterprise, outsider, other_department
):
    foreign = _fair(outsider, other_department)
    with pytest.raises(ValidationError) as exc:
        brokerage.connection_create_by_officer(actor=officer, offer=offer, seeker=enterprise, fair=foreign)
    assert set(exc.value.error_dict) == {"fair"}
    brokerage.fair_cancel(actor=officer, fair=fair, reason="Hoãn.")
    with pytest.raises(ValidationError):
        brokerage.connection_create_by_officer(actor=officer, offer=offer, seeker=enterprise, fair=fair)


def test_fair_lists_are_scoped_and_filtered(fair, officer, outsider, other_department, leader):
    foreign = _fair(outsider, other_department)
    assert list(selectors.fair_list_for(officer)) == [fair]
    assert list(selectors.fair_list_for(leader)) == [fair]
    assert list(selectors.fair_list_for(outsider)) == [foreign]
    assert list(selectors.fair_list_for(officer, status=FairStatus.HELD)) == []
    assert list(selectors.fair_list_for(officer, year=2026)) == [fair]
    assert list(selectors.fair_list_for(officer, year=2027)) == []


def test_fair_list_queries_do_not_grow_with_fairs(today, officer, department, django_assert_max_num_queries):
    for n in range(5):
        _fair(officer, department, title=f"Hội chợ {n}")
    with django_assert_max_num_queries(3):
        rows = list(selectors.fair_list_for(officer))
        assert [r.registered for r in rows] == [0] * 5
