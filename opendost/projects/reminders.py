"""Daily reminders of a running task's deadlines (issue: "reminders before and after due dates").

- A deliverable due within 7 days, and one overdue and not delivered;
- the task's end within 30 days; and an acceptance dossier not submitted 30 days after the end (the
  host files it within 30 days of the (extended) contract end, domain reference §5.5, §20).

They go to the host organisation's accounts and the department's officers who keep tasks, in-app and by
e-mail, once per deadline and threshold (the event key holds both: running the job twice sends nothing
twice). Called by `manage.py daily_jobs` (declared on the AppConfig).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opendost.accounts.models import User
from opendost.notifications.enums import MessageChannel
from opendost.notifications.services import notify
from opendost.projects.enums import TaskStatus
from opendost.projects.models import Deliverable, Task

RUNNING = (TaskStatus.IN_PROGRESS, TaskStatus.EXTENDED)
DELIVERABLE_NOTICE_DAYS = 7
END_NOTICE_DAYS = 30
ACCEPTANCE_DOSSIER_DAYS = 30  # the acceptance dossier is due within 30 days after the end
CHANNELS = [MessageChannel.IN_APP, MessageChannel.EMAIL]


def _recipients(task: Task) -> list[User]:
    keepers = User.objects.filter(
        Q(groups__permissions__codename="change_task") | Q(user_permissions__codename="change_task"),
        department_id=task.department_id,
        is_active=True,
    )
    hosts = User.objects.filter(organization_id=task.host_id, is_active=True) if task.host_id else User.objects.none()
    return list({u.pk: u for u in [*keepers.distinct(), *hosts]}.values())


def _send(task: Task, key: str, subject: str, body: str, **values) -> int:
    recipients = _recipients(task)
    if not recipients:
        return 0
    values = {"code": task.code, "title": task.title, **values}
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        messages = notify(
            event_key=f"projects.task.{task.pk}.{key}",
            recipients=recipients,
            subject=_(subject) % values,
            body=_(body) % values,
            channels=CHANNELS,
            context={"url": task.get_absolute_url()},
        )
    return int(bool(messages))


def deadline_reminders_send(*, today: dt.date) -> int:
    sent = 0
    soon = today + dt.timedelta(days=DELIVERABLE_NOTICE_DAYS)
    deliverables = (
        Deliverable.objects.filter(task__status__in=RUNNING, delivered_on__isnull=True, due_on__lte=soon)
        .select_related("task")
        .order_by("due_on", "pk")
    )
    for item in deliverables.iterator(chunk_size=500):
        overdue = item.due_on < today
        sent += _send(
            item.task,
            f"deliverable.{item.pk}.{'overdue' if overdue else 'soon'}.{item.due_on:%Y%m%d}",
            gettext_noop("Overdue deliverable of task %(code)s")
            if overdue
            else gettext_noop("Deliverable due soon: task %(code)s"),
            gettext_noop("Task %(code)s (%(title)s): “%(item)s” is due on %(due)s."),
            item=item.name,
            due=item.due_on.strftime("%d/%m/%Y"),
        )
    ending = Task.objects.filter(
        status__in=RUNNING, end_on__isnull=False, end_on__lte=today + dt.timedelta(days=END_NOTICE_DAYS)
    )
    for task in ending.order_by("end_on", "pk").iterator(chunk_size=500):
        dossier_due = task.end_on + dt.timedelta(days=ACCEPTANCE_DOSSIER_DAYS)
        if today > dossier_due:
            key, subject = "acceptance_overdue", gettext_noop("Acceptance dossier overdue: task %(code)s")
        elif today > task.end_on:
            key, subject = "acceptance_due", gettext_noop("Acceptance dossier due: task %(code)s")
        else:
            key, subject = "ending", gettext_noop("Task %(code)s ends soon")
        sent += _send(
            task,
            f"{key}.{task.end_on:%Y%m%d}",
            subject,
            gettext_noop(
                "Task %(code)s (%(title)s) ends on %(end)s; its acceptance dossier is due by %(dossier_due)s."
            ),
            end=task.end_on.strftime("%d/%m/%Y"),
            dossier_due=dossier_due.strftime("%d/%m/%Y"),
        )
    return sent
