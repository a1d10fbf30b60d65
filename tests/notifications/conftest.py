import pytest
from django.db import connection

from opendost.notifications.models import Message


@pytest.fixture
def shared_db(transactional_db):
    """A committed database that other threads and processes can open: PostgreSQL, or SQLite in a file.

    Django's default SQLite test database lives in memory, where other connections either cannot see it
    (processes) or fail with table locks (threads). Run with OPENDOST_TEST_SQLITE=/tmp/od_test.sqlite3."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file SQLite test database: set OPENDOST_TEST_SQLITE=/tmp/od_test.sqlite3")
    return connection.settings_dict


def database_url(settings_dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def reload(message: Message) -> Message:
    message.refresh_from_db()
    return message
