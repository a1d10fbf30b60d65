import time

from opendost.accounts.middleware import LOGGED_IN_AT_SESSION_KEY, TWO_FACTOR_ENROLLED_SESSION_KEY


def sync_roles_after_migrate(sender, **kwargs):
    """post_migrate is sent once per installed app, and each app's permissions are created by
    Django's own handler for that app. Sync after the last app, when every permission exists."""
    from django.apps import apps

    from opendost.accounts.services import roles_sync

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is with_models[-1]:  # Django sends post_migrate only for apps with models
        roles_sync()


def remember_two_factor_enrollment(sender, request, user, **kwargs):
    """Note in the session whether the user has an authenticator, so the middleware asks for a code
    without a query on every request."""
    from opendost.accounts.selectors import user_has_totp_device

    if request is not None and hasattr(request, "session"):
        request.session[TWO_FACTOR_ENROLLED_SESSION_KEY] = user_has_totp_device(user)
        request.session[LOGGED_IN_AT_SESSION_KEY] = time.time()
