"""Optimistic locking (R-15) and the concurrent claim of a transition, on the demo model."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.db import connection

from opendost.common.locking import EditConflict, VersionedFormMixin, fingerprints, save_with_version
from opendost.workflow.exceptions import ConcurrentTransition
from opendost.workflow.models import TransitionLog
from opendost.workflow.services import transition_apply
from tests.factories import UserFactory
from tests.workflow.models import DemoState, DemoTicket


class TicketForm(VersionedFormMixin, forms.Form):
    title = forms.CharField()
    note = forms.CharField(required=False)


@pytest.mark.django_db
def test_save_with_version_writes_and_bumps_the_version(demo_table):
    ticket = DemoTicket.objects.create(title="A")
    ticket.title = "B"

    save_with_version(ticket, expected_version=1, fields=["title"], actor=None)

    ticket.refresh_from_db()
    assert (ticket.title, ticket.version) == ("B", 2)
    assert ticket.updated_at is not None


@pytest.mark.django_db
def test_a_stale_version_raises_edit_conflict_and_writes_nothing(demo_table):
    ticket = DemoTicket.objects.create(title="A", note="n")
    started = fingerprints(ticket, ["title", "note"])
    other = DemoTicket.objects.get(pk=ticket.pk)
    other.note = "their note"
    save_with_version(other, expected_version=1, fields=["title", "note"], actor=None)

    ticket.title = "my title"
    with pytest.raises(EditConflict) as exc:
        save_with_version(ticket, expected_version=1, fields=["title", "note"], actor=None, original=started)

    conflict = exc.value
    assert conflict.changed_fields == ["note"]  # what the other person changed, not what I typed
    assert conflict.current == {"title": "A", "note": "their note"}
    assert conflict.current_version == 2
    assert "these fields changed: note" in conflict.message
    assert DemoTicket.objects.get(pk=ticket.pk).title == "A"


@pytest.mark.django_db
def test_form_carries_the_version_and_rearms_after_a_conflict(demo_table):
    ticket = DemoTicket.objects.create(title="A")
    form = TicketForm(instance=ticket)
    assert form.initial["version"] == 1
    html = form.as_div()
    assert 'type="hidden" name="version" value="1"' in html

    other = DemoTicket.objects.get(pk=ticket.pk)
    other.note = "theirs"
    save_with_version(other, expected_version=1, fields=["note"], actor=None)

    posted = TicketForm(
        {"title": "mine", "note": "", "version": "1", "original": form.initial["original"]}, instance=ticket
    )
    assert posted.is_valid()
    assert posted.expected_version() == 1
    ticket.title = "mine"
    with pytest.raises(EditConflict) as exc:
        save_with_version(
            ticket, expected_version=1, fields=["title", "note"], actor=None, original=posted.started_from()
        )
    assert exc.value.changed_fields == ["note"]

    posted.show_conflict(exc.value)

    assert posted.non_field_errors()
    assert posted["title"].value() == "mine"  # the user's input is kept
    assert posted["version"].value() == 2  # saving again now overwrites knowingly


@pytest.mark.django_db
def test_a_tampered_original_is_ignored(demo_table):
    ticket = DemoTicket.objects.create(title="A")
    form = TicketForm({"title": "x", "version": "1", "original": "forged"}, instance=ticket)
    assert form.is_valid()
    assert form.started_from() is None


def _in_threads(target, count=2):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(target(i))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _skip_on_memory_sqlite():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite cannot be shared by threads; test_runs_on_a_sqlite_file_database runs this")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_with_the_same_version_exactly_one_wins(demo_table, audit_purge):
    _skip_on_memory_sqlite()
    ticket = DemoTicket.objects.create(title="A")

    def save(i):
        copy = DemoTicket.objects.get(pk=ticket.pk)
        copy.title = f"writer {i}"
        save_with_version(copy, expected_version=1, fields=["title"], actor=None)
        return i

    results, errors = _in_threads(save)

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], EditConflict)
    ticket.refresh_from_db()
    assert (ticket.title, ticket.version) == (f"writer {results[0]}", 2)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_exactly_one_is_applied(demo_workflow, audit_purge):
    _skip_on_memory_sqlite()
    ticket = DemoTicket.objects.create(title="A", state=DemoState.APPRAISAL)
    leader = UserFactory(username="leader-threads")
    copies = [DemoTicket.objects.get(pk=ticket.pk) for _ in range(2)]

    def act(i):
        return transition_apply(copies[i], ["approve", "reject"][i], actor=leader)

    results, errors = _in_threads(act)

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ConcurrentTransition)
    assert TransitionLog.objects.count() == 1
    assert DemoTicket.objects.get(pk=ticket.pk).state in {DemoState.APPROVED, DemoState.REJECTED}


def test_runs_on_a_sqlite_file_database(tmp_path):
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3") or (db.get("TEST") or {}).get("NAME"):
        pytest.skip("the thread tests run directly on this database")
    env = {**os.environ, "OPENDOST_TEST_SQLITE": str(tmp_path / "locking.sqlite3")}
    env.pop("DATABASE_URL", None)
    path = Path(__file__).relative_to(settings.BASE_DIR)
    result = subprocess.run(  # noqa: S603 - our own interpreter and test file
        [
            sys.executable,
            "-m",
            "pytest",
            f"{path}",
            "-k",
            "concurrent",
            "-p",
            "no:xdist",
            "-p",
            "no:randomly",
            "--no-migrations",
            "-rs",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
