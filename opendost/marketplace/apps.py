from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opendost.web.navigation import MenuItem  # noqa: F401

_VIEW = ["marketplace.view_listing", "marketplace.view_connection", "marketplace.view_fair"]


class MarketplaceConfig(AppConfig):
    name = "opendost.marketplace"
    label = "marketplace"
    verbose_name = _("Technology exchange")
    # Extension points read by the kernel (accounts.roles, web.navigation, api.urls, demo, periodic).
    role_permissions: dict[str, list[str]] = {
        "officer": [
            *_VIEW,
            "marketplace.add_listing",
            "marketplace.change_listing",
            "marketplace.moderate_listing",
            "marketplace.export_listing",
            "marketplace.add_connection",
            "marketplace.change_connection",
            "marketplace.broker_connection",
            "marketplace.add_fair",
            "marketplace.change_fair",
        ],
        "leader": [*_VIEW, "marketplace.moderate_listing", "marketplace.export_listing"],
        "administrator": list(_VIEW),
    }
    menu_items: tuple = ()  # the listings helper adds MenuItem(_("Technology exchange"), ...)
    api_routers: tuple[tuple[str, str], ...] = ()
    demo_loader: str | None = None
    daily_jobs: tuple[str, ...] = ()

    def ready(self) -> None:
        pass
