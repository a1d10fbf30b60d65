"""Helpers for login tests: log in through the real form, compute authenticator codes."""

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "Mat-khau-dai-du-dung-0!"  # the UserFactory default


def log_in(client, user, password: str = PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": password}, **extra)


def totp_code(key_hex: str, *, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (time-machine controls "now") for a hex secret."""
    totp = TOTP(bytes.fromhex(key_hex), drift=offset_steps)
    return f"{totp.token():06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
