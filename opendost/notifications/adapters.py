"""Channel adapters: how one outbox row leaves the building.

Contract (docs/adr/0011-outbox.md):
- return normally: the message was handed over (in-app: nothing to hand over);
- raise DeliveryError: it was definitely NOT handed over; the worker retries with backoff, or gives up
  when `permanent` is set or the attempts are used up;
- raise anything else: the outcome is unknown. If the adapter is idempotent (the far end drops a repeat
  carrying the same idempotency key) the worker retries; otherwise the message goes to needs_check
  and is never sent again without an officer's decision.
"""

import logging
import smtplib
from abc import ABC, abstractmethod
from email.utils import parseaddr
from functools import cache

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from opendost.notifications import conf
from opendost.notifications.enums import MessageChannel
from opendost.notifications.models import Message

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The message was definitely not handed over. `permanent`: retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def mask_phone(phone: str) -> str:
    """Logs never carry a full phone number (R-22): '0912345678' -> '*******678'."""
    keep = 3 if len(phone) > 4 else 0
    return "*" * (len(phone) - keep) + phone[len(phone) - keep :]


class ChannelAdapter(ABC):
    # True when sending the same message twice (same idempotency key) reaches the person at most once.
    supports_idempotency: bool = False

    @abstractmethod
    def deliver(self, message: Message) -> None: ...


class InAppAdapter(ChannelAdapter):
    """The row is the message: it is in the inbox as soon as the event commits. Nothing to send."""

    supports_idempotency = True

    def deliver(self, message: Message) -> None:
        return None


def message_id_for(message: Message) -> str:
    """A Message-ID derived from the row, the same on every attempt: if an officer resends a message whose
    first attempt did arrive, mail clients that de-duplicate by Message-ID drop the copy, and mail server
    logs can be searched for it."""
    domain = getattr(settings, "OPENDOST_EMAIL_MESSAGE_ID_DOMAIN", "") or (
        parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "opendost.invalid"
    )
    return f"<{message.public_id}@{domain}>"


class EmailAdapter(ChannelAdapter):
    """Sends through Django's default mailer (settings.MAILERS["default"]).

    SMTP has no idempotency key, so this adapter is not idempotent. Errors are sorted by when they happen:
    before the server accepted the message (connection, login, refusals, 4xx/5xx to DATA) they are
    DeliveryErrors; anything after or in between is left to propagate as "outcome unknown".
    """

    supports_idempotency = False

    def build(self, message: Message) -> EmailMessage:
        body = render_to_string("notifications/email_message.txt", {"message": message, "site_url": settings.SITE_URL})
        return EmailMessage(
            subject=message.subject,
            body=body,
            to=[message.recipient_address],
            headers={"Message-ID": message_id_for(message)},
        )

    def deliver(self, message: Message) -> None:
        email = self.build(message)
        connection = mailers.default
        try:
            connection.open()
        except (OSError, smtplib.SMTPException) as exc:  # refused, DNS, TLS, login: nothing was sent
            raise DeliveryError(f"Could not connect to the mail server: {exc}") from exc
        try:
            connection.send_messages([email])
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"The mail server refused the recipient: {exc}", permanent=True) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise DeliveryError(
                f"The mail server rejected the message: {exc}", permanent=exc.smtp_code >= 500
            ) from exc
        finally:
            try:
                connection.close()
            except (OSError, smtplib.SMTPException):
                logger.warning("Closing the mail connection failed after sending", exc_info=True)


class SmsAdapter(ABC):
    """What a deployment implements for its SMS gateway (OPENDOST_SMS_ADAPTER).

    `idempotency_key` is stable for a message across attempts. Set `supports_idempotency = True` only if
    the gateway drops a repeated request carrying the same key; then a worker killed mid-send is
    simply retried. Raise DeliveryError when the gateway definitely did not accept the message.
    """

    supports_idempotency: bool = False

    @abstractmethod
    def send(self, phone: str, text: str, idempotency_key: str) -> None: ...


class LogSmsAdapter(SmsAdapter):
    """Development default: writes the SMS to the log (phone masked) and sends nothing."""

    def send(self, phone: str, text: str, idempotency_key: str) -> None:
        logger.info("SMS to %s (key %s): %s", mask_phone(phone), idempotency_key, text)


class SmsChannelAdapter(ChannelAdapter):
    def __init__(self, gateway: SmsAdapter):
        self.gateway = gateway
        self.supports_idempotency = gateway.supports_idempotency

    def deliver(self, message: Message) -> None:
        text = message.body if not message.subject else f"{message.subject}: {message.body}"
        self.gateway.send(message.recipient_address, text, str(message.public_id))


@cache
def _load(path: str):
    return import_string(path)


def adapter_for(channel: str) -> ChannelAdapter:
    if channel == MessageChannel.IN_APP:
        return InAppAdapter()
    if channel == MessageChannel.EMAIL:
        return _load(conf.email_adapter_path())()
    if channel == MessageChannel.SMS:
        return SmsChannelAdapter(_load(conf.sms_adapter_path())())
    raise ValueError(f"Unknown channel {channel!r}")
