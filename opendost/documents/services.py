"""The only writers of issued documents.

`document_issue` numbers, renders and stores a document in one transaction: if rendering or storing
fails, the number goes back to the series (the register stays gap-free) and the files written so far
are deleted. The series is locked from the number until commit (about half a second, the PDF render),
so issues of one series queue; on SQLite every writer queues (BEGIN IMMEDIATE). See ADR 0010.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.departments.models import Department
from opendost.documents.enums import DocumentStatus
from opendost.documents.models import IssuedDocument, new_verification_code
from opendost.documents.permissions import can_issue_document, can_withdraw_document
from opendost.documents.rendering import render_docx, render_pdf
from opendost.documents.structure import OfficialDocument
from opendost.numbering.models import NumberSeries
from opendost.numbering.services import number_next
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.services import transition_apply

AUDITED_FIELDS = ["number_symbol", "doc_kind", "title", "issued_on", "valid_until", "verification_code"]
DEFAULT_SYMBOL_SUFFIX = "SKHCN"  # Sở Khoa học và Công nghệ; the same in every province


def verification_url(code: str) -> str:
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("documents_public:verify", args=[code])


def _unused_code() -> str:
    for _attempt in range(5):
        code = new_verification_code()
        if not IssuedDocument.objects.filter(verification_code=code).exists():
            return code
    raise IntegrityError("could not draw an unused verification code")  # pragma: no cover (31**10 codes)


def _check_data(data: OfficialDocument, valid_until: dt.date | None) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("issuing_body_parent", "issuing_body", "place", "doc_kind", "title", "signer_name"):
        if not getattr(data, name).strip():
            errors.setdefault(name, []).append(_("This field is required."))
    if not data.body:
        errors.setdefault("body", []).append(_("A document needs some content."))
    if data.issued_on > timezone.localdate():
        errors.setdefault("issued_on", []).append(_("The issue date cannot be in the future."))
    if valid_until is not None and valid_until < data.issued_on:
        errors.setdefault("valid_until", []).append(_("The validity cannot end before the issue date."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def document_issue(
    *,
    actor,
    department: Department,
    doc_type: str,
    data: OfficialDocument,
    valid_until: dt.date | None = None,
    subject: models.Model | None = None,
    symbol_suffix: str = DEFAULT_SYMBOL_SUFFIX,
) -> IssuedDocument:
    """Number `data` in the department's series, render .docx and PDF with the QR, store both.

    1. Check the actor may issue for the department and the content is complete.
    2. Take the next number (refused when the department has ceased: its series are closed).
    3. Draw the verification code; the QR in both files points at its public page.
    4. Render both files from the same data and store them under documents/<year>/.
    """
    if not can_issue_document(actor, department):
        raise PermissionDenied
    data = data.with_issue(issued_on=data.issued_on or timezone.localdate())
    issued_on = data.issued_on
    _check_data(data, valid_until)
    number, symbol = number_next(
        department=department, doc_type=doc_type, year=issued_on.year, suffix=symbol_suffix, on=issued_on
    )
    code = _unused_code()
    data = data.with_issue(number_symbol=symbol, verification_code=code, qr_url=verification_url(code))
    document = IssuedDocument(
        department=department,
        series=NumberSeries.objects.get(department=department, doc_type=doc_type.strip(), year=issued_on.year),
        doc_type=doc_type.strip(),
        number=number,
        number_symbol=symbol,
        doc_kind=data.doc_kind,
        title=data.title,
        issuing_body_parent=data.issuing_body_parent,
        issuing_body=data.issuing_body,
        issued_on=issued_on,
        valid_until=valid_until,
        content=data.to_json(),
        issued_by=actor,
        verification_code=code,
    )
    if subject is not None:
        document.content_type = ContentType.objects.get_for_model(subject)
        document.object_id = subject.pk
    docx, pdf = render_docx(data), render_pdf(data)
    try:
        document.docx.save("document.docx", ContentFile(docx), save=False)
        document.pdf.save("document.pdf", ContentFile(pdf), save=False)
        document.full_clean(exclude=["docx", "pdf", "verification_code"])
        document.save()
    except Exception:
        _delete_files(document)
        raise
    audit_record(actor=actor, action=AuditAction.CREATE, obj=document, after=model_snapshot(document, AUDITED_FIELDS))
    return document


def _delete_files(document: IssuedDocument) -> None:
    for field in (document.docx, document.pdf):
        if field.name:
            field.storage.delete(field.name)


def _withdraw(document: IssuedDocument, transition: str, *, actor, reason: str, **changes: Any) -> None:
    """Move a valid document through the transition engine (permission, conditional claim, log,
    audit) and record when and why; two withdrawals cannot both win.

    The details are written first (still on the valid row) because a replaced document must name
    its replacement (a check constraint); a refused transition rolls them back with it.
    """
    IssuedDocument.objects.filter(pk=document.pk).update(
        status_changed_at=timezone.now(), status_reason=reason, **changes
    )
    try:
        transition_apply(document, transition, actor=actor, note=reason)
    except TransitionNotAllowed as exc:
        raise ValidationError(_("Only a valid document can be revoked or replaced."), code="not_valid") from exc
    document.refresh_from_db()


@transaction.atomic
def document_revoke(*, actor, document: IssuedDocument, reason: str) -> IssuedDocument:
    """Revoke (thu hồi) a document: its verification page says so from now on."""
    if not can_withdraw_document(actor, document):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for revoking the document.")]})
    _withdraw(document, "revoke", actor=actor, reason=reason)
    return document


@transaction.atomic
def document_replace(
    *,
    actor,
    document: IssuedDocument,
    data: OfficialDocument,
    reason: str = "",
    department: Department | None = None,
    valid_until: dt.date | None = None,
) -> IssuedDocument:
    """Issue a replacement (văn bản thay thế) and mark `document` as replaced by it.

    The replacement is numbered in `department`'s series: by default the original's department, but a
    document of a body that ceased must be replaced by its successor (its old series are closed).
    """
    if not can_withdraw_document(actor, document):
        raise PermissionDenied
    if document.status != DocumentStatus.VALID:
        raise ValidationError(_("Only a valid document can be revoked or replaced."), code="not_valid")
    replacement = document_issue(
        actor=actor,
        department=department or document.department,
        doc_type=document.doc_type,
        data=data,
        valid_until=valid_until,
        subject=document.subject,
    )
    _withdraw(document, "replace", actor=actor, reason=reason.strip(), replaced_by=replacement)
    return replacement
