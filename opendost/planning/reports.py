"""Reports on the plan, generated from the live figures: the quarterly progress report to the
provincial planning department (this module) and the five-year review (`review`).

THE DOCUMENT is an official document in the NĐ 30/2020 layout (BÁO CÁO, type symbol "BC"), rendered
by `report_rendering` (the kernel's frame, with tables and a chart).

A DRAFT, NOT AN ISSUED DOCUMENT. The documents kernel issues only numbered documents rendered from
text blocks (`document_issue`); it has no drafts and no tables. A report is prepared by an officer,
read and signed by a leader, then numbered by the clerk, so it is stored here (`PlanReport`) as a
draft: "Số:      /BC-SKHCN" with the number left blank, a .docx to edit in Word or LibreOffice and a
PDF, and the snapshot (`content`) of the figures and tables printed, from which its Excel file is
written. Regenerating replaces the draft.

THE RECIPIENT. The plan (part two, V) sends its quarterly report to the Sở Kế hoạch và Đầu tư; in
2025 the provinces merged that department into the Sở Tài chính (domain-procedures §19.1: Bắc Giang's
reorganisation of 19/02/2025, in force from 01/03/2025, as everywhere), so a report dated from then on
goes to the Sở Tài chính of the plan's province. The recipients stay editable.

THE FIGURES of the quarterly report, for each target: the value of the quarter, the cumulative value
from 1 January to the quarter's end, the cumulative value from the plan's first day to the quarter's
end (a state, such as licences in force, is read on the quarter's last day; a rate is the rate of
the whole span), the share of the target reached by the cumulative period value, and the status by
the dashboard's rule (`progress`) on the quarter's last day. Indicators whose register keeps a year
only (applications of results) give no quarterly figure and count whole years.
"""

import datetime as dt
import inspect
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.documents.structure import Recipients
from opendost.dossiers.handlers import place_of
from opendost.planning import charts, indicators, progress, selectors
from opendost.planning.enums import ProgressStatus, TargetArea
from opendost.planning.indicators import Value
from opendost.planning.models import Plan, PlanReport, PlanReportKind, Target
from opendost.planning.permissions import can
from opendost.planning.report_rendering import (
    ROMAN,
    Body,
    Column,
    Draft,
    Picture,
    Row,
    Table,
    render_docx,
    render_pdf,
    vi_number,
)

ISSUING_BODY = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
DOC_KIND = "BÁO CÁO"
DOC_TYPE = "BC"
NBSP = "\u00a0"  # kept by HTML and Word alike: the blank for the number
SYMBOL = f"{NBSP * 8}/{DOC_TYPE}-SKHCN"  # the clerk writes the number once the leader has signed
PLANNING_INTO_FINANCE = dt.date(2025, 3, 1)
DEFAULT_ARCHIVE_UNIT = "KHTC"
DEFAULT_SIGNER_TITLE = "GIÁM ĐỐC"
TEXT_FIELDS = (
    "general_situation", "difficulties", "next_steps", "proposals", "recipients", "archive_unit",
    "signer_authority", "signer_title", "signer_name",
)  # fmt: skip

# The document is Vietnamese by law: these are its words, not UI strings (see documents.structure).
STATUS_VI = {
    ProgressStatus.ON_TRACK: "Đạt tiến độ",
    ProgressStatus.AT_RISK: "Có nguy cơ chậm",
    ProgressStatus.OFF_TRACK: "Chậm tiến độ",
    ProgressStatus.NO_TARGET: "Không có mục tiêu",
    ProgressStatus.NO_DATA: "Chưa có số liệu",
}
AREA_VI = {
    TargetArea.TASKS: "Nhiệm vụ khoa học và công nghệ",
    TargetArea.RESULTS: "Kết quả nhiệm vụ khoa học và công nghệ và ứng dụng",
    TargetArea.FUNDING: "Kinh phí thực hiện nhiệm vụ khoa học và công nghệ",
    TargetArea.RADIATION: "An toàn bức xạ",
    TargetArea.ONE_STOP: "Giải quyết thủ tục hành chính",
    TargetArea.IP: "Sở hữu trí tuệ",
    TargetArea.METROLOGY: "Tiêu chuẩn, đo lường, chất lượng",
    TargetArea.OTHER: "Lĩnh vực khác",
}
CHART_LEGEND = [(s, STATUS_VI[s]) for s in (ProgressStatus.ON_TRACK, ProgressStatus.AT_RISK, ProgressStatus.OFF_TRACK)]


# FIGURES -----------------------------------------------------------------------------------------
def _number_only(indicator) -> dict:
    """Reports print numbers: ask an indicator for its number alone (no record ids) where it can."""
    return {"ids": False} if getattr(indicator, "basis", None) is not None else {}


def _add(a: Value, b: Value) -> Value:
    if a.number is None and b.number is None:
        return Value(None, note=a.note or b.note)
    return Value(
        (a.number or Decimal(0)) + (b.number or Decimal(0)), a.record_ids + b.record_ids, a.records or b.records
    )


def indicator_between(indicator, *, department_ids, date_from: dt.date, date_to: dt.date, ids: bool = False) -> Value:
    """The indicator over any span of days (the registry's `compute` takes years and quarters).
    A register that keeps a year only counts the whole years of the span."""
    if not indicator.quarterly:
        kwargs = {"ids": ids} if "ids" in inspect.signature(indicator.compute).parameters else {}
        value = indicator.compute(
            department_ids=department_ids, year_from=date_from.year, year_to=date_to.year, **kwargs
        )
        note = _("The register keeps a year only: whole years are counted.")
        return Value(value.number, value.record_ids, value.records, note)
    kwargs = {"ids": ids} if getattr(indicator, "basis", None) is not None else {}
    return indicator.func(
        department_ids=list(department_ids),
        date_from=date_from,
        date_to=date_to,
        year_from=date_from.year,
        year_to=date_to.year,
        **kwargs,
    )


def _manual_to_quarter(target: Target, *, year: int, quarter: int) -> Value:
    """Approved manual values of `year` up to the end of `quarter`: the quarters' values, or the
    yearly value once the year is over."""
    if quarter == 4:
        return selectors.manual_value(target, year_from=year, year_to=year)
    total = Value(None)
    for q in range(1, quarter + 1):
        total = _add(total, selectors.manual_value(target, year_from=year, year_to=year, quarter=q))
    return total


def target_between(target: Target, *, department_ids, year_from: int, year: int, quarter: int, ids=False) -> Value:
    """The target's figure from 1 January of `year_from` to the end of `quarter` of `year`."""
    if target.is_manual:
        value = _manual_to_quarter(target, year=year, quarter=quarter)
        if year_from < year:
            value = _add(selectors.manual_value(target, year_from=year_from, year_to=year - 1), value)
        return value
    indicator = indicators.get(target.indicator_key)
    if indicator is None:
        return Value(None, note=_("Unknown indicator."))
    return indicator_between(
        indicator,
        department_ids=department_ids,
        date_from=dt.date(year_from, 1, 1),
        date_to=indicators.period_dates(year, year, quarter)[1],
        ids=ids,
    )


def target_in_quarter(target: Target, *, department_ids, year: int, quarter: int, ids=False) -> Value:
    if target.is_manual:
        return selectors.manual_value(target, year_from=year, year_to=year, quarter=quarter)
    indicator = indicators.get(target.indicator_key)
    if indicator is None:
        return Value(None, note=_("Unknown indicator."))
    kwargs = {"ids": ids} if "ids" in inspect.signature(indicator.compute).parameters else {}
    return indicator.compute(department_ids=department_ids, year_from=year, year_to=year, quarter=quarter, **kwargs)


def plan_value_text(target: Target, year: int | None = None) -> str:
    low, high = target.target_min, target.target_max
    if low is not None and high is not None:
        text = f"{vi_number(low)}–{vi_number(high)}"
    elif low is not None:
        text = vi_number(low)
    elif high is not None:
        text = f"≤ {vi_number(high)}"
    else:
        text = "—"
    planned = target.yearly_values.get(str(year)) if year else None
    if planned not in (None, ""):
        text += f" (năm {year}: {vi_number(planned)})"
    return text


@dataclass(frozen=True)
class QuarterRow:
    target: Target
    plan_text: str
    quarter: Decimal | None
    year: Decimal | None
    period: Decimal | None
    progress: progress.Progress
    note: str = ""

    @property
    def status_vi(self) -> str:
        return STATUS_VI.get(self.progress.status, self.progress.status)


@dataclass(frozen=True)
class Quarterly:
    plan: Plan
    year: int
    quarter: int
    as_of: dt.date
    share: Decimal
    groups: list  # [(area, [QuarterRow])]

    @property
    def rows(self) -> list[QuarterRow]:
        return [row for _area, rows in self.groups for row in rows]

    @property
    def share_percent(self) -> Decimal:
        return (self.share * 100).quantize(Decimal("0.1"))

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row.progress.status] = counts.get(row.progress.status, 0) + 1
        return counts


def quarter_is_open(plan: Plan, year: int, quarter: int) -> bool:
    """A quarter of the plan's years that has begun: a report can be prepared for it."""
    if not (plan.start_year <= year <= plan.end_year and quarter in (1, 2, 3, 4)):
        return False
    return indicators.period_dates(year, year, quarter)[0] <= timezone.localdate()


def open_quarters(plan: Plan) -> list[tuple[int, int]]:
    """The quarters a report can be prepared for, the latest first."""
    return [(y, q) for y in reversed(plan.years) for q in (4, 3, 2, 1) if quarter_is_open(plan, y, q)]


def quarterly_figures(plan: Plan, *, year: int, quarter: int) -> Quarterly:
    quarter_end = indicators.period_dates(year, year, quarter)[1]
    as_of = min(quarter_end, timezone.localdate())
    share = progress.elapsed_share(plan.start_year, plan.end_year, as_of)
    department_ids = selectors.department_ids_of(plan)
    by_area: dict[str, list[QuarterRow]] = {}
    for target in plan.targets.all():
        in_quarter = target_in_quarter(target, department_ids=department_ids, year=year, quarter=quarter)
        in_year = target_between(target, department_ids=department_ids, year_from=year, year=year, quarter=quarter)
        in_period = target_between(
            target, department_ids=department_ids, year_from=plan.start_year, year=year, quarter=quarter
        )
        row = QuarterRow(
            target=target,
            plan_text=plan_value_text(target, year),
            quarter=selectors.display_number(target, in_quarter.number),
            year=selectors.display_number(target, in_year.number),
            period=selectors.display_number(target, in_period.number),
            progress=selectors.target_progress(target, in_period, share=share),
            note=in_quarter.note or in_period.note,
        )
        by_area.setdefault(target.area, []).append(row)
    groups = [(area, by_area[area]) for area in TargetArea.values if area in by_area]
    return Quarterly(plan=plan, year=year, quarter=quarter, as_of=as_of, share=share, groups=groups)


# BUDGET ------------------------------------------------------------------------------------------
def budget_rows(plan: Plan, *, year: int, depth: int = 1) -> list:
    """The plan's budget lines (down to `depth`) with the money of `year` and of the period up to it
    (`budget.budget_table`: allocations entered, commitments of the task contracts, their payments)."""
    from opendost.planning import budget

    table = budget.budget_table(plan)
    return [row for row in table.rows if row.depth <= depth], table


def _sum_years(row, attribute: str, years) -> Decimal | None:
    values = [getattr(row.years[y], attribute) for y in years if y in row.years]
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


def budget_table(plan: Plan, *, year: int, key: str = "budget") -> tuple[Table, list[str]]:
    """The budget summary for a report on `year` and the sentences on sums that do not add up."""
    rows, table = budget_rows(plan, year=year)
    years_to = [y for y in plan.years if y <= year]
    columns = (
        Column("Nội dung", 55),
        Column("Kế hoạch giai đoạn", 22, True),
        Column(f"Phân bổ năm {year}", 22, True),
        Column(f"Cam kết năm {year}", 22, True),
        Column(f"Giải ngân năm {year}", 22, True),
        Column("Giải ngân lũy kế giai đoạn", 22, True),
    )
    out = []
    for row in rows:
        figures = row.years.get(year)
        out.append(
            Row(
                (
                    ("    " * row.depth) + row.line.title,
                    row.line.amount_million,
                    figures.allocated if figures else None,
                    figures.committed if figures else None,
                    figures.disbursed if figures else None,
                    _sum_years(row, "disbursed", years_to),
                ),
                bold=row.depth == 0,
            )
        )
    warnings = [
        f"{w.line.title}: số nêu trong Kế hoạch {vi_number(w.line.amount_million)} triệu đồng, tổng các dòng chi tiết "
        f"{vi_number(w.children_sum)} triệu đồng (chênh lệch {vi_number(w.difference)} triệu đồng)."
        for w in table.stated_warnings
    ]
    title = "Kinh phí thực hiện Kế hoạch (triệu đồng)"
    return Table(key, title, columns, tuple(out)), warnings


# THE QUARTERLY DOCUMENT --------------------------------------------------------------------------
def province_name(department) -> str:
    """ "Bắc Ninh": the department's province, else read from its governing body ("UBND TỈNH BẮC NINH")."""
    if department.province_id:
        return place_of(department)
    body = department.governing_body.strip()
    for prefix in ("UBND TỈNH ", "UBND THÀNH PHỐ "):
        if body.upper().startswith(prefix):
            return body[len(prefix) :].title()
    return place_of(department)


def planning_department(plan: Plan, on: dt.date) -> str:
    """Who receives the quarterly report on `on` (see the module docstring)."""
    name = "Sở Tài chính" if on >= PLANNING_INTO_FINANCE else "Sở Kế hoạch và Đầu tư"
    return f"{name} tỉnh {province_name(plan.department)}"


def default_texts(plan: Plan, on: dt.date) -> dict[str, str]:
    recipients = [
        f"{planning_department(plan, on)} (để tổng hợp)",
        "UBND tỉnh (để b/c)",
        "Giám đốc, các Phó Giám đốc Sở",
        "Các phòng, đơn vị trực thuộc Sở",
    ]
    return {
        "recipients": "\n".join(recipients),
        "archive_unit": DEFAULT_ARCHIVE_UNIT,
        "signer_title": DEFAULT_SIGNER_TITLE,
    }


def rule_text_vi() -> str:
    """`progress.RULE_TEXT` in the document's language, from the same thresholds."""
    on, risk = int(progress.ON_TRACK_FROM * 100), int(progress.AT_RISK_FROM * 100)
    return (
        "Cách đánh giá: giá trị cần đạt đến thời điểm báo cáo bằng mục tiêu giai đoạn nhân với tỷ lệ thời gian "
        "đã qua (với chỉ tiêu cộng dồn), bằng chính mục tiêu (với chỉ tiêu trạng thái hoặc tỷ lệ); "
        f"đạt tiến độ khi kết quả từ {on}% giá trị cần đạt, có nguy cơ chậm từ {risk}% đến dưới {on}%, "
        f"chậm tiến độ dưới {risk}%; mục tiêu là một khoảng thì tính theo cận dưới. Tỷ lệ đạt là kết quả "
        "lũy kế giai đoạn so với mục tiêu giai đoạn."
    )


def status_sentence(counts: dict[str, int], total_with_target: int) -> str:
    text = (
        f"Trong {total_with_target} chỉ tiêu có mục tiêu: {counts.get(ProgressStatus.ON_TRACK, 0)} chỉ tiêu đạt tiến "
        f"độ, {counts.get(ProgressStatus.AT_RISK, 0)} chỉ tiêu có nguy cơ chậm, "
        f"{counts.get(ProgressStatus.OFF_TRACK, 0)} chỉ tiêu chậm tiến độ"
    )
    if counts.get(ProgressStatus.NO_DATA):
        text += f", {counts[ProgressStatus.NO_DATA]} chỉ tiêu chưa có số liệu"
    return text + "."


def quarterly_target_table(key: str, title: str, rows: list[QuarterRow], *, year: int, quarter: int) -> Table:
    columns = (
        Column("STT", 10),
        Column("Chỉ tiêu", 40),
        Column("Đơn vị tính", 17),
        Column("Kế hoạch giai đoạn", 19, True),
        Column(f"Thực hiện quý {ROMAN[quarter]}", 16, True),
        Column(f"Lũy kế năm {year}", 16, True),
        Column("Lũy kế giai đoạn", 17, True),
        Column("Tỷ lệ đạt (%)", 13, True),
        Column("Đánh giá", 17),
    )
    out = [
        Row(
            (
                str(n),
                row.target.title,
                row.target.unit,
                row.plan_text,
                row.quarter,
                row.year,
                row.period,
                row.progress.percent,
                row.status_vi,
            )
        )
        for n, row in enumerate(rows, start=1)
    ]
    return Table(key, title, columns, tuple(out))


def chart_of(
    bars: list[charts.Bar],
    *,
    title: str,
    reference: Decimal | None = None,
    reference_label: str = "",
    legend=CHART_LEGEND,
) -> Picture | None:
    bars = [bar for bar in bars if bar.percent is not None]
    if not bars:
        return None
    png = charts.bar_chart_png(bars, title=title, reference=reference, reference_label=reference_label, legend=legend)
    return Picture(png, caption=title)


def quarterly_chart(figures: Quarterly) -> Picture | None:
    share = figures.share_percent
    return chart_of(
        [charts.Bar(row.target.title, row.progress.percent, row.progress.status) for row in figures.rows],
        title=f"Tỷ lệ đạt so với mục tiêu giai đoạn, đến ngày {figures.as_of:%d/%m/%Y}",
        reference=share,
        reference_label=f"Thời gian đã qua: {vi_number(share, 1)}%",
    )


def document_frame(report: PlanReport, *, on: dt.date, title: str) -> dict[str, Any]:
    plan = report.plan
    lines = [line.strip().rstrip(";").strip() for line in report.recipients.splitlines() if line.strip()]
    lines = [line.removeprefix("- ").strip() for line in lines]
    return {
        "issuing_body_parent": plan.department.governing_body,
        "issuing_body": ISSUING_BODY,
        "place": province_name(plan.department),
        "issued_on": on,
        "doc_kind": DOC_KIND,
        "title": title,
        "signer_authority": report.signer_authority,
        "signer_title": report.signer_title,
        "signer_name": report.signer_name,
        "recipients": Recipients(to=tuple(lines), archive_unit=report.archive_unit.strip()).lines(),
        "number_symbol": SYMBOL,
    }


def quarterly_title(plan: Plan, year: int, quarter: int) -> str:
    return f"Tình hình thực hiện {plan.title} quý {ROMAN[quarter]} năm {year}"


def quarterly_draft(report: PlanReport, *, on: dt.date, figures: Quarterly | None = None) -> Draft:
    plan, year, quarter = report.plan, report.year_to, report.quarter
    figures = figures or quarterly_figures(plan, year=year, quarter=quarter)
    body = Body()
    basis = f" ({plan.document_ref})" if plan.document_ref else ""
    body.text(
        f"Thực hiện {plan.title}{basis}, Sở Khoa học và Công nghệ báo cáo tình hình thực hiện quý "
        f"{ROMAN[quarter]} năm {year} như sau:"
    )
    body.heading("TÌNH HÌNH CHUNG")
    body.text(
        f"Số liệu của báo cáo được tổng hợp từ cơ sở dữ liệu của Sở đến ngày {figures.as_of:%d/%m/%Y}; thời gian "
        f"thực hiện Kế hoạch đã qua {vi_number(figures.share_percent, 1)}%. "
        + status_sentence(figures.counts(), sum(1 for r in figures.rows if r.progress.target_value is not None))
    )
    body.free_text(report.general_situation, "")
    body.heading("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    body.text(rule_text_vi())
    for number, (area, rows) in enumerate(figures.groups, start=1):
        label = AREA_VI.get(area, area)
        body.text(label, lead=f"{number}.")
        body.insert(
            quarterly_target_table(
                f"targets-{area.replace('_', '-')}", f"Bảng {number}. {label}", rows, year=year, quarter=quarter
            )
        )
    chart = quarterly_chart(figures)
    if chart:
        body.insert(chart)
    body.heading("KINH PHÍ")
    table, warnings = budget_table(plan, year=year)
    body.text(
        "Kinh phí theo các dòng của Kế hoạch: phân bổ theo quyết định giao dự toán đã nhập; cam kết theo giá trị "
        "hợp đồng thực hiện nhiệm vụ ký trong năm; giải ngân theo các lần thanh toán (số liệu cả năm đến ngày lập "
        "báo cáo)."
    )
    body.insert(table)
    for sentence in warnings:
        body.text(sentence, lead="Lưu ý:")
    body.heading("KHÓ KHĂN, VƯỚNG MẮC")
    body.free_text(report.difficulties, "Không có.")
    body.heading("NHIỆM VỤ, GIẢI PHÁP QUÝ TIẾP THEO")
    body.free_text(report.next_steps, "Tiếp tục triển khai các nhiệm vụ theo Kế hoạch.")
    body.heading("ĐỀ XUẤT, KIẾN NGHỊ")
    body.free_text(report.proposals, "Không có.")
    body.text(
        f"Trên đây là báo cáo tình hình thực hiện Kế hoạch quý {ROMAN[quarter]} năm {year} của Sở Khoa học và "
        f"Công nghệ, gửi {planning_department(plan, on)} tổng hợp, báo cáo UBND tỉnh./."
    )
    return body.draft(**document_frame(report, on=on, title=quarterly_title(plan, year, quarter)))


def build_draft(report: PlanReport, *, on: dt.date) -> Draft:
    """The document is Vietnamese whatever the officer's UI language (indicator names are msgids)."""
    with translation.override("vi"):
        if report.kind == PlanReportKind.REVIEW:
            from opendost.planning import review

            return review.review_draft(report, on=on)
        return quarterly_draft(report, on=on)


# SNAPSHOT ----------------------------------------------------------------------------------------
def stored_tables(report: PlanReport) -> list[Table]:
    return [Table.from_json(t) for t in report.content.get("tables", [])]


# SELECTORS ---------------------------------------------------------------------------------------
def reports_of(plan: Plan):
    return plan.reports.select_related("prepared_by", "generated_by").order_by("-year_to", "-quarter", "kind", "pk")


def report_find(plan: Plan, *, kind: str, year_from: int, year_to: int, quarter: int | None = None):
    return (
        PlanReport.objects.filter(plan=plan, kind=kind, year_from=year_from, year_to=year_to, quarter=quarter)
        .select_related("plan__department", "generated_by")
        .first()
    )


def report_or_blank(plan: Plan, *, kind: str, year_from: int, year_to: int, quarter: int | None = None) -> PlanReport:
    """The report of the period, or an unsaved one with the default texts (to export the live tables)."""
    found = report_find(plan, kind=kind, year_from=year_from, year_to=year_to, quarter=quarter)
    if found is not None:
        return found
    return PlanReport(
        plan=plan, kind=kind, year_from=year_from, year_to=year_to, quarter=quarter,
        **default_texts(plan, timezone.localdate()),
    )  # fmt: skip


def report_get_for(user, public_id) -> PlanReport:
    """A report of a plan the user sees; a 404 otherwise (another department's, or no permission)."""
    if not user.has_perm("planning.view_planreport"):
        raise Http404
    plans = selectors.plan_list_for(user)
    try:
        return PlanReport.objects.select_related("plan__department").get(plan__in=plans, public_id=public_id)
    except (PlanReport.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def file_name(report: PlanReport, extension: str) -> str:
    if report.kind == PlanReportKind.QUARTERLY:
        return f"Báo cáo quý {ROMAN[report.quarter]} năm {report.year_to}.{extension}"
    return f"Báo cáo tổng kết giai đoạn {report.year_from}-{report.year_to}.{extension}"


# SERVICES ----------------------------------------------------------------------------------------
def can_prepare(user, plan: Plan) -> bool:
    return can(user, "planning.change_planreport", plan.department_id)


def _check_period(plan: Plan, kind: str, year_from: int, year_to: int, quarter: int | None) -> None:
    if kind == PlanReportKind.QUARTERLY:
        if year_from != year_to or quarter is None or not quarter_is_open(plan, year_to, quarter):
            raise ValidationError(_("A quarterly report is for a quarter of the plan's years that has begun."))
        return
    if kind != PlanReportKind.REVIEW:
        raise ValidationError(_("Unknown kind of report."))
    from opendost.planning import review

    if (year_from, year_to) not in review.review_periods(plan) or quarter is not None:
        raise ValidationError(_("A review is for the plan's period or a period whose figures were imported."))


@transaction.atomic
def report_save(
    *, actor, plan: Plan, kind: str, year_from: int, year_to: int, quarter: int | None = None, **texts
) -> PlanReport:
    """Create or update the texts of the report of a period (one report per quarter or period)."""
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    if not can_prepare(actor, plan):
        raise PermissionDenied
    _check_period(plan, kind, year_from, year_to, quarter)
    report = report_find(plan, kind=kind, year_from=year_from, year_to=year_to, quarter=quarter)
    before = None
    if report is None:
        report = PlanReport(
            plan=plan, kind=kind, year_from=year_from, year_to=year_to, quarter=quarter, prepared_by=actor,
            **default_texts(plan, timezone.localdate()),
        )  # fmt: skip
    else:
        before = model_snapshot(report, list(TEXT_FIELDS))
    for name, value in texts.items():
        setattr(report, name, (value or "").strip())
    report.full_clean(exclude=["docx", "pdf"])
    report.save()
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    audit_record(
        actor=actor, action=action, obj=report, before=before, after=model_snapshot(report, list(TEXT_FIELDS)),
        department_id=plan.department_id,
    )  # fmt: skip
    return report


def report_generate(*, actor, report: PlanReport) -> PlanReport:
    """Render the draft (.docx and PDF) from the live figures and the report's texts, keep the
    snapshot of what it printed, and replace the previous draft.

    The figures are read and the files rendered (a few seconds) before the transaction, so no write
    lock is held meanwhile; then the files are stored and the row updated in one transaction. The old
    files are deleted once it commits; if it fails, the new files are deleted and the old ones kept.
    """
    if not can_prepare(actor, report.plan):
        raise PermissionDenied
    _check_period(report.plan, report.kind, report.year_from, report.year_to, report.quarter)
    on = timezone.localdate()
    draft = build_draft(report, on=on)
    docx, pdf = render_docx(draft), render_pdf(draft)
    with transaction.atomic():
        return _store_draft(actor=actor, report=report, draft=draft, docx=docx, pdf=pdf, on=on)


def _store_draft(*, actor, report: PlanReport, draft: Draft, docx: bytes, pdf: bytes, on: dt.date) -> PlanReport:
    old = [f.name for f in (report.docx, report.pdf) if f.name]
    storage = report.docx.storage
    try:
        report.docx.save("report.docx", ContentFile(docx), save=False)
        report.pdf.save("report.pdf", ContentFile(pdf), save=False)
        report.content = {
            "generated_on": on.isoformat(),
            "document": draft.document.to_json(),
            "tables": [t.to_json() for t in draft.tables],
            "has_chart": draft.picture is not None,
        }
        report.generated_at = timezone.now()
        report.generated_by = actor
        report.save(update_fields=["docx", "pdf", "content", "generated_at", "generated_by", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=report,
            after={"generated_on": on.isoformat(), "docx": report.docx.name, "pdf": report.pdf.name},
            department_id=report.plan.department_id,
        )  # fmt: skip
    except Exception:
        for name in (report.docx.name, report.pdf.name):
            if name and name not in old:
                storage.delete(name)
        raise

    def delete_old() -> None:
        for name in old:
            storage.delete(name)

    transaction.on_commit(delete_old)
    return report
