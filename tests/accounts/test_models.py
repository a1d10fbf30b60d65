import pytest

from opendost.accounts.models import User
from opendost.accounts.roles import Role
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


class TestUserVisibleTo:
    def test_administrator_sees_every_department(self):
        admin = UserFactory(role=Role.ADMINISTRATOR)
        other = UserFactory(role=Role.OFFICER)

        assert set(User.objects.visible_to(admin)) >= {admin, other}

    def test_staff_see_their_department_only(self):
        department = DepartmentFactory()
        leader = UserFactory(role=Role.LEADER, department=department)
        colleague = UserFactory(role=Role.OFFICER, department=department)
        outsider = UserFactory(role=Role.OFFICER)

        visible = set(User.objects.visible_to(leader))

        assert visible == {leader, colleague}
        assert outsider not in visible

    @pytest.mark.parametrize("role", [Role.APPLICANT, Role.COUNCIL_MEMBER, None])
    def test_people_outside_the_department_see_nobody(self, role):
        user = UserFactory(role=role)

        assert not User.objects.visible_to(user).exists()


class TestRoles:
    def test_primary_role_is_the_most_powerful(self):
        user = UserFactory(role=[Role.OFFICER, Role.LEADER])

        assert user.primary_role == Role.LEADER

    def test_superuser_is_an_administrator(self):
        assert UserFactory(is_superuser=True).primary_role == Role.ADMINISTRATOR

    def test_no_role(self):
        user = UserFactory()

        assert user.primary_role is None
        assert not user.is_department_staff

    def test_role_labels_follow_the_role_order(self):
        user = UserFactory(role=[Role.LEADER, Role.OFFICER])

        assert user.role_labels == ["Officer of a unit", "Leader"]
