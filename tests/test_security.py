"""HTTP-level security (S-13, S-14), CSRF, the deploy check, password rules (S-07) and throttling (S-06)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from opendost.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = [d.strip() for d in header.split(";") if d.strip()]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in directives}


class TestHeaders:
    @pytest.mark.parametrize("url", ["/", "/accounts/login/"])
    def test_public_pages_carry_the_security_headers(self, client, url):
        response = client.get(url)

        csp = _csp(response)
        assert csp["object-src"] == "'none'"
        assert csp["base-uri"] == "'none'"
        assert csp["frame-ancestors"] == "'none'"
        assert "'unsafe-inline'" not in csp.get("script-src", "")
        assert "'unsafe-inline'" not in csp.get("default-src", "")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"

    def test_private_pages_are_never_stored(self, client):
        client.force_login(UserFactory(role=Role.OFFICER))

        response = client.get(reverse("web:home"))

        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]

    def test_public_pages_for_anonymous_visitors_are_not_marked_private(self, client):
        response = client.get("/")

        assert "private" not in response.get("Cache-Control", "")

    def test_session_and_csrf_cookies_are_http_only_and_same_site(self, client):
        user = UserFactory(role=Role.OFFICER)
        client.get(reverse("accounts:login"))
        client.post(reverse("accounts:login"), {"username": user.username, "password": "Mat-khau-dai-du-dung-0!"})

        session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        assert session_cookie["httponly"]
        assert session_cookie["samesite"] == "Lax"

    def test_pages_have_no_inline_script_or_style(self, client):
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        for url in [reverse("web:home"), reverse("accounts:account"), reverse("web:users"), "/accounts/two-factor/"]:
            html = client.get(url).content.decode()
            assert "<script>" not in html and "<script type" not in html, url
            assert ' style="' not in html, url


class TestCsrf:
    def test_login_post_without_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        user = UserFactory(role=Role.OFFICER)

        response = client.post(
            reverse("accounts:login"), {"username": user.username, "password": "Mat-khau-dai-du-dung-0!"}
        )

        assert response.status_code == 403

    def test_logged_in_post_without_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        user = UserFactory(role=Role.OFFICER)
        client.force_login(user)

        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": "Mat-khau-dai-du-dung-0!",
                "new_password1": "x y z w v u",
                "new_password2": "x y z w v u",
            },
        )

        assert response.status_code == 403
        user.refresh_from_db()
        assert user.check_password("Mat-khau-dai-du-dung-0!")

    def test_logout_without_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory(role=Role.OFFICER))

        assert client.post(reverse("accounts:logout")).status_code == 403
        assert client.get(reverse("web:home")).status_code == 200

    def test_post_with_the_token_works(self):
        client = Client(enforce_csrf_checks=True)
        user = UserFactory(role=Role.OFFICER)
        page = client.get(reverse("accounts:login"))
        token = page.context["csrf_token"]

        response = client.post(
            reverse("accounts:login"),
            {"username": user.username, "password": "Mat-khau-dai-du-dung-0!", "csrfmiddlewaretoken": token},
        )

        assert response.status_code == 302


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "OPENDOST_HTTPS": "1",
        "OPENDOST_DEBUG": "0",
        "SECRET_KEY": "k3y-" + "x9Qz" * 16,
        "ALLOWED_HOSTS": "dost.example.gov.vn",
        "OPENDOST_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.gov.vn",
        "SITE_URL": "https://dost.example.gov.vn",
        "DEFAULT_FROM_EMAIL": "Sở KH&CN <no-reply@dost.example.gov.vn>",
    }
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # the test run sets these; production does not
        env.pop(name, None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


class TestPasswordRules:
    """S-07, also covered in tests/accounts/test_password.py."""

    def test_64_characters_and_more_accepted(self):
        validate_password("hom nay troi dep lam chung ta cung nhau di dao quanh ho tay nhe ban")

    @pytest.mark.parametrize("password", ["password1234", "123456789012", "qwerty123456"])
    def test_common_refused(self, password):
        with pytest.raises(ValidationError):
            validate_password(password)

    @pytest.mark.parametrize("password", ["sokhcn-mua-thu-2026", "Bắc Giang mùa vải thiều", "bac ninh quan ho 2026"])
    def test_context_words_refused(self, password):
        with pytest.raises(ValidationError):
            validate_password(password)


class TestLoginThrottling:
    """S-06, also covered in tests/accounts/test_login.py."""

    def test_five_failures_lock_the_pair_with_the_same_page_for_unknown_users(self, client):
        user = UserFactory(role=Role.OFFICER)
        for username in [user.username, "ghost-user"]:
            for _ in range(settings.AXES_FAILURE_LIMIT):
                client.post(reverse("accounts:login"), {"username": username, "password": "wrong-password-1"})

        known = client.post(
            reverse("accounts:login"), {"username": user.username, "password": "Mat-khau-dai-du-dung-0!"}
        )
        unknown = client.post(reverse("accounts:login"), {"username": "ghost-user", "password": "wrong-password-1"})

        assert known.status_code == unknown.status_code == 429
        for response in (known, unknown):
            assert "accounts/locked_out.html" in {t.name for t in response.templates}
            assert b"Too many failed login attempts" in response.content
