import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from opendost.imports import reader
from opendost.imports.kit import ERROR_HEADER, HeaderProblem, ImportContext, apply_rows, parse_rows, write_error_report
from tests.imports.helpers import NAMED, THINGS, csv_file, xlsx

HEADER = ["Mã", "Tên gọi", "Ngày thành lập", "Số tiền", "Số lượng", "Loại"]


def parse(spec, path, store=None):
    context = ImportContext(actor=None, options={"store": {} if store is None else store})
    file_format = reader.inspect_file(path, path.name)
    return parse_rows(spec, reader.read_rows(path, file_format), context), context


def test_headers_are_found_below_a_title_and_matched_ignoring_accents_case_and_order(tmp_path):
    path = xlsx(
        tmp_path,
        [["DANH SÁCH"], [], ["loai", "TEN GOI", "Code", "Khác"], ["Lớn", "Xin chào", "A1", "bỏ qua"]],
    )
    parsed, _ = parse(THINGS, path)
    assert parsed.header_number == 3
    assert parsed.issues == []
    assert parsed.rows[0].number == 4
    assert parsed.rows[0].values == {"kind": "large", "name": "Xin chào", "code": "A1"}


def test_missing_required_header_is_named(tmp_path):
    path = xlsx(tmp_path, [["Mã", "Loại"], ["A1", "Nhỏ"]])
    with pytest.raises(HeaderProblem, match="Tên gọi"):
        parse(THINGS, path)


def test_no_header_row_at_all(tmp_path):
    with pytest.raises(HeaderProblem):
        parse(THINGS, xlsx(tmp_path, [["x", "y"], ["1", "2"]]))


def test_a_header_twice_is_refused(tmp_path):
    with pytest.raises(HeaderProblem, match="twice"):
        parse(THINGS, xlsx(tmp_path, [["Mã", "Tên gọi", "Name"], ["A", "b", "c"]]))


def test_cells_are_parsed_and_normalised(tmp_path):
    nfd = unicodedata.normalize("NFD", "Hòa   Bình ")
    path = xlsx(
        tmp_path,
        [
            HEADER,
            ["A1", nfd, dt.date(2024, 1, 2), 1234.5, 3.0, "nho"],
            ["A2", "'=1+1", "2/3/2024", "1.234,5", "4", "LARGE"],
        ],
    )
    parsed, _ = parse(THINGS, path)
    assert parsed.issues == []
    first, second = (r.values for r in parsed.rows)
    assert first == {
        "code": "A1",
        "name": "Hòa Bình",
        "born": dt.date(2024, 1, 2),
        "amount": Decimal("1234.50"),
        "count": 3,
        "kind": "small",
    }
    assert second["name"] == "=1+1"  # our export escape is removed
    assert second["born"] == dt.date(2024, 3, 2) and second["amount"] == Decimal("1234.50") and second["count"] == 4


def test_every_error_of_every_row_is_reported_with_row_column_value_and_reason(tmp_path):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            ["A1", "ok"],
            ["", "", "31/02/2024", "abc", -1, "huge"],
            ["A3", "x" * 51],
            ["A4", "forbidden"],
        ],
    )
    parsed, _ = parse(THINGS, path)
    found = {(i.row, i.column, i.value) for i in parsed.issues}
    assert found == {
        (3, "Mã", None),
        (3, "Tên gọi", None),
        (3, "Ngày thành lập", "31/02/2024"),
        (3, "Số tiền", "abc"),
        (3, "Số lượng", -1),
        (3, "Loại", "huge"),
        (4, "Tên gọi", "x" * 51),
        (5, "Tên gọi", "forbidden"),
    }
    assert all(i.message for i in parsed.issues)


def test_a_record_twice_in_the_file_is_an_error_even_written_differently(tmp_path):
    nfd = unicodedata.normalize("NFD", "Phòng Hòa Bình")
    path = xlsx(tmp_path, [["Tên"], ["Phòng Hoà Bình"], [nfd], ["PHONG HOA BINH"], ["Phòng khác"]])
    parsed, _ = parse(NAMED, path)
    assert [(i.row, "Row 2 already" in i.message) for i in parsed.issues] == [(3, True), (4, True)]


def test_apply_counts_created_updated_unchanged(tmp_path):
    store = {}
    path = xlsx(tmp_path, [HEADER, ["A1", "one"], ["A2", "two"]])
    parsed, context = parse(THINGS, path, store)
    counts, issues = apply_rows(THINGS, parsed, context)
    assert (counts.created, counts.updated, counts.unchanged, issues) == (2, 0, 0, [])
    path = xlsx(tmp_path, [HEADER, ["A2", "two"], ["a1", "ONE"]], name="b.xlsx")
    parsed, context = parse(THINGS, path, store)
    counts, _ = apply_rows(THINGS, parsed, context)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 1)


def test_error_report_keeps_columns_and_rows_in_order_and_adds_the_error_column(tmp_path):
    path = xlsx(tmp_path, [["Mã", "Khác", "Tên gọi"], ["A1", "=x", "ok"], ["A2", "y", ""]])
    parsed, _ = parse(THINGS, path)
    report = tmp_path / "report.xlsx"
    write_error_report(str(report), parsed, parsed.issues)
    data = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert data[0] == ["Mã", "Khác", "Tên gọi", ERROR_HEADER]
    assert data[1] == ["A1", "'=x", "ok", ""]  # escaped again on the way out
    assert data[2][:3] == ["A2", "y", ""] and data[2][3].startswith("Tên gọi: ")


def test_the_error_report_imports_again_once_fixed(tmp_path):
    path = xlsx(tmp_path, [["Mã", "Tên gọi"], ["A1", "=x"], ["A2", ""]])
    parsed, _ = parse(THINGS, path)
    report = tmp_path / "report.xlsx"
    write_error_report(str(report), parsed, parsed.issues)
    again, _ = parse(THINGS, report)
    assert [r.values.get("name") for r in again.rows] == ["=x", ""]  # the "Lỗi" column is ignored


@pytest.mark.parametrize("encoding,delimiter", [("utf-8-sig", ","), ("utf-8", ";"), ("utf-8", "\t")])
def test_csv_files_in_utf8_with_or_without_bom_and_any_delimiter(tmp_path, encoding, delimiter):
    path = csv_file(tmp_path, [["Mã", "Tên gọi"], ["A1", "Đắk Lắk"]], encoding=encoding, delimiter=delimiter)
    parsed, _ = parse(THINGS, path)
    assert parsed.rows[0].values == {"code": "A1", "name": "Đắk Lắk"}


def test_csv_in_windows_vietnamese_cp1258_with_combining_marks(tmp_path):
    path = tmp_path / "old.csv"
    path.write_bytes(b"Ma\xde,T\xean go\xf2i\r\nA1,H\xe0 N\xf4\xf2i\r\n")  # "Mã,Tên gọi" / "A1,Hà Nội"
    parsed, _ = parse(THINGS, path)
    assert parsed.rows[0].values == {"code": "A1", "name": "Hà Nội"}
