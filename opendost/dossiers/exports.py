"""Export columns of the dossier list and of the statistics (headers are translated)."""

from django.utils.translation import gettext_lazy as _

from opendost.calendars.workdays import legal_date
from opendost.common.excel import Column


def _local_date(value):
    return legal_date(value) if value else None


def _timeliness(dossier) -> str:
    from opendost.dossiers.enums import Timeliness

    value = dossier.timeliness()
    return str(Timeliness(value).label) if value else ""


DOSSIER_COLUMNS = [
    Column(_("Dossier code"), lambda d: d.code, 22),
    Column(_("Procedure"), lambda d: d.procedure_version.procedure.name, 40),
    Column(_("Applicant"), lambda d: d.applicant_name, 36),
    Column(_("Channel"), lambda d: d.get_channel_display(), 14),
    Column(_("Status"), lambda d: d.get_status_display(), 24),
    Column(_("Submitted on"), lambda d: _local_date(d.submitted_at), 14),
    Column(_("Received on"), lambda d: _local_date(d.received_at), 14),
    Column(_("Appointment date"), lambda d: d.due_date, 14),
    Column(_("New appointment date"), lambda d: d.rescheduled_due_date, 14),
    Column(_("Finished on"), lambda d: _local_date(d.finished_at), 14),
    Column(_("Handling unit"), lambda d: d.assigned_unit.name if d.assigned_unit else "", 24),
    Column(_("Handling officer"), lambda d: d.assigned_officer.get_full_name() if d.assigned_officer else "", 24),
    Column(_("Timeliness"), _timeliness, 18),
]


def _rate(row):
    rate = row.on_time_rate
    return round(rate * 100, 1) if rate is not None else None


STATISTICS_COLUMNS = [
    Column(_("Code"), lambda r: r.key, 18),
    Column(_("Name"), lambda r: r.label, 40),
    Column(_("Received"), lambda r: r.received, 10),
    Column(_("Early"), lambda r: r.early, 10),
    Column(_("On time"), lambda r: r.on_time, 10),
    Column(_("Late"), lambda r: r.late, 10),
    Column(_("In progress"), lambda r: r.in_progress, 12),
    Column(_("In progress, overdue"), lambda r: r.in_progress_late, 14),
    Column(_("On-time rate (%)"), _rate, 14),
]
