"""Outbox settings, each with a default so a fresh install needs none of them.

OPENDOST_EMAIL_ADAPTER / OPENDOST_SMS_ADAPTER are dotted paths; the real SMS gateway is configured per
deployment. The lease is how long a claimed message may stay in "sending" before the worker that
claimed it is presumed dead.
"""

from datetime import timedelta

from django.conf import settings


def email_adapter_path() -> str:
    return getattr(settings, "OPENDOST_EMAIL_ADAPTER", "opendost.notifications.adapters.EmailAdapter")


def sms_adapter_path() -> str:
    return getattr(settings, "OPENDOST_SMS_ADAPTER", "opendost.notifications.adapters.LogSmsAdapter")


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "OPENDOST_OUTBOX_LEASE_SECONDS", 600))


def max_attempts() -> int:
    return getattr(settings, "OPENDOST_OUTBOX_MAX_ATTEMPTS", 6)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: 1, 2, 4, 8 ... minutes, at most 6 hours."""
    base = getattr(settings, "OPENDOST_OUTBOX_RETRY_BASE_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))
