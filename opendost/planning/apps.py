from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opendost.web.navigation import MenuItem

_VIEW = ["planning.view_plan", "planning.view_target", "planning.view_manualvalue", "planning.view_budgetline"]


class PlanningConfig(AppConfig):
    name = "opendost.planning"
    label = "planning"
    verbose_name = _("Plans and indicators")
    # Extension points read by the kernel (see accounts.roles.role_permissions, web.navigation,
    # api.urls, demo.services, common.periodic).
    role_permissions: dict[str, list[str]] = {
        "officer": [*_VIEW, "planning.add_manualvalue", "planning.export_plan"],
        "leader": [*_VIEW, "planning.approve_manualvalue", "planning.export_plan"],
        "administrator": list(_VIEW),
    }
    menu_items: tuple = (MenuItem(_("Plan and indicators"), "planning:plan_list", "planning.view_plan"),)
    api_routers: tuple[tuple[str, str], ...] = ()
    demo_loader: str | None = "opendost.planning.demo.load"

    def ready(self) -> None:
        from opendost.planning.models import ManualValue
        from opendost.planning.workflows import MANUAL_VALUE_WORKFLOW
        from opendost.workflow import engine

        engine.register(ManualValue, MANUAL_VALUE_WORKFLOW)
