import io

import openpyxl
import pytest
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.planning import services
from opendost.projects.enums import TaskLevel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_menu_and_pages_for_leader(client, plan, leader, flow):
    task = flow.assigned(level=TaskLevel.PROVINCIAL)
    client.force_login(leader)
    page = client.get(reverse("planning:plan_list"))
    assert page.status_code == 200 and plan.title in page.text
    assert "Plan and indicators" in page.text
    dashboard = client.get(reverse("planning:plan_dashboard", args=[plan.public_id]), {"year": 2025})
    assert dashboard.status_code == 200
    assert "Status rule" in dashboard.text and "<svg" in dashboard.text
    tasks = plan.targets.get(code="tasks")
    detail = client.get(reverse("planning:target_detail", args=[tasks.public_id]))
    assert detail.status_code == 200
    records = client.get(reverse("planning:target_records", args=[tasks.public_id]), {"year": 2025, "single": 1})
    assert records.status_code == 200 and task.title in records.text
    assert reverse("projects:task_detail", args=[task.public_id]) in records.text
    budget = client.get(reverse("planning:plan_budget", args=[plan.public_id]))
    assert "239.040,15" in budget.text or "239,040.15" in budget.text
    assert "0.01" in budget.text or "0,01" in budget.text


def test_export_is_an_excel_of_the_dashboard(client, plan, officer):
    client.force_login(officer)
    response = client.get(reverse("planning:plan_export", args=[plan.public_id]), {"year": 2025})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + plan.targets.count()
    assert rows[0][2] == "Target"


def test_outsiders_get_404_and_applicants_403(client, plan, outsider, applicant):
    tasks = plan.targets.get(code="tasks")
    client.force_login(outsider)
    assert client.get(reverse("planning:plan_dashboard", args=[plan.public_id])).status_code == 404
    assert client.get(reverse("planning:target_detail", args=[tasks.public_id])).status_code == 404
    assert client.get(reverse("planning:target_records", args=[tasks.public_id])).status_code == 404
    assert client.get(reverse("planning:plan_export", args=[plan.public_id])).status_code == 404
    assert client.get(reverse("planning:plan_budget", args=[plan.public_id])).status_code == 404
    assert plan.title not in client.get(reverse("planning:plan_list")).text
    client.force_login(applicant)
    assert client.get(reverse("planning:plan_list")).status_code == 403
    assert client.get(reverse("planning:plan_dashboard", args=[plan.public_id])).status_code == 403
    client.logout()
    assert client.get(reverse("planning:plan_list")).status_code == 302


def test_enter_and_review_through_the_pages(client, plan, officer, leader):
    marks = plan.targets.get(code="new-marks")
    client.force_login(officer)
    response = client.post(
        reverse("planning:manual_value_create", args=[marks.public_id]),
        {"year": 2023, "quarter": "", "value": "4", "source_document": "Báo cáo số 12/BC-SKHCN"},
    )
    assert response.status_code == 302
    entry = marks.manual_values.get()
    # the maker sees no approve button and may not approve
    assert client.post(reverse("planning:manual_value_review", args=[entry.public_id, "approve"])).status_code == 403
    client.force_login(leader)
    page = client.get(reverse("planning:target_detail", args=[marks.public_id]))
    assert reverse("planning:manual_value_review", args=[entry.public_id, "approve"]) in page.text
    client.post(reverse("planning:manual_value_review", args=[entry.public_id, "approve"]))
    entry.refresh_from_db()
    assert entry.status == "approved"


def test_other_departments_value_is_404(client, plan, officer, outsider):
    marks = plan.targets.get(code="new-marks")
    entry = services.manual_value_enter(actor=officer, target=marks, year=2023, value=4, source_document="X")
    client.force_login(UserFactory(role=Role.LEADER, department=outsider.department))
    assert client.post(reverse("planning:manual_value_review", args=[entry.public_id, "approve"])).status_code == 404


def test_dashboard_queries_do_not_grow_with_records(client, plan, leader, flow, django_assert_max_num_queries):
    client.force_login(leader)
    url = reverse("planning:plan_dashboard", args=[plan.public_id])
    flow.assigned(title="Nhiệm vụ đầu tiên")
    client.get(url)  # warm caches (content types, permissions)
    with django_assert_max_num_queries(70) as few:
        client.get(url, {"year": 2025})
    for index in range(3):
        flow.assigned(title=f"Nhiệm vụ {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"year": 2025})
