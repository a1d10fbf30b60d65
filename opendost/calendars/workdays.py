"""Working-day arithmetic in legal time (Asia/Ho_Chi_Minh). docs/adr/0009-legal-calendar.md.

The calendar of state agencies is, for each date, in this order of precedence:

1. a `CalendarOverride` row (the officers' table of each year's official swaps), else
2. a day off listed by the `holidays` library for Vietnam (statutory holidays of Labour Code 2019
   Art. 112, lunar Tết included, compensatory days of Art. 111(3) and the swapped days off it knows),
   else
3. a make-up working Saturday the library knows (`weekend_workdays`, or implied by a day off named
   "Ngày nghỉ (thay cho ngày DD/MM/YYYY)"), else
4. the 5-day week: Saturday and Sunday off (Decision 188/1999/QĐ-TTg).

Counting rules (Civil Code 2015 Art. 147-148, §3.4 of the domain reference):

- A period starts on the day *after* the triggering day: `add_working_days(start, n)` is the n-th
  working day strictly after `start`; `add_calendar_days(start, n)` is `start + n` days.
- A period in calendar days whose last day is a day off ends on the next working day (Art. 148(5));
  `roll_forward=False` switches that off for the rare text that says otherwise.
- Days inside a `Pause` (the clock stopped while a dossier waits for supplements) do not count, and
  counting resumes with the remaining days after it.

`WorkCalendar` is pure: give it the overrides and it answers from them and the library. The
module-level functions use the current calendar, whose overrides come from the database and are
cached per process (`current()`, `clear_cache()`).
"""

import datetime
import functools
import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
from django.apps import apps
from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import get_language, pgettext

from opendost.calendars.enums import DeadlineUnit, OverrideKind, StartRule

# Legal time is Vietnamese time whatever the server's TIME_ZONE says.
LEGAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_DAY = datetime.timedelta(days=1)
WEEKEND = frozenset({5, 6})  # Saturday, Sunday (QĐ 188/1999/QĐ-TTg)
# No period we count is longer than this; a longer search means the inputs are wrong (e.g. a pause
# that never ends), and failing beats looping until date.max.
MAX_SEARCH = datetime.timedelta(days=366 * 30)
# The library names a swapped day off "Ngày nghỉ (thay cho ngày 22/08/2026)": the date in brackets
# is the weekend day worked in exchange.
_SWAPPED_FOR = re.compile(r"\(thay cho ngày (\d{2})/(\d{2})/(\d{4})\)")


class OverrideDay(NamedTuple):
    kind: str  # OverrideKind value
    name: str


@dataclass(frozen=True)
class Pause:
    """Days on which a clock does not run, `first` to `last` inclusive."""

    first: datetime.date
    last: datetime.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("A pause cannot end before it starts.")

    def __contains__(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last

    @classmethod
    def from_datetimes(cls, stopped_at: datetime.datetime, resumed_at: datetime.datetime) -> "Pause | None":
        """The pause of a clock stopped at `stopped_at` (the request for supplements) and restarted at
        `resumed_at` (receipt of the supplements).

        The day of the stop has been counted already; the day the supplements arrive does not count,
        as for a first receipt: counting resumes the day after. None when nothing is excluded.
        """
        first = legal_date(stopped_at) + ONE_DAY
        last = legal_date(resumed_at)
        return cls(first, last) if first <= last else None


@dataclass(frozen=True)
class DeadlineRule:
    """A statutory time limit: "n working days / n days from receipt of a complete dossier" (§1.5)."""

    unit: str  # DeadlineUnit value
    count: int
    start: str = StartRule.NEXT_WORKING_DAY

    def __post_init__(self) -> None:
        if self.unit not in DeadlineUnit.values:
            raise ValueError(f"Unknown deadline unit {self.unit!r}.")
        if self.start not in StartRule.values:
            raise ValueError(f"Unknown start rule {self.start!r}.")
        if self.count < 0:
            raise ValueError("A deadline cannot count a negative number of days.")


PauseLike = Pause | tuple[datetime.date, datetime.date]


def legal_date(value: datetime.datetime | datetime.date) -> datetime.date:
    """The Vietnamese calendar date of an instant (a date is returned as it is).

    A naive datetime is refused: guessing its zone is how a 23:59 receipt becomes the next day's.
    """
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("A receipt time must be timezone-aware.")
        return value.astimezone(LEGAL_TZ).date()
    return value


def library_language() -> str:
    return "en_US" if (get_language() or "vi").startswith("en") else "vi"


@functools.lru_cache(maxsize=512)
def library_year(year: int, language: str = "vi") -> tuple[Mapping[datetime.date, str], frozenset[datetime.date]]:
    """(days off with their names, make-up working weekend days) the `holidays` library gives for `year`.

    A swap can cross the year boundary (31/12/2018 off for Saturday 05/01/2019), so the neighbouring
    years are populated as well and the results cut to `year`.
    """
    lib = holidays.country_holidays("VN", years=(year - 1, year, year + 1), language=language)
    days_off = {day: name for day, name in lib.items() if day.year == year}
    workdays = {day for day in lib.weekend_workdays if day.year == year}
    # The same swaps, read from the names of the vi entries (the library's own labels), so a make-up
    # Saturday is never lost if a release stops filling `weekend_workdays`.
    for day in swapped_workdays(year):
        workdays.add(day)
    return MappingProxyType(days_off), frozenset(workdays)


@functools.lru_cache(maxsize=512)
def swapped_workdays(year: int) -> Mapping[datetime.date, datetime.date]:
    """Make-up working weekend days in `year` implied by the library's swapped days off:
    {working weekend day: the day off given in exchange}."""
    lib = holidays.country_holidays("VN", years=(year - 1, year, year + 1), language="vi")
    found = {}
    for day_off, name in lib.items():
        for match in _SWAPPED_FOR.finditer(name):
            dd, mm, yyyy = (int(part) for part in match.groups())
            worked = datetime.date(yyyy, mm, dd)
            if worked.year == year:
                found[worked] = day_off
    return MappingProxyType(found)


def _normalise_pauses(pauses: Iterable[PauseLike]) -> tuple[Pause, ...]:
    return tuple(p if isinstance(p, Pause) else Pause(*p) for p in pauses)


def _paused(day: datetime.date, pauses: tuple[Pause, ...]) -> bool:
    return any(day in p for p in pauses)


class WorkCalendar:
    """The working calendar of state agencies: the library's holidays plus the given overrides."""

    def __init__(self, overrides: Mapping[datetime.date, OverrideDay] | None = None) -> None:
        self.overrides: Mapping[datetime.date, OverrideDay] = MappingProxyType(dict(overrides or {}))

    def is_working_day(self, day: datetime.date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override.kind == OverrideKind.WORKING_DAY
        days_off, workdays = library_year(day.year)
        if day in days_off:
            return False
        if day.weekday() in WEEKEND:
            return day in workdays
        return True

    def why_not_working(self, day: datetime.date) -> str | None:
        """Why `day` is a day off (the override's or the holiday's name, or the weekday), or None if
        it is a working day. Holiday names follow the active language (vi or en)."""
        if self.is_working_day(day):
            return None
        override = self.overrides.get(day)
        if override is not None:
            return override.name
        days_off, _ = library_year(day.year, library_language())
        if day in days_off:
            return days_off[day]
        if day.weekday() == 5:
            return pgettext("day off", "Saturday")
        return pgettext("day off", "Sunday")

    def next_working_day(self, day: datetime.date, *, pauses: Iterable[PauseLike] = ()) -> datetime.date:
        """The first working day strictly after `day` (outside any pause)."""
        return self.add_working_days(day, 1, pauses=pauses)

    def add_working_days(self, start: datetime.date, n: int, *, pauses: Iterable[PauseLike] = ()) -> datetime.date:
        """The n-th working day after `start`, not counting days inside `pauses` (`start` when n is 0)."""
        if n < 0:
            raise ValueError("Use a non-negative number of working days.")
        pauses = _normalise_pauses(pauses)
        day, left = start, n
        while left:
            day = self._step(day, start)
            if self.is_working_day(day) and not _paused(day, pauses):
                left -= 1
        return day

    def add_calendar_days(
        self,
        start: datetime.date,
        n: int,
        *,
        pauses: Iterable[PauseLike] = (),
        roll_forward: bool = True,
    ) -> datetime.date:
        """`start` plus n days, not counting days inside `pauses`. With `roll_forward`, a last day
        that is a day off (or paused) moves to the next working day (Civil Code Art. 148(5))."""
        if n < 0:
            raise ValueError("Use a non-negative number of days.")
        pauses = _normalise_pauses(pauses)
        day, left = start, n
        while left:
            day = self._step(day, start)
            if not _paused(day, pauses):
                left -= 1
        if roll_forward:
            while not self.is_working_day(day) or _paused(day, pauses):
                day = self._step(day, start)
        return day

    def count_working_days(self, start: datetime.date, end: datetime.date, *, pauses: Iterable[PauseLike] = ()) -> int:
        """Working days d with start < d <= end, outside pauses; negative when `end` is before `start`
        (then it counts end < d <= start). `add_working_days(start, count_working_days(start, e))`
        is the last counted working day on or before e."""
        if end < start:
            return -self.count_working_days(end, start, pauses=pauses)
        pauses = _normalise_pauses(pauses)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day) and not _paused(day, pauses):
                count += 1
        return count

    def due_date(
        self,
        received: datetime.datetime | datetime.date,
        rule: DeadlineRule,
        *,
        pauses: Iterable[PauseLike] = (),
    ) -> datetime.date:
        """The last day of `rule`'s period for a dossier received (complete) at `received`.

        1. The receipt time is converted to Vietnamese time: 16:59Z is 23:59 the same day, 17:00Z is
           00:00 the next day. A receipt at any hour of a day counts as that day's.
        2. Working days: day 1 is the first working day after the receipt day (so a Friday-night
           receipt counts from Monday), and the due day is the n-th.
        3. Calendar days: day 1 is the first working day after receipt (StartRule.NEXT_WORKING_DAY,
           §1.5) or simply the next day (StartRule.NEXT_DAY, Civil Code Art. 147); a last day that is
           a day off rolls to the next working day.
        """
        received_on = legal_date(received)
        pauses = _normalise_pauses(pauses)
        if rule.unit == DeadlineUnit.WORKING:
            return self.add_working_days(received_on, rule.count, pauses=pauses)
        anchor = received_on
        if rule.start == StartRule.NEXT_WORKING_DAY:
            anchor = self.next_working_day(received_on) - ONE_DAY
        return self.add_calendar_days(anchor, rule.count, pauses=pauses)

    @staticmethod
    def _step(day: datetime.date, start: datetime.date) -> datetime.date:
        day += ONE_DAY
        if day - start > MAX_SEARCH:
            raise ValueError("No end found within 30 years: check the pauses and the count.")
        return day


# The current calendar (overrides from the database), cached per process ----------------------------


@dataclass(frozen=True)
class _Cached:
    calendar: WorkCalendar | None = None
    stamp: tuple | None = None
    checked_at: float = 0.0


_cached = _Cached()
_lock = threading.Lock()


def _override_model():
    return apps.get_model("calendars", "CalendarOverride")


def _stamp() -> tuple:
    # Services are the only writers and every write bumps updated_at, so (count, newest update)
    # changes with every insert, update and delete.
    agg = _override_model().objects.aggregate(n=Count("pk"), newest=Max("updated_at"))
    return (agg["n"], agg["newest"])


def _load() -> WorkCalendar:
    rows = _override_model().objects.values_list("date", "kind", "name")
    return WorkCalendar({day: OverrideDay(kind, name) for day, kind, name in rows})


def current() -> WorkCalendar:
    """The calendar with the database's overrides.

    The service that edits overrides clears this process's cache at once; other processes notice
    the change within OPENDOST_CALENDAR_RECHECK_SECONDS (default 30) through a one-row version query.
    """
    global _cached
    cached = _cached
    now = time.monotonic()
    recheck = getattr(settings, "OPENDOST_CALENDAR_RECHECK_SECONDS", 30)
    if cached.calendar is not None and now - cached.checked_at < recheck:
        return cached.calendar
    with _lock:
        stamp = _stamp()
        calendar = cached.calendar if cached.calendar is not None and stamp == cached.stamp else _load()
        _cached = _Cached(calendar, stamp, now)
    return calendar


def clear_cache() -> None:
    """Forget the cached overrides (the holiday library data stays cached: it never changes)."""
    global _cached
    _cached = _Cached()


def is_working_day(day: datetime.date) -> bool:
    return current().is_working_day(day)


def why_not_working(day: datetime.date) -> str | None:
    return current().why_not_working(day)


def next_working_day(day: datetime.date, *, pauses: Iterable[PauseLike] = ()) -> datetime.date:
    return current().next_working_day(day, pauses=pauses)


def add_working_days(start: datetime.date, n: int, *, pauses: Iterable[PauseLike] = ()) -> datetime.date:
    return current().add_working_days(start, n, pauses=pauses)


def add_calendar_days(
    start: datetime.date, n: int, *, pauses: Iterable[PauseLike] = (), roll_forward: bool = True
) -> datetime.date:
    return current().add_calendar_days(start, n, pauses=pauses, roll_forward=roll_forward)


def count_working_days(start: datetime.date, end: datetime.date, *, pauses: Iterable[PauseLike] = ()) -> int:
    return current().count_working_days(start, end, pauses=pauses)


def due_date(
    received: datetime.datetime | datetime.date, rule: DeadlineRule, *, pauses: Iterable[PauseLike] = ()
) -> datetime.date:
    return current().due_date(received, rule, pauses=pauses)
