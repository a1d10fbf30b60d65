import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.vietnamese]


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_portal_home_is_vietnamese(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'lang="vi"' in response.content
