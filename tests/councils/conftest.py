import pytest

from opendost.accounts.roles import Role
from tests.factories import DepartmentFactory, UserFactory


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
def outsider(other_department):
    """An officer of another department: must never see or touch `department`'s councils."""
    return UserFactory(role=Role.OFFICER, department=other_department)


@pytest.fixture
def leader(department):
    return UserFactory(role=Role.LEADER, department=department)


@pytest.fixture
def inspector(department):
    return UserFactory(role=Role.INSPECTOR, department=department)
