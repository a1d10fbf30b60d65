"""Importing organisations into the subject register.

Every row goes through `subjects.services.organization_create` / `organization_update`, so the
rules, the messages and the audit trail are those of the form. The natural key is the tax code;
without one, the folded name and the province (the rule the services apply to duplicates). A row
with a tax code that matches no record but whose name and province match a record without a tax
code updates that record (it gains the tax code) instead of registering a second one.

Conventions (docs/adr/0015-excel-import.md): a column missing from the file leaves that field
alone; an empty cell in a present column empties the field; the tax code is never cleared. The
address code set defaults to the current map; when it is blank, a province found only in the
pre-2025 map, or a district (there are none since 1 July 2025), selects the pre-2025 map.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

from opendost.common.text import fold
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.validators import validate_address_units
from opendost.imports import parsers
from opendost.imports.enums import Outcome
from opendost.imports.kit import Column, Counts, ImportSpec, RowInvalid
from opendost.imports.places import PlaceNotFound, Places
from opendost.imports.registry import register
from opendost.subjects import services
from opendost.subjects.enums import OrganizationKind
from opendost.subjects.models import Organization

KIND_LABELS_VI = {
    "Doanh nghiệp": OrganizationKind.ENTERPRISE,
    "Tổ chức KH&CN": OrganizationKind.ST_ORGANIZATION,
    "Tổ chức khoa học và công nghệ": OrganizationKind.ST_ORGANIZATION,
    "Cơ quan nhà nước": OrganizationKind.PUBLIC_AGENCY,
    "Bệnh viện / phòng khám": OrganizationKind.HOSPITAL,
    "Bệnh viện": OrganizationKind.HOSPITAL,
    "Phòng khám": OrganizationKind.HOSPITAL,
    "Hợp tác xã": OrganizationKind.COOPERATIVE,
    "Trường học": OrganizationKind.SCHOOL,
    "Khác": OrganizationKind.OTHER,
}
CODE_SET_LABELS_VI = {
    "Hiện hành": CodeSet.CURRENT,
    "Từ 01/07/2025": CodeSet.CURRENT,
    "Mới": CodeSet.CURRENT,
    "Trước 01/07/2025": CodeSet.PRE_2025,
    "Trước 2025": CodeSet.PRE_2025,
    "Cũ": CodeSet.PRE_2025,
}
PLAIN_FIELDS = (
    "kind",
    "name",
    "short_name",
    "english_name",
    "address_line",
    "phone",
    "email",
    "website",
    "established_on",
    "note",
)
PLACE_FIELDS = ("province", "district", "commune")


def _tax_code(value) -> str:
    """Excel drops the leading zero of a tax code typed as a number: 100233488 is 0100233488."""
    if isinstance(value, int) and not isinstance(value, bool):
        digits = str(value)
        if len(digits) <= 10:
            return digits.zfill(10)
        if len(digits) <= 13:
            digits = digits.zfill(13)
            return f"{digits[:10]}-{digits[10:]}"
    return parsers.text()(value).replace(" ", "")


_tax_code.empty = ""

COLUMNS = [
    Column(
        "kind",
        "Loại hình",
        aliases=("Loại", "Loại tổ chức", gettext_lazy("Kind")),
        required=True,
        parser=parsers.choice(OrganizationKind.choices, aliases=KIND_LABELS_VI),
        help=gettext_lazy("One of the values of the list."),
    ),
    Column(
        "name",
        "Tên tổ chức",
        aliases=("Tên", "Tên đơn vị", "Tên doanh nghiệp", gettext_lazy("Name")),
        required=True,
        max_length=255,
        help=gettext_lazy("The full registered name."),
        width=40,
    ),
    Column("short_name", "Tên viết tắt", aliases=(gettext_lazy("Short name"),), max_length=100),
    Column(
        "english_name",
        "Tên tiếng Anh",
        aliases=("Tên giao dịch quốc tế", gettext_lazy("English name")),
        max_length=255,
    ),
    Column(
        "tax_code",
        "Mã số thuế",
        aliases=("MST", "Mã số doanh nghiệp", "Mã số thuế/Mã số doanh nghiệp", gettext_lazy("Tax / enterprise code")),
        parser=_tax_code,
        help=gettext_lazy("10 digits, or 10 digits, a dash and 3 digits for a branch. Identifies the organisation."),
    ),
    Column(
        "address_line", "Địa chỉ", aliases=("Số nhà, đường", gettext_lazy("Street address")), max_length=255, width=30
    ),
    Column(
        "code_set",
        "Bộ mã địa giới",
        aliases=("Bộ mã",),
        parser=parsers.choice(CodeSet.choices, aliases=CODE_SET_LABELS_VI),
        help=gettext_lazy("Hiện hành (from 1 July 2025, the default) or Trước 01/07/2025 for an older address."),
    ),
    Column(
        "province",
        "Tỉnh/Thành phố",
        aliases=("Tỉnh", "Tỉnh/TP", gettext_lazy("Province / city")),
        help=gettext_lazy("Name or code."),
    ),
    Column(
        "district",
        "Quận/Huyện",
        aliases=("Huyện", gettext_lazy("District")),
        help=gettext_lazy("Only for addresses before 1 July 2025."),
    ),
    Column(
        "commune",
        "Xã/Phường",
        aliases=("Xã", "Phường/Xã", "Xã/Phường/Thị trấn", gettext_lazy("Commune / ward")),
        help=gettext_lazy("Name or code."),
    ),
    Column("phone", "Điện thoại", aliases=("Số điện thoại", "SĐT", gettext_lazy("Phone")), max_length=30),
    Column("email", "Email", aliases=("Thư điện tử", "E-mail", gettext_lazy("Email")), max_length=254),
    Column("website", "Trang web", aliases=("Website", gettext_lazy("Website")), max_length=200),
    Column(
        "established_on",
        "Ngày thành lập",
        aliases=(gettext_lazy("Established on"),),
        parser=parsers.date(),
        help=gettext_lazy("dd/mm/yyyy"),
    ),
    Column("note", "Ghi chú", aliases=(gettext_lazy("Note"),), parser=parsers.text(multiline=True), width=30),
]


def compact_tax_code(value: str) -> str:
    return mst.compact(value) if value else ""


def clean_row(values: dict, context) -> dict:
    errors: dict[str, str] = {}
    if values.get("tax_code"):
        try:
            values["tax_code"] = mst.format(mst.validate(values["tax_code"]))
        except InvalidChecksum:
            errors["tax_code"] = _("This tax code's check digit is wrong: please check the number.")
        except StdnumError:
            errors["tax_code"] = _("A tax code has 10 digits, or 13 for a branch (10 digits, a dash and 3 digits).")
    places = context.cache.setdefault("places", Places())
    if any(values.get(name) for name in PLACE_FIELDS):
        try:
            _resolve_places(values, places)
        except PlaceNotFound as exc:
            errors[exc.field or "province"] = exc.message
        except ValidationError as exc:
            errors.update(exc.update_error_dict({}))
    elif any(name in values for name in PLACE_FIELDS):
        values.update({name: None for name in PLACE_FIELDS if name in values})
    values.pop("code_set", None)
    if errors:
        raise RowInvalid(errors)
    return values


def _resolve_places(values: dict, places: Places) -> None:
    code_set = values.get("code_set") or ""
    province = district = commune = None
    if not code_set:
        code_set = CodeSet.PRE_2025 if values.get("district") else CodeSet.CURRENT
    if values.get("province"):
        try:
            province = places.find(values["province"], code_set=code_set, level=AdminLevel.PROVINCE)
        except PlaceNotFound as exc:
            if values.get("code_set"):
                raise PlaceNotFound(exc.message, "province") from exc
            try:  # a blank code set and a province only the old map has: an old address
                code_set = CodeSet.PRE_2025
                province = places.find(values["province"], code_set=code_set, level=AdminLevel.PROVINCE)
            except PlaceNotFound:
                raise PlaceNotFound(exc.message, "province") from exc
    elif values.get("district") or values.get("commune"):
        raise PlaceNotFound(_("Give the province of the address."), "province")
    if values.get("district"):
        try:
            district = places.find(values["district"], code_set=code_set, level=AdminLevel.DISTRICT, province=province)
        except PlaceNotFound as exc:
            raise PlaceNotFound(exc.message, "district") from exc
    if values.get("commune"):
        try:
            commune = places.find(
                values["commune"], code_set=code_set, level=AdminLevel.COMMUNE, province=province, parent=district
            )
        except PlaceNotFound as exc:
            raise PlaceNotFound(exc.message, "commune") from exc
    validate_address_units(province, district, commune)
    for name, unit in zip(PLACE_FIELDS, (province, district, commune), strict=True):
        if name in values or unit is not None:
            values[name] = unit


def natural_key(values: dict) -> tuple | None:
    if values.get("tax_code"):
        return ("tax", compact_tax_code(values["tax_code"]))
    province = values.get("province")
    return ("name", values.get("name") or "", province.pk if province else None)


def prepare(rows, context) -> None:
    """One query for the keys of every record the department holds."""
    by_tax, by_name = {}, {}
    held = Organization.objects.filter(department_id__in=context.department.jurisdiction_ids())
    for pk, tax_code, name_folded, province_id in held.values_list("pk", "tax_code", "name_folded", "province_id"):
        if tax_code:
            by_tax[compact_tax_code(tax_code)] = pk
        by_name.setdefault((name_folded, province_id, bool(tax_code)), pk)
    context.cache.update(by_tax=by_tax, by_name=by_name)


def _existing_pk(row, context) -> int | None:
    values = row.values
    province_id = values["province"].pk if values.get("province") else None
    name_key = row.key[1] if row.key[0] == "name" else None
    if row.key[0] == "tax":
        pk = context.cache["by_tax"].get(row.key[1])
        if pk is not None:
            return pk
        name_key = fold(values.get("name"))
        return context.cache["by_name"].get((name_key, province_id, False))
    return context.cache["by_name"].get((name_key, province_id, False)) or context.cache["by_name"].get(
        (name_key, province_id, True)
    )


def organization_row(row, context) -> str:
    values = {name: value for name, value in row.values.items() if name in (*PLAIN_FIELDS, *PLACE_FIELDS, "tax_code")}
    pk = _existing_pk(row, context)
    if pk is None:
        organization = services.organization_create(actor=context.actor, department=context.department, **values)
        context.cache["by_tax"].setdefault(compact_tax_code(organization.tax_code), organization.pk)
        return Outcome.CREATED
    organization = Organization.objects.get(pk=pk)
    if not values.get("tax_code"):
        values.pop("tax_code", None)  # an import never clears the tax code
    changes = {}
    for name, value in values.items():
        current = getattr(organization, f"{name}_id" if name in PLACE_FIELDS else name)
        new = value.pk if name in PLACE_FIELDS and value is not None else value
        if current != new:
            changes[name] = value
    if not changes:
        return Outcome.UNCHANGED
    services.organization_update(actor=context.actor, organization=organization, **changes)
    return Outcome.UPDATED


BULK_BATCH = 2000


def organization_bulk(rows, context) -> tuple[Counts, list]:
    """The bulk path (`import_file(bulk=True)`, the `import_file --bulk` command, the benchmark):
    every row is validated like the services validate it (model field checks, the date rule; the
    kit already checked tax codes, address units and keys), then new records are inserted with
    bulk_create and changed ones saved with bulk_update, in the caller's transaction. The audit log
    gets one event for the run instead of one per record (docs/adr/0015-excel-import.md)."""
    from django.utils import timezone

    from opendost.common.text import normalize

    counts, issues, new, changed, fields_changed = Counts(), [], [], [], set()
    existing = _load_existing([_existing_pk(row, context) for row in rows])
    today = timezone.localdate()
    for row in rows:
        values = {k: v for k, v in row.values.items() if k in (*PLAIN_FIELDS, *PLACE_FIELDS, "tax_code")}
        pk = _existing_pk(row, context)
        organization = existing.get(pk) if pk else Organization(department=context.department)
        if pk and not values.get("tax_code"):
            values.pop("tax_code", None)
        changes = {}
        for name, value in values.items():
            current = getattr(organization, f"{name}_id" if name in PLACE_FIELDS else name)
            new_value = value.pk if name in PLACE_FIELDS and value is not None else value
            if pk is None or current != new_value:
                changes[name] = value
        if pk and not changes:
            counts.add(Outcome.UNCHANGED)
            continue
        for name, value in changes.items():
            setattr(organization, name, value)
        organization.name = normalize(organization.name)
        organization.name_folded = fold(organization.name)
        errors: dict[str, list] = {}
        if organization.established_on and organization.established_on > today:
            errors["established_on"] = [_("The date of establishment cannot be in the future.")]
        try:
            organization.full_clean(
                # the address units were just read from the database: no query per row to re-check them
                exclude=[*errors, "department", "name_folded", "public_id", *PLACE_FIELDS],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            issues.append((row, errors))
            continue
        if pk:
            changed.append(organization)
            fields_changed.update(changes)
            counts.add(Outcome.UPDATED)
        else:
            new.append(organization)
            counts.add(Outcome.CREATED)
    if not issues:
        Organization.objects.bulk_create(new, batch_size=BULK_BATCH)
        if changed:
            now = timezone.now()
            for organization in changed:
                organization.updated_at = now
                organization.version += 1
            update = [f"{n}_id" if n in PLACE_FIELDS else n for n in fields_changed]
            Organization.objects.bulk_update(
                changed,
                [*{n.removesuffix("_id") for n in update}, "name_folded", "updated_at", "version"],
                batch_size=BULK_BATCH,
            )
    return counts, issues


def _load_existing(pks: list) -> dict:
    pks = [pk for pk in pks if pk]
    found = {}
    for start in range(0, len(pks), BULK_BATCH):
        found.update(Organization.objects.select_for_update().in_bulk(pks[start : start + BULK_BATCH]))
    return found


SPEC = register(
    ImportSpec(
        name="subjects.organizations",
        title=gettext_lazy("Organisations"),
        columns=COLUMNS,
        natural_key=natural_key,
        row_handler=organization_row,
        clean_row=clean_row,
        prepare=prepare,
        permissions=("subjects.add_organization", "subjects.change_organization"),
        list_url="subjects:organization_list",
        bulk_handler=organization_bulk,
    )
)
