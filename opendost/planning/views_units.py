"""A target's figure by administrative unit (old or new map), its drill-down and its Excel export."""

from dataclasses import dataclass

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from opendost.common.excel import Column, xlsx_response
from opendost.geography.enums import CodeSet
from opendost.planning import indicators, selectors, units
from opendost.subjects.services import export_record

RECORDS_SHOWN = 500


@dataclass(frozen=True)
class Query:
    """The page's choices, read from the query string (anything unknown falls back to a default)."""

    level: units.Level
    year_from: int
    year_to: int
    quarter: int | None
    single: bool

    @property
    def period(self):
        return units.period_of(self.year_from, self.year_to, self.quarter)

    def querystring(self) -> str:
        parts = [f"level={self.level.key}", f"year={self.year_to}"]
        if self.single:
            parts.append("single=1")
        if self.quarter:
            parts.append(f"quarter={self.quarter}")
        return "&".join(parts)


def _query(request: HttpRequest, plan, indicator) -> Query:
    default = indicator.per_unit.level if indicator.per_unit else units.DEFAULT_LEVEL
    if plan.start_year > 2025 and not indicator.per_unit:
        default = "2025-commune"
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = max(plan.start_year, min(year, plan.end_year))
    quarter = request.GET.get("quarter")
    quarter = int(quarter) if quarter in {"1", "2", "3", "4"} and indicator.quarterly else None
    single = bool(request.GET.get("single")) or quarter is not None
    return Query(
        level=units.level_of(request.GET.get("level"), default),
        year_from=year if single else plan.start_year,
        year_to=year,
        quarter=quarter,
        single=single,
    )


def _counted(target):
    """The target's indicator and the one broken down (a minimum per unit breaks down what it counts)."""
    indicator = None if target.is_manual else indicators.get(target.indicator_key)
    if indicator is None:
        return None, None
    counted = indicators.get(indicator.per_unit.of) if indicator.per_unit else indicator
    return indicator, (counted if counted is not None and counted.basis is not None else None)


def _board(request, target):
    plan = target.plan
    indicator, counted = _counted(target)
    if counted is None:
        return plan, indicator, None, None
    query = _query(request, plan, indicator)
    board = units.breakdown(
        counted, department_ids=selectors.department_ids_of(plan), level=query.level, period=query.period
    )
    return plan, indicator, query, board


def _minimum(target, indicator):
    """The per-unit minimum a target asks (at least N per district), or None."""
    return target.target_value if indicator is not None and indicator.per_unit else None


def _level_choices():
    old = [(lv.key, lv.label) for lv in units.LEVELS.values() if lv.code_set == CodeSet.PRE_2025]
    new = [(lv.key, lv.label) for lv in units.LEVELS.values() if lv.code_set == CodeSet.CURRENT]
    return [(CodeSet.PRE_2025.label, old), (CodeSet.CURRENT.label, new)]


@require_GET
@permission_required("planning.view_plan", raise_exception=True)
def target_units(request: HttpRequest, public_id) -> HttpResponse:
    target = selectors.target_get_for(request.user, public_id)
    plan, indicator, query, board = _board(request, target)
    minimum = _minimum(target, indicator)
    context = {
        "plan": plan,
        "target": target,
        "indicator": indicator,
        "query": query,
        "board": board,
        "minimum": minimum,
        "below": [r for r in board.area_rows if r.value is not None and r.value < minimum]
        if board and minimum is not None
        else [],
        "place_rule": units.PLACE_RULES.get(board.indicator.basis.records, "") if board else "",
        "levels": _level_choices(),
        "can_export": request.user.has_perm("planning.export_plan"),
        # the drill-down link of every row, but its row (one reverse() for a table of ~700 rows)
        "records_url": f"{reverse('planning:target_unit_records', args=[target.public_id])}?"
        f"{query.querystring() if query else ''}&row=",
    }
    return render(request, "planning/target_units.html", context)


@require_GET
@permission_required("planning.view_plan", raise_exception=True)
def target_unit_records(request: HttpRequest, public_id) -> HttpResponse:
    """The records counted in one row of the table: the same query, narrowed to the row's places."""
    target = selectors.target_get_for(request.user, public_id)
    plan = target.plan
    indicator, counted = _counted(target)
    key = units.RowKey.parse(request.GET.get("row", ""))
    if counted is None or key is None:
        raise Http404
    query = _query(request, plan, indicator)
    row = units.bare_row(key)
    if row is None:
        raise Http404
    ids, count = units.row_selection(
        counted, department_ids=selectors.department_ids_of(plan), level=query.level, period=query.period, key=key
    )
    renderer = indicators.RECORDS[counted.basis.records]
    context = {
        "plan": plan,
        "target": target,
        "indicator": counted,
        "query": query,
        "row": row,
        "count": count,
        "records": renderer(ids, limit=RECORDS_SHOWN),
        "shown": RECORDS_SHOWN,
    }
    return render(request, "planning/target_unit_records.html", context)


def _yes(value: bool) -> str:
    return _("yes") if value else ""


def _columns(board, minimum) -> list[Column]:
    columns = [
        Column(gettext_lazy("Code"), lambda r: r.unit.code if r.unit else "", 10),
        Column(gettext_lazy("Administrative unit"), lambda r: r.label, 36),
        Column(gettext_lazy("Lies in"), lambda r: r.lies_in, 36),
        Column(gettext_lazy("Map"), lambda r: r.unit.get_code_set_display() if r.unit else "", 28),
        Column(gettext_lazy("In the department's provinces"), lambda r: _yes(r.in_area), 12),
        Column(
            gettext_lazy("Only a higher or other unit known"), lambda r: _yes(r.unit is not None and not r.exact), 14
        ),
    ]
    if board.is_rate:
        columns += [
            Column(gettext_lazy("Finished early or on time"), lambda r: r.tally.number, 14),
            Column(gettext_lazy("Finished"), lambda r: r.tally.base, 12),
            Column(
                gettext_lazy("Share (percent)"), lambda r: None if r.value is None else round(r.value * 100, 1), 12
            ),
        ]
    else:
        columns.append(Column(board.indicator.unit, lambda r: r.value, 14))
    if minimum is not None:
        columns.append(
            Column(
                gettext_lazy("Below the minimum"),
                lambda r: _yes(r.in_area and r.value is not None and r.value < minimum),
                12,
            )
        )
    return columns


@require_GET
@permission_required("planning.export_plan", raise_exception=True)
def target_units_export(request: HttpRequest, public_id) -> HttpResponse:
    target = selectors.target_get_for(request.user, public_id)
    _plan, indicator, query, board = _board(request, target)
    if board is None:
        raise Http404
    name = _("by-unit")
    export_record(
        actor=request.user,
        kind="planning.Target",
        file_type="xlsx",
        filters=f"{target.code} {query.querystring()}",
        rows=len(board.rows),
    )
    period = f"{query.year_from}-{query.year_to}" + (f"-q{query.quarter}" if query.quarter else "")
    return xlsx_response(
        board.rows,
        _columns(board, _minimum(target, indicator)),
        filename=f"{target.code}-{name}-{query.level.key}-{period}.xlsx",
        sheet_name=str(query.level.label)[:31],
    )
