"""Password change with re-authentication, and the password rules (S-07, ASVS 7.4.3)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit
from tests.accounts.helpers import PASSWORD, log_in
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ba con meo trang nam duoi gian hoa"


def _change(client, old=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new if confirm is None else confirm},
    )


class TestPasswordChange:
    def test_page_shows_the_rules(self, client):
        client.force_login(UserFactory(role=Role.OFFICER))

        response = client.get(reverse("accounts:password_change"))

        assert response.status_code == 200
        assert b"must not contain the name of the department" in response.content

    def test_right_current_password_changes_it_and_keeps_this_session(self, client):
        user = UserFactory(role=Role.OFFICER)
        log_in(client, user)
        key_before = client.cookies["sessionid"].value

        response = _change(client)

        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:account")
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        assert client.get(reverse("web:home")).status_code == 200
        assert client.cookies["sessionid"].value != key_before

    def test_other_sessions_are_logged_out(self, client):
        user = UserFactory(role=Role.OFFICER)
        other_browser = Client()
        log_in(other_browser, user)
        log_in(client, user)

        _change(client)

        assert other_browser.get(reverse("web:home")).status_code == 302

    def test_wrong_current_password_changes_nothing(self, client):
        user = UserFactory(role=Role.OFFICER)
        client.force_login(user)

        response = _change(client, old="not-my-password")

        assert response.status_code == 200
        assert "old_password" in response.context["form"].errors
        user.refresh_from_db()
        assert user.check_password(PASSWORD)

    def test_weak_new_password_is_refused_with_a_reason(self, client):
        user = UserFactory(role=Role.OFFICER)
        client.force_login(user)

        response = _change(client, new="password123")

        assert response.status_code == 200
        assert "new_password2" in response.context["form"].errors
        user.refresh_from_db()
        assert user.check_password(PASSWORD)

    def test_mismatched_confirmation_is_refused(self, client):
        user = UserFactory(role=Role.OFFICER)
        client.force_login(user)

        response = _change(client, confirm=NEW_PASSWORD + "x")

        assert response.status_code == 200
        assert response.context["form"].errors
        user.refresh_from_db()
        assert user.check_password(PASSWORD)

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(reverse("accounts:password_change"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


class TestPasswordRules:
    def test_long_passphrase_of_64_characters_and_more_is_accepted(self):
        passphrase = "mot hai ba bon nam sau bay tam chin muoi muoi mot muoi hai muoi ba"
        assert len(passphrase) >= 64

        validate_password(passphrase, UserFactory.build())
        validate_password("x7" * 128, UserFactory.build())  # 256 characters

    def test_absurdly_long_password_is_refused(self):
        with pytest.raises(ValidationError) as excinfo:
            validate_password("x7" * 129)

        assert "password_too_long" in {e.code for e in excinfo.value.error_list}

    @pytest.mark.parametrize("password", ["password123", "qwertyuiop", "1234567890", "iloveyou12"])
    def test_common_passwords_are_refused(self, password):
        with pytest.raises(ValidationError):
            validate_password(password)

    @pytest.mark.parametrize(
        "password",
        [
            "Sokhcn-2026-mua-xuan",
            "toi yeu So KHCN lam",
            "Bắc Ninh quê hương tôi!",
            "BAC-GIANG-mua-vai-thieu",
            "OpenDOST rat tot 99",
        ],
    )
    def test_context_words_are_refused_whatever_the_accents_and_case(self, password):
        with pytest.raises(ValidationError) as excinfo:
            validate_password(password)

        assert "password_context_word" in {e.code for e in excinfo.value.error_list}

    def test_the_province_of_a_department_on_this_installation_is_refused(self):
        province = AdminUnit.objects.create(
            code_set=CodeSet.PRE_2025, level=AdminLevel.PROVINCE, code="99", name="Tỉnh Lạng Sơn", division_type="tỉnh"
        )
        DepartmentFactory(province=province)

        with pytest.raises(ValidationError) as excinfo:
            validate_password("xu lang son co nang")

        assert "password_context_word" in {e.code for e in excinfo.value.error_list}

    def test_no_composition_rules(self):
        validate_password("chi toan chu thuong va dau cach thoi")
