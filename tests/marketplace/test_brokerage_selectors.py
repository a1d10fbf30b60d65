"""Reads of brokerage: scoping for staff and the parties, the timeline, statistics, and the plan's
indicators market_connections and market_deals with their drill-down."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from opendost.marketplace import selectors_brokerage as selectors
from opendost.marketplace import services_brokerage as brokerage
from opendost.marketplace.enums import ConnectionStatus, ListingKind, ListingStatus
from opendost.marketplace.models import Connection
from opendost.planning import indicators
from tests.marketplace.brokerage_fixtures import *  # noqa: F403
from tests.marketplace.brokerage_fixtures import TODAY, at, carry_to_deal
from tests.marketplace.factories import applicant_of, listing_factory
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


# SCOPING ------------------------------------------------------------------------------------------
def test_staff_see_their_jurisdictions_connections(connection, officer, leader, outsider):
    assert list(selectors.connection_list_for(officer)) == [connection]
    assert list(selectors.connection_list_for(leader)) == [connection]
    assert list(selectors.connection_list_for(outsider)) == []
    with pytest.raises(Http404):
        selectors.connection_get_for(outsider, connection.public_id)
    assert selectors.connection_get_for(officer, connection.public_id) == connection


def test_applicants_see_no_staff_list(connection, applicant):
    assert list(selectors.connection_list_for(applicant)) == []
    with pytest.raises(Http404):
        selectors.connection_get_for(applicant, connection.public_id)


def test_the_parties_see_their_connection_and_nobody_else(connection, applicant, owner, stranger, officer):
    assert list(selectors.my_connections(applicant)) == [connection]
    assert list(selectors.my_connections(owner)) == [connection]
    assert list(selectors.my_connections(stranger)) == []
    assert list(selectors.my_connections(officer)) == []
    with pytest.raises(Http404):
        selectors.my_connection_get(stranger, connection.public_id)
    with pytest.raises(Http404):
        selectors.my_connection_get(applicant, "not-a-uuid")
    assert selectors.my_role(applicant, connection) == "seeker"
    assert selectors.my_role(owner, connection) == "owner"


def test_the_owner_of_an_answered_need_is_a_party(need, offer, owner, applicant):
    connection = brokerage.need_answer(actor=owner, need=need, offer=offer)
    assert selectors.my_connection_get(applicant, connection.public_id) == connection


def test_an_offer_owned_by_a_person_counts_for_the_persons_organisation(today, department, officer, enterprise):
    from tests.subjects.factories import PersonFactory

    employer = OrganizationFactory(department=department)
    scientist = PersonFactory(department=department, organization=employer)
    offer = listing_factory(status=ListingStatus.PUBLISHED, department=department, owner_person=scientist)
    connection = brokerage.connection_create_by_officer(actor=officer, offer=offer, seeker=enterprise)
    colleague = applicant_of(employer)
    assert list(selectors.my_connections(colleague)) == [connection]
    with pytest.raises(Exception):  # noqa: B017 - the employer cannot be interested in its own offer
        brokerage.interest_express(actor=colleague, offer=offer)


def test_staff_filters(today, officer, department, enterprise, applicant, offer):
    first = brokerage.interest_express(actor=applicant, offer=offer)
    carry_to_deal(first, officer)
    with at(TODAY + dt.timedelta(days=40)):
        other = listing_factory(kind=ListingKind.SERVICE, status=ListingStatus.PUBLISHED, department=department)
        second = brokerage.connection_create_by_officer(actor=officer, offer=other, seeker=enterprise, broker=officer)
    query = selectors.connection_list_for
    assert list(query(officer, {"status": ConnectionStatus.DEAL})) == [first]
    assert list(query(officer, {"date_from": "01/04/2026"})) == [second]
    assert list(query(officer, {"date_to": "02/03/2026"})) == [first]
    assert list(query(officer, {"mine": "true"})) == [second]
    assert list(query(officer, {"q": second.code})) == [second]
    assert list(query(officer, {"q": "lục ngạn"})) == [second, first]  # the seeker's name, without accents
    assert list(query(officer, {"q": "cong ty khac"})) == []


def test_the_staff_list_costs_the_same_for_many_rows(
    today, officer, department, enterprise, django_assert_max_num_queries
):
    for _n in range(6):
        offer = listing_factory(status=ListingStatus.PUBLISHED, department=department)
        brokerage.connection_create_by_officer(actor=officer, offer=offer, seeker=enterprise, broker=officer)
    with django_assert_max_num_queries(3):
        rows = list(selectors.connection_list_for(officer))
        labels = [(c.offer.title, c.seeker.name, c.broker.full_name, c.department.name) for c in rows]
    assert len(labels) == 6


def test_my_connections_cost_the_same_for_many_rows(today, department, applicant, django_assert_max_num_queries):
    for _n in range(5):
        offer = listing_factory(status=ListingStatus.PUBLISHED, department=department)
        brokerage.interest_express(actor=applicant, offer=offer)
    with django_assert_max_num_queries(3):
        rows = [(c.offer.title, c.need, c.seeker.name) for c in selectors.my_connections(applicant)]
    assert len(rows) == 5


# TIMELINE -----------------------------------------------------------------------------------------
def test_the_timeline_merges_events_status_changes_and_files_by_date(offer, applicant, officer):
    with at(TODAY):
        connection = brokerage.interest_express(actor=applicant, offer=offer, message="Quan tâm.")
    with at(TODAY + dt.timedelta(days=2)):
        brokerage.connection_introduce(actor=officer, connection=connection, note="Gửi thư giới thiệu.")
        brokerage.event_add(
            actor=officer, connection=connection, kind="note", happened_on=TODAY + dt.timedelta(days=1), note="Gọi."
        )
    with at(TODAY + dt.timedelta(days=5)):
        brokerage.file_add(
            actor=officer,
            connection=connection,
            upload=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 x"),
            title="Biên bản làm việc",
        )
        brokerage.connection_drop(actor=officer, connection=connection, reason="Giá cao.")

    entries = selectors.timeline(connection)

    assert [(e.day - TODAY).days for e in entries] == [0, 1, 2, 2, 5, 5]
    assert [e.kind for e in entries] == ["status", "event", "event", "status", "file", "status"]
    assert entries[0].note == "Quan tâm."
    assert entries[2].title == "Introduction" and entries[2].note == "Gửi thư giới thiệu."
    assert entries[3].title == "Parties introduced"
    assert entries[4].url.endswith(f"/files/{connection.files.get().public_id}/")
    assert entries[-1].note == "Giá cao." and entries[-1].actor == officer.full_name


def test_the_parties_timeline_has_no_files_names_or_internal_notes(offer, applicant, officer):
    connection = brokerage.interest_express(actor=applicant, offer=offer, message="Quan tâm.")
    brokerage.connection_introduce(actor=officer, connection=connection, note="Gửi thư giới thiệu.")
    brokerage.file_add(
        actor=officer, connection=connection, upload=SimpleUploadedFile("hd.pdf", b"%PDF-1.4 x"), title="HĐ"
    )
    brokerage.connection_drop(actor=officer, connection=connection, reason="Đánh giá nội bộ.")

    entries = selectors.timeline(connection, public=True)

    assert [e.kind for e in entries] == ["status", "event", "status", "status"]
    assert all(e.actor == "" for e in entries)
    assert "Đánh giá nội bộ." not in {e.note for e in entries}
    assert "Gửi thư giới thiệu." in {e.note for e in entries}  # events are for the parties to see


def test_the_timeline_reads_in_a_fixed_number_of_queries(connection, officer, django_assert_max_num_queries):
    for n in range(4):
        brokerage.event_add(actor=officer, connection=connection, kind="note", happened_on=TODAY, note=f"Ghi chú {n}")
    with django_assert_max_num_queries(4):
        assert len(selectors.timeline(connection)) == 5


# STATISTICS ---------------------------------------------------------------------------------------
def _deal_on(day, officer, department, enterprise, value, **listing):
    with at(day):
        offer = listing_factory(status=ListingStatus.PUBLISHED, department=department, **listing)
        connection = brokerage.connection_create_by_officer(actor=officer, offer=offer, seeker=enterprise)
        return carry_to_deal(connection, officer, signed_on=day, value=value)


def test_statistics_by_quarter_and_field(officer, department, enterprise, outsider, other_department):
    from tests.subjects.factories import field_nodes

    fields = field_nodes()
    _deal_on(dt.date(2025, 2, 10), officer, department, enterprise, 100, field=fields.maths)
    _deal_on(dt.date(2025, 8, 1), officer, department, enterprise, 250, field=fields.maths)
    with at(dt.date(2025, 8, 2)):
        open_one = listing_factory(status=ListingStatus.PUBLISHED, department=department)
        brokerage.connection_create_by_officer(actor=officer, offer=open_one, seeker=enterprise)
    with at(dt.date(2025, 9, 1)):  # another department's: not in the officer's figures
        foreign = listing_factory(status=ListingStatus.PUBLISHED, department=other_department)
        brokerage.connection_create_by_officer(
            actor=outsider, offer=foreign, seeker=OrganizationFactory(department=other_department)
        )

    with at(dt.date(2026, 1, 5)):
        stats = selectors.connection_statistics(user=officer)

    assert [(r.year, r.quarter, r.connections, r.deals, r.deal_value_vnd) for r in stats.by_period] == [
        (2025, 1, 1, 1, 100),
        (2025, 3, 2, 1, 250),
    ]
    assert (stats.connections, stats.deals, stats.deal_value_vnd) == (3, 2, 350)
    assert [(r.code, r.connections, r.deals, r.deal_value_vnd) for r in stats.by_field] == [
        (fields.maths.code, 2, 2, 350),
        ("", 1, 0, 0),
    ]
    assert selectors.connection_statistics(user=officer, year_from=2026).connections == 0
    everything = selectors.public_statistics()
    assert (everything.connections, everything.deals) == (4, 2)
    assert [(y.year, y.connections, y.deals) for y in everything.by_year] == [(2025, 4, 2)]
    assert everything.by_field[0].field.startswith(fields.maths.code)


def test_public_statistics_hold_counts_and_no_names(connection, officer):
    carry_to_deal(connection, officer)
    stats = selectors.public_statistics()
    text = repr(stats)
    assert (stats.connections, stats.deals) == (1, 1)
    for secret in (connection.seeker.name, connection.offer.title, connection.code, "450000000"):
        assert secret not in text


def test_statistics_queries_do_not_grow(connection, officer, django_assert_max_num_queries):
    carry_to_deal(connection, officer)
    with django_assert_max_num_queries(4):
        selectors.connection_statistics(user=officer)


# PLAN INDICATORS ----------------------------------------------------------------------------------
def test_market_deals_counts_deals_signed_in_the_period_with_drill_down(officer, department, enterprise):
    in_2024 = _deal_on(dt.date(2024, 5, 20), officer, department, enterprise, 700_000_000)
    in_2025 = _deal_on(dt.date(2025, 11, 3), officer, department, enterprise, 300_000_000)
    with at(dt.date(2025, 11, 20)):
        brokerage.connection_follow_up(actor=officer, connection=in_2025, on=dt.date(2025, 11, 20), note="Tốt.")
        dropped_offer = listing_factory(status=ListingStatus.PUBLISHED, department=department)
        dropped = brokerage.connection_create_by_officer(actor=officer, offer=dropped_offer, seeker=enterprise)
        brokerage.connection_drop(actor=officer, connection=dropped, reason="Không phù hợp.")
    deals = indicators.get("market_deals")
    ids = department.jurisdiction_ids()

    with at(dt.date(2026, 1, 10)):
        whole = deals.compute(department_ids=ids, year_from=2021, year_to=2025)
        one_year = deals.compute(department_ids=ids, year_from=2025, year_to=2025)
        q2_2024 = deals.compute(department_ids=ids, year_from=2024, year_to=2024, quarter=2)
        q3_2024 = deals.compute(department_ids=ids, year_from=2024, year_to=2024, quarter=3)
        elsewhere = deals.compute(department_ids=[department.pk + 1000], year_from=2021, year_to=2025)

    assert (whole.number, one_year.number, q2_2024.number, q3_2024.number) == (2, 1, 1, 0)
    assert elsewhere.number == 0
    assert sorted(whole.record_ids) == sorted([in_2024.pk, in_2025.pk])
    records = indicators.RECORDS[whole.records](whole.record_ids)
    assert [(r.code, r.date, r.url) for r in records] == [
        (in_2024.code, dt.date(2024, 5, 20), in_2024.get_absolute_url()),
        (in_2025.code, dt.date(2025, 11, 3), in_2025.get_absolute_url()),
    ]
    assert enterprise.name in records[0].title


def test_market_connections_counts_connections_opened_in_the_period(officer, department, enterprise):
    _deal_on(dt.date(2024, 12, 31), officer, department, enterprise, 1)
    with at(dt.date(2025, 1, 1)):
        offer = listing_factory(status=ListingStatus.PUBLISHED, department=department)
        opened = brokerage.connection_create_by_officer(actor=officer, offer=offer, seeker=enterprise)
        brokerage.connection_drop(actor=officer, connection=opened, reason="Không phù hợp.")
    connections = indicators.get("market_connections")

    with at(dt.date(2026, 1, 10)):
        in_2024 = connections.compute(department_ids=[department.pk], year_from=2024, year_to=2024)
        in_2025 = connections.compute(department_ids=[department.pk], year_from=2025, year_to=2025)

    assert (in_2024.number, in_2025.number) == (1, 1)
    assert in_2025.record_ids == [opened.pk]
    records = indicators.RECORDS[in_2025.records](in_2025.record_ids)
    assert [(r.code, r.date) for r in records] == [(opened.code, dt.date(2025, 1, 1))]
    assert Decimal(in_2024.number) == 1


def test_the_indicators_count_for_the_successor_department(officer, department, enterprise):
    """Records made under a department that ceased count for its successor (jurisdiction ids)."""
    deal = _deal_on(dt.date(2024, 3, 1), officer, department, enterprise, 5)
    from tests.factories import DepartmentFactory

    successor = DepartmentFactory()
    type(department).objects.filter(pk=department.pk).update(successor=successor, valid_to=dt.date(2025, 6, 30))
    with at(dt.date(2026, 1, 10)):
        value = indicators.get("market_deals").compute(
            department_ids=successor.jurisdiction_ids(), year_from=2024, year_to=2024
        )
    assert value.record_ids == [deal.pk]
    assert Connection.objects.get(pk=deal.pk).department == department
