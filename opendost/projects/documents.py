"""The official documents of the task procedure, in Vietnamese (they are not UI): the decision
approving the ordered list and the registration certificate of a result (TT 14/2014 as amended)."""

import datetime as dt

from opendost.documents.structure import Block, BlockStyle, OfficialDocument, Recipients
from opendost.projects.regimes import version_of

ISSUING_BODY = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
CERTIFICATE_KIND = "GIẤY CHỨNG NHẬN"
CERTIFICATE_TITLE = "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ"
CERTIFICATE_DOC_TYPE = "GCN"
DECISION_DOC_TYPE = "QĐ"


def _place(department) -> str:
    """ "UBND TỈNH BẮC NINH" -> "Bắc Ninh" (the place line of NĐ 30/2020 cell 4)."""
    body = department.governing_body
    for prefix in ("UBND TỈNH ", "UBND THÀNH PHỐ ", "UBND "):
        if body.upper().startswith(prefix):
            return body[len(prefix) :].title()
    return body.title()


def _basis(regime: str) -> tuple[Block, ...]:
    return tuple(Block(f"Căn cứ {text};", BlockStyle.BASIS) for text in version_of(regime).legal_basis)


def ordered_list_decision(*, proposal_round, tasks, issued_on: dt.date, signer_name: str) -> OfficialDocument:
    department = proposal_round.department
    rows = tuple(
        Block(f"{task.code} – {task.title} ({task.get_assignment_mode_display()}).", BlockStyle.ITEM, lead=f"{n}.")
        for n, task in enumerate(tasks, start=1)
    )
    return OfficialDocument(
        issuing_body_parent=department.governing_body,
        issuing_body=ISSUING_BODY,
        place=_place(department),
        issued_on=issued_on,
        doc_kind="QUYẾT ĐỊNH",
        title=f"Về việc phê duyệt danh mục nhiệm vụ khoa học và công nghệ đặt hàng năm {proposal_round.year}",
        body=(
            Block("GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ", BlockStyle.HEADING),
            *_basis(proposal_round.regime),
            Block("Theo đề nghị của Trưởng phòng Quản lý khoa học.", BlockStyle.BASIS),
            Block("QUYẾT ĐỊNH:", BlockStyle.HEADING),
            Block(
                f"Phê duyệt danh mục {len(rows)} nhiệm vụ khoa học và công nghệ đặt hàng năm {proposal_round.year} "
                "(tên, mục tiêu, sản phẩm dự kiến và phương thức tổ chức thực hiện như sau):",
                BlockStyle.ITEM,
                lead="Điều 1.",
            ),
            *rows,
            Block(
                "Giao Phòng Quản lý khoa học tổ chức tuyển chọn, giao trực tiếp tổ chức, cá nhân chủ trì "
                "thực hiện các nhiệm vụ theo quy định.",
                BlockStyle.ITEM,
                lead="Điều 2.",
            ),
            Block(
                "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng phòng Quản lý khoa học "
                "và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.",
                BlockStyle.ITEM,
                lead="Điều 3.",
            ),
        ),
        signer_title="GIÁM ĐỐC",
        signer_name=signer_name,
        recipients=Recipients(to=("Như Điều 3", "UBND tỉnh (để b/c)"), archive_unit="QLKH").lines(),
    )


def registration_certificate(*, registration, issued_on: dt.date, signer_name: str) -> OfficialDocument:
    result = registration.result
    task = result.task
    department = registration.department
    host = task.host.name if task.host_id else ""
    investigator = task.principal_investigator.full_name if task.principal_investigator_id else ""
    lines = [
        ("Tên nhiệm vụ:", f"{task.title} (mã số {task.code})"),
        ("Cấp quản lý:", task.get_level_display()),
        ("Tổ chức chủ trì:", host),
        ("Chủ nhiệm nhiệm vụ:", investigator),
        ("Tên kết quả:", result.title),
        ("Năm:", str(result.year)),
        ("Nơi lưu giữ:", registration.storage_ref or "Trung tâm Thông tin và Thống kê KH&CN"),
    ]
    return OfficialDocument(
        issuing_body_parent=department.governing_body,
        issuing_body=ISSUING_BODY,
        place=_place(department),
        issued_on=issued_on,
        doc_kind=CERTIFICATE_KIND,
        title=CERTIFICATE_TITLE,
        body=(
            Block("GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ", BlockStyle.HEADING),
            *_basis(task.regime),
            Block(
                f"Xét hồ sơ đăng ký kết quả thực hiện nhiệm vụ nhận đủ ngày {registration.received_on:%d/%m/%Y}.",
                BlockStyle.BASIS,
            ),
            Block("CHỨNG NHẬN:", BlockStyle.HEADING),
            *(Block(text, BlockStyle.ITEM, lead=lead) for lead, text in lines if text),
            Block(
                "Đã đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ. Mỗi kết quả được cấp một Giấy "
                "chứng nhận; Giấy chứng nhận không cấp lại.",
                BlockStyle.PARAGRAPH,
            ),
        ),
        signer_authority="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
        signer_name=signer_name,
        recipients=Recipients(to=(host or "Tổ chức chủ trì",), archive_unit="TTTT").lines(),
    )
