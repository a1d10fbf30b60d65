from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "opendost.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from opendost.audit.signals import record_login_failed

        user_login_failed.connect(record_login_failed, dispatch_uid="opendost.audit.login_failed")
