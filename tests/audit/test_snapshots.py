import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.utils import translation

from opendost.accounts.models import User
from opendost.audit.enums import AuditAction
from opendost.audit.selectors import history_for
from opendost.audit.services import audit_record
from opendost.audit.snapshots import diff, mask_text, model_snapshot
from opendost.audit.text import escape_for_log
from tests.factories import DepartmentFactory, UserFactory, officer

pytestmark = pytest.mark.django_db


def test_snapshot_gives_json_values_fk_as_id_and_name_and_m2m_as_sorted_ids():
    department = DepartmentFactory(name="Sở KH&CN Thử")
    user = UserFactory(department=department)
    groups = [Group.objects.create(name=f"g{i}") for i in range(3)]
    user.groups.set([groups[2], groups[0]])
    user.last_login = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)

    snap = model_snapshot(user, ["department", "groups", "last_login", "is_active", "username"])

    assert snap == {
        "department": {"id": department.pk, "repr": "Sở KH&CN Thử"},
        "groups": sorted([groups[0].pk, groups[2].pk]),
        "last_login": "2026-03-02T02:00:00.000000+00:00",
        "is_active": True,
        "username": user.username,
    }


def test_snapshot_masks_the_fields_a_model_declares(monkeypatch):
    monkeypatch.setattr(User, "audit_mask", {"email"}, raising=False)
    user = UserFactory.build(email="secret.person@example.vn")

    assert model_snapshot(user, ["email"]) == {"email": "*********************.vn"}


def test_snapshot_accepts_a_masking_function_per_field(monkeypatch):
    monkeypatch.setattr(User, "audit_mask", {"email": lambda v: "hidden"}, raising=False)

    assert model_snapshot(UserFactory.build(), ["email"]) == {"email": "hidden"}


def test_default_snapshot_leaves_out_non_editable_fields():
    snap = model_snapshot(UserFactory())
    assert "password" in snap  # editable on the model, so listed: models must declare audit_fields/audit_mask
    assert "id" not in snap


def test_mask_text_keeps_three_last_characters():
    assert mask_text("001234567890") == "*********890"
    assert mask_text("1234") == "****"
    assert mask_text("") == ""
    assert mask_text(None) == ""


def test_diff_lists_changed_fields_only_and_treats_empty_values_alike():
    assert diff({"a": 1, "b": "", "c": [1]}, {"a": 2, "b": None, "c": [1], "d": "new"}) == {
        "a": [1, 2],
        "d": [None, "new"],
    }
    assert diff(None, {"x": 1}) == {"x": [None, 1]}


def test_escape_for_log_makes_control_characters_visible():
    assert escape_for_log("a\r\nb\x1b[0m\x00\\") == "a\\x0d\\x0ab\\x1b[0m\\x00\\\\"
    assert escape_for_log("Nguyễn Văn A") == "Nguyễn Văn A"
    assert escape_for_log("a\u202eb") == "a\\u202eb"  # right-to-left override
    assert len(escape_for_log("x" * 1000)) == 150


def test_history_lists_events_newest_first_with_labels_and_readable_values(django_assert_max_num_queries):
    actor = officer(full_name="Lê Văn C")
    subject = UserFactory(is_active=True, department=actor.department)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=subject, after={"full_name": "A"})
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=subject,
        before={"full_name": "A", "is_active": True, "last_login": None},
        after={"full_name": "B", "is_active": False, "last_login": "2026-03-02T02:00:00+00:00"},
    )

    with django_assert_max_num_queries(5), translation.override("en"):  # permissions, roles, scope, events
        history = history_for(subject, actor)

    assert [entry.event.action for entry in history] == ["update", "create"]
    assert history[0].actor == "Lê Văn C"
    changes = {c.label: (c.before, c.after) for c in history[0].changes}
    assert changes["Full name"] == ("A", "B")
    assert changes["Active"] == ("Yes", "No")
    assert changes["Last login"] == ("—", "02/03/2026 09:00")  # shown in Asia/Ho_Chi_Minh


def test_history_is_empty_for_someone_who_cannot_see_the_record():
    subject = UserFactory()
    audit_record(actor=subject, action=AuditAction.UPDATE, obj=subject, after={"full_name": "B"})

    assert history_for(subject, officer()) == []


def test_history_of_a_failed_login_has_no_object_and_names_the_typed_username():
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, actor_label="ghost")
    from opendost.audit.models import AuditEvent

    event = AuditEvent.objects.get()
    assert (event.actor_id, event.actor_label, event.content_type_id) == (None, "ghost", None)


def test_history_partial_renders_time_action_actor_and_changes():
    actor = officer(full_name="Lê Văn C")
    subject = UserFactory(department=actor.department)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=subject, before={"full_name": "A"}, after={"full_name": "B"}
    )

    with translation.override("en"):
        html = render_to_string("audit/history.html", {"events": history_for(subject, actor)})

    assert "Lê Văn C" in html
    assert "Full name" in html
    assert "→" in html
    assert "/20" in html  # dd/mm/yyyy


def test_history_partial_says_when_nothing_is_recorded():
    with translation.override("en"):
        html = render_to_string("audit/history.html", {"events": []})
    assert "No change recorded yet." in html
