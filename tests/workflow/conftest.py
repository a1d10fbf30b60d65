import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from opendost.workflow import engine
from tests.workflow.models import DEMO_WORKFLOW, DemoTicket, hook_calls


@pytest.fixture(scope="session")
def demo_table(django_db_setup, django_db_blocker):
    """Create the demo model's table once, outside any test transaction (SQLite's schema editor
    cannot run inside one)."""
    with django_db_blocker.unblock():
        if DemoTicket._meta.db_table not in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.create_model(DemoTicket)
        yield DemoTicket


@pytest.fixture
def demo_workflow(demo_table):
    # The demo model's content type is created inside each test's transaction: forget cached ids.
    ContentType.objects.clear_cache()
    engine.register(DemoTicket, DEMO_WORKFLOW)
    hook_calls.clear()
    yield DEMO_WORKFLOW
    engine.unregister(DemoTicket)
    hook_calls.clear()
    ContentType.objects.clear_cache()


@pytest.fixture
def audit_purge(transactional_db):
    from tests.audit.helpers import purge_audit_trail

    yield
    purge_audit_trail()
    DemoTicket.objects.all().delete()  # its table lives outside the app registry: flush misses it


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English msgids; pages are asked for in English through the language cookie."""
    from django.utils import translation

    with translation.override("en"):
        yield
