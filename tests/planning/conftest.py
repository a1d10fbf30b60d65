import datetime as dt

import pytest
import time_machine

from opendost.accounts.roles import Role
from opendost.planning import seed
from tests.factories import DepartmentFactory, UserFactory
from tests.projects.helpers import Flow
from tests.subjects.factories import OrganizationFactory, PersonFactory

# A fixed working Tuesday after the 2021-2025 plan ended.
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def old_department(db):
    """The department that ceased on 30/06/2025; its records count for its successor."""
    return DepartmentFactory(code="bac-giang-test", name="Sở KH&CN tỉnh Bắc Giang")


@pytest.fixture
def department(old_department):
    new = DepartmentFactory(code="bac-ninh-test", name="Sở KH&CN tỉnh Bắc Ninh", governing_body="UBND TỈNH BẮC NINH")
    old_department.successor = new
    old_department.save()
    return new


@pytest.fixture
def other_department(db):
    return DepartmentFactory()


@pytest.fixture
def officer(department):
    return UserFactory(role=Role.OFFICER, department=department)


@pytest.fixture
def leader(department):
    return UserFactory(role=Role.LEADER, department=department, full_name="Lê Minh Cường")


@pytest.fixture
def second_leader(department):
    return UserFactory(role=Role.LEADER, department=department)


@pytest.fixture
def outsider(other_department):
    return UserFactory(role=Role.OFFICER, department=other_department)


@pytest.fixture
def outside_leader(other_department):
    return UserFactory(role=Role.LEADER, department=other_department)


@pytest.fixture
def host(department):
    return OrganizationFactory(department=department, name="Công ty TNHH Nông nghiệp Hòa Bình")


@pytest.fixture
def applicant(host):
    return UserFactory(role=Role.APPLICANT, department=None, organization=host)


def flow_for(department, officer=None, leader=None) -> Flow:
    officer = officer or UserFactory(role=Role.OFFICER, department=department)
    leader = leader or UserFactory(role=Role.LEADER, department=department)
    host = OrganizationFactory(department=department)
    pi = PersonFactory(department=department, organization=host)
    return Flow(department=department, officer=officer, leader=leader, host=host, pi=pi)


@pytest.fixture
def flow(department, officer, leader):
    return flow_for(department, officer, leader)


@pytest.fixture
def plan(department):
    return seed.load(department=department)
