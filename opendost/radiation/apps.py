from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opendost.web.navigation import RADIATION, MenuItem

_MODELS = (
    "facility",
    "device",
    "licence",
    "radiationworker",
    "safetycertificate",
    "responseplan",
    "measurementpoint",
    "reading",
)
_VIEW = [f"radiation.view_{m}" for m in _MODELS]


class RadiationConfig(AppConfig):
    name = "opendost.radiation"
    label = "radiation"
    verbose_name = _("Radiation safety")
    # Extension points read by the kernel (see accounts.roles.role_permissions, web.navigation,
    # api.urls, demo.services): role grants, menu entries, API routers, demo loader.
    role_permissions: dict[str, list[str]] = {
        "officer": [
            *_VIEW,
            *(f"radiation.add_{m}" for m in _MODELS),
            *(f"radiation.change_{m}" for m in _MODELS),
            "radiation.export_facility",
        ],
        "desk_officer": list(_VIEW),
        "leader": list(_VIEW),
        "inspector": list(_VIEW),
        "administrator": list(_VIEW),
    }
    menu_items: tuple = (
        MenuItem(_("X-ray facilities"), "radiation:facility_list", "radiation.view_facility", RADIATION),
        MenuItem(_("Licence expiry control"), "radiation:expiry_control", "radiation.view_licence", RADIATION),
        MenuItem(_("Radiation monitoring"), "radiation:point_list", "radiation.view_measurementpoint", RADIATION),
    )
    api_routers: tuple[tuple[str, str], ...] = (("/radiation", "opendost.radiation.api.router"),)
    demo_loader: str | None = "opendost.radiation.demo.load"
    # Called once a day as fn(today=<date>) by the lead's daily runner.
    daily_jobs: tuple[str, ...] = ("opendost.radiation.services.expiry_reminders_send",)

    def ready(self) -> None:
        from opendost.radiation.models import Device, Licence, ResponsePlan
        from opendost.radiation.overview import register_sections
        from opendost.radiation.workflows import DEVICE_WORKFLOW, LICENCE_WORKFLOW, PLAN_WORKFLOW
        from opendost.workflow import engine

        engine.register(Device, DEVICE_WORKFLOW)
        engine.register(Licence, LICENCE_WORKFLOW)
        engine.register(ResponsePlan, PLAN_WORKFLOW)
        register_sections()

        from opendost.radiation.procedures import register_all

        register_all()
