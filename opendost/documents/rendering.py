"""Render an `OfficialDocument` as .docx (python-docx) and as PDF (WeasyPrint), in the NĐ 30/2020 layout.

Page set-up (Appendix I; domain-procedures §2.1): A4 portrait; margins top 20, bottom 25 (room for the
QR footer), left 30, right 15 mm; Times New Roman; body 14 pt justified with a 1.27 cm first-line
indent, single spacing, 6 pt between paragraphs; page numbers centred in the top margin from page 2.

Times New Roman cannot be installed freely on Linux, so the PDF embeds Liberation Serif 2 (metric
compatible, full Vietnamese coverage; `fonts-liberation2`), else DejaVu Serif. The .docx names
"Times New Roman": Word uses the real font, LibreOffice substitutes Liberation Serif.
"""

import base64
import io
from functools import cache
from pathlib import Path
from typing import Any

import qrcode
import qrcode.constants
from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from opendost.documents.structure import (
    MOTTO,
    NATIONAL_TITLE,
    NUMBER_LABEL,
    RECIPIENTS_LABEL,
    VERIFY_LABEL,
    BlockStyle,
    OfficialDocument,
)

FONT_NAME = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(25), Mm(30), Mm(15)
HEADER_LEFT, HEADER_RIGHT = Mm(72), Mm(93)  # = 165 mm, the text width
# Sizes inside the NĐ 30 ranges chosen so each header line fits its column on one line.
PARENT_SIZE, BODY_NAME_SIZE, NATIONAL_TITLE_SIZE, MOTTO_SIZE = 13, 12.5, 12, 14
BODY_SIZE = 14
FIRST_LINE_INDENT = Cm(1.27)
QR_SIZE_MM = 16
CELL_PADDING_PT = 5.4  # Word's default left/right cell margin (0.19 cm)

# Metric-compatible stand-ins for Times New Roman, by preference (stack-notes §7).
FONT_FILES = {
    "Liberation Serif": {
        (400, "normal"): "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        (700, "normal"): "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
        (400, "italic"): "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
        (700, "italic"): "/usr/share/fonts/truetype/liberation2/LiberationSerif-BoldItalic.ttf",
    },
    "DejaVu Serif": {
        (400, "normal"): "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        (700, "normal"): "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
        (400, "italic"): "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
        (700, "italic"): "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf",
    },
}


# FONTS AND QR -------------------------------------------------------------------------------------
@cache
def font_family() -> tuple[str, dict[tuple[int, str], Path]]:
    """The first complete font family present here, and its files (("", {}) when none: fontconfig decides)."""
    for family, files in FONT_FILES.items():
        paths = {key: Path(p) for key, p in files.items()}
        if all(p.is_file() for p in paths.values()):
            return family, paths
    return "", {}


def font_files() -> dict[tuple[int, str], Path]:
    return font_family()[1]


def text_width_pt(text: str, size: float, *, bold: bool = False) -> float:
    """Width of `text` set in the serif font at `size` pt (Liberation Serif has Times' metrics)."""
    path = font_files().get((700 if bold else 400, "normal"))
    if path is None:
        return len(text) * size * 0.5
    from PIL import ImageFont

    return ImageFont.truetype(str(path), 1000).getlength(text) * size / 1000


def qr_png(url: str) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


# DOCX ---------------------------------------------------------------------------------------------
def _set_run_font(run, *, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT_NAME
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    # Vietnamese letters outside Latin-1 use the hAnsi/cs slots: name the font in all of them.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT_NAME)


def _paragraph(
    container,
    text: str = "",
    *,
    size: float = BODY_SIZE,
    bold=False,
    italic=False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    space_after: float = 0,
    indent_first=None,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = 1.0
    if indent_first is not None:
        fmt.first_line_indent = indent_first
    if text:
        _set_run_font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    return paragraph


def _rule_under(paragraph, *, width_pt: float, cell_width) -> None:
    """A solid rule of `width_pt`, centred: a bottom border on a paragraph indented to that width."""
    side = max((cell_width.pt - 2 * CELL_PADDING_PT - width_pt) / 2, 0)
    paragraph.paragraph_format.left_indent = Pt(side)
    paragraph.paragraph_format.right_indent = Pt(side)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _table(document, rows: int, widths: tuple) -> Any:
    table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # w:gridCol, which LibreOffice follows (Word follows w:tcW)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table


def _page_number_header(section) -> None:
    """Page numbers centred in the top margin, not on the first page (Appendix I)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run()
    _set_run_font(run, size=BODY_SIZE)
    run._r.getparent().remove(run._r)
    field.append(run._r)
    paragraph._p.append(field)


def _qr_footer(footer, doc: OfficialDocument, png: bytes) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(QR_SIZE_MM))
    text = f"  {VERIFY_LABEL}: {doc.qr_url}"
    _set_run_font(paragraph.add_run(text), size=9, italic=True)


def render_docx(doc: OfficialDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Mm(10), Mm(6)
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_NAME)
    document.core_properties.title = f"{doc.doc_kind} {doc.number_symbol}".strip()
    document.core_properties.author = doc.issuing_body
    document.core_properties.language = "vi-VN"
    _page_number_header(section)

    # Cells 1-4: issuing body | national title and motto; number | place and date.
    header = _table(document, 2, (HEADER_LEFT, HEADER_RIGHT))
    left, right = header.rows[0].cells
    _paragraph(left, doc.issuing_body_parent.upper(), size=PARENT_SIZE)
    _paragraph(left, doc.issuing_body.upper(), size=BODY_NAME_SIZE, bold=True)
    # The short rule under the body's name: about 2/5 of the name's line (1/3 to 1/2 by practice).
    name_width = min(text_width_pt(doc.issuing_body.upper(), BODY_NAME_SIZE, bold=True), HEADER_LEFT.pt - 12)
    rule = _paragraph(left)
    rule.paragraph_format.line_spacing = Pt(3)  # an empty line exactly 3 pt high: the rule hugs the name
    _rule_under(rule, width_pt=name_width * 0.4, cell_width=HEADER_LEFT)
    _paragraph(right, NATIONAL_TITLE, size=NATIONAL_TITLE_SIZE, bold=True)
    motto = _paragraph(right, MOTTO, size=MOTTO_SIZE, bold=True)
    _rule_under(motto, width_pt=text_width_pt(MOTTO, MOTTO_SIZE, bold=True) + 8, cell_width=HEADER_RIGHT)
    left, right = header.rows[1].cells
    _paragraph(left, f"{NUMBER_LABEL} {doc.number_symbol}", size=13).paragraph_format.space_before = Pt(6)
    _paragraph(right, doc.date_line, size=14, italic=True).paragraph_format.space_before = Pt(6)

    # Cell 5a: kind and summary.
    _paragraph(document, "", size=6)
    _paragraph(document, doc.doc_kind.upper(), size=14, bold=True).paragraph_format.space_before = Pt(12)
    _paragraph(document, doc.title, size=14, bold=True, space_after=12)

    # Cell 6: content.
    for block in doc.body:
        if block.style == BlockStyle.HEADING:
            _paragraph(
                document, block.text, size=BODY_SIZE, bold=True, space_after=6
            ).paragraph_format.space_before = Pt(6)
            continue
        paragraph = _paragraph(
            document, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6, indent_first=FIRST_LINE_INDENT
        )
        if block.lead:
            _set_run_font(paragraph.add_run(block.lead + " "), size=BODY_SIZE, bold=True)
        _set_run_font(paragraph.add_run(block.text), size=BODY_SIZE, italic=block.style == BlockStyle.BASIS)

    # Cells 7 and 9: recipients | signature block.
    _paragraph(document, size=6)
    sign = _table(document, 1, (Cm(8.0), Cm(8.5)))
    left, right = sign.rows[0].cells
    _paragraph(left, RECIPIENTS_LABEL, size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in doc.recipients:
        _paragraph(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    if doc.signer_authority:
        _paragraph(right, doc.signer_authority.upper(), size=14, bold=True)
    if doc.signer_title:
        _paragraph(right, doc.signer_title.upper(), size=14, bold=True)
    for _blank in range(4):  # room for the signature and the seal
        _paragraph(right, size=14)
    _paragraph(right, doc.signer_name, size=14, bold=True)

    png = qr_png(doc.qr_url) if doc.qr_url else None
    if png:
        _qr_footer(section.footer, doc, png)
        _qr_footer(section.first_page_footer, doc, png)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# PDF ----------------------------------------------------------------------------------------------
class _LocalOnlyFetcher(URLFetcher):
    """Only our font files and inline data: a document's text can never make WeasyPrint fetch a URL."""

    def fetch(self, url, headers=None):
        allowed = {p.as_uri() for p in font_files().values()}
        if not (url.startswith("data:") or url in allowed):
            raise ValueError(f"Refused to fetch {url!r} while rendering an official document")
        return super().fetch(url, headers)


def pdf_context(doc: OfficialDocument) -> dict[str, Any]:
    png = qr_png(doc.qr_url) if doc.qr_url else b""
    return {
        "doc": doc,
        "national_title": NATIONAL_TITLE,
        "motto": MOTTO,
        "number_label": NUMBER_LABEL,
        "recipients_label": RECIPIENTS_LABEL,
        "verify_label": VERIFY_LABEL,
        "qr_data_uri": "data:image/png;base64," + base64.b64encode(png).decode() if png else "",
        "font_family": font_family()[0] or "Times New Roman",
        "font_faces": [
            {"weight": weight, "style": style, "url": path.as_uri()}
            for (weight, style), path in sorted(font_files().items())
        ],
        # Strings, so the vi locale cannot turn 12.5 into "12,5" inside the CSS.
        "sizes": {
            "parent": f"{PARENT_SIZE}pt",
            "body_name": f"{BODY_NAME_SIZE}pt",
            "national_title": f"{NATIONAL_TITLE_SIZE}pt",
            "motto": f"{MOTTO_SIZE}pt",
        },
        "qr_size": f"{QR_SIZE_MM}mm",
    }


def render_pdf(doc: OfficialDocument) -> bytes:
    html = render_to_string("documents/official.html", pdf_context(doc))
    return HTML(string=html, url_fetcher=_LocalOnlyFetcher(allowed_protocols={"data", "file"})).write_pdf()
