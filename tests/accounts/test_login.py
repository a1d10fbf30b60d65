"""Login, logout and the session lifecycle (S-06, S-08)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from opendost.accounts.roles import Role
from tests.accounts.helpers import PASSWORD, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAME_ERROR = "The username or password is not correct."
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _main(response) -> str:
    """The page's <main> element: the rest differs only by the per-response CSRF mask."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _error_text(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


class TestLoginPage:
    def test_page_is_public_and_labelled(self, client):
        response = client.get(reverse("accounts:login"))

        assert response.status_code == 200
        html = response.content.decode()
        assert '<label class="form-label" for="id_username">' in html
        assert '<label class="form-label" for="id_password">' in html
        assert 'autocomplete="current-password"' in html

    def test_page_is_vietnamese_by_default(self, client, settings):
        settings.LANGUAGE_CODE = "vi"

        response = client.get(reverse("accounts:login"))

        assert b'lang="vi"' in response.content

    def test_good_password_logs_in_and_goes_home(self, client):
        user = UserFactory(role=Role.OFFICER)

        response = log_in(client, user)

        assert response.status_code == 302
        assert response["Location"] == reverse("web:home")
        assert client.get(reverse("web:home")).status_code == 200

    def test_next_on_this_site_is_followed(self, client):
        user = UserFactory(role=Role.OFFICER)

        response = client.post(
            reverse("accounts:login"), {"username": user.username, "password": PASSWORD, "next": "/app/users/"}
        )

        assert response["Location"] == "/app/users/"

    def test_next_to_another_site_is_ignored(self, client):
        user = UserFactory(role=Role.OFFICER)

        response = client.post(
            reverse("accounts:login"),
            {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"},
        )

        assert response["Location"] == reverse("web:home")

    def test_unknown_user_and_wrong_password_get_the_same_message(self, client):
        user = UserFactory(role=Role.OFFICER)

        wrong_password = log_in(client, user, password="not-the-password")
        unknown_user = client.post(reverse("accounts:login"), {"username": "nobody", "password": "whatever-123"})

        assert wrong_password.status_code == unknown_user.status_code == 200
        assert SAME_ERROR in _error_text(wrong_password)
        assert _error_text(wrong_password) == _error_text(unknown_user)

    def test_deactivated_account_gets_the_same_message(self, client):
        user = UserFactory(role=Role.OFFICER, is_active=False)

        response = log_in(client, user)

        assert SAME_ERROR in _error_text(response)
        assert "_auth_user_id" not in client.session

    def test_typed_username_is_kept_after_an_error(self, client):
        response = client.post(reverse("accounts:login"), {"username": "nguyenvana", "password": "x"})

        assert 'value="nguyenvana"' in response.content.decode()

    def test_logged_in_user_is_sent_home(self, client):
        client.force_login(UserFactory(role=Role.OFFICER))

        response = client.get(reverse("accounts:login"))

        assert response["Location"] == reverse("web:home")


class TestLogout:
    def test_logout_by_get_is_refused(self, client):
        client.force_login(UserFactory(role=Role.OFFICER))

        response = client.get(reverse("accounts:logout"))

        assert response.status_code == 405
        assert client.get(reverse("web:home")).status_code == 200

    def test_logout_by_post_ends_the_session(self, client):
        client.force_login(UserFactory(role=Role.OFFICER))

        response = client.post(reverse("accounts:logout"))

        assert response.status_code == 302
        assert client.get(reverse("web:home")).status_code == 302

    def test_old_session_cookie_is_rejected_after_logout(self, client, django_user_model):
        user = UserFactory(role=Role.OFFICER)
        log_in(client, user)
        old_key = client.cookies["sessionid"].value

        client.post(reverse("accounts:logout"))
        client.cookies["sessionid"] = old_key  # an attacker replays the stolen cookie
        response = client.get(reverse("web:home"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert not Session.objects.filter(session_key=old_key).exists()


class TestSession:
    def test_session_key_changes_at_login(self, client):
        user = UserFactory(role=Role.OFFICER)
        session = client.session
        session["before_login"] = True
        session.save()
        key_before = session.session_key

        log_in(client, user)

        assert client.cookies["sessionid"].value != key_before
        assert not Session.objects.filter(session_key=key_before).exists()

    def test_deactivating_a_user_ends_their_access_at_once(self, client):
        user = UserFactory(role=Role.OFFICER)
        log_in(client, user)
        assert client.get(reverse("web:home")).status_code == 200

        user.is_active = False
        user.save(update_fields=["is_active"])
        response = client.get(reverse("web:home"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_idle_session_expires(self, client, settings):
        user = UserFactory(role=Role.OFFICER)
        with time_machine.travel(START, tick=False) as traveller:
            log_in(client, user)
            traveller.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))

            response = client.get(reverse("web:home"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_activity_keeps_the_session_alive(self, client, settings):
        settings.SESSION_ABSOLUTE_SECONDS = 7 * 24 * 3600  # only the idle rule is under test here
        user = UserFactory(role=Role.OFFICER)
        almost_idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
        with time_machine.travel(START, tick=False) as traveller:
            log_in(client, user)
            traveller.shift(almost_idle)
            assert client.get(reverse("web:home")).status_code == 200
            traveller.shift(almost_idle)

            response = client.get(reverse("web:home"))

        assert response.status_code == 200

    def test_an_active_session_still_ends_at_the_absolute_limit(self, client, settings):
        user = UserFactory(role=Role.OFFICER)
        step = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)  # never idle long enough
        with time_machine.travel(START, tick=False) as traveller:
            log_in(client, user)
            elapsed = dt.timedelta(0)
            while elapsed + step <= dt.timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS):
                traveller.shift(step)
                elapsed += step
                assert client.get(reverse("web:home")).status_code == 200
            traveller.shift(step)

            response = client.get(reverse("web:home"))
            again = client.get(reverse("web:home"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert again["Location"].startswith(reverse("accounts:login"))  # logged out, not just redirected


class TestThrottling:
    """django-axes locks the (username, IP address) pair after 5 failures for 15 minutes (S-06)."""

    def _fail(self, client, username: str, times: int):
        return [
            client.post(reverse("accounts:login"), {"username": username, "password": "wrong-password-1"})
            for _ in range(times)
        ]

    def test_four_failures_do_not_lock(self, client):
        user = UserFactory(role=Role.OFFICER)
        self._fail(client, user.username, 4)

        response = log_in(client, user)

        assert response.status_code == 302

    def test_five_failures_lock_even_the_right_password(self, client):
        user = UserFactory(role=Role.OFFICER)
        responses = self._fail(client, user.username, 5)

        response = log_in(client, user)

        assert responses[-1].status_code == 429
        assert response.status_code == 429
        assert b"Too many failed login attempts" in response.content
        assert "_auth_user_id" not in client.session

    def test_lockout_reads_the_same_for_unknown_and_known_users(self, client):
        user = UserFactory(role=Role.OFFICER)
        self._fail(client, user.username, 5)
        self._fail(client, "no-such-user", 5)

        known = log_in(client, user)
        unknown = client.post(reverse("accounts:login"), {"username": "no-such-user", "password": "x-1234567"})

        assert known.status_code == unknown.status_code == 429
        assert _main(known) == _main(unknown)

    def test_lock_is_per_username_and_address(self, client):
        user = UserFactory(role=Role.OFFICER)
        other = UserFactory(role=Role.OFFICER)
        self._fail(client, user.username, 5)

        from_elsewhere = log_in(client, user, REMOTE_ADDR="10.0.0.9")
        other_user = log_in(client, other)

        assert from_elsewhere.status_code == 302
        assert other_user.status_code == 302

    def test_lock_lifts_after_the_cool_off(self, client, settings):
        user = UserFactory(role=Role.OFFICER)
        with time_machine.travel(START, tick=False) as traveller:
            self._fail(client, user.username, 5)
            traveller.shift(settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1))

            response = log_in(client, user)

        assert response.status_code == 302
