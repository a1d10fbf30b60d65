from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class StaffTwoFactorMiddleware:
    """When OPENDOST_STAFF_2FA_REQUIRED is on, staff must pass a TOTP check after the password (S-10).

    Staff without a confirmed device are sent to set one up; the rest to enter a code. Only the
    two-factor pages, logout and the public portal stay reachable until then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.OPENDOST_STAFF_2FA_REQUIRED
            and user is not None
            and user.is_authenticated
            and user.is_department_staff
            and not user.is_verified()
            and not self._exempt(request.path)
        ):
            return redirect(reverse("accounts:two_factor") + "?next=" + request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = [reverse("accounts:two_factor"), reverse("accounts:logout"), settings.STATIC_URL, "/healthz"]
        return any(path.startswith(p) for p in exempt)
