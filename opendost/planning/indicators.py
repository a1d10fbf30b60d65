"""The registry of indicators computed from the records (DESIGN rule 7: figures are computed).

Each definition has a key, a name, the records it counts (shown to users), a kind and
`compute(*, department_ids, year_from, year_to, quarter=None, ids=True) -> Value`:
- "flow" indicators count or sum what happened in the period (tasks started, certificates…);
- "stock" indicators read the state on the period's last day (licences in force…);
- "rate" indicators are a share (0–1) of what happened in the period.
A Value carries the record ids behind the number for the drill-down; `ids=False` (the dashboard,
the history, the quarters) computes the number alone. `department_ids` is the plan's department
with its predecessors (Department.jurisdiction_ids), so records made under a department that
ceased count for its successor.

Most definitions are a `Basis`: the records counted are a queryset (`select`), the figure is one
SQL aggregate over it (a count, a sum, or the two counts of a rate), the ids are read only when
asked, and the same records have a place (`sources.*_place`) so `planning.units` can break the
figure down by administrative unit. A plain function returning a Value is accepted too (it then
has no breakdown by unit).
"""

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendost.marketplace import selectors_brokerage as brokerage
from opendost.planning import sources
from opendost.projects.enums import FundingSource, TaskLevel

FLOW, STOCK, RATE = "flow", "stock", "rate"
PLACE = "located_in"  # the annotation holding a record's unit id (see units.py)


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
    additive: bool = True  # False: the years' values do not add up to the period's (a minimum per unit)

    @property
    def basis(self) -> "Basis | None":
        return self.func if isinstance(self.func, Basis) else None

    @property
    def per_unit(self) -> "MinimumPerUnit | None":
        return self.func if isinstance(self.func, MinimumPerUnit) else None

    @property
    def by_unit(self) -> bool:
        """Its records have a place: the figure breaks down by administrative unit (units.py)."""
        return self.basis is not None or self.per_unit is not None

    def no_figure(self, *, year_from: int, year_to: int, quarter: int | None) -> Value | None:
        """Checks the period; a Value without a number when the indicator has no figure for it."""
        if quarter is not None and (year_from != year_to or quarter not in (1, 2, 3, 4)):
            raise ValueError("A quarter is asked of one year.")
        if quarter is not None and not self.quarterly:
            return Value(None, note=str(_("The register keeps a year only: no quarterly figure.")))
        return None

    def compute(
        self, *, department_ids, year_from: int, year_to: int, quarter: int | None = None, ids: bool = True
    ) -> Value:
        if (none := self.no_figure(year_from=year_from, year_to=year_to, quarter=quarter)) is not None:
            return none
        date_from, date_to = period_dates(year_from, year_to, quarter)
        kwargs = {"ids": ids} if isinstance(self.func, Basis | MinimumPerUnit) else {}
        return self.func(
            department_ids=list(department_ids),
            date_from=date_from,
            date_to=date_to,
            year_from=year_from,
            year_to=year_to,
            **kwargs,
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


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date
    year_from: int
    year_to: int

    @property
    def day(self) -> dt.date:
        return _stock_day(self.date_to)


@dataclass(frozen=True)
class Tally:
    """What a set of records contributes: a count or a sum; for a rate, the good ones (`number`) out
    of the finished ones (`base`). Tallies add up, so units add up to the total."""

    number: Decimal = Decimal(0)
    base: Decimal | None = None

    def __add__(self, other: "Tally") -> "Tally":
        base = None if self.base is None and other.base is None else (self.base or 0) + (other.base or 0)
        return Tally(self.number + other.number, base)

    @property
    def value(self) -> Decimal | None:
        if self.base is None:
            return self.number
        return self.number / self.base if self.base else None


# BASES -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Basis:
    """Counts the records `select(department_ids, period)`; `place()` locates one (a unit id)."""

    records: str
    select: Callable[[list[int], Period], QuerySet]
    place: Callable[[], object]
    # Optional: one aggregate shared by several indicators (`compute_many`): `family(department_ids,
    # period)` returns a dict read by `pick(dict) -> Tally`; equal to `tally(select(...))`.
    family: Callable[[list[int], Period], dict] | None = None
    pick: Callable[[dict], Tally] | None = None

    do_not_call_in_templates = True

    def __call__(self, *, department_ids, date_from, date_to, year_from, year_to, ids: bool = True) -> Value:
        queryset = self.select(department_ids, Period(date_from, date_to, year_from, year_to))
        return self.value(queryset, ids=ids)

    def value_of(self, tally: Tally) -> Value:
        """A number without ids, from a tally computed elsewhere (a family's shared aggregate)."""
        return Value(tally.value, [], self.records)

    def record_tallies(self, queryset: QuerySet) -> dict[int | None, Tally]:
        """{unit id: Tally} whose `count_of` is the number of records listed by the drill-down."""
        return self.tally_by_place(queryset)

    def count_of(self, tally: Tally | None) -> int:
        """How many records of the drill-down a tally of `record_tallies` stands for."""
        return int(tally.number) if tally is not None else 0

    def queryset(self, department_ids, period: Period) -> QuerySet:
        return self.select(list(department_ids), period)

    def value(self, queryset: QuerySet, *, ids: bool = True) -> Value:
        tally = self.tally(queryset)
        return Value(tally.value, self.ids(queryset) if ids else [], self.records)

    def tally(self, queryset: QuerySet) -> Tally:
        return Tally(Decimal(queryset.count()))

    def ids(self, queryset: QuerySet) -> list[int]:
        return sorted(queryset.values_list("pk", flat=True))

    def id_query(self, queryset: QuerySet) -> QuerySet:
        """The ids as a subquery (a drill-down reads its records without loading the ids)."""
        return queryset.values("pk")

    def located(self, queryset: QuerySet) -> QuerySet:
        return queryset.annotate(**{PLACE: self.place()})

    def tally_by_place(self, queryset: QuerySet) -> dict[int | None, Tally]:
        """{unit id (None: no place): Tally}, one GROUP BY."""
        rows = self.located(queryset).order_by().values(PLACE).annotate(n=Count("pk"))
        return {row[PLACE]: Tally(Decimal(row["n"])) for row in rows}


@dataclass(frozen=True)
class FundingBasis(Basis):
    """The budget lines (one funding source, or all) of the tasks selected, in million VND; the
    drill-down lists the tasks."""

    source: str | None = None

    def tally(self, queryset: QuerySet) -> Tally:
        return Tally(sources.funding_of_tasks(queryset, self.source))

    def record_tallies(self, queryset: QuerySet) -> dict[int | None, Tally]:
        return Basis.tally_by_place(self, queryset)  # the tasks, not their money

    def tally_by_place(self, queryset: QuerySet) -> dict[int | None, Tally]:
        lines = sources.budget_lines_of(queryset, self.source).annotate(**{PLACE: sources.task_place("task__")})
        rows = lines.order_by().values(PLACE).annotate(total=Sum("amount"))
        return {row[PLACE]: Tally(Decimal(row["total"] or 0) / sources.MILLION) for row in rows}


@dataclass(frozen=True)
class OnTimeBasis(Basis):
    """Dossiers finished early or on time out of those finished (`timeliness_of`, in SQL); the
    drill-down lists the finished ones."""

    def value(self, queryset: QuerySet, *, ids: bool = True) -> Value:
        tally = self.tally(queryset)
        if not tally.base:
            return self.value_of(tally)
        return Value(tally.value, self.ids(queryset) if ids else [], self.records)

    def count_of(self, tally: Tally | None) -> int:
        return int(tally.base or 0) if tally is not None else 0  # the drill-down lists the finished ones

    def value_of(self, tally: Tally) -> Value:
        if not tally.base:
            return Value(None, [], self.records, note=str(_("No dossier finished in the period.")))
        return Value(tally.value, [], self.records)

    def tally(self, queryset: QuerySet) -> Tally:
        counts = sources.timeliness_counts(queryset)
        return Tally(Decimal(counts["good"]), Decimal(counts["finished"]))

    def _finished(self, queryset: QuerySet) -> QuerySet:
        return sources.with_finished_day(queryset).filter(sources.FINISHED)

    def ids(self, queryset: QuerySet) -> list[int]:
        return sorted(self._finished(queryset).values_list("pk", flat=True))

    def id_query(self, queryset: QuerySet) -> QuerySet:
        return self._finished(queryset).values("pk")

    def tally_by_place(self, queryset: QuerySet) -> dict[int | None, Tally]:
        rows = (
            sources.with_finished_day(self.located(queryset))
            .order_by()
            .values(PLACE)
            .annotate(good=Count("pk", filter=sources.FINISHED_GOOD), finished=Count("pk", filter=sources.FINISHED))
        )
        return {row[PLACE]: Tally(Decimal(row["good"]), Decimal(row["finished"])) for row in rows}


@dataclass(frozen=True)
class MinimumPerUnit:
    """The fewest records any unit of the department's area holds (at `level`, see units.LEVELS),
    of the indicator `of`: "at least 5 tasks per district" is met when the fewest reaches 5. The
    records are placed as in the breakdown by unit (units.py); the drill-down lists the records of
    the unit with the fewest."""

    of: str
    level: str

    do_not_call_in_templates = True

    def __call__(self, *, department_ids, date_from, date_to, year_from, year_to, ids: bool = True) -> Value:
        from opendost.planning import units

        return units.minimum_per_unit(
            self, department_ids=department_ids, period=Period(date_from, date_to, year_from, year_to), ids=ids
        )


def compute_many(
    indicators: list[Indicator], *, department_ids, year_from: int, year_to: int, quarter: int | None = None
) -> dict[str, Value]:
    """{key: Value} without ids for several indicators, as `compute(ids=False)` gives them; those of
    one family (tasks by level, funding by source, registrations, dossiers) share one aggregate."""
    department_ids = list(department_ids)
    date_from, date_to = period_dates(year_from, year_to, quarter)
    period = Period(date_from, date_to, year_from, year_to)
    shared: dict = {}
    out: dict[str, Value] = {}
    for indicator in indicators:
        basis = indicator.basis
        if basis is None or basis.family is None:
            out[indicator.key] = indicator.compute(
                department_ids=department_ids, year_from=year_from, year_to=year_to, quarter=quarter, ids=False
            )
            continue
        if (none := indicator.no_figure(year_from=year_from, year_to=year_to, quarter=quarter)) is not None:
            out[indicator.key] = none
            continue
        if basis.family not in shared:
            shared[basis.family] = basis.family(department_ids, period)
        out[indicator.key] = basis.value_of(basis.pick(shared[basis.family]))
    return out


# DEFINITIONS -------------------------------------------------------------------------------------
def _started(ids, p: Period, levels=sources.PLAN_LEVELS):
    return sources.tasks_started(department_ids=ids, date_from=p.date_from, date_to=p.date_to, levels=levels)


def _tasks_by_level(ids, p: Period) -> dict:
    rows = _started(ids, p).order_by().values("level").annotate(n=Count("pk"))
    return {row["level"]: row["n"] for row in rows}


def _tasks(levels) -> Basis:
    return Basis(
        "tasks",
        lambda ids, p: _started(ids, p, levels),
        sources.task_place,
        family=_tasks_by_level,
        pick=lambda counts: Tally(Decimal(sum(counts.get(level, 0) for level in levels))),
    )


def _funding_by_source(ids, p: Period) -> dict:
    rows = sources.budget_lines_of(_started(ids, p)).order_by().values("source").annotate(total=Sum("amount"))
    return {row["source"]: row["total"] or 0 for row in rows}


def _funding(source) -> Basis:
    def pick(totals: dict) -> Tally:
        total = totals.get(source, 0) if source else sum(totals.values())
        return Tally(Decimal(total) / sources.MILLION)

    return FundingBasis("tasks", _started, sources.task_place, _funding_by_source, pick, source)


def _registration_counts(ids, p: Period) -> dict:
    return sources.registration_counts(department_ids=ids, date_from=p.date_from, date_to=p.date_to)


def _dossier_counts(ids, p: Period) -> dict:
    received = sources.dossiers_received(department_ids=ids, date_from=p.date_from, date_to=p.date_to)
    return sources.timeliness_counts(received, received=True)


_tasks_accepted = Basis(
    "tasks",
    lambda ids, p: sources.tasks_accepted(department_ids=ids, date_from=p.date_from, date_to=p.date_to),
    sources.task_place,
)
_registrations = Basis(
    "registrations",
    lambda ids, p: sources.registrations(department_ids=ids, date_from=p.date_from, date_to=p.date_to),
    sources.registration_place,
    family=_registration_counts,
    pick=lambda counts: Tally(Decimal(counts["registered"])),
)
_certificates = Basis(
    "registrations",
    lambda ids, p: sources.certificates(department_ids=ids, date_from=p.date_from, date_to=p.date_to),
    sources.registration_place,
    family=_registration_counts,
    pick=lambda counts: Tally(Decimal(counts["certified"])),
)
_applications = Basis(
    "applications",
    lambda ids, p: sources.applications(department_ids=ids, year_from=p.year_from, year_to=p.year_to),
    sources.application_place,
)
_licences = Basis(
    "licences",
    lambda ids, p: sources.licences_in_force(department_ids=ids, day=p.day),
    sources.licence_place,
)
_facilities = Basis(
    "facilities",
    lambda ids, p: sources.facilities_licensed(department_ids=ids, day=p.day),
    sources.facility_place,
)
_devices = Basis(
    "devices",
    lambda ids, p: sources.devices_licensed(department_ids=ids, day=p.day),
    sources.licence_place,  # a device lies where its facility does
)
_dossiers_received = Basis(
    "dossiers",
    lambda ids, p: sources.dossiers_received(department_ids=ids, date_from=p.date_from, date_to=p.date_to),
    sources.dossier_place,
    family=_dossier_counts,
    pick=lambda counts: Tally(Decimal(counts["received"])),
)
_on_time_rate = OnTimeBasis(
    "dossiers",
    lambda ids, p: sources.dossiers_received(department_ids=ids, date_from=p.date_from, date_to=p.date_to),
    sources.dossier_place,
    family=_dossier_counts,
    pick=lambda counts: Tally(Decimal(counts["good"]), Decimal(counts["finished"])),
)


# Technology exchange: a connection is placed at the interested party's address.
_market_connections = Basis(
    "connections",
    lambda ids, p: brokerage.connections_created(department_ids=ids, date_from=p.date_from, date_to=p.date_to),
    lambda: sources.address_place("seeker__"),
)
_market_deals = Basis(
    "deals",
    lambda ids, p: brokerage.deals_signed(department_ids=ids, date_from=p.date_from, date_to=p.date_to),
    lambda: sources.address_place("seeker__"),
)

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
        Indicator(
            "tasks_min_per_district",
            _("S&T tasks in the district with the fewest"),
            _(
                "Of the districts and cities (before 1 July 2025) of the department's provinces, the fewest S&T "
                "tasks carried out in one, each task counted at its first place of application or else at its "
                "host's address."
            ),
            _("tasks"),
            FLOW,
            MinimumPerUnit("tasks_started", "pre2025-district"),
            additive=False,
        ),
        Indicator(
            "tasks_min_per_commune",
            _("S&T tasks in the commune with the fewest"),
            _(
                "Of the communes (from 1 July 2025) of the department's province, the fewest S&T tasks carried "
                "out in one, each task counted at its first place of application or else at its host's address."
            ),
            _("tasks"),
            FLOW,
            MinimumPerUnit("tasks_started", "2025-commune"),
            additive=False,
        ),
        Indicator(
            "market_connections",
            _("Supply-demand technology connections"),
            _(
                "Connections of the technology exchange opened in the period (interest expressed, needs answered, "
                "connections made by officers), whatever became of them."
            ),
            _("connections"),
            FLOW,
            _market_connections,
        ),
        Indicator(
            "market_deals",
            _("Technology transfer deals"),
            _("Transfer contracts signed in the period through the technology exchange, by the signing date."),
            _("deals"),
            FLOW,
            _market_deals,
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
    "connections": brokerage.connection_records,
    "deals": brokerage.deal_records,
}
