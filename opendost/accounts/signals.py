from opendost.accounts.middleware import TWO_FACTOR_ENROLLED_SESSION_KEY


def sync_roles_after_migrate(sender, **kwargs):
    from opendost.accounts.services import roles_sync

    roles_sync()


def remember_two_factor_enrollment(sender, request, user, **kwargs):
    """Note in the session whether the user has an authenticator, so the middleware asks for a code
    without a query on every request."""
    from opendost.accounts.selectors import user_has_totp_device

    if request is not None and hasattr(request, "session"):
        request.session[TWO_FACTOR_ENROLLED_SESSION_KEY] = user_has_totp_device(user)
