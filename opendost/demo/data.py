"""The demo province: Sở KH&CN tỉnh Bắc Ninh after the 1 July 2025 merger, its two predecessors and a
second, unrelated department (Lạng Sơn) that shows the separation between jurisdictions.

Everything here is plain data; `opendost.demo.services.demo_load` writes it. Names of fictitious
organisations end in DEMO_MARK; people, citizen IDs, phone numbers and tax codes are all invented
(tax codes are generated with a valid check digit under a prefix no real enterprise uses, see
`demo_tax_code`). Public bodies named in the Department's plan (its own centres) keep their real
names but carry no identifiers or personal data.

Administrative units are given as (code set, level, code). Records made before 1 July 2025 use the
pre-2025 units (huyện Lục Ngạn still exists for them); newer records use the current units.
"""

from dataclasses import dataclass, field
from datetime import date

from stdnum.vn import mst

from opendost.accounts.roles import Role
from opendost.subjects.enums import AcademicTitle, ContactRole, Degree, Gender, OrganizationKind

# Published in the README on purpose: demo accounts exist only where OPENDOST_DEMO_ALLOWED.
DEMO_PASSWORD = "Demo@OpenDOST-2026"  # noqa: S105
DEMO_MARK = " (dữ liệu mẫu)"

PRE_2025 = "pre2025"
CURRENT = "2025"
MERGER_DAY = date(2025, 7, 1)

type UnitRef = tuple[str, str, str]  # (code_set, level, code)


def province(code_set: str, code: str) -> UnitRef:
    return (code_set, "province", code)


def district(code: str) -> UnitRef:
    return (PRE_2025, "district", code)


def commune(code_set: str, code: str) -> UnitRef:
    return (code_set, "commune", code)


def demo_tax_code(n: int) -> str:
    """The n-th fictitious enterprise code: prefix 2499 (no real enterprise is registered under it),
    a running number, and the MST check digit. Numbers whose check digit would be 10 are skipped."""
    found = 0
    for seq in range(1, 100_000):
        body = f"2499{seq:05d}"
        check = mst.calc_check_digit(body)
        if len(check) == 1:
            found += 1
            if found == n:
                return body + check
    raise ValueError(n)


# DEPARTMENTS ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoDepartment:
    code: str
    name: str
    governing_body: str
    province: UnitRef
    valid_from: date | None = None
    valid_to: date | None = None
    successor: str | None = None


BAC_NINH = "bac-ninh"
BAC_GIANG = "bac-giang"
BAC_NINH_PRE_2025 = "bac-ninh-pre2025"
LANG_SON = "lang-son"

DEPARTMENTS = [
    DemoDepartment(
        BAC_NINH,
        "Sở Khoa học và Công nghệ tỉnh Bắc Ninh",
        "UBND TỈNH BẮC NINH",
        province(CURRENT, "24"),
        valid_from=MERGER_DAY,
    ),
    DemoDepartment(
        BAC_GIANG,
        "Sở Khoa học và Công nghệ tỉnh Bắc Giang",
        "UBND TỈNH BẮC GIANG",
        province(PRE_2025, "24"),
        valid_to=date(2025, 6, 30),
        successor=BAC_NINH,
    ),
    DemoDepartment(
        BAC_NINH_PRE_2025,
        "Sở Khoa học và Công nghệ tỉnh Bắc Ninh (trước 01/07/2025)",
        "UBND TỈNH BẮC NINH",
        province(PRE_2025, "27"),
        valid_to=date(2025, 6, 30),
        successor=BAC_NINH,
    ),
    DemoDepartment(
        LANG_SON,
        "Sở Khoa học và Công nghệ tỉnh Lạng Sơn",
        "UBND TỈNH LẠNG SƠN",
        province(CURRENT, "20"),
    ),
]

# Units named in the plan (seed/facts.yaml organisation.units_vi), plus the management divisions
# the demo users sit in. The councils (Hội đồng KH&CN, Hội đồng Sáng kiến) are not units.
UNITS: dict[str, list[tuple[str, str]]] = {
    BAC_NINH: [
        ("ban-giam-doc", "Ban Giám đốc"),
        ("van-phong", "Văn phòng Sở"),
        ("mot-cua", "Bộ phận tiếp nhận và trả kết quả (Trung tâm Phục vụ hành chính công tỉnh)"),
        ("quan-ly-khoa-hoc", "Phòng Quản lý khoa học"),
        ("quan-ly-cong-nghe", "Phòng Quản lý công nghệ và Sở hữu trí tuệ"),
        ("thanh-tra", "Thanh tra Sở"),
        ("chi-cuc-tdc", "Chi cục Tiêu chuẩn Đo lường Chất lượng"),
        ("tt-ung-dung", "Trung tâm Ứng dụng tiến bộ KH&CN"),
        ("tt-thong-tin", "Trung tâm Thông tin và Thống kê KH&CN"),
        (
            "tt-ky-thuat-tdc",
            "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng (phòng Kiểm định - thử nghiệm, VILAS 665)",
        ),
    ],
    LANG_SON: [
        ("van-phong", "Văn phòng Sở"),
        ("quan-ly-khoa-hoc", "Phòng Quản lý khoa học"),
    ],
}

# USERS ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    department: str | None
    unit: str | None = None
    organization: str | None = None  # key of a DemoOrganization, for applicants
    is_staff: bool = False  # may open /admin (with the role's permissions only)


USERS = [
    DemoUser("canbo", "Nguyễn Văn An", Role.OFFICER, BAC_NINH, "quan-ly-khoa-hoc"),
    DemoUser("motcua", "Trần Thị Bình", Role.DESK_OFFICER, BAC_NINH, "mot-cua"),
    DemoUser("lanhdao", "Lê Minh Cường", Role.LEADER, BAC_NINH, "ban-giam-doc"),
    DemoUser("thanhtra", "Phạm Thu Dung", Role.INSPECTOR, BAC_NINH, "thanh-tra"),
    DemoUser("chuyengia", "Đặng Thị Giang", Role.COUNCIL_MEMBER, BAC_NINH),
    DemoUser("doanhnghiep", "Vũ Đức Hải", Role.APPLICANT, None, organization="dien-tu-kinh-bac"),
    DemoUser("quantri", "Ngô Thanh Khoa", Role.ADMINISTRATOR, BAC_NINH, "van-phong", is_staff=True),
    DemoUser("canbo.langson", "Hoàng Văn Lâm", Role.OFFICER, LANG_SON, "quan-ly-khoa-hoc"),
]

# Who records the subjects of each department (services take an actor).
RECORDED_BY = {BAC_NINH: "canbo", BAC_GIANG: "canbo", BAC_NINH_PRE_2025: "canbo", LANG_SON: "canbo.langson"}

# ORGANISATIONS AND PEOPLE -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoContact:
    role: str
    full_name: str
    position: str = ""
    phone: str = ""


@dataclass(frozen=True)
class DemoOrganization:
    key: str
    department: str
    kind: str
    name: str
    units: tuple[UnitRef, ...]
    short_name: str = ""
    tax_code: str = ""
    address_line: str = ""
    phone: str = ""
    email: str = ""
    established_on: date | None = None
    fields: tuple[str, ...] = ()  # S&T field codes (classification node codes)
    note: str = ""
    contacts: tuple[DemoContact, ...] = ()


def _director(name: str, position: str = "Giám đốc") -> DemoContact:
    return DemoContact(ContactRole.LEGAL_REPRESENTATIVE, name, position)


_BG = (province(PRE_2025, "24"),)
_BN = (province(CURRENT, "24"),)
_LS = (province(CURRENT, "20"),)
_FICTITIOUS = "Bản ghi mẫu, không có thật."

ORGANIZATIONS = [
    # The former Bắc Giang department: recorded before 1 July 2025, pre-2025 units.
    DemoOrganization(
        "tt-ung-dung-bg",
        BAC_GIANG,
        OrganizationKind.ST_ORGANIZATION,
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ tỉnh Bắc Giang",
        (*_BG, district("213")),
        short_name="Trung tâm Ứng dụng tiến bộ KH&CN",
        fields=("4", "405"),
        note="Đơn vị sự nghiệp KH&CN trực thuộc Sở (nêu trong Kế hoạch 2021-2025).",
    ),
    DemoOrganization(
        "tt-ky-thuat-tdc-bg",
        BAC_GIANG,
        OrganizationKind.ST_ORGANIZATION,
        "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng tỉnh Bắc Giang",
        (*_BG, district("213")),
        short_name="Trung tâm Kỹ thuật TĐC",
        fields=("2",),
        note="Phòng thử nghiệm VILAS 665 (nêu trong Kế hoạch 2021-2025).",
    ),
    DemoOrganization(
        "htx-vai-thieu",
        BAC_GIANG,
        OrganizationKind.COOPERATIVE,
        "Hợp tác xã Vải thiều Lục Ngạn Xanh" + DEMO_MARK,
        (*_BG, district("219"), commune(PRE_2025, "07531")),
        tax_code=demo_tax_code(1),
        address_line="Thôn Mẫu 1",
        phone="0204 3999 101",
        established_on=date(2016, 3, 15),
        fields=("401",),
        note=_FICTITIOUS + " Được phép sử dụng chỉ dẫn địa lý «Vải thiều Lục Ngạn».",
        contacts=(_director("Nguyễn Văn Phúc", "Giám đốc hợp tác xã"),),
    ),
    DemoOrganization(
        "htx-ga-doi",
        BAC_GIANG,
        OrganizationKind.COOPERATIVE,
        "Hợp tác xã Gà đồi Yên Thế" + DEMO_MARK,
        (*_BG, district("215"), commune(PRE_2025, "07294")),
        tax_code=demo_tax_code(2),
        established_on=date(2014, 9, 1),
        fields=("402",),
        note=_FICTITIOUS + " Thành viên sử dụng nhãn hiệu «Gà đồi Yên Thế».",
        contacts=(_director("Lương Thị Quyên", "Giám đốc hợp tác xã"),),
    ),
    DemoOrganization(
        "htx-che",
        BAC_GIANG,
        OrganizationKind.COOPERATIVE,
        "Hợp tác xã Chè khô Yên Thế" + DEMO_MARK,
        (*_BG, district("215")),
        tax_code=demo_tax_code(3),
        fields=("401",),
        note=_FICTITIOUS + " Được phép sử dụng nhãn hiệu chứng nhận «Chè khô Yên Thế».",
    ),
    DemoOrganization(
        "bv-luc-ngan",
        BAC_GIANG,
        OrganizationKind.HOSPITAL,
        "Bệnh viện Đa khoa Mẫu Lục Ngạn" + DEMO_MARK,
        (*_BG, district("219")),
        tax_code=demo_tax_code(4),
        phone="0204 3999 102",
        fields=("302",),
        note=_FICTITIOUS + " Đang sử dụng hai thiết bị X-quang chẩn đoán.",
        contacts=(
            _director("Trần Quốc Sơn"),
            DemoContact(ContactRole.CONTACT, "Bùi Thị Thảo", "Phụ trách an toàn bức xạ", "0912 000 103"),
        ),
    ),
    DemoOrganization(
        "pk-tan-yen",
        BAC_GIANG,
        OrganizationKind.HOSPITAL,
        "Phòng khám Đa khoa Mẫu Tân Yên" + DEMO_MARK,
        (*_BG, district("216"), commune(PRE_2025, "07306")),
        tax_code=demo_tax_code(5),
        fields=("302",),
        note=_FICTITIOUS,
    ),
    DemoOrganization(
        "cb-nong-san",
        BAC_GIANG,
        OrganizationKind.ENTERPRISE,
        "Công ty TNHH Chế biến Nông sản Mẫu Bắc Giang" + DEMO_MARK,
        (*_BG, district("213"), commune(PRE_2025, "07213")),
        tax_code=demo_tax_code(6),
        address_line="Số 10 đường Mẫu",
        email="lienhe@nongsan-mau.example.vn",
        established_on=date(2012, 5, 20),
        fields=("4",),
        note=_FICTITIOUS + " Tham gia chương trình nâng cao năng suất và chất lượng cho doanh nghiệp nhỏ và vừa.",
        contacts=(_director("Đỗ Văn Tâm"),),
    ),
    DemoOrganization(
        "co-khi-viet-yen",
        BAC_GIANG,
        OrganizationKind.ENTERPRISE,
        "Công ty Cổ phần Cơ khí Chính xác Mẫu Việt Yên" + DEMO_MARK,
        (*_BG, district("222")),
        tax_code=demo_tax_code(7),
        fields=("2",),
        note=_FICTITIOUS,
        contacts=(_director("Phan Minh Quang", "Tổng Giám đốc"),),
    ),
    DemoOrganization(
        "sinh-hoc-hiep-hoa",
        BAC_GIANG,
        OrganizationKind.ENTERPRISE,
        "Công ty TNHH Công nghệ Sinh học Mẫu Hiệp Hòa" + DEMO_MARK,
        (*_BG, district("223"), commune(PRE_2025, "07840")),
        tax_code=demo_tax_code(8),
        established_on=date(2018, 11, 2),
        fields=("405",),
        note=_FICTITIOUS + " Đã được chứng nhận doanh nghiệp KH&CN.",
        contacts=(_director("Nguyễn Thị Yến"),),
    ),
    # The former Bắc Ninh department (pre-2025 province 27).
    DemoOrganization(
        "gom-bac-ninh",
        BAC_NINH_PRE_2025,
        OrganizationKind.ENTERPRISE,
        "Công ty TNHH Gốm Mỹ nghệ Mẫu Kinh Bắc" + DEMO_MARK,
        (province(PRE_2025, "27"), district("256")),
        tax_code=demo_tax_code(9),
        note=_FICTITIOUS,
    ),
    # The merged Bắc Ninh department: recorded after 1 July 2025, current units (no districts).
    DemoOrganization(
        "dien-tu-kinh-bac",
        BAC_NINH,
        OrganizationKind.ENTERPRISE,
        "Công ty Cổ phần Điện tử Mẫu Kinh Bắc" + DEMO_MARK,
        (*_BN, commune(CURRENT, "09187")),
        short_name="Điện tử Mẫu Kinh Bắc",
        tax_code=demo_tax_code(10),
        address_line="Lô A1, khu công nghiệp Mẫu",
        phone="0222 3999 110",
        email="lienhe@dientu-mau.example.vn",
        established_on=date(2020, 1, 6),
        fields=("202",),
        note=_FICTITIOUS + " Tài khoản mẫu «doanhnghiep» đại diện cho tổ chức này.",
        contacts=(_director("Vũ Đức Hải", "Tổng Giám đốc"),),
    ),
    DemoOrganization(
        "xuat-khau-vai",
        BAC_NINH,
        OrganizationKind.ENTERPRISE,
        "Công ty TNHH Xuất khẩu Vải thiều Mẫu Lục Ngạn" + DEMO_MARK,
        (*_BN, commune(CURRENT, "07582")),
        tax_code=demo_tax_code(11),
        fields=("401",),
        note=_FICTITIOUS,
    ),
    DemoOrganization(
        "tt-doi-moi",
        BAC_NINH,
        OrganizationKind.ST_ORGANIZATION,
        "Trung tâm Đổi mới sáng tạo Mẫu Bắc Ninh" + DEMO_MARK,
        (*_BN, commune(CURRENT, "07210")),
        tax_code=demo_tax_code(12),
        fields=("102",),
        note=_FICTITIOUS,
    ),
    # Lạng Sơn: another jurisdiction; its officer sees only these.
    DemoOrganization(
        "htx-hoi",
        LANG_SON,
        OrganizationKind.COOPERATIVE,
        "Hợp tác xã Hồi Mẫu Văn Quan" + DEMO_MARK,
        _LS,
        tax_code=demo_tax_code(13),
        fields=("401",),
        note=_FICTITIOUS,
        contacts=(_director("Vi Văn Mạnh", "Giám đốc hợp tác xã"),),
    ),
    DemoOrganization(
        "na-chi-lang",
        LANG_SON,
        OrganizationKind.ENTERPRISE,
        "Công ty TNHH Na Mẫu Chi Lăng" + DEMO_MARK,
        (*_LS, commune(CURRENT, "05977")),
        tax_code=demo_tax_code(14),
        fields=("401",),
        note=_FICTITIOUS,
    ),
]


@dataclass(frozen=True)
class DemoPerson:
    department: str
    full_name: str
    gender: str
    birth_year: int
    citizen_id: str  # fictitious
    organization: str | None = None
    academic_title: str = AcademicTitle.NONE
    degree: str = Degree.NONE
    position: str = ""
    is_expert: bool = False
    fields: tuple[str, ...] = field(default=())


PEOPLE = [
    DemoPerson(
        BAC_GIANG,
        "Nguyễn Thị Hương",
        Gender.FEMALE,
        1978,
        "024178900001",
        "tt-ung-dung-bg",
        degree=Degree.DOCTOR,
        position="Phó Giám đốc Trung tâm",
        is_expert=True,
        fields=("405",),
    ),
    DemoPerson(
        BAC_GIANG,
        "Trần Văn Minh",
        Gender.MALE,
        1969,
        "024069900002",
        "bv-luc-ngan",
        academic_title=AcademicTitle.ASSOCIATE_PROFESSOR,
        degree=Degree.DOCTOR,
        position="Trưởng khoa Chẩn đoán hình ảnh",
        is_expert=True,
        fields=("302",),
    ),
    DemoPerson(
        BAC_GIANG,
        "Phạm Thị Lan",
        Gender.FEMALE,
        1985,
        "024185900003",
        "sinh-hoc-hiep-hoa",
        degree=Degree.DOCTOR,
        position="Giám đốc kỹ thuật",
        is_expert=True,
        fields=("405", "401"),
    ),
    DemoPerson(
        BAC_GIANG,
        "Lê Văn Hùng",
        Gender.MALE,
        1982,
        "024082900004",
        "co-khi-viet-yen",
        degree=Degree.MASTER,
        position="Trưởng phòng Công nghệ",
        fields=("2",),
    ),
    DemoPerson(
        BAC_GIANG,
        "Hoàng Văn Nam",
        Gender.MALE,
        1975,
        "024075900005",
        "htx-vai-thieu",
        degree=Degree.BACHELOR,
        position="Kỹ sư nông nghiệp",
        fields=("401",),
    ),
    DemoPerson(
        BAC_NINH,
        "Đỗ Minh Tuấn",
        Gender.MALE,
        1980,
        "027080900006",
        "tt-doi-moi",
        degree=Degree.DOCTOR,
        position="Giám đốc",
        is_expert=True,
        fields=("102",),
    ),
    DemoPerson(
        BAC_NINH,
        "Đặng Thị Giang",
        Gender.FEMALE,
        1972,
        "024172900007",
        academic_title=AcademicTitle.ASSOCIATE_PROFESSOR,
        degree=Degree.DOCTOR,
        position="Giảng viên cao cấp",
        is_expert=True,
        fields=("4", "401"),
    ),
    DemoPerson(
        LANG_SON,
        "Vi Thị Hoa",
        Gender.FEMALE,
        1983,
        "020183900008",
        "htx-hoi",
        degree=Degree.MASTER,
        position="Cán bộ kỹ thuật",
        is_expert=True,
        fields=("401",),
    ),
]
