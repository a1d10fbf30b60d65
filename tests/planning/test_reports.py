"""The quarterly progress report: figures per quarter, year and period from the records, the draft in
the NĐ 30/2020 layout (.docx that LibreOffice opens, PDF with Vietnamese text), its chart, its Excel
export, and who may prepare and read it."""

import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from PIL import Image

from opendost.accounts.roles import Role
from opendost.planning import charts, reports, services
from opendost.planning.models import PlanReport
from opendost.projects import services as project_services
from opendost.projects.enums import FundingSource, TaskLevel
from tests.factories import UserFactory
from tests.planning.conftest import flow_for

pytestmark = pytest.mark.django_db

NEEDS_POPPLER = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
NEEDS_SOFFICE = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=180).stdout  # noqa: S603


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _started(flow, *, on: dt.date, level=TaskLevel.PROVINCIAL, title="Nhiệm vụ thử nghiệm", budget=None):
    task = flow.ordered(level=level, title=title)
    return project_services.task_assign(
        actor=flow.leader, task=task, host=flow.host, principal_investigator=flow.pi, start_on=on,
        end_on=on + dt.timedelta(days=700),
        budget=budget or {FundingSource.PROVINCIAL: 800_000_000, FundingSource.COUNTERPART: 200_000_000},
    )  # fmt: skip


def _approved(target, officer, leader, *, year, value, quarter=None):
    entry = services.manual_value_enter(
        actor=officer, target=target, year=year, quarter=quarter, value=value, source_document="Báo cáo số 1/BC"
    )
    services.manual_value_approve(actor=leader, value=entry)


@pytest.fixture
def records(flow, old_department, officer, leader, plan):
    """Tasks in Q2 and Q4 2025, a national one of 2023 under the former department, and approved
    manual values for the marks target."""
    _started(flow, on=dt.date(2025, 11, 1), title="Nhiệm vụ quý IV")
    _started(flow, on=dt.date(2025, 5, 10), title="Nhiệm vụ quý II")
    _started(flow_for(old_department), on=dt.date(2023, 2, 1), level=TaskLevel.NATIONAL, title="Nhiệm vụ quốc gia")
    marks = plan.targets.get(code="new-marks")
    _approved(marks, officer, leader, year=2023, value=4)
    _approved(marks, officer, leader, year=2025, quarter=1, value=2)
    _approved(marks, officer, leader, year=2025, quarter=2, value=3)
    return flow


def _row(figures, code):
    return next(r for r in figures.rows if r.target.code == code)


# FIGURES -----------------------------------------------------------------------------------------
def test_quarter_year_and_period_figures_come_from_the_records(plan, records):
    q4 = reports.quarterly_figures(plan, year=2025, quarter=4)
    tasks = _row(q4, "tasks")
    assert (tasks.quarter, tasks.year, tasks.period) == (1, 2, 3)
    assert (_row(q4, "tasks-national").quarter, _row(q4, "tasks-national").period) == (0, 1)
    funding = _row(q4, "funding-total")
    assert (funding.quarter, funding.year, funding.period) == (Decimal(1000), Decimal(2000), Decimal(3000))
    assert q4.as_of == dt.date(2025, 12, 31) and q4.share == 1

    q2 = reports.quarterly_figures(plan, year=2025, quarter=2)
    tasks = _row(q2, "tasks")
    assert (tasks.quarter, tasks.year, tasks.period) == (1, 1, 2)  # the Q4 task is not counted yet
    assert q2.as_of == dt.date(2025, 6, 30)


def test_manual_values_add_up_to_the_quarter_and_status_follows_the_dashboard_rule(plan, records):
    marks = _row(reports.quarterly_figures(plan, year=2025, quarter=2), "new-marks")
    assert (marks.quarter, marks.year, marks.period) == (3, 5, 9)  # 2023: 4; 2025: 2 + 3
    assert marks.plan_text == "15–20"
    assert marks.progress.percent == Decimal("60.0")  # 9 of 15
    # expected on 30/06/2025: 15 x 1642/1826 days = 13.5; 9 is under 70 percent of it
    assert marks.progress.status == "off_track"
    assert marks.status_vi == "Chậm tiến độ"


def test_a_register_keeping_years_gives_no_quarter_figure(plan, records):
    applied = _row(reports.quarterly_figures(plan, year=2025, quarter=3), "results-applied")
    assert applied.quarter is None and applied.year == 0
    assert "year" in applied.note


def test_yearly_planned_value_is_shown_with_the_period_target(plan):
    trainees = plan.targets.get(code="tdc-trainees")
    assert reports.plan_value_text(trainees, 2024) == "300 (năm 2024: 60)"


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal(222500), "222.500"), (Decimal("239040.14"), "239.040,14"), (Decimal("10.65"), "10,65"),
     (Decimal("-0.01"), "-0,01"), (Decimal("1634630.000"), "1.634.630"), (None, "—")],
)  # fmt: skip
def test_vietnamese_number_format(value, text):
    assert reports.vi_number(value) == text


def test_the_recipient_is_the_finance_department_after_the_2025_merger(plan):
    assert reports.planning_department(plan, dt.date(2025, 2, 28)) == "Sở Kế hoạch và Đầu tư tỉnh Bắc Ninh"
    assert reports.planning_department(plan, dt.date(2025, 3, 1)) == "Sở Tài chính tỉnh Bắc Ninh"
    assert reports.default_texts(plan, dt.date(2026, 3, 10))["recipients"].startswith("Sở Tài chính tỉnh Bắc Ninh")


def test_only_quarters_of_the_plan_that_have_begun(plan, officer):
    with time_machine.travel(dt.datetime(2025, 5, 2, 9, tzinfo=dt.UTC), tick=False):
        assert reports.quarter_is_open(plan, 2025, 2)
        assert not reports.quarter_is_open(plan, 2025, 3)
        assert reports.open_quarters(plan)[0] == (2025, 2)
        with pytest.raises(ValidationError, match="quarter of the plan"):
            reports.report_save(actor=officer, plan=plan, kind="quarterly", year_from=2025, year_to=2025, quarter=3)
    assert not reports.quarter_is_open(plan, 2026, 1)  # after the plan
    assert not reports.quarter_is_open(plan, 2025, 5)


# THE CHART ---------------------------------------------------------------------------------------
def test_the_chart_draws_one_bar_per_target_coloured_by_status():
    bars = [
        charts.Bar("Chỉ dẫn địa lý mới được bảo hộ", Decimal(100), "on_track"),
        charts.Bar("Nhãn hiệu mới được bảo hộ", Decimal(40), "off_track"),
    ]
    png = charts.bar_chart_png(bars, title="Tỷ lệ đạt", reference=Decimal(50), legend=reports.CHART_LEGEND)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width == charts.WIDTH
    colours = {colour for _count, colour in image.getcolors(maxcolors=1 << 20)}
    assert charts.COLOURS["on_track"] in colours and charts.COLOURS["off_track"] in colours
    assert charts.COLOURS["at_risk"] in colours  # its legend square
    # the first bar is full (100 percent), the second stops at 40 percent of the axis
    left, right = charts.LABEL_WIDTH + 20, charts.WIDTH - charts.RIGHT_MARGIN
    y0 = charts.TOP + charts.ROW_HEIGHT // 2
    y1 = y0 + charts.ROW_HEIGHT
    assert image.getpixel((right - 3, y0)) == charts.COLOURS["on_track"]
    assert image.getpixel((left + int((right - left) * 0.38), y1)) == charts.COLOURS["off_track"]
    assert image.getpixel((left + int((right - left) * 0.45), y1)) == charts.TRACK_COLOUR


# THE DRAFT ---------------------------------------------------------------------------------------
TEXTS = {
    "general_situation": "Quý IV, các nhiệm vụ được triển khai đúng tiến độ.",
    "difficulties": "Kinh phí đối ứng của doanh nghiệp còn hạn chế.",
    "next_steps": "Tổ chức nghiệm thu các nhiệm vụ đến hạn.",
    "proposals": "Đề nghị bố trí đủ kinh phí sự nghiệp KH&CN năm 2026.",
    "signer_authority": "KT. GIÁM ĐỐC",
    "signer_title": "PHÓ GIÁM ĐỐC",
    "signer_name": "Lê Minh Cường",
}


@pytest.fixture
def generated(plan, records, officer, django_capture_on_commit_callbacks):
    report = reports.report_save(
        actor=officer, plan=plan, kind="quarterly", year_from=2025, year_to=2025, quarter=4, **TEXTS
    )
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_generate(actor=officer, report=report)
    report.refresh_from_db()
    return report


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _docx_text(document) -> str:
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join(texts)


def test_the_draft_docx_has_the_nd30_frame_the_texts_and_the_figures(generated):
    document = Document(io.BytesIO(_read(generated.docx)))
    header = document.tables[0]
    assert [p.text for p in header.rows[0].cells[0].paragraphs][:2] == [
        "UBND TỈNH BẮC NINH",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    ]
    assert header.rows[1].cells[0].text.replace("\xa0", " ").split() == ["Số:", "/BC-SKHCN"]  # number left blank
    assert header.rows[1].cells[1].text == "Bắc Ninh, ngày 10 tháng 3 năm 2026"
    text = _docx_text(document)
    assert "BÁO CÁO" in text
    assert "Tình hình thực hiện Kế hoạch phát triển kinh tế - xã hội 5 năm" in text and "quý IV năm 2025" in text
    for heading in (
        "I. TÌNH HÌNH CHUNG",
        "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "III. KINH PHÍ",
        "IV. KHÓ KHĂN, VƯỚNG MẮC",
        "V. NHIỆM VỤ, GIẢI PHÁP QUÝ TIẾP THEO",
        "VI. ĐỀ XUẤT, KIẾN NGHỊ",
    ):
        assert heading in text  # fmt: skip
    for value in TEXTS.values():
        assert value in text
    assert "- Sở Tài chính tỉnh Bắc Ninh (để tổng hợp);" in text and "- Lưu: VT, KHTC." in text
    # the budget's known inconsistency is reported in the text
    assert "239.040,14" in text and "239.040,15" in text and "chênh lệch 0,01 triệu đồng" in text


def test_the_draft_tables_carry_the_figures_and_repeat_their_header(generated):
    document = Document(io.BytesIO(_read(generated.docx)))
    tasks = next(
        t for t in document.tables if t.rows[0].cells[0].text == "STT" and "Số đề tài" in t.rows[1].cells[1].text
    )
    assert [c.text for c in tasks.rows[0].cells] == [
        "STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch giai đoạn", "Thực hiện quý IV", "Lũy kế năm 2025",
        "Lũy kế giai đoạn", "Tỷ lệ đạt (%)", "Đánh giá",
    ]  # fmt: skip
    assert [c.text for c in tasks.rows[1].cells][4:7] == ["1", "2", "3"]
    assert 'w:tblHeader w:val="true"' in tasks.rows[0]._tr.xml
    funding = next(t for t in document.tables if "Kinh phí thực hiện đề tài" in _docx_text_table(t))
    assert [c.text for c in funding.rows[1].cells][4:7] == ["1.000", "2.000", "3.000"]
    marks = next(t for t in document.tables if "Nhãn hiệu mới" in _docx_text_table(t))
    row = next(r for r in marks.rows if "Nhãn hiệu mới" in r.cells[1].text)
    assert [c.text for c in row.cells][3:] == ["15–20", "—", "5", "9", "60", "Chậm tiến độ"]


def _docx_text_table(table) -> str:
    return " ".join(c.text for row in table.rows for c in row.cells)


def test_the_draft_has_the_chart_and_keeps_its_snapshot(generated):
    document = Document(io.BytesIO(_read(generated.docx)))
    pictures = document.inline_shapes
    assert len(pictures) == 1  # the chart (no QR: a draft has no verification code)
    assert "Biểu đồ: Tỷ lệ đạt so với mục tiêu giai đoạn" in _docx_text(document)
    content = generated.content
    assert content["has_chart"] and content["generated_on"] == "2026-03-10"
    keys = [t["key"] for t in content["tables"]]
    assert keys[0] == "targets-tasks" and keys[-1] == "budget"
    table = reports.stored_tables(generated)[0]
    assert table.rows[0].cells[4] == Decimal(1)  # figures stay numbers


@NEEDS_POPPLER
def test_the_draft_pdf_has_the_vietnamese_text_tables_and_chart(generated, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(_read(generated.pdf))
    text = _squash(_run("pdftotext", "-enc", "UTF-8", str(path), "-"))
    for line in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "quý IV năm 2025",
        "I. TÌNH HÌNH CHUNG",
        "Bảng 1. Nhiệm vụ khoa học và công nghệ",
        "STT",
        "15–20",
        "Sở Tài chính tỉnh Bắc Ninh",
        "Kinh phí đối ứng của doanh nghiệp còn hạn chế.",
        "PHÓ GIÁM ĐỐC",
        "Lê Minh Cường",
        "Nơi nhận:",
        "239.040,14",
    ):
        assert line in text, line  # fmt: skip
    assert "@@" not in text  # every marker was replaced
    images = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    assert len(images) == 1  # the chart
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", _run("pdfinfo", str(path)))


@NEEDS_SOFFICE
@NEEDS_POPPLER
def test_libreoffice_opens_the_draft_docx(generated, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(_read(generated.docx))
    profile = (tmp_path / "profile").as_uri()  # a private profile: parallel conversions collide otherwise
    _run(
        "soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
        "--convert-to", "pdf", "--outdir", str(tmp_path), str(source),
    )  # fmt: skip
    converted = tmp_path / "report.pdf"
    text = _squash(_run("pdftotext", str(converted), "-"))
    for line in ("BÁO CÁO", "quý IV năm 2025", "Bảng 1. Nhiệm vụ khoa học và công nghệ", "STT", "15–20", "Nơi nhận:"):
        assert line in text, line
    assert len(_run("pdfimages", "-list", str(converted)).splitlines()[2:]) >= 1  # the chart survived


def test_typed_text_cannot_pass_for_a_table_marker(plan, records, officer):
    report = reports.report_save(
        actor=officer, plan=plan, kind="quarterly", year_from=2025, year_to=2025, quarter=4,
        difficulties="@@00000000-targets-tasks@@",
    )  # fmt: skip
    draft = reports.build_draft(report, on=dt.date(2026, 3, 10))
    assert "@@00000000-targets-tasks@@" in _docx_text(Document(io.BytesIO(reports.render_docx(draft))))


def test_regenerating_replaces_the_draft_files(generated, officer, django_capture_on_commit_callbacks):
    old_docx, old_pdf = generated.docx.name, generated.pdf.name
    storage = generated.docx.storage
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_generate(actor=officer, report=generated)
    generated.refresh_from_db()
    assert generated.docx.name != old_docx and storage.exists(generated.docx.name)
    assert not storage.exists(old_docx) and not storage.exists(old_pdf)


def test_only_staff_with_the_permission_in_the_jurisdiction_prepare(plan, leader, outsider):
    with pytest.raises(PermissionDenied):
        reports.report_save(actor=leader, plan=plan, kind="quarterly", year_from=2025, year_to=2025, quarter=4)
    outside_officer = UserFactory(role=Role.OFFICER, department=outsider.department)
    with pytest.raises(PermissionDenied):
        reports.report_save(
            actor=outside_officer, plan=plan, kind="quarterly", year_from=2025, year_to=2025, quarter=4
        )
    assert not PlanReport.objects.exists()


# EXCEL -------------------------------------------------------------------------------------------
def _workbook(response):
    content = b"".join(response.streaming_content)  # read to the end: the test client then closes it
    return openpyxl.load_workbook(io.BytesIO(content))


def test_excel_has_every_table_of_the_report(client, plan, records, officer):
    client.force_login(officer)
    response = client.get(reverse("planning:quarterly_report_excel", args=[plan.public_id, 2025, 4]))
    assert response.status_code == 200
    book = _workbook(response)
    draft = reports.build_draft(
        reports.report_or_blank(plan, kind="quarterly", year_from=2025, year_to=2025, quarter=4),
        on=dt.date(2026, 3, 10),
    )
    assert len(book.sheetnames) == len(draft.tables) == len(set(plan.targets.values_list("area", flat=True))) + 1
    sheet = book[book.sheetnames[0]]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Bảng 1. Nhiệm vụ khoa học và công nghệ"
    assert rows[2][:3] == ("STT", "Chỉ tiêu", "Đơn vị tính")
    assert rows[3][1].startswith("Số đề tài") and rows[3][4:7] == (1, 2, 3)  # numbers, not text
    budget = book[book.sheetnames[-1]]
    stated = [
        r for r in budget.iter_rows(values_only=True) if r[0] and str(r[0]).strip() == "Kinh phí sự nghiệp KH&CN"
    ]
    assert stated[0][1] == 239040.14


def test_the_drafts_excel_is_its_snapshot(client, generated, leader, flow):
    _started(flow, on=dt.date(2025, 12, 1), title="Nhiệm vụ ghi sau khi lập báo cáo")
    client.force_login(leader)
    response = client.get(reverse("planning:report_download", args=[generated.public_id, "xlsx"]))
    assert response.status_code == 200
    first = list(_workbook(response).worksheets[0].iter_rows(values_only=True))
    assert first[3][4:7] == (1, 2, 3)  # as printed, not the 2 of Q4 now in the records
    live = client.get(reverse("planning:quarterly_report_excel", args=[generated.plan.public_id, 2025, 4]))
    assert list(_workbook(live).worksheets[0].iter_rows(values_only=True))[3][4] == 2


# PAGES AND PERMISSIONS ---------------------------------------------------------------------------
def test_officer_previews_edits_and_generates_through_the_page(client, plan, records, officer):
    client.force_login(officer)
    dashboard = client.get(reverse("planning:plan_dashboard", args=[plan.public_id]))
    assert reverse("planning:report_list", args=[plan.public_id]) in dashboard.text
    listing = client.get(reverse("planning:report_list", args=[plan.public_id]))
    url = reverse("planning:quarterly_report", args=[plan.public_id, 2025, 4])
    assert url in listing.text
    page = client.get(url)
    assert page.status_code == 200
    assert "Sở Tài chính tỉnh Bắc Ninh" in page.text and "data:image/png;base64," in page.text
    assert reverse("planning:report_records", args=[plan.targets.get(code="tasks").public_id, 2025, 2025]) in page.text
    response = client.post(
        url, {**TEXTS, "recipients": "Sở Tài chính tỉnh Bắc Ninh\nUBND tỉnh", "archive_unit": "KHTC"}
    )
    assert response.status_code == 302
    report = PlanReport.objects.get()
    assert report.difficulties == TEXTS["difficulties"] and not report.is_generated
    client.post(url, {**TEXTS, "recipients": "Sở Tài chính tỉnh Bắc Ninh", "archive_unit": "KHTC", "generate": "1"})
    report.refresh_from_db()
    assert report.is_generated and report.generated_by == officer
    download = client.get(reverse("planning:report_download", args=[report.public_id, "docx"]))
    assert download.status_code == 200
    assert "B%C3%A1o%20c%C3%A1o%20qu%C3%BD%20IV%20n%C4%83m%202025.docx" in download["Content-Disposition"]
    assert Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs


def test_records_behind_a_figure_of_the_report(client, plan, records, leader):
    client.force_login(leader)
    tasks = plan.targets.get(code="tasks")
    url = reverse("planning:report_records", args=[tasks.public_id, 2025, 2025])
    quarter = client.get(url, {"quarter": 4})
    assert "Nhiệm vụ quý IV" in quarter.text and "Nhiệm vụ quý II" not in quarter.text
    to_q2 = client.get(reverse("planning:report_records", args=[tasks.public_id, 2021, 2025]), {"to_quarter": 2})
    assert (
        "Nhiệm vụ quý II" in to_q2.text and "Nhiệm vụ quốc gia" in to_q2.text and "Nhiệm vụ quý IV" not in to_q2.text
    )
    assert (
        client.get(reverse("planning:report_records", args=[tasks.public_id, 2024, 2025]), {"quarter": 1}).status_code
        == 404
    )
    marks = plan.targets.get(code="new-marks")
    assert client.get(reverse("planning:report_records", args=[marks.public_id, 2025, 2025])).status_code == 404


def test_leader_reads_and_downloads_but_does_not_prepare(client, generated, leader):
    plan = generated.plan
    client.force_login(leader)
    url = reverse("planning:quarterly_report", args=[plan.public_id, 2025, 4])
    page = client.get(url)
    assert page.status_code == 200 and TEXTS["difficulties"] in page.text
    assert 'name="generate"' not in page.text
    assert client.post(url, {**TEXTS, "generate": "1"}).status_code == 403
    for extension in ("docx", "pdf", "xlsx"):
        response = client.get(reverse("planning:report_download", args=[generated.public_id, extension]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)  # read to the end: the test client then closes it
    assert client.get(reverse("planning:report_download", args=[generated.public_id, "odt"])).status_code == 404


def test_outsiders_get_404_applicants_403_and_anonymous_the_login(
    client, generated, outsider, outside_leader, applicant
):
    plan = generated.plan
    urls = [
        reverse("planning:report_list", args=[plan.public_id]),
        reverse("planning:quarterly_report", args=[plan.public_id, 2025, 4]),
        reverse("planning:quarterly_report_excel", args=[plan.public_id, 2025, 4]),
        reverse("planning:report_download", args=[generated.public_id, "docx"]),
        reverse("planning:report_records", args=[plan.targets.get(code="tasks").public_id, 2025, 2025]),
    ]
    for user in (outsider, outside_leader):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert client.post(urls[1], TEXTS).status_code == 404
    client.force_login(applicant)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302, url


def test_a_quarter_outside_the_plan_is_404(client, plan, officer):
    client.force_login(officer)
    assert client.get(reverse("planning:quarterly_report", args=[plan.public_id, 2026, 1])).status_code == 404
    assert client.get(reverse("planning:quarterly_report", args=[plan.public_id, 2025, 5])).status_code == 404
    assert client.get(reverse("planning:review_report", args=[plan.public_id, 2011, 2015])).status_code == 404


def test_report_list_queries_do_not_grow_with_reports(client, plan, officer, django_assert_max_num_queries):
    client.force_login(officer)
    url = reverse("planning:report_list", args=[plan.public_id])
    reports.report_save(actor=officer, plan=plan, kind="quarterly", year_from=2025, year_to=2025, quarter=4)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for quarter in (1, 2, 3):
        reports.report_save(actor=officer, plan=plan, kind="quarterly", year_from=2025, year_to=2025, quarter=quarter)
    reports.report_save(actor=officer, plan=plan, kind="review", year_from=2021, year_to=2025)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_report_page_queries_do_not_grow_with_records(client, plan, flow, leader, django_assert_max_num_queries):
    client.force_login(leader)
    url = reverse("planning:quarterly_report", args=[plan.public_id, 2025, 4])
    _started(flow, on=dt.date(2025, 11, 2))
    client.get(url)
    with django_assert_max_num_queries(400) as few:
        client.get(url)
    for day in range(3, 6):
        _started(flow, on=dt.date(2025, 11, day), title=f"Nhiệm vụ {day}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
