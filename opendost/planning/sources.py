"""Read-only queries over other apps' records for the plan's indicators.

DESIGN says planning reads other apps through their selectors. The selectors that exist are
scoped to a user (`visible_to`, `dossiers.selectors.statistics(user=...)`) or aggregate a whole
period without the record ids a drill-down needs (`projects.selectors.task_statistics`), so the
queries below are written here, against the other apps' models, read-only, with the same rules:
- tasks: provincial and national, started in the period, cancelled ones excluded (as
  `projects.selectors.task_statistics`);
- licences in force on a day: `radiation.models.in_force_on`, extended to the past (a licence
  superseded or revoked after that day was in force on it);
- dossiers: early / on time / late by `dossiers.models.timeliness_of`, the rule of the dossier
  statistics page.
These are candidates to move into the apps' selectors (see the report to the lead).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from opendost.dossiers.enums import DossierStatus, Timeliness
from opendost.dossiers.models import Dossier, timeliness_of
from opendost.projects.enums import Classification, RegistrationStatus, TaskLevel, TaskStatus
from opendost.projects.models import Acceptance, BudgetLine, ResultApplication, ResultRegistration, Task
from opendost.radiation.enums import LicenceStatus
from opendost.radiation.models import Device, Licence

MILLION = Decimal(1_000_000)
PLAN_LEVELS = (TaskLevel.PROVINCIAL, TaskLevel.NATIONAL)
RECEIVED = (RegistrationStatus.CERTIFIED, RegistrationStatus.STORED)


@dataclass(frozen=True)
class Record:
    """One row of a drill-down table."""

    code: str
    title: str
    date: dt.date | None
    url: str = ""


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# TASKS -------------------------------------------------------------------------------------------
def tasks_started(*, department_ids, date_from, date_to, levels=PLAN_LEVELS):
    return Task.objects.filter(
        department_id__in=department_ids, level__in=levels, start_on__gte=date_from, start_on__lte=date_to
    ).exclude(status=TaskStatus.CANCELLED)


def task_ids_accepted(*, department_ids, date_from, date_to) -> list[int]:
    """Tasks whose acceptance (pass or excellent) was held in the period, each once."""
    return sorted(
        set(
            Acceptance.objects.filter(
                task__department_id__in=department_ids,
                held_on__gte=date_from,
                held_on__lte=date_to,
                classification__in=[Classification.PASS, Classification.EXCELLENT],
            ).values_list("task_id", flat=True)
        )
    )


def funding_of_tasks(tasks, source: str | None = None) -> Decimal:
    """The budget of the tasks (a queryset; VND) in million VND."""
    lines = BudgetLine.objects.filter(task__in=tasks)
    if source:
        lines = lines.filter(source=source)
    total = lines.aggregate(total=Sum("amount"))["total"] or 0
    return Decimal(total) / MILLION


def task_records(ids) -> list[Record]:
    rows = Task.objects.filter(pk__in=list(ids)).order_by("start_on", "code", "pk")
    return [Record(t.code, t.title, t.start_on, reverse("projects:task_detail", args=[t.public_id])) for t in rows]


# RESULTS -----------------------------------------------------------------------------------------
def registration_ids(*, department_ids, date_from, date_to) -> list[int]:
    return list(
        ResultRegistration.objects.filter(
            department_id__in=department_ids,
            status__in=RECEIVED,
            received_on__gte=date_from,
            received_on__lte=date_to,
        ).values_list("pk", flat=True)
    )


def certificate_ids(*, department_ids, date_from, date_to) -> list[int]:
    return list(
        ResultRegistration.objects.filter(
            department_id__in=department_ids,
            status=RegistrationStatus.CERTIFIED,
            certificate_issued_on__gte=date_from,
            certificate_issued_on__lte=date_to,
        ).values_list("pk", flat=True)
    )


def registration_records(ids) -> list[Record]:
    rows = ResultRegistration.objects.filter(pk__in=list(ids)).select_related("result__task")
    return [
        Record(
            r.certificate_number or r.storage_ref or r.result.task.code,
            r.result.title,
            r.certificate_issued_on or r.received_on,
            reverse("projects:task_detail", args=[r.result.task.public_id]),
        )
        for r in rows.order_by("received_on", "pk")
    ]


def application_ids(*, department_ids, year_from, year_to) -> list[int]:
    """Applications of results recorded for the years (the register keeps a year, not a date)."""
    return list(
        ResultApplication.objects.filter(
            result__department_id__in=department_ids, year__gte=year_from, year__lte=year_to
        ).values_list("pk", flat=True)
    )


def application_records(ids) -> list[Record]:
    rows = ResultApplication.objects.filter(pk__in=list(ids)).select_related("result__task", "place")
    return [
        Record(
            a.result.task.code,
            f"{a.result.title} – {a.place or a.place_text} ({a.scale})",
            dt.date(a.year, 12, 31),
            reverse("projects:task_detail", args=[a.result.task.public_id]),
        )
        for a in rows.order_by("year", "pk")
    ]


# RADIATION ---------------------------------------------------------------------------------------
def licences_in_force(*, department_ids, day: dt.date):
    """Licences that covered their devices on `day`, as the register stood then."""
    still_valid = Q(status=LicenceStatus.VALID)
    ended_later = ~Q(status=LicenceStatus.VALID) & Q(status_changed_on__gt=day)
    return Licence.objects.filter(department_id__in=department_ids, issued_on__lte=day, valid_until__gte=day).filter(
        still_valid | ended_later
    )


def licence_ids_in_force(*, department_ids, day) -> list[int]:
    return list(licences_in_force(department_ids=department_ids, day=day).values_list("pk", flat=True))


def facility_ids_licensed(*, department_ids, day) -> list[int]:
    return sorted(set(licences_in_force(department_ids=department_ids, day=day).values_list("facility_id", flat=True)))


def device_ids_licensed(*, department_ids, day) -> list[int]:
    """Devices covered on `day` by a licence in force, not decommissioned by then."""
    covered = licences_in_force(department_ids=department_ids, day=day)
    return sorted(
        set(
            Device.objects.filter(licences__in=covered)
            .exclude(decommissioned_on__lte=day)
            .values_list("pk", flat=True)
        )
    )


def licence_records(ids) -> list[Record]:
    rows = Licence.objects.filter(pk__in=list(ids)).select_related("facility").order_by("issued_on", "pk")
    return [
        Record(
            lic.number, lic.facility.name, lic.valid_until, reverse("radiation:licence_detail", args=[lic.public_id])
        )
        for lic in rows
    ]


def facility_records(ids) -> list[Record]:
    from opendost.radiation.models import Facility

    rows = Facility.objects.filter(pk__in=list(ids)).order_by("name_folded", "pk")
    return [Record("", f.name, None, reverse("radiation:facility_detail", args=[f.public_id])) for f in rows]


def device_records(ids) -> list[Record]:
    rows = Device.objects.filter(pk__in=list(ids)).select_related("facility").order_by("facility__name_folded", "pk")
    return [
        Record(
            d.serial_number,
            f"{d.get_device_type_display()} {d.manufacturer} {d.model_name} – {d.facility.name}",
            d.in_use_since,
            reverse("radiation:facility_detail", args=[d.facility.public_id]),
        )
        for d in rows
    ]


# DOSSIERS ----------------------------------------------------------------------------------------
def dossiers_received(*, department_ids, date_from, date_to):
    return Dossier.objects.filter(
        department_id__in=department_ids,
        received_at__gte=_day_start(date_from),
        received_at__lt=_day_start(date_to + dt.timedelta(days=1)),
    ).exclude(status__in=[DossierStatus.DRAFT, DossierStatus.WITHDRAWN])


def dossier_timeliness(*, department_ids, date_from, date_to, today: dt.date) -> dict[str, list[int]]:
    """Dossiers received in the period by `timeliness_of` (early, on time, late, in progress…)."""
    groups: dict[str, list[int]] = {}
    rows = dossiers_received(department_ids=department_ids, date_from=date_from, date_to=date_to).values_list(
        "pk", "status", "due_date", "finished_at"
    )
    for pk, status, due, finished_at in rows.iterator(chunk_size=2000):
        kind = timeliness_of(status, due, finished_at, today) or "none"
        groups.setdefault(kind, []).append(pk)
    return groups


FINISHED_KINDS = (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE)


def dossier_records(ids) -> list[Record]:
    rows = Dossier.objects.filter(pk__in=list(ids)).order_by("received_at", "pk")
    return [
        Record(
            d.code,
            d.applicant_name,
            timezone.localdate(d.received_at) if d.received_at else None,
            reverse("dossiers:detail", args=[d.public_id]),
        )
        for d in rows
    ]
