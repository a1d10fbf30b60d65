"""Each role's home page, the no-role page and the administrator's read-only lists."""

import pytest
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.subjects.enums import OrganizationKind
from opendost.subjects.models import Organization
from tests.factories import DepartmentFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("web:home")


def _organizations(department, count: int) -> None:
    for n in range(count):
        Organization.objects.create(department=department, kind=OrganizationKind.ENTERPRISE, name=f"Công ty {n}")


def _card_ids(response) -> list[str]:
    return [card.key for card in response.context["cards"]]


class TestRoleHomes:
    @pytest.mark.parametrize(
        ("role", "heading", "cards"),
        [
            (Role.OFFICER, "Officer of a unit", ["subject-register", "unit-dossiers", "unit-projects"]),
            (Role.DESK_OFFICER, "One-stop desk officer", ["receive-dossier", "results-to-return", "subject-register"]),
            (Role.LEADER, "Leader", ["awaiting-approval", "plan-progress", "subject-register"]),
            (Role.INSPECTOR, "Inspector", ["inspection-plans", "findings", "subject-register"]),
            (Role.COUNCIL_MEMBER, "Council member / expert", ["review-assignments"]),
            (Role.APPLICANT, "Applicant", ["my-organization", "my-dossiers", "calls"]),
            (Role.ADMINISTRATOR, "Administrator", ["departments", "users", "subject-register"]),
        ],
    )
    def test_each_role_gets_its_own_home(self, client, role, heading, cards):
        client.force_login(UserFactory(role=role))

        response = client.get(HOME)

        assert response.status_code == 200
        assert f'<h1 class="h3 mb-1">{heading}</h1>' in response.content.decode()
        assert _card_ids(response) == [*cards, "my-account"]

    def test_officer_sees_unit_department_and_real_counts(self, client):
        unit = UnitFactory(name="Phòng Quản lý chuyên ngành")
        officer = UserFactory(role=Role.OFFICER, department=unit.department, unit=unit)
        _organizations(unit.department, 3)
        _organizations(DepartmentFactory(), 2)  # another department's: not counted
        client.force_login(officer)

        response = client.get(HOME)

        html = response.content.decode()
        assert "Phòng Quản lý chuyên ngành" in html
        assert unit.department.name in html
        register = next(c for c in response.context["cards"] if c.key == "subject-register")
        assert [(str(f.label), f.value) for f in register.figures] == [("organisations", 3), ("people", 0)]
        assert reverse("subjects:organization_list") in html

    def test_placeholders_name_their_module_and_show_no_figures(self, client):
        client.force_login(UserFactory(role=Role.LEADER))

        response = client.get(HOME)

        placeholders = [c for c in response.context["cards"] if c.coming_with]
        assert placeholders
        assert all(not c.figures and not c.links for c in placeholders)
        assert "Coming with the module Planning and reports" in response.content.decode()

    def test_applicant_sees_their_organisation(self, client):
        department = DepartmentFactory()
        organization = Organization.objects.create(
            department=department, kind=OrganizationKind.HOSPITAL, name="Bệnh viện Đa khoa tỉnh"
        )
        client.force_login(UserFactory(role=Role.APPLICANT, organization=organization))

        response = client.get(HOME)

        assert response.content.decode().count("Bệnh viện Đa khoa tỉnh") >= 2
        assert "subject-register" not in _card_ids(response)

    def test_applicant_without_organisation_is_told_what_to_do(self, client):
        client.force_login(UserFactory(role=Role.APPLICANT))

        response = client.get(HOME)

        assert "not linked to an organisation yet" in response.content.decode()

    def test_administrator_sees_counts_of_departments_and_accounts(self, client):
        DepartmentFactory()
        admin = UserFactory(role=Role.ADMINISTRATOR)
        UserFactory(role=Role.OFFICER, is_active=False)
        client.force_login(admin)

        response = client.get(HOME)

        cards = {c.key: c for c in response.context["cards"]}
        from opendost.accounts.models import User
        from opendost.departments.models import Department

        assert cards["departments"].figures[0].value == Department.objects.count()
        assert cards["users"].figures[0].value == User.objects.filter(is_active=True).count()
        assert reverse("web:users") in response.content.decode()

    def test_user_without_a_role_gets_a_polite_page(self, client):
        client.force_login(UserFactory(full_name="Trần Thị Mới"))

        response = client.get(HOME)

        assert response.status_code == 200
        assert "contact the administrator" in response.content.decode()
        assert "Trần Thị Mới" in response.content.decode()

    def test_home_needs_few_queries(self, client, django_assert_max_num_queries):
        department = DepartmentFactory()
        _organizations(department, 5)
        client.force_login(UserFactory(role=Role.OFFICER, department=department))

        with django_assert_max_num_queries(14):
            assert client.get(HOME).status_code == 200


class TestUserList:
    def test_administrator_sees_every_account(self, client):
        admin = UserFactory(role=Role.ADMINISTRATOR)
        others = [UserFactory(role=Role.OFFICER, full_name=f"Người dùng {n}") for n in range(3)]
        client.force_login(admin)

        response = client.get(reverse("web:users"))

        assert response.status_code == 200
        html = response.content.decode()
        for other in others:
            assert other.full_name in html
        assert "Officer of a unit" in html

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.LEADER, Role.APPLICANT, None])
    def test_others_are_refused(self, client, role):
        client.force_login(UserFactory(role=role))

        assert client.get(reverse("web:users")).status_code == 403

    def test_query_count_does_not_grow_with_the_list(self, client, django_assert_max_num_queries):
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        for n in range(30):
            UserFactory(role=[Role.OFFICER, Role.INSPECTOR], unit=UnitFactory(), full_name=f"Cán bộ {n}")

        with django_assert_max_num_queries(12):
            response = client.get(reverse("web:users"))

        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 25


class TestDepartmentList:
    def test_administrator_sees_departments_units_and_accounts(self, client):
        unit = UnitFactory(name="Chi cục Tiêu chuẩn Đo lường Chất lượng")
        UserFactory(role=Role.OFFICER, department=unit.department)
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))

        response = client.get(reverse("web:departments"))

        assert response.status_code == 200
        html = response.content.decode()
        assert unit.department.name in html
        assert "Chi cục Tiêu chuẩn Đo lường Chất lượng" in html

    def test_query_count_does_not_grow_with_the_list(self, client, django_assert_max_num_queries):
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        for _ in range(10):
            UnitFactory()

        with django_assert_max_num_queries(10):
            assert client.get(reverse("web:departments")).status_code == 200

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.LEADER, Role.INSPECTOR, Role.APPLICANT])
    def test_others_are_refused(self, client, role):
        client.force_login(UserFactory(role=role))

        assert client.get(reverse("web:departments")).status_code == 403
