"""Workflows of brokerage (registered in MarketplaceConfig.ready by `register_brokerage_workflows`).

Connection (an officer with marketplace.broker_connection in the department moves it):

    requested -> introduced -> meeting -> negotiating -> deal -> followed_up
    introduced -> negotiating            (the parties went straight to negotiation)
    requested | introduced | meeting | negotiating -> dropped   (with the reason)

Fair (an officer with marketplace.change_fair): planned -> held | cancelled.

The data that goes with a move (the deal's contract, the reason dropped, the follow-up) is written by
services_brokerage.py around `transition_apply`, in the same transaction.
"""

from django.utils.translation import gettext_lazy as _

from opendost.marketplace.enums import ConnectionStatus, FairStatus
from opendost.marketplace.permissions_brokerage import can_broker, can_change_fair
from opendost.workflow.engine import Transition, Workflow

C = ConnectionStatus
OPEN_STATES = (C.REQUESTED, C.INTRODUCED, C.MEETING, C.NEGOTIATING)
DEAL_STATES = (C.DEAL, C.FOLLOWED_UP)

CONNECTION_WORKFLOW = Workflow(
    field="status",
    states=ConnectionStatus,
    transitions=[
        Transition(
            "introduce", sources=[C.REQUESTED], target=C.INTRODUCED, permission=can_broker, label=_("Introduce")
        ),
        Transition(
            "meet", sources=[C.INTRODUCED], target=C.MEETING, permission=can_broker, label=_("Record a meeting")
        ),
        Transition(
            "negotiate",
            sources=[C.INTRODUCED, C.MEETING],
            target=C.NEGOTIATING,
            permission=can_broker,
            label=_("Start negotiation"),
        ),
        Transition(
            "sign_deal", sources=[C.NEGOTIATING], target=C.DEAL, permission=can_broker, label=_("Record the deal")
        ),
        Transition("drop", sources=list(OPEN_STATES), target=C.DROPPED, permission=can_broker, label=_("Drop")),
        Transition(
            "follow_up", sources=[C.DEAL], target=C.FOLLOWED_UP, permission=can_broker, label=_("Record the follow-up")
        ),
    ],
)

F = FairStatus
FAIR_WORKFLOW = Workflow(
    field="status",
    states=FairStatus,
    transitions=[
        Transition("hold", sources=[F.PLANNED], target=F.HELD, permission=can_change_fair, label=_("Mark as held")),
        Transition("cancel", sources=[F.PLANNED], target=F.CANCELLED, permission=can_change_fair, label=_("Cancel")),
    ],
)


def register_brokerage_workflows() -> None:
    from opendost.marketplace.models import Connection, Fair
    from opendost.workflow import engine

    engine.register(Connection, CONNECTION_WORKFLOW)
    engine.register(Fair, FAIR_WORKFLOW)
