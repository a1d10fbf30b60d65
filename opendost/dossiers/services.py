"""The only writers of the one-stop dossier engine.

Every status move goes through `transition_apply` (permission, conditional claim: of two concurrent
moves of one dossier exactly one wins, log, audit). The move is claimed FIRST, then the dates and notes
that go with it are written in the same transaction, so a refused or lost move writes nothing.

Notifications are written to the outbox inside the transaction (they leave only if it commits), in the
site's language (Vietnamese) because they are read by applicants.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opendost.accounts.models import User
from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.calendars import workdays
from opendost.calendars.workdays import legal_date
from opendost.common.locking import save_with_version
from opendost.common.text import normalize
from opendost.departments.models import Department, Unit
from opendost.departments.scoping import in_jurisdiction
from opendost.documents.services import document_issue
from opendost.dossiers import clock
from opendost.dossiers import permissions as perms
from opendost.dossiers.enums import ApplicantKind, Channel, DossierStatus, Recommendation, VersionStatus
from opendost.dossiers.handlers import handler_for
from opendost.dossiers.models import (
    Dossier,
    DossierAttachment,
    DossierDelay,
    DossierRating,
    DossierStep,
    Procedure,
    ProcedureVersion,
    SupplementRequest,
)
from opendost.notifications.enums import MessageChannel
from opendost.notifications.services import notify
from opendost.numbering.services import number_next
from opendost.workflow.services import transition_apply

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png", "zip"})
APPLICANT_FIELDS = frozenset(
    {"applicant_kind", "applicant_name", "applicant_address", "applicant_phone", "applicant_email", "note"}
)
AUDITED_FIELDS = [
    "code",
    "applicant_name",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
    "payload",
    "note",
    "fee_amount",
    "fee_receipt",
    "fee_paid_on",
    "received_at",
    "clock_start_date",
    "due_date",
    "rescheduled_due_date",
    "assigned_unit",
    "assigned_officer",
    "recommendation",
    "recommendation_note",
    "decision_reason",
    "finished_at",
    "returned_at",
]
CHANNELS = [MessageChannel.IN_APP, MessageChannel.EMAIL]


# CATALOGUE ----------------------------------------------------------------------------------------


def version_in_force(procedure: Procedure, *, on: dt.date | None = None) -> ProcedureVersion:
    """The published version that applies to a dossier started `on` (today by default)."""
    on = on or timezone.localdate()
    for version in procedure.versions.filter(status=VersionStatus.PUBLISHED).order_by("-effective_from"):
        if version.is_effective_on(on):
            return version
    raise ValidationError(
        _("The procedure “%(name)s” has no version in force on %(date)s.")
        % {"name": procedure.name, "date": on.strftime("%d/%m/%Y")},
        code="no_version",
    )


@transaction.atomic
def procedure_version_draft(*, actor, procedure: Procedure, copy_of: ProcedureVersion | None = None, **values):
    """A new draft version: a copy of `copy_of` (default: the latest) with `values` changed."""
    if not actor.has_perm("dossiers.publish_procedure"):
        raise PermissionDenied
    source = copy_of or procedure.versions.order_by("-number").first()
    fields = {}
    if source is not None:
        for field in ProcedureVersion._meta.concrete_fields:
            if field.name not in {"id", "public_id", "procedure", "number", "status", "created_at", "updated_at"}:
                fields[field.name] = getattr(source, field.name)
    fields.update(values)
    number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ProcedureVersion(procedure=procedure, number=number, **fields)
    version.full_clean()
    version.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=version, after=model_snapshot(version), department_id=None
    )
    return version


@transaction.atomic
def procedure_version_publish(*, actor, version: ProcedureVersion) -> ProcedureVersion:
    """Publish a draft. The published version in force before it ends the day before the new one
    starts; dossiers started under it keep it (they reference their version)."""
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Only a draft version can be published."), code="not_draft")
    previous = list(
        version.procedure.versions.filter(status=VersionStatus.PUBLISHED, effective_from__lt=version.effective_from)
        .exclude(pk=version.pk)
        .filter(models_q_open_on(version.effective_from))
    )
    later = version.procedure.versions.filter(
        status=VersionStatus.PUBLISHED, effective_from__gte=version.effective_from
    ).exclude(pk=version.pk)
    if later.exists():
        raise ValidationError(
            _("A published version already starts on or after %(date)s.")
            % {"date": version.effective_from.strftime("%d/%m/%Y")},
            code="overlap",
        )
    transition_apply(version, "publish", actor=actor)
    for old in previous:
        before = model_snapshot(old, ["effective_to"])
        ProcedureVersion.objects.filter(pk=old.pk).update(
            effective_to=version.effective_from - dt.timedelta(days=1), updated_at=timezone.now()
        )
        old.refresh_from_db()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=old,
            before=before,
            after=model_snapshot(old, ["effective_to"]),
            department_id=None,
        )
    return version


def models_q_open_on(day: dt.date):
    from django.db.models import Q

    return Q(effective_to__isnull=True) | Q(effective_to__gte=day)


# DRAFTS AND INTAKE --------------------------------------------------------------------------------


def _clean_applicant(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - APPLICANT_FIELDS
    if unknown:
        raise ValueError(f"Not applicant fields: {sorted(unknown)}")
    cleaned = {k: normalize(v) if isinstance(v, str) else v for k, v in values.items()}
    if "applicant_name" in cleaned and not cleaned["applicant_name"]:
        raise ValidationError({"applicant_name": [_("Give the applicant's name.")]})
    return cleaned


def _department_for(*, actor, organization) -> Department:
    if organization is not None:
        return organization.department
    if actor.department_id:
        return actor.department
    raise ValidationError(_("Choose the organisation the dossier is submitted for."), code="no_department")


@transaction.atomic
def dossier_create(
    *,
    actor,
    procedure: Procedure,
    organization=None,
    payload: dict | None = None,
    channel: str = Channel.ONLINE,
    **applicant: Any,
) -> Dossier:
    """A draft dossier under the version of `procedure` in force today.

    An applicant creates drafts for itself (its organisation, or as an individual); the desk creates
    them for counter and post receipts (see `dossier_receive_at_counter`).
    """
    is_desk = actor.has_perm("dossiers.receive_dossier")
    if not is_desk:
        if actor.is_department_staff or not actor.has_perm("accounts.use_applicant_services"):
            raise PermissionDenied
        if organization is not None and organization.pk != actor.organization_id:
            raise PermissionDenied
        channel = Channel.ONLINE
    version = version_in_force(procedure)
    values = _clean_applicant(applicant)
    if organization is not None:
        values.setdefault("applicant_kind", ApplicantKind.ORGANIZATION)
        values.setdefault("applicant_name", organization.name)
        values.setdefault("applicant_address", organization.address_line or "")
        values.setdefault("applicant_phone", organization.phone)
        values.setdefault("applicant_email", organization.email)
    elif not values.get("applicant_name"):
        values["applicant_name"] = actor.get_full_name()
        values.setdefault("applicant_kind", ApplicantKind.INDIVIDUAL)
        values.setdefault("applicant_email", actor.email)
    department = _department_for(actor=actor, organization=organization)
    if is_desk and not in_jurisdiction(actor, department):
        raise PermissionDenied
    handler = handler_for(procedure.handler_key)
    cleaned_payload = handler.clean_payload(payload or {}, organization=organization, version=version)
    dossier = Dossier(
        department=department,
        procedure_version=version,
        channel=channel,
        applicant_organization=organization,
        applicant_user=None if is_desk else actor,
        recorded_by=actor if is_desk else None,
        payload=cleaned_payload,
        **values,
    )
    dossier.full_clean(exclude=["code"])
    dossier.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=dossier, after=model_snapshot(dossier, AUDITED_FIELDS))
    return dossier


@transaction.atomic
def dossier_update_draft(
    *, actor, dossier: Dossier, expected_version: int | None = None, payload: dict | None = None, **applicant
) -> Dossier:
    if dossier.status not in {DossierStatus.DRAFT, DossierStatus.RETURNED}:
        raise ValidationError(_("Only a draft or a returned dossier can be edited."), code="not_editable")
    if not perms.can_act_for_applicant(actor, dossier):
        raise PermissionDenied
    before = model_snapshot(dossier, AUDITED_FIELDS)
    values = _clean_applicant(applicant)
    for name, value in values.items():
        setattr(dossier, name, value)
    if payload is not None:
        handler = handler_for(dossier.procedure.handler_key)
        dossier.payload = handler.clean_payload(
            payload, organization=dossier.applicant_organization, version=dossier.procedure_version
        )
    dossier.full_clean(exclude=["code"])
    save_with_version(
        dossier,
        fields=[*values, "payload"],
        expected_version=dossier.version if expected_version is None else expected_version,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=dossier,
        before=before,
        after=model_snapshot(dossier, AUDITED_FIELDS),
    )
    return dossier


@transaction.atomic
def attachment_add(
    *,
    actor,
    dossier: Dossier,
    upload,
    requirement: str = "",
    name: str = "",
    supplement: SupplementRequest | None = None,
) -> DossierAttachment:
    """Attach a file: while drafting or returned (the applicant or the desk), or to an open supplement request."""
    if not perms.can_act_for_applicant(actor, dossier):
        raise PermissionDenied
    allowed = {DossierStatus.DRAFT, DossierStatus.RETURNED, DossierStatus.SUPPLEMENT_REQUESTED}
    if dossier.status not in allowed:
        raise ValidationError(_("Files can only be added to a draft or when supplements are requested."))
    original = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1]
    extension = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            {
                "file": [
                    _("This type of file is not accepted. Accepted: %(list)s.")
                    % {"list": ", ".join(sorted(ALLOWED_EXTENSIONS))}
                ]
            }
        )
    content = upload.read()
    if not content:
        raise ValidationError({"file": [_("The file is empty.")]})
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": [_("The file is larger than 20 MB.")]})
    codes = {d.get("code") for d in dossier.procedure_version.required_documents}
    if requirement and requirement not in codes:
        raise ValidationError({"requirement": [_("This document is not in the procedure's list.")]})
    attachment = DossierAttachment(
        dossier=dossier,
        requirement=requirement,
        name=normalize(name) or _requirement_name(dossier, requirement) or original,
        original_name=original[:255],
        size=len(content),
        sha256=DossierAttachment.digest(content),
        supplement=supplement,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(original, ContentFile(content), save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=attachment,
        after=model_snapshot(attachment, ["requirement", "name", "original_name", "size", "sha256"]),
        department_id=dossier.department_id,
    )
    return attachment


def _requirement_name(dossier: Dossier, code: str) -> str:
    for document in dossier.procedure_version.required_documents:
        if document.get("code") == code:
            return str(document.get("name", ""))
    return ""


def missing_documents(dossier: Dossier) -> list[dict]:
    """Required documents of the version without an attached file."""
    attached = {a.requirement for a in dossier.attachments.all()}
    return [
        d
        for d in dossier.procedure_version.required_documents
        if d.get("required", True) and d["code"] not in attached
    ]


def _next_code(dossier: Dossier, on: dt.date) -> str:
    number, _symbol = number_next(department=dossier.department, doc_type="HS", year=on.year, suffix="MC", on=on)
    return f"{dossier.department.code.upper()}-{on:%y%m%d}-{number:05d}"


def _write(dossier: Dossier, *, actor, note: str = "", **fields) -> None:
    """Write the dates and notes that go with a move (after the claim) and audit them."""
    before = model_snapshot(dossier, AUDITED_FIELDS)
    fields["updated_at"] = timezone.now()
    Dossier.objects.filter(pk=dossier.pk).update(**fields)
    for name, value in fields.items():
        setattr(dossier, name, value)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=dossier,
        before=before,
        after=model_snapshot(dossier, AUDITED_FIELDS),
        note=note,
    )


@transaction.atomic
def dossier_submit(*, actor, dossier: Dossier) -> Dossier:
    """Submit a draft (or resubmit a returned dossier): the required documents must be attached online."""
    if not perms.can_act_for_applicant(actor, dossier):
        raise PermissionDenied
    if dossier.channel == Channel.ONLINE:
        missing = missing_documents(dossier)
        if missing:
            raise ValidationError(
                _("Attach the required documents first: %(list)s.") % {"list": "; ".join(d["name"] for d in missing)},
                code="missing_documents",
            )
    first_submission = dossier.status == DossierStatus.DRAFT
    transition_apply(dossier, "submit", actor=actor)
    now = timezone.now()
    fields: dict[str, Any] = {"submitted_at": now}
    if first_submission:
        fields["code"] = _next_code(dossier, legal_date(now))
    fields["intake_due_date"] = clock.intake_due(dossier.procedure_version, submitted_at=now, channel=dossier.channel)
    _write(dossier, actor=actor, **fields)
    desk = User.objects.filter(
        department=dossier.department, groups__permissions__codename="receive_dossier", is_active=True
    ).distinct()
    _notify(
        dossier,
        "submitted",
        desk,
        gettext_noop("New dossier %(code)s: %(procedure)s"),
        gettext_noop("%(applicant)s submitted dossier %(code)s (%(procedure)s). It waits for intake."),
    )
    return dossier


@transaction.atomic
def dossier_receive(*, actor, dossier: Dossier, received_at: dt.datetime | None = None) -> Dossier:
    """Receive a complete dossier: the receipt slip's appointment date is computed by the legal calendar."""
    if dossier.channel == Channel.ONLINE and missing_documents(dossier):
        raise ValidationError(_("The dossier lacks required documents: return it for completion."), code="incomplete")
    if dossier.procedure_version.clock_after_fee and dossier.fee_paid_on is None:
        raise ValidationError(
            _(
                "Record the fee payment first: under this procedure the time limit runs from the complete dossier "
                "and the paid fees."
            ),
            code="fee_unpaid",
        )
    transition_apply(dossier, "receive", actor=actor)
    received_at = received_at or timezone.now()
    version = dossier.procedure_version
    start = clock.deemed_receipt_date(received_at, dossier.channel)
    due = clock.due_date_for(version, start=start)
    _write(dossier, actor=actor, received_at=received_at, clock_start_date=start, due_date=due)
    DossierStep.objects.bulk_create(
        DossierStep(dossier=dossier, position=position, code=step["code"], name=step["name"], due_date=step_due)
        for position, step, step_due in clock.step_plan(version, start=start)
    )
    _notify(
        dossier,
        "received",
        _applicant_recipients(dossier),
        gettext_noop("Dossier %(code)s received"),
        gettext_noop("Your dossier %(code)s (%(procedure)s) was received. Appointment date: %(due)s."),
    )
    return dossier


@transaction.atomic
def dossier_receive_at_counter(
    *,
    actor,
    procedure: Procedure,
    organization=None,
    payload: dict | None = None,
    channel: str = Channel.COUNTER,
    received_at: dt.datetime | None = None,
    fee: dict | None = None,
    **applicant: Any,
) -> Dossier:
    """The desk records a dossier handed in at the counter or by post and receives it at once (the
    paper documents were checked on the spot). `fee` ({amount, receipt_number, paid_on}) records the fee
    paid at the counter."""
    if not actor.has_perm("dossiers.receive_dossier"):
        raise PermissionDenied
    if channel not in {Channel.COUNTER, Channel.POST}:
        raise ValidationError(_("A dossier recorded by the desk comes at the counter or by post."))
    dossier = dossier_create(
        actor=actor, procedure=procedure, organization=organization, payload=payload, channel=channel, **applicant
    )
    dossier_submit(actor=actor, dossier=dossier)
    if fee is not None:
        fee_record(actor=actor, dossier=dossier, **fee)
    dossier = dossier_receive(actor=actor, dossier=dossier, received_at=received_at)
    if received_at is not None:  # recorded later than handed in: it was submitted when it was received
        Dossier.objects.filter(pk=dossier.pk).update(submitted_at=received_at)
        dossier.submitted_at = received_at
    return dossier


FEE_STATES = {
    DossierStatus.SUBMITTED,
    DossierStatus.RECEIVED,
    DossierStatus.IN_REVIEW,
    DossierStatus.SUPPLEMENT_REQUESTED,
}


@transaction.atomic
def fee_record(*, actor, dossier: Dossier, amount: int, receipt_number: str, paid_on: dt.date) -> Dossier:
    """The desk records the fees paid (amount, receipt, date). Where the procedure version says so, the
    dossier can be received only once they are paid."""
    if not perms.can_receive(actor, dossier):
        raise PermissionDenied
    if dossier.status not in FEE_STATES:
        raise ValidationError(
            _("Fees are recorded while the dossier is being received or handled."), code="wrong_state"
        )
    if dossier.fee_paid_on is not None:
        raise ValidationError(_("The fee payment is already recorded."), code="wrong_state")
    errors: dict[str, list[str]] = {}
    receipt_number = normalize(receipt_number)
    if not isinstance(amount, int) or amount <= 0:
        errors["amount"] = [_("Give the amount paid in VND.")]
    if not receipt_number:
        errors["receipt_number"] = [_("Give the number of the fee receipt.")]
    if paid_on is None or paid_on > timezone.localdate():
        errors["paid_on"] = [_("The payment date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    _write(
        dossier,
        actor=actor,
        fee_amount=amount,
        fee_receipt=receipt_number,
        fee_paid_on=paid_on,
        note=gettext_noop("fee payment recorded"),
    )
    return dossier


def _reason(reason: str, message: str) -> str:
    reason = normalize(reason)
    if not reason:
        raise ValidationError({"reason": [message]})
    return reason


@transaction.atomic
def dossier_return_for_completion(*, actor, dossier: Dossier, reason: str) -> Dossier:
    reason = _reason(reason, _("Say what the applicant must complete."))
    transition_apply(dossier, "return_for_completion", actor=actor, note=reason)
    _write(dossier, actor=actor, decision_reason=reason)
    _notify(
        dossier,
        "returned",
        _applicant_recipients(dossier),
        gettext_noop("Dossier %(code)s must be completed"),
        gettext_noop("Your dossier %(code)s was returned for completion: %(reason)s"),
        reason=reason,
    )
    return dossier


@transaction.atomic
def dossier_refuse_intake(*, actor, dossier: Dossier, reason: str) -> Dossier:
    reason = _reason(reason, _("Give the reasons for refusing the dossier."))
    transition_apply(dossier, "refuse_intake", actor=actor, note=reason)
    _write(dossier, actor=actor, decision_reason=reason, finished_at=timezone.now())
    _notify(
        dossier,
        "refused_at_intake",
        _applicant_recipients(dossier),
        gettext_noop("Dossier %(code)s refused at intake"),
        gettext_noop("Your dossier %(code)s was refused at intake: %(reason)s"),
        reason=reason,
    )
    return dossier


# HANDLING -----------------------------------------------------------------------------------------


@transaction.atomic
def dossier_assign(*, actor, dossier: Dossier, unit: Unit | None, officer: User | None) -> Dossier:
    """Assign a received dossier to a unit and an officer, or reassign one in review."""
    if unit is None and officer is None:
        raise ValidationError(_("Choose a unit or an officer."))
    if unit is not None and unit.department_id != dossier.department_id:
        raise ValidationError({"unit": [_("The unit must belong to the dossier's department.")]})
    if officer is not None and (
        officer.department_id != dossier.department_id or not officer.has_perm("dossiers.handle_dossier")
    ):
        raise ValidationError({"officer": [_("The officer must handle dossiers in the dossier's department.")]})
    if unit is None and officer is not None:
        unit = officer.unit
    if dossier.status == DossierStatus.RECEIVED:
        transition_apply(dossier, "assign", actor=actor)
    elif dossier.status in {DossierStatus.IN_REVIEW, DossierStatus.SUPPLEMENT_REQUESTED}:
        if not perms.can_assign(actor, dossier):
            raise PermissionDenied
    else:
        raise ValidationError(_("Only a received dossier or one in review can be assigned."), code="wrong_state")
    _write(dossier, actor=actor, assigned_unit=unit, assigned_officer=officer)
    if officer is not None:
        _notify(
            dossier,
            f"assigned.{officer.pk}",
            [officer],
            gettext_noop("Dossier %(code)s assigned to you"),
            gettext_noop("Dossier %(code)s (%(procedure)s) is yours to handle. Due: %(due)s."),
        )
    return dossier


@transaction.atomic
def supplement_request(*, actor, dossier: Dossier, items: str) -> SupplementRequest:
    """Ask the applicant for supplements; the clock stops if the procedure version says so."""
    items = _reason(items, _("List what is missing or must be corrected."))
    transition_apply(dossier, "request_supplement", actor=actor, note=gettext_noop("supplements requested"))
    request = SupplementRequest.objects.create(
        dossier=dossier,
        requested_at=timezone.now(),
        requested_by=actor,
        items=items,
        pauses_clock=dossier.procedure_version.pause_on_supplement,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=request,
        after=model_snapshot(request, ["items", "pauses_clock"]),
        department_id=dossier.department_id,
    )
    _notify(
        dossier,
        f"supplement.{request.pk}",
        _applicant_recipients(dossier),
        gettext_noop("Dossier %(code)s: supplements requested"),
        gettext_noop("Please supplement your dossier %(code)s: %(reason)s"),
        reason=items,
    )
    return request


@transaction.atomic
def supplement_submit(*, actor, dossier: Dossier, note: str = "", at: dt.datetime | None = None) -> Dossier:
    """The applicant (or the desk for it) hands in the supplements: the clock restarts and the due
    date moves by the days it stood still."""
    request = dossier.supplements.filter(resumed_at__isnull=True).order_by("-requested_at").first()
    if request is None:
        raise ValidationError(_("No supplement was requested."), code="no_request")
    if not request.attachments.exists() and not normalize(note):
        raise ValidationError(_("Attach the supplements or explain them in a note."), code="empty_supplement")
    transition_apply(dossier, "supplement", actor=actor, note=gettext_noop("supplements received"))
    at = at or timezone.now()
    SupplementRequest.objects.filter(pk=request.pk).update(
        resumed_at=at, applicant_note=normalize(note), updated_at=timezone.now()
    )
    _replan(dossier, actor=actor)
    officers = [dossier.assigned_officer] if dossier.assigned_officer else []
    _notify(
        dossier,
        f"supplemented.{request.pk}",
        officers,
        gettext_noop("Dossier %(code)s supplemented"),
        gettext_noop("The applicant supplemented dossier %(code)s. New due date: %(due)s."),
    )
    return dossier


def _replan(dossier: Dossier, *, actor) -> None:
    """Recompute the due date and the steps' dates from the receipt with every pause so far."""
    supplements = list(dossier.supplements.all())
    version = dossier.procedure_version
    start = dossier.clock_start_date
    _write(dossier, actor=actor, due_date=clock.due_date_for(version, start=start, supplements=supplements))
    for position, _step, step_due in clock.step_plan(version, start=start, supplements=supplements):
        DossierStep.objects.filter(dossier=dossier, position=position, done_at__isnull=True).update(due_date=step_due)


@transaction.atomic
def step_complete(*, actor, dossier: Dossier, step: DossierStep) -> DossierStep:
    if step.dossier_id != dossier.pk:
        raise ValidationError(_("This step belongs to another dossier."))
    if not perms.can_handle(actor, dossier) or dossier.status not in {DossierStatus.IN_REVIEW}:
        raise PermissionDenied
    if step.done_at is not None:
        raise ValidationError(_("This step is already done."), code="done")
    DossierStep.objects.filter(pk=step.pk).update(done_at=timezone.now(), done_by=actor)
    step.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=dossier,
        changes={"step": [None, step.code]},
        note=gettext_noop("step done"),
    )
    return step


@transaction.atomic
def dossier_propose(*, actor, dossier: Dossier, recommendation: str, note: str = "") -> Dossier:
    if recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": [_("Choose approve or refuse.")]})
    note = normalize(note)
    if recommendation == Recommendation.REFUSE and not note:
        raise ValidationError({"note": [_("Give the reasons for proposing a refusal.")]})
    transition_apply(dossier, "propose", actor=actor, note=note)
    _write(dossier, actor=actor, recommendation=recommendation, recommendation_note=note)
    leaders = User.objects.filter(
        department=dossier.department, groups__permissions__codename="decide_dossier", is_active=True
    ).distinct()
    _notify(
        dossier,
        f"proposed.{dossier.version}",
        leaders,
        gettext_noop("Dossier %(code)s awaits your decision"),
        gettext_noop("Dossier %(code)s (%(procedure)s) awaits your decision. Due: %(due)s."),
    )
    return dossier


@transaction.atomic
def dossier_send_back(*, actor, dossier: Dossier, reason: str) -> Dossier:
    reason = _reason(reason, _("Say what must be reviewed again."))
    transition_apply(dossier, "send_back", actor=actor, note=reason)
    _write(dossier, actor=actor, decision_reason=reason)
    return dossier


@transaction.atomic
def dossier_approve(*, actor, dossier: Dossier, note: str = "") -> Dossier:
    transition_apply(dossier, "approve", actor=actor, note=normalize(note))
    return dossier


@transaction.atomic
def dossier_reject(*, actor, dossier: Dossier, reason: str) -> Dossier:
    """Refuse with written reasons (the refusal is a result: handling ends)."""
    reason = _reason(reason, _("Give the written reasons for the refusal."))
    transition_apply(dossier, "reject", actor=actor, note=reason)
    _write(dossier, actor=actor, decision_reason=reason, finished_at=timezone.now())
    _notify(
        dossier,
        "rejected",
        _applicant_recipients(dossier),
        gettext_noop("Dossier %(code)s refused"),
        gettext_noop("Your dossier %(code)s was refused: %(reason)s"),
        reason=reason,
    )
    return dossier


def _approver(dossier: Dossier):
    from opendost.workflow.models import TransitionLog

    log = TransitionLog.objects.for_object(dossier).filter(name="approve").select_related("actor").last()
    return log.actor if log is not None and log.actor is not None else None


@transaction.atomic
def dossier_issue_result(*, actor, dossier: Dossier) -> Dossier:
    """Issue the result: the output document is generated, numbered in the department's series and
    stored; the procedure's handler updates its register (a licence, its validity, its devices) in the
    same transaction, so the register never shows a result that has no document, or the reverse."""
    transition_apply(dossier, "issue_result", actor=actor)
    issued_on = timezone.localdate()
    handler = handler_for(dossier.procedure.handler_key)
    signer = _approver(dossier) or actor
    document = document_issue(
        actor=actor,
        department=dossier.department,
        doc_type=dossier.procedure_version.output_doc_type,
        data=handler.result_document(dossier, issued_on=issued_on, signer=signer),
        valid_until=handler.result_valid_until(dossier, issued_on=issued_on),
        subject=dossier,
    )
    _write(dossier, actor=actor, result_document=document, finished_at=timezone.now())
    handler.apply_result(dossier, actor=actor, document=document)
    _notify(
        dossier,
        "result_issued",
        _applicant_recipients(dossier),
        gettext_noop("Dossier %(code)s: result ready"),
        gettext_noop("The result of your dossier %(code)s is ready: %(document)s."),
        document=str(document),
    )
    return dossier


@transaction.atomic
def dossier_return_result(*, actor, dossier: Dossier) -> Dossier:
    transition_apply(dossier, "return_result", actor=actor)
    _write(dossier, actor=actor, returned_at=timezone.now())
    return dossier


@transaction.atomic
def dossier_withdraw(*, actor, dossier: Dossier, reason: str = "") -> Dossier:
    reason = normalize(reason)
    transition_apply(dossier, "withdraw", actor=actor, note=reason)
    _write(dossier, actor=actor, decision_reason=reason)
    return dossier


# LATENESS ---------------------------------------------------------------------------------------


@transaction.atomic
def delay_record(*, actor, dossier: Dossier, new_due_date: dt.date, reason: str) -> DossierDelay:
    """The apology slip: a dossier that will be late gets a new appointment date and the applicant is
    told why. It stays late in the statistics (counted against its unit): the statutory date does not move."""
    if not perms.can_handle(actor, dossier):
        raise PermissionDenied
    if not dossier.is_open:
        raise ValidationError(_("Only a dossier being handled can get a new appointment date."), code="not_open")
    reason = _reason(reason, _("Explain why the dossier will be late."))
    current = dossier.effective_due_date
    errors = {}
    if new_due_date <= current:
        errors["new_due_date"] = [
            _("The new appointment must be after %(date)s.") % {"date": current.strftime("%d/%m/%Y")}
        ]
    elif not workdays.is_working_day(new_due_date):
        errors["new_due_date"] = [_("The new appointment must be a working day.")]
    if errors:
        raise ValidationError(errors)
    delay = DossierDelay.objects.create(
        dossier=dossier,
        issued_at=timezone.now(),
        issued_by=actor,
        previous_due_date=current,
        new_due_date=new_due_date,
        reason=reason,
    )
    _write(dossier, actor=actor, rescheduled_due_date=new_due_date, note=gettext_noop("apology slip issued"))
    _notify(
        dossier,
        f"delay.{delay.pk}",
        _applicant_recipients(dossier),
        gettext_noop("Dossier %(code)s: new appointment date"),
        gettext_noop(
            "We apologise: your dossier %(code)s will not be ready on time. "
            "New appointment date: %(new)s. Reason: %(reason)s"
        ),
        reason=reason,
        new=new_due_date.strftime("%d/%m/%Y"),
    )
    return delay


def dossier_reminders_send(*, today: dt.date) -> int:
    """Daily job: remind the handling officer and the unit's leaders of dossiers due within two working
    days, and of overdue ones (once per dossier, threshold and due date: running twice sends nothing twice)."""
    soon = workdays.add_working_days(today, 2)
    sent = 0
    dossiers = (
        Dossier.objects.open()
        .filter(due_date__lte=soon)
        .select_related("procedure_version__procedure", "assigned_officer", "department")
    )
    for dossier in dossiers.iterator(chunk_size=500):
        overdue = dossier.effective_due_date < today
        if dossier.status == DossierStatus.SUPPLEMENT_REQUESTED and not overdue:
            continue  # the clock is stopped
        recipients = [dossier.assigned_officer] if dossier.assigned_officer else []
        recipients += list(
            User.objects.filter(
                department=dossier.department, groups__permissions__codename="decide_dossier", is_active=True
            ).distinct()
        )
        key = "overdue" if overdue else "due_soon"
        with transaction.atomic():
            messages = _notify(
                dossier,
                f"reminder.{key}.{dossier.effective_due_date:%Y%m%d}",
                recipients,
                gettext_noop("Overdue: dossier %(code)s") if overdue else gettext_noop("Due soon: dossier %(code)s"),
                gettext_noop("Dossier %(code)s (%(procedure)s) is due on %(due)s."),
            )
        sent += bool(messages)
    return sent


# APPLICANT FEEDBACK -------------------------------------------------------------------------------


@transaction.atomic
def rating_submit(*, actor, dossier: Dossier, score: int, comment: str = "") -> DossierRating:
    if not perms.is_owner(actor, dossier):
        raise PermissionDenied
    if dossier.status not in {DossierStatus.RESULT_RETURNED, DossierStatus.RESULT_ISSUED, DossierStatus.REJECTED}:
        raise ValidationError(_("A dossier can be rated once its result is out."), code="not_finished")
    if DossierRating.objects.filter(dossier=dossier).exists():
        raise ValidationError(_("This dossier has already been rated."), code="rated")
    rating = DossierRating(dossier=dossier, score=score, comment=normalize(comment))
    rating.full_clean()
    rating.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=rating,
        after=model_snapshot(rating, ["score", "comment"]),
        department_id=dossier.department_id,
    )
    return rating


# NOTIFICATIONS ------------------------------------------------------------------------------------


def _applicant_recipients(dossier: Dossier) -> list:
    from opendost.notifications.services import Recipient

    if dossier.applicant_user is not None:
        return [dossier.applicant_user]
    users = list(User.objects.filter(organization_id=dossier.applicant_organization_id, is_active=True))
    if users:
        return users
    return [Recipient(email=dossier.applicant_email)] if dossier.applicant_email else []


def _notify(dossier: Dossier, event: str, recipients, subject: str, body: str, **extra) -> list:
    recipients = [r for r in recipients if r is not None]
    if not recipients:
        return []
    due = dossier.effective_due_date
    values = {
        "code": dossier.code,
        "procedure": dossier.procedure_version.procedure.name,
        "applicant": dossier.applicant_name,
        "due": due.strftime("%d/%m/%Y") if due else "",
        **extra,
    }
    with translation.override(settings.LANGUAGE_CODE):
        return notify(
            event_key=f"dossier.{dossier.pk}.{event}",
            recipients=recipients,
            subject=_(subject) % values,
            body=_(body) % values,
            channels=CHANNELS,
            context={"url": dossier.get_absolute_url()},
        )
