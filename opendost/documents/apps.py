from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "opendost.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from opendost.documents.models import IssuedDocument
        from opendost.documents.workflows import DOCUMENT_WORKFLOW
        from opendost.workflow import engine

        engine.register(IssuedDocument, DOCUMENT_WORKFLOW)
