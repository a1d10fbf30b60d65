"""The register of issued documents: scoped to the department, filtered, paginated without counts."""

import dataclasses

import pytest
from django.urls import reverse
from django.utils import timezone

from opendost.accounts.roles import Role
from opendost.documents.samples import sample_decision
from opendost.documents.services import document_issue
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("documents:list")


@pytest.fixture
def department():
    return DepartmentFactory(governing_body="UBND TỈNH BẮC NINH")


@pytest.fixture
def leader(department):
    return UserFactory(role=Role.LEADER, department=department)


def issue(leader, department, title="Về việc thử nghiệm"):
    data = sample_decision(
        issuing_body_parent=department.governing_body, place="Bắc Ninh", issued_on=timezone.localdate()
    )
    data = dataclasses.replace(data, title=title)
    return document_issue(actor=leader, department=department, doc_type="QĐ", data=data)


def test_staff_see_their_department_documents_newest_first(client, leader, department):
    first = issue(leader, department, "Về việc thứ nhất")
    second = issue(leader, department, "Về việc thứ hai")
    client.force_login(leader)

    html = client.get(URL).content.decode()

    assert html.index(second.number_symbol) < html.index(first.number_symbol)


def test_another_department_sees_none_of_them(client, leader, department):
    document = issue(leader, department)
    outsider = UserFactory(role=Role.OFFICER)
    client.force_login(outsider)

    assert document.number_symbol not in client.get(URL).content.decode()
    assert client.get(document.get_absolute_url()).status_code == 404


def test_filter_by_summary_and_year(client, leader, department):
    kept = issue(leader, department, "Về việc công nhận sáng kiến")
    other = issue(leader, department, "Về việc thành lập hội đồng")
    client.force_login(leader)

    html = client.get(URL, {"q": "sáng kiến", "year": str(kept.issued_on.year)}).content.decode()

    assert kept.number_symbol in html and other.number_symbol not in html
    assert "No document matches." in client.get(URL, {"year": "1999"}).content.decode()


def test_roles_without_the_permission_are_refused(client):
    client.force_login(UserFactory(role=Role.APPLICANT))
    assert client.get(URL).status_code == 403


def test_list_query_count_does_not_grow_with_rows(client, leader, department, django_assert_max_num_queries):
    for n in range(3):
        issue(leader, department, f"Về việc số {n}")
    client.force_login(leader)
    with django_assert_max_num_queries(12):
        client.get(URL)
    for n in range(5):
        issue(leader, department, f"Về việc thêm {n}")
    with django_assert_max_num_queries(12):
        client.get(URL)
