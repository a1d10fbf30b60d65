import pytest

from opendost.demo.services import demo_load
from opendost.departments.models import Department
from opendost.projects.enums import FundingSource, TaskStatus
from opendost.projects.models import Task
from opendost.projects.selectors import task_statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.OPENDOST_DEMO_ALLOWED = True
    return demo_load()


def test_the_demo_reproduces_the_plans_2016_2020_figures_exactly(demo):
    department = Department.objects.get(code="bac-ninh")
    stats = task_statistics(department_ids=department.jurisdiction_ids(), start_year=2016, end_year=2020)

    assert (stats["tasks"], stats["provincial"], stats["national"]) == (74, 61, 13)
    assert stats["budget"] == {
        FundingSource.CENTRAL: 49_500_000_000,
        FundingSource.PROVINCIAL: 100_200_000_000,
        FundingSource.COUNTERPART: 72_800_000_000,
    }
    assert stats["budget_total"] == 222_500_000_000
    assert stats["results_received"] == 186
    assert stats["certificates"] == 90
    assert any("S&T tasks" in line for line in demo.extra)


def test_the_demo_has_tasks_in_every_state(demo):
    states = set(Task.objects.values_list("status", flat=True))
    assert states == set(TaskStatus.values) - {TaskStatus.FAILED}  # the failed one is closed
