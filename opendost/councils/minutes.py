"""The minutes of a council meeting (biên bản họp hội đồng) as an official document.

The text is the document's own Vietnamese wording (an official document is written in Vietnamese by
law), built from the stored outcome: members and attendance, conflicts of interest, per-item votes or
scores, and the conclusion. Numbers use the Vietnamese decimal comma.
"""

import datetime as dt

from opendost.councils import selectors
from opendost.councils.enums import CouncilPurpose, MemberRole, OutcomeResult
from opendost.councils.models import Council
from opendost.councils.rules import ACCEPTANCE, SELECTION, VOTE
from opendost.documents.structure import Block, BlockStyle, OfficialDocument, Recipients

PURPOSE_VI = {
    CouncilPurpose.TASK_DEFINITION: "tư vấn xác định nhiệm vụ khoa học và công nghệ",
    CouncilPurpose.SELECTION: "tư vấn tuyển chọn, giao trực tiếp tổ chức, cá nhân chủ trì nhiệm vụ",
    CouncilPurpose.ACCEPTANCE_GRASSROOTS: "đánh giá, nghiệm thu cấp cơ sở",
    CouncilPurpose.ACCEPTANCE_PROVINCIAL: "tư vấn đánh giá, nghiệm thu kết quả thực hiện nhiệm vụ cấp tỉnh",
    CouncilPurpose.OTHER: "tư vấn",
}
ROLE_VI = {
    MemberRole.CHAIR: "Chủ tịch Hội đồng",
    MemberRole.VICE_CHAIR: "Phó Chủ tịch Hội đồng",
    MemberRole.SECRETARY: "Thư ký khoa học",
    MemberRole.REVIEWER: "Ủy viên phản biện",
    MemberRole.MEMBER: "Ủy viên",
}
RESULT_VI = {
    OutcomeResult.EXCELLENT: "Xuất sắc",
    OutcomeResult.PASS: "Đạt",
    OutcomeResult.FAIL: "Không đạt",
    OutcomeResult.SELECTED: "Đề nghị trúng tuyển",
    OutcomeResult.APPROVED: "Đề nghị thực hiện",
    OutcomeResult.REJECTED: "Không đề nghị thực hiện",
    OutcomeResult.NO_QUORUM: "Không đủ điều kiện kết luận (không đủ thành phần theo quy định)",
}


def vi_number(value) -> str:
    text = str(value)
    return text.replace(".", ",")


def _summary(row) -> str:
    d = row.details
    head = (
        f"{d.get('voters', 0)}/{d.get('members', 0)} thành viên có mặt tham gia đánh giá "
        f"(tối thiểu {d.get('quorum', 0)})"
    )
    if d.get("conflicted"):
        head += f", {d['conflicted']} thành viên không tham gia do xung đột lợi ích"
    counts = d.get("counts", {})
    if d.get("kind") == ACCEPTANCE:
        tail = (
            f"{counts.get('excellent', 0)} phiếu Xuất sắc, {counts.get('pass', 0)} phiếu Đạt, "
            f"{counts.get('fail', 0)} phiếu Không đạt"
        )
    elif d.get("kind") == VOTE:
        tail = f"{counts.get('approve', 0)} phiếu tán thành, {counts.get('reject', 0)} phiếu không tán thành"
    elif d.get("kind") == SELECTION:
        mean = vi_number(d["mean"]) if d.get("mean") else "–"
        tail = (
            f"điểm trung bình {mean}/100 từ {d.get('valid_sheets', 0)} phiếu hợp lệ "
            f"({d.get('invalid_sheets', 0)} phiếu không hợp lệ)"
        )
        if d.get("rank"):
            tail += f", xếp thứ {d['rank']}"
        if d.get("zeroed_criteria"):
            tail += f"; tiêu chí bị chấm 0 điểm quá tỷ lệ cho phép: {', '.join(d['zeroed_criteria'])}"
        if d.get("tied_first"):
            tail += "; đồng điểm cao nhất, xét theo thứ tự ưu tiên quy định"
    else:
        tail = ""
    criteria = d.get("criteria") or {}
    text = f"{head}; {tail}" if tail else head
    if criteria:
        text += "; điểm trung bình theo tiêu chí: " + ", ".join(f"{k} {vi_number(v)}" for k, v in criteria.items())
    return text + "."


def minutes_document(council: Council, *, issued_on: dt.date) -> OfficialDocument:
    department = council.department
    members = selectors.members_of(council)
    rows = selectors.council_outcome(council)
    quorum = selectors.council_quorum(council, members)
    place = department.governing_body.removeprefix("UBND TỈNH ").title() or department.name
    purpose = PURPOSE_VI.get(council.purpose, PURPOSE_VI[CouncilPurpose.OTHER])
    meeting = council.meeting_on or issued_on
    body = [Block(f"BIÊN BẢN HỌP HỘI ĐỒNG {purpose.upper()}", BlockStyle.HEADING)]
    when = f"Thời gian: ngày {meeting.strftime('%d/%m/%Y')}"
    if council.meeting_place:
        when += f". Địa điểm: {council.meeting_place}"
    body.append(Block(when + "."))
    if council.decision_document_id:
        decision = council.decision_document
        body.append(
            Block(
                f"Căn cứ Quyết định số {decision.number_symbol} ngày {decision.issued_on.strftime('%d/%m/%Y')} "
                f"về việc thành lập {council.name}."
            )
        )
    body.append(Block(f"Quy định áp dụng: {council.rule_set.legal_basis}."))
    body.append(Block("I. THÀNH VIÊN HỘI ĐỒNG", BlockStyle.HEADING))
    for number, member in enumerate(members, start=1):
        attendance = "có mặt" if member.is_present else "vắng mặt"
        body.append(
            Block(f"{member.person.full_name} – {ROLE_VI[member.role]} – {attendance}.", BlockStyle.ITEM, f"{number}.")
        )
    body.append(
        Block(f"Số thành viên có mặt: {quorum.present}/{quorum.members} (tối thiểu {quorum.required} theo quy định).")
    )
    body.append(Block("II. KẾT QUẢ ĐÁNH GIÁ", BlockStyle.HEADING))
    for number, row in enumerate(rows, start=1):
        result = RESULT_VI.get(row.result, row.result)
        body.append(Block(f"{row.item.title}: {result}. {_summary(row)}", BlockStyle.ITEM, f"{number}."))
    body.append(Block("III. KẾT LUẬN", BlockStyle.HEADING))
    body.append(
        Block(
            "Hội đồng thống nhất kết quả đánh giá nêu trên. Biên bản được lập từ các phiếu đánh giá của "
            "thành viên Hội đồng và được lưu cùng hồ sơ."
        )
    )
    chair = next((m for m in members if m.role == MemberRole.CHAIR), None)
    return OfficialDocument(
        issuing_body_parent=department.governing_body,
        issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        place=place,
        issued_on=issued_on,
        doc_kind="BIÊN BẢN",
        title=f"Họp {council.name}" if council.name.lower().startswith("hội đồng") else f"Họp Hội đồng {council.name}",
        body=tuple(body),
        signer_title="CHỦ TỊCH HỘI ĐỒNG",
        signer_name=chair.person.full_name if chair else "",
        recipients=Recipients(to=("Thành viên Hội đồng", "Lãnh đạo Sở (để b/c)"), archive_unit="QLKH").lines(),
    )
