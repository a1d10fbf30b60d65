import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from opendost.audit.models import AuditEvent
from opendost.calendars import services, workdays
from opendost.calendars.enums import DeadlineUnit, OverrideKind
from opendost.calendars.models import CalendarOverride
from opendost.calendars.selectors import calendar_year_days, calendar_year_summary
from tests.calendars.conftest import user_with
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

d = datetime.date.fromisoformat


def test_migration_seeds_the_2026_national_day_swap_with_its_notice():
    rows = {o.date: o for o in CalendarOverride.objects.filter(date__year=2026)}
    assert rows[d("2026-08-22")].kind == OverrideKind.WORKING_DAY
    assert rows[d("2026-08-31")].kind == OverrideKind.DAY_OFF
    assert all("9441/TB-BNV" in o.legal_basis for o in rows.values())
    assert workdays.is_working_day(d("2026-08-22"))
    assert not workdays.is_working_day(d("2026-08-31"))


def test_seeded_rows_do_not_count_twice():
    # Off Saturday 29/08 to Wednesday 02/09: one working day after Friday 28/08 is Thursday 03/09.
    assert workdays.add_working_days(d("2026-08-28"), 1) == d("2026-09-03")
    # After Friday 21/08 up to Friday 04/09: Saturday 22/08, 24-28/08, 03/09 and 04/09.
    assert workdays.count_working_days(d("2026-08-21"), d("2026-09-04")) == 8


@pytest.mark.vietnamese
def test_adding_and_removing_an_override_changes_results_at_once(editor):
    day = d("2026-11-24")
    assert not workdays.is_working_day(day)
    assert workdays.add_working_days(d("2026-11-23"), 1) == d("2026-11-25")

    services.calendar_override_set(
        actor=editor, date=day, kind=OverrideKind.WORKING_DAY, name="Ngày làm việc", legal_basis="TB số 1/TB-BNV"
    )
    assert workdays.is_working_day(day)
    assert workdays.why_not_working(day) is None
    assert workdays.add_working_days(d("2026-11-23"), 1) == day

    services.calendar_override_remove(actor=editor, date=day)
    assert not workdays.is_working_day(day)
    assert workdays.why_not_working(day) == "Ngày Văn hóa Việt Nam"


def test_an_extra_day_off_moves_due_dates(editor):
    rule = workdays.DeadlineRule(unit=DeadlineUnit.WORKING, count=5)
    received = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=workdays.LEGAL_TZ)
    assert workdays.due_date(received, rule) == d("2027-03-08")
    services.calendar_override_set(actor=editor, date=d("2027-03-03"), kind=OverrideKind.DAY_OFF, name="Nghỉ bù")
    assert workdays.due_date(received, rule) == d("2027-03-09")
    assert workdays.why_not_working(d("2027-03-03")) == "Nghỉ bù"


def test_setting_a_date_again_replaces_its_override(editor):
    services.calendar_override_set(actor=editor, date=d("2027-03-03"), kind=OverrideKind.DAY_OFF, name="A")
    services.calendar_override_set(
        actor=editor, date=d("2027-03-03"), kind=OverrideKind.DAY_OFF, name="  B  ", legal_basis=" TB 2 "
    )
    override = CalendarOverride.objects.get(date=d("2027-03-03"))
    assert (override.name, override.legal_basis) == ("B", "TB 2")


def test_a_working_day_override_on_a_plain_weekday_is_refused(editor):
    with pytest.raises(ValidationError) as exc:
        services.calendar_override_set(actor=editor, date=d("2027-03-03"), kind=OverrideKind.WORKING_DAY, name="x")
    assert "date" in exc.value.message_dict
    assert not CalendarOverride.objects.filter(date=d("2027-03-03")).exists()


def test_a_day_off_override_on_a_plain_weekend_is_refused(editor):
    with pytest.raises(ValidationError):
        services.calendar_override_set(actor=editor, date=d("2027-03-06"), kind=OverrideKind.DAY_OFF, name="x")


def test_a_make_up_saturday_can_be_entered(editor):
    services.calendar_override_set(
        actor=editor, date=d("2027-03-06"), kind=OverrideKind.WORKING_DAY, name="Làm bù", legal_basis="TB"
    )
    assert workdays.is_working_day(d("2027-03-06"))


def test_a_blank_name_or_unknown_kind_is_refused(editor):
    with pytest.raises(ValidationError):
        services.calendar_override_set(actor=editor, date=d("2027-03-03"), kind=OverrideKind.DAY_OFF, name="   ")
    with pytest.raises(ValidationError):
        services.calendar_override_set(actor=editor, date=d("2027-03-03"), kind="holiday", name="x")
    assert not CalendarOverride.objects.filter(date=d("2027-03-03")).exists()


def test_removing_a_date_without_override_is_refused(editor):
    with pytest.raises(ValidationError):
        services.calendar_override_remove(actor=editor, date=d("2027-03-03"))


def test_only_users_with_the_change_permission_edit_the_calendar(viewer):
    for actor in (viewer, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.calendar_override_set(actor=actor, date=d("2027-03-03"), kind=OverrideKind.DAY_OFF, name="x")
        with pytest.raises(PermissionDenied):
            services.calendar_override_remove(actor=actor, date=d("2026-08-22"))
    assert CalendarOverride.objects.count() == 2


def test_other_processes_see_a_change_after_the_recheck_interval(settings):
    """A write by another process (simulated by a direct insert) is noticed by the version check."""
    settings.OPENDOST_CALENDAR_RECHECK_SECONDS = 3600
    day = d("2027-03-03")
    assert workdays.is_working_day(day)
    CalendarOverride.objects.create(date=day, kind=OverrideKind.DAY_OFF, name="x")
    assert workdays.is_working_day(day)  # cached within the interval
    with override_settings(OPENDOST_CALENDAR_RECHECK_SECONDS=0):
        assert not workdays.is_working_day(day)


def test_the_cached_calendar_costs_no_query(django_assert_num_queries):
    workdays.current()
    with django_assert_num_queries(0):
        workdays.add_working_days(d("2026-01-01"), 200)


def test_year_days_list_holidays_make_up_days_and_overrides(editor):
    services.calendar_override_set(actor=editor, date=d("2026-03-03"), kind=OverrideKind.DAY_OFF, name="Extra")
    days = {row.date: row for row in calendar_year_days(year=2026)}
    assert not days[d("2026-02-17")].is_working_day
    assert days[d("2026-02-17")].override is None
    assert days[d("2026-08-22")].is_working_day
    assert days[d("2026-08-22")].override is not None
    assert "31/08/2026" in days[d("2026-08-22")].library_name
    assert days[d("2026-03-03")].name == "Extra"
    assert not days[d("2026-03-03")].is_working_day
    assert d("2026-02-14") not in days  # plain weekends are not listed


def test_year_summary_counts_every_day():
    summary = calendar_year_summary(year=2026)
    assert summary["working_days"] + summary["days_off"] == 365
    # 261 weekdays in 2026, 13 of them holidays (01/01, 16-20/02, 27/04, 30/04, 01/05, 31/08,
    # 01/09, 02/09, 24/11), plus the make-up Saturday 22/08.
    assert summary["working_days"] == 261 - 13 + 1


def test_user_with_helper_gives_only_the_named_permissions():
    user = user_with("view_calendaroverride")
    assert user.has_perm("calendars.view_calendaroverride")
    assert not services.can_change_calendar(user)


def test_every_override_change_is_audited(editor):
    day = datetime.date(2027, 5, 3)
    services.calendar_override_set(actor=editor, date=day, kind="day_off", name="Nghỉ bù", legal_basis="TB 1/TB-BNV")
    services.calendar_override_set(actor=editor, date=day, kind="day_off", name="Nghỉ bù 30/4", legal_basis="TB 1")
    services.calendar_override_remove(actor=editor, date=day)

    events = list(AuditEvent.objects.order_by("seq").values_list("action", "actor", "changes"))
    assert [e[0] for e in events] == ["create", "update", "delete"]
    assert all(e[1] == editor.pk for e in events)
    assert events[1][2]["name"] == ["Nghỉ bù", "Nghỉ bù 30/4"]
