"""Writers for administrative units: loading both code sets from the `vietnam-provinces` package.

The package (GPL-3.0-or-later) is the maintained source of the units and of the 2025 succession
table (docs/adr/0004-administrative-units-data.md). Loading is a sync, not an append: it creates
what is missing, updates names that changed in a newer package version and removes successions the
package no longer lists. Units are never deleted (records point at them with PROTECT); a unit that
disappeared from the package is reported as stale.
"""

import datetime
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from opendost.common.text import fold
from opendost.geography.enums import AdminLevel, CodeSet, SuccessionRelation

CURRENT_VALID_FROM = datetime.date(2025, 7, 1)
LEGACY_VALID_TO = datetime.date(2025, 6, 30)
SUCCESSION_EFFECTIVE_ON = CURRENT_VALID_FROM

# Zero-padded width of a code per level, as the package (and the GSO list) writes them.
CODE_WIDTH = {AdminLevel.PROVINCE: 2, AdminLevel.DISTRICT: 3, AdminLevel.COMMUNE: 5}
UNIT_FIELDS = ["name", "division_type", "codename", "name_folded", "parent", "province", "valid_from", "valid_to"]

Key = tuple[str, str, str]  # (code_set, level, code)


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: list[Key] = field(default_factory=list)
    successions_created: int = 0
    successions_updated: int = 0
    successions_deleted: int = 0
    package_version: str = ""
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.successions_created
            or self.successions_updated
            or self.successions_deleted
        )


@dataclass(frozen=True)
class _UnitRow:
    code_set: str
    level: str
    code: str
    name: str
    division_type: str
    codename: str
    parent: Key | None
    province: Key | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    @property
    def key(self) -> Key:
        return (self.code_set, self.level, self.code)


def _code(level: str, value: int) -> str:
    return str(int(value)).zfill(CODE_WIDTH[level])


def _package_rows() -> tuple[list[_UnitRow], dict[tuple[Key, Key], str]]:
    """Every unit of both sets, and the succession pairs (old key, new key) -> relation."""
    from vietnam_provinces import Province, Ward
    from vietnam_provinces.legacy import District as OldDistrict
    from vietnam_provinces.legacy import Province as OldProvince
    from vietnam_provinces.legacy import Ward as OldWard

    P, D, C = AdminLevel.PROVINCE.value, AdminLevel.DISTRICT.value, AdminLevel.COMMUNE.value
    new, old = CodeSet.CURRENT.value, CodeSet.PRE_2025.value

    def row(code_set: str, level: str, unit, parent: Key | None = None, province: Key | None = None) -> _UnitRow:
        current = code_set == new
        return _UnitRow(
            code_set=code_set,
            level=level,
            code=_code(level, unit.code.value),
            name=unit.name,
            division_type=str(unit.division_type),
            codename=unit.codename,
            parent=parent,
            province=province,
            valid_from=CURRENT_VALID_FROM if current else None,
            valid_to=None if current else LEGACY_VALID_TO,
        )

    new_provinces = list(Province.iter_all())
    new_wards = list(Ward.iter_all())
    rows = [row(new, P, p) for p in new_provinces]
    for w in new_wards:
        province = (new, P, _code(P, w.province_code.value))
        rows.append(row(new, C, w, province, province))

    rows += [row(old, P, p) for p in OldProvince.iter_all()]
    district_province: dict[str, Key] = {}
    for d in OldDistrict.iter_all():
        province = (old, P, _code(P, d.province_code.value))
        district_province[_code(D, d.code.value)] = province
        rows.append(row(old, D, d, province, province))
    for w in OldWard.iter_all():
        district_code = _code(D, w.district_code.value)
        rows.append(row(old, C, w, (old, D, district_code), district_province[district_code]))

    pairs: dict[tuple[Key, Key], str] = {}
    for level, units in ((P, new_provinces), (C, new_wards)):
        edges = [
            ((old, level, _code(level, src.code.value)), (new, level, _code(level, unit.code.value)))
            for unit in units
            for src in unit.get_legacy_sources()
        ]
        # An old unit that feeds more than one new unit was split: each piece is a "part".
        fan_out = Counter(old_key for old_key, _ in edges)
        for old_key, new_key in edges:
            relation = SuccessionRelation.PART if fan_out[old_key] > 1 else SuccessionRelation.WHOLE
            pairs[(old_key, new_key)] = relation.value
    return rows, pairs


def sync_admin_units(unit_model, succession_model) -> LoadReport:
    """Bring the unit and succession tables in line with the installed package.

    Takes the model classes so the data migration can pass its historical models.
    """
    import vietnam_provinces

    started = time.perf_counter()
    report = LoadReport(package_version=vietnam_provinces.__version__)
    rows, pairs = _package_rows()

    existing = {(u.code_set, u.level, u.code): u for u in unit_model.objects.all()}
    ids: dict[Key, int] = {key: u.pk for key, u in existing.items()}
    seen: set[Key] = set()

    # Parents first: provinces, then districts, then communes, so every parent has a pk.
    for level in (AdminLevel.PROVINCE, AdminLevel.DISTRICT, AdminLevel.COMMUNE):
        to_create, to_update = [], []
        for row in rows:
            if row.level != level:
                continue
            seen.add(row.key)
            values = {
                "name": row.name,
                "division_type": row.division_type,
                "codename": row.codename,
                "name_folded": fold(row.name),
                "parent_id": ids[row.parent] if row.parent else None,
                "province_id": ids[row.province] if row.province else None,
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
            }
            unit = existing.get(row.key)
            if unit is None:
                to_create.append(unit_model(code_set=row.code_set, level=row.level, code=row.code, **values))
            elif any(getattr(unit, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(unit, name, value)
                to_update.append(unit)
            else:
                report.unchanged += 1
        for unit in unit_model.objects.bulk_create(to_create, batch_size=2000):
            ids[(unit.code_set, unit.level, unit.code)] = unit.pk
        unit_model.objects.bulk_update(to_update, UNIT_FIELDS, batch_size=1000)
        report.created += len(to_create)
        report.updated += len(to_update)
    report.stale = sorted(set(existing) - seen)

    wanted = {(ids[old_key], ids[new_key]): relation for (old_key, new_key), relation in pairs.items()}
    have = {(s.old_unit_id, s.new_unit_id): s for s in succession_model.objects.all()}
    to_create = [
        succession_model(old_unit_id=o, new_unit_id=n, relation=rel, effective_on=SUCCESSION_EFFECTIVE_ON)
        for (o, n), rel in wanted.items()
        if (o, n) not in have
    ]
    to_update = []
    for pair, succession in have.items():
        relation = wanted.get(pair)
        if relation is not None and (
            succession.relation != relation or succession.effective_on != SUCCESSION_EFFECTIVE_ON
        ):
            succession.relation, succession.effective_on = relation, SUCCESSION_EFFECTIVE_ON
            to_update.append(succession)
    obsolete = [s.pk for pair, s in have.items() if pair not in wanted]
    succession_model.objects.bulk_create(to_create, batch_size=2000)
    succession_model.objects.bulk_update(to_update, ["relation", "effective_on"], batch_size=1000)
    if obsolete:
        succession_model.objects.filter(pk__in=obsolete).delete()
    report.successions_created = len(to_create)
    report.successions_updated = len(to_update)
    report.successions_deleted = len(obsolete)
    report.seconds = time.perf_counter() - started
    return report


@transaction.atomic
def admin_units_load(*, actor=None) -> LoadReport:
    """Load or refresh both sets of administrative units and their successions (idempotent).

    `actor` is None when run by a migration or a management command.
    """
    from opendost.geography.models import AdminUnit, AdminUnitSuccession

    return sync_admin_units(AdminUnit, AdminUnitSuccession)
