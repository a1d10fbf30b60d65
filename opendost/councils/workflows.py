"""The life of a council: forming -> convened -> scoring -> closed, or cancelled before it closes.

Preconditions that depend on the council's composition (a chair, the secretary, the reviewers the
rule set needs, items, criteria) are checked by the services before they call the engine; the
transitions here carry the permission.
"""

from django.utils.translation import gettext_lazy as _

from opendost.councils.enums import CouncilStatus
from opendost.councils.permissions import can_close_council, can_manage_council
from opendost.workflow.engine import Transition, Workflow

S = CouncilStatus

COUNCIL_WORKFLOW = Workflow(
    field="status",
    states=CouncilStatus,
    transitions=[
        Transition(
            "convene", sources=[S.FORMING], target=S.CONVENED, permission=can_manage_council, label=_("Convene")
        ),
        Transition(
            "open_scoring",
            sources=[S.CONVENED],
            target=S.SCORING,
            permission=can_manage_council,
            label=_("Open scoring"),
        ),
        Transition(
            "close",
            sources=[S.SCORING],
            target=S.CLOSED,
            permission=can_close_council,
            label=_("Close and fix outcome"),
        ),
        Transition(
            "cancel",
            sources=[S.FORMING, S.CONVENED, S.SCORING],
            target=S.CANCELLED,
            permission=can_manage_council,
            label=_("Cancel"),
        ),
    ],
)
