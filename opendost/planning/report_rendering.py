"""How a report becomes a .docx, a PDF and an Excel workbook.

THE DOCUMENT. A report is an official document in the NĐ 30/2020 layout (BÁO CÁO, type symbol
"BC"). The frame (issuing body, national title and motto, number, place and date, title, recipients,
signature block) and the text are an `OfficialDocument` rendered by the documents kernel
(`documents.rendering`), so the layout has one implementation. The kernel's content is text
blocks; a report also needs tables and a chart, so the body carries marker paragraphs that are
replaced after rendering: in the .docx by real Word tables (header row repeated on each page) and a
picture; in the PDF by HTML tables and an inline PNG before WeasyPrint lays it out, with the kernel's
URL fetcher (data: URIs and our fonts only). Markers carry a random nonce, so no text an officer types
can be taken for one.

Figures are printed the Vietnamese way (222.500; 239.040,14); in Excel they stay numbers. The
workbook is written with XlsxWriter, the runtime library `common.excel` already uses (openpyxl is a
development dependency here: the tests read the workbooks back with it).
"""

import base64
import io
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import xlsxwriter
from django.http import FileResponse
from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from weasyprint import HTML

from opendost.common.excel import XLSX_CONTENT_TYPE, escape_formula
from opendost.documents.rendering import _LocalOnlyFetcher, pdf_context
from opendost.documents.rendering import render_docx as kernel_render_docx
from opendost.documents.structure import Block, BlockStyle, OfficialDocument

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}


# NUMBERS -----------------------------------------------------------------------------------------
def vi_number(value, places: int = 2) -> str:
    """A figure as printed in a Vietnamese document: "." between thousands, "," before decimals,
    at most `places` decimals and no trailing zeros: 222500 -> "222.500", 10.65 -> "10,65"."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    text = f"{int(whole):,}".replace(",", ".")
    return sign + text + (f",{fraction}" if fraction else "")


# TABLES AND PICTURES -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    header: str
    width_mm: float
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    """Cells are text, a Decimal (a figure: printed the Vietnamese way, a number in Excel) or None."""

    cells: tuple
    bold: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def to_json(self) -> dict[str, Any]:
        def cell(value):
            return {"n": str(value)} if isinstance(value, Decimal) else value

        return {
            "key": self.key,
            "title": self.title,
            "columns": [{"header": c.header, "width_mm": c.width_mm, "numeric": c.numeric} for c in self.columns],
            "rows": [{"cells": [cell(v) for v in r.cells], "bold": r.bold} for r in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Table":
        def cell(value):
            return Decimal(value["n"]) if isinstance(value, dict) else value

        return cls(
            key=data["key"],
            title=data["title"],
            columns=tuple(Column(**c) for c in data["columns"]),
            rows=tuple(Row(tuple(cell(v) for v in r["cells"]), r.get("bold", False)) for r in data["rows"]),
        )


@dataclass(frozen=True)
class Picture:
    png: bytes
    caption: str
    width_mm: float = 160


@dataclass
class Draft:
    """A report ready to render: the kernel's document, with the tables and pictures its marker
    paragraphs stand for."""

    document: OfficialDocument
    inserts: dict[str, Table | Picture] = field(default_factory=dict)
    nonce: str = field(default_factory=lambda: secrets.token_hex(4))

    def marker(self, key: str) -> str:
        return f"@@{self.nonce}-{key}@@"

    def key_of(self, text: str) -> str | None:
        match = re.fullmatch(rf"@@{self.nonce}-([a-z0-9-]+)@@", text.strip())
        return match.group(1) if match else None

    @property
    def tables(self) -> list[Table]:
        return [t for t in self.inserts.values() if isinstance(t, Table)]

    @property
    def picture(self) -> Picture | None:
        return next((p for p in self.inserts.values() if isinstance(p, Picture)), None)


class Body:
    """Builds the body blocks of a draft: text, headings numbered I, II, …, and markers."""

    def __init__(self, draft_nonce: str | None = None):
        self.blocks: list[Block] = []
        self.inserts: dict[str, Table | Picture] = {}
        self.nonce = draft_nonce or secrets.token_hex(4)
        self.sections = 0

    def heading(self, text: str) -> None:
        self.sections += 1
        self.blocks.append(Block(f"{ROMAN.get(self.sections, self.sections)}. {text}", BlockStyle.HEADING))

    def text(self, text: str, lead: str = "") -> None:
        style = BlockStyle.ITEM if lead else BlockStyle.PARAGRAPH
        self.blocks.append(Block(text, style, lead))

    def free_text(self, text: str, empty: str) -> None:
        """What the officer typed, one paragraph per line; `empty` when nothing was."""
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        for line in lines or [empty]:
            self.text(line)

    def insert(self, item: Table | Picture) -> None:
        key = item.key if isinstance(item, Table) else f"picture-{len(self.inserts) + 1}"
        self.inserts[key] = item
        self.blocks.append(Block(f"@@{self.nonce}-{key}@@"))

    def draft(self, **document) -> Draft:
        return Draft(OfficialDocument(body=tuple(self.blocks), **document), self.inserts, self.nonce)


# RENDERING ---------------------------------------------------------------------------------------
FONT_NAME = "Times New Roman"
TABLE_SIZE = 10.5
TITLE_SIZE = 12


def _font(run, *, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT_NAME
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT_NAME)


def cell_text(value) -> str:
    if isinstance(value, Decimal):
        return vi_number(value)
    return "—" if value in (None, "") else str(value)


def _plain_paragraph(paragraph, *, align) -> None:
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Mm(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def _docx_table(document, marker, table: Table) -> None:
    """The marker paragraph becomes the table's title; the table follows it."""
    for run in list(marker.runs):
        run._r.getparent().remove(run._r)
    _plain_paragraph(marker, align=WD_ALIGN_PARAGRAPH.CENTER)
    marker.paragraph_format.space_before = Pt(6)
    marker.paragraph_format.space_after = Pt(3)
    marker.paragraph_format.keep_with_next = True
    _font(marker.add_run(table.title), size=TITLE_SIZE, bold=True)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    margins = OxmlElement("w:tblCellMar")  # narrow cell margins (0.1 cm): nine columns share 165 mm
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    grid._tbl.tblPr.append(margins)
    header = grid.rows[0]
    properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row is repeated on every page
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for column, spec in zip(grid.columns, table.columns, strict=True):
        column.width = Mm(spec.width_mm)
    for index, spec in enumerate(table.columns):
        cell = header.cells[index]
        cell.width = Mm(spec.width_mm)
        paragraph = cell.paragraphs[0]
        _plain_paragraph(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER)
        _font(paragraph.add_run(spec.header), size=TABLE_SIZE, bold=True)
    for row, data in zip(grid.rows[1:], table.rows, strict=True):
        for index, spec in enumerate(table.columns):
            cell = row.cells[index]
            cell.width = Mm(spec.width_mm)
            paragraph = cell.paragraphs[0]
            align = WD_ALIGN_PARAGRAPH.RIGHT if spec.numeric else WD_ALIGN_PARAGRAPH.LEFT
            if index == 0 and not spec.numeric and len(table.columns) > 2 and spec.header == "STT":
                align = WD_ALIGN_PARAGRAPH.CENTER
            _plain_paragraph(paragraph, align=align)
            _font(paragraph.add_run(cell_text(data.cells[index])), size=TABLE_SIZE, bold=data.bold)
    marker._p.addnext(grid._tbl)


def _docx_picture(marker, picture: Picture) -> None:
    for run in list(marker.runs):
        run._r.getparent().remove(run._r)
    _plain_paragraph(marker, align=WD_ALIGN_PARAGRAPH.CENTER)
    marker.paragraph_format.space_before = Pt(6)
    marker.paragraph_format.keep_with_next = True
    marker.add_run().add_picture(io.BytesIO(picture.png), width=Mm(picture.width_mm))
    caption = OxmlElement("w:p")
    marker._p.addnext(caption)
    paragraph = Paragraph(caption, marker._parent)
    _plain_paragraph(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.space_after = Pt(6)
    _font(paragraph.add_run(f"Biểu đồ: {picture.caption}"), size=TITLE_SIZE, italic=True)


def render_docx(draft: Draft) -> bytes:
    document = Document(io.BytesIO(kernel_render_docx(draft.document)))
    for paragraph in list(document.paragraphs):
        key = draft.key_of(paragraph.text)
        if key is None:
            continue
        insert = draft.inserts[key]
        if isinstance(insert, Table):
            _docx_table(document, paragraph, insert)
        else:
            _docx_picture(paragraph, insert)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF_CSS = """
  table.data { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0 0 6pt 0; }
  table.data th, table.data td { border: 0.5pt solid #000; padding: 1pt 2pt; font-size: 10.5pt;
    vertical-align: top; text-indent: 0; overflow-wrap: break-word; }
  table.data th { font-weight: bold; text-align: center; vertical-align: middle; }
  table.data td.num { text-align: right; }
  table.data td.stt { text-align: center; }
  table.data tr.bold td { font-weight: bold; }
  p.table-title { text-align: center; font-weight: bold; font-size: 12pt; margin: 6pt 0 3pt 0; text-indent: 0;
    page-break-after: avoid; }
  div.picture { text-align: center; margin: 6pt 0; page-break-inside: avoid; }
  div.picture img { width: 160mm; }
  div.picture p { font-style: italic; font-size: 12pt; text-indent: 0; text-align: center; }
"""


def render_pdf(draft: Draft) -> bytes:
    html = render_to_string("documents/official.html", pdf_context(draft.document))

    def swap(match: re.Match) -> str:
        insert = draft.inserts[match.group(1)]
        if isinstance(insert, Table):
            rows = [
                {
                    "bold": row.bold,
                    "cells": [
                        (cell_text(value), "num" if spec.numeric else ("stt" if spec.header == "STT" else ""))
                        for value, spec in zip(row.cells, insert.columns, strict=True)
                    ],
                }
                for row in insert.rows
            ]
            widths = [f"{c.width_mm}mm" for c in insert.columns]
            return render_to_string(
                "planning/reports/_pdf_table.html",
                {"table": insert, "rows": rows, "columns": list(zip(insert.columns, widths, strict=True))},
            )
        uri = "data:image/png;base64," + base64.b64encode(insert.png).decode()
        return render_to_string("planning/reports/_pdf_picture.html", {"picture": insert, "uri": uri})

    pattern = rf'<p class="{BlockStyle.PARAGRAPH}">\s*@@{draft.nonce}-([a-z0-9-]+)@@\s*</p>'
    html = re.sub(pattern, swap, html)
    html = html.replace("</style>", PDF_CSS + "</style>", 1)
    return HTML(string=html, url_fetcher=_LocalOnlyFetcher(allowed_protocols={"data", "file"})).write_pdf()


# EXCEL -------------------------------------------------------------------------------------------
def _sheet_name(index: int, title: str, used: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", " ", title)
    name = f"{index}. {clean}"[:31].strip()
    while name in used:
        name = f"{index}-{len(used)}"[:31]
    used.add(name)
    return name


def write_tables_xlsx(target, tables: list[Table], *, heading: str = "") -> None:
    """Every table on its own sheet: its title, the column headers, then the rows; figures are
    numbers, text is escaped against formula injection (common.excel)."""
    workbook = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False})
    try:
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
        used: set[str] = set()
        for index, table in enumerate(tables, start=1):
            sheet = workbook.add_worksheet(_sheet_name(index, table.title, used))
            sheet.write_string(0, 0, escape_formula(table.title), bold)
            if heading:
                sheet.write_string(1, 0, escape_formula(heading))
            for column, spec in enumerate(table.columns):
                sheet.set_column(column, column, max(8, int(spec.width_mm * 0.9)))
                sheet.write_string(2, column, escape_formula(spec.header), header)
            sheet.freeze_panes(3, 0)
            for number, row in enumerate(table.rows, start=3):
                for column, value in enumerate(row.cells):
                    if value is None or value == "":
                        continue
                    if isinstance(value, Decimal | int | float):
                        sheet.write_number(number, column, float(value), bold if row.bold else None)
                    else:
                        sheet.write_string(number, column, escape_formula(str(value)), bold if row.bold else None)
    finally:
        workbook.close()


def tables_xlsx_response(tables: list[Table], *, filename: str, heading: str = "") -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_tables_xlsx(handle, tables, heading=heading)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
