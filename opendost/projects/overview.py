"""The "S&T tasks" section of an organisation's page (opendost.subjects overview registry)."""

from django.utils.translation import gettext_lazy as _

from opendost.subjects.selectors import MAX_OVERVIEW_ROWS, OverviewEntry, register_overview_section


def _entries(organization, user):
    from opendost.projects.selectors import tasks_of_organization

    return [
        OverviewEntry(label=f"{task.code} {task.title}", url=task.get_absolute_url(), detail=task.status_label)
        for task in tasks_of_organization(organization, user=user)[:MAX_OVERVIEW_ROWS]
    ]


def register() -> None:
    register_overview_section("projects", title=_("S&T tasks"), entries=_entries, order=20)
