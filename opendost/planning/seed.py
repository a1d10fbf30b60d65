"""The 2021-2025 plan of the Department of S&T of Bắc Giang (July 2020), as the source states it:
baselines from its results 2016-2020, targets of part two, and the budget of annex IV (million VND).
Figures come from the plan document (seed facts.yaml); nothing is rounded or corrected here, so the
budget's known inconsistency (the operations lines sum to 239,040.15 against a stated 239,040.14)
is reported by the budget page."""

from decimal import Decimal

from django.db import transaction

from opendost.planning import services
from opendost.planning.enums import TargetArea as A
from opendost.planning.models import Plan

CODE = "khcn-2021-2025"
TITLE = "Kế hoạch phát triển kinh tế - xã hội 5 năm giai đoạn 2021 - 2025 (lĩnh vực khoa học và công nghệ)"
DOCUMENT = "Kế hoạch của Sở Khoa học và Công nghệ tỉnh Bắc Giang, tháng 7 năm 2020"
LEGAL_BASIS = (
    "Nghị quyết số 46/NQ-CP ngày 29/3/2013 của Chính phủ; Luật Khoa học và Công nghệ năm 2013 (Điều 49 khoản 1); "
    "Kế hoạch phát triển kinh tế - xã hội 5 năm giai đoạn 2021 - 2025 của UBND tỉnh"
)
BASE = "2016-2020"
OFFICE = "Phòng Quản lý khoa học"
RADIATION_UNIT = "Phòng Quản lý chuyên ngành"
ONE_STOP = "Văn phòng Sở (Bộ phận một cửa)"
IP_UNIT = "Phòng Quản lý chuyên ngành (sở hữu trí tuệ)"
TDC = "Chi cục Tiêu chuẩn Đo lường Chất lượng"

# code, title, area, unit, indicator, baseline, target (min, max), yearly values, unit responsible, source
TARGETS = [
    ("tasks", "Số đề tài, dự án KH&CN cấp tỉnh và cấp quốc gia thực hiện", A.TASKS, "nhiệm vụ", "tasks_started",
     74, None, None, {}, OFFICE, "Phần thứ nhất A.I: 74 đề tài, dự án (61 cấp tỉnh, 13 cấp quốc gia)"),
    ("tasks-provincial", "Đề tài, dự án cấp tỉnh", A.TASKS, "nhiệm vụ", "tasks_provincial",
     61, None, None, {}, OFFICE, "Phần thứ nhất A.I"),
    ("tasks-national", "Đề tài, dự án cấp quốc gia thực hiện trên địa bàn", A.TASKS, "nhiệm vụ", "tasks_national",
     13, None, None, {}, OFFICE, "Phần thứ nhất A.I"),
    ("tasks-per-district", "Nhiệm vụ KH&CN đặt hàng cho mỗi huyện, thành phố (tối thiểu)", A.TASKS, "nhiệm vụ/huyện",
     "tasks_min_per_district", None, 5, None, {}, OFFICE,
     "Phần thứ ba, giải pháp thứ hai: lựa chọn tối thiểu mỗi đơn vị 5 nhiệm vụ KH&CN từ nay đến 2025"),
    ("tasks-accepted", "Nhiệm vụ KH&CN được nghiệm thu (đạt, xuất sắc)", A.TASKS, "nhiệm vụ", "tasks_accepted",
     None, None, None, {}, OFFICE, "Tính từ biên bản nghiệm thu"),
    ("results-registered", "Kết quả nhiệm vụ KH&CN được tiếp nhận, lưu giữ", A.RESULTS, "kết quả",
     "results_registered", 186, None, None, {}, OFFICE, "Phần thứ nhất 8.5: 186 kết quả"),
    ("certificates", "Giấy chứng nhận đăng ký kết quả nhiệm vụ KH&CN", A.RESULTS, "giấy chứng nhận",
     "certificates_issued", 90, None, None, {}, OFFICE, "Phần thứ nhất 8.5: 90 giấy chứng nhận"),
    ("results-applied", "Lượt ứng dụng kết quả nhiệm vụ KH&CN", A.RESULTS, "lượt", "results_applied",
     None, None, None, {}, OFFICE, "Tính từ sổ theo dõi ứng dụng kết quả"),
    ("funding-total", "Kinh phí thực hiện đề tài, dự án (mọi nguồn)", A.FUNDING, "triệu đồng", "funding_total",
     222500, None, None, {}, OFFICE, "Phần thứ nhất A.I: 222,5 tỷ đồng"),
    ("funding-central", "Kinh phí sự nghiệp KH&CN trung ương", A.FUNDING, "triệu đồng", "funding_central",
     49500, None, None, {}, OFFICE, "Phần thứ nhất A.I: 49,5 tỷ đồng"),
    ("funding-provincial", "Kinh phí sự nghiệp KH&CN tỉnh", A.FUNDING, "triệu đồng", "funding_provincial",
     100200, None, None, {}, OFFICE, "Phần thứ nhất A.I: 100,2 tỷ đồng"),
    ("funding-counterpart", "Kinh phí đối ứng của người dân, doanh nghiệp", A.FUNDING, "triệu đồng",
     "funding_counterpart", 72800, None, None, {}, OFFICE, "Phần thứ nhất A.I: 72,8 tỷ đồng"),
    ("xray-facilities", "Cơ sở X-quang được cấp phép", A.RADIATION, "cơ sở", "xray_facilities",
     53, None, None, {}, RADIATION_UNIT, "Phần thứ nhất A.I.5: 53 cơ sở"),
    ("xray-devices", "Thiết bị X-quang được cấp phép", A.RADIATION, "thiết bị", "xray_devices",
     97, 97, None, {}, RADIATION_UNIT, "Phần thứ nhất A.I.5: 97 thiết bị, 100% được cấp phép"),
    ("dossiers", "Hồ sơ thủ tục hành chính tiếp nhận", A.ONE_STOP, "hồ sơ", "dossiers_received",
     None, None, None, {}, ONE_STOP, "Tính từ hồ sơ một cửa"),
    ("dossiers-on-time", "Tỷ lệ hồ sơ giải quyết trước và đúng hạn", A.ONE_STOP, "%", "dossiers_on_time_rate",
     None, 100, None, {}, ONE_STOP, "Tính từ hồ sơ một cửa (sớm và đúng hạn trên số đã giải quyết)"),
    ("new-gi", "Chỉ dẫn địa lý mới được bảo hộ", A.IP, "chỉ dẫn địa lý", "",
     2, 1, 2, {}, IP_UNIT, "Phần thứ hai: 01-02 chỉ dẫn địa lý; 2016-2020: Vải thiều Lục Ngạn, Sâm nam Núi Dành"),
    ("new-marks", "Nhãn hiệu mới được bảo hộ", A.IP, "nhãn hiệu", "",
     None, 15, 20, {}, IP_UNIT, "Phần thứ hai: 15-20 nhãn hiệu"),
    ("measurement-standards", "Chuẩn đo lường được xã hội hóa", A.METROLOGY, "chuẩn", "",
     None, 5, None, {}, TDC, "Phần thứ hai: tối thiểu 05 chuẩn đo lường"),
    ("metrology-enterprises", "Doanh nghiệp được hỗ trợ bảo đảm đo lường", A.METROLOGY, "doanh nghiệp", "",
     None, 10, None, {}, TDC, "Phần thứ hai: tối thiểu 10 doanh nghiệp"),
    ("tdc-trainees", "Người được đào tạo về tiêu chuẩn đo lường chất lượng", A.METROLOGY, "người", "",
     None, 300, None, {str(y): 60 for y in range(2021, 2026)}, TDC, "Phần thứ hai: tối thiểu 300 người, 60 người/năm"),
]  # fmt: skip

# code, title, amount (million VND), parent code
BUDGET = [
    ("total", "Tổng kinh phí giai đoạn 2021-2025", "1634630", None),
    ("st-operations", "Kinh phí sự nghiệp KH&CN", "239040.14", "total"),
    ("research-application", "Nghiên cứu, ứng dụng KH&CN", "154654.09", "st-operations"),
    ("regular-tasks", "Nhiệm vụ thường xuyên theo chức năng", "32860.73", "st-operations"),
    ("st-state-management", "KH&CN phục vụ quản lý nhà nước", "51525.33", "st-operations"),
    ("development-investment", "Kinh phí đầu tư phát triển KH&CN", "1294777.38", "total"),
    ("measurement-equipment", "Trang thiết bị đo lường, thử nghiệm", "24787", "development-investment"),
    ("centre-equipment", "Trang thiết bị mới của Trung tâm Ứng dụng", "45082.57", "development-investment"),
    ("centre-upgrade", "Nâng cấp cơ sở vật chất Trung tâm Ứng dụng", "25000", "development-investment"),
    ("technology-exchange", "Dự án sàn giao dịch công nghệ", "3500", "development-investment"),
    ("sme-productivity", "Kế hoạch nâng cao năng suất chất lượng doanh nghiệp nhỏ và vừa (KH 165/KH-UBND)",
     "7900", "development-investment"),
    ("technology-market", "Đề án phát triển thị trường công nghệ đến năm 2030 (KH 165/KH-UBND)",
     "7500", "development-investment"),
    ("other-capacity", "Tăng cường tiềm lực KH&CN khác", "1181007.81", "development-investment"),
    ("state-management", "Kinh phí quản lý nhà nước", "100812.48", "total"),
]  # fmt: skip


@transaction.atomic
def load(*, department, actor=None) -> Plan:
    """Create the plan for `department` (once: a second call returns the existing plan)."""
    existing = Plan.objects.filter(department=department, code=CODE).first()
    if existing is not None:
        return existing
    plan = services.plan_create(
        actor=actor, department=department, code=CODE, title=TITLE, start_year=2021, end_year=2025,
        legal_basis=LEGAL_BASIS, document_ref=DOCUMENT,
    )  # fmt: skip
    for position, (code, title, area, unit, key, base, low, high, yearly, responsible, source) in enumerate(TARGETS):
        services.target_create(
            actor=actor, plan=plan, code=code, title=title, area=area, unit=unit, indicator_key=key,
            baseline_value=None if base is None else Decimal(base), baseline_label=BASE if base is not None else "",
            target_min=None if low is None else Decimal(low), target_max=None if high is None else Decimal(high),
            yearly_values=yearly, responsible_unit=responsible, source_text=source, position=position,
        )  # fmt: skip
    lines = {}
    for position, (code, title, amount, parent) in enumerate(BUDGET):
        lines[code] = services.budget_line_create(
            actor=actor, plan=plan, code=code, title=title, amount_million=amount,
            parent=lines.get(parent) if parent else None, position=position,
        )  # fmt: skip
    return plan
