"""Fixtures of the listings tests (imported by tests/marketplace/test_listings*.py).

A department ("Bắc Ninh") with an officer, a leader and a second officer; an enterprise with its
applicant account and a research institute with its own; another department with its officer and an
enterprise with an applicant (the outsiders). Time is frozen on TODAY at 09:00 in Hà Nội by the
autouse `frozen` fixture.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from opendost.accounts.roles import Role
from opendost.subjects.enums import OrganizationKind
from tests.factories import DepartmentFactory, UserFactory
from tests.marketplace.factories import applicant_of, officer_of
from tests.subjects.factories import OrganizationFactory, PersonFactory, address_units, field_nodes

TODAY = dt.date(2026, 3, 10)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=HANOI), tick=False)


@pytest.fixture(autouse=True)
def frozen():
    with at(TODAY) as traveller:
        yield traveller


@pytest.fixture
def department(db):
    return DepartmentFactory(code="bac-ninh", governing_body="UBND TỈNH BẮC NINH")


@pytest.fixture
def other_department(db):
    return DepartmentFactory()


@pytest.fixture
def officer(department):
    return officer_of(department)


@pytest.fixture
def second_officer(department):
    return UserFactory(role=Role.OFFICER, department=department)


@pytest.fixture
def leader(department):
    return UserFactory(role=Role.LEADER, department=department)


@pytest.fixture
def inspector(department):
    return UserFactory(role=Role.INSPECTOR, department=department)


@pytest.fixture
def outsider(other_department):
    return officer_of(other_department)


@pytest.fixture
def enterprise(department):
    return OrganizationFactory(department=department, name="Công ty Cổ phần Thực phẩm Kinh Bắc", tax_code="0100233488")


@pytest.fixture
def institute(department):
    return OrganizationFactory(
        department=department, kind=OrganizationKind.ST_ORGANIZATION, name="Viện Công nghệ Sinh học Bắc Ninh"
    )


@pytest.fixture
def foreign_enterprise(other_department):
    return OrganizationFactory(department=other_department, name="Công ty TNHH Cơ khí Hà Tây")


@pytest.fixture
def applicant(enterprise):
    return applicant_of(enterprise)


@pytest.fixture
def colleague(enterprise):
    """A second applicant account of the same enterprise."""
    return applicant_of(enterprise)


@pytest.fixture
def other_applicant(institute):
    return applicant_of(institute)


@pytest.fixture
def foreign_applicant(foreign_enterprise):
    return applicant_of(foreign_enterprise)


@pytest.fixture
def person(department, institute):
    return PersonFactory(department=department, full_name="Nguyễn Thị Hòa", organization=institute)


@pytest.fixture
def units(db):
    return address_units()


@pytest.fixture
def nodes(db):
    return field_nodes()
