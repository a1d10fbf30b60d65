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


# Every operation of /api/v1, by path: a new endpoint must be added here on purpose.
OPERATIONS = {
    "/api/v1/admin-units": {"get"},
    "/api/v1/admin-units/{unit_id}": {"get"},
    "/api/v1/st-fields": {"get"},
    "/api/v1/organizations": {"get"},
    "/api/v1/organizations/{public_id}": {"get"},
    "/api/v1/people": {"get"},
    "/api/v1/people/{public_id}": {"get"},
    "/api/v1/calendar/days/{date}": {"get"},
    "/api/v1/calendar/due-date": {"get"},
    # one-stop dossiers
    "/api/v1/dossiers": {"get", "post"},
    "/api/v1/dossiers/procedures": {"get"},
    "/api/v1/dossiers/procedures/{public_id}": {"get"},
    "/api/v1/dossiers/statistics": {"get"},
    "/api/v1/dossiers/worklist": {"get"},
    "/api/v1/dossiers/{public_id}": {"get"},
    "/api/v1/dossiers/{public_id}/timeline": {"get"},
    "/api/v1/dossiers/{public_id}/draft": {"post"},
    "/api/v1/dossiers/{public_id}/attachments": {"post"},
    "/api/v1/dossiers/{public_id}/submit": {"post"},
    "/api/v1/dossiers/{public_id}/transitions/{name}": {"post"},
    "/api/v1/dossiers/{public_id}/delay": {"post"},
    "/api/v1/dossiers/{public_id}/fee": {"post"},
    "/api/v1/dossiers/{public_id}/rating": {"post"},
    # councils: members score their assigned items; officers form and run councils
    "/api/v1/councils": {"get", "post"},
    "/api/v1/councils/mine": {"get"},
    "/api/v1/councils/{public_id}": {"get"},
    "/api/v1/councils/{public_id}/edit": {"post"},
    "/api/v1/councils/{public_id}/items": {"get", "post"},
    "/api/v1/councils/{public_id}/items/{item_id}/conflict": {"get", "post"},
    "/api/v1/councils/{public_id}/items/{item_id}/sheet": {"get", "post"},
    "/api/v1/councils/{public_id}/items/{item_id}/remove": {"post"},
    "/api/v1/councils/{public_id}/members": {"post"},
    "/api/v1/councils/{public_id}/members/{member_id}/remove": {"post"},
    "/api/v1/councils/{public_id}/members/{member_id}/attendance": {"post"},
    "/api/v1/councils/{public_id}/members/{member_id}/items": {"post"},
    "/api/v1/councils/{public_id}/members/{member_id}/items/{item_id}/conflict": {"post"},
    "/api/v1/councils/{public_id}/members/{member_id}/items/{item_id}/sheet": {"post"},
    "/api/v1/councils/{public_id}/criteria": {"post"},
    "/api/v1/councils/{public_id}/criteria/template": {"post"},
    "/api/v1/councils/{public_id}/criteria/{code}/remove": {"post"},
    "/api/v1/councils/{public_id}/transitions/{name}": {"post"},
    "/api/v1/councils/{public_id}/minutes": {"post"},
    # technology exchange: listings, moderation, matches (opendost/marketplace/api.py)
    "/api/v1/marketplace/listings": {"get", "post"},
    "/api/v1/marketplace/listings/{public_id}": {"get"},
    "/api/v1/marketplace/listings/{public_id}/edit": {"post"},
    "/api/v1/marketplace/listings/{public_id}/submit": {"post"},
    "/api/v1/marketplace/listings/{public_id}/approve": {"post"},
    "/api/v1/marketplace/listings/{public_id}/return": {"post"},
    "/api/v1/marketplace/listings/{public_id}/withdraw": {"post"},
    "/api/v1/marketplace/listings/{public_id}/matches": {"get"},
    "/api/v1/marketplace/offers/from-result": {"post"},
    "/api/v1/marketplace/saved-searches": {"get", "post"},
    "/api/v1/marketplace/saved-searches/{public_id}/delete": {"post"},
    # technology exchange: brokerage (opendost/marketplace/api_brokerage.py)
    "/api/v1/marketplace/connections": {"get", "post"},
    "/api/v1/marketplace/connections/{public_id}": {"get"},
    "/api/v1/marketplace/connections/{public_id}/timeline": {"get"},
    "/api/v1/marketplace/connections/{public_id}/transitions/{name}": {"post"},
    "/api/v1/marketplace/connections/{public_id}/events": {"post"},
    "/api/v1/marketplace/fairs": {"get"},
    "/api/v1/marketplace/fairs/{public_id}": {"get"},
    "/api/v1/marketplace/fairs/{public_id}/registrations": {"get"},
    "/api/v1/marketplace/fairs/{public_id}/results": {"get"},
    # radiation
    "/api/v1/radiation/devices": {"get"},
    "/api/v1/radiation/facilities": {"get"},
    "/api/v1/radiation/facilities/{public_id}": {"get"},
    "/api/v1/radiation/licences": {"get"},
    # plans, targets, manual values, budget
    "/api/v1/planning/plans": {"get"},
    "/api/v1/planning/plans/{public_id}": {"get"},
    "/api/v1/planning/plans/{public_id}/copy": {"post"},
    "/api/v1/planning/plans/{public_id}/progress": {"get"},
    "/api/v1/planning/plans/{public_id}/budget": {"get"},
    "/api/v1/planning/plans/{public_id}/budget/{code}/records": {"get"},
    "/api/v1/planning/targets/{public_id}/values": {"get"},
    "/api/v1/planning/targets/{public_id}/manual-values": {"get", "post"},
    "/api/v1/planning/manual-values/{public_id}/approve": {"post"},
    "/api/v1/planning/manual-values/{public_id}/reject": {"post"},
}
# The S&T tasks API is listed by prefix: its stages are many (see tests/projects/test_api_stages.py).
OPEN_PREFIXES = ("/api/v1/projects/",)


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_is_listed_and_documents_its_answers(schema):
    listed = {path for path in schema["paths"] if not path.startswith(OPEN_PREFIXES)}
    assert listed == set(OPERATIONS)
    for path in listed:
        assert set(schema["paths"][path]) == OPERATIONS[path], path
    assert any(path.startswith(OPEN_PREFIXES) for path in schema["paths"])
    for path, method, operation in _operations(schema):
        responses = set(operation["responses"])
        assert "401" in responses and "422" in responses, (method, path)
        assert responses & {"200", "201"}, (method, path)
        if "{public_id}" in path or "{unit_id}" in path:
            assert "404" in responses, (method, path)
        if method != "get":
            assert responses & {"400", "403", "409"}, (method, path)
        assert operation["security"], (method, path)
    assert set(schema["components"]["securitySchemes"]) == {"ApiTokenAuth", "StaffSessionAuth"}
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}


def _concrete(path: str, values: dict) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def test_real_answers_match_the_document(schema, api, organization, person):
    unit = AdminUnit.objects.get(code_set="pre2025", level="province", code="24")
    missing = {"unit_id": 999999999, "public_id": "00000000-0000-0000-0000-000000000000", "item_id": 999999999}
    missing |= {"member_id": 999999999, "code": "none"}
    for path, method, operation in _operations(schema):
        if method != "get":
            check(schema, operation, Client().post(_concrete(path, {**missing, "name": "approve"})))  # 401
            continue
        good = {"unit_id": unit.pk, "date": "2026-02-17", "public_id": organization.public_id}
        if "people/{public_id}" in path:
            good["public_id"] = person.public_id
        concrete = _concrete(path, {**missing, **good})
        check(schema, operation, api.get(concrete))
        check(schema, operation, Client().get(concrete))  # 401
        if "{" in path:
            check(schema, operation, api.get(_concrete(path, {**missing, **BAD_PATH_VALUE})))  # 422
            if "{date}" not in path:
                check(schema, operation, api.get(_concrete(path, missing)))  # 404
        else:
            check(schema, operation, api.get(concrete, {"limit": "1000"}))  # 422
