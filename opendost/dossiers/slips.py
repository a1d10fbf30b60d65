"""The one-stop slips (domain reference §1.3), in the NĐ 30/2020 layout, .docx and PDF.

Slips are not numbered in the register of outgoing documents: they carry the dossier code, and their QR
leads to the public lookup of the dossier. They are rendered from the dossier's stored data (every
change of which is audited), so a slip printed twice is the same slip. Their names come from the
procedure version (`slip_names`), since the names of the forms may change with the regime.
"""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from opendost.calendars.workdays import legal_date
from opendost.documents.rendering import render_docx, render_pdf
from opendost.documents.structure import Block, BlockStyle, OfficialDocument, Recipients
from opendost.dossiers.enums import Channel, DossierStatus
from opendost.dossiers.handlers import place_of

RECEIPT = "receipt"
SUPPLEMENT = "supplement"
REFUSAL = "refusal"
APOLOGY = "apology"
CONTROL = "control"

DEFAULT_NAMES = {
    RECEIPT: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    SUPPLEMENT: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    REFUSAL: "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
    APOLOGY: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    CONTROL: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}
CHANNEL_TEXT = {Channel.ONLINE: "trực tuyến", Channel.COUNTER: "trực tiếp", Channel.POST: "qua dịch vụ bưu chính"}


def available(dossier) -> list[str]:
    """The slips that exist for the dossier in its current state."""
    slips = []
    if dossier.received_at:
        slips += [RECEIPT, CONTROL]
    if dossier.supplements.exists():
        slips.append(SUPPLEMENT)
    if dossier.status in {DossierStatus.REFUSED_AT_INTAKE, DossierStatus.REJECTED, DossierStatus.RETURNED}:
        slips.append(REFUSAL)
    if dossier.delays.exists():
        slips.append(APOLOGY)
    return slips


def _d(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "…/…/……"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
        return value.strftime("%H giờ %M phút, ngày %d/%m/%Y")
    return value.strftime("%d/%m/%Y")


def _lookup_url(dossier) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("dossiers_public:lookup") + "?" + urlencode({"code": dossier.code})


def _frame(dossier, kind: str, body: tuple[Block, ...], *, on: dt.date, signer: str = "") -> OfficialDocument:
    version = dossier.procedure_version
    return OfficialDocument(
        issuing_body_parent=dossier.department.governing_body,
        issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        place=place_of(dossier.department),
        issued_on=on,
        doc_kind=version.slip_name(kind, DEFAULT_NAMES[kind]),
        title=f"Hồ sơ {dossier.code}",
        body=body,
        signer_title="NGƯỜI TIẾP NHẬN HỒ SƠ" if kind in {RECEIPT, SUPPLEMENT, REFUSAL} else "CÁN BỘ PHỤ TRÁCH",
        signer_name=signer,
        recipients=Recipients(to=(dossier.applicant_name,), archive_unit="Bộ phận Một cửa").lines(),
        number_symbol=dossier.code,
        qr_url=_lookup_url(dossier),
    )


def _applicant_lines(dossier) -> tuple[Block, ...]:
    lines = [Block(f"Tên tổ chức, cá nhân: {dossier.applicant_name}", BlockStyle.PARAGRAPH)]
    if dossier.applicant_address:
        lines.append(Block(f"Địa chỉ: {dossier.applicant_address}", BlockStyle.PARAGRAPH))
    if dossier.applicant_phone or dossier.applicant_email:
        contact = ", ".join(x for x in (dossier.applicant_phone, dossier.applicant_email) if x)
        lines.append(Block(f"Liên hệ: {contact}", BlockStyle.PARAGRAPH))
    lines.append(
        Block(f"Nội dung yêu cầu giải quyết: {dossier.procedure_version.procedure.name}", BlockStyle.PARAGRAPH)
    )
    return tuple(lines)


def build(dossier, kind: str) -> OfficialDocument:
    if kind not in available(dossier):
        raise LookupError(kind)
    builder = {
        RECEIPT: _receipt,
        SUPPLEMENT: _supplement,
        REFUSAL: _refusal,
        APOLOGY: _apology,
        CONTROL: _control,
    }[kind]
    return builder(dossier)


def _receipt(dossier) -> OfficialDocument:
    version = dossier.procedure_version
    received_by = dossier.recorded_by.get_full_name() if dossier.recorded_by else ""
    documents = [
        Block(f"{i}. {a.name} ({a.original_name})", BlockStyle.PARAGRAPH)
        for i, a in enumerate(dossier.attachments.all(), 1)
    ]
    if not documents:
        documents = [
            Block(f"{i}. {d['name']}", BlockStyle.PARAGRAPH) for i, d in enumerate(version.required_documents, 1)
        ]
    body = (
        Block(f"Bộ phận Một cửa {dossier.department.name} tiếp nhận hồ sơ của:", BlockStyle.PARAGRAPH),
        *_applicant_lines(dossier),
        Block(f"Hình thức nộp: {CHANNEL_TEXT.get(dossier.channel, dossier.channel)}.", BlockStyle.PARAGRAPH),
        Block("Thành phần hồ sơ gồm:", BlockStyle.PARAGRAPH),
        *documents,
        Block(f"Thời gian nhận hồ sơ: {_d(dossier.received_at)}.", BlockStyle.PARAGRAPH),
        Block(
            f"Thời hạn giải quyết: {version.deadline_count} "
            + ("ngày làm việc" if version.deadline_unit == "working" else "ngày")
            + f" kể từ ngày nhận đủ hồ sơ hợp lệ (ngày {_d(dossier.clock_start_date)}).",
            BlockStyle.PARAGRAPH,
        ),
        Block(f"Thời gian trả kết quả giải quyết hồ sơ: ngày {_d(dossier.due_date)}.", BlockStyle.PARAGRAPH),
        Block(
            f"Tra cứu tình trạng hồ sơ bằng mã hồ sơ {dossier.code} tại Cổng dịch vụ công hoặc mã QR trên phiếu.",
            BlockStyle.PARAGRAPH,
        ),
    )
    return _frame(dossier, RECEIPT, body, on=legal_date(dossier.received_at), signer=received_by)


def _supplement(dossier) -> OfficialDocument:
    request = dossier.supplements.order_by("-requested_at").first()
    body = (
        Block(f"Hồ sơ số {dossier.code} của:", BlockStyle.PARAGRAPH),
        *_applicant_lines(dossier),
        Block("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", BlockStyle.PARAGRAPH),
        *(Block(line.strip(), BlockStyle.PARAGRAPH) for line in request.items.splitlines() if line.strip()),
        Block(
            "Thời gian chờ bổ sung không tính vào thời hạn giải quyết hồ sơ."
            if request.pauses_clock
            else "Thời gian chờ bổ sung được tính vào thời hạn giải quyết hồ sơ.",
            BlockStyle.PARAGRAPH,
        ),
        Block("Lý do: hồ sơ chưa đầy đủ, hợp lệ theo quy định.", BlockStyle.PARAGRAPH),
    )
    return _frame(
        dossier, SUPPLEMENT, body, on=legal_date(request.requested_at), signer=request.requested_by.get_full_name()
    )


def _refusal(dossier) -> OfficialDocument:
    on = legal_date(dossier.finished_at or dossier.updated_at)
    body = (
        Block(
            f"Bộ phận Một cửa {dossier.department.name} từ chối tiếp nhận, giải quyết hồ sơ của:", BlockStyle.PARAGRAPH
        ),
        *_applicant_lines(dossier),
        Block(f"Lý do: {dossier.decision_reason}", BlockStyle.PARAGRAPH),
        Block("Xin thông báo để tổ chức, cá nhân được biết và thực hiện.", BlockStyle.PARAGRAPH),
    )
    return _frame(dossier, REFUSAL, body, on=on)


def _apology(dossier) -> OfficialDocument:
    delay = dossier.delays.order_by("-issued_at").first()
    body = (
        Block(
            f"Ngày {_d(dossier.received_at)}, {dossier.department.name} tiếp nhận hồ sơ số {dossier.code} của:",
            BlockStyle.PARAGRAPH,
        ),
        *_applicant_lines(dossier),
        Block(
            f"Thời gian hẹn trả kết quả giải quyết hồ sơ: ngày {_d(delay.previous_due_date)}.", BlockStyle.PARAGRAPH
        ),
        Block(
            f"Tuy nhiên đến nay, hồ sơ chưa giải quyết xong. Lý do: {delay.reason}",
            BlockStyle.PARAGRAPH,
        ),
        Block(
            "Sự chậm trễ này đã gây phiền hà cho tổ chức, cá nhân. "
            f"{dossier.department.name} xin lỗi và hẹn trả kết quả vào ngày {_d(delay.new_due_date)}.",
            BlockStyle.PARAGRAPH,
        ),
    )
    return _frame(dossier, APOLOGY, body, on=legal_date(delay.issued_at), signer=delay.issued_by.get_full_name())


def _control(dossier) -> OfficialDocument:
    from opendost.dossiers.selectors import timeline

    entries = [
        Block(
            f"{timezone.localtime(e.at):%d/%m/%Y %H:%M} – {e.label}" + (f": {e.note}" if e.note else ""),
            BlockStyle.PARAGRAPH,
        )
        for e in timeline(dossier)
    ]
    steps = [
        Block(
            f"{s.position}. {s.name}: hạn {_d(s.due_date)}; "
            + (f"hoàn thành {_d(s.done_at)}" if s.done_at else "chưa hoàn thành"),
            BlockStyle.PARAGRAPH,
        )
        for s in dossier.steps.all()
    ]
    body = (
        *_applicant_lines(dossier),
        Block(f"Ngày hẹn trả kết quả: {_d(dossier.due_date)}.", BlockStyle.PARAGRAPH),
        Block("Các bước giải quyết:", BlockStyle.HEADING),
        *steps,
        Block("Quá trình xử lý hồ sơ:", BlockStyle.HEADING),
        *entries,
    )
    return _frame(dossier, CONTROL, body, on=timezone.localdate())


def render(dossier, kind: str, fmt: str) -> bytes:
    document = build(dossier, kind)
    return render_pdf(document) if fmt == "pdf" else render_docx(document)
