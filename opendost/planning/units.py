"""Indicators broken down by administrative unit, on the old map or the new one (issue 7).

Every record an indicator counts has a place (`sources.*_place`): the finest unit it was recorded
under, in the code set of its day (a commune, district or province before 1 July 2025, a commune or
province after). A breakdown puts each record in exactly one row of the chosen map (`LEVELS`), so
the rows add up to the indicator's figure:

- same code set: the record's unit, or its district or province above it;
- old unit on the new map: through `AdminUnitSuccession` (a commune merged into a new commune counts
  for it; a district, abolished, goes where its communes went; a province to its new province);
- new unit on the old map: through the same table backwards (a new commune made of old communes of
  one district counts for that district);
- when the unit at the chosen level cannot be told (an address giving a province only, an old commune
  split between several new ones, a new commune made of communes of several districts) the record
  counts for the finest unit that can be told, in a row marked "only ... known"; a record with no
  place at all counts in the "place unknown" row.

Rows list every unit of the chosen level in the department's provinces (zero included: a district
with no task must show) and after them any other unit holding records. Reads only, a handful of
queries whatever the number of records (the figures are GROUP BYs in the database, the units are
read in chunks of 5,000 ids; record ids are read only for the drill-down of one row).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from opendost.departments.models import Department
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit, AdminUnitSuccession
from opendost.planning.indicators import PLACE, Indicator, MinimumPerUnit, Period, Tally, Value, period_dates

P, D, C = AdminLevel.PROVINCE, AdminLevel.DISTRICT, AdminLevel.COMMUNE
RANK = {P: 0, D: 1, C: 2}
UNKNOWN = "none"

# How each kind of record is placed (shown on the page; see sources.*_place).
PLACE_RULES = {
    "tasks": _(
        "A task counts at its first place of application (the finest level, then the lowest code), otherwise at "
        "the address of its host organisation."
    ),
    "registrations": _(
        "A registered result counts where its task does (its first place of application, otherwise its host's "
        "address)."
    ),
    "applications": _(
        "An application of a result counts at the place it names; a place given in words only is unknown."
    ),
    "licences": _("A licence counts at the address of its facility."),
    "facilities": _("A facility counts at its address."),
    "devices": _("A device counts at the address of its facility."),
    "dossiers": _(
        "A dossier counts at the address of the applicant organisation in the register; a dossier of a person keeps "
        "the address as text only, so its place is unknown."
    ),
}


@dataclass(frozen=True)
class Level:
    key: str
    code_set: str
    level: str
    label: str

    @property
    def levels_up(self) -> list[str]:
        """This level and those above it in its code set, finest first (the new map has no districts)."""
        present = (P, D, C) if self.code_set == CodeSet.PRE_2025 else (P, C)
        return [lv for lv in reversed(present) if RANK[lv] <= RANK[self.level]]


LEVELS = {
    level.key: level
    for level in [
        Level("2025-province", CodeSet.CURRENT, P, _("Provinces from 1 July 2025")),
        Level("2025-commune", CodeSet.CURRENT, C, _("Communes from 1 July 2025")),
        Level("pre2025-province", CodeSet.PRE_2025, P, _("Provinces before 1 July 2025")),
        Level("pre2025-district", CodeSet.PRE_2025, D, _("Districts before 1 July 2025")),
        Level("pre2025-commune", CodeSet.PRE_2025, C, _("Communes before 1 July 2025")),
    ]
}
DEFAULT_LEVEL = "pre2025-district"


def level_of(key: str | None, default: str = DEFAULT_LEVEL) -> Level:
    return LEVELS.get(key or "", LEVELS[default])


# RESOLVING PLACES TO A MAP ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Unit:
    pk: int
    code_set: str
    level: str
    parent_id: int | None
    province_id: int | None

    def up(self, level: str) -> int | None:
        """The unit at `level` above (or at) this one in its own set; None if this one is coarser."""
        if self.level == level:
            return self.pk
        if RANK[self.level] < RANK[level]:
            return None
        if level == P:
            return self.province_id
        return self.parent_id  # an old commune's parent is its district


_FIELDS = ("pk", "code_set", "level", "parent_id", "province_id")


def _related(name: str) -> list[str]:
    return [f"{name}__{f}" for f in ("id", "code_set", "level", "parent", "province")]


CHUNK = 5000  # ids per IN list (SQLite allows 32,766 parameters; a national dataset has ~15,000 units)


def _chunks(ids) -> list[list]:
    ids = list(ids)
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _units(ids) -> dict[int, _Unit]:
    return {
        row[0]: _Unit(*row)
        for chunk in _chunks(ids)
        for row in AdminUnit.objects.filter(pk__in=chunk).values_list(*_FIELDS)
    }


@dataclass(frozen=True)
class RowKey:
    unit_id: int | None  # None: place unknown
    exact: bool = True  # False: only this coarser unit (or a unit of the other set) is known

    @property
    def slug(self) -> str:
        if self.unit_id is None:
            return UNKNOWN
        return f"{'u' if self.exact else 'p'}{self.unit_id}"

    @classmethod
    def parse(cls, slug: str) -> "RowKey | None":
        if slug == UNKNOWN:
            return cls(None)
        if len(slug) > 1 and slug[0] in "up" and slug[1:].isdigit():
            return cls(int(slug[1:]), slug[0] == "u")
        return None


def resolve(unit_ids, level: Level) -> dict[int, RowKey]:
    """Where each unit (either set, any level) counts on the map `level`: the units, then the successions
    if some are of the other set (one query each per 5,000 units)."""
    units = _units(unit_ids)
    same = [u for u in units.values() if u.code_set == level.code_set]
    other = [u for u in units.values() if u.code_set != level.code_set]
    mapped: dict[int, list[_Unit]] = defaultdict(list)
    if other:
        mapped = _across(other, to_current=level.code_set == CodeSet.CURRENT)
    result: dict[int, RowKey] = {}
    for unit in same:
        result[unit.pk] = _place(level, [unit]) or RowKey(unit.pk, exact=False)
    for unit in other:
        result[unit.pk] = _place(level, mapped.get(unit.pk, [])) or RowKey(unit.pk, exact=False)
    return result


def _place(level: Level, candidates: list[_Unit]) -> RowKey | None:
    """The one unit at `level` (exact) or above it (inexact) all candidates lie in; None if none."""
    if not candidates:
        return None
    for lv in level.levels_up:
        found = {c.up(lv) for c in candidates}
        if len(found) == 1 and None not in found:
            return RowKey(found.pop(), exact=lv == level.level)
    return None


def _across(units: list[_Unit], *, to_current: bool) -> dict[int, list[_Unit]]:
    """The units of the other set each unit corresponds to (successors or predecessors)."""
    out: dict[int, list[_Unit]] = defaultdict(list)
    if to_current:
        # communes and provinces by their own successions, districts through their communes; a unit
        # with no succession (a commune dissolved) falls back on its province's.
        districts = {u.pk for u in units if u.level == D}
        provinces = {u.province_id for u in units if u.province_id} | {u.pk for u in units if u.level == P}
        own = {u.pk for u in units if u.level != D}
        rows = [
            row
            for chunk in _chunks(own | provinces | districts)
            for row in AdminUnitSuccession.objects.filter(
                Q(old_unit_id__in=chunk) | Q(old_unit__parent_id__in=[pk for pk in chunk if pk in districts])
            ).values_list("old_unit_id", "old_unit__parent_id", *_related("new_unit"))
        ]
        by_old: dict[int, list[_Unit]] = defaultdict(list)
        by_district: dict[int, list[_Unit]] = defaultdict(list)
        for old_id, old_parent, *new in rows:
            unit = _Unit(*new)
            by_old[old_id].append(unit)
            if old_parent in districts:
                by_district[old_parent].append(unit)
        for u in units:
            found = by_district[u.pk] if u.level == D else by_old[u.pk]
            out[u.pk] = found or by_old.get(u.province_id, [])
        return out
    for chunk in _chunks(u.pk for u in units):
        rows = AdminUnitSuccession.objects.filter(new_unit_id__in=chunk).values_list(
            "new_unit_id", *_related("old_unit")
        )
        for new_id, *old in rows:
            out[new_id].append(_Unit(*old))
    return out


def area_units(department_ids, level: Level) -> QuerySet[AdminUnit]:
    """The units of `level` in the provinces of the departments (on the map of `level`)."""
    provinces = list(
        Department.objects.filter(pk__in=list(department_ids), province__isnull=False).values_list(
            "province_id", "province__code_set"
        )
    )
    same = {pk for pk, code_set in provinces if code_set == level.code_set}
    other = [pk for pk, code_set in provinces if code_set != level.code_set]
    if other:
        link = (
            AdminUnitSuccession.objects.filter(old_unit_id__in=other).values_list("new_unit_id", flat=True)
            if level.code_set == CodeSet.CURRENT
            else AdminUnitSuccession.objects.filter(new_unit_id__in=other).values_list("old_unit_id", flat=True)
        )
        same |= set(link)
    units = AdminUnit.objects.filter(code_set=level.code_set, level=level.level)
    units = units.filter(pk__in=same) if level.level == P else units.filter(province_id__in=same)
    return units.select_related("parent", "province").order_by("province__code", "parent__code", "code")


# BREAKDOWN --------------------------------------------------------------------------------------
def _percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else (value * 100).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Row:
    key: RowKey
    unit: AdminUnit | None
    tally: Tally
    in_area: bool

    @property
    def value(self) -> Decimal | None:
        return self.tally.value

    @property
    def exact(self) -> bool:
        return self.key.exact

    @property
    def group(self) -> str:
        """area (the department's units), outside, inexact (only a higher or other-map unit known), unknown."""
        if self.unit is None:
            return "unknown"
        if not self.exact:
            return "inexact"
        return "area" if self.in_area else "outside"

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.value)

    @property
    def slug(self) -> str:
        return self.key.slug

    @property
    def label(self) -> str:
        if self.unit is None:
            return str(_("Place unknown"))
        return self.unit.name

    @property
    def lies_in(self) -> str:
        """The units above, for telling communes of the same name apart."""
        if self.unit is None:
            return ""
        above = [u for u in (self.unit.parent, self.unit.province) if u is not None and u.pk != self.unit.pk]
        return ", ".join(dict.fromkeys(u.name for u in above))


@dataclass(frozen=True)
class Breakdown:
    indicator: Indicator
    level: Level
    period: Period
    rows: list[Row]  # units of the area in code order, then others, then inexact places, then unknown
    total: Value  # the indicator's own figure, computed independently of the rows

    @property
    def sum(self) -> Tally:
        return sum((row.tally for row in self.rows), Tally(Decimal(0), None if not self.is_rate else Decimal(0)))

    @property
    def sum_percent(self) -> Decimal | None:
        return _percent(self.sum.value)

    @property
    def total_percent(self) -> Decimal | None:
        return _percent(self.total.number)

    @property
    def is_rate(self) -> bool:
        return self.indicator.kind == "rate"

    @property
    def adds_up(self) -> bool:
        """The rows' sum is the indicator's figure (for a rate: the rows' counts give its share)."""
        return self.sum.value == self.total.number

    def row(self, slug: str) -> Row | None:
        return next((r for r in self.rows if r.slug == slug), None)

    @property
    def unknown(self) -> Row:
        return self.rows[-1]

    @property
    def area_rows(self) -> list[Row]:
        return [r for r in self.rows if r.in_area]


def period_of(year_from: int, year_to: int, quarter: int | None = None) -> Period:
    date_from, date_to = period_dates(year_from, year_to, quarter)
    return Period(date_from, date_to, year_from, year_to)


def breakdown(indicator: Indicator, *, department_ids, level: Level, period: Period) -> Breakdown:
    """The indicator's figure for the period, one row per unit of `level` (see the module's doc)."""
    basis = indicator.basis
    if basis is None:
        raise ValueError(f"{indicator.key} has no place: no breakdown by unit.")
    department_ids = list(department_ids)
    total = basis.value(basis.queryset(department_ids, period), ids=False)
    by_key, zero = tallies_by_row(indicator, department_ids=department_ids, level=level, period=period)
    return _rows(indicator, by_key, zero, department_ids=department_ids, level=level, period=period, total=total)


def tallies_by_row(indicator: Indicator, *, department_ids, level: Level, period: Period):
    """({RowKey: Tally}, the zero Tally): one GROUP BY of the records by place, rolled up in Python."""
    basis = indicator.basis
    tallies = basis.tally_by_place(basis.queryset(list(department_ids), period))
    zero = Tally(Decimal(0), Decimal(0) if indicator.kind == "rate" else None)
    placed = resolve([pk for pk in tallies if pk is not None], level)
    by_key: dict[RowKey, Tally] = defaultdict(lambda: zero)
    for unit_id, tally in tallies.items():
        key = placed[unit_id] if unit_id is not None else RowKey(None)
        by_key[key] = by_key[key] + tally
    return by_key, zero


def _rows(indicator, by_key, zero, *, department_ids, level, period, total) -> Breakdown:
    area = list(area_units(department_ids, level))
    area_ids = {u.pk for u in area}
    others = {k.unit_id for k in by_key if k.unit_id is not None and not (k.exact and k.unit_id in area_ids)}
    units = {u.pk: u for u in area}
    for chunk in _chunks(others):
        units.update((u.pk, u) for u in AdminUnit.objects.filter(pk__in=chunk).select_related("parent", "province"))
    rows = [Row(RowKey(u.pk), u, by_key.get(RowKey(u.pk), zero), True) for u in area]
    outside = sorted(
        (k for k in by_key if k.unit_id is not None and k.exact and k.unit_id not in area_ids),
        key=lambda k: _order(units[k.unit_id]),
    )
    rows += [Row(k, units[k.unit_id], by_key[k], False) for k in outside]
    inexact = sorted(
        (k for k in by_key if k.unit_id is not None and not k.exact), key=lambda k: _order(units[k.unit_id])
    )
    rows += [Row(k, units[k.unit_id], by_key[k], False) for k in inexact]
    rows.append(Row(RowKey(None), None, by_key.get(RowKey(None), zero), False))
    return Breakdown(indicator=indicator, level=level, period=period, rows=rows, total=total)


def _order(unit: AdminUnit) -> tuple:
    return (unit.code_set != CodeSet.CURRENT, RANK[unit.level], unit.province_id or 0, unit.code)


def bare_row(key: RowKey) -> Row | None:
    """The row of `key` without figures (a drill-down's heading); None for a unit that does not exist."""
    if key.unit_id is None:
        return Row(key, None, Tally(), False)
    unit = AdminUnit.objects.filter(pk=key.unit_id).select_related("parent", "province").first()
    return Row(key, unit, Tally(), False) if unit is not None else None


def row_selection(indicator: Indicator, *, department_ids, level: Level, period: Period, key: RowKey):
    """(the ids of the records counted in one row, as a subquery; how many there are). One GROUP BY
    finds the places that roll up to the row and gives the count."""
    basis = indicator.basis
    queryset = basis.queryset(list(department_ids), period)
    tallies = basis.record_tallies(queryset)
    located = basis.located(queryset)
    if key.unit_id is None:
        return basis.id_query(located.filter(**{f"{PLACE}__isnull": True})), basis.count_of(tallies.get(None))
    placed = resolve([pk for pk in tallies if pk is not None], level)
    unit_ids = [pk for pk, row_key in placed.items() if row_key == key]
    count = basis.count_of(sum((tallies[pk] for pk in unit_ids), Tally(Decimal(0), Decimal(0))))
    return basis.id_query(located.filter(**{f"{PLACE}__in": unit_ids})), count


def row_records(indicator: Indicator, *, department_ids, level: Level, period: Period, key: RowKey):
    """The records counted in one row, as a subquery of ids (for `indicators.RECORDS`)."""
    return row_selection(indicator, department_ids=department_ids, level=level, period=period, key=key)[0]


# MINIMUM PER UNIT --------------------------------------------------------------------------------
def minimum_per_unit(definition: MinimumPerUnit, *, department_ids, period: Period, ids: bool = True) -> Value:
    """The fewest any unit of the area holds (see `indicators.MinimumPerUnit`)."""
    from opendost.planning import indicators

    of = indicators.get(definition.of)
    level = LEVELS[definition.level]
    area = list(area_units(department_ids, level).values_list("pk", flat=True))
    if not area:
        return Value(None, [], of.basis.records, note=str(_("The department has no province on record.")))
    by_key, zero = tallies_by_row(of, department_ids=department_ids, level=level, period=period)
    values = [by_key.get(RowKey(pk), zero).value for pk in area]
    fewest = min(values)
    fewest_key = RowKey(area[values.index(fewest)])  # the first in the table's order
    record_ids = []
    if ids:
        record_ids = sorted(
            row_records(of, department_ids=department_ids, level=level, period=period, key=fewest_key).values_list(
                "pk", flat=True
            )
        )
    note = _("Fewest: %(unit)s (%(count)s of %(units)s units hold that few).") % {
        "unit": AdminUnit.objects.get(pk=fewest_key.unit_id).name,
        "count": values.count(fewest),
        "units": len(area),
    }
    return Value(fewest, record_ids, of.basis.records, note=str(note))
