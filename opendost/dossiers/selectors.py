"""Reads of the dossier engine: worklists, the applicant's dossiers, the public lookup, statistics."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opendost.common.text import fold
from opendost.dossiers import permissions as perms
from opendost.dossiers.enums import FINISHED_STATES, OPEN_STATES, DossierStatus, Timeliness, VersionStatus
from opendost.dossiers.models import Dossier, Procedure, ProcedureVersion, timeliness_of
from opendost.workflow.engine import workflow_for
from opendost.workflow.models import TransitionLog

LIST_RELATED = (
    "procedure_version__procedure",
    "assigned_officer",
    "assigned_unit",
    "department",
)


def procedures_in_force(*, on: dt.date | None = None) -> list[ProcedureVersion]:
    """The catalogue as the public sees it: the published version of each procedure in force `on`."""
    on = on or timezone.localdate()
    versions = (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .select_related("procedure")
        .order_by("procedure__sector", "procedure__name")
    )
    return list(versions)


def procedure_get(public_id) -> Procedure:
    try:
        return Procedure.objects.get(public_id=public_id)
    except (Procedure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def staff_dossiers(user) -> QuerySet[Dossier]:
    if not user.has_perm("dossiers.view_dossier"):
        return Dossier.objects.none()
    return Dossier.objects.visible_to(user).exclude(status=DossierStatus.DRAFT)


def dossier_list(
    *,
    user,
    status: str = "",
    procedure: Procedure | None = None,
    q: str = "",
    late: bool = False,
    mine: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Dossier]:
    qs = staff_dossiers(user).select_related(*LIST_RELATED)
    if status:
        qs = qs.filter(status=status)
    if procedure is not None:
        qs = qs.filter(procedure_version__procedure=procedure)
    if mine:
        qs = qs.filter(assigned_officer=user)
    if late:
        today = today or timezone.localdate()
        qs = qs.filter(status__in=OPEN_STATES, due_date__lt=today)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(applicant_name__icontains=q) | _folded_name(q))
    return qs.order_by("due_date", "-pk") if late or status in OPEN_STATES else qs.order_by("-submitted_at", "-pk")


def _folded_name(q: str) -> Q:
    """Accent-insensitive applicant match through the subject register's folded names."""
    return Q(applicant_organization__name_folded__contains=fold(q))


def worklist(*, user) -> dict[str, QuerySet[Dossier]]:
    """What waits for the user, by kind of action; each list is ordered by due date."""
    qs = staff_dossiers(user).select_related(*LIST_RELATED)
    lists: dict[str, QuerySet[Dossier]] = {}
    if user.has_perm("dossiers.receive_dossier"):
        lists["intake"] = qs.filter(status=DossierStatus.SUBMITTED).order_by("submitted_at", "pk")
        lists["to_return"] = qs.filter(status=DossierStatus.RESULT_ISSUED).order_by("due_date", "pk")
    if user.has_perm("dossiers.assign_dossier"):
        lists["to_assign"] = qs.filter(status=DossierStatus.RECEIVED).order_by("due_date", "pk")
    if user.has_perm("dossiers.handle_dossier"):
        lists["to_handle"] = qs.filter(
            status__in=[DossierStatus.IN_REVIEW, DossierStatus.APPROVED, DossierStatus.SUPPLEMENT_REQUESTED],
            assigned_officer=user,
        ).order_by("due_date", "pk")
    if user.has_perm("dossiers.decide_dossier"):
        lists["to_decide"] = qs.filter(status=DossierStatus.DECISION_PENDING).order_by("due_date", "pk")
    return lists


def applicant_dossiers(*, user) -> QuerySet[Dossier]:
    return Dossier.objects.of_applicant(user).select_related("procedure_version__procedure").order_by("-created_at")


def dossier_for(*, user, public_id) -> Dossier:
    """The dossier if the user may see it (staff of its jurisdiction, or its applicant); else 404."""
    try:
        dossier = Dossier.objects.select_related(
            "procedure_version__procedure",
            "department",
            "assigned_unit",
            "assigned_officer",
            "applicant_organization",
            "applicant_user",
            "result_document",
        ).get(public_id=public_id)
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not perms.can_view(user, dossier):
        raise Http404
    if dossier.status == DossierStatus.DRAFT and not perms.can_act_for_applicant(user, dossier):
        raise Http404
    return dossier


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    label: str
    note: str = ""


def timeline(dossier: Dossier, *, public: bool = False) -> list[TimelineEntry]:
    """Each status change of the dossier; the public view shows no names and no internal notes."""
    workflow = workflow_for(Dossier)
    entries = []
    for log in TransitionLog.objects.for_object(dossier).select_related("actor"):
        transition = workflow.get(log.name)
        label = transition.display if transition else log.name
        note = ""
        if not public:
            who = log.actor.get_full_name() if log.actor else ""
            note = " – ".join(part for part in (who, log.note) if part)
        entries.append(TimelineEntry(at=log.at, label=label, note=note))
    return entries


@dataclass(frozen=True)
class PublicStatus:
    code: str
    procedure: str
    status: str
    status_label: str
    received_at: dt.datetime | None
    due_date: dt.date | None
    rescheduled_due_date: dt.date | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    timeline: list[TimelineEntry]
    missing: str
    timeliness: str | None


def public_lookup(code: str) -> PublicStatus | None:
    """What anyone may learn from a dossier code: status, dates, steps and what is missing. No names,
    addresses or documents (S-: no personal data on public pages)."""
    code = (code or "").strip().upper()
    if not code:
        return None
    dossier = (
        Dossier.objects.filter(code=code)
        # Restates the condition of the partial unique index on code so that SQLite uses it: without
        # the term it scans every dossier (bench/dossiers.py: 44 ms at 200,000 rows, 0.1 ms with it).
        .exclude(code="")
        .exclude(status=DossierStatus.DRAFT)
        .select_related("procedure_version__procedure")
        .first()
    )
    if dossier is None:
        return None
    open_request = dossier.supplements.filter(resumed_at__isnull=True).order_by("-requested_at").first()
    return PublicStatus(
        code=dossier.code,
        procedure=dossier.procedure_version.procedure.name,
        status=dossier.status,
        status_label=dossier.get_status_display(),
        received_at=dossier.received_at,
        due_date=dossier.due_date,
        rescheduled_due_date=dossier.rescheduled_due_date,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        timeline=timeline(dossier, public=True),
        missing=open_request.items if open_request and dossier.status == DossierStatus.SUPPLEMENT_REQUESTED else "",
        timeliness=dossier.timeliness(),
    )


# STATISTICS ---------------------------------------------------------------------------------------

GROUPINGS = {
    "procedure": ("procedure_version__procedure__local_code", "procedure_version__procedure__name"),
    "unit": ("assigned_unit__code", "assigned_unit__name"),
    "officer": ("assigned_officer__username", "assigned_officer__full_name"),
}


@dataclass
class StatRow:
    key: str
    label: str
    received: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    in_progress_late: int = 0
    counts: dict = field(default_factory=dict)

    @property
    def finished(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        """Share of finished dossiers that were early or on time (the figure the plan reports)."""
        return (self.early + self.on_time) / self.finished if self.finished else None


def statistics(
    *, user, date_from: dt.date, date_to: dt.date, group_by: str = "procedure", today: dt.date | None = None
) -> list[StatRow]:
    """Dossiers received in [date_from, date_to] by procedure, unit or officer: received, finished early /
    on time / late, still in progress (on time / overdue). One query; the classification is the model's
    (`Dossier.timeliness`), so the page, the export and the plan read the same rule."""
    if group_by not in GROUPINGS:
        raise ValueError(group_by)
    today = today or timezone.localdate()
    key_field, label_field = GROUPINGS[group_by]
    # Received on a legal date in [date_from, date_to], as a range of instants that an index can serve
    # (received_at__date casts every row: a full scan, bench/dossiers.py). The calendar's first and
    # last days have no instant on the other side: they leave that end open.
    rows = staff_dossiers(user).filter(received_at__isnull=False).exclude(status=DossierStatus.WITHDRAWN)
    if date_from > dt.date.min:
        rows = rows.filter(received_at__gte=_day_start(date_from))
    if date_to < dt.date.max:
        rows = rows.filter(received_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    rows = rows.values_list(key_field, label_field, "status", "due_date", "finished_at")
    table: dict[str, StatRow] = {}
    counts = defaultdict(int)
    for key, label, status, due, finished_at in rows.iterator(chunk_size=2000):
        row = table.setdefault(key or "", StatRow(key=key or "", label=label or ""))
        row.received += 1
        kind = timeliness_of(status, due, finished_at, today)
        if kind == Timeliness.EARLY:
            row.early += 1
        elif kind == Timeliness.ON_TIME:
            row.on_time += 1
        elif kind == Timeliness.LATE:
            row.late += 1
        elif kind == Timeliness.IN_PROGRESS_LATE:
            row.in_progress_late += 1
        elif status not in FINISHED_STATES:
            row.in_progress += 1
        counts[status] += 1
    return sorted(table.values(), key=lambda r: (r.label or "~", r.key))


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def statistics_total(rows: list[StatRow]) -> StatRow:
    total = StatRow(key="", label="")
    for row in rows:
        for name in ("received", "early", "on_time", "late", "in_progress", "in_progress_late"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total
