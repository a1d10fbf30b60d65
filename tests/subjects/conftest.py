import pytest
from django.utils import translation

from opendost.accounts.roles import Role
from tests.factories import DepartmentFactory, UserFactory
from tests.subjects.factories import address_units, field_nodes


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests assert the English msgids; the Vietnamese texts are checked in test_translations."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def units(db):
    return address_units()


@pytest.fixture
def nodes(db):
    return field_nodes()


@pytest.fixture
def department(db):
    return DepartmentFactory()


@pytest.fixture
def other_department(db):
    return DepartmentFactory()


@pytest.fixture
def officer(department):
    return UserFactory(role=Role.OFFICER, department=department)


@pytest.fixture
def outsider(other_department):
    """An officer of another department: must never see or touch `department`'s rows."""
    return UserFactory(role=Role.OFFICER, department=other_department)


@pytest.fixture
def inspector(department):
    return UserFactory(role=Role.INSPECTOR, department=department)


@pytest.fixture
def desk_officer(department):
    return UserFactory(role=Role.DESK_OFFICER, department=department)


@pytest.fixture
def leader(department):
    return UserFactory(role=Role.LEADER, department=department)


@pytest.fixture
def applicant(department):
    return UserFactory(role=Role.APPLICANT, department=department)


@pytest.fixture
def administrator(db):
    return UserFactory(role=Role.ADMINISTRATOR, department=None)
