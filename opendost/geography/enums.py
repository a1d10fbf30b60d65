from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeSet(models.TextChoices):
    """The two sets of administrative units. Codes are reused across sets with other meanings
    (province 24 is Bắc Giang before 1 July 2025 and the merged Bắc Ninh after), so a code is
    never read without its set."""

    PRE_2025 = "pre2025", _("Before 1 July 2025 (63 provinces)")
    CURRENT = "2025", _("From 1 July 2025 (34 provinces)")


class AdminLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class SuccessionRelation(models.TextChoices):
    WHOLE = "whole", _("Whole unit")
    PART = "part", _("Part of the unit")
