"""The small admin: administrators only, one login page, read-mostly reference data."""

import pytest
from django.urls import reverse

from opendost.accounts.models import User
from opendost.accounts.roles import Role
from opendost.departments.models import Department
from tests.factories import DepartmentFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_ends_on_the_one_login_page(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "next=/admin/" in response.redirect_chain[-1][0]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LEADER, Role.APPLICANT])
def test_other_roles_are_refused(client, role):
    client.force_login(UserFactory(role=role))

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403


def test_administrator_sees_users_departments_and_units(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    UnitFactory()

    index = client.get(reverse("admin:index"))

    assert index.status_code == 200
    for name in ["accounts_user", "departments_department", "departments_unit"]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_administrator_only_views_reference_data(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    department = DepartmentFactory()

    assert client.get(reverse("admin:departments_department_change", args=[department.pk])).status_code == 200
    assert client.get(reverse("admin:departments_department_add")).status_code == 403
    response = client.post(
        reverse("admin:departments_department_change", args=[department.pk]),
        {"code": department.code, "name": "Renamed", "governing_body": "X"},
    )
    assert response.status_code == 403
    department.refresh_from_db()
    assert department.name != "Renamed"


def test_superuser_may_add_a_department(client):
    client.force_login(UserFactory(is_superuser=True))

    response = client.post(
        reverse("admin:departments_department_add"),
        {
            "code": "new-dept",
            "name": "Sở Khoa học và Công nghệ mới",
            "governing_body": "UBND TỈNH MỚI",
            "units-TOTAL_FORMS": "0",
            "units-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert Department.objects.filter(code="new-dept").exists()


def test_accounts_are_never_deleted(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    officer = UserFactory(role=Role.OFFICER)

    response = client.get(reverse("admin:accounts_user_delete", args=[officer.pk]))

    assert response.status_code == 403
    assert User.objects.filter(pk=officer.pk).exists()


def test_administrator_cannot_make_a_superuser(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    officer = UserFactory(role=Role.OFFICER)

    response = client.get(reverse("admin:accounts_user_change", args=[officer.pk]))

    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()


def test_reset_two_factor_action(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    officer = UserFactory(role=Role.OFFICER)
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [officer.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_admin_saves_are_audited_with_roles_and_inline_units(client):
    from django.contrib.auth.models import Group

    from opendost.audit.models import AuditEvent

    admin_user = UserFactory(is_superuser=True)
    client.force_login(admin_user)
    client.post(
        reverse("admin:departments_department_add"),
        {
            "code": "audited",
            "name": "Sở Khoa học và Công nghệ thử",
            "governing_body": "UBND TỈNH THỬ",
            "units-TOTAL_FORMS": "1",
            "units-INITIAL_FORMS": "0",
            "units-0-code": "qlkh",
            "units-0-name": "Phòng Quản lý khoa học",
        },
    )
    department = Department.objects.get(code="audited")
    user = UserFactory(role=Role.OFFICER, department=department)
    leader = Group.objects.get(name=Role.LEADER)

    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "department": department.pk,
            "unit": "",
            "organization": "",
            "is_active": "on",
            "groups": [leader.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    events = {(e.content_type.model, e.action): e for e in AuditEvent.objects.select_related("content_type")}
    assert {("department", "create"), ("unit", "create"), ("user", "update")} <= set(events)
    change = events[("user", "update")]
    assert change.actor == admin_user
    assert set(change.changes) == {"groups"}
