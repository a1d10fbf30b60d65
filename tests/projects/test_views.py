"""Staff, applicant and public pages: scoping (404 for outsiders), query counts, forms, exports."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from opendost.projects import services
from opendost.projects.enums import AssignmentMode, FundingSource, TaskStatus
from opendost.projects.models import Task

pytestmark = pytest.mark.django_db


def test_the_task_list_filters_and_searches_ignoring_diacritics(client, flow, officer):
    flow.ordered(title="Ứng dụng công nghệ sinh học trong chăn nuôi gà đồi")
    flow.ordered(title="Bảo tồn âm nhạc dân gian Cao Lan")
    client.force_login(officer)

    response = client.get(reverse("projects:task_list"), {"q": "ga doi"})

    assert response.status_code == 200
    titles = [t.title for t in response.context["page"].rows]
    assert titles == ["Ứng dụng công nghệ sinh học trong chăn nuôi gà đồi"]


def test_the_task_list_costs_a_constant_number_of_queries(client, flow, officer, django_assert_max_num_queries):
    for n in range(3):
        flow.contracted(title=f"Nhiệm vụ số {n}")
    client.force_login(officer)
    with django_assert_max_num_queries(13):
        first = client.get(reverse("projects:task_list"))
    for n in range(3, 12):
        flow.ordered(title=f"Nhiệm vụ số {n}", host=flow.host, principal_investigator=flow.pi)
    with django_assert_max_num_queries(13):
        second = client.get(reverse("projects:task_list"))
    assert len(second.context["page"].rows) == 12 > len(first.context["page"].rows)


def test_the_task_page_shows_the_whole_story(client, flow, officer, django_assert_max_num_queries):
    task = flow.registered()
    client.force_login(officer)
    with django_assert_max_num_queries(60):
        response = client.get(reverse("projects:task_detail", args=[task.public_id]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Timeline",
        "Contract signed",
        "Record acceptance" if False else "Accepted",
        "01/GCN-SKHCN",
        "Councils",
        "Change history",
    ):
        assert text in body, text
    labels = [entry.label for entry in response.context["timeline"]]
    assert {
        "Host approved",
        "Contract signed",
        "Evaluated and accepted",
        "Result registration: Certificate issued",
    } <= set(labels)


def test_another_departments_officer_gets_404(client, flow, outsider):
    task = flow.contracted()
    client.force_login(outsider)
    assert client.get(reverse("projects:task_detail", args=[task.public_id])).status_code == 404
    assert client.get(reverse("projects:task_action", args=[task.public_id, "disbursement"])).status_code == 404
    assert client.get(reverse("projects:task_list")).context["page"].rows == []


def test_an_applicant_sees_only_its_organisations_tasks(client, flow, applicant, other_applicant):
    task = flow.in_progress()
    client.force_login(other_applicant)
    assert client.get(reverse("projects:my_task", args=[task.public_id])).status_code == 404
    assert client.get(reverse("projects:task_detail", args=[task.public_id])).status_code == 404
    assert client.get(reverse("projects:my_home")).context["tasks"].count() == 0
    client.force_login(applicant)
    assert client.get(reverse("projects:my_task", args=[task.public_id])).status_code == 200
    assert list(client.get(reverse("projects:my_home")).context["tasks"]) == [task]


def test_the_host_submits_a_progress_report_online(client, flow, applicant):
    task = flow.in_progress()
    client.force_login(applicant)
    response = client.post(
        reverse("projects:my_report_submit", args=[task.public_id]),
        {"period_end": "01/03/2026", "content": "Đã hoàn thành khảo sát."},
    )
    assert response.status_code == 302
    assert task.progress_reports.get().content == "Đã hoàn thành khảo sát."
    bad = client.post(
        reverse("projects:my_report_submit", args=[task.public_id]), {"period_end": "01/04/2026", "content": "x"}
    )
    assert bad.status_code == 200 and "period_end" in bad.context["report_form"].errors


def test_an_applicant_proposes_and_applies_online(client, flow, applicant, officer):
    client.force_login(applicant)
    response = client.post(
        reverse("projects:my_proposal_create"),
        {"title": "Đề xuất", "problem": "P", "objectives": "O", "expected_results": "R", "estimated_budget": "0"},
    )
    assert response.status_code == 302
    task = flow.ordered(assignment_mode=AssignmentMode.SELECTION)
    call = services.call_create(
        actor=officer,
        department=flow.department,
        title="Tuyển chọn",
        deadline=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
        tasks=[task],
    )
    services.call_publish(actor=officer, call=call)
    response = client.post(
        reverse("projects:my_apply", args=[call.public_id]),
        {
            "task": task.pk,
            "principal_investigator_name": "Trần Văn Đức",
            "proposal_text": "T",
            "budget_provincial": "5",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    application = task.applications.get()
    assert application.status == "submitted"
    assert client.get(reverse("projects:my_application", args=[application.public_id])).status_code == 200


def test_each_step_form_saves_through_its_service(client, flow, leader, officer):
    task = flow.ordered()
    client.force_login(leader)
    assert client.get(reverse("projects:task_action", args=[task.public_id, "assign"])).status_code == 200
    response = client.post(
        reverse("projects:task_action", args=[task.public_id, "assign"]),
        {
            "host": flow.host.pk,
            "principal_investigator": flow.pi.pk,
            "start_on": "01/04/2026",
            "end_on": "31/03/2028",
            "budget_provincial": "600000000",
        },
    )
    assert response.status_code == 302
    client.force_login(officer)
    assert client.get(reverse("projects:task_action", args=[task.public_id, "assign"])).status_code == 403
    response = client.post(
        reverse("projects:task_action", args=[task.public_id, "contract"]),
        {
            "number": "05/HĐ",
            "signed_on": "05/03/2026",
            "total": "600000000",
            "starts_on": "01/04/2026",
            "ends_on": "31/03/2028",
            "tranche_1": "600000000",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.CONTRACTED
    response = client.post(reverse("projects:task_transition", args=[task.public_id]), {"transition": "start"})
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    over = client.post(
        reverse("projects:task_action", args=[task.public_id, "disbursement"]),
        {"tranche": task.contract.tranches.get().pk, "amount": "600000001", "paid_on": "06/03/2026"},
    )
    assert over.status_code == 200 and "over its planned amount" in over.content.decode()


def test_the_export_holds_the_filtered_rows_with_the_budget_by_source(client, flow, officer):
    flow.assigned(budget={FundingSource.CENTRAL: 5, FundingSource.PROVINCIAL: 7})
    client.force_login(officer)
    response = client.get(reverse("projects:task_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Code" and rows[1][11:15] == (5, 7, 0, 12)


def test_the_organisation_page_lists_its_tasks(client, flow, officer):
    task = flow.assigned()
    client.force_login(officer)
    response = client.get(reverse("subjects:organization_detail", args=[flow.host.public_id]))
    assert task.title in response.content.decode()


# PUBLIC -----------------------------------------------------------------------------------------
def test_the_public_search_finds_registered_results_ignoring_diacritics(client, flow):
    flow.registered()
    unregistered = flow.result(title="Khác")  # accepted, not registered: not public
    assert unregistered.title != ""
    for query in ("vai thieu", "VẢI THIỀU", "Lục Ngạn", "luc ngan", "Hoa Binh", "tran van duc"):
        response = client.get(reverse("projects_public:search"), {"q": query})
        assert response.status_code == 200
        assert [r.title for r in response.context["page"].rows] == [
            "Quy trình thâm canh vải thiều theo tiêu chuẩn VietGAP"
        ], query
    assert list(client.get(reverse("projects_public:search"), {"q": "xyzzy"}).context["page"].rows) == []


def test_the_public_result_page_shows_no_personal_data_beyond_the_investigator(client, flow):
    task = flow.registered()
    result = task.results.get()
    body = client.get(reverse("projects_public:result_detail", args=[result.public_id])).content.decode()
    assert "Trần Văn Đức" in body and flow.host.name in body and "01/GCN-SKHCN" in body
    assert flow.pi.citizen_id not in body
    hidden = flow.accepted()
    other = services.result_add(actor=flow.officer, task=hidden, title="Chưa đăng ký", abstract="x", year=2026)
    assert client.get(reverse("projects_public:result_detail", args=[other.public_id])).status_code == 404


def test_open_calls_are_public_until_their_deadline(client, flow, officer):
    task = flow.ordered(assignment_mode=AssignmentMode.SELECTION)
    call = services.call_create(
        actor=officer,
        department=flow.department,
        title="Tuyển chọn 2026",
        deadline=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
        tasks=[task],
    )
    assert "Tuyển chọn 2026" not in client.get(reverse("projects_public:calls")).content.decode()
    services.call_publish(actor=officer, call=call)
    assert "Tuyển chọn 2026" in client.get(reverse("projects_public:calls")).content.decode()
    assert client.get(reverse("projects_public:call_detail", args=[call.public_id])).status_code == 200


def test_task_statuses_use_the_name_of_their_regime(flow):
    old = flow.ordered(start_on=dt.date(2024, 1, 1), code="A1")
    new = flow.ordered(code="A2")
    assert (old.regime, new.regime) == ("2013", "2025")
    assert (old.status_label, new.status_label) == ("Ordered", "Ordered or granted")
    assert Task.objects.count() == 2
