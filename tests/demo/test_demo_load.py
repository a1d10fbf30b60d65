import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from stdnum.vn import mst

from opendost.accounts.roles import Role
from opendost.demo import data
from opendost.demo.services import demo_load, demo_logins
from opendost.departments.models import Department
from opendost.geography.enums import CodeSet
from opendost.subjects.models import Organization, Person
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def demo_allowed(settings, monkeypatch):
    """The kernel's demo only: the domain apps' loaders are tested with their apps (and below)."""
    settings.OPENDOST_DEMO_ALLOWED = True
    monkeypatch.setattr("opendost.demo.services._write_domain_demos", lambda **context: [])


@pytest.fixture
def demo(demo_allowed):
    report = demo_load()
    assert report.loaded
    return report


def user(username: str):
    return User.objects.get(username=username)


def test_demo_load_is_refused_unless_demo_is_allowed(settings):
    settings.OPENDOST_DEMO_ALLOWED = False

    with pytest.raises(CommandError, match="only allowed on a development install"):
        call_command("demo_load", "--if-empty")

    assert not Department.objects.exists()
    assert not User.objects.filter(is_demo=True).exists()


def test_demo_load_writes_the_province(demo_allowed, capsys):
    call_command("demo_load")

    assert "Demo province loaded" in capsys.readouterr().out
    assert Department.objects.count() == len(data.DEPARTMENTS)
    assert Organization.objects.count() == len(data.ORGANIZATIONS)
    assert Person.objects.count() == len(data.PEOPLE)
    assert User.objects.filter(is_demo=True).count() == len(data.USERS)


def test_demo_load_twice_changes_nothing(demo_allowed, capsys):
    call_command("demo_load", "--if-empty")
    counts = (Department.objects.count(), User.objects.count(), Organization.objects.count(), Person.objects.count())

    call_command("demo_load", "--if-empty")
    call_command("demo_load")

    out = capsys.readouterr().out
    assert out.count("Demo data not loaded") == 2
    assert counts == (
        Department.objects.count(),
        User.objects.count(),
        Organization.objects.count(),
        Person.objects.count(),
    )


def test_if_empty_leaves_a_database_with_departments_alone(demo_allowed):
    DepartmentFactory()

    report = demo_load(if_empty=True)

    assert not report.loaded
    assert Department.objects.count() == 1
    assert not User.objects.filter(is_demo=True).exists()


def test_departments_form_the_2025_succession(demo):
    bac_ninh = Department.objects.get(code=data.BAC_NINH)
    bac_giang = Department.objects.get(code=data.BAC_GIANG)
    old_bac_ninh = Department.objects.get(code=data.BAC_NINH_PRE_2025)
    lang_son = Department.objects.get(code=data.LANG_SON)

    assert bac_giang.successor == bac_ninh
    assert old_bac_ninh.successor == bac_ninh
    assert lang_son.successor is None
    assert set(bac_ninh.jurisdiction_ids()) == {bac_ninh.pk, bac_giang.pk, old_bac_ninh.pk}
    assert (bac_ninh.province.code_set, bac_ninh.province.code) == (CodeSet.CURRENT, "24")
    assert (bac_giang.province.code_set, bac_giang.province.code) == (CodeSet.PRE_2025, "24")
    assert (old_bac_ninh.province.code_set, old_bac_ninh.province.code) == (CodeSet.PRE_2025, "27")
    assert (lang_son.province.code_set, lang_son.province.code, lang_son.province.name) == (
        CodeSet.CURRENT,
        "20",
        "Tỉnh Lạng Sơn",
    )
    assert str(bac_ninh.valid_from) == "2025-07-01"
    assert str(bac_giang.valid_to) == "2025-06-30"
    assert not demo.missing_units


def test_every_role_has_a_demo_account_with_its_role_only(demo):
    for spec in data.USERS:
        account = user(spec.username)
        assert account.is_demo
        assert not account.is_superuser
        assert account.role_names == {spec.role.value}
        assert account.is_staff == (spec.username == "quantri")
    assert {spec.role for spec in data.USERS} == set(Role)


@pytest.mark.parametrize("username", [u.username for u in data.USERS])
def test_every_demo_account_logs_in_with_the_shared_password(demo, client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": data.DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_the_applicant_represents_a_demo_enterprise(demo):
    applicant = user("doanhnghiep")

    assert applicant.organization.name.endswith(data.DEMO_MARK)
    assert applicant.organization.department.code == data.BAC_NINH
    assert not Organization.objects.visible_to(applicant).exists()


def test_the_other_departments_officer_sees_only_its_own_organisations(demo):
    outsider = user("canbo.langson")

    visible = Organization.objects.visible_to(outsider)

    assert visible.exists()
    assert set(visible.values_list("department__code", flat=True)) == {data.LANG_SON}
    assert not Person.objects.visible_to(outsider).exclude(department__code=data.LANG_SON).exists()


def test_the_merged_departments_officer_sees_its_predecessors_records(demo):
    officer = user("canbo")

    departments = set(Organization.objects.visible_to(officer).values_list("department__code", flat=True))

    assert departments == {data.BAC_NINH, data.BAC_GIANG, data.BAC_NINH_PRE_2025}
    assert Person.objects.visible_to(officer).filter(department__code=data.BAC_GIANG).exists()


def test_the_administrator_sees_every_department(demo):
    assert Organization.objects.visible_to(user("quantri")).count() == len(data.ORGANIZATIONS)


def test_old_records_keep_pre_2025_units_and_new_ones_current_units(demo):
    luc_ngan = Organization.objects.get(name__startswith="Hợp tác xã Vải thiều Lục Ngạn")
    assert luc_ngan.province.code_set == CodeSet.PRE_2025
    assert luc_ngan.district.name == "Huyện Lục Ngạn"
    assert luc_ngan.commune.parent == luc_ngan.district

    for org in Organization.objects.select_related("department", "province", "district"):
        merged = org.department.valid_to is not None
        assert org.province.code_set == (CodeSet.PRE_2025 if merged else CodeSet.CURRENT), org.name
        if not merged:
            assert org.district is None


def test_identifiers_are_valid_and_fictitious(demo):
    for org in Organization.objects.exclude(tax_code=""):
        assert mst.is_valid(org.tax_code)
        assert org.tax_code.startswith("2499")
        assert org.name.endswith(data.DEMO_MARK)
    for person in Person.objects.all():
        assert len(person.citizen_id) == 12
        assert person.citizen_id.isdigit()
        assert person.citizen_id_masked.startswith("*********")


def test_demo_logins_lists_every_account_with_role_and_department(demo, capsys):
    call_command("demo_logins")

    out = capsys.readouterr().out
    for spec in data.USERS:
        assert spec.username in out
    assert ("canbo.langson", str(Role.OFFICER.label), "Sở Khoa học và Công nghệ tỉnh Lạng Sơn") in demo_logins()


def test_demo_logins_says_so_when_nothing_is_loaded(capsys):
    call_command("demo_logins")

    assert "no demo accounts" in capsys.readouterr().out


def test_domain_apps_extend_the_demo_through_their_loaders(settings):
    settings.OPENDOST_DEMO_ALLOWED = True

    report = demo_load()

    assert report.loaded
    assert any(line.startswith("S&T tasks:") for line in report.extra)
    assert any(line.startswith("radiation: 53 facilities, 97 devices") for line in report.extra)
    assert User.objects.filter(username="benhvien", organization__isnull=False, is_demo=True).exists()
    assert "benhvien" in [row[0] for row in demo_logins()]
