"""Two-factor login with an authenticator app (S-10): set-up, verification, replay, throttling."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from opendost.accounts import services
from opendost.accounts.roles import Role
from opendost.accounts.views import TOTP_SETUP_KEY_SESSION_KEY
from tests.accounts.helpers import confirmed_device, log_in, totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)
TWO_FACTOR = reverse("accounts:two_factor")


@pytest.fixture
def required(settings):
    settings.OPENDOST_STAFF_2FA_REQUIRED = True


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _post_code(client, code: str, next_url: str = ""):
    return client.post(TWO_FACTOR, {"token": code, "next": next_url})


@pytest.mark.usefixtures("required", "clock")
class TestRequiredForStaff:
    def test_staff_are_held_on_the_two_factor_page_after_the_password(self, client):
        officer = UserFactory(role=Role.OFFICER)
        log_in(client, officer)

        response = client.get(reverse("web:home"))

        assert response.status_code == 302
        assert response["Location"] == f"{TWO_FACTOR}?next=/app/"
        for url in [reverse("accounts:account"), reverse("web:users"), "/admin/"]:
            assert client.get(url)["Location"].startswith(TWO_FACTOR)

    def test_api_calls_of_an_unverified_session_get_401_json_not_a_redirect(self, client):
        log_in(client, UserFactory(role=Role.OFFICER))

        response = client.get("/api/v1/organizations")

        assert response.status_code == 401
        assert response.json() == {"detail": "Two-factor verification required."}

    def test_logout_stays_reachable(self, client):
        log_in(client, UserFactory(role=Role.OFFICER))

        response = client.post(reverse("accounts:logout"))

        assert response.status_code == 302
        assert not response["Location"].startswith(TWO_FACTOR)

    @pytest.mark.parametrize("role", [Role.APPLICANT, Role.COUNCIL_MEMBER])
    def test_people_outside_the_department_are_not_asked(self, client, role):
        log_in(client, UserFactory(role=role))

        assert client.get(reverse("web:home")).status_code == 200

    def test_set_up_page_shows_a_qr_code_and_the_secret(self, client):
        log_in(client, UserFactory(role=Role.OFFICER))

        response = client.get(TWO_FACTOR)

        assert response.status_code == 200
        html = response.content.decode()
        assert 'src="data:image/svg+xml;base64,' in html
        assert 'id="totp-secret"' in html
        assert "<script" not in html.split("<main")[1]
        assert not TOTPDevice.objects.exists()  # nothing is saved before a right code

    def test_set_up_key_is_stable_across_reloads(self, client):
        log_in(client, UserFactory(role=Role.OFFICER))

        first = client.get(TWO_FACTOR).context["secret"]
        second = client.get(TWO_FACTOR).context["secret"]

        assert first == second

    def test_a_wrong_set_up_code_saves_nothing(self, client):
        log_in(client, UserFactory(role=Role.OFFICER))
        client.get(TWO_FACTOR)

        response = _post_code(client, "000000")

        assert response.status_code == 200
        assert "token" in response.context["form"].errors
        assert not TOTPDevice.objects.exists()

    def test_a_right_set_up_code_turns_it_on_and_lets_the_user_in(self, client):
        officer = UserFactory(role=Role.OFFICER)
        log_in(client, officer)
        client.get(TWO_FACTOR)
        key = client.session[TOTP_SETUP_KEY_SESSION_KEY]
        session_before = client.cookies["sessionid"].value

        response = _post_code(client, totp_code(key), next_url="/app/users/")

        assert response.status_code == 302
        assert response["Location"] == "/app/users/"
        device = TOTPDevice.objects.get(user=officer)
        assert device.confirmed and device.key == key
        assert client.get(reverse("web:home")).status_code == 200
        assert client.cookies["sessionid"].value != session_before

    def test_the_set_up_code_cannot_be_replayed_at_the_next_login(self, client, clock):
        officer = UserFactory(role=Role.OFFICER)
        log_in(client, officer)
        client.get(TWO_FACTOR)
        code = totp_code(client.session[TOTP_SETUP_KEY_SESSION_KEY])
        _post_code(client, code)
        client.post(reverse("accounts:logout"))

        log_in(client, officer)
        response = _post_code(client, code)

        assert response.status_code == 200
        assert "token" in response.context["form"].errors

    def test_a_user_with_a_device_types_the_current_code(self, client):
        officer = UserFactory(role=Role.OFFICER)
        device = confirmed_device(officer)
        log_in(client, officer)

        page = client.get(TWO_FACTOR)
        response = _post_code(client, totp_code(device.key))

        assert page.status_code == 200
        assert "qr_data_uri" not in page.context
        assert response.status_code == 302
        assert response["Location"] == reverse("web:home")
        assert client.get(reverse("web:home")).status_code == 200

    def test_a_code_is_accepted_only_once(self, client, clock):
        officer = UserFactory(role=Role.OFFICER)
        device = confirmed_device(officer)
        code = totp_code(device.key)
        log_in(client, officer)
        assert _post_code(client, code).status_code == 302
        client.post(reverse("accounts:logout"))

        log_in(client, officer)
        clock.shift(dt.timedelta(seconds=2))  # past the throttle, still inside the same 30 s step
        replay = _post_code(client, code)

        assert replay.status_code == 200
        assert "already been used" in str(replay.context["form"].errors["token"])
        assert client.get(reverse("web:home")).status_code == 302

    def test_the_next_code_works_after_a_replay_is_refused(self, client, clock):
        officer = UserFactory(role=Role.OFFICER)
        device = confirmed_device(officer)
        services.totp_verify(user=officer, token=totp_code(device.key))
        log_in(client, officer)

        clock.shift(dt.timedelta(seconds=30))
        response = _post_code(client, totp_code(device.key))

        assert response.status_code == 302

    def test_an_old_code_is_refused(self, client, clock):
        officer = UserFactory(role=Role.OFFICER)
        device = confirmed_device(officer)
        old_code = totp_code(device.key)
        log_in(client, officer)

        clock.shift(dt.timedelta(minutes=5))
        response = _post_code(client, old_code)

        assert response.status_code == 200
        assert client.get(reverse("web:home")).status_code == 302

    def test_wrong_codes_are_throttled(self, client, clock):
        officer = UserFactory(role=Role.OFFICER)
        device = confirmed_device(officer)
        log_in(client, officer)
        _post_code(client, "000000")

        # Within the 1-second wait even the right code is refused, with a message saying so.
        response = _post_code(client, totp_code(device.key))

        assert response.status_code == 200
        assert "Too many wrong codes" in str(response.context["form"].errors["token"])
        clock.shift(dt.timedelta(seconds=2))
        assert _post_code(client, totp_code(device.key)).status_code == 302

    def test_badly_formed_code_gets_a_clear_message(self, client):
        officer = UserFactory(role=Role.OFFICER)
        confirmed_device(officer)
        log_in(client, officer)

        response = _post_code(client, "12ab")

        assert "Enter the 6 digits" in str(response.context["form"].errors["token"])
        assert 'value="12ab"' in response.content.decode()

    def test_a_verified_user_visiting_the_page_is_sent_on(self, client):
        officer = UserFactory(role=Role.OFFICER)
        device = confirmed_device(officer)
        log_in(client, officer)
        _post_code(client, totp_code(device.key))

        response = client.get(TWO_FACTOR)

        assert response.status_code == 302

    def test_next_to_another_site_is_ignored(self, client):
        officer = UserFactory(role=Role.OFFICER)
        device = confirmed_device(officer)
        log_in(client, officer)

        response = _post_code(client, totp_code(device.key), next_url="https://evil.example/")

        assert response["Location"] == reverse("web:home")

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(TWO_FACTOR)

        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.usefixtures("clock")
class TestVoluntary:
    """With the setting off, staff are not asked, but anyone may turn two-factor login on."""

    def test_staff_are_not_asked_when_the_setting_is_off(self, client, settings):
        settings.OPENDOST_STAFF_2FA_REQUIRED = False
        log_in(client, UserFactory(role=Role.OFFICER))

        assert client.get(reverse("web:home")).status_code == 200

    def test_account_page_offers_set_up(self, client):
        log_in(client, UserFactory(role=Role.LEADER))

        response = client.get(reverse("accounts:account"))

        assert response.status_code == 200
        assert 'id="two-factor-status">Off.' in response.content.decode()
        assert f"{TWO_FACTOR}?next=" in response.content.decode()

    def test_after_voluntary_set_up_every_login_asks_for_a_code(self, client):
        leader = UserFactory(role=Role.LEADER)
        log_in(client, leader)
        client.get(TWO_FACTOR)
        key = client.session[TOTP_SETUP_KEY_SESSION_KEY]
        assert _post_code(client, totp_code(key)).status_code == 302
        client.post(reverse("accounts:logout"))

        log_in(client, leader)
        response = client.get(reverse("web:home"))

        assert response["Location"].startswith(TWO_FACTOR)
        account = client.get(reverse("accounts:account"))
        assert account["Location"].startswith(TWO_FACTOR)


class TestReset:
    def test_administrator_can_reset_a_lost_device(self):
        officer = UserFactory(role=Role.OFFICER)
        confirmed_device(officer)
        admin = UserFactory(role=Role.ADMINISTRATOR)

        assert services.totp_devices_reset(user=officer, actor=admin) == 1
        assert not TOTPDevice.objects.filter(user=officer).exists()

    def test_others_cannot_reset(self):
        from django.core.exceptions import PermissionDenied

        officer = UserFactory(role=Role.OFFICER)
        confirmed_device(officer)

        with pytest.raises(PermissionDenied):
            services.totp_devices_reset(user=officer, actor=UserFactory(role=Role.LEADER))
        assert TOTPDevice.objects.filter(user=officer).exists()
