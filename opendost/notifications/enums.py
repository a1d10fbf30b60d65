from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    IN_APP = "in_app", _("In the application")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # The worker stopped between handing the message to a non-idempotent channel and recording the
    # result: it may or may not have arrived. An officer confirms before anything is sent again.
    NEEDS_CHECK = "needs_check", _("Outcome unknown: needs checking")
    CANCELLED = "cancelled", _("Cancelled")
