import datetime

import pytest
import time_machine
from django.urls import reverse

from opendost.calendars import workdays
from opendost.calendars.models import CalendarOverride
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

d = datetime.date.fromisoformat
HTMX = {"HTTP_HX_REQUEST": "true"}


def _post_data(**overrides):
    data = {
        "year": "2027",
        "date": "2027-03-03",
        "kind": "day_off",
        "name": "Nghỉ bù",
        "legal_basis": "Thông báo số 1/TB-BNV",
        "note": "",
    }
    data.update(overrides)
    return data


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("calendars:year", kwargs={"year": 2026}))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_users_without_the_view_permission_get_404(client):
    client.force_login(UserFactory())
    assert client.get(reverse("calendars:year", kwargs={"year": 2026})).status_code == 404
    assert client.post(reverse("calendars:override_set"), _post_data()).status_code == 404


@pytest.mark.vietnamese
def test_page_lists_the_year(client, viewer, django_assert_max_num_queries):
    client.force_login(viewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("calendars:year", kwargs={"year": 2026}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "17/02/2026" in html
    assert "Tết Nguyên Đán" in html
    assert "22/08/2026" in html
    assert "9441/TB-BNV" in html
    assert 'name="legal_basis"' not in html  # no form without the change permission


@time_machine.travel(datetime.datetime(2027, 5, 1, 9, 0, tzinfo=workdays.LEGAL_TZ), tick=False)
def test_page_opens_on_the_current_year(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("calendars:year_current"))
    assert response.context["year"] == 2027


def test_years_outside_the_supported_range_are_404(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("calendars:year", kwargs={"year": 1800})).status_code == 404


def test_viewer_cannot_post(client, viewer):
    client.force_login(viewer)
    assert client.post(reverse("calendars:override_set"), _post_data()).status_code == 403
    assert client.post(reverse("calendars:override_remove", kwargs={"day": "2026-08-22"})).status_code == 403
    assert CalendarOverride.objects.count() == 2


def test_editor_adds_an_override(client, editor):
    client.force_login(editor)
    page = client.get(reverse("calendars:year", kwargs={"year": 2027}))
    assert 'name="legal_basis"' in page.content.decode()
    response = client.post(reverse("calendars:override_set"), _post_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("calendars:year", kwargs={"year": 2027})
    assert CalendarOverride.objects.get(date=d("2027-03-03")).legal_basis == "Thông báo số 1/TB-BNV"
    assert not workdays.is_working_day(d("2027-03-03"))


def test_editor_adds_an_override_with_htmx(client, editor):
    client.force_login(editor)
    response = client.post(reverse("calendars:override_set"), _post_data(), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="calendar-panel">')
    assert "03/03/2027" in html
    assert "<html" not in html


def test_a_dd_mm_yyyy_date_is_accepted(client, editor):
    client.force_login(editor)
    client.post(reverse("calendars:override_set"), _post_data(date="03/03/2027"))
    assert CalendarOverride.objects.filter(date=d("2027-03-03")).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "31/02/2027"}, "date"),
        ({"name": "   "}, "name"),
        ({"kind": "holiday"}, "kind"),
        ({"kind": "working_day"}, "date"),  # 03/03/2027 is already a working day (service rule)
    ],
)
def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, editor, data, field):
    client.force_login(editor)
    response = client.post(reverse("calendars:override_set"), _post_data(**data))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert 'value="Thông báo số 1/TB-BNV"' in response.content.decode()
    assert not CalendarOverride.objects.filter(date=d("2027-03-03")).exists()


def test_editor_removes_an_override(client, editor):
    client.force_login(editor)
    response = client.post(reverse("calendars:override_remove", kwargs={"day": "2026-08-22"}))
    assert response.status_code == 302
    assert not CalendarOverride.objects.filter(date=d("2026-08-22")).exists()
    # The library still knows the make-up Saturday.
    assert workdays.is_working_day(d("2026-08-22"))


def test_editor_removes_an_override_with_htmx(client, editor):
    client.force_login(editor)
    response = client.post(reverse("calendars:override_remove", kwargs={"day": "2026-08-31"}), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize("day", ["2027-03-03", "not-a-date"])
def test_removing_a_missing_override_is_404(client, editor, day):
    client.force_login(editor)
    assert client.post(reverse("calendars:override_remove", kwargs={"day": day})).status_code == 404


def test_get_is_not_allowed_on_writes(client, editor):
    client.force_login(editor)
    assert client.get(reverse("calendars:override_set")).status_code == 405
