from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "opendost.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from opendost.search import specs

        specs.register_kernel_specs()
