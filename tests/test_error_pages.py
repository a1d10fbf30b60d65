"""Error pages speak Vietnamese, keep the site's frame, and reveal nothing (S-23)."""

import pytest
from django.test import Client
from django.urls import path

from opendost.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.vietnamese]


def test_404_is_the_sites_vietnamese_page(client):
    client.force_login(UserFactory(role=Role.OFFICER))
    response = client.get("/subjects/organizations/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'lang="vi"' in html and "Không tìm thấy trang" in html
    assert "OpenDOST" in html  # the navigation frame


def test_403_is_the_sites_vietnamese_page(client):
    client.force_login(UserFactory(role=Role.APPLICANT))
    response = client.get("/documents/")

    assert response.status_code == 403
    assert "Không được phép" in response.content.decode()


def _boom(request):
    raise RuntimeError("secret detail: SELECT * FROM subjects_person")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.urls("tests.test_error_pages")
def test_500_shows_a_generic_page_without_the_error(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "secret detail" not in html and "SELECT" not in html and "Traceback" not in html
    assert 'lang="vi"' in html
