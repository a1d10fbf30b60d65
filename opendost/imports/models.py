"""The import ledger: one row per file a user (or a command) asked to import.

A run is written RUNNING in its own transaction before any row is touched, and set to SUCCEEDED in
the same transaction that writes the rows, so a crash (even kill -9) can never leave a "succeeded"
run with half its rows, nor rows without a run (docs/adr/0015-excel-import.md).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opendost.common.models import PublicIdModel
from opendost.imports.enums import ImportStatus


class ImportRunQuerySet(models.QuerySet["ImportRun"]):
    def visible_to(self, user) -> "ImportRunQuerySet":
        """Runs made for the departments whose register the user works on (all for an administrator)."""
        from opendost.departments.scoping import jurisdiction_ids

        if not user.is_authenticated:
            return self.none()
        ids = jurisdiction_ids(user)
        if ids is None:
            return self
        return self.filter(models.Q(department_id__in=ids) | models.Q(department=None, created_by=user))


def _report_path(instance: "ImportRun", filename: str) -> str:
    return f"imports/reports/{uuid.uuid4().hex}.xlsx"


class ImportRun(PublicIdModel):
    spec = models.CharField(_("import"), max_length=60)
    department = models.ForeignKey(
        "departments.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    is_dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus, default=ImportStatus.RUNNING)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    message = models.TextField(_("message"), blank=True)
    error_sample = models.JSONField(_("first errors"), default=list, blank=True)
    error_report = models.FileField(_("error report"), upload_to=_report_path, max_length=200, blank=True)
    worker = models.CharField(_("worker"), max_length=120, blank=True, help_text=_("host:pid of the process."))

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["spec", "department", "sha256", "status"])]

    def __str__(self) -> str:
        return f"{self.spec}: {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status != ImportStatus.RUNNING
