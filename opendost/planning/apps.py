from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opendost.web.navigation import MenuItem

_VIEW = ["planning.view_plan", "planning.view_target", "planning.view_manualvalue", "planning.view_budgetline"]
_VIEW_BUDGET = ["planning.view_budgetallocation"]
# The officer keeps the plan: creates one (or a copy), edits it, its targets, budget lines and allocations.
_EDIT = [
    "planning.add_plan", "planning.change_plan",
    "planning.add_target", "planning.change_target", "planning.delete_target",
    "planning.add_budgetline", "planning.change_budgetline", "planning.delete_budgetline",
    "planning.add_budgetallocation", "planning.change_budgetallocation", "planning.delete_budgetallocation",
]  # fmt: skip
# Reports: the officer prepares and generates them (reports.py, review.py); the leader reads them.
_VIEW_REPORTS = ["planning.view_planreport", "planning.view_historicfigure"]
_PREPARE_REPORTS = ["planning.add_planreport", "planning.change_planreport"]


class PlanningConfig(AppConfig):
    name = "opendost.planning"
    label = "planning"
    verbose_name = _("Plans and indicators")
    # Extension points read by the kernel (see accounts.roles.role_permissions, web.navigation,
    # api.urls, demo.services, common.periodic).
    role_permissions: dict[str, list[str]] = {
        "officer": [
            *_VIEW,
            *_VIEW_BUDGET,
            *_EDIT,
            "planning.add_manualvalue",
            "planning.export_plan",
            *_VIEW_REPORTS,
            *_PREPARE_REPORTS,
        ],
        "leader": [*_VIEW, *_VIEW_BUDGET, "planning.approve_manualvalue", "planning.export_plan", *_VIEW_REPORTS],
        "administrator": [*_VIEW, *_VIEW_BUDGET, *_VIEW_REPORTS],
    }
    menu_items: tuple = (MenuItem(_("Plan and indicators"), "planning:plan_list", "planning.view_plan"),)
    api_routers: tuple[tuple[str, str], ...] = (("/planning", "opendost.planning.api.router"),)
    demo_loader: str | None = "opendost.planning.demo.load"

    def ready(self) -> None:
        from opendost.planning.models import ManualValue
        from opendost.planning.workflows import MANUAL_VALUE_WORKFLOW
        from opendost.workflow import engine

        engine.register(ManualValue, MANUAL_VALUE_WORKFLOW)
