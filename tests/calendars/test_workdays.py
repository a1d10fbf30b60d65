"""The pure calendar: fixed legal examples and property tests against a naive oracle (R-28).

These tests use `WorkCalendar` objects with explicit overrides, so they need no database.
"""

import bisect
import datetime
from datetime import date

import holidays
import pytest
from django.utils import translation
from django.utils.translation import pgettext
from hypothesis import given, settings
from hypothesis import strategies as st

from opendost.calendars.enums import DeadlineUnit, OverrideKind, StartRule
from opendost.calendars.workdays import (
    DeadlineRule,
    OverrideDay,
    Pause,
    WorkCalendar,
    legal_date,
    library_year,
    swapped_workdays,
)

UTC = datetime.UTC
VN = datetime.timezone(datetime.timedelta(hours=7))
CAL = WorkCalendar()
FIRST, LAST = date(2020, 1, 1), date(2035, 12, 31)

# The oracle: the library's own working-day test over one object spanning all years, and a sorted
# list of working days searched with bisect (a different algorithm from the calendar's loop).
_LIB = holidays.country_holidays("VN", years=range(2018, 2040))
_ORACLE_FIRST = date(2019, 1, 1)
_ALL_DAYS = [_ORACLE_FIRST + datetime.timedelta(days=i) for i in range((date(2039, 12, 31) - _ORACLE_FIRST).days)]


def _oracle_is_working(day, overrides=None):
    if overrides and day in overrides:
        return overrides[day].kind == OverrideKind.WORKING_DAY
    return _LIB.is_working_day(day)


ORACLE_WORKING = [d for d in _ALL_DAYS if _oracle_is_working(d)]


def oracle_add_working_days(start, n, pauses=()):
    days = [d for d in ORACLE_WORKING if not any(p.first <= d <= p.last for p in pauses)] if pauses else ORACLE_WORKING
    if n == 0:
        return start
    return days[bisect.bisect_right(days, start) + n - 1]


def oracle_add_calendar_days(start, n, pauses=(), roll_forward=True):
    day = start
    for _ in range(n):
        day += datetime.timedelta(days=1)
        while any(day in p for p in pauses):
            day += datetime.timedelta(days=1)
    if roll_forward:
        while not _oracle_is_working(day) or any(day in p for p in pauses):
            day += datetime.timedelta(days=1)
    return day


def oracle_count(start, end):
    return bisect.bisect_right(ORACLE_WORKING, end) - bisect.bisect_right(ORACLE_WORKING, start)


dates = st.dates(min_value=FIRST, max_value=LAST)
counts = st.integers(min_value=0, max_value=60)
PROPS = settings(max_examples=200, deadline=None)


def d(text: str) -> date:
    return date.fromisoformat(text)


# Fixed examples ------------------------------------------------------------------------------------


class TestStatutoryDays:
    @pytest.mark.parametrize("day", [f"2026-02-{n}" for n in range(14, 23)])
    def test_tet_2026_is_off_from_14_to_22_february(self, day):
        assert not CAL.is_working_day(d(day))

    def test_tet_2026_is_surrounded_by_working_days(self):
        assert CAL.is_working_day(d("2026-02-13"))
        assert CAL.is_working_day(d("2026-02-23"))

    def test_tet_day_is_named_in_vietnamese(self):
        with translation.override("vi"):
            assert CAL.why_not_working(d("2026-02-17")) == "Tết Nguyên Đán"
            assert CAL.why_not_working(d("2026-02-20")) == "Mùng bốn Tết Nguyên Đán"

    def test_holiday_names_follow_english(self):
        with translation.override("en"):
            assert "Lunar New Year" in CAL.why_not_working(d("2026-02-17"))

    def test_weekend_reasons(self):
        assert CAL.why_not_working(d("2026-03-07")) == pgettext("day off", "Saturday")
        assert CAL.why_not_working(d("2026-03-08")) == pgettext("day off", "Sunday")

    def test_working_day_has_no_reason(self):
        assert CAL.why_not_working(d("2026-03-09")) is None

    @pytest.mark.parametrize(
        ("day", "name"),
        [
            ("2026-01-01", "Tết Dương lịch"),
            ("2026-04-27", "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
            ("2026-04-30", "Ngày Chiến thắng"),
            ("2026-05-01", "Ngày Quốc tế Lao động"),
            ("2026-08-31", "Ngày nghỉ (thay cho ngày 22/08/2026)"),
            ("2026-09-01", "Quốc khánh"),
            ("2026-09-02", "Quốc khánh"),
            ("2026-11-24", "Ngày Văn hóa Việt Nam"),
        ],
    )
    def test_2026_holidays(self, day, name):
        with translation.override("vi"):
            assert CAL.why_not_working(d(day)) == name

    def test_make_up_saturday_22_august_2026_is_a_working_day(self):
        assert CAL.is_working_day(d("2026-08-22"))
        assert CAL.why_not_working(d("2026-08-22")) is None
        assert CAL.add_working_days(d("2026-08-21"), 1) == d("2026-08-22")

    def test_swap_across_the_year_boundary(self):
        # 31/12/2018 was given off in exchange for Saturday 05/01/2019.
        assert not CAL.is_working_day(d("2018-12-31"))
        assert CAL.is_working_day(d("2019-01-05"))

    @pytest.mark.parametrize(
        ("year", "expected"),
        [
            (2019, {"2019-01-05": "2018-12-31", "2019-05-04": "2019-04-29"}),
            (2024, {"2024-05-04": "2024-04-29"}),
            (2025, {"2025-04-26": "2025-05-02"}),
            (2026, {"2026-08-22": "2026-08-31"}),
            (2027, {}),
        ],
    )
    def test_make_up_days_are_derived_from_the_library(self, year, expected):
        assert dict(swapped_workdays(year)) == {d(k): d(v) for k, v in expected.items()}
        # The library's own list of worked weekend days agrees with the names it gives swapped days.
        assert set(swapped_workdays(year)) == set(library_year(year)[1])


class TestArithmetic:
    def test_friday_before_tet_plus_one_working_day_is_after_tet(self):
        assert CAL.add_working_days(d("2026-02-13"), 1) == d("2026-02-23")

    def test_30_april_and_1_may(self):
        assert CAL.add_working_days(d("2026-04-29"), 1) == d("2026-05-04")
        assert CAL.count_working_days(d("2026-04-29"), d("2026-05-04")) == 1

    def test_national_day_2026(self):
        # Off Saturday 29/08 to Wednesday 02/09.
        assert CAL.add_working_days(d("2026-08-28"), 1) == d("2026-09-03")

    def test_year_end(self):
        assert CAL.add_working_days(d("2026-12-31"), 1) == d("2027-01-04")
        assert CAL.add_working_days(d("2026-12-30"), 2) == d("2027-01-04")

    def test_zero_days_is_the_start(self):
        assert CAL.add_working_days(d("2026-02-14"), 0) == d("2026-02-14")

    def test_negative_counts_are_refused(self):
        with pytest.raises(ValueError):
            CAL.add_working_days(d("2026-01-05"), -1)
        with pytest.raises(ValueError):
            CAL.add_calendar_days(d("2026-01-05"), -1)

    def test_calendar_days_ending_on_a_day_off_roll_to_the_next_working_day(self):
        # 04/02/2026 + 10 days = Saturday 14/02, the first day of Tết: the period ends Monday 23/02.
        assert CAL.add_calendar_days(d("2026-02-04"), 10) == d("2026-02-23")
        assert CAL.add_calendar_days(d("2026-02-04"), 10, roll_forward=False) == d("2026-02-14")

    def test_calendar_days_ending_on_a_working_day_do_not_move(self):
        assert CAL.add_calendar_days(d("2026-03-02"), 10) == d("2026-03-12")

    def test_count_is_signed(self):
        assert CAL.count_working_days(d("2026-03-09"), d("2026-03-02")) == -5
        assert CAL.count_working_days(d("2026-03-02"), d("2026-03-02")) == 0

    def test_pause_excludes_its_days_and_keeps_the_rest(self):
        # Received Monday 02/03/2026, 5 WD: due Monday 09/03. Clock stopped Wed 04/03 (2 WD used),
        # supplements received Tuesday 10/03: 3 WD remain from Wednesday 11/03 -> Friday 13/03.
        pause = Pause(d("2026-03-05"), d("2026-03-10"))
        assert CAL.add_working_days(d("2026-03-02"), 5) == d("2026-03-09")
        assert CAL.add_working_days(d("2026-03-02"), 5, pauses=[pause]) == d("2026-03-13")
        assert CAL.add_working_days(d("2026-03-02"), 5, pauses=[(d("2026-03-05"), d("2026-03-10"))]) == d("2026-03-13")

    def test_pause_from_datetimes(self):
        stopped = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=VN)
        resumed = datetime.datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09:00 local
        assert Pause.from_datetimes(stopped, resumed) == Pause(d("2026-03-05"), d("2026-03-10"))
        assert Pause.from_datetimes(stopped, stopped) is None

    def test_a_pause_cannot_end_before_it_starts(self):
        with pytest.raises(ValueError):
            Pause(d("2026-03-05"), d("2026-03-04"))

    def test_a_never_ending_pause_fails_instead_of_looping(self):
        with pytest.raises(ValueError):
            CAL.add_working_days(d("2026-03-02"), 1, pauses=[Pause(d("2026-03-03"), d("2099-12-31"))])

    def test_overrides_win_over_the_library(self):
        cal = WorkCalendar(
            {
                d("2026-11-24"): OverrideDay(OverrideKind.WORKING_DAY, "Not a holiday after all"),
                d("2026-03-09"): OverrideDay(OverrideKind.DAY_OFF, "Extra day off"),
            }
        )
        assert cal.is_working_day(d("2026-11-24"))
        assert not cal.is_working_day(d("2026-03-09"))
        assert cal.why_not_working(d("2026-03-09")) == "Extra day off"
        assert cal.add_working_days(d("2026-03-06"), 1) == d("2026-03-10")


class TestDueDate:
    FIVE_WD = DeadlineRule(unit=DeadlineUnit.WORKING, count=5)

    def test_receipt_at_1659z_is_the_same_local_day(self):
        # 16:59Z Thursday 05/03/2026 = 23:59 Thursday in Hanoi: day 1 is Friday 06/03.
        received = datetime.datetime(2026, 3, 5, 16, 59, tzinfo=UTC)
        assert legal_date(received) == d("2026-03-05")
        assert CAL.due_date(received, self.FIVE_WD) == d("2026-03-12")

    def test_receipt_at_1700z_is_the_next_local_day(self):
        # 17:00Z Thursday = 00:00 Friday 06/03 in Hanoi: day 1 is Monday 09/03.
        received = datetime.datetime(2026, 3, 5, 17, 0, tzinfo=UTC)
        assert legal_date(received) == d("2026-03-06")
        assert CAL.due_date(received, self.FIVE_WD) == d("2026-03-13")

    def test_friday_night_receipt_counts_from_monday(self):
        received = datetime.datetime(2026, 3, 6, 23, 30, tzinfo=VN)
        assert CAL.due_date(received, DeadlineRule(unit=DeadlineUnit.WORKING, count=1)) == d("2026-03-09")

    def test_naive_datetimes_are_refused(self):
        with pytest.raises(ValueError):
            CAL.due_date(datetime.datetime(2026, 3, 6, 9, 0), self.FIVE_WD)

    def test_calendar_days_start_on_the_next_working_day_by_default(self):
        # Received Friday 13/02/2026 (eve of Tết): day 1 is Monday 23/02, so 25 days end 19/03.
        rule = DeadlineRule(unit=DeadlineUnit.CALENDAR, count=25)
        assert CAL.due_date(d("2026-02-13"), rule) == d("2026-03-19")

    def test_calendar_days_from_the_next_day(self):
        # Civil Code Art. 147: day 1 is Saturday 14/02; day 25 is Monday 10/03.
        rule = DeadlineRule(unit=DeadlineUnit.CALENDAR, count=25, start=StartRule.NEXT_DAY)
        assert CAL.due_date(d("2026-02-13"), rule) == d("2026-03-10")

    def test_due_date_with_a_pause(self):
        pause = Pause(d("2026-03-05"), d("2026-03-10"))
        assert CAL.due_date(d("2026-03-02"), self.FIVE_WD, pauses=[pause]) == d("2026-03-13")

    @pytest.mark.parametrize(("unit", "count", "start"), [("weeks", 1, "next_day"), ("working", -1, "next_day")])
    def test_bad_rules_are_refused(self, unit, count, start):
        with pytest.raises(ValueError):
            DeadlineRule(unit=unit, count=count, start=start)


# Properties (R-28) ---------------------------------------------------------------------------------


@PROPS
@given(start=dates, n=counts)
def test_add_working_days_equals_the_oracle(start, n):
    assert CAL.add_working_days(start, n) == oracle_add_working_days(start, n)


@PROPS
@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_add_working_days_never_lands_on_a_weekend_or_holiday(start, n):
    due = CAL.add_working_days(start, n)
    assert due > start
    assert due not in _LIB
    assert due.weekday() < 5 or due in _LIB.weekend_workdays


@PROPS
@given(a=dates, b=dates, n=counts)
def test_add_working_days_is_monotonic_in_the_start(a, b, n):
    a, b = sorted((a, b))
    assert CAL.add_working_days(a, n) <= CAL.add_working_days(b, n)


@PROPS
@given(start=dates, n=counts, offset=st.integers(1, 40), length=st.integers(0, 30))
def test_pause_and_resume_keep_the_remaining_days(start, n, offset, length):
    pause = Pause(start + datetime.timedelta(days=offset), start + datetime.timedelta(days=offset + length))
    used = CAL.count_working_days(start, pause.first - datetime.timedelta(days=1))
    due = CAL.add_working_days(start, n, pauses=[pause])
    if used >= n:
        assert due == CAL.add_working_days(start, n)
    else:
        assert due == CAL.add_working_days(pause.last, n - used)
    assert due == oracle_add_working_days(start, n, [pause])


@PROPS
@given(start=dates, n=counts)
def test_count_working_days_inverts_add_working_days(start, n):
    assert CAL.count_working_days(start, CAL.add_working_days(start, n)) == n


@PROPS
@given(start=dates, end=dates)
def test_count_working_days_equals_the_oracle_and_agrees_with_add(start, end):
    count = CAL.count_working_days(start, end)
    if end >= start:
        assert count == oracle_count(start, end)
        assert CAL.add_working_days(start, count) <= end
        assert CAL.add_working_days(start, count + 1) > end
    else:
        assert count == -oracle_count(end, start)


@PROPS
@given(start=dates, n=st.integers(0, 120), roll=st.booleans())
def test_add_calendar_days_equals_the_oracle(start, n, roll):
    due = CAL.add_calendar_days(start, n, roll_forward=roll)
    assert due == oracle_add_calendar_days(start, n, roll_forward=roll)
    if roll:
        assert CAL.is_working_day(due)
    else:
        assert due == start + datetime.timedelta(days=n)


@PROPS
@given(start=dates, n=st.integers(0, 120), offset=st.integers(1, 60), length=st.integers(0, 30))
def test_add_calendar_days_with_a_pause_equals_the_oracle(start, n, offset, length):
    pause = Pause(start + datetime.timedelta(days=offset), start + datetime.timedelta(days=offset + length))
    assert CAL.add_calendar_days(start, n, pauses=[pause]) == oracle_add_calendar_days(start, n, [pause])


@PROPS
@given(
    overrides=st.dictionaries(
        dates, st.sampled_from([OverrideKind.WORKING_DAY, OverrideKind.DAY_OFF]), min_size=1, max_size=20
    ),
    start=dates,
    n=counts,
)
def test_overrides_equal_the_oracle(overrides, start, n):
    mapping = {day: OverrideDay(kind, "x") for day, kind in overrides.items()}
    cal = WorkCalendar(mapping)
    day, left = start, n
    while left:
        day += datetime.timedelta(days=1)
        if _oracle_is_working(day, mapping):
            left -= 1
    assert cal.add_working_days(start, n) == day


@PROPS
@given(
    instant=st.datetimes(min_value=datetime.datetime(2020, 1, 1), max_value=datetime.datetime(2035, 12, 1)),
    n=counts,
    unit=st.sampled_from(DeadlineUnit.values),
)
def test_due_date_uses_the_vietnamese_date_of_the_receipt(instant, n, unit):
    received = instant.replace(tzinfo=UTC)
    local_day = (instant + datetime.timedelta(hours=7)).date()
    rule = DeadlineRule(unit=unit, count=n)
    assert CAL.due_date(received, rule) == CAL.due_date(local_day, rule)
    if unit == DeadlineUnit.WORKING:
        assert CAL.due_date(received, rule) == oracle_add_working_days(local_day, n)
