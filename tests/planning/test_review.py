"""The five-year review and the reconciliation of the figures an imported report states: the
2016-2020 figures of the seed reproduced from the demo records, 10.7 stated against 23/216 = 10.6."""

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from opendost.accounts.models import User
from opendost.demo.services import demo_load
from opendost.departments.models import Department
from opendost.planning import reports, review
from opendost.planning.models import HistoricFigure, Plan
from opendost.projects.enums import TaskLevel

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=180).stdout  # noqa: S603


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _text(document) -> str:
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join(texts)


@pytest.fixture
def figures(plan):
    review.historic_figures_load(plan=plan)
    return {r.figure.key: r for r in review.reconciliation(plan, year_from=2016, year_to=2020)}


# HISTORIC FIGURES --------------------------------------------------------------------------------
def test_the_seed_figures_load_once(plan):
    assert review.historic_figures_load(plan=plan) == len(review.FIGURES_2016_2020)
    assert review.historic_figures_load(plan=plan) == 0
    tasks = HistoricFigure.objects.get(plan=plan, key="tasks")
    assert (tasks.year_from, tasks.year_to, tasks.stated_value, tasks.indicator_key) == (
        2016,
        2020,
        74,
        "tasks_started",
    )
    assert "Phần thứ nhất, mục A.I.2" in tasks.source_text
    funding = HistoricFigure.objects.get(plan=plan, key="funding-total")
    assert (funding.stated_value, funding.unit, funding.decimals) == (Decimal("222.5"), "tỷ đồng", 1)
    assert funding.scale == Decimal("0.001")
    assert review.review_periods(plan) == [(2021, 2025), (2016, 2020)]


def test_a_historic_figure_names_a_known_indicator_and_both_parts_of_a_rate(plan, officer):
    with pytest.raises(ValidationError):
        review.historic_figure_create(
            actor=None, plan=plan, year_from=2016, year_to=2020, key="x", label="X", stated_value=1, unit="x",
            source_text="X", indicator_key="no_such_indicator",
        )  # fmt: skip
    with pytest.raises(ValidationError):
        review.historic_figure_create(
            actor=None, plan=plan, year_from=2016, year_to=2020, key="y", label="Y", stated_value=1, unit="%",
            source_text="Y", numerator_key="violators",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):  # figures are imported, not typed in by an officer
        review.historic_figure_create(
            actor=officer, plan=plan, year_from=2016, year_to=2020, key="z", label="Z", stated_value=1, unit="x",
            source_text="Z",
        )  # fmt: skip


# RECONCILIATION ----------------------------------------------------------------------------------
def test_a_stated_rate_is_checked_against_its_stated_parts(figures):
    rate = figures["violation-rate"]
    assert rate.how == review.FROM_STATED_PARTS and rate.parts == (23, 216)
    assert rate.exact.quantize(Decimal("0.0001")) == Decimal("10.6481")
    assert rate.value == Decimal("10.6")  # rounded as stated (one decimal)
    assert rate.figure.stated_value == Decimal("10.7")
    assert rate.difference == Decimal("0.1") and not rate.agrees
    assert rate.how_vi == "Tính từ 23/216 (các số đã nêu)"


def test_a_figure_no_register_computes_says_so(figures):
    patents = figures["patents"]
    assert patents.how == review.NO_SOURCE and patents.value is None and patents.difference is None
    assert patents.how_vi == "Không có nguồn trong cơ sở dữ liệu để đối chiếu"


def test_a_figure_from_the_records_without_records_differs_by_all_of_it(figures):
    tasks = figures["tasks"]
    assert tasks.how == review.FROM_RECORDS and tasks.value == 0 and tasks.difference == 74


def test_a_rate_is_computed_from_its_parts_in_the_records_when_both_are(plan, flow):
    flow.assigned(level=TaskLevel.PROVINCIAL)
    flow.assigned(level=TaskLevel.NATIONAL, title="Nhiệm vụ cấp quốc gia")
    flow.assigned(level=TaskLevel.NATIONAL, title="Nhiệm vụ cấp quốc gia thứ hai")
    common = {"actor": None, "plan": plan, "year_from": 2025, "year_to": 2025, "source_text": "Báo cáo thử"}
    review.historic_figure_create(**common, key="all", label="Tất cả", stated_value=3, unit="nhiệm vụ",
                                  indicator_key="tasks_started")  # fmt: skip
    review.historic_figure_create(**common, key="provincial", label="Cấp tỉnh", stated_value=1, unit="nhiệm vụ",
                                  indicator_key="tasks_provincial")  # fmt: skip
    review.historic_figure_create(**common, key="share", label="Tỷ lệ cấp tỉnh", stated_value=Decimal("33.33"),
                                  decimals=2, unit="%", numerator_key="provincial", denominator_key="all")  # fmt: skip
    rows = {r.figure.key: r for r in review.reconciliation(plan, year_from=2025, year_to=2025)}
    share = rows["share"]
    assert share.how == review.FROM_RECORD_PARTS and share.parts == (1, 3)
    assert share.value == Decimal("33.33") and share.agrees
    assert rows["all"].agrees and rows["provincial"].agrees


def test_reconciliation_page_shows_both_figures_and_the_difference(client, plan, figures, leader):
    client.force_login(leader)
    page = client.get(reverse("planning:reconciliation", args=[plan.public_id, 2016, 2020]))
    assert page.status_code == 200
    text = page.text
    assert "Tỷ lệ cơ sở có vi phạm trên số cơ sở được thanh tra" in text
    assert ">10.7<" in text and "10.6" in text and "exactly 10.6481" in text
    assert "From its stated parts: 23 of 216" in text
    assert "No source in the records: the figure cannot be checked." in text
    assert "III.2.2.1" in text  # where the figure is stated
    listing = client.get(reverse("planning:report_list", args=[plan.public_id]))
    assert reverse("planning:reconciliation", args=[plan.public_id, 2016, 2020]) in listing.text
    assert client.get(reverse("planning:reconciliation", args=[plan.public_id, 2011, 2015])).status_code == 404


def test_a_figure_from_the_records_drills_down_to_them(client, plan, flow, leader):
    task = flow.assigned(level=TaskLevel.PROVINCIAL)
    review.historic_figure_create(
        actor=None, plan=plan, year_from=2025, year_to=2025, key="tasks", label="Nhiệm vụ", stated_value=2,
        unit="nhiệm vụ", source_text="Báo cáo thử", indicator_key="tasks_started",
    )  # fmt: skip
    client.force_login(leader)
    page = client.get(reverse("planning:reconciliation", args=[plan.public_id, 2025, 2025]))
    url = reverse("planning:historic_figure_records", args=[plan.public_id, 2025, 2025, "tasks"])
    assert url in page.text
    records = client.get(url)
    assert task.title in records.text and reverse("projects:task_detail", args=[task.public_id]) in records.text
    missing = reverse("planning:historic_figure_records", args=[plan.public_id, 2025, 2025, "nothing"])
    assert client.get(missing).status_code == 404


def test_reconciliation_is_hidden_from_other_departments(client, plan, figures, outsider, applicant):
    url = reverse("planning:reconciliation", args=[plan.public_id, 2016, 2020])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("planning:review_report", args=[plan.public_id, 2016, 2020])).status_code == 404
    client.force_login(applicant)
    assert client.get(url).status_code == 403


# THE REVIEW OF THE PLAN'S OWN PERIOD -------------------------------------------------------------
def test_the_plan_period_review_has_years_target_share_and_status(plan, flow, officer):
    flow.assigned(level=TaskLevel.PROVINCIAL)  # 2025
    figures = review.review_figures(plan, year_from=2021, year_to=2025)
    assert figures.is_plan_period and figures.years == [2021, 2022, 2023, 2024, 2025]
    tasks = next(r for r in figures.rows if r.target.code == "tasks")
    assert tasks.years == (0, 0, 0, 0, 1) and tasks.period == 1
    devices = next(r for r in figures.rows if r.target.code == "xray-devices")
    assert devices.compare == 97 and devices.percent == Decimal("0.0") and devices.status == "off_track"
    report = reports.report_save(actor=officer, plan=plan, kind="review", year_from=2021, year_to=2025)
    draft = reports.build_draft(report, on=dt.date(2026, 3, 10))
    text = _text(Document(io.BytesIO(reports.render_docx(draft))))
    assert "Tổng kết tình hình thực hiện Kế hoạch phát triển kinh tế - xã hội 5 năm" in text
    assert "Mục tiêu" in text and "Cả giai đoạn" in text and "III. KINH PHÍ" in text
    assert [t.key for t in draft.tables][-1] == "budget"  # no imported figures for 2021-2025: no reconciliation
    assert draft.picture is not None


def test_a_review_is_only_for_the_plan_period_or_an_imported_one(plan, officer):
    with pytest.raises(ValidationError):
        reports.report_save(actor=officer, plan=plan, kind="review", year_from=2016, year_to=2020)
    review.historic_figures_load(plan=plan)
    assert reports.report_save(actor=officer, plan=plan, kind="review", year_from=2016, year_to=2020).pk


# 2016-2020 FROM THE DEMO RECORDS -----------------------------------------------------------------
SEED_FROM_RECORDS = {
    # target: (per year 2016..2020, whole period) as the projects demo records them; the whole period
    # equals the baseline the plan states (seed facts.yaml results_2016_2020)
    "tasks": 74,
    "tasks-provincial": 61,
    "tasks-national": 13,
    "funding-total": 222_500,
    "funding-central": 49_500,
    "funding-provincial": 100_200,
    "funding-counterpart": 72_800,
    "results-registered": 186,
    "certificates": 90,
}
AGREE = [
    "tasks", "tasks-provincial", "tasks-national", "funding-total", "funding-central", "funding-provincial",
    "funding-counterpart", "results-registered", "certificates",
]  # fmt: skip


@pytest.fixture
def demo(settings):
    settings.OPENDOST_DEMO_ALLOWED = True
    report = demo_load()
    assert report.loaded
    department = Department.objects.get(code="bac-ninh")
    return Plan.objects.get(department=department, code="khcn-2021-2025")


def test_the_2016_2020_review_reproduces_the_seed_figures_from_the_demo_records(client, demo, tmp_path):
    plan = demo
    assert HistoricFigure.objects.filter(plan=plan).count() == len(review.FIGURES_2016_2020)  # loaded by the demo
    figures = review.review_figures(plan, year_from=2016, year_to=2020)
    rows = {r.target.code: r for r in figures.rows}
    for code, value in SEED_FROM_RECORDS.items():
        assert rows[code].period == value, code
        assert rows[code].compare == value and rows[code].difference == 0, code  # the baseline the plan states
    assert rows["tasks"].years == (17, 16, 15, 13, 13)
    assert sum(rows["funding-total"].years) == 222_500

    reconciled = {r.figure.key: r for r in figures.reconciled}
    for key in AGREE:
        assert reconciled[key].how == review.FROM_RECORDS and reconciled[key].agrees, key
    assert reconciled["funding-total"].value == Decimal("222.5")
    violation = reconciled["violation-rate"]
    assert violation.value == Decimal("10.6") and violation.difference == Decimal("0.1")
    assert reconciled["xray-facilities"].how == review.FROM_RECORDS  # computed; the demo's licences are recent
    assert reconciled["patents"].how == review.NO_SOURCE

    # the officer generates the review through the page; the leader downloads it
    officer, leader = User.objects.get(username="canbo"), User.objects.get(username="lanhdao")
    client.force_login(officer)
    url = reverse("planning:review_report", args=[plan.public_id, 2016, 2020])
    assert client.get(url).status_code == 200
    client.post(url, {"difficulties": "Số liệu giai đoạn trước được nhập từ sổ sách.", "generate": "1",
                      "recipients": "UBND tỉnh", "signer_title": "GIÁM ĐỐC"})  # fmt: skip
    report = plan.reports.get(kind="review", year_from=2016)
    assert report.is_generated
    client.force_login(leader)
    response = client.get(reverse("planning:report_download", args=[report.public_id, "docx"]))
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = _text(document)
    assert "Tổng kết tình hình thực hiện nhiệm vụ khoa học và công nghệ giai đoạn 2016 - 2020" in text
    assert "III. ĐỐI CHIẾU SỐ LIỆU" in text and "Số liệu giai đoạn trước được nhập từ sổ sách." in text
    table = next(t for t in document.tables if "Số đề tài" in t.rows[1].cells[1].text)
    assert [c.text for c in table.rows[0].cells][3:8] == ["2016", "2017", "2018", "2019", "2020"]
    assert [c.text for c in table.rows[1].cells][3:10] == ["17", "16", "15", "13", "13", "74", "74"]
    recon = next(t for t in document.tables if t.rows[0].cells[1].text == "Số liệu")
    violation = next(r for r in recon.rows if r.cells[1].text.startswith("Tỷ lệ cơ sở có vi phạm"))
    assert [c.text for c in violation.cells][3:6] == ["10,7", "10,6", "0,1"]
    funding = next(r for r in recon.rows if r.cells[1].text.startswith("Tổng kinh phí"))
    assert [c.text for c in funding.cells][3:6] == ["222,5", "222,5", "0"]

    if shutil.which("soffice") and shutil.which("pdftotext"):
        source = tmp_path / "review.docx"
        source.write_bytes(_read(report.docx))
        profile = (tmp_path / "profile").as_uri()
        _run(
            "soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
            "--convert-to", "pdf", "--outdir", str(tmp_path), str(source),
        )  # fmt: skip
        converted = _run("pdftotext", str(tmp_path / "review.pdf"), "-")
        assert "ĐỐI CHIẾU SỐ LIỆU" in converted and "222,5" in converted
