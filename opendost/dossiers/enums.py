from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Partly online")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")


class ApplicantKind(models.TextChoices):
    ORGANIZATION = "organization", _("Organisation")
    INDIVIDUAL = "individual", _("Individual")


class DossierStatus(models.TextChoices):
    """The generic states of an administrative-procedure dossier (domain reference §1.3).

    "Late" is not a state: it is computed from the due date (see Dossier.is_late)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting intake")
    RETURNED = "returned", _("Returned for completion at intake")
    REFUSED_AT_INTAKE = "refused_at_intake", _("Refused at intake")
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("In review")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Waiting for supplements")
    DECISION_PENDING = "decision_pending", _("Awaiting the leader's decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Refused")
    RESULT_ISSUED = "result_issued", _("Result issued")
    RESULT_RETURNED = "result_returned", _("Result returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which the statutory clock runs or is paused (the dossier is being handled).
OPEN_STATES = frozenset(
    {
        DossierStatus.RECEIVED,
        DossierStatus.IN_REVIEW,
        DossierStatus.SUPPLEMENT_REQUESTED,
        DossierStatus.DECISION_PENDING,
        DossierStatus.APPROVED,
    }
)
# States in which the handling is finished (the clock stopped for good).
FINISHED_STATES = frozenset(
    {DossierStatus.REJECTED, DossierStatus.RESULT_ISSUED, DossierStatus.RESULT_RETURNED, DossierStatus.WITHDRAWN}
)


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REFUSE = "refuse", _("Refuse")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    IN_PROGRESS = "in_progress", _("In progress")
    IN_PROGRESS_LATE = "in_progress_late", _("In progress, overdue")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 3, _("Very satisfied")
    SATISFIED = 2, _("Satisfied")
    DISSATISFIED = 1, _("Not satisfied")
