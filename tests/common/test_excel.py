import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from opendost.common.excel import Column, csv_response, escape_formula, text_cell, write_xlsx, xlsx_response

COLUMNS = [Column("Tên", lambda r: r[0]), Column("Ngày", lambda r: r[1]), Column("Số", lambda r: r[2])]


@pytest.mark.parametrize("value", ["=1+1", "+84912", "-5", "@SUM(A1)", "\tx", "\rx", "\0x", '=HYPERLINK("x")'])
def test_dangerous_leading_characters_get_an_apostrophe(value):
    assert escape_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Hà Nội", "a=b", "1+1", "'quoted"])
def test_harmless_text_is_unchanged(value):
    assert escape_formula(value) == value


def test_text_cells_format_dates_numbers_and_booleans():
    with translation.override("en"):
        assert text_cell(dt.date(2026, 1, 2)) == "02/01/2026"
        assert text_cell(None) == ""
        assert text_cell(12) == "12"
        assert text_cell(Decimal("1.5")) == "1.5"
        assert text_cell(True) == "Yes"
        assert text_cell(-3) == "-3"  # numbers are numbers, not formulas


def test_text_cells_show_aware_datetimes_in_local_time():
    moment = dt.datetime(2026, 1, 1, 17, 30, tzinfo=dt.UTC)
    assert text_cell(moment) == "02/01/2026 00:30"  # Asia/Ho_Chi_Minh is UTC+7
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"


def test_xlsx_round_trip_keeps_types_and_escapes_strings():
    rows = [("=cmd|' /C calc'!A0", dt.date(2026, 4, 30), 1234567), ("Đắk Lắk", None, Decimal("2.5"))]
    target = io.BytesIO()
    assert write_xlsx(target, iter(rows), COLUMNS, sheet_name="Dữ liệu") == 2
    target.seek(0)
    sheet = openpyxl.load_workbook(target).active
    assert sheet.title == "Dữ liệu"
    assert [c.value for c in sheet[1]] == ["Tên", "Ngày", "Số"]
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == dt.datetime(2026, 4, 30) and sheet["B2"].number_format == "dd/mm/yyyy"
    assert sheet["C2"].value == 1234567
    assert sheet["B3"].value is None and sheet["C3"].value == 2.5
    # python-calamine (used for imports) reads the same cells back
    target.seek(0)
    data = CalamineWorkbook.from_filelike(target).get_sheet_by_index(0).to_python()
    assert data[1][0] == "'=cmd|' /C calc'!A0" and data[1][1] == dt.date(2026, 4, 30)


def test_xlsx_with_no_rows_has_the_header_only():
    target = io.BytesIO()
    assert write_xlsx(target, [], COLUMNS) == 0
    target.seek(0)
    assert list(openpyxl.load_workbook(target).active.iter_rows(values_only=True)) == [("Tên", "Ngày", "Số")]


@pytest.mark.django_db  # closing a response sends request_finished, which touches the connection
def test_responses_are_attachments_with_a_safe_filename():
    xlsx = xlsx_response([("a", None, 1)], COLUMNS, filename="tổ-chức.xlsx")
    assert "attachment" in xlsx["Content-Disposition"] and "filename*=" in xlsx["Content-Disposition"]
    xlsx.close()
    response = csv_response([("=x", dt.date(2026, 9, 2), 3)], COLUMNS, filename="people.csv")
    assert response["Content-Disposition"] == 'attachment; filename="people.csv"'
    body = b"".join(response.streaming_content).decode()
    assert body == "\ufeffTên,Ngày,Số\r\n'=x,02/09/2026,3\r\n"


def test_csv_is_generated_lazily():
    consumed = []

    def rows():
        for n in range(3):
            consumed.append(n)
            yield (f"r{n}", None, n)

    response = csv_response(rows(), COLUMNS, filename="x.csv")
    stream = iter(response.streaming_content)
    next(stream), next(stream)  # BOM and header
    assert consumed == []
    next(stream)
    assert consumed == [0]
