"""The API router and the Excel import of the former register."""

import datetime as dt

import pytest

from opendost.imports import services as import_services
from opendost.imports.enums import ImportStatus
from opendost.projects.enums import FundingSource, TaskStatus
from opendost.projects.imports import SPEC
from opendost.projects.models import Task
from tests.imports.helpers import xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã số",
    "Tên nhiệm vụ",
    "Loại",
    "Cấp quản lý",
    "Tổ chức chủ trì",
    "Chủ nhiệm",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Kinh phí NSTW (đồng)",
    "Kinh phí NS tỉnh (đồng)",
    "Tình trạng",
]


def _run(officer, path):
    return import_services.import_file(
        actor=officer, spec=SPEC, file=path, file_name=path.name, department=officer.department
    )


def test_the_former_register_is_imported_through_the_services(officer, host, tmp_path):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            [
                "ĐT.2018.03",
                "Nghiên cứu giống lúa",
                "Đề tài",
                "Tỉnh",
                host.name,
                "Nguyễn Thị Hòa",
                "01/03/2018",
                "28/02/2020",
                None,
                800000000,
                "Đã thanh lý",
            ],
            [
                "QG.2019.01",
                "Dự án quốc gia",
                "Dự án",
                "quoc gia",
                "cong ty tnhh nong nghiep hoa binh",
                "Trần Văn Đức",
                "01/01/2019",
                "31/12/2021",
                3000000000,
                500000000,
                "Đang thực hiện",
            ],
        ],
    )
    run = _run(officer, path)
    assert (run.status, run.created) == (ImportStatus.SUCCEEDED, 2), run.error_sample
    task = Task.objects.get(code="ĐT.2018.03")
    assert (task.status, task.is_historic, task.host) == (TaskStatus.LIQUIDATED, True, host)
    assert task.principal_investigator.full_name == "Nguyễn Thị Hòa"
    assert Task.objects.get(code="QG.2019.01").budget_lines.get(source=FundingSource.CENTRAL).amount == 3_000_000_000


def test_every_bad_row_is_reported_and_nothing_is_imported(officer, host, tmp_path):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            ["A1", "Tốt", "Đề tài", "Tỉnh", host.name, "X", "01/03/2018", "28/02/2020", None, 1, "Đã thanh lý"],
            [
                "A2",
                "Chủ trì lạ",
                "Đề tài",
                "Tỉnh",
                "Không có",
                "X",
                "01/03/2018",
                "28/02/2020",
                None,
                1,
                "Đã thanh lý",
            ],
            ["A3", "Ngày sai", "Đề tài", "Tỉnh", host.name, "X", "01/03/2018", "28/02/2017", None, 1, "Đã thanh lý"],
            [
                "A4",
                "Quốc gia không NSTW",
                "Đề tài",
                "Quốc gia",
                host.name,
                "X",
                "01/03/2018",
                "28/02/2020",
                None,
                1,
                "Đang thực hiện",
            ],
            [
                "A5",
                "Không kinh phí",
                "Đề tài",
                "Tỉnh",
                host.name,
                "X",
                "01/03/2018",
                "28/02/2020",
                None,
                None,
                "Đã thanh lý",
            ],
            [
                "A6",
                "Tình trạng lạ",
                "Đề tài",
                "Tỉnh",
                host.name,
                "X",
                "01/03/2018",
                "28/02/2020",
                None,
                1,
                "Đang tuyển chọn",
            ],
        ],
    )
    run = _run(officer, path)
    assert (run.status, run.errors) == (ImportStatus.INVALID, 5)
    messages = {issue["row"]: issue["message"] for issue in run.error_sample}
    assert "not in the register" in messages[3]
    assert "end cannot be before" in messages[4]
    assert "central S&T budget" in messages[5]
    assert "at least one source" in messages[6]
    assert "Choose one of" in messages[7]
    assert not Task.objects.exists()


# API --------------------------------------------------------------------------------------------
def test_the_api_lists_scoped_tasks_and_published_results(client, flow, officer, outsider):
    task = flow.registered()
    client.force_login(officer)
    body = client.get("/api/v1/projects/tasks").json()
    assert [t["code"] for t in body["items"]] == [task.code]
    assert {b["source"] for b in body["items"][0]["budget"]} == {"provincial", "counterpart"}
    assert client.get(f"/api/v1/projects/tasks/{task.public_id}").json()["status"] == "results_registered"
    results = client.get("/api/v1/projects/results", {"q": "vai thieu"}).json()["items"]
    assert (
        results[0]["certificate_number"] == "01/GCN-SKHCN" and results[0]["principal_investigator"] == "Trần Văn Đức"
    )
    client.force_login(outsider)
    assert client.get("/api/v1/projects/tasks").json()["items"] == []
    assert client.get(f"/api/v1/projects/tasks/{task.public_id}").status_code == 404
    client.logout()
    assert client.get("/api/v1/projects/tasks").status_code == 401


def test_the_host_submits_a_progress_report_through_the_api(client, flow, applicant, other_applicant):
    task = flow.in_progress()
    client.force_login(other_applicant)
    url = f"/api/v1/projects/tasks/{task.public_id}/reports"
    payload = {"period_end": "2026-03-01", "content": "Đã làm"}
    assert client.post(url, payload, content_type="application/json").status_code == 404
    client.force_login(applicant)
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "submitted"
    bad = client.post(url, {"period_end": "2026-04-01", "content": "x"}, content_type="application/json")
    assert bad.status_code == 422
    assert client.get("/api/v1/projects/applications").json()["items"] == []
    assert task.progress_reports.count() == 1 and dt.date(2026, 3, 1) == task.progress_reports.get().period_end
