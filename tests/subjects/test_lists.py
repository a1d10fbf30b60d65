"""Filters, sorting, pagination and query counts of the list pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendost.geography.models import AdminUnitSuccession
from opendost.subjects import selectors
from opendost.subjects.enums import Degree, OrganizationKind
from tests.subjects.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def names(queryset) -> list[str]:
    return [o.name for o in queryset]


def test_text_search_ignores_diacritics_case_and_tone_mark_placement(officer, department):
    OrganizationFactory(department=department, name="Hợp tác xã Hoà Bình")
    OrganizationFactory(department=department, name="Công ty Đông Á")
    for query in ["hoa binh", "HÒA BÌNH", "Hoà Bình", "hợp tác"]:
        assert names(selectors.organization_list_for(officer, {"q": query})) == ["Hợp tác xã Hoà Bình"], query
    assert names(selectors.organization_list_for(officer, {"q": "dong a"})) == ["Công ty Đông Á"]


def test_text_search_finds_a_tax_code(officer, department):
    OrganizationFactory(department=department, name="A", tax_code="0100233488-001")
    OrganizationFactory(department=department, name="B", tax_code="0100109106")
    assert names(selectors.organization_list_for(officer, {"q": "0100233488"})) == ["A"]


def test_exact_diacritic_matches_come_first(officer, department):
    OrganizationFactory(department=department, name="Công ty Bảo Anh")
    OrganizationFactory(department=department, name="Công ty Bao Anh")
    OrganizationFactory(department=department, name="Công ty Bạo Anh")
    assert names(selectors.organization_list_for(officer, {"q": "Bạo Anh"}))[0] == "Công ty Bạo Anh"


def test_filter_by_kind_and_field(officer, department, nodes):
    hospital = OrganizationFactory(department=department, name="Bệnh viện", kind=OrganizationKind.HOSPITAL)
    school = OrganizationFactory(department=department, name="Trường", kind=OrganizationKind.SCHOOL)
    hospital.fields.set([nodes.maths])
    school.fields.set([nodes.engineering])
    assert names(selectors.organization_list_for(officer, {"kind": "hospital"})) == ["Bệnh viện"]
    assert names(selectors.organization_list_for(officer, {"field": nodes.maths.pk})) == ["Bệnh viện"]
    # a field also finds the rows tagged with its sub-fields, once each
    hospital.fields.add(nodes.natural)
    assert names(selectors.organization_list_for(officer, {"field": nodes.natural.pk})) == ["Bệnh viện"]


def test_filter_by_current_province_includes_the_pre_2025_provinces_merged_into_it(officer, department, units):
    AdminUnitSuccession.objects.get_or_create(
        old_unit=units.bac_giang_old,
        new_unit=units.bac_ninh,
        defaults={"relation": "whole", "effective_on": "2025-07-01"},
    )
    OrganizationFactory(department=department, name="Mới", province=units.bac_ninh)
    OrganizationFactory(department=department, name="Cũ", province=units.bac_giang_old)
    OrganizationFactory(department=department, name="Hà Nội", province=units.ha_noi)
    assert names(selectors.organization_list_for(officer, {"province": units.bac_ninh.pk})) == ["Cũ", "Mới"]
    assert names(selectors.organization_list_for(officer, {"province": units.bac_giang_old.pk})) == ["Cũ"]


def test_people_filters(officer, department, nodes):
    expert = PersonFactory(department=department, full_name="Nguyễn Chuyên Gia", is_expert=True, degree=Degree.DOCTOR)
    PersonFactory(department=department, full_name="Trần Bình Thường")
    expert.fields.set([nodes.maths])
    people = selectors.person_list_for
    assert [p.full_name for p in people(officer, {"is_expert": "true"})] == ["Nguyễn Chuyên Gia"]
    assert [p.full_name for p in people(officer, {"is_expert": "false"})] == ["Trần Bình Thường"]
    assert [p.full_name for p in people(officer, {"degree": "doctor"})] == ["Nguyễn Chuyên Gia"]
    assert [p.full_name for p in people(officer, {"field": nodes.maths.pk})] == ["Nguyễn Chuyên Gia"]
    assert [p.full_name for p in people(officer, {"q": "chuyen gia"})] == ["Nguyễn Chuyên Gia"]


def test_people_search_by_citizen_id_needs_all_12_digits(officer, department):
    PersonFactory(department=department, full_name="A", citizen_id="001234567890")
    assert [p.full_name for p in selectors.person_list_for(officer, {"q": "001 234 567 890"})] == ["A"]
    assert list(selectors.person_list_for(officer, {"q": "4567890"})) == []


def test_sorting_by_whitelisted_columns_only(officer, department):
    OrganizationFactory(department=department, name="Bình", tax_code="0300588569")
    OrganizationFactory(department=department, name="An", tax_code="0312687878")
    OrganizationFactory(department=department, name="Đức", tax_code="0100233488")
    assert names(selectors.organization_list_for(officer, {})) == ["An", "Bình", "Đức"]
    assert names(selectors.organization_list_for(officer, {"o": "-name"})) == ["Đức", "Bình", "An"]
    assert names(selectors.organization_list_for(officer, {"o": "tax_code"})) == ["Đức", "Bình", "An"]
    assert names(selectors.organization_list_for(officer, {"o": "department__code"})) == ["An", "Bình", "Đức"]


def test_sort_header_links_toggle_direction(client, officer, department):
    OrganizationFactory(department=department)
    client.force_login(officer)
    html = client.get(reverse("subjects:organization_list"), {"o": "name"}).content.decode()
    assert 'aria-sort="ascending"' in html and "?o=-name" in html


@pytest.fixture
def five_organizations(department, settings):
    settings.OPENDOST_PAGE_SIZE = 2
    return [OrganizationFactory(department=department, name=f"Tổ chức {n}") for n in range(5)]


def test_pagination_knows_the_next_page_without_counting(client, officer, five_organizations):
    client.force_login(officer)
    url = reverse("subjects:organization_list")
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url)
    assert [o.name for o in first.context["page"].rows] == ["Tổ chức 0", "Tổ chức 1"]
    assert first.context["page"].has_next and not first.context["page"].has_previous
    register_sql = [q["sql"].upper() for q in queries.captured_queries if "SUBJECTS_ORGANIZATION" in q["sql"].upper()]
    assert register_sql and not any("COUNT(" in sql for sql in register_sql)
    last = client.get(url, {"page": 3})
    assert [o.name for o in last.context["page"].rows] == ["Tổ chức 4"]
    assert not last.context["page"].has_next and last.context["page"].has_previous
    assert "?page=2" in last.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99"])
def test_odd_page_numbers_do_not_fail(client, officer, five_organizations, page):
    client.force_login(officer)
    assert client.get(reverse("subjects:organization_list"), {"page": page}).status_code == 200


def test_pagination_links_keep_the_filters(client, officer, five_organizations):
    client.force_login(officer)
    html = client.get(reverse("subjects:organization_list"), {"q": "to chuc", "o": "-name"}).content.decode()
    assert "?q=to+chuc&amp;o=-name&amp;page=2" in html


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    ("name", "factory"),
    [("subjects:organization_list", OrganizationFactory), ("subjects:person_list", PersonFactory)],
)
def test_list_query_count_does_not_grow_with_rows(
    client, officer, department, units, name, factory, settings, django_assert_max_num_queries
):
    settings.OPENDOST_PAGE_SIZE = 25
    client.force_login(officer)
    url = reverse(name)
    extra = {"province": units.bac_ninh} if factory is OrganizationFactory else {}
    factory(department=department, **extra)
    few = _queries_for(client, url)
    for _ in range(20):
        row = factory(department=department, **extra)
        if factory is PersonFactory:
            row.organization = OrganizationFactory(department=department)
            row.save()
    assert _queries_for(client, url) == few
    # session, user, permissions, roles, jurisdiction, rows, filter choices, session save, plus
    # whatever the page shell (menu, notifications) needs; the point is no query per row
    with django_assert_max_num_queries(16):
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    register = [q for q in queries.captured_queries if '"subjects_' in q["sql"]]
    assert len(register) == 1  # one query for the page's rows, with their organisation/province joined
