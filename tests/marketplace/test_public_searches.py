"""Saved searches of the public exchange: kept from the list the user was looking at, the user's own
only (another user's is 404), and alerting when a newly published listing meets them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.marketplace import services_searches
from opendost.marketplace.enums import ListingKind, ListingStatus
from opendost.marketplace.models import SavedSearch
from opendost.notifications.models import Message
from tests.factories import DepartmentFactory, UserFactory
from tests.marketplace.factories import applicant_of, listing_factory
from tests.marketplace.test_api import api_for, get, ok, post
from tests.subjects.factories import OrganizationFactory, field_nodes

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=HANOI), tick=False):
        yield


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def user(department):
    return applicant_of(OrganizationFactory(department=department))


@pytest.fixture
def other_user(department):
    return applicant_of(OrganizationFactory(department=department))


def keep(user, **values):
    return services_searches.saved_search_create(actor=user, **{"name": "Sấy lạnh", "query": "sấy lạnh", **values})


# SERVICE --------------------------------------------------------------------------------------------
def test_a_search_needs_a_name_and_one_criterion(user):
    with pytest.raises(ValidationError) as caught:
        services_searches.saved_search_create(actor=user, name=" ", query="")

    assert caught.value.message_dict == {
        "name": ["Give the search a name."],
        "query": ["Give at least one criterion (words, kind, field, province or readiness level)."],
    }


def test_at_most_twenty_searches_each(user, other_user, monkeypatch):
    monkeypatch.setattr(services_searches, "MAX_PER_USER", 2)
    keep(user)
    keep(user)

    with pytest.raises(ValidationError) as caught:
        keep(user)

    assert "delete one first" in caught.value.message_dict["name"][0]
    assert keep(other_user).user == other_user


def test_only_its_user_changes_or_deletes_a_search(user, other_user):
    search = keep(user)

    with pytest.raises(PermissionDenied):
        services_searches.saved_search_delete(actor=other_user, search=search)
    with pytest.raises(PermissionDenied):
        services_searches.saved_search_set_alerts(actor=other_user, search=search, alerts=False)
    services_searches.saved_search_set_alerts(actor=user, search=search, alerts=False)
    search.refresh_from_db()
    assert search.alerts is False
    services_searches.saved_search_delete(actor=user, search=search)
    assert not SavedSearch.objects.exists()


def test_a_newly_published_listing_alerts_the_matching_saved_searches(user, other_user, department):
    fields = field_nodes()
    keep(user, kind=ListingKind.OFFER, field=fields.engineering)
    keep(other_user, name="Toán", query="", field=fields.maths)

    listing_factory(
        department=department,
        status=ListingStatus.PUBLISHED,
        title="Công nghệ SẤY LẠNH nông sản bằng bơm nhiệt",
        field=fields.engineering,
    )

    assert Message.objects.filter(recipient_user=user).exists()
    assert not Message.objects.filter(recipient_user=other_user).exists()


# PAGES ----------------------------------------------------------------------------------------------
def test_the_form_comes_filled_from_the_list_and_keeps_the_search(client, user):
    fields = field_nodes()
    client.force_login(user)

    form_page = client.get(
        reverse("marketplace:saved_search_create"), {"kind": "offer", "q": "sấy lạnh", "trl_min": 5}
    )
    assert form_page.status_code == 200
    initial = form_page.context["form"].initial
    assert (initial["kind"], initial["query"], initial["min_readiness_level"]) == ("offer", "sấy lạnh", "5")

    data = {"name": "Sấy lạnh", "kind": "offer", "query": "sấy lạnh", "field": fields.engineering.pk, "alerts": "on"}
    response = client.post(reverse("marketplace:saved_search_create"), data)

    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert (search.user, search.kind, search.query, search.field, search.alerts) == (
        user,
        "offer",
        "sấy lạnh",
        fields.engineering,
        True,
    )
    listing = client.get(reverse("marketplace:saved_search_list"))
    assert "Sấy lạnh" in listing.content.decode()
    run_url = dict(listing.context["rows"])[search]
    assert run_url.startswith(reverse("exchange:browse") + "?")
    assert "kind=offer" in run_url and f"field={fields.engineering.pk}" in run_url


def test_an_invalid_search_shows_the_errors_and_keeps_the_input(client, user):
    client.force_login(user)

    response = client.post(reverse("marketplace:saved_search_create"), {"name": "Trống"})

    assert response.status_code == 200
    assert "Give at least one criterion" in response.content.decode()
    assert 'value="Trống"' in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_another_users_search_is_404(client, user, other_user):
    search = keep(user)
    client.force_login(other_user)

    assert client.post(reverse("marketplace:saved_search_delete", args=[search.public_id])).status_code == 404
    assert client.post(reverse("marketplace:saved_search_alerts", args=[search.public_id])).status_code == 404
    assert search.name not in client.get(reverse("marketplace:saved_search_list")).content.decode()

    client.force_login(user)
    client.post(reverse("marketplace:saved_search_alerts", args=[search.public_id]))
    search.refresh_from_db()
    assert search.alerts is False
    client.post(reverse("marketplace:saved_search_delete", args=[search.public_id]))
    assert not SavedSearch.objects.exists()


def test_staff_may_keep_searches_too(client, department):
    officer = UserFactory(role=Role.OFFICER, department=department)
    client.force_login(officer)

    response = client.post(reverse("marketplace:saved_search_create"), {"name": "Nhu cầu", "kind": "need"})

    assert response.status_code == 302
    assert SavedSearch.objects.get().user == officer


def test_an_anonymous_visitor_is_sent_to_login_to_save_a_search(client):
    response = client.get(reverse("marketplace:saved_search_create"), {"q": "sấy lạnh"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# API ------------------------------------------------------------------------------------------------
def test_the_api_keeps_lists_and_deletes_the_callers_searches(user, other_user):
    mine, theirs = api_for(user), api_for(other_user)

    created = ok(
        post(mine, "/saved-searches", {"name": "Sấy lạnh", "query": "sấy lạnh", "min_readiness_level": 6}), 201
    )
    assert (created["query"], created["min_readiness_level"], created["alerts"]) == ("sấy lạnh", 6, True)
    assert [s["public_id"] for s in ok(get(mine, "/saved-searches"))["items"]] == [created["public_id"]]
    assert ok(get(theirs, "/saved-searches"))["items"] == []

    assert post(theirs, f"/saved-searches/{created['public_id']}/delete").status_code == 404
    assert ok(post(mine, f"/saved-searches/{created['public_id']}/delete"))["name"] == "Sấy lạnh"
    assert not SavedSearch.objects.exists()


def test_the_api_refuses_a_search_without_criterion_field_by_field(user):
    response = post(api_for(user), "/saved-searches", {"name": "Trống"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "data", "query"]
    assert post(api_for(user), "/saved-searches", {"name": "X", "field": 999999}).status_code == 404
    assert post(api_for(user), "/saved-searches", {"name": "X", "min_readiness_level": 0}).status_code == 422
