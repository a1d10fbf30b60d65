import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """Pages render the English msgids, so assertions do not depend on the Vietnamese catalogue."""
    settings.LANGUAGE_CODE = "en"
