import pytest
from django.contrib.auth.models import Permission

from opendost.calendars import workdays
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test starts and ends with no cached overrides: a test's rolled-back rows must not leak."""
    workdays.clear_cache()
    yield
    workdays.clear_cache()


def user_with(*codenames: str, **kwargs):
    user = UserFactory(**kwargs)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="calendars", codename__in=codenames))
    return user


@pytest.fixture
def viewer(db):
    return user_with("view_calendaroverride")


@pytest.fixture
def editor(db):
    return user_with("view_calendaroverride", "change_calendaroverride")
