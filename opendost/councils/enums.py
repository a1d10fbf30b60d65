from django.db import models
from django.utils.translation import gettext_lazy as _


class CouncilPurpose(models.TextChoices):
    TASK_DEFINITION = "task_definition", _("Task definition (identification)")
    SELECTION = "selection", _("Selection or direct assignment")
    ACCEPTANCE_GRASSROOTS = "acceptance_grassroots", _("Acceptance, grassroots level")
    ACCEPTANCE_PROVINCIAL = "acceptance_provincial", _("Acceptance, provincial level")
    OTHER = "other", _("Other")


class CouncilStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    CONVENED = "convened", _("Convened")
    SCORING = "scoring", _("Scoring")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Scientific secretary")
    REVIEWER = "reviewer", _("Reviewer")
    MEMBER = "member", _("Member")


class Vote(models.TextChoices):
    """A member's overall vote on an item; which ones apply depends on the council's rule set."""

    EXCELLENT = "excellent", _("Excellent")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class OutcomeResult(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    SELECTED = "selected", _("Selected")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    NO_QUORUM = "no_quorum", _("No quorum")
