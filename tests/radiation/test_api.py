import datetime as dt

import pytest
from django.test import Client

from opendost.api.services import api_token_create
from opendost.radiation import services
from tests.radiation.conftest import make_device

pytestmark = pytest.mark.django_db
BASE = "/api/v1/radiation"


def _client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"})


@pytest.fixture
def data(officer, facility, device, licence, today):
    soon_device = make_device(officer, facility, serial="S2")
    soon = services.licence_issue(
        actor=officer,
        facility=facility,
        devices=[soon_device],
        work_scope="X",
        issued_on=dt.date(2023, 4, 1),
        number="2/GP-SKHCN",
    )
    return {"soon": soon}


def test_facilities(officer, facility, data):
    api = _client(officer)
    body = api.get(f"{BASE}/facilities").json()
    assert [f["name"] for f in body["items"]] == [facility.name]
    row = body["items"][0]
    assert row["devices_in_use"] == 2 and row["licence_number"] == "15/GP-SKHCN"
    assert "rso_name" not in row
    assert api.get(f"{BASE}/facilities", {"q": "hoa binh"}).json()["items"]
    detail = api.get(f"{BASE}/facilities/{facility.public_id}").json()
    assert len(detail["devices"]) == 2
    assert {lic["number"] for lic in detail["licences"]} == {"15/GP-SKHCN", "2/GP-SKHCN"}
    assert {lic["state"] for lic in detail["licences"]} == {"valid"}


def test_licences_expiring_within(officer, data):
    api = _client(officer)
    assert [lic["number"] for lic in api.get(f"{BASE}/licences", {"expiring_within": 90}).json()["items"]] == [
        "2/GP-SKHCN"
    ]
    assert len(api.get(f"{BASE}/licences").json()["items"]) == 2
    assert api.get(f"{BASE}/licences", {"expiring_within": -1}).status_code == 422


def test_devices(officer, data):
    api = _client(officer)
    assert len(api.get(f"{BASE}/devices", {"status": "in_use"}).json()["items"]) == 2
    assert api.get(f"{BASE}/devices", {"status": "installed"}).json()["items"] == []


def test_scoped_to_the_caller(outsider, applicant, facility, data):
    for user in (outsider, applicant):
        api = _client(user)
        assert api.get(f"{BASE}/facilities").json()["items"] == []
        assert api.get(f"{BASE}/licences").json()["items"] == []
        assert api.get(f"{BASE}/devices").json()["items"] == []
        assert api.get(f"{BASE}/facilities/{facility.public_id}").status_code == 404


def test_anonymous_gets_401(client):
    assert client.get(f"{BASE}/facilities").status_code == 401
