"""Workflow of a listing (registered in MarketplaceConfig.ready):

    draft -> submitted (owner or officer)
    submitted -> published (officer with marketplace.moderate_listing) | returned (with reasons)
    returned -> submitted
    published -> expired (the system's daily job, when valid_until has passed)
    published | expired -> withdrawn (owner or officer)
    expired -> submitted (renewal, with a new valid_until)

The dates and reasons that go with a move are written by services.py, around `transition_apply`.
"""

from django.utils.translation import gettext_lazy as _

from opendost.marketplace.enums import ListingStatus
from opendost.marketplace.permissions import (
    can_moderate_listing,
    can_renew_listing,
    can_submit_listing,
    can_withdraw_listing,
)
from opendost.workflow.engine import Transition, Workflow


class SystemActor:
    """The actor of scheduled moves (expiry). It is not a user: logs and audit record no person, and
    it holds no permission of its own, so only transitions that name it let it through."""

    is_active = True
    is_authenticated = False
    is_anonymous = False
    pk = None
    id = None

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def is_system(user, listing) -> bool:
    return user is SYSTEM


S = ListingStatus
LISTING_WORKFLOW = Workflow(
    field="status",
    states=ListingStatus,
    transitions=[
        Transition(
            "submit",
            sources=[S.DRAFT, S.RETURNED],
            target=S.SUBMITTED,
            permission=can_submit_listing,
            label=_("Submit for moderation"),
        ),
        Transition(
            "publish", sources=[S.SUBMITTED], target=S.PUBLISHED, permission=can_moderate_listing, label=_("Publish")
        ),
        Transition(
            "return",
            sources=[S.SUBMITTED],
            target=S.RETURNED,
            permission=can_moderate_listing,
            label=_("Return for changes"),
        ),
        Transition("expire", sources=[S.PUBLISHED], target=S.EXPIRED, permission=is_system, label=_("Expire")),
        Transition(
            "withdraw",
            sources=[S.PUBLISHED, S.EXPIRED],
            target=S.WITHDRAWN,
            permission=can_withdraw_listing,
            label=_("Withdraw"),
        ),
        Transition(
            "renew",
            sources=[S.EXPIRED],
            target=S.SUBMITTED,
            permission=can_renew_listing,
            label=_("Renew"),
        ),
    ],
)


def register_listing_workflow() -> None:
    from opendost.marketplace.models import Listing
    from opendost.workflow import engine

    engine.register(Listing, LISTING_WORKFLOW)
