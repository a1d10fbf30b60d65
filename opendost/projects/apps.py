from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opendost.web.navigation import ST_TASKS, MenuItem

_VIEW = [
    "projects.view_task",
    "projects.view_proposal",
    "projects.view_proposalround",
    "projects.view_selectioncall",
    "projects.view_selectionapplication",
    "projects.view_taskresult",
    "projects.view_resultregistration",
]
_WRITE = [
    "projects.add_task",
    "projects.change_task",
    "projects.export_task",
    "projects.add_proposal",
    "projects.change_proposal",
    "projects.add_proposalround",
    "projects.change_proposalround",
    "projects.add_selectioncall",
    "projects.change_selectioncall",
    "projects.change_selectionapplication",
    "projects.add_taskresult",
    "projects.change_taskresult",
    "projects.change_resultregistration",
]


class ProjectsConfig(AppConfig):
    name = "opendost.projects"
    label = "projects"
    verbose_name = _("S&T tasks")
    # Extension points read by the kernel (see accounts.roles.role_permissions, web.navigation,
    # api.urls, demo.services): role grants, menu entries, API routers, demo loader.
    # Applicants hold no model permission: they reach their organisation's records only.
    role_permissions: dict[str, list[str]] = {
        "officer": [*_VIEW, *_WRITE],
        "leader": [
            *_VIEW,
            "projects.export_task",
            "projects.approve_task",
            "projects.approve_proposalround",
        ],
        "inspector": ["projects.view_task", "projects.view_taskresult"],
        "administrator": [*_VIEW, "projects.export_task"],
    }
    api_routers: tuple[tuple[str, str], ...] = (("/projects", "opendost.projects.api.router"),)
    demo_loader: str | None = "opendost.projects.demo.load"

    daily_jobs = ("opendost.projects.reminders.deadline_reminders_send",)
    menu_items: tuple = (
        MenuItem(_("Tasks"), "projects:task_list", "projects.view_task", ST_TASKS),
        MenuItem(_("Proposals"), "projects:proposal_list", "projects.view_proposal", ST_TASKS),
        MenuItem(_("My S&T tasks"), "projects:my_home", "accounts.use_applicant_services"),
    )

    def ready(self) -> None:
        from opendost.projects import imports, overview, search
        from opendost.projects.workflows import register_workflows

        register_workflows()
        search.register_specs()
        overview.register()
        imports.register_spec()

        from opendost.councils.signals import council_closed
        from opendost.oaipmh.registry import get_source, register
        from opendost.projects.council_links import on_council_closed
        from opendost.projects.oai import ResultSource

        council_closed.connect(on_council_closed, dispatch_uid="projects.council_outcome")
        if get_source(ResultSource.prefix) is None:
            register(ResultSource())
