import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Assertions read the English msgids; the Vietnamese catalogue may translate them at any time."""
    with translation.override("en"):
        yield
