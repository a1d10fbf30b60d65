from django.db import models
from django.utils.translation import gettext_lazy as _


class Regime(models.TextChoices):
    """The legal regime a task, round or call is handled under (domain-procedures §0.1). A record
    keeps the regime it started under and is never re-judged under the later one."""

    LAW_2013 = "2013", _("S&T Law 2013 (Decree 08/2014)")
    LAW_2025 = "2025", _("S&T and Innovation Law 2025 (Decree 267/2025)")


class TaskLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    GRASSROOTS = "grassroots", _("Grassroots")


class TaskKind(models.TextChoices):
    """NĐ 08/2014 Art. 25 (domain-procedures §5.2)."""

    RESEARCH = "research", _("Research project (đề tài)")
    PILOT_PRODUCTION = "pilot_production", _("Pilot-production project")
    ST_PROJECT = "st_project", _("S&T project (dự án)")
    SCHEME = "scheme", _("Scientific scheme (đề án)")


class AssignmentMode(models.TextChoices):
    SELECTION = "selection", _("Competitive selection")
    DIRECT = "direct", _("Direct assignment")


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("Central S&T budget")
    PROVINCIAL = "provincial", _("Provincial S&T budget")
    COUNTERPART = "counterpart", _("Counterpart funds")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for proposals")
    REVIEWING = "reviewing", _("Reviewing")
    APPROVED = "approved", _("Ordered list approved")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_ROUND = "in_round", _("In a round")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    REJECTED = "rejected", _("Not retained")
    ORDERED = "ordered", _("Ordered")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class TaskStatus(models.TextChoices):
    """Domain-procedures §5.3; the names under the 2025 law are in regimes.STATE_LABELS."""

    ORDERED = "ordered", _("Ordered")
    SELECTING = "selecting", _("Selecting the host")
    ASSIGNED = "assigned", _("Host approved")
    CONTRACTED = "contracted", _("Contracted")
    IN_PROGRESS = "in_progress", _("In progress")
    EXTENDED = "extended", _("Extended")
    SUBMITTED_FOR_ACCEPTANCE = "submitted_for_acceptance", _("Submitted for acceptance")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Failed acceptance")
    RESULTS_REGISTERED = "results_registered", _("Results registered")
    LIQUIDATED = "liquidated", _("Liquidated")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class AmendmentKind(models.TextChoices):
    EXTENSION = "extension", _("Time extension")
    CONTENT = "content", _("Content change")
    BUDGET = "budget", _("Budget change")


class AmendmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")
    RETURNED = "returned", _("Returned for revision")


class CheckConclusion(models.TextChoices):
    ON_TRACK = "on_track", _("On schedule")
    BEHIND = "behind", _("Behind schedule")
    SERIOUS = "serious", _("Serious problems")


class AcceptanceLevel(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots (host organisation)")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National")


class Classification(models.TextChoices):
    """TT 11/2014 Art. 13 (domain-procedures §5.5)."""

    EXCELLENT = "excellent", _("Excellent (Xuất sắc)")
    PASS = "pass", _("Pass (Đạt)")
    FAIL = "fail", _("Fail (Không đạt)")


class ResultType(models.TextChoices):
    PROCESS = "process", _("Technical process")
    MODEL = "model", _("Pilot model")
    PRODUCT = "product", _("Product, variety or material")
    SOFTWARE = "software", _("Software or database")
    REPORT = "report", _("Scientific report or policy proposal")
    PUBLICATION = "publication", _("Book or publication")


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    RETURNED = "returned", _("Returned for completion")
    CERTIFIED = "certified", _("Certificate issued")
    STORED = "stored", _("Received and stored")
