"""Database triggers that make the audit trail append-only (S-26), for SQLite and PostgreSQL.

Installed by migration 0002. They stop the application and a careless administrator; a database
superuser can still drop them, which is what the hash chain and the external anchor are for.
In production the application's role should also lack UPDATE, DELETE and TRUNCATE on the table
(docs/adr/0012-audit-trail.md).
"""

EVENT_TABLE = "audit_auditevent"
HEAD_TABLE = "audit_audithead"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {EVENT_TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {EVENT_TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
    f"""CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON {HEAD_TABLE}
    WHEN NEW.last_seq <= OLD.last_seq
    BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TRIGGER IF EXISTS audit_head_forward_only",
]

POSTGRESQL_INSTALL = [
    """CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"""CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {EVENT_TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.last_seq <= OLD.last_seq THEN
            RAISE EXCEPTION 'the audit chain head only moves forward' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON {HEAD_TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_event_append_only ON {EVENT_TABLE}",
    f"DROP TRIGGER IF EXISTS audit_head_forward_only ON {HEAD_TABLE}",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
    "DROP FUNCTION IF EXISTS audit_head_forward_only()",
]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_INSTALL if install else POSTGRESQL_DROP
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_DROP
    raise NotImplementedError(f"No audit triggers for the {vendor} backend")


def install_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=True):
            cursor.execute(sql)


def drop_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False):
            cursor.execute(sql)
