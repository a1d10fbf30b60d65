"""The brokerage demo loads after the demo listings, through the services, in every state."""

import pytest

from opendost.demo import services as demo_services
from opendost.marketplace import selectors_brokerage as selectors
from opendost.marketplace.enums import ConnectionStatus, FairStatus
from opendost.marketplace.models import Connection, Fair
from opendost.planning import indicators

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, monkeypatch):
    settings.OPENDOST_DEMO_ALLOWED = True
    lines = []

    def listings_and_brokerage(**context):
        from opendost.marketplace import demo_brokerage, demo_listings

        lines.append(demo_listings.load(**context))
        lines.append(demo_brokerage.load(**context))
        lines.append(demo_brokerage.load(**context))  # a second run adds nothing
        return lines

    monkeypatch.setattr(demo_services, "_write_domain_demos", listings_and_brokerage)
    assert demo_services.demo_load().loaded
    return lines


def test_demo_brokerage(demo):
    summary, again = demo[1], demo[2]
    assert summary == "marketplace brokerage: 2 fairs, 13 connections (4 deals)"
    assert again == "marketplace brokerage: already loaded"
    assert Connection.objects.count() == 13
    assert set(Connection.objects.values_list("status", flat=True)) == set(ConnectionStatus.values)
    deals = Connection.objects.filter(status__in=[ConnectionStatus.DEAL, ConnectionStatus.FOLLOWED_UP])
    assert sorted(d.deal_signed_on.year for d in deals) == [2023, 2024, 2025, 2026]
    assert all(d.deal_value_vnd > 0 and d.deal_contract_ref for d in deals)
    assert all(c.drop_reason for c in Connection.objects.filter(status=ConnectionStatus.DROPPED))
    held, planned = Fair.objects.order_by("starts_on")
    assert (held.status, held.starts_on.year, planned.status, planned.starts_on.year) == (
        FairStatus.HELD,
        2025,
        FairStatus.PLANNED,
        2027,
    )
    results = selectors.fair_results(held)
    assert (results.registered, results.connections, results.deals) == (8, 4, 1)
    interest = Connection.objects.get(requested_by__username="doanhnghiep")
    assert interest.status == ConnectionStatus.REQUESTED
    department = held.department
    value = indicators.get("market_deals").compute(
        department_ids=department.jurisdiction_ids(), year_from=2021, year_to=2025
    )
    assert value.number == 3
