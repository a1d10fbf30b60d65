from django.db import models
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Working day")


class DeadlineUnit(models.TextChoices):
    WORKING = "working", _("Working days")
    CALENDAR = "calendar", _("Calendar days")


class StartRule(models.TextChoices):
    """Which day is day 1 of a period that a receipt (or any triggering event) starts."""

    # Day 1 is the first working day after the day of receipt (§1.5: "kể từ ngày nhận đủ hồ sơ hợp lệ").
    NEXT_WORKING_DAY = "next_working_day", _("From the first working day after receipt")
    # Day 1 is the day after the day of receipt, whatever it is (Civil Code 2015 Art. 147).
    NEXT_DAY = "next_day", _("From the day after receipt")
