import pytest

from opendost.projects.enums import TaskStatus

pytestmark = pytest.mark.django_db


def test_a_task_goes_from_ordered_to_liquidated(flow):
    from opendost.projects import services

    task = flow.registered()
    assert task.status == TaskStatus.RESULTS_REGISTERED
    task = services.task_liquidate(actor=flow.leader, task=task)
    assert task.status == TaskStatus.LIQUIDATED
