"""The registry of indicators computed from the records (DESIGN rule 7: figures are computed).

Each definition has a key, a name, the records it counts (shown to users), a kind and
`compute(*, department_ids, year_from, year_to, quarter=None) -> Value`:
- "flow" indicators count or sum what happened in the period (tasks started, certificates…);
- "stock" indicators read the state on the period's last day (licences in force…);
- "rate" indicators are a share (0–1) of what happened in the period.
A Value carries the record ids behind the number for the drill-down. `department_ids` is the
plan's department with its predecessors (Department.jurisdiction_ids), so records made under a
department that ceased count for its successor.
"""

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendost.planning import sources
from opendost.projects.enums import FundingSource, TaskLevel

FLOW, STOCK, RATE = "flow", "stock", "rate"


@dataclass(frozen=True)
class Value:
    number: Decimal | None
    record_ids: list[int] = field(default_factory=list)
    records: str = ""  # which `RECORDS` renderer shows the ids
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    source: str
    unit: str
    kind: str
    func: Callable[..., Value]
    quarterly: bool = True

    def compute(self, *, department_ids, year_from: int, year_to: int, quarter: int | None = None) -> Value:
        if quarter is not None and (year_from != year_to or quarter not in (1, 2, 3, 4)):
            raise ValueError("A quarter is asked of one year.")
        if quarter is not None and not self.quarterly:
            return Value(None, note=str(_("The register keeps a year only: no quarterly figure.")))
        date_from, date_to = period_dates(year_from, year_to, quarter)
        return self.func(
            department_ids=list(department_ids),
            date_from=date_from,
            date_to=date_to,
            year_from=year_from,
            year_to=year_to,
        )


def period_dates(year_from: int, year_to: int, quarter: int | None = None) -> tuple[dt.date, dt.date]:
    if quarter is None:
        return dt.date(year_from, 1, 1), dt.date(year_to, 12, 31)
    first = 3 * (quarter - 1) + 1
    last = first + 2
    return dt.date(year_from, first, 1), dt.date(year_from, last, calendar.monthrange(year_from, last)[1])


def _stock_day(date_to: dt.date) -> dt.date:
    """A state is read on the period's last day, or today while the period runs."""
    return min(date_to, timezone.localdate())


def _count(ids, records) -> Value:
    return Value(Decimal(len(ids)), list(ids), records)


# DEFINITIONS -------------------------------------------------------------------------------------
def _tasks(levels):
    def compute(*, department_ids, date_from, date_to, **_kw):
        ids = list(
            sources.tasks_started(
                department_ids=department_ids, date_from=date_from, date_to=date_to, levels=levels
            ).values_list("pk", flat=True)
        )
        return _count(ids, "tasks")

    return compute


def _tasks_accepted(*, department_ids, date_from, date_to, **_kw):
    return _count(
        sources.task_ids_accepted(department_ids=department_ids, date_from=date_from, date_to=date_to), "tasks"
    )


def _funding(source):
    def compute(*, department_ids, date_from, date_to, **_kw):
        tasks = sources.tasks_started(department_ids=department_ids, date_from=date_from, date_to=date_to)
        ids = list(tasks.values_list("pk", flat=True))
        return Value(sources.funding_of_tasks(tasks, source), ids, "tasks")

    return compute


def _registrations(*, department_ids, date_from, date_to, **_kw):
    return _count(
        sources.registration_ids(department_ids=department_ids, date_from=date_from, date_to=date_to), "registrations"
    )


def _certificates(*, department_ids, date_from, date_to, **_kw):
    return _count(
        sources.certificate_ids(department_ids=department_ids, date_from=date_from, date_to=date_to), "registrations"
    )


def _applications(*, department_ids, year_from, year_to, **_kw):
    return _count(
        sources.application_ids(department_ids=department_ids, year_from=year_from, year_to=year_to), "applications"
    )


def _licences(*, department_ids, date_to, **_kw):
    return _count(sources.licence_ids_in_force(department_ids=department_ids, day=_stock_day(date_to)), "licences")


def _facilities(*, department_ids, date_to, **_kw):
    return _count(sources.facility_ids_licensed(department_ids=department_ids, day=_stock_day(date_to)), "facilities")


def _devices(*, department_ids, date_to, **_kw):
    return _count(sources.device_ids_licensed(department_ids=department_ids, day=_stock_day(date_to)), "devices")


def _dossiers_received(*, department_ids, date_from, date_to, **_kw):
    ids = list(
        sources.dossiers_received(department_ids=department_ids, date_from=date_from, date_to=date_to).values_list(
            "pk", flat=True
        )
    )
    return _count(ids, "dossiers")


def _on_time_rate(*, department_ids, date_from, date_to, **_kw):
    groups = sources.dossier_timeliness(
        department_ids=department_ids, date_from=date_from, date_to=date_to, today=timezone.localdate()
    )
    good = groups.get("early", []) + groups.get("on_time", [])
    finished = good + groups.get("late", [])
    if not finished:
        return Value(None, [], "dossiers", note=str(_("No dossier finished in the period.")))
    return Value(Decimal(len(good)) / Decimal(len(finished)), sorted(finished), "dossiers")


TASKS_SOURCE = _("Provincial and national S&T tasks started in the period (cancelled ones excluded).")
REGISTRY: dict[str, Indicator] = {
    i.key: i
    for i in [
        Indicator(
            "tasks_started",
            _("S&T tasks carried out"),
            TASKS_SOURCE,
            _("tasks"),
            FLOW,
            _tasks((TaskLevel.PROVINCIAL, TaskLevel.NATIONAL)),
        ),
        Indicator(
            "tasks_provincial",
            _("Provincial S&T tasks"),
            TASKS_SOURCE,
            _("tasks"),
            FLOW,
            _tasks((TaskLevel.PROVINCIAL,)),
        ),
        Indicator(
            "tasks_national", _("National S&T tasks"), TASKS_SOURCE, _("tasks"), FLOW, _tasks((TaskLevel.NATIONAL,))
        ),
        Indicator(
            "tasks_accepted",
            _("S&T tasks accepted"),
            _("Tasks whose acceptance (pass or excellent) was held in the period."),
            _("tasks"),
            FLOW,
            _tasks_accepted,
        ),
        Indicator(
            "results_registered",
            _("Task results registered"),
            _("Result registration dossiers received and certified or stored, by date received."),
            _("results"),
            FLOW,
            _registrations,
        ),
        Indicator(
            "certificates_issued",
            _("Result registration certificates issued"),
            _("Certificates of registration issued in the period."),
            _("certificates"),
            FLOW,
            _certificates,
        ),
        Indicator(
            "results_applied",
            _("Applications of results"),
            _("Applications of task results recorded for the years of the period."),
            _("applications"),
            FLOW,
            _applications,
            quarterly=False,
        ),
        Indicator(
            "funding_total",
            _("S&T funding of tasks, all sources"),
            _("Budget lines of the tasks started in the period."),
            _("million VND"),
            FLOW,
            _funding(None),
        ),
        Indicator(
            "funding_central",
            _("S&T funding: central S&T budget"),
            _("Budget lines (central S&T budget) of the tasks started in the period."),
            _("million VND"),
            FLOW,
            _funding(FundingSource.CENTRAL),
        ),
        Indicator(
            "funding_provincial",
            _("S&T funding: provincial S&T budget"),
            _("Budget lines (provincial S&T budget) of the tasks started in the period."),
            _("million VND"),
            FLOW,
            _funding(FundingSource.PROVINCIAL),
        ),
        Indicator(
            "funding_counterpart",
            _("S&T funding: counterpart funds"),
            _("Budget lines (counterpart funds) of the tasks started in the period."),
            _("million VND"),
            FLOW,
            _funding(FundingSource.COUNTERPART),
        ),
        Indicator(
            "xray_licences",
            _("X-ray licences in force"),
            _("Radiation licences in force on the period's last day (today while it runs)."),
            _("licences"),
            STOCK,
            _licences,
        ),
        Indicator(
            "xray_facilities",
            _("X-ray facilities licensed"),
            _("Facilities holding a licence in force on the period's last day."),
            _("facilities"),
            STOCK,
            _facilities,
        ),
        Indicator(
            "xray_devices",
            _("X-ray devices licensed"),
            _("Devices covered by a licence in force on the period's last day, not decommissioned."),
            _("devices"),
            STOCK,
            _devices,
        ),
        Indicator(
            "dossiers_received",
            _("One-stop dossiers received"),
            _("Dossiers received in the period (withdrawn ones excluded)."),
            _("dossiers"),
            FLOW,
            _dossiers_received,
        ),
        Indicator(
            "dossiers_on_time_rate",
            _("Dossiers finished early or on time"),
            _("Of the dossiers received in the period and finished, the share finished early or on time."),
            "%",
            RATE,
            _on_time_rate,
        ),
    ]
}


def get(key: str) -> Indicator | None:
    return REGISTRY.get(key)


RECORDS = {
    "tasks": sources.task_records,
    "registrations": sources.registration_records,
    "applications": sources.application_records,
    "licences": sources.licence_records,
    "facilities": sources.facility_records,
    "devices": sources.device_records,
    "dossiers": sources.dossier_records,
}
