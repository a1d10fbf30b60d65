import pytest
from django.core.management import call_command

from opendost.geography.enums import AdminLevel, CodeSet, SuccessionRelation
from opendost.geography.models import AdminUnit, AdminUnitSuccession
from opendost.geography.services import admin_units_load

pytestmark = pytest.mark.django_db

CURRENT, OLD = CodeSet.CURRENT, CodeSet.PRE_2025


def unit(code_set, level, code):
    return AdminUnit.objects.get(code_set=code_set, level=level, code=code)


@pytest.mark.parametrize(
    ("code_set", "level", "count"),
    [
        (CURRENT, AdminLevel.PROVINCE, 34),
        (CURRENT, AdminLevel.DISTRICT, 0),
        (CURRENT, AdminLevel.COMMUNE, 3321),
        (OLD, AdminLevel.PROVINCE, 63),
        (OLD, AdminLevel.DISTRICT, 696),
        (OLD, AdminLevel.COMMUNE, 10051),
    ],
)
def test_the_migration_loads_both_sets(code_set, level, count):
    assert AdminUnit.objects.filter(code_set=code_set, level=level).count() == count


def test_codes_are_zero_padded_and_names_folded():
    hanoi = unit(CURRENT, AdminLevel.PROVINCE, "01")
    assert hanoi.name_folded == "thanh pho ha noi"
    assert AdminUnit.objects.filter(level=AdminLevel.COMMUNE, code="00004").count() == 2  # reused across sets
    assert unit(OLD, AdminLevel.DISTRICT, "219").name == "Huyện Lục Ngạn"


def test_units_carry_their_validity_and_hierarchy():
    commune = AdminUnit.objects.filter(code_set=OLD, level=AdminLevel.COMMUNE, parent__code="219").first()
    assert commune.parent.level == AdminLevel.DISTRICT
    assert commune.province == unit(OLD, AdminLevel.PROVINCE, "24")
    assert commune.valid_to.isoformat() == "2025-06-30" and commune.valid_from is None
    new_commune = AdminUnit.objects.filter(code_set=CURRENT, level=AdminLevel.COMMUNE).first()
    assert new_commune.parent == new_commune.province and new_commune.province.code_set == CURRENT
    assert new_commune.valid_from.isoformat() == "2025-07-01" and new_commune.valid_to is None


def test_provinces_succession_marks_split_provinces_as_part():
    bac_giang = unit(OLD, AdminLevel.PROVINCE, "24")
    (succession,) = bac_giang.successors.all()
    assert succession.new_unit == unit(CURRENT, AdminLevel.PROVINCE, "24")
    assert succession.relation == SuccessionRelation.WHOLE
    # Tiền Giang (82) went partly into Đồng Tháp (82) and partly into Tây Ninh (80).
    split = unit(OLD, AdminLevel.PROVINCE, "82").successors.all()
    assert {s.relation for s in split} == {SuccessionRelation.PART}
    assert len(split) == 2


def test_a_commune_feeding_several_new_communes_is_part_of_each():
    parts = AdminUnitSuccession.objects.filter(relation=SuccessionRelation.PART, old_unit__level=AdminLevel.COMMUNE)
    sample = parts.first()
    assert sample.old_unit.successors.count() > 1
    wholes = AdminUnitSuccession.objects.filter(relation=SuccessionRelation.WHOLE, old_unit__level=AdminLevel.COMMUNE)
    assert wholes.first().old_unit.successors.count() == 1


def test_loading_again_changes_nothing():
    before = list(AdminUnit.objects.order_by("pk").values_list("pk", "name", "parent_id"))
    successions = AdminUnitSuccession.objects.count()
    report = admin_units_load(actor=None)
    assert not report.changed
    assert report.unchanged == 14165
    assert list(AdminUnit.objects.order_by("pk").values_list("pk", "name", "parent_id")) == before
    assert AdminUnitSuccession.objects.count() == successions


def test_loading_repairs_renamed_units_and_lost_successions():
    hanoi = unit(CURRENT, AdminLevel.PROVINCE, "01")
    AdminUnit.objects.filter(pk=hanoi.pk).update(name="Tên cũ", name_folded="ten cu")
    bac_giang = unit(OLD, AdminLevel.PROVINCE, "24")
    bac_giang.successors.all().delete()
    wrong = AdminUnitSuccession.objects.create(
        old_unit=bac_giang, new_unit=hanoi, relation=SuccessionRelation.WHOLE, effective_on="2025-07-01"
    )
    report = admin_units_load(actor=None)
    assert report.updated == 1 and report.created == 0
    assert report.successions_created == 1 and report.successions_deleted == 1
    hanoi.refresh_from_db()
    assert hanoi.name == "Thành phố Hà Nội" and hanoi.name_folded == "thanh pho ha noi"
    assert not AdminUnitSuccession.objects.filter(pk=wrong.pk).exists()
    assert [s.new_unit.code for s in bac_giang.successors.all()] == ["24"]


def test_units_no_longer_in_the_package_are_kept_and_reported():
    extra = AdminUnit.objects.create(
        code_set=CURRENT, level=AdminLevel.PROVINCE, code="99", name="Tỉnh Thử", division_type="tỉnh"
    )
    report = admin_units_load(actor=None)
    assert report.stale == [(CURRENT, AdminLevel.PROVINCE, "99")]
    assert AdminUnit.objects.filter(pk=extra.pk).exists()


def test_geography_load_command_reports(capsys):
    call_command("geography_load")
    out = capsys.readouterr().out
    assert "0 units created, 0 updated, 14165 unchanged" in out
