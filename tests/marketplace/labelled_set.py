"""A labelled set for the matching of the technology exchange (issue 6, "Measured").

28 technology needs of enterprises, cooperatives, hospitals and a commune of Bắc Ninh (the province
merged with Bắc Giang in 2025: Lục Ngạn lychee, Yên Thế hill chicken, fish farming in Gia Bình and
Lương Tài, the craft villages of Phù Khê, Đồng Kỵ, Phù Lãng and Phong Khê, the industrial parks of
Quế Võ) and 104 supply listings (offers, equipment, S&T services) from institutes and companies of
the province, Hà Nội, Hưng Yên, Thành phố Hồ Chí Minh and Cần Thơ.

Written by hand for the tests and bench/marketplace_matching.py. On purpose:
- some listings are written without diacritics (N05, N08, N16, N27, O13, O45), one with the old
  tone placement ("hòa"/"hoà", "thủy"/"thuỷ") and with both spellings of i/y ("mỳ"/"mì",
  "xử lý"/"xử lí", "mỹ nghệ"/"my nghe");
- some pairs share no syllable but a domain synonym ("Internet vạn vật" / "IoT", "máy bay không
  người lái" / "drone (UAV)", "AI" / "trí tuệ nhân tạo", "tia cực tím" / "UV-C", "khí sinh học" /
  "biogas");
- distractors share generic or ambiguous words: "vải" (lychee) and "vải địa kỹ thuật" (fabric),
  drying of lychee and of timber, "men vi sinh" and "men gốm", egg incubators and chicken-house
  climate control, noodle lines and vacuum packers, office software and fleet tracking.

Each need lists its relevant supply listings with a graded relevance: 2 = answers the need,
1 = partly or one step of it. Everything else is not relevant.

Field codes are those of the shipped scheme QD12_2008 (level 2); provinces and communes are GSO
codes of the 2025 code set (24 = Bắc Ninh, 01 = Hà Nội, 33 = Hưng Yên, 79 = TP Hồ Chí Minh,
92 = Cần Thơ).
"""

import math
import re

from opendost.common.text import fold

FIELD_SCHEME = "QD12_2008"
PROVINCE = "24"
M = 1_000_000  # VND
B = 1_000_000_000

OFFERS: list[dict] = [
    # Lychee: drying, fresh storage, quarantine treatment, processing ------------------------------
    {
        "key": "O01",
        "kind": "offer",
        "title": "Công nghệ sấy vải thiều bằng bơm nhiệt giữ màu và hương vị tự nhiên",
        "summary": (
            "Hệ thống sấy bơm nhiệt nhiệt độ thấp (45–55 °C) cho quả vải, nhãn. Thời gian sấy rút ngắn còn "
            "28 giờ, cùi vải khô giữ màu vàng nâu tự nhiên, không ám khói, tiết kiệm 40% điện năng so với "
            "lò sấy than củi. Công suất 1–5 tấn quả tươi mỗi mẻ, điều khiển nhiệt độ và độ ẩm tự động."
        ),
        "keywords": "sấy bơm nhiệt; vải thiều sấy; nhãn sấy; sau thu hoạch",
        "field": "211",
        "trl": 8,
        "province": "01",
        "owner": "st_organization",
        "price": 650 * M,
    },
    {
        "key": "O02",
        "kind": "offer",
        "title": "Bảo quản quả vải tươi bằng bao gói khí quyển điều chỉnh (MAP) kết hợp kho lạnh",
        "summary": (
            "Kéo dài thời gian bảo quản vải tươi đến 30–35 ngày ở 2–4 °C, giữ màu đỏ của vỏ quả, hao hụt "
            "khối lượng dưới 5%. Quy trình gồm sơ chế, xử lý chống nâu hóa vỏ, đóng túi MAP và bảo quản "
            "lạnh; phù hợp vận chuyển đường biển tới các thị trường xa."
        ),
        "keywords": "bảo quản quả tươi; MAP; kho lạnh; xuất khẩu vải",
        "field": "211",
        "trl": 7,
        "province": "01",
        "owner": "st_organization",
        "negotiable": True,
    },
    {
        "key": "O03",
        "kind": "offer",
        "title": "Xử lý nhiệt hơi nước (VHT) diệt ruồi đục quả cho trái cây tươi xuất khẩu",
        "summary": (
            "Buồng xử lý hơi nước nóng bão hòa đạt yêu cầu kiểm dịch thực vật của Nhật Bản, Hàn Quốc, "
            "Úc và Hoa Kỳ cho vải, nhãn, thanh long, xoài. Nhiệt độ tâm quả được giám sát liên tục, quả "
            "giữ chất lượng sau xử lý. Chuyển giao trọn gói và đào tạo vận hành."
        ),
        "keywords": "kiểm dịch thực vật; ruồi đục quả; xử lý hơi nước nóng; trái cây xuất khẩu",
        "field": "211",
        "trl": 9,
        "province": "79",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O04",
        "kind": "equipment",
        "title": "Máy sấy nông sản đa năng đốt nhiên liệu sinh khối",
        "summary": (
            "Máy sấy tĩnh vỉ ngang đốt trấu, củi, lõi ngô; sấy lúa, ngô, sắn lát, dược liệu và quả. "
            "Năng suất 2–8 tấn mỗi mẻ, có bộ trao đổi nhiệt nên sản phẩm không lẫn khói."
        ),
        "keywords": "máy sấy; nông sản; sinh khối",
        "field": "203",
        "trl": 9,
        "province": "24",
        "commune": "07375",
        "owner": "enterprise",
        "price": 180 * M,
    },
    {
        "key": "O05",
        "kind": "offer",
        "title": "Vải địa kỹ thuật không dệt từ xơ polyester tái chế",
        "summary": (
            "Sản xuất vải địa kỹ thuật gia cố nền đất yếu, chống xói mòn bờ kênh, mái đê và bãi chôn lấp. "
            "Sợi polyester tái chế từ chai nhựa, cường độ chịu kéo 7–25 kN/m."
        ),
        "keywords": "vải địa kỹ thuật; polyester tái chế; gia cố nền",
        "field": "205",
        "trl": 9,
        "province": "33",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O06",
        "kind": "offer",
        "title": "Chiết xuất polyphenol và pectin từ vỏ, hạt quả vải",
        "summary": (
            "Tận dụng vỏ và hạt vải thải ra từ cơ sở sấy, chế biến để chiết xuất polyphenol chống oxy hóa "
            "dùng cho thực phẩm chức năng và pectin cho công nghiệp thực phẩm. Quy mô pilot 200 kg/ngày."
        ),
        "keywords": "phụ phẩm quả vải; polyphenol; pectin; chế biến sâu",
        "field": "204",
        "trl": 5,
        "province": "01",
        "owner": "st_organization",
        "negotiable": True,
    },
    {
        "key": "O07",
        "kind": "offer",
        "title": "Quy trình sản xuất rượu vang vải thiều bằng nấm men chọn lọc",
        "summary": (
            "Chủng nấm men Saccharomyces cerevisiae chọn lọc cho dịch quả vải. Lên men chính 7 ngày ở "
            "20–22 °C, lên men phụ 30 ngày, lọc và ổn định; rượu vang 11–12 độ giữ hương vải đặc trưng. "
            "Chuyển giao quy trình, chủng giống và hướng dẫn công bố sản phẩm."
        ),
        "keywords": "rượu vang trái cây; lên men; vải thiều",
        "field": "211",
        "trl": 7,
        "province": "01",
        "owner": "st_organization",
        "price": 300 * M,
    },
    {
        "key": "O08",
        "kind": "offer",
        "title": "Dây chuyền sản xuất nước ép và đồ uống từ quả vải, nhãn",
        "summary": (
            "Bóc vỏ, tách hạt, ép, lọc, thanh trùng UHT và chiết rót chai PET 3.000 chai mỗi giờ. Nước ép "
            "vải giữ hương vị tươi, hạn sử dụng 12 tháng không dùng chất bảo quản."
        ),
        "keywords": "nước ép trái cây; đồ uống; thanh trùng; chế biến quả vải",
        "field": "211",
        "trl": 9,
        "province": "79",
        "owner": "enterprise",
        "price": int(2.5 * B),
    },
    # Livestock: Yên Thế hill chicken, pigs ------------------------------------------------------
    {
        "key": "O09",
        "kind": "offer",
        "title": "Chế phẩm men vi sinh bổ sung thức ăn cho gà thả vườn thay thế kháng sinh",
        "summary": (
            "Tổ hợp Bacillus subtilis, Lactobacillus acidophilus và Saccharomyces boulardii dạng bột, trộn "
            "1–2 kg cho mỗi tấn thức ăn. Giảm tiêu chảy và bệnh đường ruột, tăng trọng 8–10%, thay thế "
            "kháng sinh kích thích sinh trưởng trong chăn nuôi gia cầm."
        ),
        "keywords": "probiotic; gà thả vườn; thay thế kháng sinh",
        "field": "402",
        "trl": 8,
        "province": "01",
        "owner": "st_organization",
        "price": 120 * M,
    },
    {
        "key": "O10",
        "kind": "offer",
        "title": "Vắc xin nhược độc phòng bệnh Newcastle và Gumboro cho gia cầm",
        "summary": (
            "Vắc xin đông khô dùng nhỏ mắt, nhỏ mũi hoặc pha nước uống cho gà từ 1 ngày tuổi; miễn dịch "
            "bảo hộ trên 90%. Chuyển giao quy trình sản xuất và kiểm nghiệm."
        ),
        "keywords": "vắc xin gia cầm; Newcastle; Gumboro; thú y",
        "field": "403",
        "trl": 9,
        "province": "01",
        "owner": "st_organization",
        "negotiable": True,
    },
    {
        "key": "O11",
        "kind": "offer",
        "title": "Hệ thống IoT giám sát và điều khiển môi trường chuồng nuôi",
        "summary": (
            "Cảm biến nhiệt độ, độ ẩm, khí NH3 và H2S gửi số liệu về điện thoại; tự động bật quạt hút, "
            "dàn làm mát, đèn sưởi theo ngưỡng cài đặt; cảnh báo khi mất điện hoặc quá nhiệt. Áp dụng "
            "cho chuồng kín nuôi gà, lợn quy mô trang trại."
        ),
        "keywords": "chuồng nuôi thông minh; cảm biến; cảnh báo; IoT",
        "field": "202",
        "trl": 8,
        "province": "24",
        "owner": "enterprise",
        "price": 95 * M,
    },
    {
        "key": "O12",
        "kind": "offer",
        "title": "Đệm lót sinh học trong chăn nuôi gà, lợn",
        "summary": (
            "Đệm lót trấu, mùn cưa ủ với chế phẩm vi sinh vật, dày 40–60 cm. Vi sinh vật phân giải phân "
            "và nước tiểu ngay tại chuồng, giảm mùi hôi, ruồi muỗi, không phải rửa chuồng, giảm chất thải "
            "ra môi trường."
        ),
        "keywords": "đệm lót sinh học; chất thải chăn nuôi; giảm mùi",
        "field": "402",
        "trl": 9,
        "province": "24",
        "commune": "07288",
        "owner": "st_organization",
        "price": 30 * M,
    },
    {
        "key": "O13",
        "kind": "offer",
        "title": "Che pham vi sinh khu mui hoi chuong trai va u phan gia suc, gia cam",
        "summary": (
            "Chung vi sinh vat huu hieu phun truc tiep len nen chuong, giam 70-80% khi NH3, H2S sau 5 ngay; "
            "u phan chuong thanh phan bon huu co trong 25-30 ngay, diet mam benh va ruoi."
        ),
        "keywords": "khu mui; xu ly phan; che pham vi sinh",
        "field": "406",
        "trl": 8,
        "province": "01",
        "owner": "enterprise",
        "price": 60 * M,
    },
    {
        "key": "O14",
        "kind": "offer",
        "title": "Quy trình chăn nuôi gà đồi an toàn sinh học đạt VietGAHP",
        "summary": (
            "Quy trình chọn con giống, làm chuồng trại, phối trộn thức ăn, phòng bệnh bằng vắc xin và "
            "ghi chép truy xuất; tư vấn hộ và hợp tác xã đạt chứng nhận VietGAHP, giảm dùng thuốc thú y."
        ),
        "keywords": "gà đồi; an toàn sinh học; VietGAHP",
        "field": "402",
        "trl": 9,
        "province": "24",
        "commune": "07288",
        "owner": "st_organization",
        "price": 80 * M,
    },
    {
        "key": "O15",
        "kind": "equipment",
        "title": "Máy ấp trứng gia cầm tự động điều khiển nhiệt độ, độ ẩm",
        "summary": (
            "Máy ấp 5.000 trứng gà, vịt; tự động đảo trứng, điều khiển nhiệt độ và độ ẩm bằng vi xử lý, "
            "báo động khi mất điện. Tỷ lệ nở trên 85%."
        ),
        "keywords": "máy ấp trứng; gia cầm",
        "field": "203",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 45 * M,
    },
    # Aquaculture ------------------------------------------------------------------------------
    {
        "key": "O16",
        "kind": "offer",
        "title": "Hệ thống quan trắc chất lượng nước ao nuôi tự động, cảnh báo qua điện thoại",
        "summary": (
            "Đo liên tục oxy hòa tan (DO), pH, nhiệt độ, độ mặn của ao nuôi; tự động bật máy sục khí, "
            "quạt nước khi oxy xuống thấp; gửi cảnh báo bằng tin nhắn SMS và ứng dụng di động."
        ),
        "keywords": "quan trắc môi trường nước; oxy hòa tan; nuôi trồng thủy sản; IoT",
        "field": "405",
        "trl": 8,
        "province": "92",
        "owner": "enterprise",
        "price": 150 * M,
    },
    {
        "key": "O17",
        "kind": "offer",
        "title": "Công nghệ nuôi cá sông trong ao (In-Pond Raceway System)",
        "summary": (
            "Nuôi cá trắm, rô phi, chép mật độ cao trong mương nổi có dòng chảy liên tục; chất thải được "
            "thu gom tập trung ở cuối mương, nước ao sạch hơn, giảm dịch bệnh; năng suất gấp 3–5 lần ao "
            "nuôi truyền thống."
        ),
        "keywords": "nuôi cá trong ao; IPRS; mật độ cao",
        "field": "405",
        "trl": 9,
        "province": "33",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O18",
        "kind": "offer",
        "title": "Chế phẩm vi sinh Bacillus xử lý nước và đáy ao nuôi tôm, cá",
        "summary": (
            "Phân hủy chất hữu cơ, thức ăn dư thừa và bùn đáy ao; giảm khí độc NH3, NO2, H2S; ổn định pH "
            "và màu nước; hạn chế bệnh do vi khuẩn Vibrio, Aeromonas gây ra trên tôm, cá."
        ),
        "keywords": "xử lý nước ao nuôi; chế phẩm sinh học; thuỷ sản",
        "field": "405",
        "trl": 9,
        "province": "92",
        "owner": "enterprise",
        "price": 40 * M,
    },
    {
        "key": "O19",
        "kind": "offer",
        "title": "Sản xuất giống cá chép lai V1 chất lượng cao",
        "summary": (
            "Quy trình sinh sản nhân tạo và ương nuôi cá chép lai ba máu V1 tăng trưởng nhanh hơn 30% so "
            "với cá chép thường; chuyển giao cho trại giống, kèm cá bố mẹ thuần chủng."
        ),
        "keywords": "cá giống; cá chép lai; sinh sản nhân tạo",
        "field": "405",
        "trl": 9,
        "province": "24",
        "commune": "09367",
        "owner": "st_organization",
        "price": 250 * M,
    },
    {
        "key": "O20",
        "kind": "equipment",
        "title": "Máy cho cá ăn tự động hẹn giờ, điều khiển từ xa",
        "summary": "Máy rải thức ăn viên cho ao nuôi cá, bán kính 10–15 m, hẹn giờ và điều khiển qua điện thoại.",
        "keywords": "máy cho ăn; ao nuôi cá",
        "field": "203",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 18 * M,
    },
    {
        "key": "O21",
        "kind": "offer",
        "title": "Lồng nuôi cá trên sông bằng ống nhựa HDPE chịu sóng gió",
        "summary": (
            "Lồng tròn HDPE đường kính 10–20 m, tuổi thọ 15 năm, chịu được lũ; nuôi cá diêu hồng, trắm, "
            "lăng trên sông Cầu, sông Thương và hồ chứa."
        ),
        "keywords": "nuôi cá lồng; HDPE",
        "field": "405",
        "trl": 8,
        "province": "24",
        "owner": "enterprise",
        "price": 300 * M,
    },
    # Food processing, traceability ------------------------------------------------------------
    {
        "key": "O22",
        "kind": "offer",
        "title": "Dây chuyền sản xuất mì gạo, bún khô, phở khô tự động",
        "summary": (
            "Ngâm gạo, nghiền bột ướt, tráng hấp, cắt sợi và sấy tunnel liên tục; công suất 300–1.000 kg "
            "mỗi ca; giảm 70% lao động thủ công, không phơi ngoài trời, đạt yêu cầu vệ sinh an toàn thực phẩm."
        ),
        "keywords": "mì gạo; bún khô; dây chuyền tự động",
        "field": "211",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": int(1.8 * B),
    },
    {
        "key": "O23",
        "kind": "offer",
        "title": "Hệ thống truy xuất nguồn gốc nông sản bằng tem QR",
        "summary": (
            "Phần mềm quản lý vùng trồng, nhật ký sản xuất theo lô và in tem QR; người tiêu dùng quét mã "
            "để xem nơi sản xuất, quy trình, chứng nhận VietGAP; kết nối cổng truy xuất nguồn gốc quốc gia."
        ),
        "keywords": "truy xuất nguồn gốc; tem điện tử; QR code; OCOP",
        "field": "102",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 45 * M,
    },
    {
        "key": "O24",
        "kind": "offer",
        "title": "Truy xuất nguồn gốc ứng dụng blockchain cho chuỗi cung ứng thực phẩm",
        "summary": (
            "Ghi nhận dữ liệu từ vùng nuôi trồng, cơ sở chế biến đến nhà phân phối trên sổ cái phân tán, "
            "không thể sửa đổi; tem chống giả và truy xuất từng sản phẩm."
        ),
        "keywords": "blockchain; truy xuất; chuỗi cung ứng",
        "field": "102",
        "trl": 6,
        "province": "79",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O25",
        "kind": "equipment",
        "title": "Máy đóng gói hút chân không thực phẩm tự động",
        "summary": "Máy hút chân không hai buồng, đóng gói thịt, cá, xúc xích, nông sản sấy; 4–6 chu kỳ mỗi phút.",
        "keywords": "đóng gói; chân không; thực phẩm",
        "field": "203",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": 85 * M,
    },
    # Crops: irrigation, greenhouse, drones -----------------------------------------------------
    {
        "key": "O26",
        "kind": "offer",
        "title": "Hệ thống tưới nhỏ giọt thông minh điều khiển qua điện thoại",
        "summary": (
            "Cảm biến độ ẩm đất và bộ điều khiển trung tâm kết nối IoT tự động tưới và bón phân theo nhu "
            "cầu của cây; tiết kiệm 40–50% nước và 30% phân bón cho vườn cây ăn quả, rau màu trên đất dốc."
        ),
        "keywords": "tưới nhỏ giọt; tưới tự động; cây ăn quả",
        "field": "401",
        "trl": 8,
        "province": "01",
        "owner": "st_organization",
        "price": 120 * M,
    },
    {
        "key": "O27",
        "kind": "offer",
        "title": "Nhà màng trồng rau, hoa kiểm soát khí hậu tự động",
        "summary": (
            "Nhà màng khung thép mạ kẽm; cảm biến nhiệt độ, độ ẩm, ánh sáng; tự động điều khiển quạt, "
            "lưới cắt nắng, phun sương và tưới; theo dõi và cảnh báo qua điện thoại."
        ),
        "keywords": "nhà màng; nông nghiệp công nghệ cao; IoT",
        "field": "401",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 900 * M,
    },
    {
        "key": "O28",
        "kind": "service",
        "title": "Dịch vụ phun thuốc bảo vệ thực vật bằng drone (UAV)",
        "summary": (
            "Phun thuốc, bón phân qua lá bằng thiết bị bay nông nghiệp, 15–20 ha mỗi ngày; giảm 30% lượng "
            "thuốc và nước, người phun không tiếp xúc hóa chất; đào tạo điều khiển và bán thiết bị."
        ),
        "keywords": "drone nông nghiệp; phun thuốc; bảo vệ thực vật",
        "field": "401",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "service_type": "other",
    },
    {
        "key": "O29",
        "kind": "offer",
        "title": "Giống lúa thuần chất lượng cao chịu hạn, kháng rầy nâu",
        "summary": (
            "Giống lúa ngắn ngày 105–110 ngày, gạo thơm, năng suất 6,5–7 tấn/ha, kháng rầy nâu và bệnh bạc "
            "lá; chuyển giao giống tác giả và quy trình canh tác."
        ),
        "keywords": "giống lúa; kháng rầy",
        "field": "401",
        "trl": 9,
        "province": "01",
        "owner": "st_organization",
        "negotiable": True,
    },
    {
        "key": "O30",
        "kind": "offer",
        "title": "Bẫy đèn và bẫy pheromone dự báo, phòng trừ sâu hại cây ăn quả",
        "summary": (
            "Bẫy pheromone giới tính dẫn dụ ngài sâu đục cuống quả, bẫy đèn năng lượng mặt trời; dự báo "
            "thời điểm phun thuốc, giảm số lần phun thuốc trừ sâu."
        ),
        "keywords": "bẫy pheromone; sâu đục cuống; quản lý dịch hại",
        "field": "401",
        "trl": 8,
        "province": "01",
        "owner": "st_organization",
        "price": 20 * M,
    },
    # Energy -----------------------------------------------------------------------------------
    {
        "key": "O31",
        "kind": "offer",
        "title": "Hệ thống điện mặt trời mái nhà hòa lưới cho nhà xưởng",
        "summary": (
            "Tấm pin đơn tinh thể 550 Wp, biến tần hòa lưới, giám sát sản lượng trực tuyến; công suất "
            "100 kWp đến 2 MWp trên mái nhà xưởng; giảm 25–35% tiền điện, hoàn vốn sau 5–6 năm."
        ),
        "keywords": "điện mặt trời áp mái; tiết kiệm điện; nhà xưởng",
        "field": "202",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": int(6.5 * B),
    },
    {
        "key": "O32",
        "kind": "offer",
        "title": "Hầm biogas composite xử lý chất thải chăn nuôi lợn",
        "summary": (
            "Bể biogas composite lắp ghép 10–50 m³ xử lý phân lợn; khí biogas dùng đun nấu, chạy máy phát "
            "điện; lắp đặt trong 1 ngày, không rò rỉ, giảm ô nhiễm môi trường trang trại."
        ),
        "keywords": "biogas; chất thải chăn nuôi; khí đốt",
        "field": "207",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": 25 * M,
    },
    {
        "key": "O33",
        "kind": "offer",
        "title": "Lò hơi đốt sinh khối (trấu, mùn cưa, viên nén) thay thế lò hơi đốt than",
        "summary": (
            "Lò hơi tầng sôi đốt nhiên liệu sinh khối 1–10 tấn hơi mỗi giờ, hiệu suất 82%, khí thải đạt "
            "QCVN 19:2009/BTNMT; giảm 30% chi phí nhiên liệu so với than đá; cải tạo lò than hiện có."
        ),
        "keywords": "lò hơi; sinh khối; chuyển đổi nhiên liệu",
        "field": "203",
        "trl": 9,
        "province": "79",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O34",
        "kind": "offer",
        "title": "Sản xuất viên nén mùn cưa làm nhiên liệu sinh khối",
        "summary": (
            "Dây chuyền nghiền, sấy, ép viên nén gỗ (pellet) 1–3 tấn/giờ từ mùn cưa, dăm bào của xưởng "
            "gỗ; viên nén dùng cho lò hơi công nghiệp và xuất khẩu."
        ),
        "keywords": "viên nén gỗ; pellet; nhiên liệu sinh khối",
        "field": "203",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": int(1.2 * B),
    },
    {
        "key": "O35",
        "kind": "offer",
        "title": "Đèn LED chiếu sáng nông nghiệp kích thích ra hoa thanh long, hoa cúc",
        "summary": (
            "Đèn LED phổ đỏ tiết kiệm 70% điện năng so với bóng sợi đốt, điều khiển hẹn giờ; kích thích "
            "ra hoa trái vụ."
        ),
        "keywords": "đèn LED; chiếu sáng nông nghiệp",
        "field": "202",
        "trl": 8,
        "province": "79",
        "owner": "enterprise",
        "price": 15 * M,
    },
    {
        "key": "O36",
        "kind": "equipment",
        "title": "Máy phát điện chạy bằng khí biogas 10–100 kW",
        "summary": (
            "Máy phát điện động cơ chuyển đổi chạy hoàn toàn bằng khí biogas, có bộ lọc H2S; cấp điện cho "
            "trang trại chăn nuôi, giảm tiền điện."
        ),
        "keywords": "máy phát điện biogas; trang trại",
        "field": "203",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": 160 * M,
    },
    # Wastewater -------------------------------------------------------------------------------
    {
        "key": "O37",
        "kind": "offer",
        "title": "Xử lý nước thải sinh hoạt phân tán bằng công nghệ AAO kết hợp lọc sinh học",
        "summary": (
            "Mô-đun xử lý nước thải hợp khối 5–200 m³/ngày cho khu dân cư, trường học, trạm y tế; vận "
            "hành tự động, ít bùn, nước sau xử lý đạt QCVN 14:2008/BTNMT."
        ),
        "keywords": "nước thải sinh hoạt; AAO; xử lý phân tán",
        "field": "207",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": 500 * M,
    },
    {
        "key": "O38",
        "kind": "offer",
        "title": "Xử lý nước thải sản xuất giấy tái chế bằng keo tụ – tuyển nổi và sinh học hiếu khí",
        "summary": (
            "Dành cho làng nghề giấy và xưởng tái chế giấy 200–1.000 m³/ngày: thu hồi bột giấy, tái sử dụng "
            "60% nước cho sản xuất; nước thải sau xử lý đạt QCVN 12-MT:2015/BTNMT."
        ),
        "keywords": "nước thải giấy; làng nghề; tuyển nổi; tái sử dụng nước",
        "field": "207",
        "trl": 7,
        "province": "01",
        "owner": "st_organization",
        "negotiable": True,
    },
    {
        "key": "O39",
        "kind": "offer",
        "title": "Xử lý nước thải chăn nuôi sau biogas bằng đất ngập nước kiến tạo",
        "summary": (
            "Bãi lọc trồng sậy, cỏ vetiver xử lý tiếp nước thải sau hầm biogas của trang trại lợn; giảm "
            "85–90% COD và amoni, hầu như không tốn điện, chi phí vận hành thấp."
        ),
        "keywords": "đất ngập nước kiến tạo; nước thải chăn nuôi; sau biogas",
        "field": "207",
        "trl": 7,
        "province": "24",
        "commune": "07444",
        "owner": "st_organization",
        "price": 200 * M,
    },
    {
        "key": "O40",
        "kind": "offer",
        "title": "Xử lý nước thải dệt nhuộm bằng oxy hóa nâng cao (ozone, Fenton)",
        "summary": (
            "Khử màu và COD khó phân hủy sinh học trong nước thải dệt nhuộm, in hoa; công suất 500–3.000 "
            "m³/ngày; nước sau xử lý đạt QCVN 13-MT:2015/BTNMT cột A."
        ),
        "keywords": "nước thải dệt nhuộm; oxy hóa nâng cao; khử màu",
        "field": "207",
        "trl": 6,
        "province": "79",
        "owner": "st_organization",
        "negotiable": True,
    },
    {
        "key": "O41",
        "kind": "equipment",
        "title": "Trạm quan trắc nước thải tự động, liên tục",
        "summary": (
            "Đo lưu lượng, pH, COD, TSS, amoni, độ màu; truyền dữ liệu liên tục về Sở Nông nghiệp và Môi "
            "trường theo Thông tư 10/2021/TT-BTNMT; lắp đặt, kiểm định và bảo trì."
        ),
        "keywords": "quan trắc tự động; nước thải công nghiệp",
        "field": "207",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": int(1.1 * B),
    },
    {
        "key": "O42",
        "kind": "offer",
        "title": "Thiết bị xử lý nước cấp sinh hoạt cho nông thôn: khử sắt, mangan, asen",
        "summary": (
            "Cột lọc vật liệu hấp phụ và khử trùng cho nước giếng khoan, công suất 1–20 m³/giờ cho cụm dân "
            "cư, trường học; nước đạt quy chuẩn nước sạch sinh hoạt."
        ),
        "keywords": "nước sạch nông thôn; khử asen; lọc nước",
        "field": "207",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": 90 * M,
    },
    # Biotechnology ------------------------------------------------------------------------------
    {
        "key": "O43",
        "kind": "offer",
        "title": "Nhân giống in vitro cây chuối tiêu hồng sạch bệnh",
        "summary": (
            "Quy trình nuôi cấy mô tế bào thực vật: vào mẫu, nhân nhanh chồi, ra rễ và huấn luyện cây con "
            "trong vườn ươm; 200.000 cây giống mỗi năm, đồng đều, sạch bệnh héo vàng Panama."
        ),
        "keywords": "nuôi cấy mô; cây giống chuối; in vitro",
        "field": "406",
        "trl": 8,
        "province": "01",
        "owner": "st_organization",
        "price": 350 * M,
    },
    {
        "key": "O44",
        "kind": "offer",
        "title": "Nuôi cấy mô lan Hồ Điệp và lan Kim tuyến",
        "summary": (
            "Quy trình nhân giống lan bằng nuôi cấy mô, hệ số nhân chồi cao; thiết kế phòng nuôi cấy và "
            "đào tạo kỹ thuật viên."
        ),
        "keywords": "nuôi cấy mô; hoa lan",
        "field": "406",
        "trl": 8,
        "province": "01",
        "owner": "st_organization",
        "price": 200 * M,
    },
    {
        "key": "O45",
        "kind": "offer",
        "title": "Che pham vi sinh phan giai nhanh rom ra tai ruong",
        "summary": (
            "Phun che pham len rom ra sau khi gat, rom phan huy sau 15-20 ngay, bo sung mun cho dat, khong "
            "phai dot rom gay khoi bui o nhiem."
        ),
        "keywords": "xu ly rom ra; che pham sinh hoc",
        "field": "406",
        "trl": 9,
        "province": "01",
        "owner": "st_organization",
        "price": 15 * M,
    },
    {
        "key": "O46",
        "kind": "offer",
        "title": "Sản xuất phân bón hữu cơ vi sinh từ phụ phẩm nông nghiệp",
        "summary": (
            "Ủ rơm rạ, thân lá ngô, phân chuồng với chế phẩm vi sinh, quy mô 1.000–5.000 tấn mỗi năm; sản "
            "phẩm đạt quy chuẩn phân bón hữu cơ vi sinh, cải tạo đất."
        ),
        "keywords": "phân bón hữu cơ; phụ phẩm nông nghiệp; rơm rạ",
        "field": "406",
        "trl": 8,
        "province": "24",
        "owner": "enterprise",
        "price": 400 * M,
    },
    {
        "key": "O47",
        "kind": "offer",
        "title": "Chế phẩm nấm Trichoderma phòng trừ bệnh thối rễ cây trồng",
        "summary": (
            "Nấm đối kháng Trichoderma ức chế nấm Phytophthora, Fusarium gây thối rễ, chết nhanh trên cây "
            "có múi, hồ tiêu; dùng kèm phân hữu cơ."
        ),
        "keywords": "Trichoderma; thối rễ; chế phẩm sinh học",
        "field": "406",
        "trl": 9,
        "province": "01",
        "owner": "st_organization",
        "price": 10 * M,
    },
    {
        "key": "O48",
        "kind": "offer",
        "title": "Trồng nấm sò, nấm rơm trên giá thể rơm rạ",
        "summary": (
            "Quy trình xử lý rơm rạ làm giá thể, cấy giống và chăm sóc nấm sò, nấm rơm; bã nấm sau thu "
            "hoạch dùng làm phân bón hữu cơ."
        ),
        "keywords": "trồng nấm; rơm rạ; nấm sò",
        "field": "401",
        "trl": 9,
        "province": "24",
        "owner": "st_organization",
        "price": 25 * M,
    },
    # Medical devices --------------------------------------------------------------------------
    {
        "key": "O49",
        "kind": "offer",
        "title": "Thiết bị khử khuẩn không khí và bề mặt bằng đèn UV-C cho phòng mổ",
        "summary": (
            "Đèn UV-C bước sóng 254 nm kết hợp quạt tuần hoàn không khí, cảm biến chuyển động tự ngắt khi "
            "có người; diệt 99,9% vi khuẩn, vi rút trong phòng mổ, phòng bệnh, phòng hồi sức."
        ),
        "keywords": "khử khuẩn; UV-C; nhiễm khuẩn bệnh viện",
        "field": "206",
        "trl": 8,
        "province": "01",
        "owner": "st_organization",
        "price": 85 * M,
    },
    {
        "key": "O50",
        "kind": "offer",
        "title": "Phần mềm trí tuệ nhân tạo đọc phim X-quang ngực",
        "summary": (
            "Mô hình học sâu phát hiện tổn thương lao, viêm phổi, nốt mờ và tràn dịch trên phim X-quang "
            "ngực thẳng trong 10 giây; tích hợp PACS của bệnh viện; bác sĩ chẩn đoán hình ảnh xác nhận."
        ),
        "keywords": "chẩn đoán hình ảnh; học sâu; X-quang",
        "field": "206",
        "trl": 7,
        "province": "01",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O51",
        "kind": "offer",
        "title": "Theo dõi bệnh nhân từ xa bằng thiết bị đeo IoT",
        "summary": (
            "Vòng đeo tay đo nhịp tim, SpO2, nhiệt độ, gửi dữ liệu về trạm y tế; cảnh báo bác sĩ khi chỉ "
            "số bất thường; dùng cho người cao tuổi, bệnh nhân mạn tính."
        ),
        "keywords": "y tế từ xa; thiết bị đeo",
        "field": "206",
        "trl": 6,
        "province": "79",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O52",
        "kind": "equipment",
        "title": "Nồi hấp tiệt trùng hơi nước 100 lít cho bệnh viện",
        "summary": (
            "Tiệt trùng dụng cụ phẫu thuật, đồ vải y tế ở 121–134 °C; chu trình tự động, in nhật ký tiệt trùng."
        ),
        "keywords": "tiệt trùng; autoclave; dụng cụ y tế",
        "field": "206",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": 320 * M,
    },
    # Materials ----------------------------------------------------------------------------------
    {
        "key": "O53",
        "kind": "offer",
        "title": "Gạch không nung từ tro xỉ nhiệt điện và phế thải xây dựng",
        "summary": (
            "Ép thủy lực tro bay, xỉ đáy lò, đá mạt với xi măng; mác M75–M150; dây chuyền 10–20 triệu viên "
            "mỗi năm, tiêu thụ tới 40% tro xỉ trong cấp phối."
        ),
        "keywords": "gạch không nung; tro xỉ; vật liệu xây dựng",
        "field": "205",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": int(3.5 * B),
    },
    {
        "key": "O54",
        "kind": "offer",
        "title": "Bê tông nhẹ khí chưng áp (AAC) sử dụng tro bay",
        "summary": (
            "Gạch và tấm bê tông khí chưng áp nhẹ, cách nhiệt, dùng tro bay nhiệt điện thay cát nghiền; "
            "chuyển giao công nghệ và thiết kế nhà máy."
        ),
        "keywords": "bê tông khí chưng áp; tro bay; vật liệu nhẹ",
        "field": "205",
        "trl": 9,
        "province": "33",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O55",
        "kind": "offer",
        "title": "Sơn chống ăn mòn nano cho kết cấu thép",
        "summary": "Lớp phủ nano kẽm – silica bảo vệ kết cấu thép, cầu cảng, nhà xưởng ven biển trên 15 năm.",
        "keywords": "sơn nano; chống ăn mòn",
        "field": "210",
        "trl": 7,
        "province": "01",
        "owner": "st_organization",
        "negotiable": True,
    },
    {
        "key": "O56",
        "kind": "offer",
        "title": "Vật liệu composite sợi tre làm ván sàn và đồ nội thất",
        "summary": "Ép nhiệt sợi tre với keo không formaldehyde, ván bền, chống ẩm, thay thế gỗ tự nhiên.",
        "keywords": "composite tre; nội thất",
        "field": "205",
        "trl": 6,
        "province": "01",
        "owner": "st_organization",
        "negotiable": True,
    },
    # Craft villages ----------------------------------------------------------------------------
    {
        "key": "O57",
        "kind": "offer",
        "title": "Lò sấy gỗ chân không cao tần chống nứt, cong vênh",
        "summary": (
            "Sấy gỗ xẻ dày 3–10 cm trong 3–7 ngày, độ ẩm cuối 8–12%, không nứt, cong vênh, đồng thời diệt "
            "mối mọt, côn trùng trong gỗ; phù hợp xưởng sản xuất đồ gỗ mỹ nghệ, nội thất xuất khẩu."
        ),
        "keywords": "sấy gỗ; chân không; đồ gỗ mỹ nghệ",
        "field": "203",
        "trl": 8,
        "province": "24",
        "commune": "09379",
        "owner": "enterprise",
        "price": 750 * M,
    },
    {
        "key": "O58",
        "kind": "offer",
        "title": "Chế phẩm bảo quản gỗ chống mối mọt, nấm mốc thân thiện môi trường",
        "summary": (
            "Ngâm tẩm áp lực hoặc quét chế phẩm gốc bo – đồng không chứa asen; bảo vệ gỗ keo, gỗ cao su "
            "rừng trồng làm đồ mỹ nghệ 10–15 năm, không đổi màu gỗ."
        ),
        "keywords": "bảo quản gỗ; mối mọt; ngâm tẩm",
        "field": "204",
        "trl": 8,
        "province": "01",
        "owner": "st_organization",
        "price": 50 * M,
    },
    {
        "key": "O59",
        "kind": "equipment",
        "title": "Máy CNC khắc gỗ 4 trục, 6 đầu chạm tượng và phù điêu",
        "summary": (
            "Máy CNC 4 trục quay, 6 đầu khắc chạy đồng thời; chạm tượng tròn, phù điêu, hoa văn trên gỗ "
            "từ file thiết kế 3D; kèm đào tạo vận hành và phần mềm."
        ),
        "keywords": "CNC; khắc gỗ; chạm khắc",
        "field": "203",
        "trl": 9,
        "province": "24",
        "commune": "09379",
        "owner": "enterprise",
        "price": 650 * M,
    },
    {
        "key": "O60",
        "kind": "offer",
        "title": "Lò nung gốm sứ dùng khí gas tiết kiệm năng lượng",
        "summary": (
            "Lò con thoi 3–6 m³ đốt gas LPG, điều khiển nhiệt độ tự động đến 1.300 °C; tỷ lệ sản phẩm đạt "
            "trên 90%, không khói bụi, thay thế lò củi, lò than thủ công của làng gốm."
        ),
        "keywords": "lò nung gas; gốm sứ; làng nghề",
        "field": "205",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": 420 * M,
    },
    {
        "key": "O61",
        "kind": "offer",
        "title": "Men gốm tro trấu, tro rơm cho gốm mỹ nghệ",
        "summary": (
            "Bài men tro truyền thống ổn định màu, nung ở 1.250 °C, tạo hiệu ứng rạn và chảy men cho gốm mỹ nghệ."
        ),
        "keywords": "men gốm; tro trấu",
        "field": "205",
        "trl": 7,
        "province": "01",
        "owner": "st_organization",
        "price": 40 * M,
    },
    {
        "key": "O62",
        "kind": "offer",
        "title": "Sơn PU gốc nước cho đồ gỗ nội thất, ít VOC",
        "summary": "Sơn phủ gốc nước bóng mờ, ít mùi, khô nhanh, đạt chuẩn xuất khẩu đồ gỗ sang EU, Mỹ.",
        "keywords": "sơn gỗ; gốc nước",
        "field": "204",
        "trl": 9,
        "province": "79",
        "owner": "enterprise",
        "negotiable": True,
    },
    # S&T services -------------------------------------------------------------------------------
    {
        "key": "O63",
        "kind": "service",
        "title": "Phân tích dư lượng thuốc bảo vệ thực vật, kim loại nặng trong nông sản",
        "summary": (
            "Phòng thử nghiệm đạt ISO/IEC 17025 (VILAS) phân tích trên 400 hoạt chất bằng GC-MS/MS, "
            "LC-MS/MS; trả kết quả trong 3–5 ngày, phục vụ xuất khẩu rau quả."
        ),
        "keywords": "thử nghiệm; dư lượng thuốc trừ sâu; kiểm nghiệm",
        "field": "104",
        "trl": None,
        "province": "24",
        "owner": "st_organization",
        "service_type": "testing",
    },
    {
        "key": "O64",
        "kind": "service",
        "title": "Định giá công nghệ và tài sản trí tuệ",
        "summary": "Định giá công nghệ, sáng chế, bí quyết kỹ thuật để góp vốn, chuyển giao, vay vốn ngân hàng.",
        "keywords": "định giá công nghệ; tài sản trí tuệ",
        "field": "502",
        "trl": None,
        "province": "01",
        "owner": "enterprise",
        "service_type": "valuation",
    },
    {
        "key": "O65",
        "kind": "equipment",
        "title": "Cho thuê máy sắc ký khí khối phổ (GC-MS) dùng chung",
        "summary": (
            "Máy GC-MS dùng chung theo giờ cho doanh nghiệp và viện nghiên cứu, có kỹ thuật viên hỗ trợ phân tích."
        ),
        "keywords": "GC-MS; phân tích; thiết bị dùng chung",
        "field": "104",
        "trl": None,
        "province": "24",
        "owner": "st_organization",
        "equipment_mode": "shared_use",
    },
    {
        "key": "O66",
        "kind": "service",
        "title": "Tư vấn chứng nhận VietGAP, GlobalGAP cho vùng trồng vải, nhãn",
        "summary": (
            "Đánh giá vùng trồng, hướng dẫn ghi chép nhật ký, sử dụng thuốc bảo vệ thực vật đúng quy "
            "định, cấp mã số vùng trồng phục vụ xuất khẩu."
        ),
        "keywords": "VietGAP; GlobalGAP; mã số vùng trồng",
        "field": "401",
        "trl": None,
        "province": "24",
        "owner": "enterprise",
        "service_type": "consulting",
    },
    # Generic distractors ------------------------------------------------------------------------
    {
        "key": "O67",
        "kind": "offer",
        "title": "Phần mềm quản lý văn bản và điều hành điện tử",
        "summary": (
            "Hệ thống quản lý văn bản đến, đi, giao việc và theo dõi tiến độ; ký số, cảnh báo hạn xử lý "
            "qua điện thoại."
        ),
        "keywords": "quản lý văn bản; chuyển đổi số",
        "field": "102",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 150 * M,
    },
    {
        "key": "O68",
        "kind": "offer",
        "title": "Giám sát hành trình và quản lý đội xe bằng GPS",
        "summary": "Thiết bị định vị, cảm biến nhiên liệu và nhiệt độ thùng xe lạnh; cảnh báo tự động qua điện thoại.",
        "keywords": "GPS; giám sát hành trình",
        "field": "102",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 8 * M,
    },
    # Second round: more answers per need, and more distractors ----------------------------------
    {
        "key": "O69",
        "kind": "offer",
        "title": "Lò sấy nhãn, vải bằng khí nóng gián tiếp đốt củi cải tiến",
        "summary": (
            "Buồng đốt tách riêng, khí nóng qua bộ trao đổi nhiệt nên quả sấy không ám khói, không cháy "
            "sém; quạt đảo gió đều nhiệt, tiết kiệm 30% củi so với lò sấy thủ công; 2 tấn quả tươi mỗi mẻ."
        ),
        "keywords": "lò sấy cải tiến; nhãn vải sấy",
        "field": "203",
        "trl": 9,
        "province": "24",
        "commune": "07582",
        "owner": "st_organization",
        "price": 120 * M,
    },
    {
        "key": "O70",
        "kind": "offer",
        "title": "Máy sấy năng lượng mặt trời cho nông sản, dược liệu",
        "summary": (
            "Buồng sấy mái kính kết hợp quạt và bộ gia nhiệt phụ, sấy quả, chè, dược liệu 300–500 kg mỗi "
            "mẻ; không tốn nhiên liệu vào ngày nắng, sản phẩm sạch, không bụi bẩn."
        ),
        "keywords": "sấy mặt trời; nông sản sấy",
        "field": "203",
        "trl": 8,
        "province": "01",
        "owner": "st_organization",
        "price": 90 * M,
    },
    {
        "key": "O71",
        "kind": "offer",
        "title": "Sấy thăng hoa trái cây và rau củ",
        "summary": (
            "Sấy thăng hoa (đông khô) ở áp suất chân không giữ nguyên màu sắc, hương vị và vitamin; sản "
            "phẩm vải, xoài, dâu sấy giòn bán siêu thị và xuất khẩu, bảo quản 12 tháng."
        ),
        "keywords": "sấy thăng hoa; trái cây sấy giòn",
        "field": "211",
        "trl": 8,
        "province": "79",
        "owner": "enterprise",
        "price": int(1.5 * B),
    },
    {
        "key": "O72",
        "kind": "offer",
        "title": "Màng bao ăn được từ chitosan kéo dài thời gian bảo quản trái cây tươi",
        "summary": (
            "Nhúng quả trong dung dịch chitosan – nano bạc tạo màng mỏng, giảm mất nước và nấm bệnh; vải, "
            "nhãn, xoài giữ tươi lâu gấp 2–3 lần ở nhiệt độ lạnh, an toàn cho người dùng."
        ),
        "keywords": "chitosan; bảo quản trái cây; màng bao",
        "field": "211",
        "trl": 7,
        "province": "01",
        "owner": "st_organization",
        "price": 150 * M,
    },
    {
        "key": "O73",
        "kind": "offer",
        "title": "Kho lạnh bảo quản nông sản chạy điện mặt trời cho hợp tác xã",
        "summary": (
            "Kho lạnh lắp ghép 20–100 m³, máy nén biến tần chạy bằng điện mặt trời và lưới; giữ rau, quả "
            "ở 2–8 °C, giám sát nhiệt độ qua điện thoại."
        ),
        "keywords": "kho lạnh; bảo quản nông sản",
        "field": "202",
        "trl": 8,
        "province": "01",
        "owner": "enterprise",
        "price": 450 * M,
    },
    {
        "key": "O74",
        "kind": "offer",
        "title": "Thảo dược tỏi, gừng, nghệ bổ sung thức ăn phòng bệnh cho gà",
        "summary": (
            "Hỗn hợp bột thảo dược trộn thức ăn tăng sức đề kháng, phòng bệnh đường ruột và hô hấp cho gà "
            "thả đồi; giúp giảm hoặc bỏ kháng sinh, thịt gà săn chắc, thơm."
        ),
        "keywords": "thảo dược chăn nuôi; thay thế kháng sinh; gà thả đồi",
        "field": "402",
        "trl": 7,
        "province": "24",
        "owner": "st_organization",
        "price": 40 * M,
    },
    {
        "key": "O75",
        "kind": "offer",
        "title": "Chế phẩm axit hữu cơ thay thế kháng sinh trong thức ăn cho lợn",
        "summary": (
            "Hỗn hợp axit formic, lactic và dầu thực vật bổ sung thức ăn cho lợn con, giảm tiêu chảy, cải "
            "thiện tiêu hóa, thay thế kháng sinh kích thích tăng trưởng."
        ),
        "keywords": "axit hữu cơ; kháng sinh; thức ăn chăn nuôi",
        "field": "402",
        "trl": 8,
        "province": "33",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O76",
        "kind": "offer",
        "title": "Màng lọc sinh học (biofilter) khử mùi khí thải chuồng nuôi",
        "summary": (
            "Khí thải từ quạt hút chuồng kín đi qua lớp vật liệu lọc có vi sinh vật, loại bỏ 80–90% mùi "
            "amoniac và bụi trước khi ra môi trường xung quanh trang trại."
        ),
        "keywords": "khử mùi; biofilter; chuồng kín",
        "field": "207",
        "trl": 7,
        "province": "01",
        "owner": "st_organization",
        "price": 220 * M,
    },
    {
        "key": "O77",
        "kind": "offer",
        "title": "Nuôi ruồi lính đen xử lý phân gà, phân lợn làm thức ăn chăn nuôi",
        "summary": (
            "Ấu trùng ruồi lính đen ăn phân và chất thải hữu cơ, giảm 50–60% khối lượng chất thải; ấu "
            "trùng làm thức ăn giàu đạm cho gà, cá; bã làm phân bón."
        ),
        "keywords": "ruồi lính đen; xử lý chất thải chăn nuôi",
        "field": "402",
        "trl": 7,
        "province": "24",
        "owner": "enterprise",
        "price": 70 * M,
    },
    {
        "key": "O78",
        "kind": "equipment",
        "title": "Bộ điều khiển trung tâm cho chuồng gà kín: quạt, tấm làm mát, máng ăn",
        "summary": (
            "Tủ điều khiển đo nhiệt độ, độ ẩm, tốc độ gió trong chuồng gà kín, điều khiển quạt hút, tấm làm "
            "mát, sưởi và máng ăn tự động; còi báo động và gọi điện thoại khi có sự cố."
        ),
        "keywords": "chuồng gà kín; tủ điều khiển; báo động",
        "field": "202",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 75 * M,
    },
    {
        "key": "O79",
        "kind": "equipment",
        "title": "Cảm biến oxy hoà tan quang học giá rẻ cho ao nuôi",
        "summary": (
            "Đầu đo oxy hòa tan kiểu quang học không cần thay màng, kết nối bộ điều khiển bật tắt máy quạt "
            "nước theo ngưỡng; gửi số liệu và cảnh báo về điện thoại người nuôi."
        ),
        "keywords": "đo oxy hòa tan; ao nuôi; cảnh báo",
        "field": "405",
        "trl": 7,
        "province": "01",
        "owner": "st_organization",
        "price": 25 * M,
    },
    {
        "key": "O80",
        "kind": "equipment",
        "title": "Máy sục khí nano tiết kiệm điện cho ao nuôi thủy sản",
        "summary": (
            "Tạo bọt khí siêu mịn, tăng oxy hòa tan ở tầng đáy ao, tiết kiệm 40% điện so với quạt nước "
            "guồng; phù hợp ao nuôi cá, tôm mật độ cao."
        ),
        "keywords": "sục khí nano; oxy; ao nuôi",
        "field": "405",
        "trl": 8,
        "province": "92",
        "owner": "enterprise",
        "price": 35 * M,
    },
    {
        "key": "O81",
        "kind": "offer",
        "title": "Vắc xin phòng bệnh xuất huyết do vi rút cho cá trắm cỏ",
        "summary": "Vắc xin bất hoạt dạng ngâm và tiêm cho cá giống trắm cỏ, bảo hộ trên 75% trong vụ nuôi.",
        "keywords": "vắc xin thủy sản; bệnh xuất huyết; cá trắm cỏ",
        "field": "403",
        "trl": 7,
        "province": "24",
        "commune": "09367",
        "owner": "st_organization",
        "negotiable": True,
    },
    {
        "key": "O82",
        "kind": "offer",
        "title": "Ương cá giống trong bể tuần hoàn nước (RAS)",
        "summary": (
            "Ương cá bột lên cá hương, cá giống trong bể xi măng có lọc sinh học tuần hoàn, tỷ lệ sống trên "
            "70%, chủ động con giống sạch bệnh quanh năm."
        ),
        "keywords": "ương cá giống; RAS; con giống",
        "field": "405",
        "trl": 8,
        "province": "24",
        "owner": "st_organization",
        "price": 180 * M,
    },
    {
        "key": "O83",
        "kind": "equipment",
        "title": "Máy tráng bánh, tráng mì gạo tự động liên tục dùng hơi nước",
        "summary": (
            "Tráng, hấp chín và làm nguội lá bánh liên tục trên băng tải inox, 150–300 kg bột mỗi giờ; thay "
            "cho tráng thủ công bằng tay, độ dày lá bánh đồng đều."
        ),
        "keywords": "máy tráng bánh; mì gạo; bánh đa",
        "field": "203",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 380 * M,
    },
    {
        "key": "O84",
        "kind": "offer",
        "title": "Sấy mì, bún, bánh phở bằng bơm nhiệt trong nhà kín",
        "summary": (
            "Thay phơi nắng ngoài trời bằng buồng sấy bơm nhiệt, sản phẩm sạch bụi, không phụ thuộc thời "
            "tiết, sợi mì không gãy, màu trắng đều; 500 kg sản phẩm mỗi mẻ."
        ),
        "keywords": "sấy mì gạo; bơm nhiệt; làng nghề",
        "field": "211",
        "trl": 8,
        "province": "01",
        "owner": "st_organization",
        "price": 350 * M,
    },
    {
        "key": "O85",
        "kind": "offer",
        "title": "Tưới phun mưa tiết kiệm nước cho vườn vải trên đất dốc",
        "summary": (
            "Bể chứa trên đỉnh đồi, đường ống tự chảy và béc phun mưa cục bộ dưới tán cây; giảm 50% công "
            "tưới, phù hợp vùng đồi thiếu nước."
        ),
        "keywords": "tưới phun mưa; đất dốc; vườn vải",
        "field": "401",
        "trl": 9,
        "province": "24",
        "commune": "07444",
        "owner": "st_organization",
        "price": 60 * M,
    },
    {
        "key": "O86",
        "kind": "offer",
        "title": "Trạm quan trắc độ ẩm đất và thời tiết nông nghiệp kết nối Internet of Things",
        "summary": (
            "Trạm đo độ ẩm đất ở hai tầng rễ, mưa, nhiệt độ, gió; khuyến cáo lịch tưới qua ứng dụng và "
            "điều khiển van tưới từ xa bằng điện thoại."
        ),
        "keywords": "quan trắc độ ẩm đất; lịch tưới; van điều khiển từ xa",
        "field": "401",
        "trl": 7,
        "province": "01",
        "owner": "enterprise",
        "price": 70 * M,
    },
    {
        "key": "O87",
        "kind": "equipment",
        "title": "Bán và cho thuê thiết bị bay không người lái phun thuốc 30 lít",
        "summary": (
            "Thiết bị bay nông nghiệp tải 30 lít, bay theo bản đồ ruộng, phun 2 ha mỗi chuyến; bảo hành, "
            "đào tạo và cấp chứng chỉ điều khiển cho xã viên hợp tác xã."
        ),
        "keywords": "UAV nông nghiệp; phun thuốc bảo vệ thực vật",
        "field": "401",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": 450 * M,
    },
    {
        "key": "O88",
        "kind": "equipment",
        "title": "Máy phun thuốc đeo vai động cơ xăng",
        "summary": "Bình 25 lít, động cơ 2 thì, phun xa 10 m; dùng cho lúa, rau màu và cây ăn quả.",
        "keywords": "máy phun thuốc; bình phun",
        "field": "203",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 6 * M,
    },
    {
        "key": "O89",
        "kind": "offer",
        "title": "Hệ thống pin lưu trữ năng lượng (BESS) cho điện mặt trời nhà xưởng",
        "summary": (
            "Pin lithium sắt phốt phát 100–1.000 kWh lưu điện mặt trời dư buổi trưa để dùng giờ cao điểm, "
            "giảm tiền điện và công suất đỉnh của nhà máy."
        ),
        "keywords": "lưu trữ năng lượng; pin lithium; giờ cao điểm",
        "field": "202",
        "trl": 8,
        "province": "79",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O90",
        "kind": "service",
        "title": "Kiểm toán năng lượng và giải pháp tiết kiệm điện cho nhà máy",
        "summary": (
            "Đo đạc, phân tích tiêu thụ điện của hệ thống khí nén, chiếu sáng, điều hòa và động cơ; đề xuất "
            "giải pháp giảm 10–20% tiền điện theo Luật Sử dụng năng lượng tiết kiệm và hiệu quả."
        ),
        "keywords": "kiểm toán năng lượng; tiết kiệm điện",
        "field": "202",
        "trl": None,
        "province": "24",
        "owner": "enterprise",
        "service_type": "consulting",
    },
    {
        "key": "O91",
        "kind": "offer",
        "title": "Cải tạo lò hơi ghi xích đốt than sang đốt củi băm, trấu",
        "summary": (
            "Thay buồng đốt, ghi lò và hệ thống cấp liệu để lò hơi than hiện có đốt được củi băm, trấu, "
            "mùn cưa; thêm cyclone và lọc bụi túi để khí thải đạt quy chuẩn; chi phí bằng 30% lò mới."
        ),
        "keywords": "cải tạo lò hơi; nhiên liệu sinh khối; lọc bụi",
        "field": "203",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 900 * M,
    },
    {
        "key": "O92",
        "kind": "offer",
        "title": "Xử lý nước thải chăn nuôi lợn bằng bể phản ứng theo mẻ (SBR)",
        "summary": (
            "Bể SBR tự động xử lý nước thải sau hầm biogas, khử nitơ, amoni và COD; nước sau xử lý đạt "
            "QCVN 62-MT:2016/BTNMT, vận hành bằng tủ điện hẹn giờ."
        ),
        "keywords": "SBR; nước thải chăn nuôi lợn; khử nitơ",
        "field": "207",
        "trl": 8,
        "province": "01",
        "owner": "enterprise",
        "price": 550 * M,
    },
    {
        "key": "O93",
        "kind": "offer",
        "title": "Thu hồi nước và hóa chất nhuộm bằng màng lọc nano, thẩm thấu ngược",
        "summary": (
            "Hệ thống màng NF/RO tái sử dụng 70% nước thải dệt nhuộm sau xử lý sinh học, thu hồi muối "
            "nhuộm; giảm lượng nước thải xả ra và chi phí nước cấp."
        ),
        "keywords": "màng lọc; tái sử dụng nước; dệt nhuộm",
        "field": "207",
        "trl": 7,
        "province": "79",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O94",
        "kind": "service",
        "title": "Thiết kế phòng nuôi cấy mô thực vật và đào tạo kỹ thuật viên",
        "summary": (
            "Tư vấn thiết kế phòng cấy vô trùng, phòng nuôi, vườn ươm; lựa chọn thiết bị; đào tạo quy trình "
            "nhân giống in vitro cho chuối, dứa, hoa và cây dược liệu."
        ),
        "keywords": "phòng nuôi cấy mô; đào tạo; nhân giống",
        "field": "406",
        "trl": None,
        "province": "01",
        "owner": "st_organization",
        "service_type": "consulting",
    },
    {
        "key": "O95",
        "kind": "equipment",
        "title": "Máy cuốn rơm, đóng kiện rơm liên hợp",
        "summary": "Máy kéo theo máy gặt, cuốn rơm thành cuộn 15–20 kg ngay trên ruộng, 60–80 cuộn mỗi giờ.",
        "keywords": "cuốn rơm; cơ giới hóa",
        "field": "203",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 210 * M,
    },
    {
        "key": "O96",
        "kind": "equipment",
        "title": "Robot khử khuẩn UV tự hành cho bệnh viện",
        "summary": (
            "Robot di chuyển tự động theo bản đồ phòng bệnh, chiếu đèn UV-C khử khuẩn bề mặt và không khí "
            "trong 10–15 phút mỗi phòng, dừng khi phát hiện người."
        ),
        "keywords": "robot khử khuẩn; UV-C; bệnh viện",
        "field": "206",
        "trl": 7,
        "province": "01",
        "owner": "st_organization",
        "price": 750 * M,
    },
    {
        "key": "O97",
        "kind": "offer",
        "title": "Hệ thống lưu trữ và truyền hình ảnh y tế (PACS) cho bệnh viện tuyến huyện",
        "summary": (
            "Lưu trữ, xem và đọc kết quả phim X quang, CT, siêu âm trên máy tính; bác sĩ tuyến trên hội chẩn "
            "từ xa; kết nối máy chụp hiện có."
        ),
        "keywords": "PACS; hình ảnh y tế; hội chẩn từ xa",
        "field": "206",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": 600 * M,
    },
    {
        "key": "O98",
        "kind": "offer",
        "title": "Bê tông bọt và gạch bê tông bọt dùng tro bay nhiệt điện",
        "summary": (
            "Tạo bọt bằng chất tạo bọt gốc protein, thay 30–50% xi măng bằng tro bay; gạch nhẹ, cách âm, "
            "cách nhiệt; dây chuyền nhỏ phù hợp doanh nghiệp địa phương."
        ),
        "keywords": "bê tông bọt; tro bay; gạch nhẹ",
        "field": "205",
        "trl": 8,
        "province": "24",
        "owner": "st_organization",
        "price": int(1.2 * B),
    },
    {
        "key": "O99",
        "kind": "equipment",
        "title": "Máy phay CNC 3 trục gia công cửa và đồ nội thất gỗ",
        "summary": "Bàn làm việc 1.300 × 2.500 mm, phay, khoan, khắc hoa văn trên ván và gỗ tự nhiên theo bản vẽ.",
        "keywords": "CNC 3 trục; nội thất gỗ",
        "field": "203",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 320 * M,
    },
    {
        "key": "O100",
        "kind": "offer",
        "title": "Lò nung gốm bằng điện điều khiển theo chương trình",
        "summary": (
            "Lò điện 1–3 m³ nung đến 1.280 °C theo đường cong cài sẵn, không khói bụi, phù hợp hộ làm gốm "
            "mỹ nghệ quy mô nhỏ; tỷ lệ sản phẩm đạt trên 90%."
        ),
        "keywords": "lò nung điện; gốm mỹ nghệ",
        "field": "205",
        "trl": 9,
        "province": "01",
        "owner": "enterprise",
        "price": 260 * M,
    },
    {
        "key": "O101",
        "kind": "offer",
        "title": "Ngâm tẩm bảo quản gỗ rừng trồng chống mối mọt theo TCVN",
        "summary": (
            "Dây chuyền ngâm tẩm chân không – áp lực với thuốc bảo quản gỗ được phép sử dụng; gỗ keo, bạch "
            "đàn sau xử lý bền trên 15 năm, dùng làm đồ gỗ xuất khẩu."
        ),
        "keywords": "ngâm tẩm gỗ; chống mối mọt",
        "field": "204",
        "trl": 9,
        "province": "24",
        "commune": "09367",
        "owner": "enterprise",
        "price": 800 * M,
    },
    {
        "key": "O102",
        "kind": "offer",
        "title": "Bộ kit thử nhanh dư lượng thuốc trừ sâu trong rau quả",
        "summary": (
            "Phát hiện nhanh dư lượng thuốc trừ sâu gốc lân hữu cơ và carbamate trong 15 phút, dùng tại "
            "vùng trồng và cơ sở thu mua; không cần phòng thí nghiệm."
        ),
        "keywords": "kit thử nhanh; dư lượng thuốc trừ sâu",
        "field": "104",
        "trl": 8,
        "province": "01",
        "owner": "st_organization",
        "price": 5 * M,
    },
    {
        "key": "O103",
        "kind": "offer",
        "title": "Vải kháng khuẩn nano bạc cho trang phục y tế",
        "summary": (
            "Vải cotton phủ nano bạc diệt khuẩn, bền sau 50 lần giặt, may trang phục bác sĩ, ga giường bệnh viện."
        ),
        "keywords": "vải kháng khuẩn; nano bạc",
        "field": "205",
        "trl": 8,
        "province": "79",
        "owner": "enterprise",
        "negotiable": True,
    },
    {
        "key": "O104",
        "kind": "offer",
        "title": "Phần mềm quản lý trang trại chăn nuôi",
        "summary": "Quản lý đàn, thức ăn, lịch tiêm phòng, chi phí và doanh thu của trang trại trên điện thoại.",
        "keywords": "quản lý trang trại; chăn nuôi",
        "field": "102",
        "trl": 9,
        "province": "24",
        "owner": "enterprise",
        "price": 12 * M,
    },
]

NEEDS: list[dict] = [
    {
        "key": "N01",
        "title": "Cần công nghệ sấy vải thiều giữ được màu sắc, hương vị",
        "summary": (
            "Hợp tác xã mỗi vụ sấy khoảng 300 tấn vải thiều bằng lò than củi thủ công; vải khô bị cháy "
            "sém, màu không đều, ám khói. Cần chuyển sang công nghệ sấy hiện đại, kiểm soát nhiệt độ, tiết "
            "kiệm nhiên liệu."
        ),
        "expected_result": "Lò sấy 2–3 tấn quả tươi mỗi mẻ, vải sấy khô đạt yêu cầu xuất khẩu.",
        "keywords": "sấy vải; vải thiều Lục Ngạn",
        "sector": "Chế biến nông sản",
        "field": "211",
        "province": "24",
        "commune": "07582",
        "owner": "cooperative",
        "budget": (300 * M, 800 * M),
        "relevant": {"O01": 2, "O04": 1, "O69": 2, "O70": 1, "O71": 1},
    },
    {
        "key": "N02",
        "title": "Kéo dài thời gian bảo quản vải tươi để xuất khẩu đi thị trường xa",
        "summary": (
            "Doanh nghiệp thu mua vải thiều xuất khẩu sang Nhật Bản, Hoa Kỳ, EU; vải tươi chỉ giữ được "
            "5–7 ngày, vỏ nhanh thâm. Cần giải pháp bảo quản sau thu hoạch và xử lý kiểm dịch đạt yêu cầu "
            "của nước nhập khẩu."
        ),
        "expected_result": "Vải tươi giữ chất lượng tối thiểu 25 ngày, đạt kiểm dịch thực vật.",
        "keywords": "bảo quản vải tươi; kiểm dịch",
        "sector": "Xuất khẩu nông sản",
        "field": "211",
        "province": "24",
        "commune": "07525",
        "owner": "enterprise",
        "budget": (1 * B, 3 * B),
        "relevant": {"O02": 2, "O03": 2, "O72": 2, "O73": 1},
    },
    {
        "key": "N03",
        "title": "Giảm sử dụng kháng sinh trong chăn nuôi gà đồi",
        "summary": (
            "Các trang trại gà đồi Yên Thế nuôi 5.000–20.000 con mỗi lứa đang trộn kháng sinh vào thức ăn "
            "để phòng bệnh đường ruột, khó đáp ứng yêu cầu của siêu thị. Cần giải pháp thay thế kháng "
            "sinh, nâng cao sức đề kháng cho đàn gà."
        ),
        "expected_result": "Đàn gà không dùng kháng sinh trong thức ăn, tỷ lệ nuôi sống trên 92%.",
        "keywords": "gà đồi Yên Thế; kháng sinh",
        "sector": "Chăn nuôi",
        "field": "402",
        "province": "24",
        "commune": "07288",
        "owner": "cooperative",
        "budget": (100 * M, 300 * M),
        "relevant": {"O09": 2, "O10": 1, "O14": 1, "O74": 2, "O75": 1},
    },
    {
        "key": "N04",
        "title": "Xử lý mùi hôi và chất thải chuồng trại chăn nuôi gà đẻ",
        "summary": (
            "Trang trại 30.000 gà đẻ gần khu dân cư, mùi hôi amoniac và ruồi nhặng gây bức xúc. Cần công "
            "nghệ xử lý phân, giảm mùi chuồng trại, tận dụng phân gà làm phân bón."
        ),
        "expected_result": "Giảm mùi hôi rõ rệt, không còn phản ánh của người dân.",
        "keywords": "mùi hôi chuồng trại; phân gà",
        "sector": "Chăn nuôi",
        "field": "402",
        "province": "24",
        "commune": "07264",
        "owner": "enterprise",
        "budget": (200 * M, 500 * M),
        "relevant": {"O12": 2, "O13": 2, "O46": 1, "O76": 2, "O77": 1},
    },
    {
        "key": "N05",
        "title": "Can he thong tu dong giam sat nhiet do, do am trong chuong ga",
        "summary": (
            "Trang trai ga thit 4 day chuong kin, moi day 6.000 con. Can lap cam bien theo doi nhiet do, "
            "do am, khi amoniac, tu dong bat quat va dan lam mat, bao dong qua dien thoai khi mat dien."
        ),
        "expected_result": "Giam ga chet do soc nhiet, theo doi chuong tu xa.",
        "keywords": "cam bien; chuong nuoi; canh bao",
        "sector": "Chan nuoi",
        "field": "402",
        "province": "24",
        "commune": "07339",
        "owner": "enterprise",
        "budget": (50 * M, 150 * M),
        "relevant": {"O11": 2, "O27": 1, "O78": 2},
    },
    {
        "key": "N06",
        "title": "Cần hệ thống giám sát oxy hoà tan trong ao nuôi cá",
        "summary": (
            "Hợp tác xã thuỷ sản có 40 ha ao nuôi cá trắm, cá chép thâm canh; cá thường nổi đầu, chết hàng "
            "loạt vào sáng sớm những ngày nắng nóng do thiếu oxy. Cần thiết bị đo oxy, tự động chạy máy "
            "quạt nước và cảnh báo cho người nuôi."
        ),
        "expected_result": "Cảnh báo sớm khi oxy thấp, giảm cá chết.",
        "keywords": "oxy hoà tan; ao nuôi cá",
        "sector": "Thuỷ sản",
        "field": "405",
        "province": "24",
        "commune": "09454",
        "owner": "cooperative",
        "budget": (100 * M, 300 * M),
        "relevant": {"O16": 2, "O79": 2, "O80": 1},
    },
    {
        "key": "N07",
        "title": "Cải thiện chất lượng nước ao nuôi, giảm dịch bệnh trên cá",
        "summary": (
            "Ao nuôi cá rô phi, cá trắm bị ô nhiễm đáy ao do thức ăn dư thừa, nước có mùi, cá chậm lớn, "
            "hay bị bệnh xuất huyết, lở loét. Cần chế phẩm hoặc mô hình nuôi giúp ổn định môi trường nước, "
            "giảm dùng hóa chất."
        ),
        "expected_result": "Môi trường ao ổn định, giảm 50% hóa chất xử lý.",
        "keywords": "môi trường ao nuôi; bệnh cá",
        "sector": "Thuỷ sản",
        "field": "405",
        "province": "24",
        "commune": "09496",
        "owner": "cooperative",
        "budget": (50 * M, 200 * M),
        "relevant": {"O18": 2, "O17": 1, "O16": 1, "O81": 1},
    },
    {
        "key": "N08",
        "title": "Nhu cau con giong ca chep lai chat luong cao",
        "summary": (
            "Cac ho nuoi ca o Luong Tai can nguon ca chep giong sach benh, lon nhanh; mong muon nhan "
            "chuyen giao quy trinh san xuat va uong nuoi ca giong tai dia phuong."
        ),
        "expected_result": "Trai giong dia phuong tu san xuat ca chep giong.",
        "keywords": "ca giong; ca chep",
        "sector": "Thuy san",
        "field": "405",
        "province": "24",
        "commune": "09496",
        "owner": "cooperative",
        "budget": (100 * M, 300 * M),
        "relevant": {"O19": 2, "O82": 1},
    },
    {
        "key": "N09",
        "title": "Tự động hóa sản xuất mỳ Chũ, giảm lao động thủ công",
        "summary": (
            "Làng nghề mỳ Chũ sản xuất thủ công, phơi mỳ ngoài trời nên phụ thuộc thời tiết, khó bảo đảm "
            "vệ sinh an toàn thực phẩm. Cần dây chuyền tráng, cắt sợi và sấy mỳ gạo khép kín."
        ),
        "expected_result": "Dây chuyền 500 kg mỳ mỗi ca, đạt điều kiện an toàn thực phẩm.",
        "keywords": "mỳ gạo; làng nghề",
        "sector": "Chế biến thực phẩm",
        "field": "211",
        "province": "24",
        "commune": "07525",
        "owner": "cooperative",
        "budget": (1 * B, int(2.5 * B)),
        "relevant": {"O22": 2, "O04": 1, "O83": 2, "O84": 2},
    },
    {
        "key": "N10",
        "title": "Truy xuất nguồn gốc cho vải thiều và gà đồi Yên Thế",
        "summary": (
            "Các hợp tác xã có sản phẩm OCOP cần phần mềm quản lý vùng trồng, vùng nuôi, nhật ký sản xuất "
            "và tem điện tử để người mua kiểm tra thông tin sản phẩm."
        ),
        "expected_result": "Tem truy xuất cho 100% sản phẩm OCOP của hợp tác xã.",
        "keywords": "truy xuất nguồn gốc; OCOP",
        "sector": "Nông nghiệp",
        "field": "102",
        "province": "24",
        "commune": None,
        "owner": "cooperative",
        "budget": (30 * M, 100 * M),
        "relevant": {"O23": 2, "O24": 2, "O66": 1},
    },
    {
        "key": "N11",
        "title": "Đa dạng hóa sản phẩm chế biến từ quả vải",
        "summary": (
            "Giá vải tươi chính vụ xuống thấp; doanh nghiệp muốn sản xuất rượu vang vải, nước ép đóng chai "
            "và các sản phẩm chế biến sâu để nâng giá trị quả vải."
        ),
        "expected_result": "Ít nhất hai sản phẩm mới từ quả vải được công bố.",
        "keywords": "chế biến sâu; vải thiều",
        "sector": "Chế biến thực phẩm",
        "field": "211",
        "province": "24",
        "commune": "07582",
        "owner": "enterprise",
        "budget": (500 * M, 3 * B),
        "relevant": {"O07": 2, "O08": 2, "O06": 1, "O01": 1, "O71": 1},
    },
    {
        "key": "N12",
        "title": "Ứng dụng Internet vạn vật trong tưới tiết kiệm nước cho vườn cây ăn quả",
        "summary": (
            "Vùng trồng vải, bưởi trên đồi thiếu nước tưới mùa khô, tưới thủ công tốn nhân công. Cần hệ "
            "thống cảm biến độ ẩm đất và điều khiển tưới từ xa."
        ),
        "expected_result": "Tưới tự động cho 20 ha vườn đồi, tiết kiệm 30% nước.",
        "keywords": "tưới tiết kiệm; vườn đồi",
        "sector": "Trồng trọt",
        "field": "401",
        "province": "24",
        "commune": "07444",
        "owner": "cooperative",
        "budget": (100 * M, 300 * M),
        "relevant": {"O26": 2, "O27": 1, "O85": 1, "O86": 2},
    },
    {
        "key": "N13",
        "title": "Phun thuốc trừ sâu bằng máy bay không người lái cho cánh đồng lúa",
        "summary": (
            "Hợp tác xã dịch vụ nông nghiệp quản lý 300 ha lúa, thiếu lao động phun thuốc, người phun bị "
            "ảnh hưởng sức khỏe. Cần thuê hoặc mua thiết bị bay phun thuốc và đào tạo người điều khiển."
        ),
        "expected_result": "Phun thuốc cho 300 ha mỗi vụ bằng thiết bị bay.",
        "keywords": "phun thuốc; lúa",
        "sector": "Trồng trọt",
        "field": "401",
        "province": "24",
        "commune": "09193",
        "owner": "cooperative",
        "budget": (300 * M, 700 * M),
        "relevant": {"O28": 2, "O87": 2, "O88": 1},
    },
    {
        "key": "N14",
        "title": "Lắp điện năng lượng mặt trời áp mái để giảm tiền điện nhà máy",
        "summary": (
            "Nhà máy may mặc ở khu công nghiệp Quế Võ có 12.000 m² mái tôn, tiền điện mỗi tháng trên 800 "
            "triệu đồng. Cần đơn vị khảo sát, thiết kế, lắp đặt hệ thống điện tự dùng trên mái."
        ),
        "expected_result": "Hệ thống 1 MWp tự dùng, giảm 25% tiền điện.",
        "keywords": "năng lượng tái tạo; tiết kiệm điện",
        "sector": "Dệt may",
        "field": "202",
        "province": "24",
        "commune": "09247",
        "owner": "enterprise",
        "budget": (5 * B, 10 * B),
        "trl": 9,
        "relevant": {"O31": 2, "O89": 1, "O90": 1},
    },
    {
        "key": "N15",
        "title": "Thay thế lò hơi đốt than bằng nhiên liệu sinh khối",
        "summary": (
            "Công ty chế biến thực phẩm dùng lò hơi đốt than 4 tấn hơi mỗi giờ, chi phí than tăng cao và "
            "bụi khí thải vượt chuẩn. Cần chuyển đổi sang lò hơi đốt trấu, mùn cưa hoặc viên nén."
        ),
        "expected_result": "Lò hơi sinh khối 4 tấn hơi/giờ, khí thải đạt quy chuẩn.",
        "keywords": "lò hơi; nhiên liệu sinh khối",
        "sector": "Chế biến thực phẩm",
        "field": "203",
        "province": "24",
        "commune": None,
        "owner": "enterprise",
        "budget": (2 * B, 5 * B),
        "relevant": {"O33": 2, "O34": 1, "O91": 2},
    },
    {
        "key": "N16",
        "title": "Xu ly phan lon va tan dung khi sinh hoc lam chat dot",
        "summary": (
            "Trang trai lon 1.500 con nai, phan va nuoc thai chua duoc xu ly, gay o nhiem kenh muong. Muon "
            "xay ham khi sinh hoc de lay khi dun nau, chay may phat dien cho trang trai."
        ),
        "expected_result": "Ham khi sinh hoc 50 m3, du khi chay may phat dien.",
        "keywords": "khi sinh hoc; chat thai chan nuoi",
        "sector": "Chan nuoi",
        "field": "207",
        "province": "24",
        "commune": "07840",
        "owner": "enterprise",
        "budget": (100 * M, 500 * M),
        "relevant": {"O32": 2, "O36": 2, "O39": 1, "O12": 1, "O77": 1},
    },
    {
        "key": "N17",
        "title": "Xử lý nước thải sản xuất giấy tại làng nghề Phong Khê",
        "summary": (
            "Các cơ sở tái chế giấy bao bì xả khoảng 5.000 m³ nước thải mỗi ngày, nhiều bột giấy, độ màu "
            "và COD cao, gây ô nhiễm sông Ngũ Huyện Khê. Cần công nghệ xử lí phù hợp, có thể tái sử dụng nước."
        ),
        "expected_result": "Nước thải đạt quy chuẩn, tái sử dụng trên 50% nước.",
        "keywords": "nước thải giấy; làng nghề",
        "sector": "Môi trường",
        "field": "207",
        "province": "24",
        "commune": "09187",
        "owner": "enterprise",
        "budget": (3 * B, 8 * B),
        "relevant": {"O38": 2, "O41": 1, "O40": 1},
    },
    {
        "key": "N18",
        "title": "Nước thải sau hầm biogas của trang trại lợn chưa đạt quy chuẩn",
        "summary": (
            "Trang trại 3.000 con lợn đã có hầm biogas nhưng nước thải đầu ra còn COD, amoni cao và mùi "
            "hôi. Cần công nghệ xử lý tiếp với chi phí thấp, dễ vận hành."
        ),
        "expected_result": "Nước thải chăn nuôi đạt QCVN 62-MT:2016/BTNMT.",
        "keywords": "nước thải chăn nuôi; sau biogas",
        "sector": "Chăn nuôi",
        "field": "207",
        "province": "24",
        "commune": "07432",
        "owner": "enterprise",
        "budget": (200 * M, 600 * M),
        "relevant": {"O39": 2, "O37": 1, "O92": 2},
    },
    {
        "key": "N19",
        "title": "Hệ thống xử lý nước thải cho nhà máy dệt nhuộm",
        "summary": (
            "Nhà máy dệt nhuộm thải 2.000 m³ nước mỗi ngày, độ màu và COD cao; cần nâng cấp hệ thống xử lý "
            "đạt QCVN 13-MT:2015/BTNMT và lắp quan trắc tự động theo quy định."
        ),
        "expected_result": "Nước thải đạt cột A, dữ liệu quan trắc truyền về Sở.",
        "keywords": "dệt nhuộm; nước thải công nghiệp",
        "sector": "Dệt may",
        "field": "207",
        "province": "24",
        "commune": None,
        "owner": "enterprise",
        "budget": (5 * B, 15 * B),
        "relevant": {"O40": 2, "O41": 2, "O93": 2},
    },
    {
        "key": "N20",
        "title": "Cần quy trình nuôi cấy mô để nhân nhanh giống chuối tiêu hồng",
        "summary": (
            "Hợp tác xã trồng 50 ha chuối tiêu hồng, cây giống tách chồi không đồng đều và nhiễm bệnh héo "
            "vàng. Muốn xây phòng nuôi cấy mô để tự sản xuất cây giống sạch bệnh."
        ),
        "expected_result": "Phòng nuôi cấy mô 100.000 cây giống mỗi năm.",
        "keywords": "chuối tiêu hồng; cây giống sạch bệnh",
        "sector": "Trồng trọt",
        "field": "406",
        "province": "24",
        "commune": "07840",
        "owner": "cooperative",
        "budget": (300 * M, 800 * M),
        "relevant": {"O43": 2, "O44": 1, "O94": 2},
    },
    {
        "key": "N21",
        "title": "Xử lý rơm rạ sau thu hoạch, chấm dứt đốt rơm gây ô nhiễm",
        "summary": (
            "Mỗi vụ xã có khoảng 2.000 tấn rơm rạ bị đốt ngoài đồng gây khói bụi. Cần chế phẩm xử lý rơm "
            "tại ruộng hoặc mô hình tận dụng rơm làm phân bón, trồng nấm cho nông dân."
        ),
        "expected_result": "Giảm 80% rơm rạ bị đốt ngoài đồng.",
        "keywords": "rơm rạ; môi trường nông thôn",
        "sector": "Nông nghiệp",
        "field": "406",
        "province": "24",
        "commune": "09340",
        "owner": "public_agency",
        "budget": (50 * M, 200 * M),
        "relevant": {"O45": 2, "O46": 2, "O48": 2, "O95": 1},
    },
    {
        "key": "N22",
        "title": "Khử trùng phòng bệnh bằng tia cực tím tại bệnh viện đa khoa",
        "summary": (
            "Bệnh viện đa khoa 300 giường cần thiết bị khử khuẩn không khí và bề mặt phòng mổ, phòng hồi "
            "sức để giảm nhiễm khuẩn bệnh viện, thay cho phun hóa chất."
        ),
        "expected_result": "Trang bị cho 8 phòng mổ và 2 khoa hồi sức.",
        "keywords": "nhiễm khuẩn bệnh viện; khử trùng",
        "sector": "Y tế",
        "field": "206",
        "province": "24",
        "commune": None,
        "owner": "hospital",
        "budget": (200 * M, 600 * M),
        "relevant": {"O49": 2, "O52": 1, "O96": 2},
    },
    {
        "key": "N23",
        "title": "Ứng dụng AI hỗ trợ chẩn đoán X quang phổi ở tuyến cơ sở",
        "summary": (
            "Trung tâm y tế thiếu bác sĩ chẩn đoán hình ảnh, mỗi ngày chụp 150 phim X quang ngực. Cần phần "
            "mềm đọc phim tự động phát hiện lao, viêm phổi, khối u để bác sĩ kiểm tra lại."
        ),
        "expected_result": "Phần mềm tích hợp với máy X quang hiện có.",
        "keywords": "chẩn đoán hình ảnh; phổi",
        "sector": "Y tế",
        "field": "206",
        "province": "24",
        "commune": None,
        "owner": "hospital",
        "budget": (300 * M, 1 * B),
        "trl": 7,
        "relevant": {"O50": 2, "O97": 1},
    },
    {
        "key": "N24",
        "title": "Tận dụng tro bay, xỉ than để sản xuất vật liệu xây dựng",
        "summary": (
            "Nhà máy nhiệt điện và các lò hơi công nghiệp thải hàng nghìn tấn tro xỉ mỗi năm; doanh nghiệp "
            "vật liệu xây dựng muốn đầu tư dây chuyền gạch không nung hoặc bê tông nhẹ dùng tro xỉ."
        ),
        "expected_result": "Dây chuyền tiêu thụ 30.000 tấn tro xỉ mỗi năm.",
        "keywords": "tro xỉ; vật liệu xây không nung",
        "sector": "Vật liệu xây dựng",
        "field": "205",
        "province": "24",
        "commune": None,
        "owner": "enterprise",
        "budget": (2 * B, 6 * B),
        "relevant": {"O53": 2, "O54": 2, "O98": 2},
    },
    {
        "key": "N25",
        "title": "Máy chạm khắc gỗ tự động cho làng nghề đồ gỗ mỹ nghệ Phù Khê",
        "summary": (
            "Cơ sở sản xuất đồ gỗ mỹ nghệ, tượng gỗ thiếu thợ chạm lành nghề; cần máy khắc CNC nhiều đầu để "
            "làm phù điêu, hoa văn, tượng và đào tạo người vận hành."
        ),
        "expected_result": "Một máy CNC nhiều đầu và 3 người vận hành thành thạo.",
        "keywords": "chạm khắc gỗ; làng nghề",
        "sector": "Thủ công mỹ nghệ",
        "field": "203",
        "province": "24",
        "commune": "09379",
        "owner": "enterprise",
        "budget": (400 * M, 1 * B),
        "relevant": {"O59": 2, "O57": 1, "O99": 1},
    },
    {
        "key": "N26",
        "title": "Chuyển đổi lò nung gốm Phù Lãng từ đốt củi sang lò gas",
        "summary": (
            "Các hộ làm gốm Phù Lãng nung bằng lò củi truyền thống, khói bụi ảnh hưởng môi trường, tỷ lệ "
            "sản phẩm hỏng cao. Cần chuyển giao lò nung gas phù hợp sản xuất gốm mỹ nghệ quy mô hộ."
        ),
        "expected_result": "Lò nung gas 3 m³ cho hộ sản xuất, tỷ lệ sản phẩm đạt trên 85%.",
        "keywords": "gốm Phù Lãng; lò nung",
        "sector": "Thủ công mỹ nghệ",
        "field": "205",
        "province": "24",
        "commune": "09292",
        "owner": "cooperative",
        "budget": (200 * M, 600 * M),
        "relevant": {"O60": 2, "O61": 1, "O100": 2},
    },
    {
        "key": "N27",
        "title": "Xu ly go chong moi mot, nut va cong venh cho do go my nghe",
        "summary": (
            "Co so san xuat do go my nghe o Dong Ky thuong bi khach tra hang vi go bi mot, nut, cong venh "
            "sau khi xuat khau. Can cong nghe say va bao quan go dam bao do am va chong moi mot."
        ),
        "expected_result": "Go dat do am 10-12%, khong mot, khong nut.",
        "keywords": "say go; bao quan go",
        "sector": "Thu cong my nghe",
        "field": "203",
        "province": "24",
        "commune": "09367",
        "owner": "enterprise",
        "budget": (300 * M, 1 * B),
        "relevant": {"O57": 2, "O58": 2, "O101": 2},
    },
    {
        "key": "N28",
        "title": "Kiểm nghiệm dư lượng thuốc bảo vệ thực vật trong vải thiều xuất khẩu",
        "summary": (
            "Doanh nghiệp xuất khẩu vải cần phòng thử nghiệm được công nhận để phân tích dư lượng thuốc bảo "
            "vệ thực vật theo yêu cầu của thị trường nhập khẩu, trả kết quả nhanh trong mùa thu hoạch."
        ),
        "expected_result": "Kết quả phân tích trong 5 ngày cho mỗi lô hàng.",
        "keywords": "dư lượng thuốc bảo vệ thực vật; kiểm nghiệm",
        "sector": "Xuất khẩu nông sản",
        "field": "211",
        "province": "24",
        "commune": "07582",
        "owner": "enterprise",
        "budget": (50 * M, 200 * M),
        "relevant": {"O63": 2, "O65": 1, "O66": 1, "O102": 1},
    },
]


# EVALUATION ---------------------------------------------------------------------------------------
def precision_at(ranked: list[str], relevant: dict[str, int], k: int = 5) -> float:
    """Share of the first k results that are relevant (any grade); k in the denominator."""
    return sum(1 for key in ranked[:k] if relevant.get(key, 0) > 0) / k


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain with graded gains 2^g - 1."""

    def dcg(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(relevant.values(), reverse=True))
    return dcg([relevant.get(key, 0) for key in ranked]) / ideal if ideal else 0.0


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


_WORD = re.compile(r"[a-z0-9]+")


def baseline_words(text: str) -> set[str]:
    """The plain full-text baseline's view of a text: its distinct folded words."""
    return set(_WORD.findall(fold(text)))


def baseline_rank(query_text: str, documents: dict[str, str], *, limit: int = 10) -> list[str]:
    """The plain full-text baseline: documents (key -> folded search_text) ranked by the number of
    distinct folded query words they contain (ties by key); documents sharing no word are left out."""
    words = baseline_words(query_text)
    scored = [(len(words & baseline_words(text)), key) for key, text in documents.items()]
    scored = [(score, key) for score, key in scored if score > 0]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [key for _score, key in scored[:limit]]


def need_text(need: dict) -> str:
    """What the baseline searches with: the need's title, summary, keywords, sector and expected result."""
    parts = [need["title"], need["summary"], need.get("keywords"), need.get("sector"), need.get("expected_result")]
    return " ".join(filter(None, parts))


def check() -> None:
    """The set's own consistency (run by the tests): keys unique, relevant keys exist."""
    offer_keys = [o["key"] for o in OFFERS]
    need_keys = [n["key"] for n in NEEDS]
    assert len(set(offer_keys)) == len(offer_keys), "duplicate offer key"
    assert len(set(need_keys)) == len(need_keys), "duplicate need key"
    for need in NEEDS:
        unknown = set(need["relevant"]) - set(offer_keys)
        assert not unknown, f"{need['key']}: unknown relevant keys {unknown}"
        assert need["relevant"], f"{need['key']}: no relevant offer"
