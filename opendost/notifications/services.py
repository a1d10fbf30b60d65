"""Writers of the outbox: notify (inside the business transaction), delivery (the worker), inbox actions.

Delivery guarantee (R-14, docs/adr/0011-outbox.md): a message reaches its recipient at most once. Each
row is claimed with a conditional UPDATE that commits before anything is sent, so two workers can never
send the same row, and a worker killed between sending and recording leaves the row in "sending". When
its lease runs out the row is retried only if its channel is idempotent; otherwise it goes to
"needs_check" for an officer.
"""

import logging
import os
import socket
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opendost.notifications import conf
from opendost.notifications.adapters import DeliveryError, adapter_for
from opendost.notifications.enums import MessageChannel, MessageStatus
from opendost.notifications.models import Message

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """Someone to notify. A User can be passed to notify() directly; this is for people without an
    account (an applicant's email) or for overriding the address."""

    user: object | None = None
    email: str = ""
    phone: str = ""

    @classmethod
    def of(cls, value) -> "Recipient":
        if isinstance(value, Recipient):
            return value
        return cls(user=value, email=value.email or "", phone=getattr(value, "phone", "") or "")

    def address_for(self, channel: str) -> str:
        return {MessageChannel.EMAIL: self.email, MessageChannel.SMS: self.phone}.get(channel, "")


def notify(
    *,
    event_key: str,
    recipients: Iterable,
    subject: str,
    body: str,
    channels: Iterable[str],
    context: dict | None = None,
) -> list[Message]:
    """Write one outbox row per (recipient, channel) for a business event and schedule delivery.

    MUST be called inside the transaction that records the event (the calling service's
    @transaction.atomic): the rows commit or roll back with the event, and delivery is only scheduled
    on commit. Calling it twice for the same event_key is harmless: existing rows are kept and no
    second row is written (unique constraints + INSERT ... ON CONFLICT DO NOTHING / INSERT OR IGNORE).

    subject and body are final text in the recipient's language; they are stored as sent. A recipient
    without an address for a channel (no email, no phone, no account for in-app) is skipped for that
    channel. context may carry "url", a same-site path the in-app message links to.

    Returns the event's messages on the requested channels (new and pre-existing).
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "notify() must run inside the transaction that records the business event."
        )
    channels = [MessageChannel(c) for c in channels]
    context = dict(context or {})
    url = context.get("url", "")
    if url and (not isinstance(url, str) or not url.startswith("/") or url.startswith("//")):
        raise ValidationError(_("A notification link must be a path on this site."))
    rows = []
    for recipient in map(Recipient.of, recipients):
        for channel in channels:
            if channel == MessageChannel.IN_APP:
                if recipient.user is None:
                    continue
                address = ""
            else:
                address = recipient.address_for(channel)
                if not address:
                    logger.info("No %s address for a recipient of %s; skipped", channel, event_key)
                    continue
            rows.append(
                Message(
                    event_key=event_key,
                    channel=channel,
                    recipient_user=recipient.user,
                    recipient_address=address,
                    subject=subject[:200],
                    body=body,
                    context=context,
                )
            )
    if rows:
        Message.objects.bulk_create(rows, ignore_conflicts=True)
        transaction.on_commit(_enqueue_delivery)
    return list(Message.objects.filter(event_key=event_key, channel__in=channels).order_by("pk"))


def _enqueue_delivery() -> None:
    from opendost.notifications.tasks import deliver_pending_task

    try:
        deliver_pending_task.enqueue()
    except Exception:  # The rows are committed; the periodic outbox_deliver run will pick them up.
        logger.exception("Could not enqueue outbox delivery")


# DELIVERY -----------------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    needs_check: int = 0
    recovered: int = 0
    lost_claims: int = 0
    message_ids: list[int] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return len(self.message_ids)


def default_worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def outbox_deliver(*, batch: int = 50, worker_id: str | None = None) -> DeliveryReport:
    """Deliver up to `batch` due messages. Run it OUTSIDE any transaction (autocommit): each claim must be
    committed before the message is sent, or the guarantee is lost.

    1. Recover rows whose lease ran out (recover_stale_claims).
    2. List due pending rows (partial index on next_attempt_at).
    3. For each, claim it: UPDATE ... SET status='sending' WHERE pk=? AND status='pending' AND due.
       Zero rows updated means another worker got it first; move on. One row is claimed at a time, so a
       killed worker strands at most one message.
    4. Hand it to the channel adapter, then record the outcome with a conditional UPDATE that only
       succeeds while this worker still holds the claim.
    """
    worker_id = worker_id or default_worker_id()
    report = DeliveryReport()
    report.recovered, report.needs_check = recover_stale_claims()
    due = Message.objects.due(timezone.now()).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    for pk in list(due[:batch]):
        now = timezone.now()
        claimed = Message.objects.filter(pk=pk, status=MessageStatus.PENDING, next_attempt_at__lte=now).update(
            status=MessageStatus.SENDING, claimed_at=now, claimed_by=worker_id, attempts=F("attempts") + 1
        )
        if claimed != 1:
            continue
        report.message_ids.append(pk)
        _deliver_claimed(Message.objects.get(pk=pk), worker_id=worker_id, report=report)
    return report


def _deliver_claimed(message: Message, *, worker_id: str, report: DeliveryReport) -> None:
    mine = Message.objects.filter(pk=message.pk, claimed_by=worker_id)
    adapter = None
    try:
        adapter = adapter_for(message.channel)
        adapter.deliver(message)
    except DeliveryError as exc:
        _record_failure(mine, message, str(exc), permanent=exc.permanent, report=report)
    except Exception as exc:
        logger.exception("Outbox message %s: outcome unknown", message.public_id)
        if adapter is None or adapter.supports_idempotency:
            # Nothing was sent (no adapter) or a repeat is dropped by the far end: retrying is safe.
            _record_failure(mine, message, f"{type(exc).__name__}: {exc}", permanent=False, report=report)
        else:
            mine.filter(status=MessageStatus.SENDING).update(
                status=MessageStatus.NEEDS_CHECK, last_error=f"Outcome unknown: {type(exc).__name__}: {exc}"
            )
            report.needs_check += 1
    else:
        done = mine.filter(status__in=[MessageStatus.SENDING, MessageStatus.NEEDS_CHECK]).update(
            status=MessageStatus.SENT, sent_at=timezone.now(), last_error=""
        )
        if done == 1:
            report.sent += 1
        else:  # The lease ran out and another worker took the row over; it records the outcome.
            report.lost_claims += 1
            logger.warning("Outbox message %s: claim lost before recording the send", message.public_id)


def _record_failure(mine, message: Message, error: str, *, permanent: bool, report: DeliveryReport) -> None:
    if permanent or message.attempts >= conf.max_attempts():
        mine.filter(status=MessageStatus.SENDING).update(status=MessageStatus.FAILED, last_error=error)
        report.failed += 1
    else:
        mine.filter(status=MessageStatus.SENDING).update(
            status=MessageStatus.PENDING,
            last_error=error,
            next_attempt_at=timezone.now() + conf.retry_delay(message.attempts),
        )
        report.retrying += 1


def recover_stale_claims() -> tuple[int, int]:
    """Rows left in "sending" past the lease belong to a dead worker. Idempotent channels go back to
    pending (re-sent with the same idempotency key); the others go to needs_check, never re-sent
    automatically. Returns (requeued, needs_check)."""
    cutoff = timezone.now() - conf.lease()
    requeued = needs_check = 0
    stale = Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=cutoff)
    for pk, channel in stale.values_list("pk", "channel"):
        still_stale = Message.objects.filter(pk=pk, status=MessageStatus.SENDING, claimed_at__lt=cutoff)
        if adapter_for(channel).supports_idempotency:
            requeued += still_stale.update(status=MessageStatus.PENDING, next_attempt_at=timezone.now())
        else:
            needs_check += still_stale.update(
                status=MessageStatus.NEEDS_CHECK,
                last_error="The worker stopped while sending; the message may have been delivered.",
            )
    if needs_check:
        logger.warning("Outbox: %s message(s) need checking after a worker stopped mid-send", needs_check)
    return requeued, needs_check


# OFFICER ACTIONS ------------------------------------------------------------------------------------


@transaction.atomic
def message_resolve(*, message: Message, delivered: bool, actor) -> Message:
    """An officer's decision on a needs_check or failed message: confirm it arrived (-> sent) or send it
    again (-> pending; an email keeps its Message-ID)."""
    if not actor.has_perm("notifications.change_message"):
        raise PermissionDenied
    sources = [MessageStatus.NEEDS_CHECK] if delivered else [MessageStatus.NEEDS_CHECK, MessageStatus.FAILED]
    now = timezone.now()
    changes = (
        {"status": MessageStatus.SENT, "sent_at": now}
        if delivered
        else {"status": MessageStatus.PENDING, "next_attempt_at": now, "attempts": 0}
    )
    if Message.objects.filter(pk=message.pk, status__in=sources).update(**changes) != 1:
        raise ValidationError(_("This message is no longer waiting for a decision."))
    logger.info("Outbox message %s resolved by %s: delivered=%s", message.public_id, actor.pk, delivered)
    if not delivered:
        transaction.on_commit(_enqueue_delivery)
    message.refresh_from_db()
    return message


@transaction.atomic
def message_cancel(*, message: Message, actor) -> Message:
    if not actor.has_perm("notifications.change_message"):
        raise PermissionDenied
    if Message.objects.filter(pk=message.pk, status=MessageStatus.PENDING).update(status=MessageStatus.CANCELLED) != 1:
        raise ValidationError(_("Only a message waiting to be sent can be cancelled."))
    message.refresh_from_db()
    return message


# INBOX ----------------------------------------------------------------------------------------------


@transaction.atomic
def message_mark_read(*, message: Message, actor) -> bool:
    """Mark one in-app message read. Only its recipient may; returns False if it was already read."""
    if message.recipient_user_id != actor.pk or message.channel != MessageChannel.IN_APP:
        raise PermissionDenied
    updated = Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
    message.refresh_from_db(fields=["read_at"])
    return updated == 1


@transaction.atomic
def message_mark_all_read(*, actor) -> int:
    return Message.objects.visible_to(actor).unread().update(read_at=timezone.now())
