"""Test-only helpers that reach past the append-only triggers, the way an attacker with DB rights would."""

from django.db import connection

from opendost.audit.db import drop_triggers, install_triggers


def tamper(sql: str, params=()) -> None:
    """Run `sql` against the audit tables with the triggers dropped, then put them back."""
    drop_triggers(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        install_triggers(connection)


def purge_audit_trail() -> None:
    """Empty the trail so a transactional test's flush (DELETE on SQLite) is not refused.

    tests/conftest.py should call this after every transactional test on SQLite (see the report)."""
    tamper("DELETE FROM audit_auditevent")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_audithead")
