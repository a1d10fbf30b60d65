"""Reading an uploaded spreadsheet safely (S-16): refuse first, unpack later.

Before python-calamine sees a file, `inspect_file` checks, from the bytes on disk and the zip
directory only (nothing is decompressed beyond a sheet's first 64 KB):

1. the file size (OPENDOST_IMPORT_MAX_BYTES);
2. the format, from the magic bytes (zip: .xlsx or .ods; OLE2: .xls; anything else: CSV text);
3. for zip formats: the member count, the total uncompressed size, the compression ratio of every
   member (a zip bomb is a small member that claims to inflate a thousandfold), and external-link
   parts (`xl/externalLinks/`), which make Excel fetch other files;
4. for .xlsx: the row count each worksheet declares in its `<dimension ref="A1:J1000000"/>`.

`read_rows` then streams rows and still stops at the row limit (CSV and .ods declare no dimension).
Cells are normalised: integral floats become ints (calamine reads every number as a float), a
datetime at midnight becomes a date, our formula escape is removed (R-06) and text is stripped
(leading whitespace the escape protected is kept).
"""

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from opendost.common.excel import unescape_formula

XLSX, XLS, ODS, CSV = "xlsx", "xls", "ods", "csv"
EXTENSIONS = {".xlsx": XLSX, ".xlsm": XLSX, ".xls": XLS, ".ods": ODS, ".csv": CSV}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*(\d*)(?::[A-Z]*(\d+))?\"")
_ODS_REPEAT = re.compile(rb"number-(rows|columns)-repeated=\"(\d+)\"")
MAX_REPEATED_CELLS = 1024
_SNIFF_BYTES = 64 * 1024


class UnsafeFile(Exception):
    """The file is refused before being unpacked; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_uncompressed: int
    max_ratio: int
    max_members: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_bytes=getattr(settings, "OPENDOST_IMPORT_MAX_BYTES", 20 * 1024 * 1024),
            max_rows=getattr(settings, "OPENDOST_IMPORT_MAX_ROWS", 200_000),
            max_uncompressed=getattr(settings, "OPENDOST_IMPORT_MAX_UNCOMPRESSED", 400 * 1024 * 1024),
            max_ratio=getattr(settings, "OPENDOST_IMPORT_MAX_RATIO", 200),
            max_members=getattr(settings, "OPENDOST_IMPORT_MAX_MEMBERS", 1000),
        )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def detect_format(path: Path, file_name: str) -> str:
    with open(path, "rb") as handle:
        head = handle.read(8)
    extension = EXTENSIONS.get(Path(file_name).suffix.lower())
    if head.startswith(_ZIP_MAGIC):
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            return XLSX
        if "content.xml" in names and "mimetype" in names:
            return ODS
        raise UnsafeFile(_("This is not an Excel (.xlsx) or OpenDocument (.ods) spreadsheet."))
    if head.startswith(_OLE_MAGIC):
        return XLS
    if extension == CSV:
        return CSV
    raise UnsafeFile(_("Upload an Excel file (.xlsx, .xls), an OpenDocument spreadsheet (.ods) or a CSV file."))


def inspect_file(path: Path, file_name: str, *, limits: Limits | None = None) -> str:
    """Run every check that needs no unpacking; return the format or raise UnsafeFile."""
    limits = limits or Limits.from_settings()
    size = Path(path).stat().st_size
    if size > limits.max_bytes:
        raise UnsafeFile(
            _("The file is %(size)s; files up to %(limit)s can be imported.")
            % {"size": _mb(size), "limit": _mb(limits.max_bytes)}
        )
    if size == 0:
        raise UnsafeFile(_("The file is empty."))
    try:
        file_format = detect_format(path, file_name)
        if file_format in (XLSX, ODS):
            _inspect_zip(path, file_format, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise UnsafeFile(_("The file is damaged and cannot be read.")) from exc
    return file_format


def _inspect_zip(path: Path, file_format: str, limits: Limits) -> None:
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise UnsafeFile(_("The file has too many parts to be a normal spreadsheet."))
        total = 0
        for info in members:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
                raise UnsafeFile(_("The file is compressed abnormally (a possible zip bomb) and was refused."))
            if info.filename.lower().startswith("xl/externallinks/"):
                raise UnsafeFile(
                    _("The file links to other workbooks (external links). Copy the values in and upload it again.")
                )
        if total > limits.max_uncompressed:
            raise UnsafeFile(
                _("The file unpacks to %(size)s, more than the %(limit)s allowed.")
                % {"size": _mb(total), "limit": _mb(limits.max_uncompressed)}
            )
        for info in members:
            name = info.filename.lower()
            if file_format == XLSX and name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(info) as member:
                    head = member.read(_SNIFF_BYTES)
                match = _DIMENSION.search(head)
                if match:
                    _check_rows(int(match.group(2) or match.group(1) or 0), limits)
            elif file_format == ODS and name == "content.xml":
                _inspect_ods(archive, info, limits)


def _inspect_ods(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    """OpenDocument repeats rows and cells with an attribute, and calamine expands a repeated
    non-empty row (one 50-byte row repeated a million times costs ~140 MB). LibreOffice writes the
    empty rest of a sheet as one huge repeat of an empty row: that is harmless and allowed. content.xml
    is streamed 1 MB at a time, keeping 64 KB of overlap so a row cut by a chunk is seen whole."""
    overlap = 64 * 1024
    data = b""
    with archive.open(info) as member:
        while chunk := member.read(1024 * 1024):
            data = data[-overlap:] + chunk
            for match in _ODS_REPEAT.finditer(data):
                count, is_row = int(match.group(2)), match.group(1) == b"rows"
                limit = limits.max_rows if is_row else MAX_REPEATED_CELLS
                if count > limit and not _repeat_is_empty(data, match.end(), is_row):
                    if is_row:
                        _check_rows(count, limits)
                    raise UnsafeFile(_("The sheet repeats a cell %(count)s times and was refused.") % {"count": count})


def _repeat_is_empty(data: bytes, end: int, is_row: bool) -> bool:
    """True when the repeated element holds no value; False when unsure (cut off by the buffer)."""
    tag_end = data.find(b">", end)
    if tag_end == -1:
        return False
    if data[tag_end - 1 : tag_end] == b"/":
        return True
    close = data.find(b"</table:table-row>" if is_row else b"</table:table-cell>", tag_end)
    if close == -1:
        return False
    segment = data[tag_end:close]
    return b"value-type" not in segment and b"<text:" not in segment


def _check_rows(rows: int, limits: Limits) -> None:
    if rows > limits.max_rows:
        raise UnsafeFile(
            _("The sheet has %(rows)s rows; at most %(limit)s rows can be imported at once. Split the file.")
            % {"rows": f"{rows:,}".replace(",", "."), "limit": f"{limits.max_rows:,}".replace(",", ".")}
        )


# READING ------------------------------------------------------------------------------------------
def normalize_cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        unescaped = unescape_formula(value)
        if unescaped != value:  # our escape protects leading whitespace (a tab, a CR)
            return unescaped.rstrip() or None
        return value.strip() or None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def read_rows(path: Path, file_format: str, *, limits: Limits | None = None) -> Iterator[tuple[int, list]]:
    """Yield (row number as Excel shows it, normalised cells) for the first sheet; blank rows skipped."""
    limits = limits or Limits.from_settings()
    rows = _read_csv(path) if file_format == CSV else _read_workbook(path)
    for number, cells in rows:
        if number - 1 > limits.max_rows:
            _check_rows(number - 1, limits)
        values = [normalize_cell(c) for c in cells]
        while values and values[-1] is None:
            values.pop()
        if values:
            yield number, values


def _read_workbook(path: Path) -> Iterator[tuple[int, list]]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            sheet = workbook.get_sheet_by_index(0)
            first = sheet.start[0] if sheet.start else 0
            for index, cells in enumerate(sheet.iter_rows()):
                yield first + index + 1, cells
        finally:
            workbook.close()
    except CalamineError as exc:
        raise UnsafeFile(_("The file is damaged and cannot be read.")) from exc


def _read_csv(path: Path) -> Iterator[tuple[int, list]]:
    raw = Path(path).read_bytes()
    text = None
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = codecs.decode(raw, encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:  # pragma: no cover - cp1258 decodes nearly anything
        raise UnsafeFile(_("Save the CSV file as UTF-8 and upload it again."))
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)  # Excel shows record n of a CSV as row n
    except csv.Error as exc:
        raise UnsafeFile(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc
