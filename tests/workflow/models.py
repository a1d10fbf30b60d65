"""A throwaway model for engine tests, kept out of the project's app registry.

It lives in its own `Apps` registry (like Django's @isolate_apps), so makemigrations and the app
checks never see it; `conftest.demo_table` creates its table once per test session.
"""

from django.apps.registry import Apps
from django.db import models

from opendost.common.locking import VersionedModel
from opendost.workflow.engine import Transition, Workflow

test_apps = Apps()


class DemoState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPRAISAL = "appraisal", "Under appraisal"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    ARCHIVED = "archived", "Archived"


class DemoTicket(VersionedModel):
    title = models.CharField("title", max_length=100, default="")
    state = models.CharField("state", max_length=20, choices=DemoState, default=DemoState.DRAFT)
    note = models.TextField("note", blank=True)
    updated_at = models.DateTimeField("updated at", null=True, blank=True)

    class Meta:
        app_label = "workflow"
        apps = test_apps
        db_table = "test_workflow_demoticket"

    def __str__(self) -> str:
        return self.title


def is_leader(user, obj) -> bool:
    return getattr(user, "username", "").startswith("leader")


hook_calls: list[tuple[str, int, str]] = []


def remember(*, obj, transition, actor, from_state):
    hook_calls.append((transition.name, obj.pk, from_state))


DEMO_WORKFLOW = Workflow(
    field="state",
    states=DemoState,
    transitions=[
        Transition("submit", [DemoState.DRAFT], DemoState.SUBMITTED, permission=lambda user, obj: True),
        Transition("accept", [DemoState.SUBMITTED], DemoState.APPRAISAL, permission="subjects.change_organization"),
        Transition("return", [DemoState.SUBMITTED, DemoState.APPRAISAL], DemoState.DRAFT, permission=is_leader),
        Transition("approve", [DemoState.APPRAISAL], DemoState.APPROVED, permission=is_leader, hooks=[remember]),
        Transition("reject", [DemoState.APPRAISAL], DemoState.REJECTED, permission=is_leader),
        Transition("archive", [DemoState.APPROVED, DemoState.REJECTED], DemoState.ARCHIVED, permission=is_leader),
    ],
)
