"""The officers' table of the year's official swaps and extra days off (calendar overrides)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opendost.calendars.enums import OverrideKind
from opendost.common.models import TimeStampedModel


class CalendarOverride(TimeStampedModel):
    """One date whose status differs from (or is confirmed against) the statutory calendar.

    The statutory calendar comes from the `holidays` library (opendost.calendars.workdays); an
    override wins over it for its date. Officers enter each year's notice from the Ministry of Home
    Affairs here: a make-up working Saturday, a swapped day off, a holiday the library does not know
    yet, or a library holiday the official text does not grant.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OverrideKind)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(
        _("legal basis"), max_length=200, blank=True, help_text=_("For example: Notice No. 9441/TB-BNV.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OverrideKind.values), name="calendar_override_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def is_working_day(self) -> bool:
        return self.kind == OverrideKind.WORKING_DAY
