import pytest

from opendost.geography import selectors
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit

pytestmark = pytest.mark.django_db

CURRENT, OLD = CodeSet.CURRENT, CodeSet.PRE_2025


def unit(code_set, level, code):
    return AdminUnit.objects.get(code_set=code_set, level=level, code=code)


def test_bac_giang_and_bac_ninh_both_roll_up_to_the_new_bac_ninh():
    new_bac_ninh = unit(CURRENT, AdminLevel.PROVINCE, "24")
    for old_code in ("24", "27"):
        old = unit(OLD, AdminLevel.PROVINCE, old_code)
        assert list(selectors.current_units_for(old)) == [new_bac_ninh]
        assert list(selectors.current_provinces_for(old)) == [new_bac_ninh]


def test_luc_ngan_communes_roll_up_to_current_communes_of_bac_ninh():
    luc_ngan = unit(OLD, AdminLevel.DISTRICT, "219")
    new_bac_ninh = unit(CURRENT, AdminLevel.PROVINCE, "24")
    current = list(selectors.current_units_for(luc_ngan))
    assert len(current) >= 5
    assert {u.level for u in current} == {AdminLevel.COMMUNE}
    assert {u.province_id for u in current} == {new_bac_ninh.pk}
    assert list(selectors.current_provinces_for(luc_ngan)) == [new_bac_ninh]
    for old_commune in luc_ngan.children.all():
        rolled = selectors.current_units_for(old_commune)
        assert rolled.exists()
        assert all(u.province_id == new_bac_ninh.pk for u in rolled)


def test_a_current_unit_rolls_up_to_itself():
    commune = AdminUnit.objects.filter(code_set=CURRENT, level=AdminLevel.COMMUNE).first()
    assert list(selectors.current_units_for(commune)) == [commune]
    assert list(selectors.current_provinces_for(commune)) == [commune.province]


def test_province_of():
    commune = AdminUnit.objects.filter(code_set=OLD, level=AdminLevel.COMMUNE, parent__code="219").first()
    bac_giang = unit(OLD, AdminLevel.PROVINCE, "24")
    assert selectors.province_of(commune) == bac_giang
    assert selectors.province_of(commune.parent) == bac_giang
    assert selectors.province_of(bac_giang) == bac_giang


def test_units_for_select_narrows_by_parent_in_code_order():
    new_bac_ninh = unit(CURRENT, AdminLevel.PROVINCE, "24")
    communes = list(selectors.units_for_select(code_set=CURRENT, level=AdminLevel.COMMUNE, parent=new_bac_ninh))
    assert communes and all(c.province_id == new_bac_ninh.pk for c in communes)
    assert [c.code for c in communes] == sorted(c.code for c in communes)
    luc_ngan = unit(OLD, AdminLevel.DISTRICT, "219")
    old = selectors.units_for_select(code_set=OLD, level=AdminLevel.COMMUNE, parent=luc_ngan.pk)
    assert old.count() == luc_ngan.children.count()
    assert selectors.units_for_select(code_set=CURRENT, level=AdminLevel.PROVINCE).count() == 34


def test_unit_list_search_ignores_diacritics():
    names = set(
        selectors.unit_list(code_set=OLD, level=AdminLevel.DISTRICT, q="luc ngan").values_list("name", flat=True)
    )
    assert "Huyện Lục Ngạn" in names
    assert selectors.unit_list(q="LỤC NGẠN", level=AdminLevel.DISTRICT).filter(code="219").exists()
