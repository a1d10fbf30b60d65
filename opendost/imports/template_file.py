"""The blank workbook users fill in: the spec's Vietnamese headers (each with a comment saying what
goes there), drop-down lists for choice columns and a notes sheet, generated on the fly."""

from typing import IO

import xlsxwriter
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from opendost.imports.kit import ImportSpec

LIST_ROWS = 10_000  # rows of the data sheet that get the drop-down lists


def write_template(target: str | IO[bytes], spec: ImportSpec) -> None:
    workbook = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False})
    try:
        data = workbook.add_worksheet("Dữ liệu")
        notes = workbook.add_worksheet("Hướng dẫn")
        header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E7EEF7"})
        required = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#FCE4D6"})
        text = workbook.add_format({"num_format": "@"})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        for index, column in enumerate(spec.columns):
            data.set_column(index, index, column.width, text if not _is_typed(column) else None)
            data.write_string(0, index, column.header_vi, required if column.required else header)
            comment = force_str(column.help) if column.help else ""
            if column.required:
                comment = (_("Required.") + " " + comment).strip()
            if comment:
                data.write_comment(0, index, comment, {"x_scale": 2, "y_scale": 1.5})
            labels = getattr(column.parser, "labels", None)
            if labels:
                data.data_validation(
                    1, index, LIST_ROWS, index, {"validate": "list", "source": labels(), "ignore_blank": True}
                )
        data.freeze_panes(1, 0)
        for index, title in enumerate([_("Column"), _("Required"), _("What to write"), _("Allowed values")]):
            notes.write_string(0, index, title, header)
        notes.set_column(0, 0, 24)
        notes.set_column(1, 1, 10)
        notes.set_column(2, 3, 60, wrap)
        for row, column in enumerate(spec.columns, start=1):
            labels = getattr(column.parser, "labels", None)
            notes.write_string(row, 0, column.header_vi)
            notes.write_string(row, 1, _("Yes") if column.required else "")
            notes.write_string(row, 2, force_str(column.help or ""))
            notes.write_string(row, 3, "; ".join(labels()) if labels else "")
        last = len(spec.columns) + 2
        notes.write_string(
            last,
            0,
            _(
                "Fill in one row per record from row 2 of the first sheet. A record already in the register "
                "(same key) is updated; importing the same file again changes nothing. If any row has an error, "
                "nothing is imported and you get the file back with a “Lỗi” column."
            ),
            wrap,
        )
    finally:
        workbook.close()


def _is_typed(column) -> bool:
    """Date and number columns keep Excel's own cell types; other columns are formatted as text so
    Excel keeps leading zeros (tax codes, phone numbers)."""
    name = getattr(column.parser, "__qualname__", "")
    return name.startswith(("date.", "integer.", "decimal."))
