from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OaiPmhConfig(AppConfig):
    name = "opendost.oaipmh"
    label = "oaipmh"
    verbose_name = _("OAI-PMH harvesting")

    def ready(self):
        from opendost.oaipmh import checks  # noqa: F401  (registers the deploy checks)
