"""Demo listings of the technology exchange of Sở KH&CN Bắc Ninh: offers (some made from accepted
S&T task results), needs of enterprises (some captured by officers at surveys, inspections and fairs,
some posted by the demo enterprise account), equipment and S&T services, in every state, a few close
to expiry, and listings of the old exchange (imported, some of them expired).

Everything goes through the services and the workflow engine. Several needs deliberately match
offers (the matching demo walks them):

    need "Xử lý rơm rạ, phụ phẩm thành phân bón hữu cơ"  <->  offer "Chế phẩm vi sinh xử lý phụ phẩm..."
    need "Bảo quản, sấy vải thiều xuất khẩu"             <->  offer "Công nghệ sấy thăng hoa vải thiều..."
    need "Kiểm tra quang học lỗi hàn bo mạch (AOI)"       <->  offer "Hệ thống AOI dùng trí tuệ nhân tạo..."
    need "IoT tưới nhỏ giọt cho vườn vải"                <->  offer "Hệ thống IoT giám sát và tưới tự động..."
    need "Xử lý nước thải trại gà"                       <->  offer "Đệm lót sinh học và biogas..."
    need "Lò nung gốm tiết kiệm năng lượng"              <->  offer "Lò nung gas con thoi tiết kiệm năng lượng"
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from opendost.marketplace import services
from opendost.marketplace.enums import (
    CaptureChannel,
    EquipmentMode,
    IpStatus,
    ListingKind,
    ListingStatus,
    ServiceType,
    TransferMode,
)

BAC_NINH = "bac-ninh"
OFFICER = "canbo"
LEADER = "lanhdao"
APPLICANT = "doanhnghiep"
S = ListingStatus
K = ListingKind
T = TransferMode


@dataclass(frozen=True)
class DemoListing:
    kind: str
    owner: str  # key of a demo organisation
    title: str
    summary: str
    keywords: str
    field_code: str = ""
    sector: str = ""
    state: str = S.PUBLISHED
    valid_days: int | None = None  # valid_until = today + valid_days (None: 12 months from publication)
    values: dict = field(default_factory=dict)
    capture: str = ""  # an officer captured the need (survey, inspection, fair)
    by_applicant: bool = False  # posted by the demo enterprise account itself
    return_reason: str = ""


OFFERS = [
    DemoListing(
        K.OFFER,
        "sinh-hoc-hiep-hoa",
        "Chế phẩm vi sinh xử lý phụ phẩm nông nghiệp thành phân bón hữu cơ",
        "Chế phẩm vi sinh đa chủng (Bacillus, Trichoderma, xạ khuẩn) phân giải nhanh rơm rạ, thân lá ngô và "
        "phụ phẩm nông nghiệp thành phân bón hữu cơ vi sinh sau 25–30 ngày ủ, giảm đốt rơm rạ ngoài đồng, "
        "phù hợp hợp tác xã và hộ sản xuất quy mô 1–50 tấn phụ phẩm/tháng.",
        "chế phẩm vi sinh; phân bón hữu cơ; rơm rạ; phụ phẩm nông nghiệp; ủ phân",
        "406",
        "Nông nghiệp",
        values={
            "readiness_level": 8,
            "ip_status": IpStatus.UTILITY_SOLUTION,
            "transfer_modes": [T.LICENCE, T.CONSULTING],
            "price_vnd": 350_000_000,
            "price_negotiable": True,
        },
    ),
    DemoListing(
        K.OFFER,
        "cb-nong-san",
        "Công nghệ sấy thăng hoa và bảo quản vải thiều, nhãn xuất khẩu",
        "Dây chuyền sấy thăng hoa (sấy lạnh) công suất 500 kg quả tươi/mẻ giữ màu, hương vị và vitamin C của "
        "vải thiều; kèm quy trình bảo quản lạnh kéo dài thời gian bảo quản quả tươi đến 30 ngày phục vụ "
        "xuất khẩu.",
        "sấy thăng hoa; sấy lạnh; bảo quản; vải thiều; nhãn; xuất khẩu",
        "401",
        "Chế biến thực phẩm",
        values={
            "readiness_level": 7,
            "ip_status": IpStatus.KNOW_HOW,
            "transfer_modes": [T.TURNKEY, T.CONSULTING],
            "price_vnd": 2_800_000_000,
        },
    ),
    DemoListing(
        K.OFFER,
        "tt-doi-moi",
        "Hệ thống kiểm tra quang học tự động (AOI) dùng trí tuệ nhân tạo cho bo mạch điện tử",
        "Camera công nghiệp và mô hình học sâu phát hiện lỗi hàn, thiếu linh kiện, lệch chân trên bo mạch "
        "điện tử (PCB) ngay trên dây chuyền SMT; độ chính xác trên 98%, tích hợp với hệ thống MES.",
        "kiểm tra quang học; AOI; trí tuệ nhân tạo; bo mạch; lỗi hàn; SMT",
        "202",
        "Điện tử",
        values={
            "readiness_level": 6,
            "ip_status": IpStatus.APPLIED,
            "transfer_modes": [T.LICENCE, T.JOINT_VENTURE],
            "price_negotiable": True,
        },
    ),
    DemoListing(
        K.OFFER,
        "tt-ung-dung-bg",
        "Hệ thống IoT giám sát độ ẩm đất và tưới nhỏ giọt tự động cho cây ăn quả",
        "Cảm biến độ ẩm đất, nhiệt độ, lượng mưa kết nối LoRa/4G, bộ điều khiển van tưới nhỏ giọt tự động "
        "theo ngưỡng; ứng dụng trên điện thoại; đã triển khai mô hình 5 ha vải thiều, tiết kiệm 35% nước tưới.",
        "IoT; cảm biến độ ẩm; tưới nhỏ giọt; tưới tự động; vải thiều; nông nghiệp thông minh",
        "401",
        "Nông nghiệp công nghệ cao",
        values={
            "readiness_level": 8,
            "ip_status": IpStatus.NONE,
            "transfer_modes": [T.TURNKEY, T.CONSULTING],
            "price_vnd": 180_000_000,
            "price_negotiable": True,
        },
    ),
    DemoListing(
        K.OFFER,
        "tt-ung-dung-bg",
        "Đệm lót sinh học và hầm biogas xử lý chất thải, nước thải chăn nuôi gà, lợn",
        "Quy trình đệm lót sinh học kết hợp hầm biogas composite và hồ sinh học xử lý nước thải chăn nuôi "
        "đạt QCVN 62-MT:2016/BTNMT; giảm mùi hôi, tận dụng khí sinh học đun nấu và phát điện.",
        "đệm lót sinh học; biogas; nước thải chăn nuôi; chất thải chăn nuôi; trại gà; môi trường",
        "207",
        "Môi trường",
        values={
            "readiness_level": 9,
            "transfer_modes": [T.CONSULTING, T.TURNKEY],
            "price_vnd": 120_000_000,
        },
        valid_days=20,
    ),
    DemoListing(
        K.OFFER,
        "gom-bac-ninh",
        "Lò nung gas con thoi tiết kiệm năng lượng cho gốm mỹ nghệ",
        "Lò nung gốm dùng khí gas hóa lỏng, vỏ sợi gốm cách nhiệt, điều khiển nhiệt độ tự động theo biểu đồ "
        "nung; tiết kiệm 30% nhiên liệu so với lò than, giảm khí thải và tỷ lệ sản phẩm lỗi.",
        "lò nung; gốm; tiết kiệm năng lượng; khí gas; giảm khí thải",
        "205",
        "Vật liệu, gốm sứ",
        values={
            "readiness_level": 9,
            "ip_status": IpStatus.UTILITY_SOLUTION,
            "transfer_modes": [T.SALE, T.TURNKEY],
            "price_vnd": 650_000_000,
        },
    ),
    DemoListing(
        K.OFFER,
        "sinh-hoc-hiep-hoa",
        "Quy trình nhân giống nấm đông trùng hạ thảo trên giá thể nhân tạo",
        "Quy trình nuôi cấy Cordyceps militaris trên giá thể gạo lứt và nhộng tằm trong phòng sạch, năng suất "
        "ổn định, hàm lượng cordycepin đạt tiêu chuẩn cơ sở; chuyển giao giống gốc và đào tạo kỹ thuật.",
        "đông trùng hạ thảo; nấm dược liệu; nuôi cấy mô; công nghệ sinh học",
        "406",
        "Dược liệu",
        state=S.SUBMITTED,
        values={"readiness_level": 7, "transfer_modes": [T.LICENCE, T.CONSULTING], "price_negotiable": True},
    ),
    DemoListing(
        K.OFFER,
        "co-khi-viet-yen",
        "Robot hàn tự động cho kết cấu thép nhà xưởng",
        "Cánh tay robot 6 trục kèm đồ gá và phần mềm lập trình đường hàn cho dầm, cột thép; năng suất gấp 3 "
        "lần hàn tay, mối hàn đồng đều.",
        "robot hàn; tự động hóa; cơ khí; kết cấu thép",
        "203",
        "Cơ khí chế tạo",
        state=S.RETURNED,
        values={"readiness_level": 6, "transfer_modes": [T.SALE], "price_negotiable": True},
        return_reason="Nêu rõ tình trạng sở hữu trí tuệ và đính kèm tài liệu kỹ thuật của robot.",
    ),
    DemoListing(
        K.OFFER,
        "bv-luc-ngan",
        "Phần mềm quản lý bệnh án điện tử cho bệnh viện tuyến huyện",
        "Phần mềm bệnh án điện tử đáp ứng Thông tư 46/2018/TT-BYT, kết nối PACS và cổng giám định bảo hiểm y tế; "
        "đã vận hành ổn định 2 năm tại bệnh viện đa khoa tuyến huyện.",
        "bệnh án điện tử; phần mềm y tế; chuyển đổi số; bệnh viện",
        "303",
        "Y tế",
        values={"readiness_level": 9, "transfer_modes": [T.LICENCE, T.CONSULTING], "price_vnd": 900_000_000},
        valid_days=5,
    ),
    DemoListing(
        K.OFFER,
        "htx-che",
        "Quy trình chế biến chè xanh đạt tiêu chuẩn VietGAP",
        "Quy trình canh tác và chế biến chè xanh an toàn, truy xuất nguồn gốc bằng mã QR.",
        "chè xanh; VietGAP; chế biến chè; truy xuất nguồn gốc",
        "401",
        "Nông nghiệp",
        state=S.DRAFT,
        values={"readiness_level": 8, "transfer_modes": [T.CONSULTING], "price_negotiable": True},
    ),
    DemoListing(
        K.OFFER,
        "tt-doi-moi",
        "Vật liệu nano bạc kháng khuẩn cho bao bì thực phẩm",
        "Màng bao bì polyme phủ nano bạc ức chế vi khuẩn E. coli, S. aureus, kéo dài thời gian bảo quản thực "
        "phẩm tươi sống thêm 3–5 ngày.",
        "nano bạc; vật liệu kháng khuẩn; bao bì thực phẩm; vật liệu mới",
        "205",
        "Vật liệu",
        state=S.WITHDRAWN,
        values={
            "readiness_level": 5,
            "ip_status": IpStatus.PATENT,
            "transfer_modes": [T.LICENCE],
            "price_negotiable": True,
        },
    ),
]

NEEDS = [
    DemoListing(
        K.NEED,
        "htx-vai-thieu",
        "Cần công nghệ xử lý rơm rạ, phụ phẩm nông nghiệp thành phân bón hữu cơ",
        "Hợp tác xã có khoảng 40 tấn rơm rạ và cành lá vải sau thu hoạch mỗi năm, hiện phải đốt bỏ gây ô nhiễm; "
        "cần công nghệ ủ phân bón hữu cơ vi sinh tại chỗ để bón lại cho vườn vải.",
        "phân bón hữu cơ; rơm rạ; phụ phẩm nông nghiệp; chế phẩm vi sinh; vải thiều",
        "406",
        "Nông nghiệp",
        values={
            "expected_result": "Quy trình ủ 30–40 ngày tại hợp tác xã; chuyển giao chế phẩm và tập huấn cho xã viên.",
            "budget_min_vnd": 100_000_000,
            "budget_max_vnd": 400_000_000,
        },
    ),
    DemoListing(
        K.NEED,
        "xuat-khau-vai",
        "Cần công nghệ sấy và bảo quản vải thiều xuất khẩu",
        "Doanh nghiệp xuất khẩu vải thiều sang Nhật Bản và EU cần kéo dài thời gian bảo quản quả tươi và phát "
        "triển sản phẩm vải sấy giữ màu đỏ tự nhiên, không dùng lưu huỳnh.",
        "sấy thăng hoa; sấy lạnh; bảo quản; vải thiều; xuất khẩu",
        "401",
        "Chế biến thực phẩm",
        values={
            "expected_result": "Dây chuyền sấy 300–500 kg/mẻ và quy trình bảo quản lạnh tối thiểu 25 ngày.",
            "budget_min_vnd": 1_500_000_000,
            "budget_max_vnd": 3_500_000_000,
        },
    ),
    DemoListing(
        K.NEED,
        "dien-tu-kinh-bac",
        "Cần hệ thống kiểm tra quang học tự động phát hiện lỗi hàn bo mạch",
        "Dây chuyền SMT của công ty đang kiểm tra bo mạch bằng mắt thường, tỷ lệ lỗi lọt đến khách hàng 0,8%; "
        "cần hệ thống kiểm tra quang học tự động (AOI) có trí tuệ nhân tạo.",
        "kiểm tra quang học; AOI; bo mạch; lỗi hàn; trí tuệ nhân tạo",
        "202",
        "Điện tử",
        by_applicant=True,
        values={
            "expected_result": "Giảm tỷ lệ lỗi lọt dưới 0,1%; tích hợp với phần mềm quản lý sản xuất hiện có.",
            "budget_min_vnd": 800_000_000,
            "budget_max_vnd": 2_000_000_000,
        },
    ),
    DemoListing(
        K.NEED,
        "htx-vai-thieu",
        "Cần giải pháp IoT tưới nhỏ giọt tự động cho vườn vải thiều",
        "Vườn vải 12 ha trên đất đồi thiếu nước vào mùa khô; cần hệ thống cảm biến độ ẩm đất và điều khiển "
        "tưới nhỏ giọt tự động qua điện thoại.",
        "IoT; tưới nhỏ giọt; tưới tự động; cảm biến độ ẩm; vải thiều",
        "401",
        "Nông nghiệp công nghệ cao",
        capture=CaptureChannel.SURVEY,
        values={
            "expected_result": "Hệ thống tưới cho 12 ha, tiết kiệm nước và nhân công.",
            "budget_max_vnd": 300_000_000,
        },
    ),
    DemoListing(
        K.NEED,
        "htx-ga-doi",
        "Cần công nghệ xử lý chất thải, nước thải trại gà đồi",
        "Các trại gà của hợp tác xã (khoảng 30.000 con) phát sinh mùi và nước thải; cần giải pháp xử lý đạt "
        "quy chuẩn môi trường, chi phí vận hành thấp.",
        "nước thải chăn nuôi; chất thải chăn nuôi; trại gà; đệm lót sinh học; biogas",
        "402",
        "Chăn nuôi",
        capture=CaptureChannel.INSPECTION,
        values={
            "expected_result": "Nước thải sau xử lý đạt QCVN 62-MT:2016/BTNMT; không còn mùi hôi ảnh hưởng dân cư.",
            "budget_min_vnd": 150_000_000,
            "budget_max_vnd": 500_000_000,
        },
    ),
    DemoListing(
        K.NEED,
        "gom-bac-ninh",
        "Cần lò nung gốm tiết kiệm năng lượng, giảm khí thải",
        "Cơ sở gốm mỹ nghệ đang dùng lò than thủ công, tiêu tốn nhiên liệu và bị nhắc nhở về khí thải; cần "
        "chuyển sang lò nung gas hoặc lò điện tiết kiệm năng lượng.",
        "lò nung; gốm; tiết kiệm năng lượng; khí thải",
        "205",
        "Vật liệu, gốm sứ",
        capture=CaptureChannel.FAIR,
        values={
            "expected_result": "Lò nung dung tích 3–5 m3, tiết kiệm ít nhất 25% nhiên liệu.",
            "budget_max_vnd": 800_000_000,
        },
    ),
    DemoListing(
        K.NEED,
        "htx-che",
        "Cần máy sao chè và dây chuyền đóng gói chè tự động",
        "Hợp tác xã chè cần cơ giới hóa khâu sao, vò và đóng gói để đáp ứng đơn hàng của chuỗi siêu thị.",
        "máy sao chè; đóng gói tự động; cơ giới hóa; chè",
        "203",
        "Chế biến nông sản",
        state=S.SUBMITTED,
        values={"expected_result": "Dây chuyền 200 kg chè búp tươi/giờ.", "budget_max_vnd": 600_000_000},
    ),
    DemoListing(
        K.NEED,
        "bv-luc-ngan",
        "Cần công nghệ xử lý nước thải y tế quy mô 100 m3/ngày",
        "Bệnh viện cần nâng cấp hệ thống xử lý nước thải y tế đáp ứng QCVN 28:2010/BTNMT, diện tích mặt bằng hạn chế.",
        "nước thải y tế; xử lý nước thải; môi trường; bệnh viện",
        "207",
        "Y tế, môi trường",
        values={
            "expected_result": "Hệ thống hợp khối công suất 100 m3/ngày, vận hành tự động.",
            "budget_min_vnd": 1_000_000_000,
            "budget_max_vnd": 2_500_000_000,
        },
        valid_days=6,
    ),
    DemoListing(
        K.NEED,
        "dien-tu-kinh-bac",
        "Cần giải pháp truy xuất nguồn gốc linh kiện bằng RFID",
        "Công ty cần theo dõi linh kiện từ kho đến dây chuyền lắp ráp bằng thẻ RFID.",
        "RFID; truy xuất nguồn gốc; kho; linh kiện điện tử",
        "202",
        "Điện tử",
        state=S.DRAFT,
        by_applicant=True,
        values={"expected_result": "Theo dõi 100% linh kiện nhập kho theo thời gian thực."},
    ),
    DemoListing(
        K.NEED,
        "dien-tu-kinh-bac",
        "Cần dịch vụ thử nghiệm tương thích điện từ (EMC) cho sản phẩm",
        "Sản phẩm bộ sạc của công ty cần thử nghiệm EMC trước khi xuất khẩu.",
        "thử nghiệm EMC; tương thích điện từ; chứng nhận hợp quy",
        "202",
        "Điện tử",
        state=S.RETURNED,
        by_applicant=True,
        values={"expected_result": "Biên bản thử nghiệm EMC được công nhận."},
        return_reason="Nêu rõ tiêu chuẩn thử nghiệm (IEC/TCVN) và kinh phí dự kiến.",
    ),
    DemoListing(
        K.NEED,
        "cb-nong-san",
        "Cần công nghệ chiết xuất tinh dầu từ vỏ bưởi",
        "Nhà máy thải ra 5 tấn vỏ bưởi mỗi tháng; cần công nghệ chiết xuất tinh dầu và pectin.",
        "chiết xuất tinh dầu; vỏ bưởi; pectin; phụ phẩm chế biến",
        "204",
        "Chế biến thực phẩm",
        state=S.SUBMITTED,
        values={"expected_result": "Dây chuyền chiết xuất 5 tấn vỏ/tháng.", "budget_max_vnd": 1_200_000_000},
    ),
]

EQUIPMENT = [
    DemoListing(
        K.EQUIPMENT,
        "tt-ky-thuat-tdc-bg",
        "Dùng chung máy sắc ký khí khối phổ (GC-MS) phân tích dư lượng thuốc bảo vệ thực vật",
        "Phòng thử nghiệm VILAS mở máy GC-MS cho doanh nghiệp, viện, trường thuê theo mẫu hoặc theo giờ; có "
        "kỹ thuật viên vận hành.",
        "GC-MS; sắc ký; dư lượng thuốc bảo vệ thực vật; phòng thí nghiệm dùng chung",
        "204",
        "Thử nghiệm",
        values={"equipment_mode": EquipmentMode.SHARED_USE, "price_vnd": 1_500_000, "price_negotiable": True},
    ),
    DemoListing(
        K.EQUIPMENT,
        "co-khi-viet-yen",
        "Cho thuê máy cắt laser CNC 6 kW",
        "Máy cắt laser fiber 6 kW, bàn cắt 1.500 × 3.000 mm, cắt thép đến 20 mm; cho thuê theo ca.",
        "máy cắt laser; CNC; gia công cơ khí",
        "203",
        "Cơ khí chế tạo",
        values={"equipment_mode": EquipmentMode.LEASE, "price_vnd": 4_500_000},
        valid_days=25,
    ),
    DemoListing(
        K.EQUIPMENT,
        "cb-nong-san",
        "Bán thiết bị sấy bơm nhiệt đã qua sử dụng",
        "Máy sấy bơm nhiệt 300 kg/mẻ, đã dùng 2 năm, còn hoạt động tốt.",
        "máy sấy bơm nhiệt; sấy nông sản",
        "401",
        "Chế biến nông sản",
        values={"equipment_mode": EquipmentMode.SALE, "price_vnd": 280_000_000, "price_negotiable": True},
    ),
    DemoListing(
        K.EQUIPMENT,
        "tt-doi-moi",
        "Dùng chung máy in 3D kim loại cho tạo mẫu nhanh",
        "Xưởng chế tạo mẫu của trung tâm mở máy in 3D kim loại cho khởi nghiệp và doanh nghiệp nhỏ.",
        "in 3D; tạo mẫu nhanh; khởi nghiệp",
        "203",
        "Đổi mới sáng tạo",
        state=S.SUBMITTED,
        values={"equipment_mode": EquipmentMode.SHARED_USE, "price_negotiable": True},
    ),
    DemoListing(
        K.EQUIPMENT,
        "bv-luc-ngan",
        "Cho thuê tủ an toàn sinh học cấp II",
        "Tủ an toàn sinh học cấp II phục vụ xét nghiệm vi sinh.",
        "tủ an toàn sinh học; xét nghiệm vi sinh",
        "303",
        "Y tế",
        state=S.DRAFT,
        values={"equipment_mode": EquipmentMode.LEASE},
    ),
]

SERVICES = [
    DemoListing(
        K.SERVICE,
        "tt-ung-dung-bg",
        "Dịch vụ định giá công nghệ và tài sản trí tuệ",
        "Định giá công nghệ, sáng chế, nhãn hiệu phục vụ góp vốn, chuyển giao và vay vốn; đội ngũ thẩm định "
        "viên được đào tạo theo chuẩn của Bộ Khoa học và Công nghệ.",
        "định giá công nghệ; tài sản trí tuệ; thẩm định giá",
        "2",
        "Dịch vụ KH&CN",
        values={"service_type": ServiceType.VALUATION, "price_negotiable": True},
    ),
    DemoListing(
        K.SERVICE,
        "tt-doi-moi",
        "Dịch vụ môi giới, kết nối chuyển giao công nghệ",
        "Tìm kiếm công nghệ phù hợp, kết nối bên bán và bên mua, hỗ trợ đàm phán và soạn thảo hợp đồng chuyển "
        "giao công nghệ.",
        "môi giới công nghệ; chuyển giao công nghệ; kết nối cung cầu",
        "2",
        "Dịch vụ KH&CN",
        values={"service_type": ServiceType.BROKERAGE, "price_negotiable": True},
    ),
    DemoListing(
        K.SERVICE,
        "tt-ky-thuat-tdc-bg",
        "Thử nghiệm chất lượng phân bón và thức ăn chăn nuôi",
        "Phân tích chỉ tiêu dinh dưỡng, kim loại nặng, vi sinh vật trong phân bón và thức ăn chăn nuôi theo "
        "TCVN; trả kết quả trong 5 ngày làm việc.",
        "thử nghiệm; phân bón; thức ăn chăn nuôi; phân tích chất lượng",
        "204",
        "Thử nghiệm",
        values={"service_type": ServiceType.TESTING, "price_vnd": 2_000_000},
        valid_days=12,
    ),
    DemoListing(
        K.SERVICE,
        "sinh-hoc-hiep-hoa",
        "Tư vấn xây dựng phòng nuôi cấy mô thực vật",
        "Thiết kế, lắp đặt và chuyển giao quy trình vận hành phòng nuôi cấy mô cho doanh nghiệp giống cây trồng.",
        "nuôi cấy mô; giống cây trồng; tư vấn",
        "406",
        "Giống cây trồng",
        state=S.RETURNED,
        values={"service_type": ServiceType.CONSULTING},
        return_reason="Bổ sung giá dịch vụ tham khảo và thông tin người liên hệ.",
    ),
]

# The old exchange's listings, imported with their dates: the expired ones stay off the public pages.
IMPORTED = [
    DemoListing(
        K.OFFER,
        "tt-ung-dung-bg",
        "Quy trình sản xuất giống lúa thuần chất lượng cao",
        "Quy trình sản xuất giống lúa thuần cấp xác nhận năng suất 6,5 tấn/ha.",
        "giống lúa; lúa thuần; sản xuất giống",
        "401",
        "Nông nghiệp",
        valid_days=-200,
        values={"readiness_level": 9, "transfer_modes": [T.CONSULTING], "price_negotiable": True},
    ),
    DemoListing(
        K.NEED,
        "htx-ga-doi",
        "Cần vắc-xin và quy trình phòng bệnh cúm gia cầm",
        "Hợp tác xã cần quy trình tiêm phòng và an toàn sinh học cho đàn gà đồi.",
        "cúm gia cầm; vắc-xin; thú y; an toàn sinh học",
        "403",
        "Chăn nuôi",
        valid_days=-40,
        values={"expected_result": "Quy trình phòng bệnh được cơ quan thú y xác nhận."},
    ),
    DemoListing(
        K.SERVICE,
        "tt-ky-thuat-tdc-bg",
        "Kiểm định, hiệu chuẩn phương tiện đo",
        "Kiểm định công tơ điện, cân, đồng hồ nước; hiệu chuẩn thiết bị đo cho doanh nghiệp.",
        "kiểm định; hiệu chuẩn; đo lường",
        "2",
        "Đo lường",
        valid_days=150,
        values={"service_type": ServiceType.TESTING, "price_negotiable": True},
    ),
    DemoListing(
        K.EQUIPMENT,
        "co-khi-viet-yen",
        "Bán máy phay CNC 3 trục đã qua sử dụng",
        "Máy phay CNC 3 trục hành trình 800 mm, đã qua sử dụng.",
        "máy phay CNC; gia công cơ khí",
        "203",
        "Cơ khí chế tạo",
        valid_days=-10,
        values={"equipment_mode": EquipmentMode.SALE, "price_vnd": 450_000_000},
    ),
]

# Offers made in one step from accepted S&T task results: (state, completion).
FROM_RESULTS = [
    (S.PUBLISHED, {"readiness_level": 7, "transfer_modes": [T.LICENCE, T.CONSULTING], "price_negotiable": True}),
    (S.PUBLISHED, {"readiness_level": 8, "transfer_modes": [T.CONSULTING], "price_vnd": 250_000_000}),
    (S.SUBMITTED, {"readiness_level": 6, "transfer_modes": [T.LICENCE], "price_negotiable": True}),
    (S.DRAFT, None),
]


def _node(code: str):
    from opendost.classifications.models import ClassificationNode

    if not code:
        return None
    return (
        ClassificationNode.objects.filter(code=code)
        .order_by(F("scheme__effective_from").desc(nulls_last=True), "pk")
        .first()
    )


def _province():
    from opendost.geography.enums import AdminLevel, CodeSet
    from opendost.geography.models import AdminUnit

    return AdminUnit.objects.filter(code_set=CodeSet.CURRENT, level=AdminLevel.PROVINCE, code="24").first()


def _fields(item: DemoListing, today: dt.date, province) -> dict:
    values = {
        "title": item.title,
        "summary": item.summary,
        "keywords": item.keywords,
        "field": _node(item.field_code),
        "sector": item.sector,
        "province": province,
        "location_text": "Tỉnh Bắc Ninh",
        **item.values,
    }
    if item.valid_days is not None:
        values["valid_until"] = today + dt.timedelta(days=item.valid_days)
        values["valid_from"] = min(today, values["valid_until"]) - dt.timedelta(days=330)
    return values


def _move(listing, state: str, *, actor, moderator, reason: str = ""):
    if state == S.DRAFT:
        return listing
    services.listing_submit(actor=actor, listing=listing)
    if state == S.SUBMITTED:
        return listing
    if state == S.RETURNED:
        return services.listing_return(actor=moderator, listing=listing, reason=reason or "Bổ sung thông tin.")
    services.listing_publish(actor=moderator, listing=listing)
    if state == S.WITHDRAWN:
        services.listing_withdraw(actor=actor, listing=listing, reason="Đã chuyển giao cho đối tác.")
    return listing


def load(*, departments, users, organizations) -> str:
    department = departments.get(BAC_NINH)
    officer, leader = users.get(OFFICER), users.get(LEADER)
    if department is None or officer is None or leader is None:
        return "Technology exchange: no listings (Bắc Ninh demo users missing)"
    applicant = users.get(APPLICANT)
    today = timezone.localdate()
    province = _province()
    made = 0
    for item in [*OFFERS, *NEEDS, *EQUIPMENT, *SERVICES]:
        owner = organizations.get(item.owner)
        if owner is None:
            continue
        values = _fields(item, today, province)
        if item.by_applicant and applicant is not None and applicant.organization_id == owner.pk:
            listing = services.listing_create(actor=applicant, kind=item.kind, **values)
            actor = applicant
        elif item.capture:
            listing = services.need_capture(
                actor=officer, department=department, organization=owner, capture_channel=item.capture, **values
            )
            actor = officer
        else:
            listing = services.listing_create(
                actor=officer, department=department, kind=item.kind, owner_organization=owner, **values
            )
            actor = officer
        _move(listing, item.state, actor=actor, moderator=leader, reason=item.return_reason)
        made += 1
    for item in IMPORTED:
        owner = organizations.get(item.owner)
        if owner is None:
            continue
        services.listing_import(
            actor=officer,
            department=department,
            kind=item.kind,
            owner_organization=owner,
            **_fields(item, today, province),
        )
        made += 1
    made += _offers_from_results(department, officer, leader)
    counts = {}
    from opendost.marketplace.models import Listing

    for status in Listing.objects.filter(department=department).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    shown = ", ".join(f"{counts[s]} {s}" for s in S.values if s in counts)
    return f"Technology exchange: {made} listings ({shown})"


def _offers_from_results(department, officer, leader) -> int:
    from opendost.projects.models import TaskResult

    results = (
        TaskResult.objects.filter(department_id__in=department.jurisdiction_ids())
        .select_related("task__host", "task__principal_investigator", "registration", "field")
        .exclude(task__host__isnull=True)
        .order_by("-year", "pk")
    )
    made = 0
    plan = iter(FROM_RESULTS)
    for result in results.iterator(chunk_size=100):
        if not services.result_is_accepted(result) or services.offer_of_result(result) is not None:
            continue
        step = next(plan, None)
        if step is None:
            break
        state, completion = step
        offer = services.offer_from_result(actor=officer, result=result)
        if completion is not None:
            offer = services.listing_update(actor=officer, listing=offer, **completion)
        _move(offer, state, actor=officer, moderator=leader)
        made += 1
    return made
