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

Each indicator reads a queryset of the records it counts, so its figure is one aggregate in SQL and
the record ids are read only for a drill-down. Each kind of record also has a *place* (`*_place`):
an expression giving the id of the administrative unit the record is located in, the finest known,
in the code set it was recorded under; `planning.units` rolls those up to the units of a map.
- a task: its first place of application (the finest level, then the lowest code), else the host
  organisation's address (commune, district, province);
- a result registration: its task's place; an application of a result: the place it names;
- a licence, a device: its facility's address; a facility: its address;
- a dossier: the address of the applicant organisation in the register (a dossier of a person
  keeps its address as text only, so it has no place).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone

from opendost.calendars.workdays import LEGAL_TZ
from opendost.dossiers.enums import DossierStatus, Timeliness
from opendost.dossiers.models import Dossier, timeliness_of
from opendost.projects.enums import Classification, RegistrationStatus, TaskLevel, TaskStatus
from opendost.projects.models import Acceptance, BudgetLine, ResultApplication, ResultRegistration, Task
from opendost.radiation.enums import LicenceStatus
from opendost.radiation.models import Device, Facility, Licence

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


def _ids(ids):
    """Record ids for a drill-down: a list, or a queryset of ids (read as a subquery, never in Python)."""
    return ids if isinstance(ids, QuerySet) else list(ids)


# PLACES ------------------------------------------------------------------------------------------
def address_place(prefix: str = ""):
    """The finest unit of an address (AddressMixin) reached through `prefix` ("facility__")."""
    return Coalesce(
        F(f"{prefix}commune"), F(f"{prefix}district"), F(f"{prefix}province"), output_field=BigIntegerField()
    )


def task_place(prefix: str = ""):
    """A task's first place of application (the finest level, then the lowest code), else its host's address."""
    first = (
        Task.places.through.objects.filter(task_id=OuterRef(f"{prefix}pk"))
        .order_by("adminunit__level", "adminunit__code", "adminunit_id")  # commune < district < province
        .values("adminunit_id")[:1]
    )
    return Coalesce(
        Subquery(first),
        F(f"{prefix}host__commune"),
        F(f"{prefix}host__district"),
        F(f"{prefix}host__province"),
        output_field=BigIntegerField(),
    )


def registration_place():
    return task_place("result__task__")


def application_place():
    return F("place")


def facility_place():
    return address_place("")


def licence_place():
    return address_place("facility__")


def dossier_place():
    return address_place("applicant_organization__")


# TASKS -------------------------------------------------------------------------------------------
def tasks_started(*, department_ids, date_from, date_to, levels=PLAN_LEVELS):
    return Task.objects.filter(
        department_id__in=department_ids, level__in=levels, start_on__gte=date_from, start_on__lte=date_to
    ).exclude(status=TaskStatus.CANCELLED)


def tasks_accepted(*, department_ids, date_from, date_to) -> QuerySet[Task]:
    """Tasks whose acceptance (pass or excellent) was held in the period, each once."""
    held = Acceptance.objects.filter(
        task__department_id__in=department_ids,
        held_on__gte=date_from,
        held_on__lte=date_to,
        classification__in=[Classification.PASS, Classification.EXCELLENT],
    )
    return Task.objects.filter(pk__in=held.values("task_id"))


def task_ids_accepted(*, department_ids, date_from, date_to) -> list[int]:
    return sorted(
        tasks_accepted(department_ids=department_ids, date_from=date_from, date_to=date_to).values_list(
            "pk", flat=True
        )
    )


def budget_lines_of(tasks, source: str | None = None) -> QuerySet[BudgetLine]:
    lines = BudgetLine.objects.filter(task__in=tasks)
    return lines.filter(source=source) if source else lines


def funding_of_tasks(tasks, source: str | None = None) -> Decimal:
    """The budget of the tasks (a queryset; VND) in million VND."""
    total = budget_lines_of(tasks, source).aggregate(total=Sum("amount"))["total"] or 0
    return Decimal(total) / MILLION


def task_records(ids, limit: int | None = None) -> list[Record]:
    rows = Task.objects.filter(pk__in=_ids(ids)).order_by("start_on", "code", "pk")[:limit]
    return [Record(t.code, t.title, t.start_on, reverse("projects:task_detail", args=[t.public_id])) for t in rows]


# RESULTS -----------------------------------------------------------------------------------------
def registrations(*, department_ids, date_from, date_to) -> QuerySet[ResultRegistration]:
    return ResultRegistration.objects.filter(
        department_id__in=department_ids, status__in=RECEIVED, received_on__gte=date_from, received_on__lte=date_to
    )


def certificates(*, department_ids, date_from, date_to) -> QuerySet[ResultRegistration]:
    return ResultRegistration.objects.filter(
        department_id__in=department_ids,
        status=RegistrationStatus.CERTIFIED,
        certificate_issued_on__gte=date_from,
        certificate_issued_on__lte=date_to,
    )


def registration_counts(*, department_ids, date_from, date_to) -> dict[str, int]:
    """{"registered": as `registrations`, "certified": as `certificates`} in one aggregate."""
    registered = Q(status__in=RECEIVED, received_on__gte=date_from, received_on__lte=date_to)
    certified = Q(
        status=RegistrationStatus.CERTIFIED, certificate_issued_on__gte=date_from, certificate_issued_on__lte=date_to
    )
    return (
        ResultRegistration.objects.filter(department_id__in=department_ids)
        .filter(registered | certified)
        .aggregate(registered=Count("pk", filter=registered), certified=Count("pk", filter=certified))
    )


def registration_ids(*, department_ids, date_from, date_to) -> list[int]:
    return list(
        registrations(department_ids=department_ids, date_from=date_from, date_to=date_to).values_list("pk", flat=True)
    )


def certificate_ids(*, department_ids, date_from, date_to) -> list[int]:
    return list(
        certificates(department_ids=department_ids, date_from=date_from, date_to=date_to).values_list("pk", flat=True)
    )


def registration_records(ids, limit: int | None = None) -> list[Record]:
    rows = ResultRegistration.objects.filter(pk__in=_ids(ids)).select_related("result__task")
    return [
        Record(
            r.certificate_number or r.storage_ref or r.result.task.code,
            r.result.title,
            r.certificate_issued_on or r.received_on,
            reverse("projects:task_detail", args=[r.result.task.public_id]),
        )
        for r in rows.order_by("received_on", "pk")[:limit]
    ]


def applications(*, department_ids, year_from, year_to) -> QuerySet[ResultApplication]:
    """Applications of results recorded for the years (the register keeps a year, not a date)."""
    return ResultApplication.objects.filter(
        result__department_id__in=department_ids, year__gte=year_from, year__lte=year_to
    )


def application_ids(*, department_ids, year_from, year_to) -> list[int]:
    return list(
        applications(department_ids=department_ids, year_from=year_from, year_to=year_to).values_list("pk", flat=True)
    )


def application_records(ids, limit: int | None = None) -> list[Record]:
    rows = ResultApplication.objects.filter(pk__in=_ids(ids)).select_related("result__task", "place")
    return [
        Record(
            a.result.task.code,
            f"{a.result.title} – {a.place or a.place_text} ({a.scale})",
            dt.date(a.year, 12, 31),
            reverse("projects:task_detail", args=[a.result.task.public_id]),
        )
        for a in rows.order_by("year", "pk")[:limit]
    ]


# RADIATION ---------------------------------------------------------------------------------------
def licences_in_force(*, department_ids, day: dt.date):
    """Licences that covered their devices on `day`, as the register stood then."""
    still_valid = Q(status=LicenceStatus.VALID)
    ended_later = ~Q(status=LicenceStatus.VALID) & Q(status_changed_on__gt=day)
    return Licence.objects.filter(department_id__in=department_ids, issued_on__lte=day, valid_until__gte=day).filter(
        still_valid | ended_later
    )


def facilities_licensed(*, department_ids, day) -> QuerySet[Facility]:
    """Facilities holding a licence in force on `day`, each once."""
    return Facility.objects.filter(
        pk__in=licences_in_force(department_ids=department_ids, day=day).values("facility_id")
    )


def devices_licensed(*, department_ids, day) -> QuerySet[Device]:
    """Devices covered on `day` by a licence in force, not decommissioned by then, each once."""
    covered = Licence.devices.through.objects.filter(
        licence__in=licences_in_force(department_ids=department_ids, day=day)
    )
    return Device.objects.filter(pk__in=covered.values("device_id")).exclude(decommissioned_on__lte=day)


def licence_ids_in_force(*, department_ids, day) -> list[int]:
    return list(licences_in_force(department_ids=department_ids, day=day).values_list("pk", flat=True))


def facility_ids_licensed(*, department_ids, day) -> list[int]:
    return sorted(facilities_licensed(department_ids=department_ids, day=day).values_list("pk", flat=True))


def device_ids_licensed(*, department_ids, day) -> list[int]:
    return sorted(devices_licensed(department_ids=department_ids, day=day).values_list("pk", flat=True))


def licence_records(ids, limit: int | None = None) -> list[Record]:
    rows = Licence.objects.filter(pk__in=_ids(ids)).select_related("facility").order_by("issued_on", "pk")[:limit]
    return [
        Record(
            lic.number, lic.facility.name, lic.valid_until, reverse("radiation:licence_detail", args=[lic.public_id])
        )
        for lic in rows
    ]


def facility_records(ids, limit: int | None = None) -> list[Record]:
    rows = Facility.objects.filter(pk__in=_ids(ids)).order_by("name_folded", "pk")[:limit]
    return [Record("", f.name, None, reverse("radiation:facility_detail", args=[f.public_id])) for f in rows]


def device_records(ids, limit: int | None = None) -> list[Record]:
    rows = (
        Device.objects.filter(pk__in=_ids(ids))
        .select_related("facility")
        .order_by("facility__name_folded", "pk")[:limit]
    )
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


class LegalDate(TruncDate):
    """The Vietnamese calendar date of an instant, in the database (`calendars.workdays.legal_date`).

    On PostgreSQL this is TruncDate (`AT TIME ZONE 'Asia/Ho_Chi_Minh'`). On SQLite TruncDate calls a
    Python function per row (4 s over 200,000 dossiers, bench/planning_dashboard.py); Vietnam keeps
    UTC+7 all year without daylight saving (since 1975), so SQLite's own `date(x, '+7 hours')` is the
    same date, computed natively.
    """

    def __init__(self, expression, **extra):
        super().__init__(expression, tzinfo=LEGAL_TZ, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.lhs)
        hours = int(dt.datetime(2000, 1, 1, tzinfo=LEGAL_TZ).utcoffset().total_seconds() // 3600)
        return f"date({sql}, %s)", (*params, f"+{hours} hours")


def with_finished_day(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """`finished_on`: the legal (Vietnamese) date a dossier was finished, computed by the database."""
    return dossiers.annotate(finished_on=LegalDate("finished_at"))


# `timeliness_of` in SQL, over `with_finished_day` rows: finished = early, on time or late (a due
# date and a finish); good = early or on time (finished on or before the due date).
FINISHED = Q(due_date__isnull=False, finished_at__isnull=False)
FINISHED_GOOD = FINISHED & Q(finished_on__lte=F("due_date"))


def timeliness_counts(dossiers: QuerySet[Dossier], *, received: bool = False) -> dict[str, int]:
    """{"good": early or on time, "finished": finished} of the dossiers (and with `received`, all of
    them: "received"), in one aggregate."""
    counts = {"good": Count("pk", filter=FINISHED_GOOD), "finished": Count("pk", filter=FINISHED)}
    if received:
        counts["received"] = Count("pk")
    return with_finished_day(dossiers).aggregate(**counts)


def dossier_records(ids, limit: int | None = None) -> list[Record]:
    rows = Dossier.objects.filter(pk__in=_ids(ids)).order_by("received_at", "pk")[:limit]
    return [
        Record(
            d.code,
            d.applicant_name,
            timezone.localdate(d.received_at) if d.received_at else None,
            reverse("dossiers:detail", args=[d.public_id]),
        )
        for d in rows
    ]
