"""Daily jobs (reminders before deadlines, expiry control), declared by the apps that own them.

An app lists dotted paths on its AppConfig: `daily_jobs = ("opendost.radiation.services.expiry_reminders_send",)`.
Each job is called as `job(today=<legal date>)` and returns how many things it did. Jobs must be
idempotent for a day (they notify with an event key that includes the threshold or the date), so
running them twice, or on two machines, sends nothing twice. `manage.py daily_jobs --loop` (started by
`./dev run`) runs them at start and again whenever the legal date changes.
"""

import logging
from collections.abc import Callable

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def daily_jobs() -> list[tuple[str, Callable[..., int]]]:
    jobs = []
    for config in apps.get_app_configs():
        for dotted in getattr(config, "daily_jobs", ()):
            jobs.append((dotted, import_string(dotted)))
    return jobs


def daily_jobs_run(*, today=None) -> dict[str, int | str]:
    """Run every job once for `today`; a failing job is logged and reported, the others still run."""
    today = today or timezone.localdate()
    report: dict[str, int | str] = {}
    for name, job in daily_jobs():
        try:
            report[name] = int(job(today=today) or 0)
        except Exception as exc:  # one broken job must not stop the reminders of the others
            logger.exception("daily job %s failed", name)
            report[name] = f"failed: {exc.__class__.__name__}"
    return report
