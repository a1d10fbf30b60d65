"""The only writers of the subject register.

Every function is atomic and checks, in this order: the actor's permission and jurisdiction
(PermissionDenied), then the data (ValidationError with a message per field, all errors at once).
Text is NFC-normalised with collapsed spaces, and `name_folded` is kept in step with the name, so
search and duplicate checks ignore diacritics, đ/Đ and case (DESIGN rule 8).

Every change writes one audit event in the same transaction (S-24): a snapshot before and after,
the citizen ID masked. Updates are optimistic-locked: a caller passing the `expected_version` its
form was shown with gets `EditConflict` (opendost.common.locking) when someone saved in between.

Rule 1 of DESIGN ("one subject register") is enforced here: an organisation exists once in the
records a department holds (its own and its predecessors'), keyed by tax code, or, without a tax
code, by folded name and province; a person once per citizen ID.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.common.locking import save_with_version
from opendost.common.text import fold, normalize
from opendost.departments.models import Department
from opendost.geography.models import AdminUnit
from opendost.geography.validators import validate_address_units
from opendost.search.services import search_index, search_index_many
from opendost.subjects.masking import mask_citizen_id
from opendost.subjects.models import Organization, OrganizationContact, Person
from opendost.subjects.permissions import can

ORGANIZATION_FIELDS = frozenset(
    {
        "kind",
        "name",
        "short_name",
        "english_name",
        "tax_code",
        "address_line",
        "province",
        "district",
        "commune",
        "phone",
        "email",
        "website",
        "established_on",
        "note",
        "fields",
    }
)
PERSON_FIELDS = frozenset(
    {
        "full_name",
        "gender",
        "birth_year",
        "citizen_id",
        "academic_title",
        "degree",
        "position",
        "organization",
        "is_expert",
        "email",
        "phone",
        "fields",
    }
)
_ONE_LINE_TEXT = {"name", "short_name", "english_name", "address_line", "phone", "full_name", "position"}
_CITIZEN_ID = re.compile(r"\d{12}")
_SEPARATORS = re.compile(r"[\s.]")


# ORGANISATIONS ------------------------------------------------------------------------------------
@transaction.atomic
def organization_create(
    *,
    actor,
    department: Department,
    kind: str,
    name: str,
    short_name: str = "",
    english_name: str = "",
    tax_code: str = "",
    address_line: str = "",
    province: AdminUnit | None = None,
    district: AdminUnit | None = None,
    commune: AdminUnit | None = None,
    phone: str = "",
    email: str = "",
    website: str = "",
    established_on: dt.date | None = None,
    note: str = "",
    fields: Iterable = (),
) -> Organization:
    """Register an organisation in `department`'s register."""
    if not can(actor, "subjects.add_organization", department):
        raise PermissionDenied
    data = {k: v for k, v in locals().items() if k in ORGANIZATION_FIELDS}
    organization = _organization_save(Organization(department=department), data, actor=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=organization, after=model_snapshot(organization))
    return organization


@transaction.atomic
def organization_update(
    *,
    actor,
    organization: Organization,
    expected_version: int | None = None,
    original: dict | None = None,
    **changes: Any,
) -> Organization:
    """Change some fields of an organisation (any of ORGANIZATION_FIELDS); returns the saved row.

    The department never changes: a record stays in the register it was made in. `expected_version`
    and `original` (the form's fingerprints) come from the edit form; without them the current
    version is assumed.
    """
    _check_keys(changes, ORGANIZATION_FIELDS)
    if not can(actor, "subjects.change_organization", organization.department_id):
        raise PermissionDenied
    current = Organization.objects.select_for_update().get(pk=organization.pk)
    before = model_snapshot(current)
    data = {name: getattr(current, name) for name in ORGANIZATION_FIELDS - {"fields"}}
    data["fields"] = list(current.fields.all()) if "fields" not in changes else changes["fields"]
    data.update(changes)
    version = current.version if expected_version is None else expected_version
    saved = _organization_save(current, data, actor=actor, expected_version=version, original=original)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=saved, before=before, after=model_snapshot(saved))
    return saved


def _organization_save(
    organization: Organization, data: dict, *, actor, expected_version: int | None = None, original=None
) -> Organization:
    errors: dict[str, list] = {}
    fields = list(data.pop("fields") or ())
    for name, value in data.items():
        setattr(organization, name, _clean_text(name, value))
    organization.name_folded = fold(organization.name)
    organization.tax_code = _clean_tax_code(organization.tax_code, errors)
    if organization.established_on and organization.established_on > timezone.localdate():
        _add(errors, "established_on", _("The date of establishment cannot be in the future."))
    _merge(errors, _address_errors(organization.province, organization.district, organization.commune))
    if "tax_code" not in errors:
        _merge(errors, _organization_duplicate_errors(organization))
    _full_clean(organization, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            _save(organization, ORGANIZATION_FIELDS, actor=actor, expected_version=expected_version, original=original)
    except IntegrityError as exc:  # a concurrent request registered the same tax code first
        raise ValidationError(
            {"tax_code": _("An organisation with this tax code is already registered in this department.")}
        ) from exc
    organization.fields.set(fields)
    search_index(organization)
    search_index_many(organization.people.select_related("organization"))  # their documents hold its name
    return organization


def _clean_tax_code(value: str, errors: dict) -> str:
    """Store the compact number the way python-stdnum formats it: 0100233488 or 0100233488-001."""
    if not value:
        return ""
    try:
        return mst.format(mst.validate(value))
    except InvalidChecksum:
        _add(errors, "tax_code", _("This tax code's check digit is wrong: please check the number."))
    except StdnumError:
        _add(
            errors,
            "tax_code",
            _("A tax code has 10 digits, or 13 for a branch (10 digits, a dash and 3 digits)."),
        )
    return value


def _organization_duplicate_errors(organization: Organization) -> dict:
    """The same organisation already in the records the department holds (its predecessors' too)."""
    held = Organization.objects.filter(department_id__in=organization.department.jurisdiction_ids())
    if organization.pk:
        held = held.exclude(pk=organization.pk)
    if organization.tax_code:
        existing = held.filter(tax_code=organization.tax_code).first()
        if existing:
            return {
                "tax_code": [
                    _("An organisation with tax code %(tax_code)s is already registered: %(name)s.")
                    % {"tax_code": existing.tax_code, "name": existing.name}
                ]
            }
        return {}
    existing = held.filter(name_folded=organization.name_folded, province=organization.province).first()
    if existing:
        if organization.province is None:
            message = _("An organisation with this name and no province is already registered: %(name)s.")
        else:
            message = _("An organisation with this name in %(province)s is already registered: %(name)s.")
        return {
            "name": [
                message % {"name": existing.name, "province": organization.province}
                + " "
                + _("If it is another organisation, enter its tax code.")
            ]
        }
    return {}


# PEOPLE -------------------------------------------------------------------------------------------
@transaction.atomic
def person_create(
    *,
    actor,
    department: Department,
    full_name: str,
    gender: str = "",
    birth_year: int | None = None,
    citizen_id: str = "",
    academic_title: str = "",
    degree: str = "",
    position: str = "",
    organization: Organization | None = None,
    is_expert: bool = False,
    email: str = "",
    phone: str = "",
    fields: Iterable = (),
) -> Person:
    """Register a person in `department`'s register."""
    if not can(actor, "subjects.add_person", department):
        raise PermissionDenied
    data = {k: v for k, v in locals().items() if k in PERSON_FIELDS}
    person = _person_save(Person(department=department), data, actor=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=person, after=model_snapshot(person))
    return person


@transaction.atomic
def person_update(
    *, actor, person: Person, expected_version: int | None = None, original: dict | None = None, **changes: Any
) -> Person:
    """Change some fields of a person (any of PERSON_FIELDS); returns the saved row.

    `expected_version`/`original` as in organization_update.
    """
    _check_keys(changes, PERSON_FIELDS)
    if not can(actor, "subjects.change_person", person.department_id):
        raise PermissionDenied
    current = Person.objects.select_for_update().get(pk=person.pk)
    before = model_snapshot(current)
    data = {name: getattr(current, name) for name in PERSON_FIELDS - {"fields"}}
    data["fields"] = list(current.fields.all()) if "fields" not in changes else changes["fields"]
    data.update(changes)
    version = current.version if expected_version is None else expected_version
    saved = _person_save(current, data, actor=actor, expected_version=version, original=original)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=saved, before=before, after=model_snapshot(saved))
    return saved


def _person_save(person: Person, data: dict, *, actor, expected_version: int | None = None, original=None) -> Person:
    errors: dict[str, list] = {}
    fields = list(data.pop("fields") or ())
    for name, value in data.items():
        setattr(person, name, _clean_text(name, value))
    person.name_folded = fold(person.full_name)
    person.citizen_id = _SEPARATORS.sub("", person.citizen_id or "")
    if person.citizen_id and not _CITIZEN_ID.fullmatch(person.citizen_id):
        _add(errors, "citizen_id", _("A citizen ID number has exactly 12 digits."))
    this_year = timezone.localdate().year
    if person.birth_year is not None and not 1900 <= person.birth_year <= this_year:
        _add(errors, "birth_year", _("Enter a year of birth between 1900 and %(year)s.") % {"year": this_year})
    held_ids = person.department.jurisdiction_ids()
    if person.organization is not None and person.organization.department_id not in held_ids:
        _add(errors, "organization", _("Choose an organisation from this department's register."))
    if person.citizen_id and "citizen_id" not in errors:
        existing = Person.objects.filter(department_id__in=held_ids, citizen_id=person.citizen_id)
        existing = existing.exclude(pk=person.pk).first() if person.pk else existing.first()
        if existing:
            _add(
                errors,
                "citizen_id",
                _("A person with citizen ID number %(citizen_id)s is already registered: %(name)s.")
                % {"citizen_id": mask_citizen_id(existing.citizen_id), "name": existing.full_name},
            )
    _full_clean(person, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            _save(person, PERSON_FIELDS, actor=actor, expected_version=expected_version, original=original)
    except IntegrityError as exc:
        raise ValidationError(
            {"citizen_id": _("A person with this citizen ID number is already registered in this department.")}
        ) from exc
    person.fields.set(fields)
    search_index(person)
    return person


# REPRESENTATIVES AND CONTACTS ---------------------------------------------------------------------
@transaction.atomic
def contact_add(
    *,
    actor,
    organization: Organization,
    role: str,
    full_name: str = "",
    person: Person | None = None,
    position: str = "",
    phone: str = "",
    email: str = "",
) -> OrganizationContact:
    """Add a representative or contact person; linking a registered `person` fills in the blanks."""
    if not can(actor, "subjects.change_organization", organization.department_id):
        raise PermissionDenied
    errors: dict[str, list] = {}
    if person is not None:
        if person.department_id not in organization.department.jurisdiction_ids():
            _add(errors, "person", _("Choose a person from this department's register."))
        else:
            full_name = full_name or person.full_name
            position = position or person.position
            phone = phone or person.phone
            email = email or person.email
            if organization.contacts.filter(person=person, role=role).exists():
                _add(errors, "person", _("This person is already listed in this role."))
    contact = OrganizationContact(
        organization=organization,
        role=role,
        person=person,
        full_name=normalize(full_name),
        position=normalize(position),
        phone=normalize(phone),
        email=(email or "").strip(),
    )
    _full_clean(contact, errors)
    if errors:
        raise ValidationError(errors)
    contact.save()
    search_index(organization)  # contacts' names find the organisation
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=organization,
        changes={"contacts": [None, _contact_label(contact)]},
        after={"contact": model_snapshot(contact)},
        note=gettext_noop("Representative or contact added."),  # stored as the msgid, shown translated
    )
    return contact


@transaction.atomic
def contact_remove(*, actor, contact: OrganizationContact) -> None:
    if not can(actor, "subjects.change_organization", contact.organization.department_id):
        raise PermissionDenied
    before = model_snapshot(contact)
    label = _contact_label(contact)
    contact.delete()
    search_index(contact.organization)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=contact.organization,
        changes={"contacts": [label, None]},
        before={"contact": before},
        note=gettext_noop("Representative or contact removed."),
    )


@transaction.atomic
def export_record(*, actor, kind: str, file_type: str, filters: str, rows: int) -> None:
    """Log an export of the register (S-24): who took which rows out, and with which filters."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        department_id=getattr(actor, "department_id", None),
        note=f"{kind} ({file_type}, {rows} rows): {filters or '-'}",
    )


@transaction.atomic
def person_view_record(*, actor, person: Person) -> None:
    """A staff member opened a person's page, which shows personal data (S-24)."""
    audit_record(actor=actor, action=AuditAction.VIEW_PERSONAL, obj=person)


# HELPERS ------------------------------------------------------------------------------------------
def _save(instance, names: frozenset, *, actor, expected_version: int | None, original) -> None:
    """INSERT a new row; UPDATE an existing one only at the version the caller started from."""
    if instance.pk is None:
        instance.save()
        return
    fields = [*sorted(names - {"fields"}), "name_folded"]
    save_with_version(instance, expected_version=expected_version, fields=fields, actor=actor, original=original)


def _contact_label(contact: OrganizationContact) -> str:
    return f"{contact.full_name} ({contact.get_role_display()})"


def _address_errors(province: AdminUnit | None, district: AdminUnit | None, commune: AdminUnit | None) -> dict:
    """The geography rule for one consistent address, as a field -> messages dict."""
    try:
        validate_address_units(province, district, commune)
    except ValidationError as exc:
        return exc.update_error_dict({})
    return {}


def _clean_text(name: str, value: Any) -> Any:
    if name in _ONE_LINE_TEXT:
        return normalize(value)
    if name == "note":
        return unicodedata.normalize("NFC", value or "").strip()
    if name in {"email", "website", "tax_code", "citizen_id"}:
        return (value or "").strip()
    return value


def _full_clean(instance, errors: dict) -> None:
    """Model validation (lengths, choices, e-mail, URL) for the fields not already in error."""
    try:
        instance.full_clean(exclude=[*errors, "department", "name_folded"], validate_constraints=not errors)
    except ValidationError as exc:
        _merge(errors, exc.message_dict)


def _check_keys(changes: dict, allowed: frozenset) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Unknown or read-only fields: {', '.join(sorted(unknown))}")


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _merge(errors: dict, more: dict) -> None:
    for field, messages in more.items():
        errors.setdefault(field, []).extend(messages)
