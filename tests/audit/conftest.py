import pytest

from tests.audit.helpers import purge_audit_trail


@pytest.fixture
def audit_purge(transactional_db):
    """For transaction=True tests: empty the trail before pytest-django flushes the database."""
    yield
    purge_audit_trail()


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English msgids; pages are asked for in English through the language cookie."""
    from django.utils import translation

    with translation.override("en"):
        yield
