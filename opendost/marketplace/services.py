"""The only writers of listings of the technology exchange (offers, needs, equipment, services).

Every function takes keyword arguments and an `actor`, runs in one transaction, checks permission
first (PermissionDenied), then the data (ValidationError with messages by field, all at once), and
writes one audit event per change. Statuses move only through `transition_apply` (workflows.py);
the dates and reasons that go with a move are written here.

Rules of a listing (`listing_errors`):
- every listing: a title and a summary (a need's summary is the problem to solve), an owner
  organisation or person of the department's subject register, a validity period whose end is after
  its start, a readiness level between 1 and 9, amounts that are not negative;
- an offer: its readiness level, at least one transfer mode, an indicative price or "negotiable";
- a need: the expected result, a budget range whose upper bound is not below its lower bound;
- equipment: what is offered (sale, lease, shared use); a service: the kind of service;
- captured by an officer: where (survey, inspection, fair...).
A draft made from a task result (`offer_from_result`) may be incomplete: it is completed by the
officer, and `listing_submit` checks every rule again.

`search_text` (folded title, summary, keywords, sector and field name) is kept on every save;
publication hands the listing to the matching index and the saved-search alerts (`_on_published`).
"""

import datetime as dt
import hashlib
import io
import zipfile
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.common.locking import save_with_version
from opendost.common.text import fold, normalize
from opendost.departments.models import Department
from opendost.departments.scoping import has_perm_in
from opendost.geography.validators import validate_address_units
from opendost.marketplace import permissions as perms
from opendost.marketplace.enums import (
    CaptureChannel,
    EquipmentMode,
    IpStatus,
    ListingKind,
    ListingSource,
    ListingStatus,
    ServiceType,
    TransferMode,
)
from opendost.marketplace.models import Listing, ListingFile
from opendost.marketplace.workflows import SYSTEM
from opendost.workflow.services import transition_apply

# Fields a person edits (forms, the API and imports pass these names).
LISTING_FIELDS = frozenset(
    {
        "title",
        "summary",
        "keywords",
        "field",
        "sector",
        "readiness_level",
        "ip_status",
        "transfer_modes",
        "price_vnd",
        "price_negotiable",
        "equipment_mode",
        "service_type",
        "expected_result",
        "budget_min_vnd",
        "budget_max_vnd",
        "needed_by",
        "owner_organization",
        "owner_person",
        "contact_name",
        "contact_email",
        "contact_phone",
        "province",
        "commune",
        "location_text",
        "valid_from",
        "valid_until",
        "capture_channel",
    }
)
# What an owner (an applicant) may not set: the owner is its own organisation, the rest is the officer's.
OFFICER_ONLY_FIELDS = frozenset({"owner_organization", "owner_person", "capture_channel"})
AUDITED_FIELDS = [*sorted(LISTING_FIELDS), "kind", "status", "source", "code", "return_reason", "published_on"]
_MULTILINE = {"summary", "expected_result"}
_KEEP = {"field", "owner_organization", "owner_person", "province", "commune"}

VALIDITY_MONTHS = 12
REMINDER_DAYS = (30, 7)
CODE_PREFIX = {
    ListingKind.OFFER: "CN",  # chào bán công nghệ
    ListingKind.NEED: "NC",  # nhu cầu công nghệ
    ListingKind.EQUIPMENT: "TB",  # thiết bị
    ListingKind.SERVICE: "DV",  # dịch vụ KH&CN
}

IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp"})
ATTACHMENT_EXTENSIONS = frozenset({"pdf", "docx", "xlsx"})
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_FILES = 12


# HELPERS ----------------------------------------------------------------------------------------
def _add(errors: dict, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _merge(errors: dict, more: dict) -> None:
    for name, messages in more.items():
        errors.setdefault(name, []).extend(messages)


def _clean(name: str, value: Any) -> Any:
    if name in _KEEP or not isinstance(value, str):
        return value
    if name in _MULTILINE:
        return "\n".join(normalize(line) for line in value.strip().splitlines()).strip()
    return normalize(value)


def _check_keys(changes: dict, allowed: frozenset) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Unknown or read-only fields: {', '.join(sorted(unknown))}")


def search_text_of(listing: Listing) -> str:
    field_name = listing.field.name if listing.field_id else ""
    parts = (listing.title, listing.summary, listing.keywords, listing.sector, field_name)
    return fold(" ".join(p for p in parts if p))


def _today() -> dt.date:
    return timezone.localdate()


def _state_error(message: str) -> ValidationError:
    return ValidationError(message, code="wrong_state")


# RULES ------------------------------------------------------------------------------------------
def listing_errors(
    listing: Listing, *, complete: bool = True, today: dt.date | None = None, past_dates: bool = True
) -> dict:
    """Every rule broken by `listing` as {field: [messages]}; `complete=False` checks only the form of
    what is filled in (a draft made from a task result), not what is still missing; `past_dates=False`
    does not refuse a "needed by" date that has passed since it was entered."""
    today = today or _today()
    errors: dict[str, list] = {}
    kind = listing.kind
    if kind not in ListingKind.values:
        _add(errors, "kind", _("Choose the kind of listing: offer, need, equipment or service."))
    if not listing.title:
        _add(errors, "title", _("Give the listing a title."))
    if not listing.summary:
        message = (
            _("Describe the problem to solve.") if kind == ListingKind.NEED else _("Give a summary of the listing.")
        )
        _add(errors, "summary", message)
    _owner_errors(listing, errors)
    _offer_errors(listing, errors, complete)
    _need_errors(listing, errors, complete, today if past_dates else None)
    if complete and kind == ListingKind.EQUIPMENT and not listing.equipment_mode:
        _add(errors, "equipment_mode", _("Say how the equipment is offered: for sale, for lease or shared use."))
    if listing.equipment_mode and listing.equipment_mode not in EquipmentMode.values:
        _add(errors, "equipment_mode", _("Unknown way of offering equipment."))
    if complete and kind == ListingKind.SERVICE and not listing.service_type:
        _add(errors, "service_type", _("Choose the kind of S&T service."))
    if listing.service_type and listing.service_type not in ServiceType.values:
        _add(errors, "service_type", _("Unknown kind of service."))
    _validity_errors(listing, errors)
    _capture_errors(listing, errors, complete)
    try:
        validate_address_units(listing.province, None, listing.commune)
    except ValidationError as exc:
        _merge(errors, exc.update_error_dict({}))
    return errors


def _owner_errors(listing: Listing, errors: dict) -> None:
    organization, person = listing.owner_organization, listing.owner_person
    if organization is None and person is None:
        _add(errors, "owner_organization", _("Choose the owner: an organisation or a person of the subject register."))
        return
    allowed = listing.department.jurisdiction_ids() if listing.department_id else []
    if organization is not None and organization.department_id not in allowed:
        _add(errors, "owner_organization", _("Choose an organisation from this department's register."))
    if person is not None and person.department_id not in allowed:
        _add(errors, "owner_person", _("Choose a person from this department's register."))


def _offer_errors(listing: Listing, errors: dict, complete: bool) -> None:
    level = listing.readiness_level
    if level is not None and not (isinstance(level, int) and 1 <= level <= 9):
        _add(errors, "readiness_level", _("The technology readiness level is a whole number from 1 to 9."))
    if listing.ip_status and listing.ip_status not in IpStatus.values:
        _add(errors, "ip_status", _("Unknown intellectual property status."))
    modes = listing.transfer_modes
    if not isinstance(modes, list) or any(m not in TransferMode.values for m in modes):
        _add(errors, "transfer_modes", _("Unknown transfer mode."))
    elif len(set(modes)) != len(modes):
        listing.transfer_modes = list(dict.fromkeys(modes))
    if listing.price_vnd is not None and listing.price_vnd < 0:
        _add(errors, "price_vnd", _("The price cannot be negative."))
    if listing.kind != ListingKind.OFFER or not complete:
        return
    if level is None:
        _add(errors, "readiness_level", _("Give the technology readiness level of the offer (1 to 9)."))
    if not modes and "transfer_modes" not in errors:
        _add(errors, "transfer_modes", _("Choose at least one transfer mode of the offer."))
    if listing.price_vnd is None and not listing.price_negotiable:
        _add(errors, "price_vnd", _("Give an indicative price, or mark the price as negotiable."))


def _need_errors(listing: Listing, errors: dict, complete: bool, today: dt.date | None) -> None:
    low, high = listing.budget_min_vnd, listing.budget_max_vnd
    if low is not None and low < 0:
        _add(errors, "budget_min_vnd", _("The budget cannot be negative."))
    if high is not None and high < 0:
        _add(errors, "budget_max_vnd", _("The budget cannot be negative."))
    if low is not None and high is not None and high < low:
        _add(errors, "budget_max_vnd", _("The upper bound of the budget must not be below its lower bound."))
    passed = today is not None and listing.needed_by is not None and listing.needed_by < today
    if passed and listing.source != ListingSource.IMPORT:
        _add(errors, "needed_by", _("The date the technology is needed by has already passed."))
    if complete and listing.kind == ListingKind.NEED and not listing.expected_result:
        _add(errors, "expected_result", _("Describe the result the enterprise expects."))


def _validity_errors(listing: Listing, errors: dict) -> None:
    start, end = listing.valid_from, listing.valid_until
    if start is not None and end is not None and end <= start:
        _add(errors, "valid_until", _("The end of the validity period must be after its start."))


def _capture_errors(listing: Listing, errors: dict, complete: bool) -> None:
    channel = listing.capture_channel
    if channel and channel not in CaptureChannel.values:
        _add(errors, "capture_channel", _("Unknown place of capture."))
    if listing.source == ListingSource.OFFICER:
        if complete and not channel:
            _add(errors, "capture_channel", _("Say where the need was captured: survey, inspection or fair."))
    elif channel:
        _add(errors, "capture_channel", _("Only a listing captured by an officer has a place of capture."))


def _full_clean(listing: Listing, errors: dict) -> None:
    exclude = [*errors, "department", "code", "created_by", "source_result", "owner_organization", "owner_person"]
    exclude += ["field", "province", "commune", "status", "version"]
    try:
        listing.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        _merge(errors, exc.message_dict)


def _validate(listing: Listing, *, complete: bool = True, past_dates: bool = True) -> None:
    errors = listing_errors(listing, complete=complete, past_dates=past_dates)
    _full_clean(listing, errors)
    if errors:
        raise ValidationError(errors)


def _next_code(department: Department, kind: str, on: dt.date) -> str:
    from opendost.numbering.services import number_next

    prefix = CODE_PREFIX[ListingKind(kind)]
    number, _symbol = number_next(department=department, doc_type=f"SGD-{prefix}", year=on.year, suffix="SGD", on=on)
    return f"{department.code.upper()[:14]}-{prefix}{on:%y}-{number:05d}"


# CREATE AND UPDATE ------------------------------------------------------------------------------
def _owner_scope(actor, department: Department | None) -> tuple[Department, bool]:
    """The department the actor posts in, and whether it posts as an officer."""
    if department is not None and perms.can_add_listing(actor, department):
        return department, True
    staff = department is None and getattr(actor, "is_department_staff", False) and actor.department_id
    if staff and perms.can_add_listing(actor, actor.department):
        return actor.department, True
    if perms.is_applicant(actor):
        organization = getattr(actor, "organization", None)
        if organization is None:
            raise ValidationError(
                _("Your account is not linked to an organisation: ask the Department to link it before posting.")
            )
        if department is not None and department.pk != organization.department_id:
            raise PermissionDenied
        return organization.department, False
    raise PermissionDenied


@transaction.atomic
def listing_create(
    *, actor, kind: str, department: Department | None = None, source: str = ListingSource.OWNER, **fields: Any
) -> Listing:
    """Post a listing as a draft.

    An officer posts in its department for any owner of the register (`source` owner or officer; an
    officer capturing a need for an enterprise gives `capture_channel`). An applicant posts for its
    own organisation (`user.organization`): the department is the organisation's, the source "owner".
    """
    _check_keys(fields, LISTING_FIELDS)
    department, as_officer = _owner_scope(actor, department)
    if as_officer:
        if source not in (ListingSource.OWNER, ListingSource.OFFICER):
            raise ValidationError({"source": [_("Listings from task results or imports have their own services.")]})
    else:
        if set(fields) & OFFICER_ONLY_FIELDS - {"owner_organization"}:
            raise PermissionDenied
        fields["owner_organization"] = actor.organization
        source = ListingSource.OWNER
    return _create(actor=actor, department=department, kind=kind, source=source, fields=fields)


def _create(
    *,
    actor,
    department: Department,
    kind: str,
    source: str,
    fields: dict,
    complete: bool = True,
    source_result=None,
    code: str = "",
) -> Listing:
    listing = Listing(department=department, kind=kind, source=source, source_result=source_result)
    listing.created_by = actor if getattr(actor, "is_authenticated", False) else None
    for name, value in fields.items():
        setattr(listing, name, _clean(name, value))
    if listing.transfer_modes is None:
        listing.transfer_modes = []
    _validate(listing, complete=complete)
    listing.search_text = search_text_of(listing)
    listing.code = code or _next_code(department, kind, _today())
    listing.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=listing, after=model_snapshot(listing, AUDITED_FIELDS))
    return listing


@transaction.atomic
def listing_update(
    *,
    actor,
    listing: Listing,
    expected_version: int | None = None,
    original: dict[str, str] | None = None,
    **changes: Any,
) -> Listing:
    """Change a listing: its owner while it is a draft or returned, an officer of the department in
    any state but withdrawn. Saved only if nobody saved it since `expected_version` (EditConflict)."""
    _check_keys(changes, LISTING_FIELDS)
    current = Listing.objects.select_related("department", "field").get(pk=listing.pk)
    if not perms.can_edit_listing(actor, current):
        if perms.is_listing_owner(actor, current) or perms.is_listing_officer(actor, current):
            raise _state_error(_("This listing cannot be changed while it is “%(state)s”.") % _state(current))
        raise PermissionDenied
    if not perms.is_listing_officer(actor, current) and set(changes) & OFFICER_ONLY_FIELDS:
        raise PermissionDenied
    before = model_snapshot(current, AUDITED_FIELDS)
    deadline_moved = "needed_by" in changes and changes["needed_by"] != current.needed_by
    for name, value in changes.items():
        setattr(current, name, _clean(name, value))
    if current.transfer_modes is None:
        current.transfer_modes = []
    complete = not (current.status == ListingStatus.DRAFT and current.source == ListingSource.TASK_RESULT)
    _validate(current, complete=complete, past_dates=deadline_moved)
    current.search_text = search_text_of(current)
    save_with_version(
        current,
        expected_version=expected_version if expected_version is not None else listing.version,
        fields=[*changes, "search_text"],
        actor=actor,
        original=original,
    )
    after = model_snapshot(current, AUDITED_FIELDS)
    if after != before:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, before=before, after=after)
    if current.status == ListingStatus.PUBLISHED:
        _on_changed(current)
    return current


def _state(listing: Listing) -> dict:
    return {"state": listing.get_status_display()}


@transaction.atomic
def need_capture(*, actor, department: Department, organization, capture_channel: str, **fields: Any) -> Listing:
    """An officer records a need heard in a survey, an inspection or at a fair, on behalf of the
    enterprise `organization` (its owner); it is moderated like any other listing."""
    if not perms.can_add_listing(actor, department):
        raise PermissionDenied
    fields.pop("owner_organization", None)
    return listing_create(
        actor=actor,
        department=department,
        kind=ListingKind.NEED,
        source=ListingSource.OFFICER,
        owner_organization=organization,
        capture_channel=capture_channel,
        **fields,
    )


# FROM A TASK RESULT -----------------------------------------------------------------------------
def result_is_accepted(result) -> bool:
    """An S&T task result may be offered once the task passed its final acceptance (accepted, its
    results registered, liquidated) or the result itself is certified or stored by the Department."""
    from opendost.projects.enums import RegistrationStatus, TaskStatus

    if result.task.status in (TaskStatus.ACCEPTED, TaskStatus.RESULTS_REGISTERED, TaskStatus.LIQUIDATED):
        return True
    registration = getattr(result, "registration", None) if hasattr(result, "registration") else None
    return registration is not None and registration.status in (
        RegistrationStatus.CERTIFIED,
        RegistrationStatus.STORED,
    )


def current_department(department: Department) -> Department:
    """The department that holds a closed department's records today (its successor, after the
    2025 merger), or the department itself while it exists."""
    today = _today()
    seen = set()
    while department.valid_to is not None and department.valid_to < today and department.successor_id:
        if department.pk in seen:
            break
        seen.add(department.pk)
        department = department.successor
    return department


def offer_of_result(result) -> Listing | None:
    """The offer already made from `result`, if any."""
    return Listing.objects.filter(source_result=result).order_by("pk").first()


def can_offer_result(user, result) -> bool:
    return perms.can_add_listing(user, result.department_id) and result_is_accepted(result)


@transaction.atomic
def offer_from_result(*, actor, result) -> Listing:
    """Turn an accepted S&T task result into a draft offer in one step, filled from the result
    (title, abstract as summary, keywords, field, the task's host as owner); the officer completes
    the readiness level, transfer modes and price, then submits it. A result is offered once: a
    second call raises ValidationError(code="already_offered") naming the existing listing."""
    if not perms.can_add_listing(actor, result.department_id):
        raise PermissionDenied
    task = result.task
    if not result_is_accepted(result):
        raise _state_error(_("Only a result of a task that passed its acceptance can be offered."))
    existing = offer_of_result(result)
    if existing is not None:
        raise ValidationError(
            _("This result is already offered as listing %(code)s.") % {"code": existing.code},
            code="already_offered",
            params={"code": existing.code, "url": existing.get_absolute_url()},
        )
    if task.host_id is None and task.principal_investigator_id is None:
        raise ValidationError(_("The task has no host organisation to own the offer: record the host first."))
    fields = {
        "title": result.title[:300],
        "summary": result.abstract,
        "keywords": result.keywords,
        "field": result.field or task.field,
        "owner_organization": task.host,
        "owner_person": None if task.host_id else task.principal_investigator,
    }
    if task.principal_investigator_id:
        fields["contact_name"] = task.principal_investigator.full_name
    return _create(
        actor=actor,
        department=current_department(result.department),
        kind=ListingKind.OFFER,
        source=ListingSource.TASK_RESULT,
        fields=fields,
        complete=False,
        source_result=result,
    )


# IMPORT -----------------------------------------------------------------------------------------
def listing_import_exists(*, department: Department, kind: str, title: str, owner_organization) -> bool:
    """An imported listing of the same kind, title (ignoring diacritics and case) and owner is already
    here: importing the same file again changes nothing."""
    folded = fold(title)
    candidates = Listing.objects.filter(
        department_id__in=department.jurisdiction_ids(),
        source=ListingSource.IMPORT,
        kind=kind,
        owner_organization=owner_organization,
    ).values_list("title", flat=True)
    return any(fold(other) == folded for other in candidates)


@transaction.atomic
def listing_import(*, actor, department: Department, kind: str, **fields: Any) -> Listing:
    """A listing of the old exchange: checked by every rule, recorded with source "import", then
    moved through the engine to "published" (valid_until not past) or on to "expired" (past).
    The importer needs both marketplace.add_listing and marketplace.moderate_listing."""
    _check_keys(fields, LISTING_FIELDS)
    if not (
        perms.can_add_listing(actor, department) and has_perm_in(actor, "marketplace.moderate_listing", department)
    ):
        raise PermissionDenied
    today = _today()
    valid_until = fields.get("valid_until")
    if valid_until is None:
        raise ValidationError({"valid_until": [_("Give the end of the listing's validity period.")]})
    listing = _create(actor=actor, department=department, kind=kind, source=ListingSource.IMPORT, fields=fields)
    transition_apply(listing, "submit", actor=actor, note="import")
    transition_apply(listing, "publish", actor=actor, note="import")
    valid_from = listing.valid_from or min(today, valid_until)
    _write(listing, actor=actor, published_on=valid_from, valid_from=valid_from)
    if valid_until < today:
        transition_apply(listing, "expire", actor=SYSTEM, note=valid_until.strftime("%d/%m/%Y"))
    else:
        _on_published(listing)
    return listing


# FILES ------------------------------------------------------------------------------------------
def _sniff(extension: str, content: bytes) -> bool:
    """The content is what its extension says (no executable renamed to .pdf)."""
    if extension in {"jpg", "jpeg"}:
        return content.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "webp":
        return content[:4] == b"RIFF" and content[8:12] == b"WEBP"
    if extension == "pdf":
        return content.startswith(b"%PDF-")
    if extension in {"docx", "xlsx"}:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return False
        part = "word/document.xml" if extension == "docx" else "xl/workbook.xml"
        return "[Content_Types].xml" in names and part in names
    return False


@transaction.atomic
def listing_file_add(*, actor, listing: Listing, upload, is_image: bool | None = None) -> ListingFile:
    """Attach an image (jpg, png, webp; up to 5 MB) or a document (pdf, docx, xlsx; up to 20 MB) to a
    listing its editor may change; the content must match its type; its SHA-256 is kept."""
    if not perms.can_edit_listing(actor, listing):
        raise PermissionDenied
    original = (getattr(upload, "name", "") or "file").replace("\\", "/").rsplit("/", 1)[-1]
    extension = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    allowed = IMAGE_EXTENSIONS if is_image else ATTACHMENT_EXTENSIONS if is_image is False else None
    accepted = allowed or IMAGE_EXTENSIONS | ATTACHMENT_EXTENSIONS
    if extension not in accepted:
        raise ValidationError(
            {
                "file": [
                    _("This type of file is not accepted. Accepted: %(list)s.")
                    % {"list": ", ".join(sorted(accepted - {"jpeg"}))}
                ]
            }
        )
    image = extension in IMAGE_EXTENSIONS
    content = upload.read()
    if not content:
        raise ValidationError({"file": [_("The file is empty.")]})
    limit = MAX_IMAGE_BYTES if image else MAX_ATTACHMENT_BYTES
    if len(content) > limit:
        raise ValidationError({"file": [_("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)}]})
    if not _sniff(extension, content):
        raise ValidationError(
            {"file": [_("The content of the file does not match its type (.%(ext)s).") % {"ext": extension}]}
        )
    if listing.files.count() >= MAX_FILES:
        raise ValidationError({"file": [_("A listing has at most %(count)s files.") % {"count": MAX_FILES}]})
    item = ListingFile(
        listing=listing,
        is_image=image,
        name=original[:255],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    item.file.save(original, ContentFile(content), save=False)
    item.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=item,
        after=model_snapshot(item, ["name", "size", "sha256", "is_image"]),
        department_id=listing.department_id,
    )
    return item


@transaction.atomic
def listing_file_remove(*, actor, item: ListingFile) -> None:
    listing = item.listing
    if not perms.can_edit_listing(actor, listing):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=item,
        before=model_snapshot(item, ["name", "size", "sha256", "is_image"]),
        department_id=listing.department_id,
    )
    item.file.delete(save=False)
    item.delete()


# MODERATION -------------------------------------------------------------------------------------
def _write(listing: Listing, *, actor, **values: Any) -> None:
    """Write the dates and reasons that go with a move, and audit them."""
    before = model_snapshot(listing, AUDITED_FIELDS)
    Listing.objects.filter(pk=listing.pk).update(**values, updated_at=timezone.now())
    for name, value in values.items():
        setattr(listing, name, value)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=listing,
        before=before,
        after=model_snapshot(listing, AUDITED_FIELDS),
    )


@transaction.atomic
def listing_submit(*, actor, listing: Listing) -> Listing:
    """Send a draft or a returned listing to moderation; every rule is checked again."""
    if not perms.can_submit_listing(actor, listing):
        raise PermissionDenied
    _validate(listing)
    if listing.valid_until is not None and listing.valid_until <= _today():
        raise ValidationError({"valid_until": [_("The validity period has already ended: give a later end date.")]})
    if listing.return_reason:
        _write(listing, actor=actor, return_reason="")
    return transition_apply(listing, "submit", actor=actor)


@transaction.atomic
def listing_publish(*, actor, listing: Listing) -> Listing:
    """Approve a submitted listing: it is published today, valid from today (unless a start was given)
    for 12 months (unless an end was given), then indexed for matching and announced to saved searches."""
    if not perms.can_moderate_listing(actor, listing):
        raise PermissionDenied
    today = _today()
    valid_from = listing.valid_from or today
    valid_until = listing.valid_until or valid_from + relativedelta(months=VALIDITY_MONTHS)
    if valid_until <= today:
        raise ValidationError({"valid_until": [_("The validity period has already ended: it cannot be published.")]})
    transition_apply(listing, "publish", actor=actor)
    _write(
        listing,
        actor=actor,
        published_on=today,
        valid_from=valid_from,
        valid_until=valid_until,
        return_reason="",
        expiry_reminded_on=None,
    )
    _on_published(listing)
    return listing


@transaction.atomic
def listing_return(*, actor, listing: Listing, reason: str) -> Listing:
    """Return a submitted listing to its owner with the reasons (required)."""
    if not perms.can_moderate_listing(actor, listing):
        raise PermissionDenied
    reason = _clean("summary", reason or "")
    if not reason:
        raise ValidationError({"reason": [_("Give the reasons for returning the listing.")]})
    transition_apply(listing, "return", actor=actor, note=reason)
    _write(listing, actor=actor, return_reason=reason)
    _notify_owner(
        listing,
        key=f"returned.{listing.version}",
        subject=gettext_noop("Listing %(code)s was returned for changes"),
        body=gettext_noop("Your listing %(code)s (%(title)s) was returned for changes: %(reason)s"),
        reason=reason,
    )
    return listing


@transaction.atomic
def listing_withdraw(*, actor, listing: Listing, reason: str = "") -> Listing:
    """The owner or an officer takes a published or expired listing off the exchange."""
    if not perms.can_withdraw_listing(actor, listing):
        raise PermissionDenied
    transition_apply(listing, "withdraw", actor=actor, note=_clean("summary", reason))
    _on_unpublished(listing)
    return listing


@transaction.atomic
def listing_renew(*, actor, listing: Listing, valid_until: dt.date) -> Listing:
    """An expired listing goes back to moderation with a new validity period (from today)."""
    if not perms.can_renew_listing(actor, listing):
        raise PermissionDenied
    today = _today()
    if valid_until is None:
        raise ValidationError({"valid_until": [_("Give the new end of the validity period.")]})
    if valid_until <= today:
        raise ValidationError({"valid_until": [_("The new end of the validity period must be after today.")]})
    if valid_until > today + relativedelta(years=3):
        raise ValidationError({"valid_until": [_("A listing is valid for at most 3 years at a time.")]})
    transition_apply(listing, "renew", actor=actor, note=valid_until.strftime("%d/%m/%Y"))
    _write(listing, actor=actor, valid_from=today, valid_until=valid_until, expiry_reminded_on=None)
    return listing


listing_approve = listing_publish  # the moderation's "approve" is publication


# PUBLICATION HOOKS ------------------------------------------------------------------------------
def _on_published(listing: Listing) -> None:
    """Index a newly published listing for matching and alert the saved searches it matches (the
    matching module owns both); runs in the publishing transaction."""
    from opendost.marketplace import matching

    matching.listing_index(listing)
    matching.alerts_send(listing)


def _on_unpublished(listing: Listing) -> None:
    """An expired or withdrawn listing leaves the matching index."""
    from opendost.marketplace import matching

    matching.listing_unindex(listing)


def _on_changed(listing: Listing) -> None:
    """A published listing was edited: its matching terms are rebuilt."""
    from opendost.marketplace import matching

    matching.listing_index(listing)


# EXPIRY -----------------------------------------------------------------------------------------
def _owner_users(listing: Listing) -> list:
    from opendost.accounts.models import User

    query = Q(pk=listing.created_by_id) if listing.created_by_id else Q(pk__in=[])
    if listing.owner_organization_id:
        query |= Q(organization_id=listing.owner_organization_id, groups__name="applicant")
    return list(User.objects.filter(query, is_active=True).distinct().order_by("pk"))


def event_key_for(listing: Listing, key: str) -> str:
    return f"marketplace.listing.{listing.pk}.{key}"


def _notify_owner(listing: Listing, *, key: str, subject: str, body: str, **values: Any) -> int:
    from opendost.notifications.enums import MessageChannel
    from opendost.notifications.services import notify

    recipients = _owner_users(listing)
    if not recipients:
        return 0
    values = {"code": listing.code, "title": listing.title, **values}
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        messages = notify(
            event_key=event_key_for(listing, key),
            recipients=recipients,
            subject=_(subject) % values,
            body=_(body) % values,
            channels=[MessageChannel.IN_APP, MessageChannel.EMAIL],
            context={"url": listing.get_absolute_url()},
        )
    return len(messages)


def expire_and_remind(*, today: dt.date | None = None) -> int:
    """The daily job: remind owners 30 and 7 days before a published listing's valid_until, and move
    published listings whose valid_until has passed to "expired". Returns reminders sent + listings
    expired.

    A listing gets the reminder of the nearest threshold it has reached (a missed day sends that one,
    not all earlier ones); the event key holds the listing, its valid_until and the threshold, so a
    second run sends nothing twice and a renewed listing is reminded again.
    """
    from opendost.notifications.models import Message

    today = today or _today()
    done = 0
    horizon = today + dt.timedelta(days=max(REMINDER_DAYS))
    due = Listing.objects.filter(
        status=ListingStatus.PUBLISHED, valid_until__gte=today, valid_until__lte=horizon
    ).order_by("valid_until", "pk")
    for listing in due.iterator(chunk_size=500):
        days_left = (listing.valid_until - today).days
        threshold = min(t for t in REMINDER_DAYS if days_left <= t)
        key = f"expiry.{listing.valid_until:%Y%m%d}.{threshold}"
        if Message.objects.filter(event_key=event_key_for(listing, key)).exists():
            continue
        with transaction.atomic():
            sent = _notify_owner(
                listing,
                key=key,
                subject=gettext_noop("Listing %(code)s expires on %(date)s"),
                body=gettext_noop(
                    "Your listing %(code)s (%(title)s) on the technology exchange expires on %(date)s, in "
                    "%(days)s days. After that date it leaves the public pages; renew it to keep it visible."
                ),
                date=listing.valid_until.strftime("%d/%m/%Y"),
                days=days_left,
            )
            if sent:
                Listing.objects.filter(pk=listing.pk).update(expiry_reminded_on=today)
                done += 1
    expired = Listing.objects.filter(status=ListingStatus.PUBLISHED, valid_until__lt=today).order_by("pk")
    for listing in expired.iterator(chunk_size=500):
        with transaction.atomic():
            transition_apply(listing, "expire", actor=SYSTEM, note=listing.valid_until.strftime("%d/%m/%Y"))
            _on_unpublished(listing)
            done += 1
    return done
