"""/api/v1/marketplace/connections and /fairs: scoping, writes and their documented answers."""

import pytest
from django.test import Client

from opendost.api.services import api_token_create
from opendost.marketplace import services_brokerage as brokerage
from opendost.marketplace.enums import ConnectionStatus, ListingStatus
from opendost.marketplace.models import Connection
from tests.marketplace.brokerage_fixtures import *  # noqa: F403
from tests.marketplace.brokerage_fixtures import TODAY, carry_to_deal
from tests.marketplace.factories import listing_factory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/marketplace"


def api_for(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='test')[1]}"})


def test_staff_list_and_detail(connection, officer, outsider):
    api = api_for(officer)
    body = api.get(f"{BASE}/connections").json()
    assert [row["code"] for row in body["items"]] == [connection.code]
    assert body["next_offset"] is None
    detail = api.get(f"{BASE}/connections/{connection.public_id}").json()
    assert detail["status"] == "requested"
    assert detail["offer"]["code"] == connection.offer.code
    assert detail["message"] == connection.message
    assert detail["actions"] == ["introduce", "drop"]
    assert api_for(outsider).get(f"{BASE}/connections/{connection.public_id}").status_code == 404
    assert api_for(outsider).get(f"{BASE}/connections").json()["items"] == []


def test_filters(connection, officer):
    api = api_for(officer)
    assert api.get(f"{BASE}/connections", {"status": "deal"}).json()["items"] == []
    assert len(api.get(f"{BASE}/connections", {"date_from": "2026-03-02"}).json()["items"]) == 1
    assert api.get(f"{BASE}/connections", {"date_to": "2026-03-01"}).json()["items"] == []
    assert api.get(f"{BASE}/connections", {"date_to": "01/03/2026"}).status_code == 422
    extremes = {"date_from": "0001-01-01", "date_to": "9999-12-31"}  # found by the fuzzer: no overflow
    assert len(api.get(f"{BASE}/connections", extremes).json()["items"]) == 1


def test_the_parties_read_their_connection_without_internal_data(connection, officer, applicant, owner, stranger):
    carry_to_deal(connection, officer)
    for user in (applicant, owner):
        detail = api_for(user).get(f"{BASE}/connections/{connection.public_id}").json()
        assert detail["status"] == "deal"
        assert (detail["deal_value_vnd"], detail["broker_name"], detail["message"], detail["actions"]) == (
            None,
            "",
            "",
            [],
        )
        timeline = api_for(user).get(f"{BASE}/connections/{connection.public_id}/timeline").json()
        assert {entry["actor"] for entry in timeline} == {""}
        assert "file" not in {entry["kind"] for entry in timeline}
    assert api_for(stranger).get(f"{BASE}/connections/{connection.public_id}").status_code == 404
    assert api_for(stranger).get(f"{BASE}/connections/{connection.public_id}/timeline").status_code == 404


def test_an_enterprise_expresses_interest_through_the_api(today, offer, applicant, owner):
    api = api_for(applicant)
    response = api.post(
        f"{BASE}/connections", {"offer": str(offer.public_id), "message": "Quan tâm."}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["seeker"]["name"] == applicant.organization.name
    again = api.post(f"{BASE}/connections", {"offer": str(offer.public_id)}, content_type="application/json")
    assert again.status_code == 409
    own = api_for(owner).post(f"{BASE}/connections", {"offer": str(offer.public_id)}, content_type="application/json")
    assert own.status_code == 409


def test_an_owner_answers_a_need_through_the_api(need, offer, owner, enterprise):
    response = api_for(owner).post(
        f"{BASE}/connections",
        {"offer": str(offer.public_id), "need": str(need.public_id)},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["need"]["code"] == need.code


def test_interest_errors(today, department, owner_org, officer, applicant):
    draft = listing_factory(department=department, owner=owner_org)
    published = listing_factory(status=ListingStatus.PUBLISHED, department=department, owner=owner_org)
    post = {"content_type": "application/json"}
    assert api_for(applicant).post(f"{BASE}/connections", {"offer": str(draft.public_id)}, **post).status_code == 404
    assert api_for(officer).post(f"{BASE}/connections", {"offer": str(published.public_id)}, **post).status_code == 403
    long = {"offer": str(published.public_id), "message": "x" * 4001}
    assert api_for(applicant).post(f"{BASE}/connections", long, **post).status_code == 422


def test_a_broker_carries_the_connection_through_the_api(connection, officer):
    api = api_for(officer)
    url = f"{BASE}/connections/{connection.public_id}"
    post = {"content_type": "application/json"}
    version = api.get(url).json()["version"]
    assert api.post(f"{url}/transitions/introduce", {"expected_version": version}, **post).status_code == 200
    assert api.post(f"{url}/transitions/sign_deal", {}, **post).status_code == 409  # not from "introduced"
    assert api.post(f"{url}/transitions/negotiate", {"expected_version": version}, **post).status_code == 409
    assert api.post(f"{url}/transitions/negotiate", {}, **post).status_code == 200
    bad = api.post(
        f"{url}/transitions/sign_deal",
        {"signed_on": "2026-03-02", "value_vnd": 5, "mode": "licence", "contract_ref": " "},
        **post,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "data", "contract_ref"]
    deal = api.post(
        f"{url}/transitions/sign_deal",
        {"signed_on": "2026-03-02", "value_vnd": 900_000_000, "mode": "licence", "contract_ref": "7/2026/HĐ"},
        **post,
    )
    assert deal.status_code == 200
    assert (deal.json()["status"], deal.json()["deal_value_vnd"]) == ("deal", 900_000_000)
    assert api.post(f"{url}/transitions/drop", {"reason": "x"}, **post).status_code == 409
    assert Connection.objects.get(pk=connection.pk).status == ConnectionStatus.DEAL


def test_only_brokers_move_and_record(connection, leader, applicant):
    post = {"content_type": "application/json"}
    url = f"{BASE}/connections/{connection.public_id}"
    assert api_for(leader).post(f"{url}/transitions/drop", {"reason": "x"}, **post).status_code == 403
    assert api_for(applicant).post(f"{url}/transitions/drop", {"reason": "x"}, **post).status_code == 403
    event = {"kind": "note", "happened_on": "2026-03-02", "note": "x"}
    assert api_for(leader).post(f"{url}/events", event, **post).status_code == 403


def test_events_through_the_api(connection, officer):
    api = api_for(officer)
    url = f"{BASE}/connections/{connection.public_id}/events"
    post = {"content_type": "application/json"}
    created = api.post(url, {"kind": "meeting", "happened_on": "2026-03-10", "note": "Hẹn họp."}, **post)
    assert created.status_code == 201 and created.json()["happened_on"] == "2026-03-10"
    future_note = api.post(url, {"kind": "note", "happened_on": "2026-03-10", "note": "x"}, **post)
    assert future_note.status_code == 422
    assert api.post(url, {"kind": "note", "happened_on": "2026-03-02", "note": "  "}, **post).status_code == 422


def test_fairs_through_the_api(today, officer, outsider, department, offer, enterprise):
    fair = brokerage.fair_create(
        actor=officer, department=department, title="Techmart", kind="fair", starts_on=TODAY, ends_on=TODAY, venue="Sở"
    )
    brokerage.fair_register(actor=officer, fair=fair, listing=offer, booth="A01")
    made = brokerage.connection_create_by_officer(actor=officer, offer=offer, seeker=enterprise, fair=fair)
    carry_to_deal(made, officer, value=123)
    api = api_for(officer)
    rows = api.get(f"{BASE}/fairs").json()["items"]
    assert [(r["code"], r["registered"], r["connections_made"], r["deals_made"]) for r in rows] == [
        (fair.code, 1, 1, 1)
    ]
    detail = api.get(f"{BASE}/fairs/{fair.public_id}").json()
    assert detail["results"] == {"registered": 1, "connections": 1, "deals": 1, "deal_value_vnd": 123}
    registrations = api.get(f"{BASE}/fairs/{fair.public_id}/registrations").json()
    assert registrations == [
        {
            "booth": "A01",
            "listing": {"public_id": str(offer.public_id), "code": offer.code, "kind": "offer", "title": offer.title},
        }
    ]
    assert api.get(f"{BASE}/fairs/{fair.public_id}/results").json()["deals"] == 1
    assert api.get(f"{BASE}/fairs", {"status": "held"}).json()["items"] == []
    assert api_for(outsider).get(f"{BASE}/fairs/{fair.public_id}").status_code == 404
    assert api_for(outsider).get(f"{BASE}/fairs/{fair.public_id}/results").status_code == 404


def test_anonymous_callers_get_401(connection):
    assert Client().get(f"{BASE}/connections").status_code == 401
    assert Client().post(f"{BASE}/connections/{connection.public_id}/transitions/drop").status_code == 401
