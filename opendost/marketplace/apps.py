from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opendost.web.navigation import TECH_EXCHANGE, MenuItem

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
    menu_items: tuple = (
        MenuItem(_("Listings"), "marketplace:listing_list", "marketplace.view_listing", TECH_EXCHANGE),
        MenuItem(_("Moderation queue"), "marketplace:moderation_queue", "marketplace.moderate_listing", TECH_EXCHANGE),
        MenuItem(_("My exchange listings"), "marketplace:my_listings", "accounts.use_applicant_services"),
        MenuItem(_("Connections"), "marketplace:connection_list", "marketplace.view_connection", TECH_EXCHANGE),
        MenuItem(_("Fairs and events"), "marketplace:fair_list", "marketplace.view_fair", TECH_EXCHANGE),
        MenuItem(_("My connections"), "marketplace:my_connections", "accounts.use_applicant_services"),
    )
    api_routers: tuple[tuple[str, str], ...] = (
        ("/marketplace", "opendost.marketplace.api.router"),  # listings, moderation, matches (portal+API)
        ("/marketplace", "opendost.marketplace.api_brokerage.router"),  # connections and fairs (brokerage)
    )
    demo_loader: str | None = "opendost.marketplace.demo.load"
    # Called once a day as fn(today=<date>) by the daily runner.
    daily_jobs: tuple[str, ...] = (
        "opendost.marketplace.services.expire_and_remind",
        "opendost.marketplace.matching.index_prune",  # after expiry: expired listings leave the index
    )

    def ready(self) -> None:
        # One registration per line; each helper adds its own.
        from opendost.marketplace.workflows import register_listing_workflow

        register_listing_workflow()
        from opendost.marketplace.imports import register_spec

        register_spec()
        from opendost.marketplace.workflows_brokerage import register_brokerage_workflows

        register_brokerage_workflows()
