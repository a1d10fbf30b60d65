"""Issued official documents: the register of outgoing documents (sổ đăng ký văn bản đi) and their files.

A row keeps what was printed at issue (issuing body, kind, title, number/symbol) as text, so a document
of a body that later merged still reads "UBND TỈNH BẮC GIANG" (domain-procedures §19.2), and keeps the
structured content (`content`) it was rendered from. `status` changes only in services; "expired" is
not stored but computed from `valid_until` against today's date.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendost.common.models import PublicIdModel, TimeStampedModel
from opendost.departments.scoping import DepartmentScopedQuerySet
from opendost.documents.enums import DocumentState, DocumentStatus

# Crockford-style alphabet without 0/O, 1/I/L: easy to read aloud and to type from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31**10 ≈ 8e14 codes: not guessable by enumeration


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _upload_to(instance: "IssuedDocument", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1]
    return f"documents/{instance.issued_on.year}/{instance.public_id}.{extension}"


class IssuedDocument(PublicIdModel, TimeStampedModel):
    department = models.ForeignKey(
        "departments.Department", models.PROTECT, related_name="issued_documents", verbose_name=_("department")
    )
    series = models.ForeignKey(
        "numbering.NumberSeries", models.PROTECT, related_name="documents", verbose_name=_("number series")
    )
    doc_type = models.CharField(_("document type"), max_length=10)
    number = models.PositiveIntegerField(_("number"))
    number_symbol = models.CharField(_("number and symbol"), max_length=60)
    doc_kind = models.CharField(_("kind"), max_length=100)
    title = models.CharField(_("summary"), max_length=500)
    issuing_body_parent = models.CharField(_("governing body at issue"), max_length=255)
    issuing_body = models.CharField(_("issuing body at issue"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus, default=DocumentStatus.VALID)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    replaced_by = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="replaces", verbose_name=_("replaced by")
    )
    content = models.JSONField(_("content"), default=dict, editable=False)
    docx = models.FileField(_("Word file"), upload_to=_upload_to, max_length=200)
    pdf = models.FileField(_("PDF file"), upload_to=_upload_to, max_length=200)
    content_type = models.ForeignKey(ContentType, models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="issued_documents", verbose_name=_("issued by")
    )
    verification_code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_verification_code, editable=False
    )

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="issueddocument_unique_number"),
            models.CheckConstraint(
                condition=~models.Q(status=DocumentStatus.REPLACED) | models.Q(replaced_by__isnull=False),
                name="issueddocument_replaced_has_replacement",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.doc_kind} {self.number_symbol}"

    @property
    def kind_label(self) -> str:
        """ "QUYẾT ĐỊNH" as a label in running text: "Quyết định"."""
        return self.doc_kind.capitalize()

    @property
    def state(self) -> str:
        if self.status != DocumentStatus.VALID:
            return self.status
        if self.valid_until is not None and self.valid_until < timezone.localdate():
            return DocumentState.EXPIRED
        return DocumentState.VALID

    def get_state_display(self) -> str:
        return DocumentState(self.state).label

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.public_id])

    def get_verification_path(self) -> str:
        return reverse("documents_public:verify", args=[self.verification_code])
