import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from opendost.accounts.roles import Role
from tests.factories import DepartmentFactory, UserFactory
from tests.projects.helpers import Flow
from tests.subjects.factories import OrganizationFactory, PersonFactory, address_units, field_nodes

# Tests run on a fixed working Tuesday, so "today" and the statutory clocks are reproducible.
TODAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def department(db):
    return DepartmentFactory(governing_body="UBND TỈNH BẮC NINH")


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
def outsider(other_department):
    return UserFactory(role=Role.OFFICER, department=other_department)


@pytest.fixture
def host(department):
    return OrganizationFactory(department=department, name="Công ty TNHH Nông nghiệp Hòa Bình")


@pytest.fixture
def other_org(department):
    return OrganizationFactory(department=department, name="Viện Nghiên cứu Rau quả Mẫu")


@pytest.fixture
def pi(department, host):
    return PersonFactory(department=department, full_name="Trần Văn Đức", organization=host)


@pytest.fixture
def applicant(host):
    return UserFactory(role=Role.APPLICANT, department=None, organization=host)


@pytest.fixture
def other_applicant(other_org):
    return UserFactory(role=Role.APPLICANT, department=None, organization=other_org)


@pytest.fixture
def units(db):
    return address_units()


@pytest.fixture
def nodes(db):
    return field_nodes()


@pytest.fixture
def flow(department, officer, leader, host, pi):
    return Flow(department=department, officer=officer, leader=leader, host=host, pi=pi)


def today():
    return timezone.localdate()
