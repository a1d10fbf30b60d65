"""The import kit: declare an import once, get header mapping, validation of every row, an error
report, all-or-nothing writes and idempotence on natural keys.

    ORGANIZATIONS = ImportSpec(
        name="subjects.organizations",
        title=_("Organisations"),
        columns=[Column("name", "Tên tổ chức", aliases=("Tên",), required=True, max_length=255), ...],
        natural_key=lambda values: ...,
        row_handler=organization_row,   # calls the register's services: same validation as the UI
    )

Headers are a Vietnamese file format (the template's headers); they and their aliases are matched
after `fold()`, so "TÊN TỔ CHỨC", "Ten to chuc" and an NFD "Tên tổ chức" are the same header. A
lazy (translated) alias is tried in every language of the site, so a file exported in either
language can be imported again.

The engine runs in two phases (see `services.import_file` for the ledger and the transaction):
1. `parse_rows`: every cell of every row is parsed and every row cleaned; all problems of all rows
   are collected. Rows with the same natural key are an error, so row order never matters.
2. `apply_rows`: only when phase 1 found nothing; the row handler (or the bulk handler) writes, and
   its ValidationErrors become row problems too. The caller rolls everything back if any remain.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from opendost.common.excel import Column as ExportColumn
from opendost.common.excel import write_xlsx
from opendost.common.text import fold
from opendost.imports import parsers
from opendost.imports.enums import Outcome

ERROR_HEADER = "Lỗi"  # the error column of the report: part of the Vietnamese file format
HEADER_SCAN_ROWS = 20


class RowInvalid(Exception):
    """Raised by a spec's `clean_row`: {column key (or ""): message or list of messages}."""

    def __init__(self, errors: dict[str, Any]):
        super().__init__(errors)
        self.errors = errors


class HeaderProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str
    header_vi: str
    aliases: tuple = ()
    required: bool = False
    parser: parsers.Parser = field(default_factory=parsers.text)
    max_length: int | None = None
    help: Any = ""
    width: int = 20

    def header_keys(self) -> set[str]:
        keys = {fold(self.header_vi), fold(self.key)}
        for alias in self.aliases:
            if isinstance(alias, Promise):
                for language, _name in settings.LANGUAGES:
                    with translation.override(language):
                        keys.add(fold(str(alias)))
            else:
                keys.add(fold(alias))
        return keys


@dataclass
class Row:
    number: int  # as Excel shows it
    raw: list  # the cells as read, in file order
    values: dict[str, Any]  # column key -> parsed value, only for columns present in the file
    key: tuple | None = None
    outcome: str = ""


@dataclass(frozen=True)
class RowIssue:
    row: int
    column: str  # the header as written in the file, or "" for a problem with the whole row
    value: Any
    message: str

    def as_dict(self) -> dict:
        value = self.value.strftime("%d/%m/%Y") if isinstance(self.value, dt.date) else self.value
        return {
            "row": self.row,
            "column": self.column,
            "value": "" if value is None else str(value),
            "message": self.message,
        }


@dataclass
class ImportContext:
    actor: Any
    department: Any = None
    dry_run: bool = False
    options: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, str(outcome), getattr(self, str(outcome)) + 1)


@dataclass(frozen=True)
class ImportSpec:
    name: str
    title: Any
    columns: Sequence[Column]
    natural_key: tuple[str, ...] | Callable[[dict], tuple | None]
    row_handler: Callable[[Row, ImportContext], str] | None = None
    # (rows, context) -> (Counts, [(row, {field: messages})]); validates every row, writes in bulk
    bulk_handler: Callable[[list[Row], ImportContext], tuple[Counts, list]] | None = None
    clean_row: Callable[[dict, ImportContext], dict] | None = None
    prepare: Callable[[list[Row], ImportContext], None] | None = None
    permissions: tuple[str, ...] = ()
    field_columns: dict[str, str] = field(default_factory=dict)  # service field -> column key
    list_url: str = ""  # URL name of the register's list page, for the breadcrumb

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def key_of(self, values: dict) -> tuple | None:
        """The natural key, folded: NFC/NFD, tone placement, đ and case do not make another key."""
        if callable(self.natural_key):
            key = self.natural_key(values)
        else:
            key = tuple(values.get(name) for name in self.natural_key)
        if key is None or all(part in (None, "") for part in key):
            return None
        return tuple(fold(part) if isinstance(part, str) else part for part in key)


@dataclass
class Parsed:
    header_number: int
    headers: list  # the header row as written
    mapping: dict[int, Column]
    rows: list[Row]
    issues: list[RowIssue]

    @property
    def column_headers(self) -> dict[str, str]:
        return {column.key: str(self.headers[index]) for index, column in self.mapping.items()}


# PHASE 1: HEADERS AND ROWS ------------------------------------------------------------------------
def map_headers(spec: ImportSpec, rows: Iterator[tuple[int, list]]) -> tuple[int, list, dict[int, Column]]:
    """Find the header row: the first of the first 20 rows holding every required header (else the
    one matching most headers, to name what is missing)."""
    keys = {column.key: column.header_keys() for column in spec.columns}
    best: tuple[int, int, list, dict] | None = None
    for _scanned, (number, cells) in zip(range(HEADER_SCAN_ROWS), rows, strict=False):
        mapping: dict[int, Column] = {}
        duplicated = []
        for index, cell in enumerate(cells):
            folded = fold(str(cell)) if cell is not None else ""
            column = next((c for c in spec.columns if folded and folded in keys[c.key]), None)
            if column is None:
                continue
            if column in mapping.values():
                duplicated.append(str(cell))
            else:
                mapping[index] = column
        if duplicated and len(mapping) >= 1:
            raise HeaderProblem(
                _("Row %(row)s has the column “%(header)s” twice.") % {"row": number, "header": duplicated[0]}
            )
        if all(c in mapping.values() for c in spec.columns if c.required) and mapping:
            return number, cells, mapping
        if mapping and (best is None or len(mapping) > best[0]):
            best = (len(mapping), number, cells, mapping)
    if best is None:
        raise HeaderProblem(
            _("No header row was found: the first row must hold the column names, as in the template.")
        )
    missing = [c.header_vi for c in spec.columns if c.required and c not in best[3].values()]
    raise HeaderProblem(
        _("Row %(row)s is missing the required columns: %(columns)s.")
        % {"row": best[1], "columns": ", ".join(missing)}
    )


def parse_rows(spec: ImportSpec, rows: Iterable[tuple[int, list]], context: ImportContext) -> Parsed:
    rows = iter(rows)
    header_number, headers, mapping = map_headers(spec, rows)
    parsed = Parsed(header_number, list(headers), mapping, [], [])
    headers_by_key = parsed.column_headers
    seen: dict[tuple, int] = {}
    key_columns = spec.natural_key if isinstance(spec.natural_key, tuple) else ()
    for number, cells in rows:
        row = Row(number=number, raw=list(cells), values={})
        row_issues: list[RowIssue] = []
        for index, column in mapping.items():
            value = cells[index] if index < len(cells) else None
            header = headers_by_key[column.key]
            if value is None:
                if column.required:
                    row_issues.append(RowIssue(number, header, None, _("This column is required.")))
                row.values[column.key] = column.parser.empty
                continue
            try:
                parsed_value = column.parser(value)
            except parsers.CellError as exc:
                row_issues.append(RowIssue(number, header, value, exc.message))
                continue
            if column.max_length and isinstance(parsed_value, str) and len(parsed_value) > column.max_length:
                row_issues.append(
                    RowIssue(
                        number,
                        header,
                        value,
                        _("Too long: %(length)s characters, at most %(max)s.")
                        % {"length": len(parsed_value), "max": column.max_length},
                    )
                )
                continue
            row.values[column.key] = parsed_value
        if not row_issues and spec.clean_row is not None:
            try:
                row.values = spec.clean_row(row.values, context)
            except RowInvalid as exc:
                row_issues += _issues_from_dict(spec, parsed, row, exc.errors)
        if not row_issues:
            row.key = spec.key_of(row.values)
            if row.key is not None:
                if row.key in seen:
                    first_key = key_columns[0] if key_columns else ""
                    row_issues.append(
                        RowIssue(
                            number,
                            headers_by_key.get(first_key, ""),
                            row.values.get(first_key),
                            _("Row %(row)s already describes this record: each record may appear once.")
                            % {"row": seen[row.key]},
                        )
                    )
                else:
                    seen[row.key] = number
        parsed.issues += row_issues
        parsed.rows.append(row)
    return parsed


def _issues_from_dict(spec: ImportSpec, parsed: Parsed, row: Row, errors: dict) -> list[RowIssue]:
    headers = parsed.column_headers
    issues = []
    for name, messages in errors.items():
        key = spec.field_columns.get(name, name)
        header = headers.get(key, "")
        if not header and spec.column(key):
            header = spec.column(key).header_vi
        value = row.values.get(key) if header else None
        if name == "__all__":
            header, value = "", None
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            issues.append(RowIssue(row.number, header, value, str(message)))
    return issues


# PHASE 2: WRITES ----------------------------------------------------------------------------------
def apply_rows(spec: ImportSpec, parsed: Parsed, context: ImportContext, *, bulk: bool = False) -> tuple[Counts, list]:
    """Write every row; returns counts and the problems the handlers found. The caller owns the
    transaction and must roll back when problems are returned."""
    if spec.prepare is not None:
        spec.prepare(parsed.rows, context)
    if bulk:
        if spec.bulk_handler is None:
            raise ValueError(f"{spec.name} has no bulk path")
        counts, problems = spec.bulk_handler(parsed.rows, context)
        issues = []
        for row, errors in problems:
            issues += _issues_from_dict(spec, parsed, row, errors)
        return counts, issues
    counts, issues = Counts(), []
    for row in parsed.rows:
        try:
            row.outcome = spec.row_handler(row, context)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            issues += _issues_from_dict(spec, parsed, row, errors)
        else:
            counts.add(Outcome(row.outcome))
    return counts, issues


# ERROR REPORT -------------------------------------------------------------------------------------
def write_error_report(target: str | IO[bytes], parsed: Parsed, issues: list[RowIssue]) -> int:
    """The file as uploaded (header row and every data row, same column order) plus a "Lỗi" column
    saying what is wrong with each bad row; fix the cells, delete nothing, and upload it again."""
    by_row: dict[int, list[str]] = {}
    for issue in issues:
        shown = "" if issue.value is None else f" ({RowIssue(0, '', issue.value, '').as_dict()['value']})"
        prefix = f"{issue.column}{shown}: " if issue.column else ""
        by_row.setdefault(issue.row, []).append(prefix + issue.message)
    width = max([len(parsed.headers), *(len(r.raw) for r in parsed.rows)])
    headers = [*parsed.headers, *[None] * (width - len(parsed.headers)), ERROR_HEADER]
    columns = [
        ExportColumn("" if header is None else str(header), lambda r, i=index: r[i], 60 if index == width else 20)
        for index, header in enumerate(headers)
    ]
    lines = (
        [*row.raw, *[None] * (width - len(row.raw)), "\n".join(by_row.get(row.number, [])) or None]
        for row in parsed.rows
    )
    return write_xlsx(target, lines, columns, sheet_name=ERROR_HEADER)


def count_issues_by_row(issues: list[RowIssue]) -> int:
    return len(Counter(issue.row for issue in issues))
