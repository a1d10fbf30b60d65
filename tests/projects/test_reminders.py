"""Daily reminders of a running task's deadlines: deliverables due soon or overdue, the end of the task
and the acceptance dossier after it; each once per deadline and threshold."""

import datetime as dt

import pytest

from opendost.accounts.roles import Role
from opendost.common.periodic import daily_jobs
from opendost.notifications.models import Message
from opendost.projects import services
from opendost.projects.reminders import deadline_reminders_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(flow, officer):
    return flow.in_progress()


def in_app(key_part: str):
    return Message.objects.filter(channel="in_app", event_key__contains=key_part)


def test_the_job_is_declared_for_the_daily_runner():
    assert "opendost.projects.reminders.deadline_reminders_send" in {name for name, _job in daily_jobs()}


def test_a_deliverable_is_reminded_before_and_after_its_due_date_once_each(running, officer, applicant):
    item = services.deliverable_add(
        actor=officer, task=running, name="Báo cáo chuyên đề 1", due_on=dt.date(2026, 3, 20)
    )

    assert deadline_reminders_send(today=dt.date(2026, 3, 10)) == 0  # 10 days ahead: not yet
    assert deadline_reminders_send(today=dt.date(2026, 3, 14)) == 1
    assert deadline_reminders_send(today=dt.date(2026, 3, 15)) == 1  # same rows, nothing new
    soon = in_app(f"deliverable.{item.pk}.soon")
    assert set(soon.values_list("recipient_user", flat=True)) == {officer.pk, applicant.pk}
    assert soon.count() == 2

    deadline_reminders_send(today=dt.date(2026, 3, 21))
    assert in_app(f"deliverable.{item.pk}.overdue").count() == 2
    services.deliverable_deliver(actor=officer, deliverable=item, delivered_on=dt.date(2026, 3, 10))
    before = Message.objects.count()
    deadline_reminders_send(today=dt.date(2026, 3, 25))
    assert Message.objects.count() == before


def test_the_end_of_the_task_and_its_acceptance_dossier_are_reminded(running):
    end = running.end_on
    deadline_reminders_send(today=end - dt.timedelta(days=31))
    assert not in_app("ending").exists()
    deadline_reminders_send(today=end - dt.timedelta(days=10))
    deadline_reminders_send(today=end + dt.timedelta(days=5))
    deadline_reminders_send(today=end + dt.timedelta(days=31))
    keys = {key.split(".")[3] for key in in_app(f"task.{running.pk}.").values_list("event_key", flat=True)}
    assert keys == {"ending", "acceptance_due", "acceptance_overdue"}


def test_a_submitted_task_is_not_reminded(flow):
    task = flow.submitted()
    deadline_reminders_send(today=task.end_on + dt.timedelta(days=40))
    assert not in_app(f"task.{task.pk}.").exists()


def test_another_departments_officers_are_not_told(running):
    stranger = UserFactory(role=Role.OFFICER)
    services.deliverable_add(
        actor=running.department.users.filter(groups__name="officer").first(),
        task=running,
        name="Sản phẩm",
        due_on=dt.date(2026, 3, 12),
    )
    deadline_reminders_send(today=dt.date(2026, 3, 10))
    assert not Message.objects.filter(recipient_user=stranger).exists()
