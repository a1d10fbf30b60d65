"""Workflows of the register (registered in RadiationConfig.ready).

- Device: installed -> in_use <-> under_repair; any of them -> decommissioned.
- Licence: valid -> superseded (by a renewal, amendment, re-issue or a new licence for the same
  devices) | revoked. "Expired" is computed from valid_until, not stored.
- Response plan: draft -> submitted -> approved | returned -> submitted ...
"""

from django.utils.translation import gettext_lazy as _

from opendost.radiation.enums import DeviceStatus, LicenceStatus, PlanStatus
from opendost.radiation.permissions import can_change_device, can_change_licence, can_change_plan
from opendost.workflow.engine import Transition, Workflow

D = DeviceStatus
DEVICE_WORKFLOW = Workflow(
    field="status",
    states=DeviceStatus,
    transitions=[
        Transition(
            "put_in_use", sources=[D.INSTALLED], target=D.IN_USE, permission=can_change_device, label=_("Put in use")
        ),
        Transition(
            "send_to_repair",
            sources=[D.IN_USE],
            target=D.UNDER_REPAIR,
            permission=can_change_device,
            label=_("Send to repair"),
        ),
        Transition(
            "return_to_use",
            sources=[D.UNDER_REPAIR],
            target=D.IN_USE,
            permission=can_change_device,
            label=_("Back in use after repair"),
        ),
        Transition(
            "decommission",
            sources=[D.INSTALLED, D.IN_USE, D.UNDER_REPAIR],
            target=D.DECOMMISSIONED,
            permission=can_change_device,
            label=_("Decommission"),
        ),
    ],
)

L = LicenceStatus
LICENCE_WORKFLOW = Workflow(
    field="status",
    states=LicenceStatus,
    transitions=[
        Transition(
            "supersede", sources=[L.VALID], target=L.SUPERSEDED, permission=can_change_licence, label=_("Supersede")
        ),
        Transition("revoke", sources=[L.VALID], target=L.REVOKED, permission=can_change_licence, label=_("Revoke")),
    ],
)

P = PlanStatus
PLAN_WORKFLOW = Workflow(
    field="status",
    states=PlanStatus,
    transitions=[
        Transition(
            "submit", sources=[P.DRAFT, P.RETURNED], target=P.SUBMITTED, permission=can_change_plan, label=_("Submit")
        ),
        Transition(
            "approve", sources=[P.SUBMITTED], target=P.APPROVED, permission=can_change_plan, label=_("Approve")
        ),
        Transition(
            "return",
            sources=[P.SUBMITTED],
            target=P.RETURNED,
            permission=can_change_plan,
            label=_("Return for revision"),
        ),
    ],
)
