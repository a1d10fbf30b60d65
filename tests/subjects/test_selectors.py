import pytest
from django.http import Http404
from django.urls import reverse

from opendost.subjects import selectors
from tests.factories import DepartmentFactory
from tests.subjects.factories import ContactFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_get_for_finds_only_visible_rows(officer, outsider, department):
    organization = OrganizationFactory(department=department)
    person = PersonFactory(department=department)
    assert selectors.organization_get_for(officer, organization.public_id) == organization
    assert selectors.person_get_for(officer, person.public_id) == person
    for getter, row in ((selectors.organization_get_for, organization), (selectors.person_get_for, person)):
        with pytest.raises(Http404):
            getter(outsider, row.public_id)
        with pytest.raises(Http404):
            getter(officer, "not-a-uuid")


def test_lists_cover_the_predecessor_departments_and_nothing_else(officer, department, other_department):
    predecessor = DepartmentFactory(successor=department)
    OrganizationFactory(department=department, name="Mới")
    OrganizationFactory(department=predecessor, name="Cũ")
    OrganizationFactory(department=other_department, name="Khác")
    assert [o.name for o in selectors.organization_list_for(officer)] == ["Cũ", "Mới"]


def test_administrator_sees_every_department(administrator, department, other_department):
    OrganizationFactory(department=department)
    OrganizationFactory(department=other_department)
    assert selectors.organization_list_for(administrator).count() == 2


def test_applicant_sees_nothing(applicant, department):
    OrganizationFactory(department=department)
    assert not selectors.organization_list_for(applicant).exists()


def test_overview_has_people_and_contacts_then_registered_sections(client, officer, department):
    organization = OrganizationFactory(department=department)
    PersonFactory(department=department, organization=organization, full_name="Người Của Tổ Chức")
    ContactFactory(organization=organization, full_name="Người Liên Hệ")

    def licences(org, user):
        assert user == officer
        return [selectors.OverviewEntry(label="Giấy phép X-quang số 12", url="/x/12/", detail="còn hiệu lực")]

    registered = [s.key for s in selectors.subject_overview(organization, user=officer)]
    assert registered[:2] == ["people", "contacts"]  # then the domain apps' sections (projects, radiation)
    selectors.register_overview_section("planted", title="Radiation licences", entries=licences, order=1000)
    try:
        sections = selectors.subject_overview(organization, user=officer)
        assert [s.key for s in sections] == [*registered, "planted"]
        assert [p.full_name for p in sections[0].entries] == ["Người Của Tổ Chức"]
        assert [c.full_name for c in sections[1].entries] == ["Người Liên Hệ"]
        client.force_login(officer)
        html = client.get(reverse("subjects:organization_detail", args=[organization.public_id])).content.decode()
        assert "Radiation licences" in html and 'href="/x/12/"' in html and "còn hiệu lực" in html
    finally:
        selectors.unregister_overview_section("planted")
    assert [s.key for s in selectors.subject_overview(organization, user=officer)] == registered
