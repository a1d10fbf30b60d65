"""Twenty writers at once get seq 1..20, one chain, on SQLite (file) and PostgreSQL.

SQLite's in-memory test database cannot be shared by threads: the test then re-runs itself in a
child pytest on a file database (OPENDOST_TEST_SQLITE), like tests/numbering/test_concurrency.py.
"""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from opendost.audit.enums import AuditAction
from opendost.audit.models import AuditEvent
from opendost.audit.services import audit_record
from opendost.audit.verify import audit_chain_verify
from tests.factories import UserFactory

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_build_one_gap_free_chain(audit_purge):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite cannot be shared by threads; test_runs_on_a_sqlite_file_database runs this")
    actor = UserFactory()
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def write(i: int):
        try:
            barrier.wait()
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=actor, after={"i": i})
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, THREADS + 1))
    assert audit_chain_verify().ok


def test_runs_on_a_sqlite_file_database(tmp_path):
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3") or (db.get("TEST") or {}).get("NAME"):
        pytest.skip("the concurrency test runs directly on this database")
    env = {**os.environ, "OPENDOST_TEST_SQLITE": str(tmp_path / "audit.sqlite3")}
    env.pop("DATABASE_URL", None)
    test_id = f"{Path(__file__).relative_to(settings.BASE_DIR)}::test_concurrent_writers_build_one_gap_free_chain"
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
