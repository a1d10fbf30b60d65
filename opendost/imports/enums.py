from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Imported")
    CHECKED = "checked", _("Checked, nothing imported")
    INVALID = "invalid", _("Rows with errors, nothing imported")
    REJECTED = "rejected", _("File refused")
    FAILED = "failed", _("Failed, nothing imported")


class Outcome(models.TextChoices):
    """What a row handler did with one row."""

    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")
