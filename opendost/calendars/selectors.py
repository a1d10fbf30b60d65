"""Reads for the legal calendar: a year's exceptions to the 5-day week, for the staff page."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext

from opendost.calendars import workdays
from opendost.calendars.models import CalendarOverride

FIRST_YEAR, LAST_YEAR = 1990, 2099


@dataclass(frozen=True)
class CalendarDay:
    """A day whose status is not the plain 5-day week's, or which an override names."""

    date: datetime.date
    is_working_day: bool
    name: str
    library_name: str  # what the holidays library says of the day ("" if nothing)
    override: CalendarOverride | None


def calendar_year_days(*, year: int) -> list[CalendarDay]:
    """Every library holiday, library make-up working day and override of `year`, by date.

    An override and a library entry on the same date make one row: the override decides.
    """
    days_off, workdays_ = workdays.library_year(year, workdays.library_language())
    swaps = workdays.swapped_workdays(year)
    library: dict[datetime.date, str] = dict(days_off)
    for day in workdays_:
        swapped = swaps.get(day)
        library[day] = (
            gettext("Make-up working day (for the day off on %(date)s)") % {"date": f"{swapped:%d/%m/%Y}"}
            if swapped
            else gettext("Make-up working day")
        )
    overrides = {o.date: o for o in CalendarOverride.objects.filter(date__year=year)}
    calendar = workdays.current()
    rows = []
    for day in sorted(library.keys() | overrides.keys()):
        override = overrides.get(day)
        rows.append(
            CalendarDay(
                date=day,
                is_working_day=calendar.is_working_day(day),
                name=override.name if override else library[day],
                library_name=library.get(day, ""),
                override=override,
            )
        )
    return rows


def calendar_year_summary(*, year: int) -> dict[str, int]:
    """Working days and days off in `year` under the current calendar."""
    calendar = workdays.current()
    first = datetime.date(year, 1, 1)
    working = calendar.count_working_days(first - workdays.ONE_DAY, datetime.date(year, 12, 31))
    total = (datetime.date(year + 1, 1, 1) - first).days
    return {"working_days": working, "days_off": total - working}
