"""Legal calendar API: is a date a working day, and when is a deadline due.

Mounted by opendost/api/urls.py (`api.add_router("/calendar", calendars_router)`); it sets no auth of
its own, so it inherits the API's authentication.
"""

import datetime

from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from opendost.api.schemas import ErrorOut, ValidationErrorOut
from opendost.calendars import workdays
from opendost.calendars.enums import DeadlineUnit, StartRule
from opendost.calendars.selectors import FIRST_YEAR, LAST_YEAR

router = Router(tags=["calendar"])

MAX_COUNT = 3660  # ten years of calendar days: longer periods are not counted in days


class DayOut(Schema):
    date: datetime.date
    is_working_day: bool
    reason: str | None = Field(description="Why the day is a day off (holiday, weekday or override name)")


class DueDateIn(Schema):
    start: datetime.date = Field(description="The day the complete dossier was received (legal date)")
    count: int = Field(ge=0, le=MAX_COUNT)
    unit: DeadlineUnit = DeadlineUnit.WORKING
    start_rule: StartRule = StartRule.NEXT_WORKING_DAY


class DueDateOut(Schema):
    start: datetime.date
    count: int
    unit: DeadlineUnit
    start_rule: StartRule
    first_day: datetime.date = Field(description="Day 1 of the period")
    due_on: datetime.date = Field(description="The last day of the period")
    working_days: int = Field(description="Working days from the day after `start` to `due_on`")


def _check_range(day: datetime.date, *, loc: tuple[str, str]) -> None:
    """A 422 in the documented shape (a list of problems, as for any invalid parameter)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            [{"type": "date_range", "loc": loc, "msg": f"Dates from {FIRST_YEAR} to {LAST_YEAR} only."}]
        )


@router.get("/days/{date}", response={200: DayOut, 401: ErrorOut, 422: ValidationErrorOut}, url_name="calendar_day")
def calendar_day(request, date: datetime.date):
    _check_range(date, loc=("path", "date"))
    calendar = workdays.current()
    return {"date": date, "is_working_day": calendar.is_working_day(date), "reason": calendar.why_not_working(date)}


@router.get(
    "/due-date", response={200: DueDateOut, 401: ErrorOut, 422: ValidationErrorOut}, url_name="calendar_due_date"
)
def calendar_due_date(request, params: Query[DueDateIn]):
    _check_range(params.start, loc=("query", "start"))
    calendar = workdays.current()
    rule = workdays.DeadlineRule(unit=params.unit, count=params.count, start=params.start_rule)
    due_on = calendar.due_date(params.start, rule)
    if rule.unit == DeadlineUnit.CALENDAR and rule.start == StartRule.NEXT_DAY:
        first_day = params.start + workdays.ONE_DAY
    else:
        first_day = calendar.next_working_day(params.start)
    _check_range(due_on, loc=("query", "count"))
    return {
        "start": params.start,
        "count": params.count,
        "unit": params.unit,
        "start_rule": params.start_rule,
        "first_day": first_day,
        "due_on": due_on,
        "working_days": calendar.count_working_days(params.start, due_on),
    }
