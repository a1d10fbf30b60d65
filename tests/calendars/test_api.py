"""The calendar router, mounted on a test API with session auth: the router sets no auth of its own,
so it takes the API's (opendost/api/urls.py mounts it on the real API)."""

import pytest
from ninja import NinjaAPI
from ninja.security import django_auth
from ninja.testing import TestClient

from opendost.api.calendars import router
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

api = NinjaAPI(auth=django_auth, urls_namespace="calendar-api-test")
api.add_router("/calendar", router)


@pytest.fixture
def client():
    return TestClient(api)


@pytest.fixture
def user():
    return UserFactory()


def test_anonymous_requests_are_refused(client):
    assert client.get("/calendar/days/2026-02-17").status_code == 401
    assert client.get("/calendar/due-date?start=2026-03-05&count=5").status_code == 401


def test_day_off(client, user):
    response = client.get("/calendar/days/2026-02-17", user=user)
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2026-02-17"
    assert body["is_working_day"] is False
    assert body["reason"]


def test_make_up_saturday(client, user):
    body = client.get("/calendar/days/2026-08-22", user=user).json()
    assert body == {"date": "2026-08-22", "is_working_day": True, "reason": None}


def test_due_date_in_working_days(client, user):
    body = client.get("/calendar/due-date?start=2026-02-13&count=5&unit=working", user=user).json()
    assert body["first_day"] == "2026-02-23"
    assert body["due_on"] == "2026-02-27"
    assert body["working_days"] == 5
    assert body["unit"] == "working"


def test_due_date_in_calendar_days(client, user):
    body = client.get("/calendar/due-date?start=2026-02-13&count=25&unit=calendar", user=user).json()
    assert body["due_on"] == "2026-03-19"
    body = client.get(
        "/calendar/due-date?start=2026-02-13&count=25&unit=calendar&start_rule=next_day", user=user
    ).json()
    assert (body["first_day"], body["due_on"]) == ("2026-02-14", "2026-03-10")


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-02-13&count=5&unit=weeks",
        "start=2026-02-13&count=-1",
        "start=2026-02-13&count=100000",
        "start=13/02/2026&count=5",
        "count=5",
        "start=1800-01-01&count=5",
    ],
)
def test_bad_queries_are_422(client, user, query):
    assert client.get(f"/calendar/due-date?{query}", user=user).status_code == 422


def test_bad_day_is_422(client, user):
    assert client.get("/calendar/days/2026-02-30", user=user).status_code == 422
    assert client.get("/calendar/days/2200-01-01", user=user).status_code == 422
