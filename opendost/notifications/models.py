"""The outbox: one row per (business event, channel, recipient), written in the event's transaction.

A row is both the record of what the department told someone and the work item for the delivery
worker (services.outbox_deliver). See docs/adr/0011-outbox.md for the delivery guarantees.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendost.common.models import PublicIdModel
from opendost.notifications.enums import MessageChannel, MessageStatus


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, user) -> "MessageQuerySet":
        """A user's inbox: only in-app messages addressed to them (nobody reads another's inbox)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient_user=user, channel=MessageChannel.IN_APP).exclude(status=MessageStatus.CANCELLED)

    def due(self, now) -> "MessageQuerySet":
        return self.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)

    def unread(self) -> "MessageQuerySet":
        return self.filter(read_at__isnull=True)


class Message(PublicIdModel):
    event_key = models.CharField(
        _("event key"),
        max_length=200,
        help_text=_("Idempotency key of the business event, e.g. subjects.organization_created:<uuid>."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_messages",
        verbose_name=_("recipient"),
    )
    recipient_address = models.CharField(
        _("recipient address"), max_length=254, blank=True, help_text=_("Email address or phone number.")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    context = models.JSONField(_("context"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MessageStatus, default=MessageStatus.PENDING, editable=False
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True, editable=False)
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            # One event never produces two messages for the same recipient on the same channel.
            models.UniqueConstraint(
                fields=["event_key", "channel", "recipient_user"],
                condition=Q(recipient_user__isnull=False),
                name="notifications_message_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["event_key", "channel", "recipient_address"],
                condition=Q(recipient_user__isnull=True),
                name="notifications_message_once_per_address",
            ),
            models.CheckConstraint(
                condition=~Q(channel=MessageChannel.IN_APP) | Q(recipient_user__isnull=False),
                name="notifications_message_in_app_has_user",
            ),
            models.CheckConstraint(
                condition=Q(channel=MessageChannel.IN_APP) | ~Q(recipient_address=""),
                name="notifications_message_external_has_address",
            ),
        ]
        indexes = [
            # The worker's poll: pending rows by due time (healthchecks' alert_after index).
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=MessageStatus.PENDING),
                name="notif_msg_pending_due_idx",
            ),
            models.Index(
                fields=["claimed_at"], condition=Q(status=MessageStatus.SENDING), name="notif_msg_sending_idx"
            ),
            # The inbox page and the unread badge.
            models.Index(
                fields=["recipient_user", "-created_at"],
                condition=Q(channel=MessageChannel.IN_APP),
                name="notif_msg_inbox_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def link(self) -> str:
        """A same-site path the message points to (validated when the message is written)."""
        url = (self.context or {}).get("url", "")
        return url if isinstance(url, str) and url.startswith("/") and not url.startswith("//") else ""
