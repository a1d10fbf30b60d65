"""Factories of the subject register, and the few administrative units its tests need.

`address_units()` uses get_or_create on (code_set, level, code) with the real GSO codes, so it
returns the rows loaded by geography's data migration when they are there and makes them otherwise.
"""

from types import SimpleNamespace

import factory

from opendost.classifications.models import ClassificationNode, ClassificationScheme
from opendost.common.text import fold
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit
from opendost.search.services import search_index
from opendost.subjects.enums import ContactRole, OrganizationKind
from opendost.subjects.models import Organization, OrganizationContact, Person
from tests.factories import DepartmentFactory

# Valid tax codes (python-stdnum checks the check digit).
TAX_CODES = ["0100233488", "0100109106", "0100112437", "0300588569", "0302035520", "0312687878"]


def _unit(code_set, level, code, name, parent=None, province=None) -> AdminUnit:
    unit, _ = AdminUnit.objects.get_or_create(
        code_set=code_set,
        level=level,
        code=code,
        defaults={
            "name": name,
            "division_type": "",
            "codename": fold(name).replace(" ", "_"),
            "name_folded": fold(name),
            "parent": parent,
            "province": province,
        },
    )
    return unit


def address_units() -> SimpleNamespace:
    """Bắc Ninh and Hà Nội (current set), Bắc Giang and Hà Nội before 1 July 2025."""
    new, old = CodeSet.CURRENT, CodeSet.PRE_2025
    P, D, C = AdminLevel.PROVINCE, AdminLevel.DISTRICT, AdminLevel.COMMUNE
    bac_ninh = _unit(new, P, "24", "Tỉnh Bắc Ninh")
    ha_noi = _unit(new, P, "01", "Thành phố Hà Nội")
    bac_giang_old = _unit(old, P, "24", "Tỉnh Bắc Giang")
    ha_noi_old = _unit(old, P, "01", "Thành phố Hà Nội")
    tp_bac_giang_old = _unit(old, D, "213", "Thành phố Bắc Giang", bac_giang_old, bac_giang_old)
    yen_the_old = _unit(old, D, "215", "Huyện Yên Thế", bac_giang_old, bac_giang_old)
    return SimpleNamespace(
        bac_ninh=bac_ninh,
        ha_noi=ha_noi,
        phuong_bac_giang=_unit(new, C, "07210", "Phường Bắc Giang", bac_ninh, bac_ninh),
        phuong_ba_dinh=_unit(new, C, "00004", "Phường Ba Đình", ha_noi, ha_noi),
        bac_giang_old=bac_giang_old,
        ha_noi_old=ha_noi_old,
        tp_bac_giang_old=tp_bac_giang_old,
        yen_the_old=yen_the_old,
        tho_xuong_old=_unit(old, C, "07201", "Phường Thọ Xương", tp_bac_giang_old, bac_giang_old),
        dong_tien_old=_unit(old, C, "07243", "Xã Đồng Tiến", yen_the_old, bac_giang_old),
    )


def field_nodes() -> SimpleNamespace:
    scheme, _ = ClassificationScheme.objects.get_or_create(
        code="TEST-FIELDS", defaults={"name": "Test fields", "legal_basis": "tests"}
    )
    natural, _ = ClassificationNode.objects.get_or_create(
        scheme=scheme, code="T1", defaults={"name": "Khoa học tự nhiên", "level": 1}
    )
    maths, _ = ClassificationNode.objects.get_or_create(
        scheme=scheme, code="T101", defaults={"name": "Toán học", "level": 2, "parent": natural}
    )
    engineering, _ = ClassificationNode.objects.get_or_create(
        scheme=scheme, code="T2", defaults={"name": "Khoa học kỹ thuật và công nghệ", "level": 1}
    )
    return SimpleNamespace(natural=natural, maths=maths, engineering=engineering)


class OrganizationFactory(factory.django.DjangoModelFactory):
    """Rows made directly (not through services) for tests that need data, not rules."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    kind = OrganizationKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"Công ty Cổ phần Thử nghiệm số {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))
    tax_code = ""

    @factory.post_generation
    def search_document(obj, create, extracted, **kwargs):
        """Rows made here skip the services, so index them as the services do (opendost.search)."""
        if create:
            search_index(obj)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    full_name = factory.Sequence(lambda n: f"Trần Thị Thử {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.full_name))
    citizen_id = factory.Sequence(lambda n: f"0012{n:08d}")

    @factory.post_generation
    def search_document(obj, create, extracted, **kwargs):
        """Rows made here skip the services, so index them as the services do (opendost.search)."""
        if create:
            search_index(obj)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationContact
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    role = ContactRole.LEGAL_REPRESENTATIVE
    full_name = factory.Sequence(lambda n: f"Lê Văn Đại Diện {n}")

    @factory.post_generation
    def search_document(obj, create, extracted, **kwargs):
        """Rows made here skip the services, so index them as the services do (opendost.search)."""
        if create:
            search_index(obj.organization)
