"""Staff pages of the plan's reports: the list, the quarterly report and the five-year review (the
figures as they will be printed, the texts the officer writes, the draft generated), their Excel
exports, the reconciliation of historic figures, and the records behind every figure printed.

The officer (planning.change_planreport) writes the texts and generates the draft; the leader
(planning.view_planreport) reads the pages and downloads the draft. Another department's plan or
report is a 404 (the plan is fetched through the user's jurisdiction).
"""

import base64
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from opendost.documents.views import CONTENT_TYPES, content_disposition
from opendost.planning import indicators, report_rendering, reports, review, selectors
from opendost.planning.models import PlanReport, PlanReportKind
from opendost.subjects.services import export_record


class ReportForm(forms.ModelForm):
    class Meta:
        model = PlanReport
        fields = list(reports.TEXT_FIELDS)
        widgets = {
            "general_situation": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
            "proposals": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "general_situation": gettext_lazy("Printed after the figures' summary; one paragraph per line."),
            "next_steps": gettext_lazy("The plan asks each quarterly report for the solutions of the next quarter."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


# PERIODS -----------------------------------------------------------------------------------------
def _quarter_or_404(plan, year: int, quarter: int) -> None:
    if not reports.quarter_is_open(plan, year, quarter):
        raise Http404


def _review_or_404(plan, year_from: int, year_to: int) -> None:
    if (year_from, year_to) not in review.review_periods(plan):
        raise Http404


def _png_uri(picture) -> str:
    return "data:image/png;base64," + base64.b64encode(picture.png).decode() if picture else ""


# LIST --------------------------------------------------------------------------------------------
@require_GET
@permission_required("planning.view_planreport", raise_exception=True)
def report_list(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    prepared = list(reports.reports_of(plan))
    by_period = {(r.kind, r.year_from, r.year_to, r.quarter): r for r in prepared}
    with_figures = review.historic_periods(plan)
    context = {
        "plan": plan,
        "reports": prepared,
        "quarters": [
            (y, q, by_period.get((PlanReportKind.QUARTERLY, y, y, q))) for y, q in reports.open_quarters(plan)
        ],
        "periods": [
            (y1, y2, by_period.get((PlanReportKind.REVIEW, y1, y2, None)), (y1, y2) in with_figures)
            for y1, y2 in review.review_periods(plan)
        ],
        "can_prepare": reports.can_prepare(request.user, plan),
    }
    return render(request, "planning/reports/report_list.html", context)


# THE REPORT PAGES --------------------------------------------------------------------------------
def _report_page(request, plan, *, kind: str, year_from: int, year_to: int, quarter: int | None):
    """GET: the figures, the texts and the draft. POST (officer): save the texts, and with
    `generate`, generate the draft from them."""
    report = reports.report_find(plan, kind=kind, year_from=year_from, year_to=year_to, quarter=quarter)
    may_prepare = reports.can_prepare(request.user, plan)
    if request.method == "POST":
        if not may_prepare:
            raise PermissionDenied
        form = ReportForm(request.POST, instance=report)
        if form.is_valid():
            texts = {name: form.cleaned_data[name] for name in reports.TEXT_FIELDS}
            try:
                report = reports.report_save(
                    actor=request.user, plan=plan, kind=kind, year_from=year_from, year_to=year_to, quarter=quarter,
                    **texts,
                )  # fmt: skip
                if "generate" in request.POST:
                    reports.report_generate(actor=request.user, report=report)
                    messages.success(request, _("The draft is generated: download it, edit it and have it signed."))
                else:
                    messages.success(request, _("The texts are saved."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect(request.path)
        messages.error(request, _("The texts were not saved: check the fields."))
    else:
        initial = reports.default_texts(plan, timezone.localdate()) if report is None else None
        form = ReportForm(instance=report, initial=initial)
    return {"plan": plan, "report": report, "form": form, "can_prepare": may_prepare}


@require_http_methods(["GET", "POST"])
@permission_required("planning.view_planreport", raise_exception=True)
def quarterly_report(request: HttpRequest, public_id, year: int, quarter: int) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    _quarter_or_404(plan, year, quarter)
    page = _report_page(request, plan, kind=PlanReportKind.QUARTERLY, year_from=year, year_to=year, quarter=quarter)
    if isinstance(page, HttpResponse):
        return page
    figures = reports.quarterly_figures(plan, year=year, quarter=quarter)
    page.update(
        figures=figures,
        year=year,
        quarter=quarter,
        chart_uri=_png_uri(reports.quarterly_chart(figures)),
        recipient=reports.planning_department(plan, timezone.localdate()),
        excel_url=reverse("planning:quarterly_report_excel", args=[plan.public_id, year, quarter]),
    )
    return render(request, "planning/reports/quarterly.html", page)


@require_http_methods(["GET", "POST"])
@permission_required("planning.view_planreport", raise_exception=True)
def review_report(request: HttpRequest, public_id, year_from: int, year_to: int) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    _review_or_404(plan, year_from, year_to)
    page = _report_page(request, plan, kind=PlanReportKind.REVIEW, year_from=year_from, year_to=year_to, quarter=None)
    if isinstance(page, HttpResponse):
        return page
    figures = review.review_figures(plan, year_from=year_from, year_to=year_to)
    page.update(
        figures=figures,
        year_from=year_from,
        year_to=year_to,
        chart_uri=_png_uri(review.review_chart(figures)),
        excel_url=reverse("planning:review_report_excel", args=[plan.public_id, year_from, year_to]),
    )
    return render(request, "planning/reports/review.html", page)


# EXCEL AND DOWNLOADS -----------------------------------------------------------------------------
def _excel(request, plan, draft, *, filename: str) -> FileResponse:
    export_record(
        actor=request.user, kind="planning.PlanReport", file_type="xlsx", filters=filename, rows=len(draft.tables)
    )
    return report_rendering.tables_xlsx_response(draft.tables, filename=filename, heading=draft.document.title)


@require_GET
@permission_required("planning.export_plan", raise_exception=True)
def quarterly_report_excel(request: HttpRequest, public_id, year: int, quarter: int) -> FileResponse:
    """Every table of the report, from the live figures (the draft's own tables: its download)."""
    plan = selectors.plan_get_for(request.user, public_id)
    _quarter_or_404(plan, year, quarter)
    kind = PlanReportKind.QUARTERLY
    report = reports.report_or_blank(plan, kind=kind, year_from=year, year_to=year, quarter=quarter)
    draft = reports.build_draft(report, on=timezone.localdate())
    return _excel(request, plan, draft, filename=f"bao-cao-quy-{quarter}-{year}.xlsx")


@require_GET
@permission_required("planning.export_plan", raise_exception=True)
def review_report_excel(request: HttpRequest, public_id, year_from: int, year_to: int) -> FileResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    _review_or_404(plan, year_from, year_to)
    report = reports.report_or_blank(plan, kind=PlanReportKind.REVIEW, year_from=year_from, year_to=year_to)
    draft = reports.build_draft(report, on=timezone.localdate())
    return _excel(request, plan, draft, filename=f"bao-cao-tong-ket-{year_from}-{year_to}.xlsx")


@require_GET
@permission_required("planning.view_planreport", raise_exception=True)
def report_download(request: HttpRequest, public_id, extension: str) -> FileResponse:
    """The draft last generated: .docx, PDF, or its tables in Excel (the snapshot it printed)."""
    report = reports.report_get_for(request.user, public_id)
    if extension not in ("docx", "pdf", "xlsx") or not report.is_generated:
        raise Http404
    name = reports.file_name(report, extension)
    if extension == "xlsx":
        response = report_rendering.tables_xlsx_response(
            reports.stored_tables(report), filename=name, heading=report.content.get("document", {}).get("title", "")
        )
        response["Content-Disposition"] = content_disposition(name)
        return response
    field = report.docx if extension == "docx" else report.pdf
    if not field.name or not field.storage.exists(field.name):
        raise Http404
    response = FileResponse(field.open("rb"), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# RECONCILIATION AND RECORDS ----------------------------------------------------------------------
@require_GET
@permission_required("planning.view_historicfigure", raise_exception=True)
def reconciliation(request: HttpRequest, public_id, year_from: int, year_to: int) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    rows = review.reconciliation(plan, year_from=year_from, year_to=year_to)
    if not rows:
        raise Http404
    context = {
        "plan": plan,
        "rows": rows,
        "year_from": year_from,
        "year_to": year_to,
        "differing": sum(1 for r in rows if r.value is not None and not r.agrees),
        "unconfirmed": sum(1 for r in rows if r.value is None),
    }
    return render(request, "planning/reports/reconciliation.html", context)


@require_GET
@permission_required("planning.view_historicfigure", raise_exception=True)
def historic_figure_records(request: HttpRequest, public_id, year_from: int, year_to: int, key: str) -> HttpResponse:
    plan = selectors.plan_get_for(request.user, public_id)
    figure, value, records = review.historic_figure_records(plan, year_from=year_from, year_to=year_to, key=key)
    indicator = indicators.get(figure.indicator_key)
    context = {
        "plan": plan,
        "title": figure.label,
        "indicator": indicator,
        "number": value.number,
        "unit": indicator.unit if indicator else "",
        "span": f"{year_from}–{year_to}",
        "records": records,
        "back": reverse("planning:reconciliation", args=[plan.public_id, year_from, year_to]),
    }
    return render(request, "planning/reports/records.html", context)


def _quarter_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value in {"1", "2", "3", "4"} else None


@require_GET
@permission_required("planning.view_plan", raise_exception=True)
def report_records(request: HttpRequest, public_id, year_from: int, year_to: int) -> HttpResponse:
    """The records behind a figure of a report: a target's figure over `year_from`–`year_to`, or one
    quarter of `year_to` (`?quarter=`), or up to the end of a quarter of `year_to` (`?to_quarter=`)."""
    target = selectors.target_get_for(request.user, public_id)
    plan = target.plan
    if target.is_manual or not (1900 < year_from <= year_to < 3000):
        raise Http404
    department_ids = selectors.department_ids_of(plan)
    quarter, to_quarter = _quarter_param(request, "quarter"), _quarter_param(request, "to_quarter")
    if quarter:
        if year_from != year_to:
            raise Http404
        value = reports.target_in_quarter(
            target, department_ids=department_ids, year=year_to, quarter=quarter, ids=True
        )
        span = _("Quarter %(quarter)s of %(year)s") % {"quarter": quarter, "year": year_to}
    elif to_quarter:
        value = reports.target_between(
            target, department_ids=department_ids, year_from=year_from, year=year_to, quarter=to_quarter, ids=True
        )
        end = indicators.period_dates(year_to, year_to, to_quarter)[1]
        span = f"{dt.date(year_from, 1, 1):%d/%m/%Y}–{end:%d/%m/%Y}"
    else:
        value = selectors.target_value(target, department_ids=department_ids, year_from=year_from, year_to=year_to)
        span = str(year_from) if year_from == year_to else f"{year_from}–{year_to}"
    renderer = indicators.RECORDS.get(value.records)
    context = {
        "plan": plan,
        "title": target.title,
        "indicator": indicators.get(target.indicator_key),
        "number": selectors.display_number(target, value.number),
        "unit": target.unit,
        "note": value.note,
        "span": span,
        "records": renderer(value.record_ids) if renderer else [],
        "back": reverse("planning:target_detail", args=[target.public_id]),
    }
    return render(request, "planning/reports/records.html", context)
