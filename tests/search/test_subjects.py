"""The subject register in the index: services keep it in step, lists and the search page use it."""

import pytest
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.search.models import SearchDocument
from opendost.search.selectors import search
from opendost.subjects import selectors, services
from opendost.subjects.enums import ContactRole, OrganizationKind
from opendost.subjects.models import Organization, Person
from tests.factories import DepartmentFactory, UserFactory
from tests.subjects.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def officer(department):
    return UserFactory(role=Role.OFFICER, department=department)


@pytest.fixture
def outsider():
    return UserFactory(role=Role.OFFICER, department=DepartmentFactory())


@pytest.fixture
def administrator(db):
    return UserFactory(role=Role.ADMINISTRATOR, department=None)


def titles(query, **kwargs):
    return [hit.title for hit in search(query, **kwargs)]


def new_organization(officer, department, **kwargs):
    kwargs.setdefault("kind", OrganizationKind.ENTERPRISE)
    return services.organization_create(actor=officer, department=department, **kwargs)


# SERVICES KEEP THE INDEX IN STEP ------------------------------------------------------------------
def test_an_organisation_is_found_by_its_names_tax_code_and_address(officer, department):
    new_organization(
        officer,
        department,
        name="Công ty TNHH Đức Thịnh",
        short_name="ĐT Co",
        english_name="Duc Thinh Company Limited",
        tax_code="0100233488",
        address_line="Số 5 đường Lê Lợi",
    )
    for query in ["duc thinh", "Đức Thịnh", "dt co", "company limited", "0100233488", "01002", "le loi"]:
        assert titles(query) == ["Công ty TNHH Đức Thịnh"], query
    document = SearchDocument.objects.get()
    assert document.department_id == department.pk


def test_renaming_an_organisation_refreshes_it_and_its_people(officer, department):
    organization = new_organization(officer, department, name="Viện Tên Cũ")
    services.person_create(actor=officer, department=department, full_name="Lê Văn Nhân", organization=organization)
    services.organization_update(actor=officer, organization=organization, name="Viện Tên Mới")
    assert titles("ten cu") == []
    assert sorted(titles("ten moi")) == ["Lê Văn Nhân", "Viện Tên Mới"]


def test_contacts_names_find_their_organisation(officer, department):
    organization = new_organization(officer, department, name="Hợp tác xã Bình Minh")
    contact = services.contact_add(
        actor=officer, organization=organization, role=ContactRole.LEGAL_REPRESENTATIVE, full_name="Phạm Thị Đào"
    )
    assert titles("pham thi dao", models=[Organization]) == ["Hợp tác xã Bình Minh"]
    services.contact_remove(actor=officer, contact=contact)
    assert titles("pham thi dao", models=[Organization]) == []


def test_a_person_is_found_by_name_position_and_organisation_but_never_by_citizen_id(officer, department):
    organization = new_organization(officer, department, name="Trường Đại học Hòa Bình")
    services.person_create(
        actor=officer,
        department=department,
        full_name="Nguyễn Thị Thuỷ",
        position="Trưởng phòng",
        citizen_id="001234567890",
        organization=organization,
    )
    assert titles("nguyen thi thủy", models=[Person]) == ["Nguyễn Thị Thuỷ"]
    assert titles("truong phong", models=[Person]) == ["Nguyễn Thị Thuỷ"]
    assert titles("hoà bình", models=[Person]) == ["Nguyễn Thị Thuỷ"]
    assert titles("001234567890") == [] and titles("4567890") == []
    assert not SearchDocument.objects.filter(body__contains="4567890").exists()
    assert not SearchDocument.objects.filter(folded__contains="4567890").exists()


def test_a_rejected_save_leaves_the_index_alone(officer, department):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        new_organization(officer, department, name="Công ty Lỗi", tax_code="123")
    assert SearchDocument.objects.count() == 0


def test_reindex_covers_the_register(department):
    OrganizationFactory(department=department, name="Công ty Chỉ Mục")
    SearchDocument.objects.all().delete()
    from django.core.management import call_command

    call_command("search_reindex", "--model", "subjects.Organization")
    assert titles("chi muc") == ["Công ty Chỉ Mục"]


# LIST PAGES ---------------------------------------------------------------------------------------
def test_list_filter_uses_the_index_and_keeps_scoping(officer, outsider, department):
    organization = new_organization(officer, department, name="Công ty Đông Á", address_line="Đường Trần Phú")
    OrganizationFactory(department=outsider.department, name="Công ty Đông Á Khác")
    assert [o.name for o in selectors.organization_list_for(officer, {"q": "tran phu"})] == ["Công ty Đông Á"]
    assert [o.name for o in selectors.organization_list_for(officer, {"q": "dong a"})] == [organization.name]
    assert [o.name for o in selectors.organization_list_for(outsider, {"q": "dong a"})] == ["Công ty Đông Á Khác"]


def test_list_search_keeps_pagination(client, officer, department, settings):
    settings.OPENDOST_PAGE_SIZE = 2
    for n in range(3):
        OrganizationFactory(department=department, name=f"Viện Phân Trang {n}")
    OrganizationFactory(department=department, name="Viện Khác")
    client.force_login(officer)
    url = reverse("subjects:organization_list")
    first = client.get(url, {"q": "phan trang"})
    second = client.get(url, {"q": "phan trang", "page": 2})
    assert [o.name for o in first.context["page"].rows] == ["Viện Phân Trang 0", "Viện Phân Trang 1"]
    assert [o.name for o in second.context["page"].rows] == ["Viện Phân Trang 2"]


def test_person_list_still_finds_a_whole_citizen_id(officer, department):
    PersonFactory(department=department, full_name="Đỗ Văn Căn", citizen_id="001234567890")
    PersonFactory(department=department, full_name="Đỗ Văn Khác")
    assert [p.full_name for p in selectors.person_list_for(officer, {"q": "001234567890"})] == ["Đỗ Văn Căn"]
    assert [p.full_name for p in selectors.person_list_for(officer, {"q": "do van can"})] == ["Đỗ Văn Căn"]


# THE SEARCH PAGE ----------------------------------------------------------------------------------
def page(client, user, q):
    client.force_login(user)
    return client.get(reverse("search:results"), {"q": q})


def test_search_page_groups_hits_by_type(client, officer, department):
    organization = OrganizationFactory(department=department, name="Viện Hải Dương Học")
    PersonFactory(department=department, full_name="Trần Hải Dương", organization=organization)
    response = page(client, officer, "hai duong")
    assert response.status_code == 200
    labels = [g.label for g in response.context["groups"]]
    expected = [str(m._meta.verbose_name_plural).capitalize() for m in (Organization, Person)]
    assert sorted(labels) == sorted(expected)
    html = response.content.decode()
    assert reverse("subjects:organization_detail", args=[organization.public_id]) in html


def test_search_page_never_shows_another_departments_records(client, officer, outsider, department):
    OrganizationFactory(department=department, name="Công ty Bí Mật")
    response = page(client, outsider, "bi mat")
    assert response.context["groups"] == []
    assert "Bí Mật" not in response.content.decode()


def test_search_page_shows_every_department_to_an_administrator(client, administrator, department, outsider):
    OrganizationFactory(department=department, name="Công ty Chung A")
    OrganizationFactory(department=outsider.department, name="Công ty Chung B")
    (group,) = page(client, administrator, "cong ty chung").context["groups"]
    assert sorted(r.title for r in group.rows) == ["Công ty Chung A", "Công ty Chung B"]


def test_search_page_shows_nothing_without_view_permission(client, department):
    applicant = UserFactory(role=Role.APPLICANT, department=department)
    OrganizationFactory(department=department, name="Công ty Ứng Viên")
    response = page(client, applicant, "ung vien")
    assert response.status_code == 200 and response.context["groups"] == []


def test_search_page_rejects_an_overlong_query_and_keeps_it(client, officer):
    response = page(client, officer, "x" * 201)
    assert response.status_code == 200
    assert response.context["form"].errors["q"]
    assert "x" * 201 in response.content.decode()


@pytest.mark.parametrize("q", ["", "   ", '"*:&|!()', "\x00", "NEAR(a b)"])
def test_search_page_handles_odd_queries(client, officer, q):
    assert page(client, officer, q).status_code == 200


def test_search_page_needs_a_login(client):
    response = client.get(reverse("search:results"), {"q": "x"})
    assert response.status_code == 302


def test_search_page_query_count_does_not_grow_with_hits(client, officer, department, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    url = reverse("search:results")
    organization = OrganizationFactory(department=department, name="Viện Đếm")
    PersonFactory(department=department, full_name="Người Đếm", organization=organization)
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "dem"})
    for n in range(15):
        organization = OrganizationFactory(department=department, name=f"Viện Đếm {n}")
        PersonFactory(department=department, full_name=f"Người Đếm {n}", organization=organization)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url, {"q": "dem"})
    assert sum(len(g.rows) for g in response.context["groups"]) == 32
