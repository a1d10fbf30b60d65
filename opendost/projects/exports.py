"""Export columns of the task list (the same rows as the list page, every page of them)."""

from django.utils.translation import gettext_lazy as _

from opendost.common.excel import Column


def _amount(source):
    def value(task) -> int:
        return sum(line.amount for line in task.budget_lines.all() if line.source == source)

    return value


TASK_COLUMNS = [
    Column(_("Code"), lambda t: t.code, 14),
    Column(_("Title"), lambda t: t.title, 60),
    Column(_("Kind"), lambda t: t.get_kind_display(), 18),
    Column(_("Level"), lambda t: t.get_level_display(), 12),
    Column(_("Legal regime"), lambda t: t.get_regime_display(), 20),
    Column(_("Status"), lambda t: t.status_label, 18),
    Column(_("S&T field"), lambda t: str(t.field) if t.field_id else "", 24),
    Column(_("Host organisation"), lambda t: t.host.name if t.host_id else "", 36),
    Column(
        _("Principal investigator"),
        lambda t: t.principal_investigator.full_name if t.principal_investigator_id else "",
        24,
    ),
    Column(_("Start"), lambda t: t.start_on, 12),
    Column(_("End"), lambda t: t.end_on, 12),
    Column(_("Central S&T budget (VND)"), _amount("central"), 18),
    Column(_("Provincial S&T budget (VND)"), _amount("provincial"), 18),
    Column(_("Counterpart funds (VND)"), _amount("counterpart"), 18),
    Column(_("Total (VND)"), lambda t: sum(line.amount for line in t.budget_lines.all()), 18),
]
