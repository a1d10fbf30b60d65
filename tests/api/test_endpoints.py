import pytest
from django.test import Client

from opendost.accounts.roles import Role
from opendost.api.services import api_token_create
from opendost.geography.models import AdminUnit
from opendost.subjects.enums import OrganizationKind
from opendost.subjects.models import Organization, Person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"})


def test_admin_units_filter_and_paginate(api):
    response = api.get("/api/v1/admin-units", {"code_set": "2025", "level": "province", "limit": 10})
    body = response.json()
    assert response.status_code == 200
    assert [u["code"] for u in body["items"]] == [f"{c:02d}" for c in sorted(
        int(c) for c in AdminUnit.objects.filter(code_set="2025", level="province").values_list("code", flat=True)
    )][:10]  # fmt: skip
    assert body["limit"] == 10 and body["offset"] == 0 and body["next_offset"] == 10
    last = api.get("/api/v1/admin-units", {"code_set": "2025", "level": "province", "offset": 30}).json()
    assert len(last["items"]) == 4 and last["next_offset"] is None


def test_admin_units_search_ignores_diacritics(api):
    items = api.get("/api/v1/admin-units", {"q": "luc ngan", "level": "district"}).json()["items"]
    assert [(u["code_set"], u["code"], u["name"]) for u in items] == [("pre2025", "219", "Huyện Lục Ngạn")]


def test_admin_unit_detail_includes_successors(api):
    bac_giang = AdminUnit.objects.get(code_set="pre2025", level="province", code="24")
    body = api.get(f"/api/v1/admin-units/{bac_giang.pk}").json()
    assert body["name"] == "Tỉnh Bắc Giang" and body["predecessors"] == []
    (succ,) = body["successors"]
    assert succ["unit"]["code_set"] == "2025" and succ["unit"]["code"] == "24"
    assert succ["relation"] == "whole" and succ["effective_on"] == "2025-07-01"
    new = api.get(f"/api/v1/admin-units/{succ['unit']['id']}").json()
    assert {p["unit"]["name"] for p in new["predecessors"]} == {"Tỉnh Bắc Giang", "Tỉnh Bắc Ninh"}
    assert api.get("/api/v1/admin-units/999999999").status_code == 404


def test_limit_is_capped_at_100_and_bad_parameters_get_422(api):
    assert api.get("/api/v1/admin-units", {"limit": 100}).status_code == 200
    for params in ({"limit": 101}, {"limit": 0}, {"offset": -1}, {"level": "hamlet"}, {"parent": "x"}):
        response = api.get("/api/v1/admin-units", params)
        assert response.status_code == 422, params
        assert response.json()["detail"][0]["loc"]
    assert api.get("/api/v1/admin-units/abc").status_code == 422


def test_st_fields_by_scheme(api):
    body = api.get("/api/v1/st-fields", {"scheme": "QD12_2008", "level": 2, "limit": 100}).json()
    assert len(body["items"]) == 46 and body["next_offset"] is None
    math = body["items"][0]
    assert math == {"id": math["id"], "scheme": "QD12_2008", "code": "101", "name": "Toán học và thống kê",
                    "level": 2, "parent_code": "1"}  # fmt: skip
    assert len(api.get("/api/v1/st-fields", {"scheme": "TT24_2025"}).json()["items"]) == 6


def test_organizations_are_scoped_to_the_department(api, organization, django_assert_max_num_queries):
    other_department_org = Organization.objects.create(
        department=UserFactory(role=Role.OFFICER).department, kind=OrganizationKind.HOSPITAL, name="Bệnh viện khác"
    )
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/organizations").json()
    assert [o["name"] for o in body["items"]] == [organization.name]
    detail = api.get(f"/api/v1/organizations/{organization.public_id}").json()
    assert detail["tax_code"] == "2400123456" and detail["department"]["code"] == organization.department.code
    assert api.get(f"/api/v1/organizations/{other_department_org.public_id}").status_code == 404
    assert api.get("/api/v1/organizations", {"q": "VAI THIEU"}).json()["items"][0]["name"] == organization.name
    assert api.get("/api/v1/organizations", {"q": "không có"}).json()["items"] == []


def test_an_outsider_gets_404_and_an_empty_list(organization, person):
    outsider = client_for(UserFactory(role=Role.OFFICER))
    assert outsider.get(f"/api/v1/organizations/{organization.public_id}").status_code == 404
    assert outsider.get(f"/api/v1/people/{person.public_id}").status_code == 404
    assert outsider.get("/api/v1/people").json()["items"] == []
    applicant = client_for(UserFactory(role=Role.APPLICANT, department=organization.department))
    assert applicant.get(f"/api/v1/organizations/{organization.public_id}").status_code == 404


def test_people_show_the_citizen_id_only_masked(api, person, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/people")
    (item,) = response.json()["items"]
    assert item["citizen_id_masked"] == "*********789"
    assert "citizen_id" not in item
    assert "024123456789" not in response.content.decode()
    detail = api.get(f"/api/v1/people/{person.public_id}")
    assert "024123456789" not in detail.content.decode()
    assert detail.json()["organization"]["name"] == person.organization.name


def test_list_query_count_does_not_grow_with_rows(api, officer, django_assert_max_num_queries):
    for i in range(30):
        org = Organization.objects.create(department=officer.department, kind="enterprise", name=f"Công ty {i}")
        Person.objects.create(department=officer.department, full_name=f"Người {i}", organization=org)
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/people", {"limit": 100}).json()["items"]) == 30
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/organizations", {"limit": 100}).json()["items"]) == 30
