"""Property-based fuzzing of /api/v1/ against its own OpenAPI document (S-22, R-08).

schemathesis reads the document from the app through WSGI (no server) and, for every operation,
sends the schema's examples, the coverage cases (boundary and invalid values, unsupported methods)
and random valid requests. Every answer must be a documented status with a body that matches the
document, never a 5xx; an unsupported method gets 405. Without a token every operation answers 401.

The budget is small and the seed fixed, so CI runs the same cases every time.
"""

import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from opendost.accounts.models import ApiToken
from opendost.accounts.roles import Role
from opendost.api.services import api_token_create
from tests.factories import UserFactory
from tests.subjects.factories import OrganizationFactory, PersonFactory, address_units, field_nodes

pytestmark = pytest.mark.django_db

# Two loads of the same document: `schema` sends an officer's token, `anonymous` sends none.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
anonymous = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# The `token` fixture gives the officer this token, so schemathesis can send it as the API's auth
# (and knows which cases leave it out on purpose to test the 401).
RAW_TOKEN = "od_fuzz-" + "x" * 35


@schema.auth(refresh_interval=None)
class OfficerToken:
    def get(self, case, context):
        return RAW_TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# public_id of the rows the `token` fixture makes, by collection, so detail operations reach real rows
# and not only 404s.
KNOWN_IDS: dict[str, list[str]] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    value = (path_parameters or {}).get("public_id")
    known = KNOWN_IDS.get(context.operation.path.split("/")[-2], [])
    try:
        uuid.UUID(str(value))
    except ValueError:
        return st.just(path_parameters)  # a malformed id stays malformed: it must get 422
    return st.sampled_from([path_parameters, *({**path_parameters, "public_id": pid} for pid in known)])


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes the connection after each request, which would end the test's
    transaction; Django's test Client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(monkeypatch):
    """An officer's token; the department holds organisations and people, with addresses and fields."""
    officer = UserFactory(role=Role.OFFICER)
    units, fields = address_units(), field_nodes()
    KNOWN_IDS.clear()
    for i in range(3):
        organization = OrganizationFactory(
            department=officer.department, province=units.bac_ninh, commune=units.phuong_bac_giang
        )
        organization.fields.add(fields.maths)
        person = PersonFactory(department=officer.department, organization=organization if i else None)
        person.fields.add(fields.natural)
        KNOWN_IDS.setdefault("organizations", []).append(str(organization.public_id))
        KNOWN_IDS.setdefault("people", []).append(str(person.public_id))
    OrganizationFactory()  # another department's: never listed
    monkeypatch.setattr(ApiToken, "generate", staticmethod(lambda: RAW_TOKEN))
    return api_token_create(user=officer, name="fuzz")[1]


def is_supported(case) -> bool:
    return case.method.upper() == case.operation.method.upper()


def check_the_token_was_accepted(case, response) -> None:
    """Only the cases that leave the credentials out or mangle them on purpose may get 401."""
    if is_supported(case) and case.meta.generation.mode.is_positive:
        assert response.status_code != 401, (case.method, case.formatted_path)


# Writes whose rules JSON Schema cannot say: a closing date not in the past, a unique task code, an end
# after the start. Schema-valid bodies may get their documented 422 there.
RULES_BEYOND_THE_SCHEMA = {
    ("POST", "/api/v1/projects/rounds"),
    ("POST", "/api/v1/projects/tasks"),
    ("POST", "/api/v1/projects/proposals/recorded"),
    ("POST", "/api/v1/councils"),  # a rule set must fit the council's purpose
    # a listing's rules depend on its kind (an offer's readiness level, a need's expected result) and
    # its owner must be named; an edit is checked against the whole listing
    ("POST", "/api/v1/marketplace/listings"),
    ("POST", "/api/v1/marketplace/listings/{public_id}/edit"),
    ("POST", "/api/v1/marketplace/saved-searches"),  # at least one criterion, at most 20 per user
}


@schema.parametrize()
@FUZZ
def test_the_api_keeps_its_contract(case, token):
    """No 5xx, documented statuses and bodies, 405 with Allow for other methods, 401 without the token,
    and every schema-valid request accepted, except one rule JSON Schema cannot say."""
    assert token == RAW_TOKEN
    path = case.operation.path if case.operation.path.startswith("/api/v1") else "/api/v1" + case.operation.path
    if (case.operation.method.upper(), path) in RULES_BEYOND_THE_SCHEMA:
        response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
        check_the_token_was_accepted(case, response)
        return
    if "/calendar/" not in case.operation.path:
        response = case.call_and_validate()
        check_the_token_was_accepted(case, response)
        return
    # The legal calendar covers 1990-2099: a well-formed date outside it (or a due date past 2099)
    # is a documented 422 with the reason, not an accepted request.
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    check_the_token_was_accepted(case, response)
    if is_supported(case) and case.meta.generation.mode.is_positive and response.status_code == 422:
        assert {problem["type"] for problem in response.json()["detail"]} == {"date_range"}, response.text


@anonymous.parametrize()
@FUZZ
def test_without_a_token_every_operation_answers_401(case):
    case.headers = {key: value for key, value in (case.headers or {}).items() if key.lower() != "authorization"}
    case.cookies = {}
    response = case.call()
    expected = 401 if is_supported(case) else 405
    assert response.status_code == expected, (case.method, case.formatted_path, response.status_code)
    case.validate_response(response)


@pytest.mark.parametrize(
    ("url", "loc"),
    [
        ("/api/v1/calendar/days/1970-01-01", ["path", "date"]),
        ("/api/v1/calendar/due-date?start=1471-10-27&count=5", ["query", "start"]),
        ("/api/v1/calendar/due-date?start=2099-12-01&count=3000&unit=calendar", ["query", "count"]),
    ],
)
def test_a_date_outside_the_calendar_gets_the_documented_422(api, url, loc):
    """Found by the fuzzer: these answered {"detail": "<text>"}, not the documented list of problems."""
    response = api.get(url)
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "date_range", "loc": loc, "msg": "Dates from 1990 to 2099 only."}]}
