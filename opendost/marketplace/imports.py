"""Importing the listings of the old technology exchange (sàn giao dịch công nghệ cũ) from Excel.

Every row goes through `services.listing_import`, so the rules, the audit trail and the status
moves are those of the services: a listing is recorded with source "import" and published, or
expired when its validity ended before today. The owner must already be in the subject register
(by tax code or exact name, ignoring diacritics). All rows are checked and reported; nothing is
imported unless every row is valid. A row already imported (same kind, title and owner) is left
unchanged, so the same file can be imported again.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opendost.classifications.models import ClassificationNode
from opendost.common.text import fold
from opendost.imports import parsers
from opendost.imports.enums import Outcome
from opendost.imports.kit import Column, ImportSpec, RowInvalid
from opendost.imports.registry import register
from opendost.marketplace import services
from opendost.marketplace.enums import EquipmentMode, IpStatus, ListingKind, ListingSource, ServiceType, TransferMode
from opendost.marketplace.models import Listing
from opendost.subjects.models import Organization

KIND_VI = {
    "Chào bán công nghệ": ListingKind.OFFER,
    "Công nghệ chào bán": ListingKind.OFFER,
    "Cung": ListingKind.OFFER,
    "Nhu cầu công nghệ": ListingKind.NEED,
    "Cầu": ListingKind.NEED,
    "Thiết bị": ListingKind.EQUIPMENT,
    "Dịch vụ KH&CN": ListingKind.SERVICE,
    "Dịch vụ": ListingKind.SERVICE,
}
IP_VI = {
    "Sáng chế": IpStatus.PATENT,
    "Bằng độc quyền sáng chế": IpStatus.PATENT,
    "Giải pháp hữu ích": IpStatus.UTILITY_SOLUTION,
    "Kiểu dáng công nghiệp": IpStatus.DESIGN,
    "Giống cây trồng": IpStatus.PLANT_VARIETY,
    "Bí quyết kỹ thuật": IpStatus.KNOW_HOW,
    "Bí quyết": IpStatus.KNOW_HOW,
    "Đã nộp đơn": IpStatus.APPLIED,
    "Chưa bảo hộ": IpStatus.NONE,
}
TRANSFER_VI = {
    "li-xăng": TransferMode.LICENCE,
    "lixang": TransferMode.LICENCE,
    "cấp phép": TransferMode.LICENCE,
    "chuyển nhượng": TransferMode.SALE,
    "bán": TransferMode.SALE,
    "liên doanh": TransferMode.JOINT_VENTURE,
    "góp vốn": TransferMode.JOINT_VENTURE,
    "tư vấn": TransferMode.CONSULTING,
    "đào tạo": TransferMode.CONSULTING,
    "chìa khóa trao tay": TransferMode.TURNKEY,
}
EQUIPMENT_VI = {"Bán": EquipmentMode.SALE, "Cho thuê": EquipmentMode.LEASE, "Dùng chung": EquipmentMode.SHARED_USE}
SERVICE_VI = {
    "Tư vấn": ServiceType.CONSULTING,
    "Định giá": ServiceType.VALUATION,
    "Môi giới": ServiceType.BROKERAGE,
    "Thử nghiệm": ServiceType.TESTING,
    "Phân tích": ServiceType.TESTING,
    "Khác": ServiceType.OTHER,
}


def _amount():
    return parsers.integer(min_value=0)


COLUMNS = [
    Column(
        "kind",
        "Loại tin",
        aliases=("Loại", gettext_lazy("Kind")),
        required=True,
        parser=parsers.choice(ListingKind.choices, aliases=KIND_VI),
    ),
    Column(
        "title", "Tiêu đề", aliases=("Tên công nghệ", gettext_lazy("Title")), required=True, max_length=300, width=50
    ),
    Column(
        "summary",
        "Mô tả",
        aliases=("Mô tả tóm tắt", "Tóm tắt", gettext_lazy("Summary")),
        required=True,
        parser=parsers.text(multiline=True),
        help=gettext_lazy("For a need: the problem to solve."),
        width=60,
    ),
    Column("keywords", "Từ khóa", aliases=("Từ khoá", gettext_lazy("Keywords")), max_length=500),
    Column(
        "field",
        "Lĩnh vực",
        aliases=("Mã lĩnh vực", gettext_lazy("S&T field")),
        help=gettext_lazy("The code of the S&T field, e.g. 401."),
    ),
    Column("sector", "Ngành", aliases=(gettext_lazy("Sector"),), max_length=200),
    Column(
        "owner",
        "Chủ sở hữu",
        aliases=("Đơn vị sở hữu", "Tổ chức", gettext_lazy("Owner")),
        required=True,
        help=gettext_lazy("The tax code or the exact name of an organisation of the register."),
        width=40,
    ),
    Column(
        "readiness_level",
        "Mức độ sẵn sàng (TRL)",
        aliases=("TRL", gettext_lazy("Technology readiness level")),
        parser=parsers.integer(min_value=1, max_value=9),
        help=gettext_lazy("Offers: 1 to 9."),
    ),
    Column(
        "ip_status",
        "Tình trạng SHTT",
        aliases=("Sở hữu trí tuệ", gettext_lazy("IP status")),
        parser=parsers.choice(IpStatus.choices, aliases=IP_VI),
    ),
    Column(
        "transfer_modes",
        "Phương thức chuyển giao",
        aliases=(gettext_lazy("Transfer modes"),),
        help=gettext_lazy("Offers: one or more of Li-xăng; Chuyển nhượng; Liên doanh; Tư vấn; Chìa khóa trao tay."),
        width=30,
    ),
    Column(
        "price_vnd", "Giá tham khảo (đồng)", aliases=("Giá", gettext_lazy("Indicative price (VND)")), parser=_amount()
    ),
    Column("price_negotiable", "Giá thỏa thuận", aliases=("Giá thoả thuận", "Thỏa thuận"), parser=parsers.boolean()),
    Column(
        "equipment_mode",
        "Hình thức cung cấp thiết bị",
        aliases=(gettext_lazy("Equipment offered"),),
        parser=parsers.choice(EquipmentMode.choices, aliases=EQUIPMENT_VI),
    ),
    Column(
        "service_type",
        "Loại dịch vụ",
        aliases=(gettext_lazy("Service"),),
        parser=parsers.choice(ServiceType.choices, aliases=SERVICE_VI),
    ),
    Column(
        "expected_result",
        "Kết quả mong đợi",
        aliases=(gettext_lazy("Expected result"),),
        parser=parsers.text(multiline=True),
    ),
    Column("budget_min_vnd", "Kinh phí từ (đồng)", aliases=(gettext_lazy("Budget from (VND)"),), parser=_amount()),
    Column("budget_max_vnd", "Kinh phí đến (đồng)", aliases=(gettext_lazy("Budget up to (VND)"),), parser=_amount()),
    Column("needed_by", "Thời hạn cần", aliases=(gettext_lazy("Needed by"),), parser=parsers.date()),
    Column("contact_name", "Người liên hệ", aliases=(gettext_lazy("Contact name"),), max_length=150),
    Column("contact_email", "Email liên hệ", aliases=("Email", gettext_lazy("Contact email")), max_length=254),
    Column("contact_phone", "Điện thoại", aliases=(gettext_lazy("Contact phone"),), max_length=30),
    Column("location_text", "Địa điểm", aliases=(gettext_lazy("Location (as written)"),), max_length=255),
    Column("valid_from", "Ngày đăng", aliases=(gettext_lazy("Valid from"),), parser=parsers.date()),
    Column(
        "valid_until",
        "Hiệu lực đến",
        aliases=("Hết hạn", gettext_lazy("Valid until")),
        required=True,
        parser=parsers.date(),
    ),
]


def _owner(text: str, context):
    cache = context.cache.setdefault("owners", {})
    if not cache:
        held = Organization.objects.filter(department_id__in=context.department.jurisdiction_ids())
        for org in held:
            cache.setdefault(fold(org.name), org)
            if org.tax_code:
                cache.setdefault(org.tax_code.replace("-", ""), org)
    return cache.get(text.replace("-", "").replace(" ", "")) or cache.get(fold(text))


def _field(code: str, context):
    nodes = context.cache.setdefault("fields", {})
    if not nodes:
        for node in ClassificationNode.objects.order_by("scheme__effective_from", "scheme_id"):
            nodes[node.code] = node  # the newest scheme that has the code wins
    return nodes.get(code.strip())


def _transfer_modes(text: str) -> tuple[list[str], list[str]]:
    table = {fold(label): value for label, value in TRANSFER_VI.items()}
    table.update({fold(value): value for value in TransferMode.values})
    table.update({fold(str(label)): value for value, label in TransferMode.choices})
    modes, unknown = [], []
    for part in text.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        found = table.get(fold(part))
        if found is None:
            unknown.append(part)
        elif found not in modes:
            modes.append(found)
    return modes, unknown


def clean_row(values: dict, context) -> dict:
    errors = {}
    owner = _owner(values.get("owner") or "", context)
    if owner is None:
        errors["owner"] = _("This organisation is not in the register: register it first, then import again.")
    values["owner"] = owner
    if values.get("field"):
        node = _field(values["field"], context)
        if node is None:
            errors["field"] = _("Unknown S&T field code.")
        values["field"] = node
    else:
        values["field"] = None
    modes, unknown = _transfer_modes(values.get("transfer_modes") or "")
    if unknown:
        errors["transfer_modes"] = _("Unknown transfer mode: %(modes)s. Use: %(choices)s.") % {
            "modes": "; ".join(unknown),
            "choices": "Li-xăng; Chuyển nhượng; Liên doanh; Tư vấn; Chìa khóa trao tay",
        }
    values["transfer_modes"] = modes
    if not errors:
        errors = _rule_errors(values, context)
    if errors:
        raise RowInvalid(errors)
    return values


def _rule_errors(values: dict, context) -> dict:
    """The services' rules, checked in the first pass so that every bad row is reported at once."""
    fields = {key: value for key, value in values.items() if key in services.LISTING_FIELDS}
    listing = Listing(department=context.department, kind=values.get("kind"), source=ListingSource.IMPORT, **fields)
    listing.owner_organization = values.get("owner")
    errors = services.listing_errors(listing)
    if "owner_organization" in errors:
        errors["owner"] = errors.pop("owner_organization")
    return errors


def listing_row(row, context) -> str:
    values = dict(row.values)
    owner = values.pop("owner")
    kind = values.pop("kind")
    if services.listing_import_exists(
        department=context.department, kind=kind, title=values["title"], owner_organization=owner
    ):
        return Outcome.UNCHANGED
    fields = {key: value for key, value in values.items() if key in services.LISTING_FIELDS}
    services.listing_import(
        actor=context.actor, department=context.department, kind=kind, owner_organization=owner, **fields
    )
    return Outcome.CREATED


SPEC = ImportSpec(
    name="marketplace.listings",
    title=gettext_lazy("Technology exchange listings (old exchange)"),
    columns=COLUMNS,
    natural_key=lambda values: (values.get("kind"), values.get("title"), values.get("owner")),
    row_handler=listing_row,
    clean_row=clean_row,
    permissions=("marketplace.add_listing", "marketplace.moderate_listing"),
    field_columns={"owner_organization": "owner"},
    list_url="marketplace:listing_list",
)


def register_spec() -> None:
    register(SPEC)
