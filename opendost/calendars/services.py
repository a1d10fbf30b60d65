"""Writers for the legal calendar: the officers' table of swapped and extra days (overrides).

Every change clears the cached calendar of this process at once and again after commit (so a
calculation made inside the transaction is not kept); other processes pick it up through the
calendar's version check (opendost.calendars.workdays.current).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.calendars import workdays
from opendost.calendars.enums import OverrideKind
from opendost.calendars.models import CalendarOverride

CHANGE_PERMISSION = "calendars.change_calendaroverride"


def can_change_calendar(user) -> bool:
    return user.has_perm(CHANGE_PERMISSION)


def _check_not_plain(*, date: datetime.date, kind: str) -> None:
    """Refuse an override that restates the 5-day week on a day the library says nothing about:
    it is almost always a typo in the date. Overrides on library days (to record the official
    notice, or to correct the library) are allowed."""
    days_off, make_up_days = workdays.library_year(date.year)
    if date in days_off or date in make_up_days:
        return
    is_weekend = date.weekday() in workdays.WEEKEND
    if kind == OverrideKind.WORKING_DAY and not is_weekend:
        raise ValidationError({"date": _("This date is already a working day.")})
    if kind == OverrideKind.DAY_OFF and is_weekend:
        raise ValidationError({"date": _("This date is already a day off (weekend).")})


AUDITED_FIELDS = ["date", "kind", "name", "legal_basis", "note"]


@transaction.atomic
def calendar_override_set(
    *,
    actor,
    date: datetime.date,
    kind: str,
    name: str,
    legal_basis: str = "",
    note: str = "",
) -> CalendarOverride:
    """Make `date` a working day or a day off, replacing any override already on that date.

    Source: the yearly notice on days off for civil servants (since 2025 from the Ministry of Home
    Affairs, e.g. Notice 9441/TB-BNV for 2026), which may swap a working day with a Saturday.
    """
    if not can_change_calendar(actor):
        raise PermissionDenied
    if kind not in OverrideKind.values:
        raise ValidationError({"kind": _("Choose a working day or a day off.")})
    _check_not_plain(date=date, kind=kind)
    override = CalendarOverride.objects.filter(date=date).first() or CalendarOverride(date=date)
    before = model_snapshot(override, AUDITED_FIELDS) if override.pk else None
    override.kind = kind
    override.name = name.strip()
    override.legal_basis = legal_basis.strip()
    override.note = note.strip()
    override.full_clean()
    override.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=override,
        before=before,
        after=model_snapshot(override, AUDITED_FIELDS),
    )
    _invalidate()
    return override


@transaction.atomic
def calendar_override_remove(*, actor, date: datetime.date) -> None:
    """Remove the override on `date`: the day goes back to what the library and the week say."""
    if not can_change_calendar(actor):
        raise PermissionDenied
    override = CalendarOverride.objects.filter(date=date).first()
    if override is None:
        raise ValidationError(_("There is no override on this date."))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=override, before=model_snapshot(override, AUDITED_FIELDS))
    override.delete()
    _invalidate()


def _invalidate() -> None:
    workdays.clear_cache()
    transaction.on_commit(workdays.clear_cache)
