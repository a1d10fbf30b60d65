"""Contract test without schemathesis: every documented path answers only with documented statuses,
and each answer has the documented top-level fields."""

import pytest
from django.test import Client

from opendost.geography.models import AdminUnit

pytestmark = pytest.mark.django_db

BAD_PATH_VALUE = {"unit_id": "not-a-number", "public_id": "not-a-uuid", "date": "not-a-date"}


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def resolve(schema, ref_or_schema):
    ref = ref_or_schema.get("$ref")
    if ref is None:
        return ref_or_schema
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def check(schema, operation, response):
    documented = operation["responses"]
    assert str(response.status_code) in documented, (operation["operationId"], response.status_code)
    body_schema = resolve(schema, documented[str(response.status_code)]["content"]["application/json"]["schema"])
    required = set(body_schema.get("required", []))
    assert required <= set(response.json()), (operation["operationId"], required - set(response.json()))


def test_every_path_documents_its_answers(schema):
    assert set(schema["paths"]) == {
        "/api/v1/admin-units",
        "/api/v1/admin-units/{unit_id}",
        "/api/v1/st-fields",
        "/api/v1/organizations",
        "/api/v1/organizations/{public_id}",
        "/api/v1/people",
        "/api/v1/people/{public_id}",
        "/api/v1/calendar/days/{date}",
        "/api/v1/calendar/due-date",
    }
    for path, methods in schema["paths"].items():
        assert set(methods) == {"get"}, path
        operation = methods["get"]
        assert {"200", "401", "422"} <= set(operation["responses"]), path
        if "{" in path and "{date}" not in path:  # every well-formed date exists
            assert "404" in operation["responses"], path
        assert operation["security"], path
    assert set(schema["components"]["securitySchemes"]) == {"ApiTokenAuth", "StaffSessionAuth"}
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_real_answers_match_the_document(schema, api, organization, person):
    unit = AdminUnit.objects.get(code_set="pre2025", level="province", code="24")
    good_path = {"unit_id": unit.pk, "public_id": organization.public_id}
    for path, methods in schema["paths"].items():
        operation = methods["get"]
        concrete = path.replace("{unit_id}", str(good_path["unit_id"])).replace("{date}", "2026-02-17")
        if "people/{public_id}" in path:
            concrete = path.replace("{public_id}", str(person.public_id))
        concrete = concrete.replace("{public_id}", str(good_path["public_id"]))
        check(schema, operation, api.get(concrete))
        check(schema, operation, Client().get(concrete))  # 401
        if "{" in path:
            bad = (
                path.replace("{unit_id}", BAD_PATH_VALUE["unit_id"])
                .replace("{date}", BAD_PATH_VALUE["date"])
                .replace("{public_id}", BAD_PATH_VALUE["public_id"])
            )
            check(schema, operation, api.get(bad))  # 422
            missing = path.replace("{unit_id}", "999999999").replace(
                "{public_id}", "00000000-0000-0000-0000-000000000000"
            )
            check(schema, operation, api.get(missing))  # 404
        else:
            check(schema, operation, api.get(concrete, {"limit": "1000"}))  # 422
