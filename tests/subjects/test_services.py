import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from opendost.subjects import services
from opendost.subjects.enums import ContactRole, OrganizationKind
from opendost.subjects.models import Organization, OrganizationContact, Person
from tests.factories import DepartmentFactory
from tests.subjects.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def create_org(actor, department, **kwargs):
    data = {"kind": OrganizationKind.ENTERPRISE, "name": "Công ty TNHH Hòa Bình"} | kwargs
    return services.organization_create(actor=actor, department=department, **data)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# ORGANISATIONS: creation and normalisation --------------------------------------------------------
def test_create_normalises_text_and_folds_the_name(officer, department, units, nodes):
    nfd = unicodedata.normalize("NFD", "  Công ty   Cổ phần  Đường Sông  ")
    organization = create_org(
        officer,
        department,
        name=nfd,
        short_name=" DSC ",
        province=units.bac_ninh,
        commune=units.phuong_bac_giang,
        fields=[nodes.maths],
    )
    organization.refresh_from_db()
    assert organization.name == "Công ty Cổ phần Đường Sông"
    assert unicodedata.is_normalized("NFC", organization.name)
    assert organization.name_folded == "cong ty co phan duong song"
    assert organization.short_name == "DSC"
    assert organization.department == department
    assert list(organization.fields.all()) == [nodes.maths]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0100233488", "0100233488"),
        ("0100 233 488", "0100233488"),
        ("0100233488001", "0100233488-001"),
        ("0100233488 - 001", "0100233488-001"),
    ],
)
def test_create_stores_the_tax_code_as_stdnum_formats_it(officer, department, typed, stored):
    assert create_org(officer, department, tax_code=typed).tax_code == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [("12345", "10 digits"), ("0100233480", "check digit"), ("01002334ab", "10 digits")],
)
def test_create_rejects_a_bad_tax_code(officer, department, typed, message):
    with pytest.raises(ValidationError) as excinfo:
        create_org(officer, department, tax_code=typed)
    assert message in errors_of(excinfo)["tax_code"][0]
    assert not Organization.objects.exists()


def test_create_refuses_a_duplicate_tax_code_naming_the_existing_record(officer, department):
    create_org(officer, department, name="Công ty Một", tax_code="0100233488")
    with pytest.raises(ValidationError) as excinfo:
        create_org(officer, department, name="Công ty Hai", tax_code="0100 233 488")
    message = errors_of(excinfo)["tax_code"][0]
    assert "0100233488" in message and "Công ty Một" in message
    assert Organization.objects.count() == 1


def test_same_tax_code_is_allowed_in_another_department(officer, outsider, department, other_department):
    create_org(officer, department, tax_code="0100233488")
    create_org(outsider, other_department, tax_code="0100233488")
    assert Organization.objects.count() == 2


def test_a_predecessor_departments_record_counts_as_a_duplicate(department, officer):
    predecessor = DepartmentFactory(successor=department)
    OrganizationFactory(department=predecessor, name="Công ty Cũ", tax_code="0100233488")
    with pytest.raises(ValidationError) as excinfo:
        create_org(officer, department, tax_code="0100233488")
    assert "Công ty Cũ" in errors_of(excinfo)["tax_code"][0]


def test_without_tax_code_same_folded_name_and_province_is_a_duplicate(officer, department, units):
    create_org(officer, department, name="Hợp tác xã Hoà Bình", province=units.bac_ninh)
    with pytest.raises(ValidationError) as excinfo:
        create_org(officer, department, name="HOP TAC XA HÒA BÌNH", province=units.bac_ninh)
    message = errors_of(excinfo)["name"][0]
    assert "Hợp tác xã Hoà Bình" in message and units.bac_ninh.name in message


def test_without_tax_code_same_name_without_province_is_a_duplicate(officer, department):
    create_org(officer, department, name="Trường Tiểu học Kim Đồng")
    with pytest.raises(ValidationError) as excinfo:
        create_org(officer, department, name="Truong Tieu hoc Kim Dong")
    assert "Trường Tiểu học Kim Đồng" in errors_of(excinfo)["name"][0]


def test_same_name_in_another_province_or_with_a_tax_code_is_not_a_duplicate(officer, department, units):
    create_org(officer, department, name="Hợp tác xã Hoà Bình", province=units.bac_ninh)
    create_org(officer, department, name="Hợp tác xã Hoà Bình", province=units.ha_noi)
    create_org(officer, department, name="Hợp tác xã Hoà Bình", province=units.bac_ninh, tax_code="0100109106")
    assert Organization.objects.count() == 3


def test_future_establishment_date_is_refused(officer, department):
    with pytest.raises(ValidationError) as excinfo:
        create_org(officer, department, established_on=timezone.localdate() + dt.timedelta(days=1))
    assert "established_on" in errors_of(excinfo)


def test_model_rules_are_reported_per_field_all_at_once(officer, department):
    with pytest.raises(ValidationError) as excinfo:
        create_org(officer, department, name="  ", kind="nonsense", email="not-an-email", tax_code="1")
    assert {"name", "kind", "email", "tax_code"} <= set(errors_of(excinfo))


# ORGANISATIONS: address units -----------------------------------------------------------------------
def test_current_address_with_commune_of_the_province_is_accepted(officer, department, units):
    organization = create_org(officer, department, province=units.bac_ninh, commune=units.phuong_bac_giang)
    assert organization.full_address.endswith("Phường Bắc Giang, " + units.bac_ninh.name)


def test_pre_2025_address_with_district_is_accepted(officer, department, units):
    organization = create_org(
        officer, department, province=units.bac_giang_old, district=units.yen_the_old, commune=units.dong_tien_old
    )
    assert organization.district == units.yen_the_old


def test_commune_of_another_province_is_refused(officer, department, units):
    with pytest.raises(ValidationError) as excinfo:
        create_org(officer, department, province=units.ha_noi, commune=units.phuong_bac_giang)
    assert "commune" in errors_of(excinfo)


def test_commune_of_another_district_is_refused(officer, department, units):
    with pytest.raises(ValidationError) as excinfo:
        create_org(
            officer, department, province=units.bac_giang_old, district=units.yen_the_old, commune=units.tho_xuong_old
        )
    assert "commune" in errors_of(excinfo)


def test_district_with_a_current_province_is_refused(officer, department, units):
    with pytest.raises(ValidationError) as excinfo:
        create_org(officer, department, province=units.bac_ninh, district=units.yen_the_old)
    assert excinfo.value.messages
    assert not Organization.objects.exists()


def test_units_from_both_code_sets_are_refused(officer, department, units):
    with pytest.raises(ValidationError):
        create_org(officer, department, province=units.bac_giang_old, commune=units.phuong_bac_giang)


def test_commune_without_province_is_refused(officer, department, units):
    with pytest.raises(ValidationError) as excinfo:
        create_org(officer, department, commune=units.phuong_bac_giang)
    assert "province" in errors_of(excinfo)


# ORGANISATIONS: permissions -------------------------------------------------------------------------
@pytest.mark.parametrize("role_fixture", ["inspector", "leader", "applicant"])
def test_create_needs_the_add_permission(request, role_fixture, department):
    actor = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        create_org(actor, department)


def test_create_outside_the_jurisdiction_is_denied(outsider, department):
    with pytest.raises(PermissionDenied):
        create_org(outsider, department)
    assert not Organization.objects.exists()


def test_desk_officer_may_create(desk_officer, department):
    assert create_org(desk_officer, department).pk


def test_administrator_may_create_in_any_department(administrator, department):
    assert create_org(administrator, department).department == department


def test_officer_may_create_in_a_predecessor_department(officer, department):
    predecessor = DepartmentFactory(successor=department)
    assert create_org(officer, predecessor).department == predecessor


# ORGANISATIONS: update ------------------------------------------------------------------------------
def test_update_changes_fields_and_refolds_the_name(officer, department, nodes):
    organization = create_org(officer, department, tax_code="0100233488", fields=[nodes.maths])
    updated = services.organization_update(actor=officer, organization=organization, name="Viện Nghiên cứu Đất")
    updated.refresh_from_db()
    assert updated.name_folded == "vien nghien cuu dat"
    assert updated.tax_code == "0100233488"  # unchanged, and not a duplicate of itself
    assert list(updated.fields.all()) == [nodes.maths]


def test_update_rejects_unknown_or_read_only_fields(officer, department):
    organization = create_org(officer, department)
    with pytest.raises(TypeError):
        services.organization_update(actor=officer, organization=organization, department=department)


def test_update_with_an_error_saves_nothing(officer, department, nodes):
    organization = create_org(officer, department, name="Tên Cũ", fields=[nodes.maths])
    with pytest.raises(ValidationError):
        services.organization_update(
            actor=officer, organization=organization, name="Tên Mới", tax_code="123", fields=[nodes.natural]
        )
    organization.refresh_from_db()
    assert organization.name == "Tên Cũ"
    assert list(organization.fields.all()) == [nodes.maths]


def test_update_refuses_another_organisations_tax_code(officer, department):
    create_org(officer, department, name="A", tax_code="0100233488")
    other = create_org(officer, department, name="B", tax_code="0100109106")
    with pytest.raises(ValidationError):
        services.organization_update(actor=officer, organization=other, tax_code="0100233488")


@pytest.mark.parametrize("role_fixture", ["desk_officer", "inspector", "outsider"])
def test_update_needs_change_permission_in_the_jurisdiction(request, role_fixture, officer, department):
    organization = create_org(officer, department)
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=request.getfixturevalue(role_fixture), organization=organization, name="X")


# PEOPLE ---------------------------------------------------------------------------------------------
def test_person_create_normalises_and_cleans_the_citizen_id(officer, department, nodes):
    person = services.person_create(
        actor=officer,
        department=department,
        full_name="  nguyễn   Thị  Hoà ",
        citizen_id="001 234.567 890",
        birth_year=1980,
        fields=[nodes.natural],
    )
    person.refresh_from_db()
    assert person.full_name == "nguyễn Thị Hoà"
    assert person.name_folded == "nguyen thi hoa"
    assert person.citizen_id == "001234567890"
    assert person.citizen_id_masked == "*********890"


@pytest.mark.parametrize("citizen_id", ["12345678901", "1234567890123", "00123456789x"])
def test_person_citizen_id_must_have_12_digits(officer, department, citizen_id):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=officer, department=department, full_name="A", citizen_id=citizen_id)
    assert "12 digits" in errors_of(excinfo)["citizen_id"][0]
    assert not Person.objects.exists()


def test_person_duplicate_citizen_id_names_the_person_with_the_id_masked(officer, department):
    services.person_create(actor=officer, department=department, full_name="Phạm Văn Một", citizen_id="001234567890")
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=officer, department=department, full_name="B", citizen_id="001234567890")
    message = errors_of(excinfo)["citizen_id"][0]
    assert "Phạm Văn Một" in message
    assert "*********890" in message and "001234567890" not in message


@pytest.mark.parametrize("year", [1899, 3000])
def test_person_birth_year_must_be_plausible(officer, department, year):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=officer, department=department, full_name="A", birth_year=year)
    assert "birth_year" in errors_of(excinfo)


def test_person_organisation_must_be_in_the_departments_register(officer, department, other_department):
    foreign = OrganizationFactory(department=other_department)
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=officer, department=department, full_name="A", organization=foreign)
    assert "organization" in errors_of(excinfo)


def test_person_update_keeps_unchanged_fields(officer, department, nodes):
    person = services.person_create(
        actor=officer, department=department, full_name="A", citizen_id="001234567890", fields=[nodes.maths]
    )
    updated = services.person_update(actor=officer, person=person, is_expert=True)
    updated.refresh_from_db()
    assert updated.is_expert and updated.citizen_id == "001234567890"
    assert list(updated.fields.all()) == [nodes.maths]


@pytest.mark.parametrize("role_fixture", ["inspector", "outsider", "applicant"])
def test_person_writes_need_permission_in_the_jurisdiction(request, role_fixture, officer, department):
    actor = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        services.person_create(actor=actor, department=department, full_name="A")
    person = services.person_create(actor=officer, department=department, full_name="B")
    with pytest.raises(PermissionDenied):
        services.person_update(actor=actor, person=person, full_name="C")


# CONTACTS -------------------------------------------------------------------------------------------
def test_contact_with_a_registered_person_fills_in_the_blanks(officer, department):
    organization = create_org(officer, department)
    person = PersonFactory(department=department, full_name="Đỗ Văn Đại", position="Giám đốc", phone="0912")
    contact = services.contact_add(
        actor=officer, organization=organization, role=ContactRole.LEGAL_REPRESENTATIVE, person=person
    )
    assert (contact.full_name, contact.position, contact.phone) == ("Đỗ Văn Đại", "Giám đốc", "0912")


def test_contact_needs_a_name_or_a_person(officer, department):
    organization = create_org(officer, department)
    with pytest.raises(ValidationError) as excinfo:
        services.contact_add(actor=officer, organization=organization, role=ContactRole.CONTACT)
    assert "full_name" in errors_of(excinfo)


def test_contact_person_of_another_department_is_refused(officer, department, other_department):
    organization = create_org(officer, department)
    stranger = PersonFactory(department=other_department)
    with pytest.raises(ValidationError) as excinfo:
        services.contact_add(actor=officer, organization=organization, role=ContactRole.CONTACT, person=stranger)
    assert "person" in errors_of(excinfo)
    assert not OrganizationContact.objects.exists()


def test_contact_same_person_twice_in_one_role_is_refused(officer, department):
    organization = create_org(officer, department)
    person = PersonFactory(department=department)
    services.contact_add(actor=officer, organization=organization, role=ContactRole.CONTACT, person=person)
    with pytest.raises(ValidationError):
        services.contact_add(actor=officer, organization=organization, role=ContactRole.CONTACT, person=person)
    services.contact_add(
        actor=officer, organization=organization, role=ContactRole.LEGAL_REPRESENTATIVE, person=person
    )
    assert organization.contacts.count() == 2


def test_contact_bad_role_is_refused(officer, department):
    organization = create_org(officer, department)
    with pytest.raises(ValidationError) as excinfo:
        services.contact_add(actor=officer, organization=organization, role="boss", full_name="A")
    assert "role" in errors_of(excinfo)


@pytest.mark.parametrize("role_fixture", ["desk_officer", "inspector", "outsider"])
def test_contact_writes_need_change_permission(request, role_fixture, officer, department):
    actor = request.getfixturevalue(role_fixture)
    organization = create_org(officer, department)
    with pytest.raises(PermissionDenied):
        services.contact_add(actor=actor, organization=organization, role=ContactRole.CONTACT, full_name="A")
    contact = services.contact_add(actor=officer, organization=organization, role=ContactRole.CONTACT, full_name="A")
    with pytest.raises(PermissionDenied):
        services.contact_remove(actor=actor, contact=contact)
    services.contact_remove(actor=officer, contact=contact)
    assert not OrganizationContact.objects.exists()
