"""Twenty issuers at once get twenty different, consecutive numbers, on SQLite and on PostgreSQL.

Threads need a database they can all open. PostgreSQL is one; SQLite's default test database is
in memory (shared cache), where a locked table fails at once instead of waiting on busy_timeout, so
on SQLite the test runs on a file: directly when OPENDOST_TEST_SQLITE names one, otherwise
`test_runs_on_a_sqlite_file_database` re-runs it in a child pytest with a temporary file database.
"""

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from opendost.numbering.models import NumberSeries
from opendost.numbering.services import number_next
from tests.factories import DepartmentFactory

THREADS = 20
ON = date(2026, 3, 2)


def _sqlite_in_memory_configured() -> bool:
    db = settings.DATABASES["default"]
    return db["ENGINE"].endswith("sqlite3") and not (db.get("TEST") or {}).get("NAME")


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_get_unique_gap_free_numbers():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite cannot be shared by threads; test_runs_on_a_sqlite_file_database runs this")
    department = DepartmentFactory()
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def issue():
        try:
            barrier.wait()
            # The series does not exist yet: the threads also race to create it.
            results.append(number_next(department=department, doc_type="QĐ", year=2026, suffix="SKHCN", on=ON))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=issue) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(number for number, _symbol in results) == list(range(1, THREADS + 1))
    assert len({symbol for _number, symbol in results}) == THREADS
    assert NumberSeries.objects.get(department=department, doc_type="QĐ", year=2026).last_number == THREADS


def test_runs_on_a_sqlite_file_database(tmp_path):
    if not _sqlite_in_memory_configured():
        pytest.skip("the concurrency test runs directly on this database")
    env = {**os.environ, "OPENDOST_TEST_SQLITE": str(tmp_path / "concurrency.sqlite3")}
    env.pop("DATABASE_URL", None)
    # --no-migrations: the child needs the tables, not the data migrations (geography), which take ~20 s.
    test_id = f"{Path(__file__).relative_to(settings.BASE_DIR)}::test_twenty_threads_get_unique_gap_free_numbers"
    result = subprocess.run(  # noqa: S603 - our own interpreter and test file
        [sys.executable, "-m", "pytest", test_id, "-p", "no:xdist", "-p", "no:randomly", "--no-migrations", "-rs"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
