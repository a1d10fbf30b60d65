"""The audit trail: chained, append-only, tamper-evident (S-24, S-26, R-21)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from opendost.audit.enums import AuditAction
from opendost.audit.hashing import GENESIS_HASH
from opendost.audit.models import AuditEvent, AuditHead
from opendost.audit.services import audit_record
from opendost.audit.verify import audit_chain_verify
from tests.audit.helpers import tamper
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _record(n: int, actor=None):
    actor = actor or UserFactory()
    return [
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=actor, before={"n": i}, after={"n": i + 1})
        for i in range(n)
    ]


def test_events_are_numbered_from_one_and_chained():
    events = _record(3)

    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    head = AuditHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, events[2].hash)
    assert audit_chain_verify().ok


def test_event_carries_actor_utc_time_object_department_and_diff():
    department = DepartmentFactory()
    user = UserFactory(department=department, full_name="Trần Thị B", username="tranb")

    event = audit_record(
        actor=user, action=AuditAction.UPDATE, obj=user, before={"a": 1, "b": "x"}, after={"a": 2, "b": "x"}
    )

    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_label == "Trần Thị B (tranb)"
    assert event.occurred_at.utcoffset() == dt.timedelta(0)
    assert event.object_id == str(user.pk)
    assert event.object_repr == str(user)
    assert event.content_type.model == "user"
    assert event.department_id == department.pk
    assert event.changes == {"a": [1, 2]}


def test_values_that_json_columns_would_alter_still_verify():
    """Dates, decimals, floats, Vietnamese text and nested data survive the round trip through
    SQLite's JSON text and PostgreSQL's jsonb with the same hash."""
    actor = UserFactory()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=actor,
        after={
            "on": dt.date(2026, 3, 2),
            "at": dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
            "money": Decimal("1500000.50"),
            "ratio": 0.1,
            "big": 10**20,
            "name": "Sở Khoa học và Công nghệ — Đắk Lắk",
            "nested": {"z": [3, 1], "a": None, "b": True},
        },
        note="line one\nline two",
    )

    assert audit_chain_verify().ok


def test_a_rolled_back_change_leaves_no_gap():
    actor = UserFactory()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=actor)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=actor)
        raise RuntimeError("the business change failed")
    event = audit_record(actor=actor, action=AuditAction.UPDATE, obj=actor)

    assert event.seq == 2
    assert audit_chain_verify().ok


def test_unknown_action_is_refused():
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(actor=None, action="rename")


# APPEND-ONLY ---------------------------------------------------------------------------------------
def test_database_refuses_update_of_an_event():
    event = _record(1)[0]

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(note="edited")

    event.refresh_from_db()
    assert event.note == ""


def test_database_refuses_delete_of_an_event():
    event = _record(1)[0]

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_database_refuses_to_move_the_head_back():
    _record(2)

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditHead.objects.update(last_seq=1)

    assert AuditHead.objects.get().last_seq == 2


# TAMPERING (R-21) ------------------------------------------------------------------------------
def test_verify_names_an_edited_row():
    events = _record(5)
    tamper("UPDATE audit_auditevent SET note = 'nothing happened' WHERE seq = %s", [3])

    report = audit_chain_verify()

    assert (report.ok, report.broken_seq, report.checked) == (False, 3, 2)
    assert "changed" in report.reason
    assert events


def test_verify_names_a_row_whose_json_was_edited():
    _record(4)
    tamper("UPDATE audit_auditevent SET changes = %s WHERE seq = %s", ['{"n": [0, 99]}', 2])

    assert audit_chain_verify().broken_seq == 2


def test_verify_names_a_deleted_middle_row():
    _record(5)
    tamper("DELETE FROM audit_auditevent WHERE seq = %s", [3])

    report = audit_chain_verify()

    assert report.broken_seq == 3
    assert "missing" in report.reason


def test_verify_names_a_deleted_tail():
    _record(5)
    tamper("DELETE FROM audit_auditevent WHERE seq >= %s", [4])

    report = audit_chain_verify()

    assert report.broken_seq == 4
    assert "deleted" in report.reason


def test_verify_detects_reordered_rows():
    _record(4)
    tamper("UPDATE audit_auditevent SET seq = 100 WHERE seq = 2")
    tamper("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3")
    tamper("UPDATE audit_auditevent SET seq = 3 WHERE seq = 100")

    assert audit_chain_verify().broken_seq == 2


def test_external_anchor_catches_a_deleted_tail_with_the_head_moved_back(tmp_path):
    events = _record(5)
    anchor = tmp_path / "audit-anchor.json"
    call_command("audit_verify", anchor=anchor, stdout=io.StringIO())
    tamper("DELETE FROM audit_auditevent WHERE seq >= 4")
    tamper("UPDATE audit_audithead SET last_seq = 3, last_hash = %s", [events[2].hash])

    assert audit_chain_verify().ok  # the database alone cannot tell
    report = audit_chain_verify(anchor=anchor)

    assert report.broken_seq == 4
    assert "anchor" in report.reason


def test_external_anchor_catches_a_rehashed_chain(tmp_path):
    _record(3)
    anchor = tmp_path / "audit-anchor.json"
    call_command("audit_verify", anchor=anchor, stdout=io.StringIO())
    # A superuser rewrites event 3 and re-seals it consistently (here: swaps in a fresh chain).
    tamper("DELETE FROM audit_auditevent")
    tamper("DELETE FROM audit_audithead")
    _record(3)

    assert audit_chain_verify().ok
    assert audit_chain_verify(anchor=anchor).broken_seq == 3


def test_command_reports_an_intact_chain_and_writes_the_anchor(tmp_path, capsys):
    _record(2)
    anchor = tmp_path / "anchor.json"

    call_command("audit_verify", anchor=anchor)

    assert "Audit chain intact: 2 events, head seq 2" in capsys.readouterr().out
    assert '"last_seq": 2' in anchor.read_text()


def test_command_fails_naming_the_broken_seq():
    _record(3)
    tamper("UPDATE audit_auditevent SET actor_label = 'someone else' WHERE seq = 2")

    with pytest.raises(CommandError, match="Audit chain broken at seq 2"):
        call_command("audit_verify")


def test_an_empty_trail_verifies():
    report = audit_chain_verify()
    assert (report.ok, report.checked, report.last_seq) == (True, 0, 0)


# SIGN-IN FAILURES AND DENIALS (S-24, S-25) ----------------------------------------------------------
def test_failed_login_is_recorded_with_the_username_escaped(client):
    username = "admin\r\nINFO fake line\x1b[31m"

    client.post(reverse("accounts:login"), {"username": username, "password": "wrong-password-1"})

    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None
    assert event.actor_label == "admin\\x0d\\x0aINFO fake line\\x1b[31m"
    assert "\n" not in event.actor_label and "\x1b" not in event.actor_label
    assert event.note.startswith("ip=")
    assert audit_chain_verify().ok


def test_permission_denied_is_recorded_by_the_middleware(rf):
    from django.core.exceptions import PermissionDenied

    from opendost.audit.middleware import AuditMiddleware

    user = UserFactory()
    request = rf.post("/subjects/organisations/new/", HTTP_X_REQUEST_ID="req-12345678")
    request.user = user

    def view(request):
        response = middleware.process_exception(request, PermissionDenied())
        assert response is None
        return None

    middleware = AuditMiddleware(view)
    middleware(request)

    event = AuditEvent.objects.get(action=AuditAction.AUTHZ_DENIED)
    assert event.actor == user
    assert event.note == "POST /subjects/organisations/new/"
    assert event.request_id == "req-12345678"


def test_middleware_replaces_a_malformed_request_id(rf):
    from opendost.audit.middleware import AuditMiddleware

    seen = []
    request = rf.get("/", HTTP_X_REQUEST_ID="bad id\r\n")
    AuditMiddleware(lambda r: seen.append(r.request_id))(request)

    assert len(seen[0]) == 32 and "\n" not in seen[0]
