"""The main menu groups entries by area; a group the user sees one item of is a plain link."""

import pytest

from opendost.accounts.roles import Role
from opendost.web.navigation import menu_tree
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_officer_sees_areas_as_dropdowns_and_the_active_one_marked():
    officer = UserFactory(role=Role.OFFICER)

    entries = menu_tree(officer, "/radiation/facilities/6c1f0e2a-0000-4000-8000-000000000000/")

    labels = [str(e.label) for e in entries]
    assert labels[:2] == ["Home", "One-stop dossiers"]
    radiation = next(e for e in entries if str(e.label) == "Radiation safety")
    assert radiation.is_group and [str(i.label) for i in radiation.items] == [
        "X-ray facilities",
        "Licence expiry control",
        "Radiation monitoring",
    ]
    assert radiation.active and not entries[0].active
    assert "Registers" in labels and "Users" not in labels


def test_an_applicant_gets_plain_links_to_its_own_pages():
    applicant = UserFactory(role=Role.APPLICANT, department=None)

    entries = menu_tree(applicant)

    assert [(str(e.label), e.is_group) for e in entries] == [
        ("Home", False),
        ("My dossiers", False),
        ("My S&T tasks", False),
        ("My exchange listings", False),  # the technology exchange (opendost/marketplace/apps.py)
        ("My connections", False),
    ]


def test_a_group_with_one_visible_item_is_a_plain_link():
    member = UserFactory(role=Role.COUNCIL_MEMBER)

    entries = menu_tree(member)

    assert [(str(e.label), e.is_group) for e in entries] == [("Home", False), ("My councils", False)]
