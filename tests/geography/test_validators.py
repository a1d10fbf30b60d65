import pytest
from django.core.exceptions import ValidationError

from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit
from opendost.geography.validators import validate_address_units

pytestmark = pytest.mark.django_db

CURRENT, OLD = CodeSet.CURRENT, CodeSet.PRE_2025


def unit(code_set, level, code):
    return AdminUnit.objects.get(code_set=code_set, level=level, code=code)


def first_commune(code_set, province_code):
    return AdminUnit.objects.filter(code_set=code_set, level=AdminLevel.COMMUNE, province__code=province_code).first()


def errors_of(*args):
    with pytest.raises(ValidationError) as exc:
        validate_address_units(*args)
    return exc.value


def test_valid_addresses_pass():
    new_bac_ninh = unit(CURRENT, AdminLevel.PROVINCE, "24")
    validate_address_units(new_bac_ninh, None, first_commune(CURRENT, "24"))
    validate_address_units(new_bac_ninh)
    validate_address_units(None)
    luc_ngan = unit(OLD, AdminLevel.DISTRICT, "219")
    validate_address_units(unit(OLD, AdminLevel.PROVINCE, "24"), luc_ngan, luc_ngan.children.first())


def test_commune_not_in_the_chosen_province():
    error = errors_of(unit(CURRENT, AdminLevel.PROVINCE, "01"), None, first_commune(CURRENT, "24"))
    assert "is not in Thành phố Hà Nội" in error.message_dict["commune"][0]


def test_district_only_for_pre_2025_units():
    error = errors_of(unit(CURRENT, AdminLevel.PROVINCE, "24"), unit(OLD, AdminLevel.DISTRICT, "219"), None)
    assert "mix the pre-2025 and the current" in error.messages[0]


def test_units_of_different_sets_are_not_mixed():
    error = errors_of(unit(OLD, AdminLevel.PROVINCE, "24"), None, first_commune(CURRENT, "24"))
    assert "same map" in error.messages[0]


def test_commune_without_province():
    error = errors_of(None, None, first_commune(CURRENT, "24"))
    assert error.message_dict["province"] == ["Choose the province of the commune."]


def test_commune_outside_the_chosen_district():
    bac_giang = unit(OLD, AdminLevel.PROVINCE, "24")
    luc_ngan = unit(OLD, AdminLevel.DISTRICT, "219")
    other = AdminUnit.objects.filter(province=bac_giang, level=AdminLevel.COMMUNE).exclude(parent=luc_ngan).first()
    error = errors_of(bac_giang, luc_ngan, other)
    assert "is not in Huyện Lục Ngạn" in error.message_dict["commune"][0]


def test_district_outside_the_province_and_wrong_levels():
    error = errors_of(unit(OLD, AdminLevel.PROVINCE, "01"), unit(OLD, AdminLevel.DISTRICT, "219"), None)
    assert "is not in" in error.message_dict["district"][0]
    error = errors_of(first_commune(CURRENT, "24"), None, None)
    assert "not a unit of this level" in error.message_dict["province"][0]
