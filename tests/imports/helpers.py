"""A test-only import target (an in-memory store, or departments.Unit) and file builders."""

import csv
import datetime as dt
from pathlib import Path

import xlsxwriter
from django.core.exceptions import ValidationError

from opendost.departments.models import Unit
from opendost.imports import parsers
from opendost.imports.enums import Outcome
from opendost.imports.kit import Column, ImportSpec, RowInvalid

KINDS = [("small", "Small"), ("large", "Large")]


def _store_row(row, context):
    store = context.options["store"]
    key = row.key
    current = store.get(key)
    if current is None:
        store[key] = dict(row.values)
        return Outcome.CREATED
    if all(current.get(k) == v for k, v in row.values.items()):
        return Outcome.UNCHANGED
    current.update(row.values)
    return Outcome.UPDATED


def _clean_thing(values, context):
    if values.get("name") == "forbidden":
        raise RowInvalid({"name": "This name is forbidden."})
    return values


THINGS = ImportSpec(
    name="tests.things",
    title="Things",
    columns=[
        Column("code", "Mã", aliases=("Code",), required=True, max_length=10),
        Column("name", "Tên gọi", aliases=("Tên", "Name"), required=True, max_length=50),
        Column("born", "Ngày thành lập", parser=parsers.date()),
        Column("amount", "Số tiền", parser=parsers.decimal(decimal_places=2)),
        Column("count", "Số lượng", parser=parsers.integer(min_value=0)),
        Column("kind", "Loại", parser=parsers.choice(KINDS, aliases={"Nhỏ": "small", "Lớn": "large"})),
    ],
    natural_key=("code",),
    row_handler=_store_row,
    clean_row=_clean_thing,
)

# Keyed by folded name: "Phòng Hoà Bình" (NFD) and "Phòng Hòa Bình" are the same record.
NAMED = ImportSpec(
    name="tests.named",
    title="Named",
    columns=[Column("name", "Tên", required=True), Column("note", "Ghi chú")],
    natural_key=("name",),
    row_handler=_store_row,
)


def _unit_row(row, context):
    """Writes departments.Unit rows (a real table, to test all-or-nothing)."""
    code, name = row.values["code"], row.values["name"]
    if name == "boom":
        raise ValidationError({"name": "The handler refused this name."})
    unit = Unit.objects.filter(department=context.department, code=code).first()
    if unit is None:
        Unit.objects.create(department=context.department, code=code, name=name)
        return Outcome.CREATED
    if unit.name == name:
        return Outcome.UNCHANGED
    unit.name = name
    unit.save()
    return Outcome.UPDATED


UNITS = ImportSpec(
    name="tests.units",
    title="Units",
    columns=[Column("code", "Mã", required=True, max_length=30), Column("name", "Tên", required=True)],
    natural_key=("code",),
    row_handler=_unit_row,
)


def xlsx(path: Path, rows: list[list], *, name: str = "data.xlsx") -> Path:
    """A workbook written the way a user's Excel would: strings as strings, dates as date cells."""
    target = path / name
    workbook = xlsxwriter.Workbook(str(target), {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write(r, c, value)
    workbook.close()
    return target


def csv_file(
    path: Path, rows: list[list], *, name: str = "data.csv", encoding: str = "utf-8-sig", delimiter=","
) -> Path:
    target = path / name
    with open(target, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return target
