"""Fixtures of the brokerage tests (imported by tests/marketplace/test_brokerage*.py).

A department with an officer (who brokers), a leader (who may only look), an enterprise with an
applicant account, the owner of a published offer with its own applicant account, and another
department with its officer and an applicant of an unrelated organisation (the outsiders).
Time is frozen on TODAY at 09:00 in Hà Nội.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from opendost.accounts.roles import Role
from opendost.marketplace import services_brokerage as brokerage
from opendost.marketplace.enums import ListingKind, ListingStatus, TransferMode
from opendost.subjects.enums import OrganizationKind
from tests.factories import DepartmentFactory, UserFactory
from tests.marketplace.factories import applicant_of, listing_factory, officer_of
from tests.subjects.factories import OrganizationFactory

TODAY = dt.date(2026, 3, 2)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=HANOI), tick=False)


@pytest.fixture
def today():
    with at(TODAY):
        yield TODAY


@pytest.fixture
def department(db):
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
def other_department(db):
    return DepartmentFactory()


@pytest.fixture
def outsider(other_department):
    """An officer of another department."""
    return UserFactory(role=Role.OFFICER, department=other_department)


@pytest.fixture
def owner_org(department):
    return OrganizationFactory(
        department=department, kind=OrganizationKind.ST_ORGANIZATION, name="Viện Nghiên cứu Rau quả"
    )


@pytest.fixture
def owner(owner_org):
    """An applicant of the organisation that owns the offer."""
    return applicant_of(owner_org)


@pytest.fixture
def enterprise(department):
    return OrganizationFactory(
        department=department, kind=OrganizationKind.ENTERPRISE, name="Công ty TNHH Nông sản Lục Ngạn"
    )


@pytest.fixture
def applicant(enterprise):
    return applicant_of(enterprise)


@pytest.fixture
def stranger(department):
    """An applicant of an organisation that takes no part."""
    return applicant_of(OrganizationFactory(department=department, name="Công ty Cổ phần Không Liên Quan"))


@pytest.fixture
def offer(today, department, owner_org):
    return listing_factory(status=ListingStatus.PUBLISHED, department=department, owner=owner_org)


@pytest.fixture
def need(today, department, enterprise):
    return listing_factory(
        kind=ListingKind.NEED, status=ListingStatus.PUBLISHED, department=department, owner=enterprise
    )


@pytest.fixture
def connection(today, applicant, offer):
    return brokerage.interest_express(actor=applicant, offer=offer, message="Chúng tôi muốn nhận chuyển giao.")


def carry_to_deal(connection, officer, *, signed_on=TODAY, value=450_000_000):
    """Introduce, meet, negotiate and sign: the usual way to a deal."""
    brokerage.connection_introduce(actor=officer, connection=connection, on=signed_on, note="Giới thiệu hai bên.")
    brokerage.connection_meet(actor=officer, connection=connection, on=signed_on, note="Họp tại Sở.")
    brokerage.connection_negotiate(actor=officer, connection=connection, note="Đàm phán giá.")
    return brokerage.connection_sign_deal(
        actor=officer,
        connection=connection,
        signed_on=signed_on,
        value_vnd=value,
        mode=TransferMode.LICENCE,
        contract_ref="15/2026/HĐCGCN",
    )
