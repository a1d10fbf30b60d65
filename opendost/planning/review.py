"""The five-year review (báo cáo tổng kết) and the reconciliation of historic figures.

THE REVIEW of a period shows every target's figure year by year and for the whole period, from the
records (a flow is counted over the period, a state read on its last day, a rate taken over the
period; `selectors.target_value`). For the plan's own period the target, the share reached and the
status (on the period's last day, or today while it runs) follow; for an earlier period (the
baseline, e.g. 2016-2020 for the 2021-2025 plan) the baseline the plan states and the difference.

THE RECONCILIATION sets each figure an imported report states (`HistoricFigure`: the 2016-2020
results in part one of the 2021-2025 plan) against what the records give, rounded as the figure was
stated: the indicator over the figure's years (times its scale), or, for a rate stated with its
parts ("23 of 216 establishments, 10.7%"), the parts: from the records when both are computable,
otherwise from the figures stated for them. The difference is stated minus records. A figure no
register of this system computes says so: the records cannot confirm it.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.planning import charts, indicators, progress, selectors
from opendost.planning.enums import TargetArea
from opendost.planning.models import HistoricFigure, Plan, PlanReport, Target
from opendost.planning.permissions import can
from opendost.planning.reports import (
    AREA_VI,
    CHART_LEGEND,
    STATUS_VI,
    Body,
    Column,
    Draft,
    Row,
    Table,
    budget_rows,
    chart_of,
    document_frame,
    rule_text_vi,
    status_sentence,
    vi_number,
)

HUNDRED = Decimal(100)

# SEED: the 2016-2020 results as part one of the 2021-2025 plan states them (seed/facts.yaml) ------
SOURCE = "Kế hoạch phát triển KT-XH 5 năm 2021-2025 của Sở KH&CN tỉnh Bắc Giang (tháng 7/2020), Phần thứ nhất"
BILLION = Decimal("0.001")  # million VND (the indicators) to billion (tỷ đồng, as stated)

# key, label, value, decimals, unit, where, indicator, scale, numerator, denominator
FIGURES_2016_2020 = [
    ("policy-documents", "Văn bản quy định về cơ chế, chính sách tham mưu ban hành", "34", 0, "văn bản",
     "A.I.1 (Phụ lục I)", "", 1, "", ""),
    ("implementation-plans", "Kế hoạch tổ chức thực hiện nghị quyết, chỉ thị của Tỉnh ủy, UBND tỉnh", "25", 0,
     "kế hoạch", "A.I.1 (Phụ lục II)", "", 1, "", ""),
    ("tasks", "Đề tài, dự án KH&CN cấp tỉnh và cấp quốc gia triển khai thực hiện", "74", 0, "đề tài, dự án",
     "A.I.2", "tasks_started", 1, "", ""),
    ("tasks-provincial", "Đề tài, dự án KH&CN cấp tỉnh", "61", 0, "đề tài, dự án", "A.I.2", "tasks_provincial", 1,
     "", ""),
    ("tasks-national", "Đề tài, dự án KH&CN cấp quốc gia", "13", 0, "đề tài, dự án", "A.I.2", "tasks_national", 1,
     "", ""),
    ("funding-total", "Tổng kinh phí thực hiện các đề tài, dự án KH&CN", "222.5", 1, "tỷ đồng", "A.I.2",
     "funding_total", BILLION, "", ""),
    ("funding-central", "Kinh phí sự nghiệp KH&CN trung ương", "49.5", 1, "tỷ đồng", "A.I.2", "funding_central",
     BILLION, "", ""),
    ("funding-provincial", "Kinh phí sự nghiệp KH&CN tỉnh", "100.2", 1, "tỷ đồng", "A.I.2", "funding_provincial",
     BILLION, "", ""),
    ("funding-counterpart", "Kinh phí đối ứng của người dân và doanh nghiệp", "72.8", 1, "tỷ đồng", "A.I.2",
     "funding_counterpart", BILLION, "", ""),
    ("results-registered", "Kết quả đề tài, dự án KH&CN đã nghiệm thu được tiếp nhận, lưu giữ", "186", 0, "kết quả",
     "A.I.8.5", "results_registered", 1, "", ""),
    ("certificates", "Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ KH&CN", "90", 0, "giấy chứng nhận",
     "A.I.8.5", "certificates_issued", 1, "", ""),
    ("patents", "Bằng độc quyền sáng chế được cấp", "2", 0, "bằng", "A.I.3", "", 1, "", ""),
    ("utility-solutions", "Bằng độc quyền giải pháp hữu ích được cấp", "6", 0, "bằng", "A.I.3", "", 1, "", ""),
    ("industrial-designs", "Bằng độc quyền kiểu dáng công nghiệp được cấp", "52", 0, "bằng", "A.I.3", "", 1, "", ""),
    ("geographical-indications", "Chỉ dẫn địa lý được bảo hộ", "2", 0, "chỉ dẫn địa lý", "A.I.3", "", 1, "", ""),
    ("certification-marks", "Nhãn hiệu chứng nhận được bảo hộ", "2", 0, "nhãn hiệu", "A.I.3", "", 1, "", ""),
    ("collective-marks", "Nhãn hiệu tập thể được bảo hộ", "15", 0, "nhãn hiệu", "A.I.3", "", 1, "", ""),
    ("initiatives-submitted", "Sáng kiến cấp cơ sở đề nghị công nhận", "9720", 0, "sáng kiến", "A.I.4", "", 1, "",
     ""),
    ("initiatives-recognised", "Sáng kiến được công nhận cấp cơ sở", "8504", 0, "sáng kiến", "A.I.4", "", 1, "",
     ""),
    ("xray-facilities", "Cơ sở sử dụng thiết bị X-quang chẩn đoán y tế", "53", 0, "cơ sở", "A.I.5",
     "xray_facilities", 1, "", ""),
    ("xray-devices", "Thiết bị X-quang chẩn đoán y tế", "97", 0, "thiết bị", "A.I.5", "xray_devices", 1, "", ""),
    ("xray-devices-licensed", "Tỷ lệ thiết bị X-quang được cấp phép", "100", 0, "%", "A.I.5", "", 1, "", ""),
    ("projects-appraised", "Dự án đầu tư được thẩm định công nghệ", "56", 0, "dự án", "A.I.6", "", 1, "", ""),
    ("enterprises-surveyed", "Doanh nghiệp được điều tra, khảo sát trình độ công nghệ", "230", 0, "doanh nghiệp",
     "A.I.6", "", 1, "", ""),
    ("iso-agencies", "Cơ quan hành chính áp dụng hệ thống quản lý chất lượng TCVN ISO 9001", "258", 0, "cơ quan",
     "A.I.7", "", 1, "", ""),
    ("conformity-standard", "Hồ sơ công bố hợp chuẩn được tiếp nhận", "73", 0, "hồ sơ", "A.I.7", "", 1, "", ""),
    ("conformity-regulation", "Hồ sơ công bố hợp quy được tiếp nhận", "8", 0, "hồ sơ", "A.I.7", "", 1, "", ""),
    ("import-quality", "Thông báo kết quả kiểm tra chất lượng hàng hóa nhập khẩu", "90", 0, "thông báo", "A.I.7", "",
     1, "", ""),
    ("instruments-verified", "Phương tiện đo được kiểm định", "98286", 0, "phương tiện", "A.I.7", "", 1, "", ""),
    ("lab-samples", "Mẫu thử nghiệm trả kết quả cho khách hàng", "4465", 0, "mẫu", "A.I.8.6", "", 1, "", ""),
    ("administrative-inspections", "Cuộc thanh tra hành chính", "2", 0, "cuộc", "III.1", "", 1, "", ""),
    ("specialised-inspections", "Cuộc thanh tra chuyên ngành", "19", 0, "cuộc", "III.2.1", "", 1, "", ""),
    ("inspected", "Cơ sở được thanh tra chuyên ngành", "216", 0, "cơ sở", "III.2.1", "", 1, "", ""),
    ("violators", "Cơ sở có vi phạm", "23", 0, "cơ sở", "III.2.2.1", "", 1, "", ""),
    ("violation-rate", "Tỷ lệ cơ sở có vi phạm trên số cơ sở được thanh tra", "10.7", 1, "%", "III.2.2.1", "", 1,
     "violators", "inspected"),
    ("sanction-decisions", "Quyết định xử phạt vi phạm hành chính", "23", 0, "quyết định", "III.2.2.2", "", 1, "",
     ""),
    ("fines", "Tiền xử phạt vi phạm hành chính", "95", 0, "triệu đồng", "III.2.2.2", "", 1, "", ""),
]  # fmt: skip


@transaction.atomic
def historic_figure_create(*, actor, plan: Plan, year_from: int, year_to: int, key: str, **data) -> HistoricFigure:
    if actor is not None and not can(actor, "planning.add_historicfigure", plan.department_id):
        raise PermissionDenied
    indicator_key = data.get("indicator_key") or ""
    if indicator_key and indicators.get(indicator_key) is None:
        raise ValidationError({"indicator_key": _("No indicator is defined under this key.")})
    figure = HistoricFigure(plan=plan, year_from=year_from, year_to=year_to, key=key, **data)
    figure.full_clean()
    figure.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=figure, after=model_snapshot(figure),
        department_id=plan.department_id,
    )  # fmt: skip
    return figure


@transaction.atomic
def historic_figures_load(*, plan: Plan, actor=None, year_from: int = 2016, year_to: int = 2020) -> int:
    """Load the seed's 2016-2020 figures for `plan` (once: figures already there are left alone)."""
    existing = set(
        HistoricFigure.objects.filter(plan=plan, year_from=year_from, year_to=year_to).values_list("key", flat=True)
    )
    made = 0
    for position, row in enumerate(FIGURES_2016_2020):
        key, label, value, decimals, unit, where, indicator_key, scale, numerator, denominator = row
        if key in existing:
            continue
        historic_figure_create(
            actor=actor, plan=plan, year_from=year_from, year_to=year_to, key=key, label=label,
            stated_value=Decimal(value), decimals=decimals, unit=unit, source_text=f"{SOURCE}, mục {where}",
            indicator_key=indicator_key, scale=Decimal(scale), numerator_key=numerator, denominator_key=denominator,
            position=position,
        )  # fmt: skip
        made += 1
    return made


# RECONCILIATION ----------------------------------------------------------------------------------
FROM_RECORDS, FROM_RECORD_PARTS, FROM_STATED_PARTS, NO_SOURCE = "records", "record_parts", "stated_parts", "none"


@dataclass(frozen=True)
class Reconciled:
    figure: HistoricFigure
    how: str
    exact: Decimal | None  # what the records (or the parts) give, unrounded, in the stated unit
    parts: tuple[Decimal, Decimal] | None = None

    @property
    def value(self) -> Decimal | None:
        """Rounded as the figure was stated."""
        if self.exact is None:
            return None
        return self.exact.quantize(Decimal(1).scaleb(-self.figure.decimals), rounding=ROUND_HALF_UP)

    @property
    def difference(self) -> Decimal | None:
        """Stated minus records."""
        if self.value is None:
            return None
        return self.figure.stated_value.quantize(Decimal(1).scaleb(-self.figure.decimals)) - self.value

    @property
    def agrees(self) -> bool:
        return self.difference == 0

    @property
    def indicator_name(self) -> str:
        indicator = indicators.get(self.figure.indicator_key) if self.figure.indicator_key else None
        return str(indicator.name) if indicator else self.figure.indicator_key

    @property
    def how_vi(self) -> str:
        f = self.figure
        if self.how == FROM_RECORDS:
            indicator = indicators.get(f.indicator_key)
            return f"Tính từ cơ sở dữ liệu: {indicator.name}" if indicator else "Tính từ cơ sở dữ liệu"
        if self.how in (FROM_RECORD_PARTS, FROM_STATED_PARTS):
            numerator, denominator = self.parts
            where = "số liệu trong cơ sở dữ liệu" if self.how == FROM_RECORD_PARTS else "các số đã nêu"
            return f"Tính từ {vi_number(numerator)}/{vi_number(denominator)} ({where})"
        return "Không có nguồn trong cơ sở dữ liệu để đối chiếu"


def _from_records(figure: HistoricFigure, department_ids) -> Decimal | None:
    indicator = indicators.get(figure.indicator_key) if figure.indicator_key else None
    if indicator is None:
        return None
    kwargs = {"ids": False} if getattr(indicator, "basis", None) is not None else {}
    value = indicator.compute(
        department_ids=department_ids, year_from=figure.year_from, year_to=figure.year_to, **kwargs
    )
    return None if value.number is None else Decimal(value.number) * figure.scale


def reconcile(figures: list[HistoricFigure], department_ids) -> list[Reconciled]:
    by_key = {f.key: f for f in figures}
    computed = {f.key: _from_records(f, department_ids) for f in figures if f.indicator_key}
    out = []
    for figure in figures:
        if figure.numerator_key:
            numerator, denominator = by_key.get(figure.numerator_key), by_key.get(figure.denominator_key)
            if numerator is None or denominator is None:
                out.append(Reconciled(figure, NO_SOURCE, None))
                continue
            from_records = computed.get(numerator.key), computed.get(denominator.key)
            if None not in from_records and from_records[1]:
                parts, how = from_records, FROM_RECORD_PARTS
            else:
                parts, how = (numerator.stated_value, denominator.stated_value), FROM_STATED_PARTS
            exact = parts[0] / parts[1] * HUNDRED if parts[1] else None
            out.append(Reconciled(figure, how, exact, parts))
        elif figure.indicator_key:
            value = computed.get(figure.key)
            out.append(Reconciled(figure, FROM_RECORDS if value is not None else NO_SOURCE, value))
        else:
            out.append(Reconciled(figure, NO_SOURCE, None))
    return out


def reconciliation(plan: Plan, *, year_from: int, year_to: int) -> list[Reconciled]:
    figures = list(
        HistoricFigure.objects.filter(plan=plan, year_from=year_from, year_to=year_to)
        .select_related("plan")
        .order_by("position", "pk")
    )
    return reconcile(figures, selectors.department_ids_of(plan))


def historic_figure_records(plan: Plan, *, year_from: int, year_to: int, key: str):
    """(figure, value with its record ids, records) behind a figure computed from the records."""
    try:
        figure = HistoricFigure.objects.get(plan=plan, year_from=year_from, year_to=year_to, key=key)
    except HistoricFigure.DoesNotExist as exc:
        raise Http404 from exc
    indicator = indicators.get(figure.indicator_key) if figure.indicator_key else None
    if indicator is None:
        raise Http404
    value = indicator.compute(department_ids=selectors.department_ids_of(plan), year_from=year_from, year_to=year_to)
    renderer = indicators.RECORDS.get(value.records)
    return figure, value, renderer(value.record_ids) if renderer else []


def reconciliation_table(rows: list[Reconciled], *, key: str = "reconciliation") -> Table:
    columns = (
        Column("STT", 10),
        Column("Số liệu", 43),
        Column("Đơn vị tính", 17),
        Column("Số đã báo cáo", 19, True),
        Column("Số từ cơ sở dữ liệu", 19, True),
        Column("Chênh lệch", 16, True),
        Column("Cách tính, nguồn", 41),
    )
    out = [
        Row(
            (
                str(n),
                r.figure.label,
                r.figure.unit,
                r.figure.stated_value.quantize(Decimal(1).scaleb(-r.figure.decimals)),
                r.value,
                r.difference,
                r.how_vi,
            )
        )
        for n, r in enumerate(rows, start=1)
    ]
    return Table(key, "Đối chiếu số liệu đã báo cáo với cơ sở dữ liệu", columns, tuple(out))


# THE REVIEW --------------------------------------------------------------------------------------
def historic_periods(plan: Plan) -> set[tuple[int, int]]:
    return set(HistoricFigure.objects.filter(plan=plan).values_list("year_from", "year_to").distinct())


def review_periods(plan: Plan) -> list[tuple[int, int]]:
    """The plan's period and every period with imported figures (its baseline)."""
    return sorted({(plan.start_year, plan.end_year)} | historic_periods(plan), reverse=True)


def is_plan_period(plan: Plan, year_from: int, year_to: int) -> bool:
    return (year_from, year_to) == (plan.start_year, plan.end_year)


@dataclass(frozen=True)
class ReviewRow:
    target: Target
    years: tuple[Decimal | None, ...]
    period: Decimal | None
    compare: Decimal | None  # the target (plan period) or the baseline stated (earlier period)
    progress: progress.Progress | None  # plan period only

    @property
    def difference(self) -> Decimal | None:
        """Baseline stated minus records (earlier period)."""
        if self.progress is not None or self.compare is None or self.period is None:
            return None
        return self.compare - self.period

    @property
    def percent(self) -> Decimal | None:
        """The share of the target reached (plan period), or the records as a share of the stated baseline."""
        if self.progress is not None:
            return self.progress.percent
        return progress.percent_of(self.period, self.compare)

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else ""


@dataclass(frozen=True)
class Review:
    plan: Plan
    year_from: int
    year_to: int
    as_of: dt.date
    groups: list  # [(area, [ReviewRow])]
    reconciled: list[Reconciled]

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    @property
    def rows(self) -> list[ReviewRow]:
        return [row for _area, rows in self.groups for row in rows]

    @property
    def is_plan_period(self) -> bool:
        return is_plan_period(self.plan, self.year_from, self.year_to)


def _value(target: Target, department_ids, year_from: int, year_to: int):
    return selectors.target_value(
        target, department_ids=department_ids, year_from=year_from, year_to=year_to, ids=False
    )


def review_figures(plan: Plan, *, year_from: int, year_to: int) -> Review:
    own = is_plan_period(plan, year_from, year_to)
    as_of = min(dt.date(year_to, 12, 31), timezone.localdate())
    share = progress.elapsed_share(plan.start_year, plan.end_year, as_of)
    department_ids = selectors.department_ids_of(plan)
    label = f"{year_from}-{year_to}"
    by_area: dict[str, list[ReviewRow]] = {}
    for target in plan.targets.all():
        if not own and target.is_manual:
            continue  # typed-in values exist for the plan's years only
        years = tuple(
            selectors.display_number(target, _value(target, department_ids, y, y).number)
            for y in range(year_from, year_to + 1)
        )
        whole = _value(target, department_ids, year_from, year_to)
        period = selectors.display_number(target, whole.number)
        if own:
            row = ReviewRow(
                target, years, period, target.target_value, selectors.target_progress(target, whole, share=share)
            )
        else:
            baseline = target.baseline_value if target.baseline_label == label else None
            row = ReviewRow(target, years, period, baseline, None)
        by_area.setdefault(target.area, []).append(row)
    groups = [(area, by_area[area]) for area in TargetArea.values if area in by_area]
    return Review(
        plan=plan,
        year_from=year_from,
        year_to=year_to,
        as_of=as_of,
        groups=groups,
        reconciled=reconciliation(plan, year_from=year_from, year_to=year_to),
    )


def review_target_table(key: str, title: str, rows: list[ReviewRow], *, review: Review) -> Table:
    year_width = 11 if len(review.years) <= 5 else 9
    fixed = [Column("STT", 10), Column("Đơn vị tính", 14)]
    years = [Column(str(y), year_width, True) for y in review.years]
    whole = Column("Cả giai đoạn", 15, True)
    if review.is_plan_period:
        tail = [Column("Mục tiêu", 14, True), Column("Tỷ lệ đạt (%)", 12, True), Column("Đánh giá", 16)]
    else:
        tail = [Column("Số đã báo cáo", 15, True), Column("Chênh lệch", 14, True)]
    used = sum(c.width_mm for c in [*fixed, *years, whole, *tail])
    columns = (fixed[0], Column("Chỉ tiêu", 165 - used), fixed[1], *years, whole, *tail)
    out = []
    for n, row in enumerate(rows, start=1):
        if review.is_plan_period:
            extra = (row.compare, row.percent, STATUS_VI.get(row.status, row.status))
        else:
            extra = (row.compare, row.difference)
        out.append(Row((str(n), row.target.title, row.target.unit, *row.years, row.period, *extra)))
    return Table(key, title, columns, tuple(out))


def review_budget_table(plan: Plan) -> Table:
    rows, _table = budget_rows(plan, year=plan.end_year)
    columns = (
        Column("Nội dung", 55),
        Column("Kế hoạch giai đoạn", 23, True),
        Column("Phân bổ", 22, True),
        Column("Cam kết", 22, True),
        Column("Giải ngân", 22, True),
        Column("Tỷ lệ giải ngân (%)", 21, True),
    )
    out = [
        Row(
            (
                ("    " * row.depth) + row.line.title,
                row.line.amount_million,
                row.period.allocated,
                row.period.committed,
                row.period.disbursed,
                row.period.disbursed_percent,
            ),
            bold=row.depth == 0,
        )
        for row in rows
    ]
    return Table("budget", "Kinh phí thực hiện Kế hoạch cả giai đoạn (triệu đồng)", columns, tuple(out))


def review_title(plan: Plan, year_from: int, year_to: int) -> str:
    if is_plan_period(plan, year_from, year_to):
        return f"Tổng kết tình hình thực hiện {plan.title}"
    return f"Tổng kết tình hình thực hiện nhiệm vụ khoa học và công nghệ giai đoạn {year_from} - {year_to}"


def review_chart(review: Review):
    if review.is_plan_period:
        title = f"Tỷ lệ đạt so với mục tiêu giai đoạn {review.year_from} - {review.year_to}"
    else:
        title = f"Số liệu từ cơ sở dữ liệu so với số đã báo cáo, giai đoạn {review.year_from} - {review.year_to}"

    bars = [charts.Bar(row.target.title, row.percent, row.status) for row in review.rows]
    return chart_of(bars, title=title, legend=CHART_LEGEND if review.is_plan_period else [])


def review_draft(report: PlanReport, *, on: dt.date, figures: Review | None = None) -> Draft:
    plan, year_from, year_to = report.plan, report.year_from, report.year_to
    review = figures or review_figures(plan, year_from=year_from, year_to=year_to)
    body = Body()
    basis = f" ({plan.document_ref})" if plan.document_ref else ""
    body.text(
        f"Thực hiện {plan.title}{basis}, Sở Khoa học và Công nghệ báo cáo tổng kết tình hình thực hiện giai đoạn "
        f"{year_from} - {year_to} như sau:"
    )
    body.heading("ĐÁNH GIÁ CHUNG")
    sentence = f"Số liệu của báo cáo được tổng hợp từ cơ sở dữ liệu của Sở cho các năm {year_from} - {year_to}"
    if review.as_of < dt.date(year_to, 12, 31):
        sentence += f", đến ngày {review.as_of:%d/%m/%Y}"
    sentence += "."
    if review.is_plan_period:
        counts: dict[str, int] = {}
        for row in review.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        sentence += " " + status_sentence(counts, sum(1 for r in review.rows if r.compare is not None))
    body.text(sentence)
    body.free_text(report.general_situation, "")
    body.heading("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    if review.is_plan_period:
        body.text(rule_text_vi())
    else:
        body.text(
            "Số liệu từng năm và cả giai đoạn được tính từ cơ sở dữ liệu; cột “Số đã báo cáo” là số liệu giai đoạn "
            f"{year_from} - {year_to} nêu trong {plan.title}; chênh lệch bằng số đã báo cáo trừ số từ cơ sở dữ liệu."
        )
    for number, (area, rows) in enumerate(review.groups, start=1):
        label = AREA_VI.get(area, area)
        body.text(label, lead=f"{number}.")
        body.insert(
            review_target_table(f"targets-{area.replace('_', '-')}", f"Bảng {number}. {label}", rows, review=review)
        )
    chart = review_chart(review)
    if chart:
        body.insert(chart)
    if review.is_plan_period:
        body.heading("KINH PHÍ")
        body.insert(review_budget_table(plan))
    if review.reconciled:
        body.heading("ĐỐI CHIẾU SỐ LIỆU")
        differing = [r for r in review.reconciled if r.value is not None and not r.agrees]
        unconfirmed = [r for r in review.reconciled if r.value is None]
        body.text(
            f"Đối chiếu {len(review.reconciled)} số liệu đã báo cáo cho giai đoạn {year_from} - {year_to} với cơ sở "
            f"dữ liệu: {len(review.reconciled) - len(differing) - len(unconfirmed)} số liệu khớp, "
            f"{len(differing)} số liệu có chênh lệch, {len(unconfirmed)} số liệu chưa có nguồn trong cơ sở dữ liệu "
            "để đối chiếu."
        )
        body.insert(reconciliation_table(review.reconciled))
    body.heading("HẠN CHẾ, KHÓ KHĂN VÀ NGUYÊN NHÂN")
    body.free_text(report.difficulties, "Không có.")
    body.heading("PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN TỚI")
    body.free_text(report.next_steps, "Tiếp tục triển khai các nhiệm vụ theo kế hoạch giai đoạn tới.")
    body.heading("ĐỀ XUẤT, KIẾN NGHỊ")
    body.free_text(report.proposals, "Không có.")
    body.text(f"Trên đây là báo cáo tổng kết giai đoạn {year_from} - {year_to} của Sở Khoa học và Công nghệ./.")
    return body.draft(**document_frame(report, on=on, title=review_title(plan, year_from, year_to)))
