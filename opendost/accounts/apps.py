from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "opendost.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from opendost.accounts.signals import remember_two_factor_enrollment, sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.roles_sync")
        user_logged_in.connect(remember_two_factor_enrollment, dispatch_uid="accounts.two_factor_enrollment")


class OpenDostAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with OpenDOST's admin site (administrators only, one login page).

    Listed in INSTALLED_APPS in place of "django.contrib.admin".
    """

    default = False

    default_site = "opendost.accounts.admin_site.OpenDostAdminSite"
