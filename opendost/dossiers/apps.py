from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opendost.web.navigation import MenuItem


class DossiersConfig(AppConfig):
    name = "opendost.dossiers"
    label = "dossiers"
    verbose_name = _("One-stop dossiers")
    # Extension points read by the kernel (accounts.roles.role_permissions, web.navigation, api.urls,
    # demo.services, common.periodic).
    role_permissions: dict[str, list[str]] = {
        "officer": [
            "dossiers.view_dossier",
            "dossiers.handle_dossier",
            "dossiers.view_dossier_statistics",
            "dossiers.view_procedure",
        ],
        "desk_officer": [
            "dossiers.view_dossier",
            "dossiers.receive_dossier",
            "dossiers.assign_dossier",
            "dossiers.view_dossier_statistics",
            "dossiers.view_procedure",
        ],
        "leader": [
            "dossiers.view_dossier",
            "dossiers.assign_dossier",
            "dossiers.decide_dossier",
            "dossiers.view_dossier_statistics",
            "dossiers.view_procedure",
            "dossiers.publish_procedure",
        ],
        "inspector": ["dossiers.view_dossier", "dossiers.view_procedure"],
        "administrator": ["dossiers.view_dossier", "dossiers.view_procedure", "dossiers.publish_procedure"],
    }
    menu_items: tuple = (
        MenuItem(_("One-stop dossiers"), "dossiers:home", "dossiers.view_dossier"),
        MenuItem(_("My dossiers"), "dossiers:home", "accounts.use_applicant_services"),
    )
    api_routers: tuple[tuple[str, str], ...] = (("/dossiers", "opendost.dossiers.api.router"),)
    demo_loader: str | None = None
    daily_jobs = ("opendost.dossiers.services.dossier_reminders_send",)

    def ready(self) -> None:
        from opendost.dossiers.models import Dossier, ProcedureVersion
        from opendost.dossiers.workflows import DOSSIER_WORKFLOW, VERSION_WORKFLOW
        from opendost.workflow import engine

        engine.register(Dossier, DOSSIER_WORKFLOW)
        engine.register(ProcedureVersion, VERSION_WORKFLOW)
