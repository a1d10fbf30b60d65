"""Reads the web pages need on top of `selectors` (choices for forms, the catalogue for staff, the
statistics chart). Read-only, like selectors."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendost.accounts.models import User
from opendost.calendars import workdays
from opendost.departments.models import Unit
from opendost.dossiers import selectors
from opendost.dossiers.enums import OPEN_STATES
from opendost.dossiers.forms import LIST_SORTS
from opendost.dossiers.models import Dossier, Procedure, ProcedureVersion


def assign_units(dossier: Dossier) -> QuerySet[Unit]:
    return Unit.objects.filter(department_id=dossier.department_id).order_by("name")


def assign_officers(dossier: Dossier) -> QuerySet[User]:
    """Active users of the dossier's department who hold the handling permission through a role."""
    return (
        User.objects.filter(
            department_id=dossier.department_id, is_active=True, groups__permissions__codename="handle_dossier"
        )
        .select_related("unit")
        .distinct()
        .order_by("full_name", "pk")
    )


def organization_choices(user):
    from opendost.subjects.models import Organization

    return Organization.objects.visible_to(user).order_by("name_folded", "pk")


def procedure_choices() -> QuerySet[Procedure]:
    return Procedure.objects.order_by("name")


def dossier_list(*, user, values: dict) -> QuerySet[Dossier]:
    """The staff list with the page's filters and its whitelisted sort (always ending on the key)."""
    qs = selectors.dossier_list(
        user=user,
        status=values.get("status") or "",
        procedure=values.get("procedure"),
        q=values.get("q") or "",
        late=bool(values.get("late")),
        mine=bool(values.get("mine")),
    )
    sort = values.get("o") or ""
    key = sort.lstrip("-")
    if key in LIST_SORTS:
        prefix = "-" if sort.startswith("-") else ""
        qs = qs.order_by(*(f"{prefix}{name}" for name in LIST_SORTS[key]), f"{prefix}pk")
    return qs


def procedure_catalogue() -> QuerySet[Procedure]:
    """Every procedure with its versions (newest first), for staff."""
    return Procedure.objects.prefetch_related(
        Prefetch("versions", queryset=ProcedureVersion.objects.order_by("-number"))
    ).order_by("sector", "name")


def version_get(public_id) -> ProcedureVersion:
    from django.http import Http404

    try:
        return ProcedureVersion.objects.select_related("procedure").get(public_id=public_id)
    except (ProcedureVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# DUE-DATE BADGES ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueBadge:
    css: str
    label: str


def due_badge(dossier: Dossier, *, today: dt.date | None = None, soon: dt.date | None = None) -> DueBadge | None:
    """Red when overdue, amber when due within two working days, for a dossier being handled."""
    due = dossier.effective_due_date
    if due is None or dossier.status not in OPEN_STATES:
        return None
    today = today or timezone.localdate()
    soon = soon or workdays.add_working_days(today, 2)
    if due < today:
        return DueBadge("text-bg-danger", str(_("Overdue")))
    if due <= soon:
        return DueBadge("text-bg-warning", str(_("Due soon")))
    return DueBadge("text-bg-light border", str(_("On schedule")))


def with_badges(dossiers) -> list[Dossier]:
    today = timezone.localdate()
    soon = workdays.add_working_days(today, 2)
    rows = list(dossiers)
    for dossier in rows:
        dossier.due_badge = due_badge(dossier, today=today, soon=soon)
    return rows


# STATISTICS CHART ---------------------------------------------------------------------------------

CHART_SERIES = [
    ("early", _("Early"), "#198754"),
    ("on_time", _("On time"), "#20c997"),
    ("late", _("Late"), "#dc3545"),
    ("in_progress", _("In progress"), "#0d6efd"),
    ("in_progress_late", _("In progress, overdue"), "#fd7e14"),
]


@dataclass(frozen=True)
class ChartSegment:
    x: float
    width: float
    colour: str
    label: str
    value: int


@dataclass(frozen=True)
class ChartRow:
    y: int
    label: str
    total: int
    segments: list[ChartSegment]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bar_width: int
    rows: list[ChartRow]
    legend: list[tuple[str, str, int]]  # label, colour, x
    legend_y: int


def stat_chart(rows, *, bar_width: int = 480, label_width: int = 260, row_height: int = 28) -> Chart:
    """Stacked horizontal bars (one per row of the table) scaled to the largest row."""
    largest = max((r.received for r in rows), default=0) or 1
    chart_rows = []
    for index, row in enumerate(rows):
        x, segments = float(label_width), []
        for key, label, colour in CHART_SERIES:
            value = getattr(row, key)
            if not value:
                continue
            width = bar_width * value / largest
            segments.append(ChartSegment(round(x, 1), round(width, 1), colour, str(label), value))
            x += width
        chart_rows.append(ChartRow(index * row_height + 10, row.label or row.key or "—", row.received, segments))
    legend_y = len(rows) * row_height + 24
    legend = [(str(label), colour, 10 + i * 150) for i, (_key, label, colour) in enumerate(CHART_SERIES)]
    return Chart(
        width=label_width + bar_width + 60,
        height=legend_y + 20,
        label_width=label_width,
        bar_width=bar_width,
        rows=chart_rows,
        legend=legend,
        legend_y=legend_y,
    )
