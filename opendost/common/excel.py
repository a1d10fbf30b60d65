"""Streaming Excel (.xlsx) and CSV exports: the one export helper every register uses (S-18).

A register describes its export as a list of `Column`s (a translatable header and a function that
reads one row); `xlsx_response` and `csv_response` do the rest:

- every text cell is escaped against formula injection (ASVS 1.2.10): a value starting with
  = + - @ tab, carriage return or NUL gets a leading apostrophe, and is written as a string cell;
- dates are written dd/mm/yyyy (a real date cell in Excel, the text in CSV);
- rows are read lazily, so memory stays flat: XlsxWriter's `constant_memory` mode flushes each row
  to a temporary file, which is then streamed; CSV is generated row by row.

The caller decides which rows are exported (always a queryset already scoped to the user and
filtered exactly like the list page) and checks the export permission.
"""

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT_EXCEL = "dd/mm/yyyy"
DATETIME_FORMAT_EXCEL = "dd/mm/yyyy hh:mm"
DATE_FORMAT_TEXT = "%d/%m/%Y"
DATETIME_FORMAT_TEXT = "%d/%m/%Y %H:%M"


@dataclass(frozen=True)
class Column:
    """One exported column: `header` may be a lazy translation; `value(row)` returns a cell value
    (str, int, float, Decimal, bool, date, datetime or None)."""

    header: Any
    value: Callable[[Any], Any]
    width: int = 20


def _needs_escape(text: str) -> bool:
    """True for text a spreadsheet could read as a formula, and for text that already looks like our
    escape ("'" followed by such text), so that `unescape_formula(escape_formula(x)) == x` for every x."""
    while text.startswith("'"):
        text = text[1:]
        if not text:
            return False
        if text.startswith(FORMULA_PREFIXES):
            return True
    return bool(text) and text.startswith(FORMULA_PREFIXES)


def escape_formula(text: str) -> str:
    """Make text inert in spreadsheets: a leading ' stops Excel/LibreOffice reading it as a formula.

    Text that starts with apostrophes followed by = + - @ tab, CR or NUL gets one more apostrophe, so
    the escape stays reversible (see `unescape_formula` and docs/adr/0015-excel-import.md).
    """
    if text and _needs_escape(text):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    """The inverse of `escape_formula`, applied to every text cell an import reads (R-06).

    An apostrophe is taken as our escape only when the rest would itself need escaping; any other
    apostrophe ("'quoted", "Nhà 'A'") is kept as typed.
    """
    if text.startswith("'") and _needs_escape(text[1:]):
        return text[1:]
    return text


def _plain(value: Any) -> Any:
    """Turn a cell value into str/number/date/None; bools become translated Yes/No."""
    if value is None:
        return None
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    return force_str(value)


def _naive_local(value: dt.datetime) -> dt.datetime:
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def text_cell(value: Any) -> str:
    """The CSV form of one cell."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return _naive_local(value).strftime(DATETIME_FORMAT_TEXT)
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT_TEXT)
    if isinstance(value, int | float | Decimal):
        return str(value)
    return escape_formula(value)


def write_xlsx(target: str | IO[bytes], rows: Iterable, columns: list[Column], *, sheet_name: str = "Sheet1") -> int:
    """Write `rows` to an .xlsx file (a path or a binary file object); returns the number of data rows."""
    workbook = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "in_memory": False},
    )
    try:
        sheet = workbook.add_worksheet(force_str(sheet_name)[:31])
        header_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        date_format = workbook.add_format({"num_format": DATE_FORMAT_EXCEL})
        datetime_format = workbook.add_format({"num_format": DATETIME_FORMAT_EXCEL})
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width)
            sheet.write_string(0, index, force_str(column.header), header_format)
        sheet.freeze_panes(1, 0)
        count = 0
        for count, row in enumerate(rows, start=1):
            for index, column in enumerate(columns):
                value = _plain(column.value(row))
                if value is None:
                    continue
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(count, index, _naive_local(value), datetime_format)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(count, index, value, date_format)
                elif isinstance(value, int | float | Decimal):
                    sheet.write_number(count, index, float(value))
                else:
                    sheet.write_string(count, index, escape_formula(value))
    finally:
        workbook.close()
    return count


def xlsx_response(rows: Iterable, columns: list[Column], *, filename: str, sheet_name: str = "Sheet1") -> FileResponse:
    """An .xlsx download. The workbook goes through a temporary file (deleted when the response is
    closed), so a large export never sits in memory."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(handle, rows, columns, sheet_name=sheet_name)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_rows(rows: Iterable, columns: list[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff"  # a BOM, so Excel opens the UTF-8 file with its Vietnamese letters intact
    yield writer.writerow([force_str(c.header) for c in columns])
    for row in rows:
        yield writer.writerow([text_cell(c.value(row)) for c in columns])


def csv_response(rows: Iterable, columns: list[Column], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_rows(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
