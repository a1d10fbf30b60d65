import io
import unicodedata

import pytest

from opendost.accounts.roles import Role
from opendost.imports import services
from opendost.imports.enums import ImportStatus
from opendost.imports.organizations import SPEC
from opendost.subjects.enums import OrganizationKind
from opendost.subjects.models import Organization
from tests.factories import DepartmentFactory, UserFactory
from tests.imports.helpers import xlsx
from tests.subjects.factories import TAX_CODES, address_units

pytestmark = pytest.mark.django_db
HEADER = ["Loại hình", "Tên tổ chức", "Mã số thuế", "Địa chỉ", "Tỉnh/Thành phố", "Quận/Huyện", "Xã/Phường", "Email"]


@pytest.fixture
def officer():
    return UserFactory(role=Role.OFFICER, department=DepartmentFactory())


@pytest.fixture
def units(db):
    return address_units()


def run(user, path, **kwargs):
    return services.import_file(
        actor=user, spec=SPEC, file=path, file_name=path.name, department=user.department, **kwargs
    )


def test_organisations_are_registered_through_the_services(officer, units, tmp_path):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            [
                "Doanh nghiệp",
                "Công ty Cổ phần Ánh Dương",
                TAX_CODES[0],
                "12 Lý Thái Tổ",
                "Bắc Ninh",
                "",
                "Phường Bắc Giang",
            ],
            ["Tổ chức KH&CN", "Viện Nghiên cứu Hoà Bình", "", "", "Hà Nội", "", "Ba Đình"],
            ["bệnh viện", "Bệnh viện Đa khoa", int(TAX_CODES[1]), "", "Tỉnh Bắc Giang", "TP Bắc Giang", "Thọ Xương"],
        ],
    )
    result = run(officer, path)
    assert (result.status, result.created) == (ImportStatus.SUCCEEDED, 3), result.error_sample
    first = Organization.objects.get(tax_code=TAX_CODES[0])
    assert (first.kind, first.province, first.commune) == (
        OrganizationKind.ENTERPRISE,
        units.bac_ninh,
        units.phuong_bac_giang,
    )
    assert first.department == officer.department
    second = Organization.objects.get(name="Viện Nghiên cứu Hoà Bình")
    assert (second.province, second.commune) == (units.ha_noi, units.phuong_ba_dinh)
    third = Organization.objects.get(tax_code=TAX_CODES[1])  # the leading zero Excel dropped is back
    assert (third.province, third.district, third.commune) == (
        units.bac_giang_old,
        units.tp_bac_giang_old,
        units.tho_xuong_old,
    )


def test_second_import_changes_nothing_and_edits_update(officer, units, tmp_path):
    rows = [HEADER, ["Doanh nghiệp", "Công ty A", TAX_CODES[0]], ["Doanh nghiệp", "Công ty B", "", "", "Bắc Ninh"]]
    run(officer, xlsx(tmp_path, rows))
    again = run(officer, xlsx(tmp_path, rows), allow_repeat=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    nfd = unicodedata.normalize("NFD", "CÔNG TY B")
    edited = [
        HEADER,
        ["Doanh nghiệp", "Công ty B", "", "", "Bắc Ninh", "", "", "b@example.vn"],
        ["Doanh nghiệp", "Công ty A mới", TAX_CODES[0]],
    ]
    result = run(officer, xlsx(tmp_path, edited, name="b.xlsx"))
    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    assert Organization.objects.get(tax_code=TAX_CODES[0]).name == "Công ty A mới"
    assert Organization.objects.get(name="Công ty B").email == "b@example.vn"
    third = run(
        officer,
        xlsx(tmp_path, [HEADER, ["Doanh nghiệp", nfd, "", "", "bac ninh", "", "", "b@example.vn"]], name="c.xlsx"),
    )
    assert (third.created, third.updated, third.unchanged) == (0, 1, 0)  # same key; the name's spelling changes
    assert Organization.objects.count() == 2


def test_a_tax_code_is_never_cleared_and_a_name_match_gains_one(officer, units, tmp_path):
    run(officer, xlsx(tmp_path, [HEADER, ["Doanh nghiệp", "Công ty C", "", "", "Bắc Ninh"]]))
    result = run(
        officer, xlsx(tmp_path, [HEADER, ["Doanh nghiệp", "Công ty C", TAX_CODES[2], "", "Bắc Ninh"]], name="b.xlsx")
    )
    assert (result.created, result.updated) == (0, 1)
    result = run(
        officer,
        xlsx(tmp_path, [HEADER, ["Doanh nghiệp", "Công ty C", "", "", "Bắc Ninh"]], name="c.xlsx"),
        allow_repeat=True,
    )
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert Organization.objects.get().tax_code == TAX_CODES[2]


def test_errors_from_the_kit_and_from_the_services_are_all_reported(officer, units, tmp_path):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            ["Hãng", "Công ty D", "0100233489"],
            ["Doanh nghiệp", "Công ty D2", "0100233489"],
            ["Doanh nghiệp", "Công ty E", "", "", "Tỉnh Không Có"],
            ["Doanh nghiệp", "Công ty F", "", "", "Hà Nội", "", "Thọ Xương"],
            ["Doanh nghiệp", "Công ty G", "", "", "", "", "", "not-an-email"],
            ["Doanh nghiệp", "Công ty H", TAX_CODES[3]],
        ],
    )
    result = run(officer, path)
    assert result.status == ImportStatus.INVALID
    found = {(e["row"], e["column"]) for e in result.error_sample}
    # a row's cross-column checks run once its cells parse: row 2 reports its kind only
    assert found == {(2, "Loại hình"), (3, "Mã số thuế"), (4, "Tỉnh/Thành phố"), (5, "Xã/Phường")}
    assert not Organization.objects.exists()
    fixed = xlsx(tmp_path, [HEADER, ["Doanh nghiệp", "Công ty G", "", "", "", "", "", "not-an-email"]], name="g.xlsx")
    result = run(officer, fixed)
    assert [(e["row"], e["column"]) for e in result.error_sample] == [(2, "Email")]  # from the service


def test_a_duplicate_of_another_departments_record_is_not_matched(officer, units, tmp_path):
    other = UserFactory(role=Role.OFFICER, department=DepartmentFactory())
    run(other, xlsx(tmp_path, [HEADER, ["Doanh nghiệp", "Công ty A", TAX_CODES[0]]]))
    result = run(officer, xlsx(tmp_path, [HEADER, ["Doanh nghiệp", "Công ty A", TAX_CODES[0]]]))
    assert result.created == 1
    assert Organization.objects.filter(tax_code=TAX_CODES[0]).count() == 2


def test_import_needs_add_and_change_permissions(units, tmp_path):
    from django.core.exceptions import PermissionDenied

    desk = UserFactory(role=Role.DESK_OFFICER)  # may add but not change organisations
    with pytest.raises(PermissionDenied):
        run(desk, xlsx(tmp_path, [HEADER, ["Doanh nghiệp", "Công ty A"]]))


def _snapshot(department):
    fields = (
        "kind",
        "name",
        "short_name",
        "tax_code",
        "address_line",
        "province_id",
        "commune_id",
        "email",
        "name_folded",
    )
    return sorted(Organization.objects.filter(department=department).values_list(*fields))


def test_the_bulk_path_gives_the_same_records_as_the_services(units, tmp_path):
    rows = [
        HEADER,
        ["Doanh nghiệp", "Công ty  Ánh Dương", TAX_CODES[0], "12 Lý Thái Tổ", "Bắc Ninh", "", "Phường Bắc Giang"],
        ["Trường học", "Trường Hoà Bình", "", "", "Hà Nội", "", "", "a@example.vn"],
    ]
    path = xlsx(tmp_path, rows)
    by_service, by_bulk = (UserFactory(role=Role.OFFICER, department=DepartmentFactory()) for _ in range(2))
    assert run(by_service, path).created == 2
    result = run(by_bulk, path, bulk=True)
    assert (result.status, result.created) == (ImportStatus.SUCCEEDED, 2)
    normalised = [row[:-1] for row in _snapshot(by_service.department)]
    assert normalised == [row[:-1] for row in _snapshot(by_bulk.department)]
    again = run(by_bulk, path, bulk=True, allow_repeat=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    edited = xlsx(tmp_path, [rows[0], rows[1], [*rows[2][:7], "b@example.vn"]], name="b.xlsx")
    edited_run = run(by_bulk, edited, bulk=True)
    assert (edited_run.created, edited_run.updated, edited_run.unchanged) == (0, 1, 1)
    changed = Organization.objects.get(department=by_bulk.department, name="Trường Hoà Bình")
    assert changed.email == "b@example.vn" and changed.version == 2


def test_the_bulk_path_validates_every_row_and_writes_nothing_on_error(officer, units, tmp_path):
    path = xlsx(
        tmp_path, [HEADER, ["Doanh nghiệp", "Công ty A"], ["Doanh nghiệp", "Công ty B", "", "", "", "", "", "x@"]]
    )
    result = run(officer, path, bulk=True)
    assert result.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in result.error_sample] == [(3, "Email")]
    assert not Organization.objects.exists()


def test_the_bulk_path_writes_one_audit_event_for_the_run(officer, units, tmp_path):
    from opendost.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    run(officer, xlsx(tmp_path, [HEADER, ["Doanh nghiệp", "Công ty A"], ["Doanh nghiệp", "Công ty B"]]), bulk=True)
    assert AuditEvent.objects.count() == before + 1


def test_the_command_imports_a_file(officer, units, tmp_path):
    from django.core.management import call_command

    path = xlsx(tmp_path, [HEADER, ["Doanh nghiệp", "Công ty A", TAX_CODES[0]]])
    out = io.StringIO()
    call_command("import_file", SPEC.name, str(path), "--user", officer.username, stdout=out)
    assert "1 created" in out.getvalue()
    assert Organization.objects.get().tax_code == TAX_CODES[0]
