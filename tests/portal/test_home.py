import pytest
import time_machine
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.portal.selectors import FUNCTIONS, function_cards
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_is_public_and_offers_the_login(client):
    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1
    assert reverse("accounts:login").encode() in response.content


def test_home_shows_every_function_of_the_department(client):
    response = client.get(reverse("portal:home"))

    cards = response.context["functions"]
    assert [card.function.app for card in cards] == [f.app for f in FUNCTIONS]
    for function in FUNCTIONS:
        assert str(function.title).encode() in response.content


def test_functions_whose_module_is_missing_are_coming_soon():
    cards = function_cards(is_installed=lambda name: name == "opendost.radiation")

    assert {card.function.app for card in cards if card.available} == {"radiation"}


def test_installed_functions_are_available_with_their_public_pages(client):
    response = client.get(reverse("portal:home"))

    cards = {card.function.app: card for card in response.context["functions"]}
    assert {app for app, card in cards.items() if card.available} == {
        "projects",
        "radiation",
        "dossiers",
        "planning",
        "marketplace",
    }
    assert [url for _label, url in cards["dossiers"].links] == [
        reverse("dossiers_public:lookup"),
        reverse("dossiers_public:catalogue"),
    ]
    assert reverse("radiation_public:register").encode() in response.content
    assert [url for _label, url in cards["marketplace"].links] == [
        reverse("exchange:browse"),
        reverse("exchange:statistics"),
    ]
    assert not cards["metrology"].links


def test_a_logged_in_user_is_sent_to_the_workspace_instead_of_the_login(client):
    client.force_login(UserFactory(role=Role.OFFICER))

    response = client.get(reverse("portal:home"))

    assert reverse("web:home").encode() in response.content


@time_machine.travel("2026-03-02 09:00 +07:00", tick=False)
def test_contact_lists_only_the_departments_in_office(client):
    DepartmentFactory(name="Sở KH&CN đang hoạt động", valid_from="2025-07-01")
    DepartmentFactory(name="Sở KH&CN đã sáp nhập", valid_to="2025-06-30")

    response = client.get(reverse("portal:home"))

    assert "Sở KH&amp;CN đang hoạt động" in response.content.decode()
    assert "đã sáp nhập" not in response.content.decode()


def test_home_shows_no_personal_data(client):
    officer = UserFactory(role=Role.OFFICER, full_name="Nguyễn Thị Bí Mật")

    content = client.get(reverse("portal:home")).content.decode()

    assert officer.full_name not in content
    assert officer.username not in content
    assert officer.email not in content


def test_home_has_no_inline_scripts_or_styles(client):
    content = client.get(reverse("portal:home")).content.decode()

    assert "style=" not in content
    assert "<script>" not in content
    assert "onclick" not in content


def test_home_reads_the_database_a_fixed_number_of_times(client, django_assert_max_num_queries):
    for _ in range(5):
        DepartmentFactory()

    with django_assert_max_num_queries(3):
        client.get(reverse("portal:home"))
