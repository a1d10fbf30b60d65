import os

import pytest
from django.utils import translation

# Playwright's sync API runs an event loop in the test thread; the ORM calls in browser tests are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    from opendost.calendars import workdays

    workdays.clear_cache()  # an override written by a rolled-back test must not stay cached


@pytest.fixture(autouse=True)
def _language(request, settings):
    """Tests read the English msgids, so a wording change in the Vietnamese catalogue breaks no rule
    test. Tests of what a Vietnamese user sees are marked `vietnamese` and run in the default
    language (tests/test_translations.py checks the catalogue itself)."""
    if request.node.get_closest_marker("vietnamese"):
        yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    """Skip browser tests, with the reason, where Debian's Chromium is not installed."""
    if os.access(CHROMIUM, os.X_OK):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found: apt-get install chromium (never `playwright install`)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return "transactional_db" in request.fixturenames


@pytest.fixture(autouse=True)
def _flushable_audit_trail(request):
    """Let a transactional test's closing flush through the audit trail's append-only triggers.

    A transactional test (transaction=True, live_server, browser tests) ends with `flush`, which on
    SQLite is a DELETE per table; the audit trail refuses DELETE (opendost/audit/db.py), so the flush
    fails and so does the test. Empty the trail first, past its triggers (tests/audit/helpers.py).
    PostgreSQL's flush is a TRUNCATE, which the row triggers do not see.
    """
    if not _is_transactional(request):
        yield
        return
    # Set up the transactional database first, so that this fixture's teardown runs before its flush.
    request.getfixturevalue("transactional_db")
    yield
    from django.apps import apps
    from django.db import connection

    if connection.vendor == "sqlite" and apps.is_installed("opendost.audit"):
        from tests.audit.helpers import purge_audit_trail

        purge_audit_trail()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Before pytest-django drops a PostgreSQL test database, end the sessions still attached to it.

    Tests that kill a worker subprocess (tests/notifications/test_worker_killed.py) or run a live
    server can leave a backend that PostgreSQL has not reaped yet; DROP DATABASE then fails with
    "being accessed by other users" although every test passed.
    """
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
