"""R-06 / S-18: what our exports escape against formula injection, our imports restore exactly."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opendost.common.excel import Column, csv_rows, escape_formula, unescape_formula, write_xlsx
from opendost.imports import reader

PREFIXES = ["", "=", "+", "-", "@", "\t", "\r", "\0", "'", "''", "'=", "''+", "=HYPERLINK(", "-@"]
BODY = st.text(alphabet=st.sampled_from("aăâđêôơưÀỹ =+-@'\"(),.;:\t0123456789"), max_size=12)
FILES = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
VALUES = st.builds(lambda prefix, body: prefix + body, st.sampled_from(PREFIXES), BODY)


def expected(value: str) -> str | None:
    """Imports strip surrounding spaces, except where our escape protects them."""
    if escape_formula(value) != value:
        return value.rstrip() or None
    return value.strip() or None


@given(st.text())
def test_unescape_inverts_escape_for_any_text(value):
    assert unescape_formula(escape_formula(value)) == value


@given(st.text())
def test_escaped_text_never_starts_with_a_formula_character(value):
    assert not escape_formula(value).startswith(("=", "+", "-", "@", "\t", "\r", "\0"))


def test_a_real_apostrophe_is_kept():
    for value in ["'quoted'", "'", "Nhà 'A'", "'123"]:
        assert unescape_formula(value) == value
        assert unescape_formula(escape_formula(value)) == value


@FILES
@given(st.lists(VALUES, min_size=1, max_size=15))
def test_xlsx_export_then_import_restores_every_value(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("rt") / "export.xlsx"
    write_xlsx(
        str(path),
        ([v, i] for i, v in enumerate(values)),
        [Column("Giá trị", lambda r: r[0]), Column("n", lambda r: r[1])],
    )
    rows = [cells for _number, cells in reader.read_rows(path, reader.XLSX)][1:]
    got = {cells[-1]: (cells[0] if len(cells) == 2 else None) for cells in rows}
    assert [got[i] for i in range(len(values))] == [expected(v) for v in values]


@FILES
@given(st.lists(VALUES, min_size=1, max_size=15))
def test_csv_export_then_import_restores_every_value(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("rt") / "export.csv"
    columns = [Column("n", lambda r: r[1]), Column("Giá trị", lambda r: r[0])]
    path.write_text("".join(csv_rows(([v, i] for i, v in enumerate(values)), columns)), encoding="utf-8", newline="")
    rows = [cells for _number, cells in reader.read_rows(path, reader.CSV)][1:]
    got = {int(cells[0]): (cells[1] if len(cells) == 2 else None) for cells in rows}
    assert [got[i] for i in range(len(values))] == [expected(v) for v in values]


def test_exported_dangerous_cells_are_text_with_an_apostrophe(tmp_path):
    import openpyxl

    path = tmp_path / "x.xlsx"
    values = [
        "=1+1",
        '=HYPERLINK("http://evil","x")',
        "@SUM(A1)",
        "-2+3",
        "+84",
        "\tx",
    ]  # "\r" is stored as _x000D_, which openpyxl does not decode
    write_xlsx(
        str(path),
        [[v, dt.date(2026, 1, 1)] for v in values],
        [Column("a", lambda r: r[0]), Column("d", lambda r: r[1])],
    )
    sheet = openpyxl.load_workbook(path).active
    for row, value in enumerate(values, start=2):
        cell = sheet.cell(row, 1)
        assert cell.data_type == "s" and cell.value == "'" + value
