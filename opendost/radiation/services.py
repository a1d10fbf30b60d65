"""The only writers of the radiation register.

Every function takes keyword arguments and an `actor`, runs in one transaction, checks the actor's
permission and jurisdiction first (PermissionDenied), then the data (ValidationError with messages by
field, all at once), and writes one audit event per change. Statuses move only through
`transition_apply` (workflows.py).

Licence rules (NĐ 142/2020/NĐ-CP, domain-procedures §9.3):
- a new licence runs `term_years` (3) from its issue date (rules.default_valid_until);
- a renewal runs from the day after the old expiry to the old expiry + the term; it must be filed at
  least `rules.renewal_lead_days` (45) days before expiry, and an expired licence cannot be renewed;
- an amendment and a re-issue keep the original expiry;
- the replaced licence becomes "superseded" and is the new one's `predecessor` (the history chain);
- a device is covered by at most one unexpired valid licence at a time; its devices that were only
  installed are put in use when a licence covering them is issued.

The Department's dossier engine calls licence_issue / licence_renew / licence_amend /
licence_reissue / response_plan_approve with the names and signatures below.
"""

import datetime as dt
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.common.text import fold, normalize
from opendost.departments.models import Department
from opendost.geography.validators import validate_address_units
from opendost.radiation import rules
from opendost.radiation.enums import DeviceStatus, LicenceKind, LicenceStatus, PlanStatus
from opendost.radiation.models import (
    Device,
    Facility,
    Licence,
    MeasurementPoint,
    RadiationWorker,
    Reading,
    ResponsePlan,
    SafetyCertificate,
    in_force_on,
    licence_number_key,
)
from opendost.radiation.permissions import can
from opendost.workflow.services import transition_apply

FACILITY_FIELDS = frozenset(
    {
        "organization",
        "name",
        "kind",
        "address_line",
        "province",
        "district",
        "commune",
        "phone",
        "rso_name",
        "rso_certificate",
        "note",
    }
)
DEVICE_FIELDS = frozenset(
    {
        "device_type",
        "manufacturer",
        "model_name",
        "serial_number",
        "year_of_manufacture",
        "kvp_max",
        "ma_max",
        "room",
        "inspection_certificate",
        "inspected_on",
        "inspection_valid_until",
        "note",
    }
)
WORKER_FIELDS = frozenset({"full_name", "person", "job_title", "is_safety_officer", "left_on", "note"})
PLAN_FIELDS = frozenset({"code", "plan_version", "page_count", "effective_on", "note"})
POINT_FIELDS = frozenset(
    {
        "name",
        "location",
        "facility",
        "address_line",
        "province",
        "district",
        "commune",
        "latitude",
        "longitude",
        "threshold",
        "note",
    }
)
_MULTILINE = {"note", "work_scope", "conditions", "status_note", "status_reason", "returned_reason"}
_KEEP = {"organization", "person", "facility", "province", "district", "commune"}
LICENCE_DOC_TYPE = "GP"
LICENCE_SYMBOL_SUFFIX = "SKHCN"
DEVICE_TRANSITIONS = ("put_in_use", "send_to_repair", "return_to_use", "decommission")


# FACILITIES ---------------------------------------------------------------------------------------
@transaction.atomic
def facility_create(
    *,
    actor,
    department: Department,
    organization,
    kind: str,
    name: str = "",
    address_line: str = "",
    province=None,
    district=None,
    commune=None,
    phone: str = "",
    rso_name: str = "",
    rso_certificate: str = "",
    note: str = "",
) -> Facility:
    """Register an X-ray facility of `organization` (a blank name takes the organisation's)."""
    if not can(actor, "radiation.add_facility", department):
        raise PermissionDenied
    data = {k: v for k, v in locals().items() if k in FACILITY_FIELDS}
    facility = _facility_save(Facility(department=department), data)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=facility, after=model_snapshot(facility))
    return facility


@transaction.atomic
def facility_update(*, actor, facility: Facility, **changes: Any) -> Facility:
    _check_keys(changes, FACILITY_FIELDS)
    if not can(actor, "radiation.change_facility", facility.department_id):
        raise PermissionDenied
    current = Facility.objects.select_for_update().get(pk=facility.pk)
    before = model_snapshot(current)
    data = {name: getattr(current, name) for name in FACILITY_FIELDS}
    data.update(changes)
    saved = _facility_save(current, data)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=saved, before=before, after=model_snapshot(saved))
    return saved


def _facility_save(facility: Facility, data: dict) -> Facility:
    errors: dict[str, list] = {}
    for name, value in data.items():
        setattr(facility, name, _clean(name, value))
    organization = facility.organization
    if organization is None:
        _add(errors, "organization", _("Choose the organisation that runs the facility."))
    elif organization.department_id not in facility.department.jurisdiction_ids():
        _add(errors, "organization", _("Choose an organisation from this department's register."))
    elif not facility.name:
        facility.name = organization.name
    facility.name_folded = fold(facility.name)
    _merge(errors, _address_errors(facility.province, facility.district, facility.commune))
    _full_clean(facility, errors, exclude=["department", "organization", "name_folded"])
    if errors:
        raise ValidationError(errors)
    facility.save()
    return facility


# DEVICES ------------------------------------------------------------------------------------------
@transaction.atomic
def device_create(
    *,
    actor,
    facility: Facility,
    device_type: str,
    manufacturer: str,
    serial_number: str,
    model_name: str = "",
    year_of_manufacture: int | None = None,
    kvp_max: int | None = None,
    ma_max: int | None = None,
    room: str = "",
    inspection_certificate: str = "",
    inspected_on: dt.date | None = None,
    inspection_valid_until: dt.date | None = None,
    note: str = "",
) -> Device:
    """Record a device of `facility`; it starts "installed" and is put in use when licensed."""
    if not can(actor, "radiation.add_device", facility.department_id):
        raise PermissionDenied
    data = {k: v for k, v in locals().items() if k in DEVICE_FIELDS}
    device = _device_save(Device(facility=facility, department_id=facility.department_id), data)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=device, after=model_snapshot(device))
    return device


@transaction.atomic
def device_update(*, actor, device: Device, **changes: Any) -> Device:
    _check_keys(changes, DEVICE_FIELDS)
    if not can(actor, "radiation.change_device", device.department_id):
        raise PermissionDenied
    current = Device.objects.select_for_update().get(pk=device.pk)
    before = model_snapshot(current)
    data = {name: getattr(current, name) for name in DEVICE_FIELDS}
    data.update(changes)
    saved = _device_save(current, data)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=saved, before=before, after=model_snapshot(saved))
    return saved


def _device_save(device: Device, data: dict) -> Device:
    errors: dict[str, list] = {}
    for name, value in data.items():
        setattr(device, name, _clean(name, value))
    this_year = timezone.localdate().year
    if device.year_of_manufacture is not None and not 1950 <= device.year_of_manufacture <= this_year:
        _add(
            errors,
            "year_of_manufacture",
            _("Enter a year of manufacture between 1950 and %(year)s.") % {"year": this_year},
        )
    if device.kvp_max is not None and not 20 <= device.kvp_max <= 200:
        _add(errors, "kvp_max", _("A diagnostic X-ray tube works between 20 and 200 kVp."))
    if device.inspected_on and device.inspected_on > timezone.localdate():
        _add(errors, "inspected_on", _("The inspection date cannot be in the future."))
    if device.inspected_on and device.inspection_valid_until and device.inspection_valid_until < device.inspected_on:
        _add(errors, "inspection_valid_until", _("The inspection cannot expire before it was made."))
    if device.serial_number:
        same = Device.objects.filter(
            facility__department_id__in=device.facility.department.jurisdiction_ids(),
            serial_number__iexact=device.serial_number,
            manufacturer__iexact=device.manufacturer,
        ).exclude(status=DeviceStatus.DECOMMISSIONED)
        existing = same.exclude(pk=device.pk).select_related("facility").first() if device.pk else same.first()
        if existing:
            _add(
                errors,
                "serial_number",
                _("A device of this manufacturer with serial number %(serial)s is already recorded at %(facility)s.")
                % {"serial": device.serial_number, "facility": existing.facility.name},
            )
    _full_clean(device, errors, exclude=["department", "facility"])
    if errors:
        raise ValidationError(errors)
    device.save()
    return device


@transaction.atomic
def device_transition(*, actor, device: Device, transition: str, on: dt.date | None = None, note: str = "") -> Device:
    """Move a device: put_in_use, send_to_repair, return_to_use or decommission, on day `on`.

    Putting a new device in use needs a licence that covers it on that day (NĐ 142: radiation work
    only under a licence); a device back from repair is not checked here, but one without a valid
    licence shows on the expiry control.
    """
    if transition not in DEVICE_TRANSITIONS:
        raise ValidationError(_("This action does not exist for this record."))
    if not can(actor, "radiation.change_device", device.department_id):
        raise PermissionDenied
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": [_("The date cannot be in the future.")]})
    if transition == "put_in_use" and not device.licences.filter(in_force_on(on)).exists():
        raise ValidationError(
            _(
                "This device is not covered by a valid licence: "
                "it can be put in use once a licence covering it is issued."
            )
        )
    return _move_device(device, transition, actor=actor, on=on, note=note)


def _move_device(device: Device, transition: str, *, actor, on: dt.date, note: str = "") -> Device:
    transition_apply(device, transition, actor=actor, note=note)
    device.status_changed_on = on
    device.status_note = normalize(note) if note else device.status_note
    if transition == "put_in_use" and device.in_use_since is None:
        device.in_use_since = on
    if transition == "decommission":
        device.decommissioned_on = on
    device.save(update_fields=["status_changed_on", "status_note", "in_use_since", "decommissioned_on", "updated_at"])
    return device


# LICENCES -----------------------------------------------------------------------------------------
@transaction.atomic
def licence_issue(
    *,
    actor,
    facility: Facility,
    devices: Iterable[Device],
    work_scope: str,
    conditions: str = "",
    issued_on: dt.date,
    valid_until: dt.date | None = None,
    number: str = "",
    document=None,
    term_years: int = rules.LICENCE_TERM_YEARS,
    issuer_name: str = "",
) -> Licence:
    """Issue (or record) a new licence for `devices` of `facility`.

    valid_until defaults to issued_on + term_years - 1 day (NĐ 142 Art. 37: 3 years). The number is
    the one given, else the printed document's, else the next of the issuing department's "GP"
    series. Expired licences still covering these devices are superseded, the newest becomes the
    predecessor (a new licence after a lapse continues the facility's history).
    """
    if not can(actor, "radiation.add_licence", facility.department_id):
        raise PermissionDenied
    errors: dict[str, list] = {}
    devices = _licence_devices(facility, devices, errors)
    _check_issue_date(issued_on, errors)
    if valid_until is None and issued_on:
        valid_until = rules.default_valid_until(issued_on, term_years)
    if valid_until and issued_on and valid_until < issued_on:
        _add(errors, "valid_until", _("A licence cannot expire before it is issued."))
    if not normalize(work_scope):
        _add(errors, "work_scope", _("Describe the radiation work the licence allows."))
    _check_document(document, facility, errors)
    if devices and issued_on:
        _check_not_covered(devices, issued_on, exclude=None, errors=errors)
    if errors:
        raise ValidationError(errors)
    lapsed = list(
        Licence.objects.filter(devices__in=devices, status=LicenceStatus.VALID, valid_until__lt=issued_on)
        .distinct()
        .order_by("-valid_until", "-pk")
    )
    licence = _licence_create(
        actor=actor,
        facility=facility,
        kind=LicenceKind.NEW,
        predecessor=lapsed[0] if lapsed else None,
        devices=devices,
        work_scope=work_scope,
        conditions=conditions,
        issued_on=issued_on,
        valid_from=issued_on,
        valid_until=valid_until,
        number=number,
        document=document,
        issuer_name=issuer_name,
    )
    for old in lapsed:
        _supersede(old, by=licence, actor=actor)
    return licence


@transaction.atomic
def licence_renew(
    *,
    actor,
    licence: Licence,
    issued_on: dt.date,
    number: str = "",
    document=None,
    term_years: int = rules.LICENCE_TERM_YEARS,
    filed_on: dt.date | None = None,
    issuer_name: str = "",
) -> Licence:
    """Renew a valid licence: the new one runs from the day after the old expiry for `term_years`.

    With `filed_on` (the dossier's filing date) the lead time is checked: a renewal filed later than
    rules.renewal_lead_days before expiry is refused (apply for a new licence). Without it, only an
    already expired licence is refused.
    """
    old = _licence_for_change(actor, licence, "radiation.add_licence")
    errors: dict[str, list] = {}
    _check_issue_date(issued_on, errors, after=old.issued_on)
    if filed_on is not None:
        deadline = old.valid_until - dt.timedelta(days=rules.renewal_lead_days(on=filed_on))
        if filed_on > deadline:
            _add(
                errors,
                "filed_on",
                _(
                    "A renewal must be filed at least %(days)s days before the licence expires (by %(deadline)s); "
                    "apply for a new licence instead."
                )
                % {"days": rules.renewal_lead_days(on=filed_on), "deadline": _dmy(deadline)},
            )
    elif issued_on and issued_on > old.valid_until:
        _add(errors, "issued_on", _expired_message(old))
    devices = [d for d in old.devices.all() if d.status != DeviceStatus.DECOMMISSIONED]
    if not devices:
        _add(errors, "devices", _("Every device of this licence is decommissioned: there is nothing to renew."))
    _check_document(document, old.facility, errors)
    if errors:
        raise ValidationError(errors)
    new = _licence_create(
        actor=actor,
        facility=old.facility,
        kind=LicenceKind.RENEWAL,
        predecessor=old,
        devices=devices,
        work_scope=old.work_scope,
        conditions=old.conditions,
        issued_on=issued_on,
        valid_from=old.valid_until + dt.timedelta(days=1),
        valid_until=rules.add_years(old.valid_until, term_years),
        number=number,
        document=document,
        issuer_name=issuer_name,
    )
    _supersede(old, by=new, actor=actor)
    return new


@transaction.atomic
def licence_amend(
    *,
    actor,
    licence: Licence,
    devices: Iterable[Device],
    work_scope: str | None = None,
    conditions: str | None = None,
    issued_on: dt.date,
    number: str = "",
    document=None,
    issuer_name: str = "",
) -> Licence:
    """Amend a valid licence (devices, work, conditions); the amended licence keeps the original expiry."""
    old = _licence_for_change(actor, licence, "radiation.add_licence")
    errors: dict[str, list] = {}
    devices = _licence_devices(old.facility, devices, errors)
    _check_issue_date(issued_on, errors, after=old.issued_on)
    if issued_on and issued_on > old.valid_until:
        _add(errors, "issued_on", _expired_message(old))
    work_scope = old.work_scope if work_scope is None else work_scope
    if not normalize(work_scope):
        _add(errors, "work_scope", _("Describe the radiation work the licence allows."))
    _check_document(document, old.facility, errors)
    if devices and issued_on:
        _check_not_covered(devices, issued_on, exclude=old, errors=errors)
    if errors:
        raise ValidationError(errors)
    new = _licence_create(
        actor=actor,
        facility=old.facility,
        kind=LicenceKind.AMENDMENT,
        predecessor=old,
        devices=devices,
        work_scope=work_scope,
        conditions=old.conditions if conditions is None else conditions,
        issued_on=issued_on,
        valid_from=issued_on,
        valid_until=old.valid_until,
        number=number,
        document=document,
        issuer_name=issuer_name,
    )
    _supersede(old, by=new, actor=actor)
    return new


@transaction.atomic
def licence_reissue(
    *, actor, licence: Licence, issued_on: dt.date, number: str = "", document=None, issuer_name: str = ""
) -> Licence:
    """Re-issue a valid licence (lost, damaged, changed name): same content, same expiry."""
    old = _licence_for_change(actor, licence, "radiation.add_licence")
    errors: dict[str, list] = {}
    _check_issue_date(issued_on, errors, after=old.issued_on)
    if issued_on and issued_on > old.valid_until:
        _add(errors, "issued_on", _expired_message(old))
    _check_document(document, old.facility, errors)
    if errors:
        raise ValidationError(errors)
    new = _licence_create(
        actor=actor,
        facility=old.facility,
        kind=LicenceKind.REISSUE,
        predecessor=old,
        devices=[d for d in old.devices.all() if d.status != DeviceStatus.DECOMMISSIONED],
        work_scope=old.work_scope,
        conditions=old.conditions,
        issued_on=issued_on,
        valid_from=issued_on,
        valid_until=old.valid_until,
        number=number,
        document=document,
        issuer_name=issuer_name,
    )
    _supersede(old, by=new, actor=actor)
    return new


@transaction.atomic
def licence_revoke(*, actor, licence: Licence, on: dt.date, reason: str) -> Licence:
    """Revoke (thu hồi) a valid licence; its devices then show as without a valid licence."""
    old = _licence_for_change(actor, licence, "radiation.change_licence")
    errors: dict[str, list] = {}
    if not normalize(reason):
        _add(errors, "reason", _("Give the reason for the revocation."))
    if on > timezone.localdate():
        _add(errors, "on", _("The date cannot be in the future."))
    elif on < old.issued_on:
        _add(errors, "on", _("A licence cannot be revoked before it was issued."))
    if errors:
        raise ValidationError(errors)
    transition_apply(old, "revoke", actor=actor, note=normalize(reason))
    old.status_changed_on = on
    old.status_reason = _clean("status_reason", reason)
    old.save(update_fields=["status_changed_on", "status_reason", "updated_at"])
    return old


def _licence_for_change(actor, licence: Licence, perm: str) -> Licence:
    if not can(actor, perm, licence.department_id):
        raise PermissionDenied
    current = Licence.objects.select_for_update().select_related("facility__department").get(pk=licence.pk)
    if current.status != LicenceStatus.VALID:
        raise ValidationError(
            _("Licence %(number)s is %(state)s: only a valid licence can be renewed, amended, re-issued or revoked.")
            % {"number": current.number, "state": current.get_status_display().lower()}
        )
    return current


def _licence_create(
    *,
    actor,
    facility: Facility,
    kind: str,
    predecessor: Licence | None,
    devices: list[Device],
    work_scope: str,
    conditions: str,
    issued_on: dt.date,
    valid_from: dt.date,
    valid_until: dt.date,
    number: str,
    document,
    issuer_name: str,
) -> Licence:
    issuer = _issuer_in_force(facility, issued_on)
    number = normalize(number) or (document.number_symbol if document is not None else "")
    if not number:
        from opendost.numbering.services import number_next

        number = number_next(
            department=issuer,
            doc_type=LICENCE_DOC_TYPE,
            year=issued_on.year,
            suffix=LICENCE_SYMBOL_SUFFIX,
            on=issued_on,
        )[1]
    if not issuer_name:
        issuer_name = document.issuing_body if document is not None else issuer.name
    licence = Licence(
        department_id=facility.department_id,
        facility=facility,
        kind=kind,
        number=number,
        number_folded=licence_number_key(number),
        predecessor=predecessor,
        work_scope=_clean("work_scope", work_scope),
        conditions=_clean("conditions", conditions),
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until,
        document=document,
        issuer_name_at_issue=normalize(issuer_name),
        facility_name_at_issue=facility.name,
        address_text_at_issue=facility.full_address,
    )
    errors: dict[str, list] = {}
    _full_clean(licence, errors, exclude=["department", "facility", "predecessor", "document", "number_folded"])
    if errors:
        raise ValidationError(errors)
    licence.save()
    licence.devices.set(devices)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=licence,
        after=model_snapshot(licence),
        note=f"{licence.get_kind_display()}" + (f" ← {predecessor.number}" if predecessor else ""),
    )
    installed = Device.objects.filter(pk__in=[d.pk for d in devices], status=DeviceStatus.INSTALLED).order_by("pk")
    moved = {
        device.pk
        for device in installed
        if _move_device(device, "put_in_use", actor=actor, on=issued_on, note=licence.number)
    }
    for device in devices:  # the caller's objects show the new status too
        if device.pk in moved:
            device.refresh_from_db()
    return licence


def _supersede(old: Licence, *, by: Licence, actor) -> None:
    transition_apply(old, "supersede", actor=actor, note=f"{by.get_kind_display()}: {by.number}")
    old.status_changed_on = by.issued_on
    old.save(update_fields=["status_changed_on", "updated_at"])


def _issuer_in_force(facility: Facility, day: dt.date) -> Department:
    """The department that was the licensing body for `facility` on `day`: the facility's
    department if it existed then, else the one of its predecessors or successors that did (the one
    of the facility's province when several did)."""
    department = facility.department
    if _exists_on(department, day):
        return department
    chain = list(Department.objects.filter(pk__in=department.jurisdiction_ids()))
    successor = department.successor
    while successor is not None:
        chain.append(successor)
        successor = successor.successor
    candidates = [d for d in chain if _exists_on(d, day)]
    for candidate in candidates:
        if facility.province_id and candidate.province_id == facility.province_id:
            return candidate
    return candidates[0] if candidates else department


def _exists_on(department: Department, day: dt.date) -> bool:
    return (department.valid_from is None or department.valid_from <= day) and (
        department.valid_to is None or day <= department.valid_to
    )


def _licence_devices(facility: Facility, devices: Iterable[Device], errors: dict) -> list[Device]:
    devices = list({d.pk: d for d in devices}.values())
    if not devices:
        _add(errors, "devices", _("Choose at least one device the licence covers."))
    for device in devices:
        if device.facility_id != facility.pk:
            _add(errors, "devices", _("%(device)s is not a device of this facility.") % {"device": device})
        elif device.status == DeviceStatus.DECOMMISSIONED:
            _add(errors, "devices", _("%(device)s is decommissioned and cannot be licensed.") % {"device": device})
    return devices


def _check_not_covered(devices: list[Device], day: dt.date, *, exclude: Licence | None, errors: dict) -> None:
    covering = Licence.objects.filter(devices__in=devices, status=LicenceStatus.VALID, valid_until__gte=day)
    if exclude is not None:
        covering = covering.exclude(pk=exclude.pk)
    for other in covering.distinct().order_by("pk"):
        _add(
            errors,
            "devices",
            _(
                "Licence %(number)s (valid until %(date)s) already covers some of these devices: "
                "amend or renew that licence instead."
            )
            % {"number": other.number, "date": _dmy(other.valid_until)},
        )


def _check_issue_date(issued_on: dt.date | None, errors: dict, *, after: dt.date | None = None) -> None:
    if issued_on is None:
        _add(errors, "issued_on", _("Enter the date of issue."))
    elif issued_on > timezone.localdate():
        _add(errors, "issued_on", _("The date of issue cannot be in the future."))
    elif after is not None and issued_on < after:
        _add(errors, "issued_on", _("The new licence cannot be dated before the licence it replaces."))


def _check_document(document, facility: Facility, errors: dict) -> None:
    allowed = {*facility.department.jurisdiction_ids(), *(d.pk for d in _holding_departments(facility.department))}
    if document is not None and document.department_id not in allowed:
        _add(errors, "document", _("Choose a document issued by this department."))


def _expired_message(licence: Licence) -> str:
    return _("Licence %(number)s expired on %(date)s: apply for a new licence.") % {
        "number": licence.number,
        "date": _dmy(licence.valid_until),
    }


# WORKERS AND CERTIFICATES -------------------------------------------------------------------------
@transaction.atomic
def worker_create(
    *,
    actor,
    facility: Facility,
    full_name: str = "",
    person=None,
    job_title: str = "",
    is_safety_officer: bool = False,
    left_on: dt.date | None = None,
    note: str = "",
) -> RadiationWorker:
    if not can(actor, "radiation.add_radiationworker", facility.department_id):
        raise PermissionDenied
    data = {k: v for k, v in locals().items() if k in WORKER_FIELDS}
    worker = _worker_save(RadiationWorker(facility=facility, department_id=facility.department_id), data)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=worker, after=model_snapshot(worker))
    return worker


@transaction.atomic
def worker_update(*, actor, worker: RadiationWorker, **changes: Any) -> RadiationWorker:
    _check_keys(changes, WORKER_FIELDS)
    if not can(actor, "radiation.change_radiationworker", worker.department_id):
        raise PermissionDenied
    current = RadiationWorker.objects.select_for_update().get(pk=worker.pk)
    before = model_snapshot(current)
    data = {name: getattr(current, name) for name in WORKER_FIELDS}
    data.update(changes)
    saved = _worker_save(current, data)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=saved, before=before, after=model_snapshot(saved))
    return saved


def _worker_save(worker: RadiationWorker, data: dict) -> RadiationWorker:
    errors: dict[str, list] = {}
    for name, value in data.items():
        setattr(worker, name, _clean(name, value))
    if worker.person is not None:
        if worker.person.department_id not in worker.facility.department.jurisdiction_ids():
            _add(errors, "person", _("Choose a person from this department's register."))
        elif not worker.full_name:
            worker.full_name = worker.person.full_name
    if not worker.full_name:
        _add(errors, "full_name", _("Enter a name or choose a registered person."))
    if worker.left_on and worker.left_on > timezone.localdate():
        _add(errors, "left_on", _("The date cannot be in the future."))
    _full_clean(worker, errors, exclude=["department", "facility", "person"])
    if errors:
        raise ValidationError(errors)
    worker.save()
    return worker


@transaction.atomic
def certificate_add(
    *, actor, worker: RadiationWorker, number: str, issued_on: dt.date, issuer: str, note: str = ""
) -> SafetyCertificate:
    """Record a radiation worker certificate (no expiry: NĐ 142/2020 Art. 37)."""
    if not can(actor, "radiation.change_radiationworker", worker.department_id):
        raise PermissionDenied
    errors: dict[str, list] = {}
    certificate = SafetyCertificate(
        worker=worker, number=normalize(number), issued_on=issued_on, issuer=normalize(issuer), note=normalize(note)
    )
    if issued_on and issued_on > timezone.localdate():
        _add(errors, "issued_on", _("The date of issue cannot be in the future."))
    if certificate.number and worker.certificates.filter(number__iexact=certificate.number).exists():
        _add(errors, "number", _("This certificate is already recorded for this worker."))
    _full_clean(certificate, errors, exclude=["worker"])
    if errors:
        raise ValidationError(errors)
    certificate.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=worker,
        changes={"certificates": [None, f"{certificate.number} ({_dmy(certificate.issued_on)})"]},
        after={"certificate": model_snapshot(certificate)},
    )
    return certificate


# RESPONSE PLANS -----------------------------------------------------------------------------------
@transaction.atomic
def plan_create(
    *,
    actor,
    facility: Facility,
    code: str,
    plan_version: str = "1.0",
    page_count: int | None = None,
    effective_on: dt.date | None = None,
    note: str = "",
) -> ResponsePlan:
    if not can(actor, "radiation.add_responseplan", facility.department_id):
        raise PermissionDenied
    data = {k: v for k, v in locals().items() if k in PLAN_FIELDS}
    plan = _plan_save(ResponsePlan(facility=facility, department_id=facility.department_id), data)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=plan, after=model_snapshot(plan))
    return plan


@transaction.atomic
def plan_update(*, actor, plan: ResponsePlan, **changes: Any) -> ResponsePlan:
    _check_keys(changes, PLAN_FIELDS)
    if not can(actor, "radiation.change_responseplan", plan.department_id):
        raise PermissionDenied
    current = ResponsePlan.objects.select_for_update().get(pk=plan.pk)
    if current.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError(_("Only a draft or returned plan can be edited."))
    before = model_snapshot(current)
    data = {name: getattr(current, name) for name in PLAN_FIELDS}
    data.update(changes)
    saved = _plan_save(current, data)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=saved, before=before, after=model_snapshot(saved))
    return saved


def _plan_save(plan: ResponsePlan, data: dict) -> ResponsePlan:
    errors: dict[str, list] = {}
    for name, value in data.items():
        setattr(plan, name, _clean(name, value))
    duplicate = ResponsePlan.objects.filter(
        facility=plan.facility, code__iexact=plan.code, plan_version__iexact=plan.plan_version
    )
    if plan.pk:
        duplicate = duplicate.exclude(pk=plan.pk)
    if plan.code and duplicate.exists():
        _add(errors, "plan_version", _("This version of the plan is already recorded."))
    _full_clean(plan, errors, exclude=["department", "facility", "approval_document"])
    if errors:
        raise ValidationError(errors)
    plan.save()
    return plan


@transaction.atomic
def plan_submit(*, actor, plan: ResponsePlan, submitted_on: dt.date) -> ResponsePlan:
    if submitted_on > timezone.localdate():
        raise ValidationError({"submitted_on": [_("The date cannot be in the future.")]})
    transition_apply(plan, "submit", actor=actor)
    plan.submitted_on = submitted_on
    plan.save(update_fields=["submitted_on", "updated_at"])
    return plan


@transaction.atomic
def plan_return(*, actor, plan: ResponsePlan, reason: str) -> ResponsePlan:
    if not normalize(reason):
        raise ValidationError({"reason": [_("Say what must be revised.")]})
    transition_apply(plan, "return", actor=actor, note=normalize(reason))
    plan.returned_reason = _clean("returned_reason", reason)
    plan.save(update_fields=["returned_reason", "updated_at"])
    return plan


@transaction.atomic
def response_plan_approve(*, actor, plan: ResponsePlan, approved_on: dt.date, document=None) -> ResponsePlan:
    """Approve a facility's incident response plan (NĐ 142 Art. 36). A plan still in draft or
    returned is first submitted (it arrived with the dossier); the plan takes effect on approval
    unless it names a later effective date."""
    if not can(actor, "radiation.change_responseplan", plan.department_id):
        raise PermissionDenied
    plan = ResponsePlan.objects.select_related("facility__department").get(pk=plan.pk)
    errors: dict[str, list] = {}
    if approved_on > timezone.localdate():
        _add(errors, "approved_on", _("The date cannot be in the future."))
    if plan.submitted_on and approved_on < plan.submitted_on:
        _add(errors, "approved_on", _("A plan cannot be approved before it was submitted."))
    _check_document(document, plan.facility, errors)
    if errors:
        raise ValidationError(errors)
    if plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        transition_apply(plan, "submit", actor=actor)
        plan.submitted_on = plan.submitted_on or approved_on
    transition_apply(plan, "approve", actor=actor)
    plan.approved_on = approved_on
    plan.approval_document = document
    plan.effective_on = plan.effective_on if plan.effective_on and plan.effective_on > approved_on else approved_on
    plan.save(update_fields=["submitted_on", "approved_on", "approval_document", "effective_on", "updated_at"])
    return plan


# MONITORING POINTS AND READINGS -------------------------------------------------------------------
@transaction.atomic
def point_create(
    *,
    actor,
    department: Department,
    name: str,
    location: str = "",
    facility: Facility | None = None,
    address_line: str = "",
    province=None,
    district=None,
    commune=None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    threshold: Decimal = Decimal("0.5"),
    note: str = "",
) -> MeasurementPoint:
    if not can(actor, "radiation.add_measurementpoint", department):
        raise PermissionDenied
    data = {k: v for k, v in locals().items() if k in POINT_FIELDS}
    point = _point_save(MeasurementPoint(department=department), data)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=point, after=model_snapshot(point))
    return point


@transaction.atomic
def point_update(*, actor, point: MeasurementPoint, **changes: Any) -> MeasurementPoint:
    _check_keys(changes, POINT_FIELDS)
    if not can(actor, "radiation.change_measurementpoint", point.department_id):
        raise PermissionDenied
    current = MeasurementPoint.objects.select_for_update().get(pk=point.pk)
    before = model_snapshot(current)
    data = {name: getattr(current, name) for name in POINT_FIELDS}
    data.update(changes)
    saved = _point_save(current, data)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=saved, before=before, after=model_snapshot(saved))
    return saved


def _point_save(point: MeasurementPoint, data: dict) -> MeasurementPoint:
    errors: dict[str, list] = {}
    for name, value in data.items():
        setattr(point, name, _clean(name, value))
    if point.facility is not None and point.facility.department_id not in point.department.jurisdiction_ids():
        _add(errors, "facility", _("Choose a facility of this department's register."))
    if (point.latitude is None) != (point.longitude is None):
        _add(errors, "longitude", _("Give both the latitude and the longitude, or neither."))
    if point.latitude is not None and not Decimal(-90) <= point.latitude <= Decimal(90):
        _add(errors, "latitude", _("A latitude lies between -90 and 90."))
    if point.longitude is not None and not Decimal(-180) <= point.longitude <= Decimal(180):
        _add(errors, "longitude", _("A longitude lies between -180 and 180."))
    if point.threshold is not None and point.threshold <= 0:
        _add(errors, "threshold", _("The threshold must be above zero."))
    _merge(errors, _address_errors(point.province, point.district, point.commune))
    _full_clean(point, errors, exclude=["department", "facility"])
    if errors:
        raise ValidationError(errors)
    point.save()
    return point


@transaction.atomic
def reading_record(
    *,
    actor,
    point: MeasurementPoint,
    measured_at: dt.datetime,
    dose_rate: Decimal,
    instrument: str = "",
    measured_by: str = "",
    note: str = "",
) -> Reading:
    """Record a dose-rate reading; it is flagged when above the point's threshold."""
    if not can(actor, "radiation.add_reading", point.department_id):
        raise PermissionDenied
    errors: dict[str, list] = {}
    if measured_at is not None and measured_at > timezone.now():
        _add(errors, "measured_at", _("A reading cannot be in the future."))
    if dose_rate is not None and dose_rate < 0:
        _add(errors, "dose_rate", _("A dose rate cannot be negative."))
    reading = Reading(
        point=point,
        measured_at=measured_at,
        dose_rate=dose_rate,
        above_threshold=dose_rate is not None and dose_rate > point.threshold,
        instrument=normalize(instrument),
        measured_by=normalize(measured_by),
        note=normalize(note),
    )
    _full_clean(reading, errors, exclude=["point"])
    if errors:
        raise ValidationError(errors)
    reading.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=point,
        changes={"readings": [None, f"{timezone.localtime(measured_at):%d/%m/%Y %H:%M}: {dose_rate} µSv/h"]},
        after={"reading": model_snapshot(reading)},
    )
    return reading


# EXPIRY REMINDERS (daily job) ---------------------------------------------------------------------
def expiry_reminders_send(*, today: dt.date) -> int:
    """Remind facilities and officers of licences expiring in 90, 60 and 45 days; returns how many
    licences got a new reminder.

    A licence gets the reminder of the nearest threshold it has reached (a day missed by the job
    sends that one, not all earlier ones); `event_key` makes each reminder idempotent, so running the
    job twice on a day sends nothing more. Recipients: the applicant accounts of the facility's
    organisation, and the officers of the department holding the register (its successors too).
    """
    from django.contrib.auth import get_user_model

    from opendost.notifications.enums import MessageChannel
    from opendost.notifications.models import Message
    from opendost.notifications.services import notify

    User = get_user_model()
    horizon = today + dt.timedelta(days=max(rules.REMINDER_DAYS))
    licences = (
        Licence.objects.filter(status=LicenceStatus.VALID, valid_until__gte=today, valid_until__lte=horizon)
        .select_related("facility__organization", "department")
        .order_by("valid_until", "pk")
    )
    sent = 0
    for licence in licences:
        days_left = (licence.valid_until - today).days
        threshold = min(t for t in rules.REMINDER_DAYS if days_left <= t)
        event_key = f"radiation.expiry.{licence.pk}.{threshold}"
        if Message.objects.filter(event_key=event_key).exists():
            continue
        departments = _holding_departments(licence.department)
        recipients = list(
            User.objects.filter(is_active=True)
            .filter(
                Q(organization_id=licence.facility.organization_id, groups__name="applicant")
                | Q(department__in=departments, groups__name="officer")
            )
            .distinct()
            .order_by("pk")
        )
        if not recipients:
            continue
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            subject = _("Radiation work licence %(number)s expires on %(date)s") % {
                "number": licence.number,
                "date": _dmy(licence.valid_until),
            }
            body = _(
                "The radiation work licence %(number)s of %(facility)s expires on %(date)s (in %(days)s days). "
                "A renewal must be filed at least %(lead)s days before expiry, by %(filing)s; after that "
                "date a new licence must be applied for."
            ) % {
                "number": licence.number,
                "facility": licence.facility.name,
                "date": _dmy(licence.valid_until),
                "days": days_left,
                "lead": rules.renewal_lead_days(on=today),
                "filing": _dmy(licence.valid_until - dt.timedelta(days=rules.renewal_lead_days(on=today))),
            }
            notify(
                event_key=event_key,
                recipients=recipients,
                subject=subject,
                body=body,
                channels=[MessageChannel.IN_APP, MessageChannel.EMAIL],
                context={"url": licence.get_verification_path()},
            )
        sent += 1
    return sent


def _holding_departments(department: Department) -> list[Department]:
    """The department and its successors: whoever holds its records now."""
    chain = [department]
    while chain[-1].successor_id is not None:
        chain.append(chain[-1].successor)
    return chain


# HELPERS ------------------------------------------------------------------------------------------
def _dmy(day: dt.date | None) -> str:
    return formats.date_format(day, "d/m/Y") if day else ""


def _address_errors(province, district, commune) -> dict:
    try:
        validate_address_units(province, district, commune)
    except ValidationError as exc:
        return exc.update_error_dict({})
    return {}


def _clean(name: str, value: Any) -> Any:
    if name in _KEEP or not isinstance(value, str):
        return value
    if name in _MULTILINE:
        return unicodedata.normalize("NFC", value).strip()
    return normalize(value)


def _full_clean(instance, errors: dict, *, exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=[*errors, *exclude], validate_constraints=not errors)
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
