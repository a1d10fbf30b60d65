"""transition_apply: the one writer of workflow states (S-05, R-03)."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models

from opendost.audit.enums import AuditAction
from opendost.audit.models import AuditEvent
from opendost.workflow import engine
from opendost.workflow.exceptions import ConcurrentTransition, TransitionNotAllowed
from opendost.workflow.models import TransitionLog
from opendost.workflow.selectors import available_transitions, transition_history
from opendost.workflow.services import transition_apply
from tests.factories import UserFactory, officer
from tests.workflow.models import DemoState, DemoTicket, hook_calls

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_workflow")]


@pytest.fixture
def leader():
    return UserFactory(username="leader-1")


def _at(state: str) -> DemoTicket:
    return DemoTicket.objects.create(title="T", state=state)


def test_apply_moves_the_state_bumps_the_version_and_logs_it(leader):
    ticket = _at(DemoState.DRAFT)

    transition_apply(ticket, "submit", actor=leader, note="ready")

    assert ticket.state == DemoState.SUBMITTED
    assert ticket.version == 2
    assert ticket.updated_at is not None
    assert DemoTicket.objects.get(pk=ticket.pk).state == DemoState.SUBMITTED
    log = TransitionLog.objects.get()
    assert (log.name, log.from_state, log.to_state, log.actor, log.note) == (
        "submit",
        "draft",
        "submitted",
        leader,
        "ready",
    )
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.TRANSITION
    assert event.changes == {"state": ["draft", "submitted"]}
    assert event.note == "submit: ready"
    assert event.actor == leader


def test_a_transition_from_a_state_not_in_its_sources_is_refused_and_changes_nothing(leader):
    ticket = _at(DemoState.SUBMITTED)

    with pytest.raises(TransitionNotAllowed) as exc:
        transition_apply(ticket, "approve", actor=leader)  # skips appraisal (S-05)

    assert exc.value.code == "wrong_state"
    assert "Submitted" in exc.value.message and "Under appraisal" in exc.value.message
    ticket.refresh_from_db()
    assert (ticket.state, ticket.version) == (DemoState.SUBMITTED, 1)
    assert not TransitionLog.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_unknown_transition_is_refused(leader):
    with pytest.raises(TransitionNotAllowed) as exc:
        transition_apply(_at(DemoState.DRAFT), "teleport", actor=leader)
    assert exc.value.code == "unknown_transition"


def test_permission_predicate_is_checked(leader):
    ticket = _at(DemoState.APPRAISAL)

    with pytest.raises(PermissionDenied):
        transition_apply(ticket, "approve", actor=UserFactory(username="clerk"))
    assert DemoTicket.objects.get(pk=ticket.pk).state == DemoState.APPRAISAL

    transition_apply(ticket, "approve", actor=leader)
    assert ticket.state == DemoState.APPROVED


def test_permission_codename_is_checked():
    ticket = _at(DemoState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        transition_apply(ticket, "accept", actor=UserFactory())

    transition_apply(ticket, "accept", actor=officer())  # officers hold subjects.change_organization
    assert ticket.state == DemoState.APPRAISAL


def test_inactive_or_missing_actor_is_refused():
    ticket = _at(DemoState.DRAFT)
    with pytest.raises(PermissionDenied):
        transition_apply(ticket, "submit", actor=UserFactory(is_active=False))
    with pytest.raises(PermissionDenied):
        transition_apply(ticket, "submit", actor=None)


def test_a_stale_object_cannot_apply_a_second_time(leader):
    ticket = _at(DemoState.APPRAISAL)
    stale = DemoTicket.objects.get(pk=ticket.pk)
    transition_apply(ticket, "approve", actor=leader)

    with pytest.raises(ConcurrentTransition) as exc:
        transition_apply(stale, "reject", actor=leader)  # the page still showed "under appraisal"

    assert "Approved" in exc.value.message
    assert DemoTicket.objects.get(pk=ticket.pk).state == DemoState.APPROVED
    assert TransitionLog.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_double_apply_of_the_same_transition_fails(leader):
    ticket = _at(DemoState.APPRAISAL)
    transition_apply(ticket, "approve", actor=leader)

    with pytest.raises(TransitionNotAllowed):
        transition_apply(ticket, "approve", actor=leader)
    assert TransitionLog.objects.count() == 1


def test_hooks_run_only_after_commit(leader, django_capture_on_commit_callbacks):
    ticket = _at(DemoState.APPRAISAL)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transition_apply(ticket, "approve", actor=leader)
    assert hook_calls == []
    for callback in callbacks:
        callback()

    assert hook_calls == [("approve", ticket.pk, "appraisal")]


def test_available_transitions_follow_state_and_permission(leader):
    ticket = _at(DemoState.SUBMITTED)

    assert [t.name for t in available_transitions(ticket, leader)] == ["return"]
    assert [t.name for t in available_transitions(ticket, officer())] == ["accept"]
    assert available_transitions(ticket, UserFactory()) == []


def test_transition_history_is_in_order(leader):
    ticket = _at(DemoState.DRAFT)
    transition_apply(ticket, "submit", actor=leader)
    transition_apply(ticket, "return", actor=leader)

    assert [(log.from_state, log.to_state) for log in transition_history(ticket)] == [
        ("draft", "submitted"),
        ("submitted", "draft"),
    ]


def test_unregistered_model_has_no_workflow(leader):
    engine.unregister(DemoTicket)
    with pytest.raises(ImproperlyConfigured):
        transition_apply(_at(DemoState.DRAFT), "submit", actor=leader)


class _States(models.TextChoices):
    A = "a", "A"
    B = "b", "B"


def test_workflow_definitions_are_validated():
    with pytest.raises(ImproperlyConfigured, match="unknown states"):
        engine.Workflow(field="state", states=_States, transitions=[engine.Transition("go", ["a"], "z", "x.y")])
    with pytest.raises(ImproperlyConfigured, match="Duplicate"):
        engine.Workflow(
            field="state",
            states=_States,
            transitions=[engine.Transition("go", ["a"], "b", "x.y"), engine.Transition("go", ["b"], "a", "x.y")],
        )
    with pytest.raises(ImproperlyConfigured, match="no source"):
        engine.Workflow(field="state", states=_States, transitions=[engine.Transition("go", [], "b", "x.y")])


def test_register_needs_an_existing_field_and_a_known_initial_state():
    bad_field = engine.Workflow(field="status", states=_States, transitions=[])
    with pytest.raises(ImproperlyConfigured, match="no field"):
        engine.register(DemoTicket, bad_field)
    wrong_initial = engine.Workflow(field="state", states=_States, transitions=[])  # default "draft" is not a/b
    with pytest.raises(ImproperlyConfigured, match="not a state"):
        engine.register(DemoTicket, wrong_initial)
