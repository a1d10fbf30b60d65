import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse

# Set at login (opendost.accounts.signals) when the user has a confirmed authenticator device.
TWO_FACTOR_ENROLLED_SESSION_KEY = "opendost_2fa_enrolled"


class StaffTwoFactorMiddleware:
    """Users who must pass a TOTP check after the password are held on the two-factor page (S-10).

    That is every department staff member when OPENDOST_STAFF_2FA_REQUIRED is on, and anyone who set
    up an authenticator app voluntarily. Staff without a confirmed device are sent to set one up; the
    rest to enter a code. Only the two-factor page, logout, language switching and static files stay
    reachable until then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not self._exempt(request.path)
            and self._must_verify(request, user)
            and not user.is_verified()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Two-factor verification required."}, status=401)
            return redirect_to_login(request.get_full_path(), reverse("accounts:two_factor"))
        return self.get_response(request)

    @staticmethod
    def _must_verify(request, user) -> bool:
        if request.session.get(TWO_FACTOR_ENROLLED_SESSION_KEY):
            return True
        return settings.OPENDOST_STAFF_2FA_REQUIRED and user.is_department_staff

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = [
            reverse("accounts:two_factor"),
            reverse("accounts:logout"),
            reverse("set_language"),
            settings.STATIC_URL,
            reverse("healthz"),
        ]
        return any(path.startswith(p) for p in exempt)


LOGGED_IN_AT_SESSION_KEY = "opendost_logged_in_at"


class AbsoluteSessionTimeoutMiddleware:
    """A session ends SESSION_ABSOLUTE_SECONDS after login however active it is (S-08); the idle
    timeout is SESSION_COOKIE_AGE, renewed on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGGED_IN_AT_SESSION_KEY)
            now = time.time()
            if started is None:
                request.session[LOGGED_IN_AT_SESSION_KEY] = now  # sessions from before this rule
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
