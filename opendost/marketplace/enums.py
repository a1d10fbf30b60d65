"""Choices of the technology exchange (điểm kết nối cung - cầu công nghệ)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingKind(models.TextChoices):
    OFFER = "offer", _("Technology offer")
    NEED = "need", _("Technology need")
    EQUIPMENT = "equipment", _("Equipment")
    SERVICE = "service", _("S&T service")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting moderation")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ListingSource(models.TextChoices):
    OWNER = "owner", _("Posted by its owner")
    OFFICER = "officer", _("Captured by an officer")
    TASK_RESULT = "task_result", _("From an S&T task result")
    IMPORT = "import", _("Imported from the old exchange")


class CaptureChannel(models.TextChoices):
    """Where an officer captured a need on an enterprise's behalf."""

    SURVEY = "survey", _("Survey")
    INSPECTION = "inspection", _("Inspection")
    FAIR = "fair", _("Fair or event")
    OTHER = "other", _("Other")


class IpStatus(models.TextChoices):
    PATENT = "patent", _("Patent")
    UTILITY_SOLUTION = "utility", _("Utility solution")
    DESIGN = "design", _("Industrial design")
    PLANT_VARIETY = "variety", _("Plant variety protection")
    KNOW_HOW = "know_how", _("Know-how")
    APPLIED = "applied", _("Application filed")
    NONE = "none", _("Not protected")


class TransferMode(models.TextChoices):
    LICENCE = "licence", _("Licence")
    SALE = "sale", _("Assignment (sale)")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    CONSULTING = "consulting", _("Consulting and training")
    TURNKEY = "turnkey", _("Turnkey")


class EquipmentMode(models.TextChoices):
    SALE = "sale", _("For sale")
    LEASE = "lease", _("For lease")
    SHARED_USE = "shared_use", _("Shared laboratory use")


class ServiceType(models.TextChoices):
    CONSULTING = "consulting", _("Consulting")
    VALUATION = "valuation", _("Technology valuation")
    BROKERAGE = "brokerage", _("Brokerage")
    TESTING = "testing", _("Testing and analysis")
    OTHER = "other", _("Other")


class ConnectionStatus(models.TextChoices):
    REQUESTED = "requested", _("Interest expressed")
    INTRODUCED = "introduced", _("Parties introduced")
    MEETING = "meeting", _("Meetings")
    NEGOTIATING = "negotiating", _("Negotiation")
    DEAL = "deal", _("Deal signed")
    DROPPED = "dropped", _("Dropped")
    FOLLOWED_UP = "followed_up", _("Followed up after transfer")


class ConnectionEventKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction")
    MEETING = "meeting", _("Meeting")
    NOTE = "note", _("Note")
    FOLLOW_UP = "follow_up", _("Follow-up")


class FairKind(models.TextChoices):
    FAIR = "fair", _("Technology fair")
    DEMONSTRATION = "demonstration", _("Demonstration event")
    BROKERAGE = "brokerage", _("Brokerage session")


class FairStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
