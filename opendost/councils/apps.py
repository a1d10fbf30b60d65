from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opendost.web.navigation import ST_TASKS, MenuItem

OFFICER_PERMISSIONS = [
    "councils.view_council",
    "councils.add_council",
    "councils.change_council",
    "councils.record_scores",
    "councils.close_council",
    "councils.issue_minutes",
]


class CouncilsConfig(AppConfig):
    name = "opendost.councils"
    label = "councils"
    verbose_name = _("Councils")
    # Extension points read by the kernel (see accounts.roles.role_permissions, web.navigation,
    # api.urls, demo.services): role grants, menu entries, API routers, demo loader.
    role_permissions: dict[str, list[str]] = {
        "officer": OFFICER_PERMISSIONS,
        "leader": ["councils.view_council", "councils.close_council", "councils.issue_minutes"],
        "administrator": ["councils.view_council", "councils.add_council", "councils.change_council"],
        # Members act through their own seats; the permission only shows them the "My councils" menu.
        "council_member": ["councils.sit_on_council"],
    }
    menu_items: tuple = (
        MenuItem(_("Councils"), "councils:list", "councils.view_council", ST_TASKS),
        MenuItem(_("My councils"), "councils:my_list", "councils.sit_on_council"),
    )
    api_routers: tuple[tuple[str, str], ...] = (("/councils", "opendost.councils.api.router"),)
    demo_loader: str | None = None

    def ready(self) -> None:
        from opendost.councils.models import Council
        from opendost.councils.workflows import COUNCIL_WORKFLOW
        from opendost.workflow import engine

        engine.register(Council, COUNCIL_WORKFLOW)
