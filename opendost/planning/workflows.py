"""Manual value: draft -> approved | rejected (registered in PlanningConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from opendost.planning.enums import ManualValueStatus as S
from opendost.planning.permissions import can_review_value
from opendost.workflow.engine import Transition, Workflow

MANUAL_VALUE_WORKFLOW = Workflow(
    field="status",
    states=S,
    initial=S.DRAFT,
    transitions=[
        Transition("approve", sources=[S.DRAFT], target=S.APPROVED, permission=can_review_value, label=_("Approve")),
        Transition("reject", sources=[S.DRAFT], target=S.REJECTED, permission=can_review_value, label=_("Reject")),
    ],
)
