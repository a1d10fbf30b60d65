import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from opendost.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/admin-units", "/api/v1/admin-units/1", "/api/v1/st-fields", "/api/v1/organizations",
             "/api/v1/people", "/api/v1/organizations/00000000-0000-0000-0000-000000000000",
             "/api/v1/people/00000000-0000-0000-0000-000000000000"]  # fmt: skip


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_requests_get_401_json_not_a_login_redirect(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required."}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_openapi_document_is_public_and_the_docs_need_login(client, officer):
    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 302 and "/accounts/login/" in docs.url
    client.force_login(officer)
    assert client.get("/api/v1/docs").status_code == 200


def test_a_valid_token_authenticates_and_records_its_use(api, officer):
    assert api.get("/api/v1/admin-units").status_code == 200
    token = ApiToken.objects.get(user=officer)
    assert token.last_used_at is not None
    assert len(token.digest) == 64 and token.prefix.startswith("od_")


def test_last_used_at_is_written_at_most_once_a_minute(api, officer):
    api.get("/api/v1/st-fields")
    token = ApiToken.objects.get(user=officer)
    first = token.last_used_at
    api.get("/api/v1/st-fields")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=5))
    api.get("/api/v1/st-fields")
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(minutes=5)


@pytest.mark.parametrize("header", ["Bearer od_wrong", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"])
def test_wrong_tokens_are_refused(header):
    assert Client(headers={"Authorization": header}).get("/api/v1/admin-units").status_code == 401


def test_revoked_tokens_and_inactive_users_are_refused(api, officer):
    ApiToken.objects.filter(user=officer).update(revoked_at=timezone.now())
    assert api.get("/api/v1/admin-units").status_code == 401
    ApiToken.objects.filter(user=officer).update(revoked_at=None)
    assert api.get("/api/v1/admin-units").status_code == 200
    officer.is_active = False
    officer.save()
    assert api.get("/api/v1/admin-units").status_code == 401


def test_a_logged_in_session_works_with_csrf_enforced(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.get("/api/v1/admin-units").status_code == 200


def test_api_token_create_prints_the_token_once(officer, capsys):
    call_command("api_token_create", officer.username, "data warehouse")
    out, err = capsys.readouterr()
    raw = out.strip()
    token = ApiToken.objects.get(user=officer, name="data warehouse")
    assert token.digest == ApiToken.digest_of(raw) and raw not in err
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/st-fields").status_code == 200


def test_api_token_create_refuses_unknown_users():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No active user"):
        call_command("api_token_create", "nobody", "x")


def test_the_docs_page_loads_swagger_from_our_static_files(client, officer):
    client.force_login(officer)
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html
