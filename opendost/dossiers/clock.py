"""The statutory clock of a dossier (domain reference §1.5, §3.4; docs/adr/0016-dossier-engine.md).

1. Receipt: the clock starts from the day the complete dossier is received. A dossier received online
   outside working hours (a day off, or after the office closes) is deemed received on the next
   working day (NĐ 45/2020/NĐ-CP); day 1 of the period is the working day after that.
2. The period is the procedure version's deadline rule (working or calendar days, never assumed).
3. Requests for supplements stop the clock (when the version says so) from the day after the request
   to the day the supplements arrive; the due date is recomputed from the receipt with every pause.
4. Steps (sub-deadlines) are planned from the same start, cumulatively, in working days.
"""

import datetime as dt

from django.conf import settings

from opendost.calendars import workdays
from opendost.calendars.workdays import LEGAL_TZ, legal_date
from opendost.dossiers.enums import Channel


def office_closes_at() -> dt.time:
    return dt.time.fromisoformat(getattr(settings, "OPENDOST_OFFICE_CLOSES_AT", "17:00"))


def deemed_receipt_date(received_at: dt.datetime, channel: str) -> dt.date:
    """The legal receipt day: an online dossier received outside working hours counts from the next working day."""
    day = legal_date(received_at)
    if channel != Channel.ONLINE:
        return day
    local_time = received_at.astimezone(LEGAL_TZ).time()
    if not workdays.is_working_day(day) or local_time >= office_closes_at():
        return workdays.next_working_day(day)
    return day


def pauses_of(supplements) -> list[workdays.Pause]:
    return [pause for s in supplements if (pause := s.as_pause()) is not None]


def due_date_for(version, *, start: dt.date, supplements=()) -> dt.date:
    return workdays.due_date(start, version.deadline_rule, pauses=pauses_of(supplements))


def step_plan(version, *, start: dt.date, supplements=()) -> list[tuple[int, dict, dt.date]]:
    """(position, step, due date) for each step of the version, counted cumulatively in working days."""
    pauses = pauses_of(supplements)
    plan, total = [], 0
    for position, step in enumerate(version.steps, start=1):
        total += int(step.get("days", 0))
        plan.append((position, step, workdays.add_working_days(start, total, pauses=pauses)))
    return plan


def intake_due(version, *, submitted_at: dt.datetime, channel: str) -> dt.date | None:
    """When the completeness check of a submitted dossier is due (None: checked on the spot)."""
    if not version.intake_check_days:
        return None
    return workdays.add_working_days(deemed_receipt_date(submitted_at, channel), version.intake_check_days)
