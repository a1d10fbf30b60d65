import pytest

from opendost.departments.models import Department, Unit
from opendost.search import registry


@pytest.fixture
def indexed_kernel_models():
    """Departments and units registered for search for the test only (they are not in production)."""
    registry.register(
        registry.SearchSpec(
            Department, title=lambda d: d.name, body=lambda d: d.governing_body, department=lambda d: d.pk
        )
    )
    registry.register(registry.SearchSpec(Unit, title=lambda u: u.name, department=lambda u: u.department_id))
    yield
    registry.unregister(Department)
    registry.unregister(Unit)
