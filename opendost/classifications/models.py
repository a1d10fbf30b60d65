"""S&T field classifications. Records keep the scheme they were tagged with (reference §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassificationScheme(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    source_note = models.TextField(_("source of the data"), blank=True)

    class Meta:
        verbose_name = _("classification scheme")
        verbose_name_plural = _("classification schemes")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return self.name


class ClassificationNode(models.Model):
    scheme = models.ForeignKey(ClassificationScheme, models.PROTECT, related_name="nodes", verbose_name=_("scheme"))
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=255)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        verbose_name = _("S&T field")
        verbose_name_plural = _("S&T fields")
        ordering = ["scheme", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="classnode_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
