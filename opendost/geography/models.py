"""Effective-dated administrative units of both code sets, and the succession between them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendost.geography.enums import AdminLevel, CodeSet, SuccessionRelation


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def provinces(self) -> "AdminUnitQuerySet":
        return self.filter(level=AdminLevel.PROVINCE)

    def in_set(self, code_set: str) -> "AdminUnitQuerySet":
        return self.filter(code_set=code_set)

    def valid_on(self, day) -> "AdminUnitQuerySet":
        return self.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class AdminUnit(models.Model):
    code_set = models.CharField(_("code set"), max_length=10, choices=CodeSet)
    level = models.CharField(_("level"), max_length=10, choices=AdminLevel)
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=120)
    division_type = models.CharField(_("division type"), max_length=40)
    codename = models.CharField(max_length=120, editable=False)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    province = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    name_folded = models.CharField(max_length=120, editable=False, db_index=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code_set", "level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code_set", "level", "code"], name="adminunit_unique_code"),
        ]
        indexes = [models.Index(fields=["code_set", "level", "parent"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("geography:unit_detail", args=[self.code_set, self.level, self.code])

    @property
    def is_current(self) -> bool:
        return self.code_set == CodeSet.CURRENT


class AdminUnitSuccession(models.Model):
    """A pre-2025 unit went (wholly or partly) into a current unit on `effective_on`."""

    old_unit = models.ForeignKey(AdminUnit, models.CASCADE, related_name="successors", verbose_name=_("old unit"))
    new_unit = models.ForeignKey(AdminUnit, models.CASCADE, related_name="predecessors", verbose_name=_("new unit"))
    relation = models.CharField(_("relation"), max_length=10, choices=SuccessionRelation)
    effective_on = models.DateField(_("effective on"))

    class Meta:
        verbose_name = _("administrative unit succession")
        verbose_name_plural = _("administrative unit successions")
        constraints = [
            models.UniqueConstraint(fields=["old_unit", "new_unit"], name="succession_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.old_unit} → {self.new_unit}"
