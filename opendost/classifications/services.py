"""Writers for S&T field classifications: the shipped data and the import of an official table.

A table is imported whole or not at all: every row is checked first (code format for its level,
parent present, no duplicate) and each bad row is reported with its number and reason. Import is an
upsert by (scheme, code); a node missing from the file is kept (records point at it) and reported.
See docs/adr/0006-st-field-classification.md.
"""

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opendost.common.text import normalize

DATA_DIR = Path(__file__).resolve().parent / "data"
# Digits of a code at each level: 1 field (1-6), 3 sector, 5 major, 7 sub-field.
CODE_LENGTH = {1: 1, 2: 3, 3: 5, 4: 7}
LEVEL_OF_LENGTH = {length: level for level, length in CODE_LENGTH.items()}
MAX_ROWS = 20_000


@dataclass(frozen=True)
class NodeRow:
    line: int
    code: str
    name: str
    level: int
    parent_code: str | None


@dataclass
class ImportReport:
    scheme: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)


class ImportRowsError(ValidationError):
    """Raised with one message per bad row; nothing was written."""


def _cell(value) -> str:
    """A cell as text: spreadsheets give 101.0 for 101."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(str(value))


def rows_read(path: str | Path) -> list[dict[str, str]]:
    """Rows of a .csv (UTF-8, with header) or the first sheet of an .xlsx, as dicts keyed by header."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle))
    elif suffix in {".xlsx", ".xls", ".ods"}:
        from python_calamine import CalamineWorkbook

        table = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=True)
    else:
        raise ValidationError(_("Give a .csv or .xlsx file."))
    if not table:
        raise ValidationError(_("The file is empty."))
    header = [_cell(h).lower() for h in table[0]]
    return [dict(zip(header, (_cell(c) for c in row), strict=False)) for row in table[1:]]


def rows_validate(raw_rows: list[dict[str, str]], *, existing_codes: set[str] = frozenset()) -> list[NodeRow]:
    """Check every row; raise ImportRowsError listing each bad one. Line numbers count the header as 1."""
    if raw_rows and not {"code", "name"} <= set(raw_rows[0]):
        raise ImportRowsError(
            [_("The header must have the columns “code” and “name” (and may have “level” and “parent_code”).")]
        )
    if len(raw_rows) > MAX_ROWS:
        raise ImportRowsError([_("The file has more than %(max)d rows.") % {"max": MAX_ROWS}])
    errors: list[tuple[int, str]] = []
    rows: list[NodeRow] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(raw_rows, start=2):
        code, name = raw.get("code", ""), raw.get("name", "")
        if not code and not name and not any(raw.values()):
            continue  # blank line
        problems = []
        level = LEVEL_OF_LENGTH.get(len(code)) if code.isdigit() else None
        if level is None:
            problems.append(_("code “%(code)s” is not 1, 3, 5 or 7 digits") % {"code": code})
        elif not "1" <= code[0] <= "6":
            problems.append(_("code “%(code)s” does not start with a field number 1 to 6") % {"code": code})
        given_level = raw.get("level", "")
        if level is not None and given_level and given_level != str(level):
            problems.append(
                _("level %(given)s does not match code “%(code)s” (a level-%(level)d code has %(digits)d digits)")
                % {"given": given_level, "code": code, "level": level, "digits": CODE_LENGTH[level]}
            )
        if not name:
            problems.append(_("the name is empty"))
        elif len(name) > 255:
            problems.append(_("the name is longer than 255 characters"))
        if code in seen:
            problems.append(_("code “%(code)s” is already on line %(line)d") % {"code": code, "line": seen[code]})
        parent_code = None
        if level is not None and level > 1:
            parent_code = code[: CODE_LENGTH[level - 1]]
            given_parent = raw.get("parent_code", "")
            if given_parent and given_parent != parent_code:
                problems.append(
                    _("parent “%(given)s” does not match code “%(code)s” (expected “%(parent)s”)")
                    % {"given": given_parent, "code": code, "parent": parent_code}
                )
        if problems:
            errors.append((line, _("Line %(line)d: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}))
        else:
            seen[code] = line
            rows.append(NodeRow(line=line, code=code, name=name, level=level, parent_code=parent_code))
    codes = set(seen) | set(existing_codes)
    for row in rows:
        if row.parent_code and row.parent_code not in codes:
            message = _(
                "Line %(line)d: parent “%(parent)s” of code “%(code)s” is neither in the file nor in the scheme."
            )
            errors.append((row.line, message % {"line": row.line, "parent": row.parent_code, "code": row.code}))
    if errors:
        raise ImportRowsError([message for _line, message in sorted(errors)])
    if not rows:
        raise ImportRowsError([_("The file has no rows.")])
    return rows


def sync_nodes(scheme, rows: list[NodeRow], node_model, *, update_existing: bool = True) -> ImportReport:
    """Upsert validated rows into a scheme, parents before children. Takes the model for migrations.

    With `update_existing=False` only missing nodes are added (the shipped seed never overwrites
    names that an official import corrected).
    """
    report = ImportReport(scheme=scheme.code)
    existing = {n.code: n for n in node_model.objects.filter(scheme=scheme)}
    ids = {code: n.pk for code, n in existing.items()}
    for level in sorted({r.level for r in rows}):
        to_create, to_update = [], []
        for row in rows:
            if row.level != level:
                continue
            values = {
                "name": row.name,
                "level": row.level,
                "parent_id": ids[row.parent_code] if row.parent_code else None,
            }
            node = existing.get(row.code)
            if node is None:
                to_create.append(node_model(scheme=scheme, code=row.code, **values))
            elif update_existing and any(getattr(node, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(node, k, v)
                to_update.append(node)
            else:
                report.unchanged += 1
        for node in node_model.objects.bulk_create(to_create):
            ids[node.code] = node.pk
        node_model.objects.bulk_update(to_update, ["name", "level", "parent"])
        report.created += len(to_create)
        report.updated += len(to_update)
    report.not_in_file = sorted(set(existing) - {r.code for r in rows})
    return report


@transaction.atomic
def classification_import(*, scheme_code: str, raw_rows: list[dict[str, str]], actor=None) -> ImportReport:
    """Import an official table (or part of one) into a known scheme, all or nothing."""
    from opendost.classifications.models import ClassificationNode, ClassificationScheme

    scheme = ClassificationScheme.objects.filter(code=scheme_code).first()
    if scheme is None:
        known = ", ".join(ClassificationScheme.objects.values_list("code", flat=True))
        raise ValidationError(
            _("Unknown scheme “%(code)s”. Known schemes: %(known)s.") % {"code": scheme_code, "known": known}
        )
    existing = set(ClassificationNode.objects.filter(scheme=scheme).values_list("code", flat=True))
    rows = rows_validate(raw_rows, existing_codes=existing)
    return sync_nodes(scheme, rows, ClassificationNode)


def load_shipped(scheme_model, node_model) -> list[ImportReport]:
    """Add the schemes and nodes shipped in data/ that are missing (used by the data migration).

    Existing schemes and nodes are left as they are: an official import is the authority on names.
    """
    reports = []
    for raw in rows_read(DATA_DIR / "schemes.csv"):
        values = {
            "name": raw["name"],
            "legal_basis": raw["legal_basis"],
            "effective_from": datetime.date.fromisoformat(raw["effective_from"]) if raw["effective_from"] else None,
            "effective_to": datetime.date.fromisoformat(raw["effective_to"]) if raw["effective_to"] else None,
            "source_note": raw["source_note"],
        }
        scheme, _created = scheme_model.objects.get_or_create(code=raw["code"], defaults=values)
        rows = rows_validate(rows_read(DATA_DIR / f"{scheme.code}.csv"))
        reports.append(sync_nodes(scheme, rows, node_model, update_existing=False))
    return reports


@transaction.atomic
def classifications_load(*, actor=None) -> list[ImportReport]:
    """Add any shipped scheme or node that is missing (idempotent)."""
    from opendost.classifications.models import ClassificationNode, ClassificationScheme

    return load_shipped(ClassificationScheme, ClassificationNode)
