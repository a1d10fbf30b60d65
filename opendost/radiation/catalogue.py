"""The radiation-safety procedures of the catalogue (domain reference §9.2-§9.4), as data.

Loaded by migration 0002 and usable again by `catalogue_rows()` in tests. Two versions per procedure:
NĐ 142/2020/NĐ-CP (01/02/2021-31/12/2025) and Luật Năng lượng nguyên tử 94/2025/QH15 with
NĐ 332/2025/NĐ-CP (from 01/01/2026). The 2026 values (deadlines, renewal lead time, licence term) were
not verified against NĐ 332/2025 and are carried over from NĐ 142/2020; `rules["unverified"]` says so,
and officers publish a corrected version when the Department confirms them (ADR 0016).
The national procedure codes are the Department's to confirm against the national catalogue.
"""

import datetime as dt

OLD_FROM, OLD_TO, NEW_FROM = dt.date(2021, 2, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1)
OLD_BASIS = (
    "Luật Năng lượng nguyên tử số 18/2008/QH12 ngày 03 tháng 6 năm 2008\n"
    "Nghị định số 142/2020/NĐ-CP ngày 09 tháng 12 năm 2020 của Chính phủ quy định về việc tiến hành "
    "công việc bức xạ và hoạt động dịch vụ hỗ trợ ứng dụng năng lượng nguyên tử"
)
NEW_BASIS = (
    "Luật Năng lượng nguyên tử số 94/2025/QH15\n"
    "Nghị định số 332/2025/NĐ-CP ngày 18 tháng 12 năm 2025 của Chính phủ quy định chi tiết một số điều "
    "của Luật Năng lượng nguyên tử"
)
SLIPS = {
    "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
    "apology": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "control": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}
STEPS = [
    {"code": "tham-dinh", "name": "Thẩm định hồ sơ, kiểm tra thực tế (nếu cần)", "days": 7},
    {"code": "trinh-ky", "name": "Trình lãnh đạo ký, ban hành kết quả", "days": 2},
]


def _doc(code, name, copy="original", required=True):
    return {"code": code, "name": name, "copy": copy, "required": required}


LICENCE_DOCS = [
    _doc("DON", "Đơn đề nghị cấp giấy phép tiến hành công việc bức xạ"),
    _doc("KB", "Phiếu khai báo thiết bị bức xạ"),
    _doc("ATBX", "Báo cáo đánh giá an toàn bức xạ (che chắn phòng đặt thiết bị, bố trí mặt bằng)"),
    _doc("KD", "Bản sao giấy chứng nhận kiểm định thiết bị", "copy"),
    _doc("KX", "Bản sao kết quả kiểm xạ", "copy"),
    _doc("PTAT", "Quyết định phân công người phụ trách an toàn kèm chứng chỉ nhân viên bức xạ", "copy"),
    _doc("NVBX", "Danh sách nhân viên bức xạ kèm giấy chứng nhận đào tạo an toàn bức xạ", "copy"),
    _doc("NQ", "Nội quy an toàn bức xạ"),
    _doc("UPSC", "Kế hoạch ứng phó sự cố bức xạ cấp cơ sở"),
    _doc("LK", "Hợp đồng hoặc văn bản bảo đảm theo dõi liều chiếu xạ cá nhân", "copy"),
]
RENEWAL_DOCS = [
    _doc("DON", "Đơn đề nghị gia hạn giấy phép tiến hành công việc bức xạ (Mẫu 6)"),
    _doc("GP", "Bản sao giấy phép đã được cấp và sắp hết hạn", "copy"),
    _doc("LK", "Kết quả đo liều kế cá nhân trong thời gian hiệu lực của giấy phép đề nghị gia hạn"),
    _doc("KX", "Bản sao kết quả kiểm xạ", "copy"),
    _doc("KD", "Bản sao giấy chứng nhận kiểm định thiết bị", "copy"),
    _doc("NVBX", "Phiếu khai báo nhân viên bức xạ, người phụ trách an toàn (nếu có thay đổi)", "original", False),
]
AMEND_DOCS = [
    _doc("DON", "Đơn đề nghị sửa đổi, bổ sung giấy phép tiến hành công việc bức xạ"),
    _doc("GP", "Bản sao giấy phép đã được cấp", "copy"),
    _doc("TL", "Tài liệu chứng minh nội dung đề nghị sửa đổi, bổ sung (thiết bị, phạm vi)"),
]
REISSUE_DOCS = [
    _doc("DON", "Đơn đề nghị cấp lại giấy phép tiến hành công việc bức xạ, nêu rõ lý do"),
    _doc("GP", "Bản sao giấy phép bị hư hỏng (nếu có)", "copy", False),
]
PLAN_DOCS = [
    _doc("DON", "Văn bản đề nghị phê duyệt kế hoạch ứng phó sự cố bức xạ cấp cơ sở"),
    _doc("KH", "Kế hoạch ứng phó sự cố bức xạ cấp cơ sở"),
]

# (code, name, handler, documents, deadline (unit, count) under NĐ 142, fee, rules)
PROCEDURES = [
    (
        "BX.01",
        "Cấp giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong y tế",
        "radiation.licence_new",
        LICENCE_DOCS,
        ("calendar", 25),
        2_100_000,
        "Phí thẩm định theo từng thiết bị (Thông tư 287/2016/TT-BTC): X-quang răng, vú, di động 1.500.000 đồng; "
        "X-quang tổng hợp, đo mật độ xương 2.000.000 đồng; C-arm, chiếu chụp 4.000.000 đồng; CT 6.000.000 đồng; "
        "lệ phí cấp giấy phép 100.000 đồng.",
        {"licence_term_years": 3},
    ),
    (
        "BX.02",
        "Gia hạn giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong y tế",
        "radiation.licence_renewal",
        RENEWAL_DOCS,
        ("calendar", 25),
        1_600_000,
        "75% phí thẩm định cấp giấy phép mới; lệ phí cấp giấy phép 100.000 đồng.",
        {"licence_term_years": 3, "renewal_lead_days": 45},
    ),
    (
        "BX.03",
        "Sửa đổi, bổ sung giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong y tế",
        "radiation.licence_amendment",
        AMEND_DOCS,
        ("working", 10),
        100_000,
        "Phí thẩm định theo thiết bị bổ sung; lệ phí cấp giấy phép 100.000 đồng.",
        {},
    ),
    (
        "BX.04",
        "Cấp lại giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong y tế",
        "radiation.licence_reissue",
        REISSUE_DOCS,
        ("working", 10),
        100_000,
        "Lệ phí cấp giấy phép 100.000 đồng.",
        {},
    ),
    (
        "BX.05",
        "Phê duyệt kế hoạch ứng phó sự cố bức xạ cấp cơ sở - sử dụng thiết bị X-quang chẩn đoán trong y tế",
        "radiation.response_plan",
        PLAN_DOCS,
        ("calendar", 15),
        0,
        "Không thu phí.",
        {},
    ),
]


def catalogue_rows():
    """(procedure fields, [version fields, ...]) for each procedure."""
    for code, name, handler, documents, (unit, count), fee, fee_note, rules in PROCEDURES:
        procedure = {
            "code": code,
            "local_code": f"{code}.SKHCN",
            "name": name,
            "sector": "An toàn bức xạ và hạt nhân",
            "handler_key": handler,
        }
        common = {
            "online_level": "full" if handler != "radiation.licence_new" else "partial",
            "fee_amount": fee,
            "fee_note": fee_note,
            "required_documents": documents,
            "deadline_unit": unit,
            "deadline_count": count,
            "start_rule": "next_working_day",
            "pause_on_supplement": True,
            "intake_check_days": 5,
            "steps": STEPS if count >= 10 else [],
            "output_name": "Quyết định phê duyệt kế hoạch ứng phó sự cố bức xạ cấp cơ sở"
            if handler == "radiation.response_plan"
            else "Giấy phép tiến hành công việc bức xạ",
            "output_doc_type": "QĐ" if handler == "radiation.response_plan" else "GP",
            "slip_names": SLIPS,
        }
        # NĐ 142/2020 Art. 29-33: the decision time runs from the complete dossier and the paid fees.
        rules = {**rules, "clock_after_fee": fee > 0}
        versions = [
            {
                **common,
                "number": 1,
                "regime": "NĐ 142/2020/NĐ-CP",
                "legal_basis": OLD_BASIS,
                "effective_from": OLD_FROM,
                "effective_to": OLD_TO,
                "rules": dict(rules),
            },
            {
                **common,
                "number": 2,
                "regime": "Luật 94/2025/QH15, NĐ 332/2025/NĐ-CP",
                "legal_basis": NEW_BASIS,
                "effective_from": NEW_FROM,
                "effective_to": None,
                "rules": {
                    **rules,
                    "unverified": "Thời hạn giải quyết, thời hạn nộp hồ sơ gia hạn và thời hạn giấy phép theo "
                    "NĐ 332/2025/NĐ-CP chưa được đối chiếu; tạm giữ giá trị của NĐ 142/2020/NĐ-CP.",
                },
            },
        ]
        yield procedure, versions
