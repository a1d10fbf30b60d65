"""Login, logout, password change, two-factor login and the "my account" page."""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from opendost.accounts import selectors, services
from opendost.accounts.forms import LoginForm, PasswordChangeForm, TokenForm
from opendost.accounts.middleware import TWO_FACTOR_ENROLLED_SESSION_KEY
from opendost.accounts.qr import qr_svg_data_uri, secret_for_display

# The secret of an authenticator app being set up; saved only once the user types a right code.
TOTP_SETUP_KEY_SESSION_KEY = "opendost_totp_setup_key"

login_view = login_not_required(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
    )
)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out by POST only (a GET link could be triggered by another site); the session is flushed."""
    response = auth_views.LogoutView.as_view()(request)
    messages.info(request, _("You have logged out."))
    return response


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            user=request.user, new_password=form.cleaned_data["new_password1"], actor=request.user
        )
        # Keeps this session (with a new key) and ends every other session of the user.
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed. Other sessions have been logged out."))
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "role_labels": user.role_labels,
            "has_totp_device": selectors.user_has_totp_device(user),
            "two_factor_required": settings.OPENDOST_STAFF_2FA_REQUIRED and user.is_department_staff,
        },
    )


@sensitive_post_parameters("token")
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of login: set up an authenticator app, or type the code it shows (S-10)."""
    user = request.user
    next_url = _safe_next(request)
    if user.is_verified():
        messages.info(request, _("You have already confirmed this login with your authenticator app."))
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return _two_factor_setup(request, next_url)

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()  # django-otp waits 1, 2, 4... s after each wrong code
        verified = services.totp_verify(user=user, token=form.cleaned_data["token"]) if allowed else None
        if verified is not None:
            return _two_factor_done(request, verified, next_url)
        if allowed:
            form.add_error("token", _("This code is not correct or has already been used. Try the next code."))
        else:
            form.add_error("token", _("Too many wrong codes. Wait a minute, then type the newest code."))
    return render(request, "accounts/two_factor.html", {"form": form, "next": next_url})


def _two_factor_setup(request: HttpRequest, next_url: str) -> HttpResponse:
    key = request.session.get(TOTP_SETUP_KEY_SESSION_KEY)
    if not key:
        key = random_hex(20)
        request.session[TOTP_SETUP_KEY_SESSION_KEY] = key
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.totp_device_create(user=request.user, key=key, token=form.cleaned_data["token"])
        if device is not None:
            del request.session[TOTP_SETUP_KEY_SESSION_KEY]
            messages.success(request, _("Your authenticator app is set up. You will be asked for a code at login."))
            return _two_factor_done(request, device, next_url)
        form.add_error("token", _("This code is not correct. Check the time on your phone and type the newest code."))
    preview = TOTPDevice(user=request.user, key=key, name=services.TOTP_DEVICE_NAME)
    context = {
        "form": form,
        "next": next_url,
        "qr_data_uri": qr_svg_data_uri(preview.config_url),
        "secret": secret_for_display(preview.bin_key),
        "required": settings.OPENDOST_STAFF_2FA_REQUIRED and request.user.is_department_staff,
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _two_factor_done(request: HttpRequest, device: TOTPDevice, next_url: str) -> HttpResponse:
    django_otp.login(request, device)
    request.session[TWO_FACTOR_ENROLLED_SESSION_KEY] = True
    request.session.cycle_key()  # a new session id for the now fully authenticated session
    return redirect(next_url)


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL
