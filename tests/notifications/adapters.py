"""Channel adapters used by the tests (selected through OPENDOST_EMAIL_ADAPTER / OPENDOST_SMS_ADAPTER)."""

import os
import threading
import time
from pathlib import Path

from opendost.notifications.adapters import DeliveryError, EmailAdapter, SmsAdapter


class BlockingEmailAdapter(EmailAdapter):
    """Sends for real (to the configured mailer), then says so with a flag file and waits while the
    `block` flag exists: the worst moment to be killed, after the hand-over and before "sent" is recorded."""

    def deliver(self, message):
        super().deliver(message)
        flags = Path(os.environ["OUTBOX_TEST_FLAG_DIR"])
        (flags / f"handed-over-{message.public_id}").touch()
        while (flags / "block").exists():
            time.sleep(0.05)


class RecordingEmailAdapter(EmailAdapter):
    """Thread-safe record of every hand-over, by message public_id."""

    lock = threading.Lock()
    delivered: list[str] = []

    def deliver(self, message):
        with self.lock:
            type(self).delivered.append(str(message.public_id))


class RefusedEmailAdapter(EmailAdapter):
    def deliver(self, message):
        raise DeliveryError("Connection refused")


class BouncedEmailAdapter(EmailAdapter):
    def deliver(self, message):
        raise DeliveryError("550 No such user", permanent=True)


class CrashingEmailAdapter(EmailAdapter):
    def deliver(self, message):
        raise ConnectionResetError("connection reset after DATA")


class IdempotentSmsAdapter(SmsAdapter):
    supports_idempotency = True
    calls: list[tuple[str, str, str]] = []
    fail_next = 0

    def send(self, phone, text, idempotency_key):
        type(self).calls.append((phone, text, idempotency_key))
        if type(self).fail_next:
            type(self).fail_next -= 1
            raise TimeoutError("gateway timed out")
