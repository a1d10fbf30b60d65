from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetArea(models.TextChoices):
    TASKS = "tasks", _("S&T tasks")
    RESULTS = "results", _("Results and their application")
    FUNDING = "funding", _("S&T funding")
    RADIATION = "radiation", _("Radiation safety")
    ONE_STOP = "one_stop", _("One-stop dossiers")
    IP = "ip", _("Industrial property")
    METROLOGY = "metrology", _("Standards, metrology and quality")
    OTHER = "other", _("Other")


class ManualValueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_TARGET = "no_target", _("No target stated")
    NO_DATA = "no_data", _("No data yet")
