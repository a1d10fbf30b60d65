import pytest
from django.test import Client

from opendost.accounts.roles import Role
from opendost.api.services import api_token_create
from opendost.subjects.enums import OrganizationKind
from opendost.subjects.models import Organization, Person
from tests.factories import UserFactory


@pytest.fixture
def officer():
    return UserFactory(role=Role.OFFICER)


@pytest.fixture
def token(officer):
    return api_token_create(user=officer, name="test integration")[1]


@pytest.fixture
def api(token):
    """A client that sends the bearer token."""
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def organization(officer):
    return Organization.objects.create(
        department=officer.department,
        kind=OrganizationKind.ENTERPRISE,
        name="Công ty Cổ phần Vải thiều Lục Ngạn",
        name_folded="cong ty co phan vai thieu luc ngan",
        tax_code="2400123456",
    )


@pytest.fixture
def person(officer, organization):
    return Person.objects.create(
        department=officer.department,
        full_name="Nguyễn Thị Hoà",
        name_folded="nguyen thi hoa",
        citizen_id="024123456789",
        organization=organization,
    )
