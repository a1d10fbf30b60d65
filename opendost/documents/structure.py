"""The structured content of an official document (NĐ 30/2020/NĐ-CP Appendix I, cells 1-9).

One `OfficialDocument` feeds both renderers (`rendering.render_docx`, `rendering.render_pdf`), so the
.docx and the PDF cannot drift apart. Texts are the document's own Vietnamese wording: an official
document is written in Vietnamese by law, so the fixed words below ("Số:", "Nơi nhận:", the national
motto) are not UI strings and are not translated.
"""

import datetime as dt
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NUMBER_LABEL = "Số:"
RECIPIENTS_LABEL = "Nơi nhận:"
VERIFY_LABEL = "Tra cứu văn bản"
CODE_LABEL = "mã"


class BlockStyle(StrEnum):
    BASIS = "basis"  # căn cứ: italic, one per line, ";" at the end, the last ends with "."
    PARAGRAPH = "paragraph"  # justified with a first-line indent
    HEADING = "heading"  # centred bold (e.g. "QUYẾT ĐỊNH:", "Chương I")
    ITEM = "item"  # numbered item or article: a bold lead ("Điều 1.", "1.", "a)") then the text


@dataclass(frozen=True)
class Block:
    text: str
    style: BlockStyle = BlockStyle.PARAGRAPH
    lead: str = ""


@dataclass(frozen=True)
class OfficialDocument:
    issuing_body_parent: str  # "UBND TỈNH BẮC NINH"
    issuing_body: str  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    place: str  # "Bắc Ninh"
    issued_on: dt.date
    doc_kind: str  # "QUYẾT ĐỊNH"
    title: str  # "Về việc ..."
    body: tuple[Block, ...] = ()
    signer_authority: str = ""  # "KT. GIÁM ĐỐC" (empty when the head signs)
    signer_title: str = ""  # "PHÓ GIÁM ĐỐC"
    signer_name: str = ""
    recipients: tuple[str, ...] = ()
    number_symbol: str = ""  # "05/QĐ-SKHCN", filled in by the numbering at issue
    qr_url: str = ""  # the public verification page, filled in at issue
    verification_code: str = ""

    def __post_init__(self):
        # Store NFC so the PDF text layer and searches match whatever the input was (NFD from macOS).
        for name in (
            "issuing_body_parent",
            "issuing_body",
            "place",
            "doc_kind",
            "title",
            "signer_authority",
            "signer_title",
            "signer_name",
        ):
            object.__setattr__(self, name, nfc(getattr(self, name)))
        object.__setattr__(
            self, "body", tuple(Block(nfc(b.text), BlockStyle(b.style), nfc(b.lead)) for b in self.body)
        )
        object.__setattr__(self, "recipients", tuple(nfc(r) for r in self.recipients))

    @property
    def date_line(self) -> str:
        return place_and_date(self.place, self.issued_on)

    def with_issue(self, **changes: Any) -> "OfficialDocument":
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["issued_on"] = self.issued_on.isoformat()
        data["body"] = [{"text": b.text, "style": str(b.style), "lead": b.lead} for b in self.body]
        data["recipients"] = list(self.recipients)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "OfficialDocument":
        values = dict(data)
        values["issued_on"] = dt.date.fromisoformat(values["issued_on"])
        values["body"] = tuple(Block(**b) for b in values.get("body", ()))
        values["recipients"] = tuple(values.get("recipients", ()))
        return cls(**values)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def place_and_date(place: str, on: dt.date) -> str:
    """ "Bắc Ninh, ngày 05 tháng 01 năm 2026": days 1-9 and months 1-2 take a leading zero (Appendix I)."""
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


@dataclass(frozen=True)
class Recipients:
    """Helper for callers: the usual "Nơi nhận" list ends with "- Lưu: VT, <unit>."."""

    to: tuple[str, ...] = field(default_factory=tuple)
    archive_unit: str = ""

    def lines(self) -> tuple[str, ...]:
        items = [f"- {r};" for r in self.to]
        archive = "- Lưu: VT" + (f", {self.archive_unit}" if self.archive_unit else "") + "."
        return (*items, archive)
