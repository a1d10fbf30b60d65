from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("Status changed")
    EXPORT = "export", _("Exported")
    VIEW_PERSONAL = "view_personal", _("Personal data viewed")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    AUTHZ_DENIED = "authz_denied", _("Access denied")
