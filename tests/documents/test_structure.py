import unicodedata
from datetime import date

import pytest

from opendost.documents.structure import Block, BlockStyle, OfficialDocument, Recipients, place_and_date


@pytest.mark.parametrize(
    ("on", "text"),
    [
        (date(2026, 1, 5), "Bắc Ninh, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "Bắc Ninh, ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 9), "Bắc Ninh, ngày 09 tháng 3 năm 2026"),
        (date(2026, 10, 15), "Bắc Ninh, ngày 15 tháng 10 năm 2026"),
    ],
)
def test_place_and_date_pad_days_below_10_and_months_below_3(on, text):
    assert place_and_date("Bắc Ninh", on) == text


def test_text_is_stored_nfc_whatever_the_input():
    nfd = unicodedata.normalize("NFD", "Về việc cấp giấy phép")
    doc = OfficialDocument(
        issuing_body_parent="UBND",
        issuing_body="SỞ",
        place=unicodedata.normalize("NFD", "Bắc Ninh"),
        issued_on=date(2026, 1, 5),
        doc_kind="QUYẾT ĐỊNH",
        title=nfd,
        body=(Block(nfd, BlockStyle.ITEM, lead=unicodedata.normalize("NFD", "Điều 1.")),),
        recipients=(nfd,),
    )
    assert doc.title == unicodedata.normalize("NFC", nfd)
    assert doc.body[0].text == doc.title
    assert doc.body[0].lead == "Điều 1."
    assert doc.recipients == (doc.title,)
    assert doc.date_line == "Bắc Ninh, ngày 05 tháng 01 năm 2026"


def test_json_round_trip(data):
    assert OfficialDocument.from_json(data.to_json()) == data


def test_recipients_end_with_the_archive_line():
    assert Recipients(to=("Như Điều 3",), archive_unit="QLKH").lines() == ("- Như Điều 3;", "- Lưu: VT, QLKH.")
