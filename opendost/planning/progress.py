"""Actual against target, and the rule that colours a target (shown on the dashboard as written here).

RULE: the expected value is the target times the share of the plan's period elapsed (for figures
that accumulate: tasks, certificates, funding…); for a state or a rate (licences in force, share on
time) the expected value is the target itself. A target is on track when the actual reaches 90% of
the expected value, at risk from 70% up to 90%, off track below 70%. A range counts its minimum.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendost.planning.enums import ProgressStatus
from opendost.planning.indicators import FLOW

ON_TRACK_FROM = Decimal("0.9")
AT_RISK_FROM = Decimal("0.7")

RULE_TEXT = _(
    "Expected value = target × share of the plan period elapsed (for figures that accumulate); for a state "
    "or a rate the expected value is the target itself. On track: the actual reaches 90 percent of the "
    "expected value; at risk: 70 to under 90 percent; off track: under 70 percent. For a range the minimum counts."
)


def elapsed_share(start_year: int, end_year: int, as_of: dt.date) -> Decimal:
    """Days of the period up to `as_of` (inclusive) over all its days, between 0 and 1."""
    start, end = dt.date(start_year, 1, 1), dt.date(end_year, 12, 31)
    if as_of < start:
        return Decimal(0)
    if as_of >= end:
        return Decimal(1)
    return Decimal((as_of - start).days + 1) / Decimal((end - start).days + 1)


def expected_value(target_value: Decimal, kind: str, share: Decimal) -> Decimal:
    return target_value * share if kind == FLOW else target_value


def status_for(*, actual: Decimal | None, target_value: Decimal | None, kind: str, share: Decimal) -> str:
    if target_value is None:
        return ProgressStatus.NO_TARGET
    if actual is None:
        return ProgressStatus.NO_DATA
    expected = expected_value(target_value, kind, share)
    if expected <= 0:
        return ProgressStatus.ON_TRACK
    ratio = Decimal(actual) / expected
    if ratio >= ON_TRACK_FROM:
        return ProgressStatus.ON_TRACK
    if ratio >= AT_RISK_FROM:
        return ProgressStatus.AT_RISK
    return ProgressStatus.OFF_TRACK


def percent_of(actual: Decimal | None, target_value: Decimal | None) -> Decimal | None:
    if actual is None or not target_value:
        return None
    return (Decimal(actual) / target_value * 100).quantize(Decimal("0.1"))


def as_of_date(year: int) -> dt.date:
    """The day a dashboard for `year` is read on: the year's last day, or today during the year."""
    return min(dt.date(year, 12, 31), timezone.localdate())


@dataclass(frozen=True)
class Progress:
    actual: Decimal | None
    target_value: Decimal | None
    expected: Decimal | None
    percent: Decimal | None
    status: str

    @property
    def status_label(self) -> str:
        return ProgressStatus(self.status).label
