import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from opendost.classifications import selectors
from opendost.classifications.models import ClassificationNode, ClassificationScheme
from opendost.classifications.services import classification_import, classifications_load, rows_read, rows_validate

pytestmark = pytest.mark.django_db


def nodes(scheme):
    return ClassificationNode.objects.filter(scheme__code=scheme)


def test_shipped_schemes_are_loaded_by_the_migration():
    assert nodes("QD12_2008").filter(level=1).count() == 6
    assert nodes("QD12_2008").filter(level=2).count() == 46
    assert nodes("TT24_2025").filter(level=1).count() == 6
    assert not nodes("TT24_2025").filter(level__gt=1).exists()
    math = nodes("QD12_2008").get(code="101")
    assert math.name == "Toán học và thống kê" and math.parent.code == "1"
    tt24 = ClassificationScheme.objects.get(code="TT24_2025")
    assert tt24.effective_from == datetime.date(2025, 12, 15)
    assert "appendix" in tt24.source_note


def test_the_scheme_in_force_follows_the_date():
    assert selectors.scheme_in_force(on=datetime.date(2025, 12, 14)).code == "QD12_2008"
    assert selectors.scheme_in_force(on=datetime.date(2025, 12, 15)).code == "TT24_2025"


def test_loading_the_shipped_data_again_changes_nothing_and_keeps_imported_names():
    node = nodes("TT24_2025").get(code="1")
    node.name = "Khoa học tự nhiên (theo phụ lục)"
    node.save()
    reports = classifications_load(actor=None)
    assert all(r.created == 0 and r.updated == 0 for r in reports)
    node.refresh_from_db()
    assert node.name == "Khoa học tự nhiên (theo phụ lục)"


def test_import_adds_levels_and_corrects_names():
    rows = [
        {"code": "1", "name": "Khoa học tự nhiên", "level": "1"},
        {"code": "101", "name": "Toán học và thống kê", "level": "2", "parent_code": "1"},
        {"code": "10101", "name": "Toán học cơ bản", "level": "3", "parent_code": "101"},
        {"code": "1010101", "name": "Đại số", "level": "4", "parent_code": "10101"},
        {"code": "2", "name": "Khoa học kỹ thuật và công nghệ (sửa)"},
    ]
    report = classification_import(scheme_code="TT24_2025", raw_rows=rows)
    assert (report.created, report.updated, report.unchanged) == (3, 1, 1)
    assert report.not_in_file == ["3", "4", "5", "6"]
    leaf = nodes("TT24_2025").get(code="1010101")
    assert leaf.level == 4 and leaf.parent.code == "10101" and leaf.parent.parent.code == "101"
    assert nodes("TT24_2025").get(code="2").name == "Khoa học kỹ thuật và công nghệ (sửa)"
    again = classification_import(scheme_code="TT24_2025", raw_rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_a_parent_may_already_be_in_the_scheme():
    classification_import(scheme_code="TT24_2025", raw_rows=[{"code": "501", "name": "Tâm lý học"}])
    assert nodes("TT24_2025").get(code="501").parent.code == "5"


def test_bad_rows_are_all_reported_and_nothing_is_imported():
    before = ClassificationNode.objects.count()
    rows = [
        {"code": "101", "name": "Toán học", "level": "2", "parent_code": "1"},
        {"code": "10A", "name": "Sai mã", "level": "2", "parent_code": "1"},
        {"code": "101", "name": "Trùng", "level": "2", "parent_code": "1"},
        {"code": "70101", "name": "Ngoài lĩnh vực", "level": "3", "parent_code": "701"},
        {"code": "10301", "name": "Thiếu cha", "level": "3", "parent_code": "103"},
        {"code": "1020101", "name": "Sai cấp", "level": "3", "parent_code": "10201"},
        {"code": "20101", "name": "", "level": "3", "parent_code": "202"},
    ]
    with pytest.raises(ValidationError) as exc:
        classification_import(scheme_code="TT24_2025", raw_rows=rows)
    messages = exc.value.messages
    assert messages[0].startswith("Line 3: code “10A” is not 1, 3, 5 or 7 digits")
    assert messages[1] == "Line 4: code “101” is already on line 2."
    assert "does not start with a field number 1 to 6" in messages[2]
    assert "Line 6: parent “103” of code “10301” is neither in the file nor in the scheme." in messages
    assert any(m.startswith("Line 7: level 3 does not match code “1020101”") for m in messages)
    assert any(
        m.startswith("Line 8:") and "the name is empty" in m and "parent “202” does not match" in m for m in messages
    )
    assert ClassificationNode.objects.count() == before


def test_unknown_scheme_and_bad_header():
    with pytest.raises(ValidationError, match="Unknown scheme"):
        classification_import(scheme_code="NOPE", raw_rows=[{"code": "1", "name": "x"}])
    with pytest.raises(ValidationError, match="header"):
        rows_validate([{"ma": "1", "ten": "x"}])


def test_command_imports_csv_and_xlsx(tmp_path, capsys):
    csv_file = tmp_path / "tt24.csv"
    csv_file.write_text("code,name,level,parent_code\n1,Khoa học tự nhiên,1,\n101,Toán học,2,1\n", encoding="utf-8")
    call_command("classifications_import", "TT24_2025", str(csv_file))
    assert "1 created, 0 updated, 1 unchanged" in capsys.readouterr().out

    import xlsxwriter

    xlsx_file = tmp_path / "tt24.xlsx"
    book = xlsxwriter.Workbook(str(xlsx_file))
    sheet = book.add_worksheet()
    for r, row in enumerate(
        [["code", "name", "level"], [102, "Khoa học máy tính", 2], [10201, "Khoa học máy tính", 3]]
    ):
        sheet.write_row(r, 0, row)
    book.close()
    assert rows_read(xlsx_file)[0] == {"code": "102", "name": "Khoa học máy tính", "level": "2"}
    call_command("classifications_import", "TT24_2025", str(xlsx_file))
    assert nodes("TT24_2025").get(code="10201").parent.code == "102"


def test_command_reports_each_bad_row(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\n1,Khoa học tự nhiên\n99,Sai\n10101,Thiếu cha\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("classifications_import", "TT24_2025", str(bad))
    err = capsys.readouterr().err
    assert "Line 3:" in err and "Line 4:" in err
    with pytest.raises(CommandError, match="File not found"):
        call_command("classifications_import", "TT24_2025", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError):
        call_command("classifications_import", "TT24_2025", str(tmp_path / "file.txt"))
