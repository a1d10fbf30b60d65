"""Query shapes that bench/dossiers.py showed matter at national size: the statistics period is a
range of instants an index can serve (same legal-date semantics as before), the public lookup
reaches the dossier through the unique index on its code, the list has an index for its order."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opendost.dossiers import selectors, services
from opendost.dossiers.models import Dossier
from tests.dossiers.factories import Office, applicant_for, published_procedure

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def office():
    return Office()


@pytest.fixture
def procedure():
    return published_procedure(required_documents=[])


def received(office, procedure, when: dt.datetime) -> Dossier:
    applicant = applicant_for(office)
    dossier = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    services.dossier_submit(actor=applicant, dossier=dossier)
    return services.dossier_receive(actor=office.desk, dossier=dossier, received_at=when)


def test_the_statistics_period_is_made_of_legal_dates_at_both_ends(office, procedure):
    received(office, procedure, dt.datetime(2026, 11, 30, 23, 59, tzinfo=VN))  # the day before: out
    received(office, procedure, dt.datetime(2026, 12, 1, 0, 0, tzinfo=VN))  # first instant: in
    received(office, procedure, dt.datetime(2026, 12, 31, 23, 59, tzinfo=VN))  # last day, 16:59 UTC: in
    received(office, procedure, dt.datetime(2027, 1, 1, 0, 0, tzinfo=VN))  # 31/12 17:00 UTC: out
    rows = selectors.statistics(
        user=office.leader,
        date_from=dt.date(2026, 12, 1),
        date_to=dt.date(2026, 12, 31),
        today=dt.date(2027, 1, 5),
    )
    assert sum(row.received for row in rows) == 2
    one_day = selectors.statistics(
        user=office.leader, date_from=dt.date(2027, 1, 1), date_to=dt.date(2027, 1, 1), today=dt.date(2027, 1, 5)
    )
    assert sum(row.received for row in one_day) == 1
    applicant = applicant_for(office)
    not_received = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    services.dossier_submit(actor=applicant, dossier=not_received)
    everything = selectors.statistics(user=office.leader, date_from=dt.date.min, date_to=dt.date.max)
    assert sum(row.received for row in everything) == 4


def test_the_statistics_query_filters_on_the_instant_not_a_cast_of_it(office, procedure):
    with CaptureQueriesContext(connection) as queries:
        selectors.statistics(user=office.leader, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))
    sql = queries.captured_queries[-1]["sql"]
    assert '"received_at" >=' in sql and '"received_at" <' in sql
    assert "django_datetime_cast_date" not in sql and "AT TIME ZONE" not in sql


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the planner of SQLite needs the partial index's term")
def test_the_public_lookup_reads_the_dossier_through_the_index_on_its_code(office, procedure):
    dossier = received(office, procedure, dt.datetime(2026, 12, 1, 9, 0, tzinfo=VN))
    with CaptureQueriesContext(connection) as queries:
        assert selectors.public_lookup(dossier.code).code == dossier.code
    sql = next(q["sql"] for q in queries.captured_queries if 'FROM "dossiers_dossier"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "dossier_unique_code" in plan, plan


def test_the_list_order_has_an_index():
    indexes = {index.name: index.fields for index in Dossier._meta.indexes}
    assert indexes["dossier_list_idx"] == ["department", "submitted_at", "id"]
