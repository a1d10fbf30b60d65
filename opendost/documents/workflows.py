"""The life of an issued document: valid until revoked (thu hồi) or replaced (thay thế).

"Expired" is not a state: it is computed from valid_until, so no job has to move documents.
"""

from django.utils.translation import gettext_lazy as _

from opendost.documents.enums import DocumentStatus
from opendost.documents.permissions import can_withdraw_document
from opendost.workflow.engine import Transition, Workflow

DOCUMENT_WORKFLOW = Workflow(
    field="status",
    states=DocumentStatus,
    transitions=[
        Transition(
            "revoke",
            sources=[DocumentStatus.VALID],
            target=DocumentStatus.REVOKED,
            permission=can_withdraw_document,
            label=_("Revoke"),
        ),
        Transition(
            "replace",
            sources=[DocumentStatus.VALID],
            target=DocumentStatus.REPLACED,
            permission=can_withdraw_document,
            label=_("Replace"),
        ),
    ],
)
