"""A sample decision, used by the `document_sample` command (demo data) and by the tests."""

import datetime as dt

from opendost.documents.structure import Block, BlockStyle, OfficialDocument, Recipients


def sample_decision(*, issuing_body_parent: str, place: str, issued_on: dt.date) -> OfficialDocument:
    """A decision of the Department approving the list of provincial S&T tasks for a year."""
    year = issued_on.year + 1
    return OfficialDocument(
        issuing_body_parent=issuing_body_parent,
        issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        place=place,
        issued_on=issued_on,
        doc_kind="QUYẾT ĐỊNH",
        title=f"Về việc phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng năm {year}",
        body=(
            Block("GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ", BlockStyle.HEADING),
            Block("Căn cứ Luật Khoa học, Công nghệ và Đổi mới sáng tạo ngày 27 tháng 6 năm 2025;", BlockStyle.BASIS),
            Block(
                "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
                BlockStyle.BASIS,
            ),
            Block(
                "Theo đề nghị của Trưởng phòng Quản lý khoa học tại Tờ trình số 08/TTr-QLKH "
                f"ngày 02 tháng 01 năm {issued_on.year}.",
                BlockStyle.BASIS,
            ),
            Block("QUYẾT ĐỊNH:", BlockStyle.HEADING),
            Block(
                f"Phê duyệt danh mục 12 nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng năm {year} "
                "(chi tiết tại Phụ lục kèm theo), gồm các lĩnh vực: nông nghiệp ứng dụng công nghệ cao, "
                "y dược, chuyển đổi số và sở hữu trí tuệ.",
                BlockStyle.ITEM,
                lead="Điều 1.",
            ),
            Block(
                "Giao Phòng Quản lý khoa học chủ trì, phối hợp với các đơn vị liên quan tổ chức tuyển chọn, "
                "giao trực tiếp tổ chức, cá nhân chủ trì thực hiện nhiệm vụ theo quy định hiện hành.",
                BlockStyle.ITEM,
                lead="Điều 2.",
            ),
            Block(
                "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng phòng Quản lý khoa học, "
                "Thủ trưởng các đơn vị và cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.",
                BlockStyle.ITEM,
                lead="Điều 3.",
            ),
        ),
        signer_authority="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
        signer_name="Lê Minh Cường",
        recipients=Recipients(
            to=("Như Điều 3", "UBND tỉnh (để b/c)", "Giám đốc, các Phó Giám đốc Sở", "Cổng thông tin điện tử Sở"),
            archive_unit="QLKH",
        ).lines(),
    )
