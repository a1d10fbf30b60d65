"""Number series of outgoing documents (số, ký hiệu văn bản; NĐ 30/2020/NĐ-CP Appendix I).

A series is kept per issuing body, document type and calendar year, and restarts at 1 on 1 January.
A body that ceased (the pre-merger departments, to 30/06/2025) keeps its series for the record, but
they are closed: `number_next` refuses to give a number after the body's `valid_to`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opendost.common.models import TimeStampedModel


class NumberSeries(TimeStampedModel):
    department = models.ForeignKey(
        "departments.Department", models.PROTECT, related_name="number_series", verbose_name=_("department")
    )
    doc_type = models.CharField(
        _("document type"), max_length=10, help_text=_("Abbreviation from NĐ 30/2020 Appendix III, e.g. QĐ, GP, GCN.")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    symbol_suffix = models.CharField(
        _("symbol suffix"), max_length=40, help_text=_("The issuing body's abbreviation, e.g. SKHCN.")
    )
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        ordering = ["department", "-year", "doc_type"]
        constraints = [
            models.UniqueConstraint(fields=["department", "doc_type", "year"], name="numberseries_unique_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}-{self.symbol_suffix} {self.year}"
