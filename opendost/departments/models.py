"""Jurisdictions: each record belongs to one provincial Department of Science and Technology (Sở).

One installation can hold several departments (merged provinces, a ministry-level install).
`successor` links a department that ceased (Sở KH&CN Bắc Giang, to 30/06/2025) to the one that
took over its records (Sở KH&CN tỉnh Bắc Ninh, from 01/07/2025); historical records keep the
department they were made under.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opendost.common.models import PublicIdModel, TimeStampedModel


class Department(PublicIdModel, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    governing_body = models.CharField(_("governing body"), max_length=255, help_text=_("e.g. UBND TỈNH BẮC NINH"))
    province = models.ForeignKey(
        "geography.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="predecessors", verbose_name=_("successor")
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def jurisdiction_ids(self) -> list[int]:
        """This department and every predecessor whose records it now holds."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Department.objects.filter(successor_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class Unit(TimeStampedModel):
    """A division of a department: phòng, chi cục, trung tâm, the one-stop desk, the inspectorate."""

    department = models.ForeignKey(Department, models.PROTECT, related_name="units", verbose_name=_("department"))
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["department", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "code"], name="unit_unique_code")]

    def __str__(self) -> str:
        return self.name
