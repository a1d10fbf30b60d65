"""The radiation-safety procedures on the dossier engine (domain reference §9.2-§9.4).

Each handler says what the applicant chooses (its facility, the licence to renew, the devices), checks
it against the register when the dossier is drafted or edited, writes the result document (the licence
in the NĐ 30/2020 layout) and, when the result is issued, changes the register through the radiation
services — in the same transaction as the numbered document, so the register and the printed licence
never disagree. The legal values (licence term, renewal lead time) are rules of the procedure version.
"""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opendost.documents.structure import Block, BlockStyle
from opendost.dossiers.handlers import ProcedureHandler, register
from opendost.radiation import rules
from opendost.radiation.enums import DeviceStatus, LicenceStatus, PlanStatus
from opendost.radiation.models import Device, Facility, Licence, ResponsePlan

NEW = "radiation.licence_new"
RENEWAL = "radiation.licence_renewal"
AMENDMENT = "radiation.licence_amendment"
REISSUE = "radiation.licence_reissue"
RESPONSE_PLAN = "radiation.response_plan"


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _term_years(version) -> int:
    return int(version.rules.get("licence_term_years", rules.LICENCE_TERM_YEARS))


def _get(model, public_id, *, organization, **filters):
    """A register row of the applicant's organisation, by public id; None when absent or someone else's."""
    if not public_id:
        return None
    qs = model.objects.filter(**filters)
    if organization is not None:
        owner = "organization" if model is Facility else "facility__organization"
        qs = qs.filter(**{owner: organization})
    try:
        return qs.get(public_id=public_id)
    except (model.DoesNotExist, ValueError, ValidationError):
        return None


def _devices_block(devices) -> tuple[Block, ...]:
    lines = []
    for i, device in enumerate(devices, 1):
        parts = [
            device.get_device_type_display(),
            device.manufacturer,
            device.model_name,
            f"số sê-ri {device.serial_number}",
        ]
        if device.room:
            parts.append(f"đặt tại {device.room}")
        lines.append(Block(", ".join(p for p in parts if p) + ";", BlockStyle.ITEM, lead=f"{i}."))
    return tuple(lines)


class _LicenceHandler(ProcedureHandler):
    """Shared by the licence procedures: the facility, the devices and the licence text."""

    def facility_of(self, dossier) -> Facility | None:
        return _get(Facility, dossier.payload.get("facility"), organization=None)

    def payload_display(self, dossier) -> list[tuple[str, str]]:
        lines = []
        facility = self.facility_of(dossier)
        if facility is not None:
            lines.append((str(gettext_lazy("Facility")), facility.name))
        licence = _get(Licence, dossier.payload.get("licence"), organization=None)
        if licence is not None:
            lines.append(
                (
                    str(gettext_lazy("Licence")),
                    f"{licence.number} ({_d(licence.valid_from)} – {_d(licence.valid_until)})",
                )
            )
        ids = dossier.payload.get("devices") or []
        if ids:
            devices = Device.objects.filter(public_id__in=ids).order_by("pk")
            lines.append(
                (
                    str(gettext_lazy("Devices")),
                    "; ".join(f"{d.get_device_type_display()} {d.serial_number}" for d in devices),
                )
            )
        if dossier.payload.get("work_scope"):
            lines.append((str(gettext_lazy("Radiation work")), dossier.payload["work_scope"]))
        return lines

    def licence_body(self, dossier, *, facility: Facility, devices, work_scope: str, valid_until: dt.date, extra=()):
        address = facility.address_line or dossier.applicant_address
        return (
            Block(
                f"Cho phép {facility.name}"
                + (f", địa chỉ: {address}" if address else "")
                + f" được tiến hành công việc bức xạ: {work_scope}.",
                BlockStyle.ITEM,
                lead="Điều 1.",
            ),
            Block("Thiết bị bức xạ được phép sử dụng:", BlockStyle.PARAGRAPH),
            *_devices_block(devices),
            *extra,
            Block(
                f"Giấy phép có giá trị đến hết ngày {_d(valid_until)}. "
                "Tổ chức được cấp giấy phép phải tuân thủ các quy định của pháp luật về an toàn bức xạ "
                "và các điều kiện ghi trong giấy phép.",
                BlockStyle.ITEM,
                lead="Điều 2.",
            ),
        )


class _FacilityDevicesForm(forms.Form):
    facility = forms.ChoiceField(label=gettext_lazy("Facility"))
    devices = forms.MultipleChoiceField(label=gettext_lazy("Devices"), widget=forms.CheckboxSelectMultiple)
    work_scope = forms.CharField(
        label=gettext_lazy("Radiation work"),
        initial="Sử dụng thiết bị X-quang chẩn đoán trong y tế",
        max_length=500,
    )

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        facilities = (
            Facility.objects.filter(organization=organization).order_by("name")
            if organization
            else Facility.objects.none()
        )
        self.fields["facility"].choices = [(str(f.public_id), f.name) for f in facilities]
        devices = (
            Device.objects.filter(facility__in=facilities)
            .exclude(status=DeviceStatus.DECOMMISSIONED)
            .select_related("facility")
        )
        self.fields["devices"].choices = [
            (str(d.public_id), f"{d.facility.name}: {d.get_device_type_display()} {d.manufacturer} {d.serial_number}")
            for d in devices
        ]


class NewLicenceHandler(_LicenceHandler):
    key = NEW
    label = gettext_lazy("Radiation work licence (new)")

    def payload_form_class(self, *, user, organization):
        return _FacilityDevicesForm

    def clean_payload(self, payload: dict[str, Any], *, organization, version) -> dict[str, Any]:
        facility = _get(Facility, payload.get("facility"), organization=organization)
        if facility is None:
            raise ValidationError({"facility": [_("Choose one of your X-ray facilities.")]})
        ids = [str(x) for x in payload.get("devices") or []]
        devices = list(
            Device.objects.filter(facility=facility, public_id__in=ids).exclude(status=DeviceStatus.DECOMMISSIONED)
        )
        if not ids or len(devices) != len(set(ids)):
            raise ValidationError({"devices": [_("Choose the facility's devices the licence must cover.")]})
        work_scope = str(payload.get("work_scope") or "").strip() or "Sử dụng thiết bị X-quang chẩn đoán trong y tế"
        return {"facility": str(facility.public_id), "devices": sorted(ids), "work_scope": work_scope}

    def _devices(self, dossier):
        return list(Device.objects.filter(public_id__in=dossier.payload["devices"]).order_by("pk"))

    def result_valid_until(self, dossier, *, issued_on):
        return rules.default_valid_until(issued_on, _term_years(dossier.procedure_version))

    def result_body(self, dossier, *, issued_on):
        return self.licence_body(
            dossier,
            facility=self.facility_of(dossier),
            devices=self._devices(dossier),
            work_scope=dossier.payload["work_scope"],
            valid_until=self.result_valid_until(dossier, issued_on=issued_on),
        )

    def apply_result(self, dossier, *, actor, document) -> None:
        from opendost.radiation.services import licence_issue

        licence_issue(
            actor=actor,
            facility=self.facility_of(dossier),
            devices=self._devices(dossier),
            work_scope=dossier.payload["work_scope"],
            issued_on=document.issued_on,
            valid_until=document.valid_until,
            number=document.number_symbol,
            document=document,
            term_years=_term_years(dossier.procedure_version),
        )


class _LicenceForm(forms.Form):
    licence = forms.ChoiceField(label=gettext_lazy("Licence"))

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        licences = (
            Licence.objects.filter(facility__organization=organization, status=LicenceStatus.VALID).select_related(
                "facility"
            )
            if organization
            else Licence.objects.none()
        )
        self.fields["licence"].choices = [
            (str(lic.public_id), f"{lic.number} – {lic.facility.name} ({_d(lic.valid_until)})") for lic in licences
        ]


def _valid_licence(payload, organization) -> Licence:
    licence = _get(Licence, payload.get("licence"), organization=organization, status=LicenceStatus.VALID)
    if licence is None:
        raise ValidationError({"licence": [_("Choose one of your licences in force.")]})
    return licence


class RenewalHandler(_LicenceHandler):
    """Gia hạn: filed at least `renewal_lead_days` (a rule of the version; 45 under NĐ 142/2020) before
    expiry; the renewed licence runs from the day after the old expiry (NĐ 142/2020 Art. 37)."""

    key = RENEWAL
    label = gettext_lazy("Radiation work licence (renewal)")

    def payload_form_class(self, *, user, organization):
        return _LicenceForm

    def clean_payload(self, payload, *, organization, version):
        from django.utils import timezone

        licence = _valid_licence(payload, organization)
        today = timezone.localdate()
        lead = int(version.rules.get("renewal_lead_days", rules.renewal_lead_days(on=today)))
        deadline = licence.valid_until - dt.timedelta(days=lead)
        if today > deadline:
            raise ValidationError(
                {
                    "licence": [
                        _(
                            "A renewal must be filed at least %(days)s days before the licence expires "
                            "(by %(deadline)s); apply for a new licence instead."
                        )
                        % {"days": lead, "deadline": _d(deadline)}
                    ]
                }
            )
        return {"licence": str(licence.public_id), "facility": str(licence.facility.public_id)}

    def _licence(self, dossier) -> Licence:
        return Licence.objects.select_related("facility").get(public_id=dossier.payload["licence"])

    def result_valid_until(self, dossier, *, issued_on):
        return rules.add_years(self._licence(dossier).valid_until, _term_years(dossier.procedure_version))

    def result_body(self, dossier, *, issued_on):
        licence = self._licence(dossier)
        devices = [d for d in licence.devices.order_by("pk") if d.status != DeviceStatus.DECOMMISSIONED]
        return self.licence_body(
            dossier,
            facility=licence.facility,
            devices=devices,
            work_scope=licence.work_scope,
            valid_until=self.result_valid_until(dossier, issued_on=issued_on),
            extra=(
                Block(
                    f"Giấy phép này gia hạn Giấy phép số {licence.number} cấp ngày {_d(licence.issued_on)}, "
                    f"có hiệu lực từ ngày {_d(licence.valid_until + dt.timedelta(days=1))}.",
                    BlockStyle.PARAGRAPH,
                ),
            ),
        )

    def apply_result(self, dossier, *, actor, document) -> None:
        from opendost.radiation.services import licence_renew

        licence_renew(
            actor=actor,
            licence=self._licence(dossier),
            issued_on=document.issued_on,
            number=document.number_symbol,
            document=document,
            term_years=_term_years(dossier.procedure_version),
        )


class _AmendForm(_LicenceForm):
    devices = forms.MultipleChoiceField(
        label=gettext_lazy("Devices after the amendment"), widget=forms.CheckboxSelectMultiple
    )
    work_scope = forms.CharField(label=gettext_lazy("Radiation work"), max_length=500, required=False)

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, organization=organization, **kwargs)
        devices = (
            Device.objects.filter(facility__organization=organization)
            .exclude(status=DeviceStatus.DECOMMISSIONED)
            .select_related("facility")
            if organization
            else Device.objects.none()
        )
        self.fields["devices"].choices = [
            (str(d.public_id), f"{d.facility.name}: {d.get_device_type_display()} {d.manufacturer} {d.serial_number}")
            for d in devices
        ]


class AmendmentHandler(RenewalHandler):
    """Sửa đổi, bổ sung: a new device set (or scope) under the original expiry."""

    key = AMENDMENT
    label = gettext_lazy("Radiation work licence (amendment)")

    def payload_form_class(self, *, user, organization):
        return _AmendForm

    def clean_payload(self, payload, *, organization, version):
        licence = _valid_licence(payload, organization)
        ids = [str(x) for x in payload.get("devices") or []]
        devices = list(
            Device.objects.filter(facility=licence.facility, public_id__in=ids).exclude(
                status=DeviceStatus.DECOMMISSIONED
            )
        )
        if not ids or len(devices) != len(set(ids)):
            raise ValidationError(
                {"devices": [_("Choose the devices of the licensed facility the licence must cover.")]}
            )
        work_scope = str(payload.get("work_scope") or "").strip()
        return {
            "licence": str(licence.public_id),
            "facility": str(licence.facility.public_id),
            "devices": sorted(ids),
            "work_scope": work_scope,
        }

    def result_valid_until(self, dossier, *, issued_on):
        return self._licence(dossier).valid_until

    def result_body(self, dossier, *, issued_on):
        licence = self._licence(dossier)
        return self.licence_body(
            dossier,
            facility=licence.facility,
            devices=list(Device.objects.filter(public_id__in=dossier.payload["devices"]).order_by("pk")),
            work_scope=dossier.payload.get("work_scope") or licence.work_scope,
            valid_until=licence.valid_until,
            extra=(
                Block(
                    f"Giấy phép này sửa đổi, bổ sung Giấy phép số {licence.number} cấp ngày {_d(licence.issued_on)}.",
                    BlockStyle.PARAGRAPH,
                ),
            ),
        )

    def apply_result(self, dossier, *, actor, document) -> None:
        from opendost.radiation.services import licence_amend

        licence_amend(
            actor=actor,
            licence=self._licence(dossier),
            devices=list(Device.objects.filter(public_id__in=dossier.payload["devices"])),
            work_scope=dossier.payload.get("work_scope") or None,
            issued_on=document.issued_on,
            number=document.number_symbol,
            document=document,
        )


class _ReissueForm(_LicenceForm):
    reason = forms.CharField(label=gettext_lazy("Why it must be re-issued"), max_length=300)


class ReissueHandler(RenewalHandler):
    """Cấp lại (lost or damaged licence): the same content and expiry, a new number."""

    key = REISSUE
    label = gettext_lazy("Radiation work licence (re-issue)")

    def payload_form_class(self, *, user, organization):
        return _ReissueForm

    def clean_payload(self, payload, *, organization, version):
        licence = _valid_licence(payload, organization)
        reason = str(payload.get("reason") or "").strip()
        if not reason:
            raise ValidationError({"reason": [_("Say why the licence must be re-issued (lost, damaged...).")]})
        return {"licence": str(licence.public_id), "facility": str(licence.facility.public_id), "reason": reason}

    def result_valid_until(self, dossier, *, issued_on):
        return self._licence(dossier).valid_until

    def result_body(self, dossier, *, issued_on):
        licence = self._licence(dossier)
        devices = [d for d in licence.devices.order_by("pk") if d.status != DeviceStatus.DECOMMISSIONED]
        return self.licence_body(
            dossier,
            facility=licence.facility,
            devices=devices,
            work_scope=licence.work_scope,
            valid_until=licence.valid_until,
            extra=(
                Block(
                    f"Giấy phép này cấp lại Giấy phép số {licence.number} cấp ngày {_d(licence.issued_on)}.",
                    BlockStyle.PARAGRAPH,
                ),
            ),
        )

    def apply_result(self, dossier, *, actor, document) -> None:
        from opendost.radiation.services import licence_reissue

        licence_reissue(
            actor=actor,
            licence=self._licence(dossier),
            issued_on=document.issued_on,
            number=document.number_symbol,
            document=document,
        )


class _PlanForm(forms.Form):
    facility = forms.ChoiceField(label=gettext_lazy("Facility"))
    code = forms.CharField(label=gettext_lazy("Plan code"), max_length=60)
    plan_version = forms.CharField(label=gettext_lazy("Plan version"), max_length=20, initial="1.0")

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        facilities = (
            Facility.objects.filter(organization=organization).order_by("name")
            if organization
            else Facility.objects.none()
        )
        self.fields["facility"].choices = [(str(f.public_id), f.name) for f in facilities]


class ResponsePlanHandler(ProcedureHandler):
    """Phê duyệt kế hoạch ứng phó sự cố bức xạ cấp cơ sở (X-ray): the plan itself is an attachment of
    the dossier; approving the dossier records the plan in the register as approved."""

    key = RESPONSE_PLAN
    label = gettext_lazy("Facility radiation emergency response plan (approval)")

    def payload_form_class(self, *, user, organization):
        return _PlanForm

    def clean_payload(self, payload, *, organization, version):
        facility = _get(Facility, payload.get("facility"), organization=organization)
        if facility is None:
            raise ValidationError({"facility": [_("Choose one of your X-ray facilities.")]})
        code = str(payload.get("code") or "").strip()
        plan_version = str(payload.get("plan_version") or "").strip() or "1.0"
        if not code:
            raise ValidationError({"code": [_("Give the plan's code as printed on its cover page.")]})
        if ResponsePlan.objects.filter(
            facility=facility, code__iexact=code, plan_version__iexact=plan_version, status=PlanStatus.APPROVED
        ).exists():
            raise ValidationError({"plan_version": [_("This version of the plan is already approved.")]})
        return {"facility": str(facility.public_id), "code": code, "plan_version": plan_version}

    def payload_display(self, dossier):
        facility = _get(Facility, dossier.payload.get("facility"), organization=None)
        return [
            (str(gettext_lazy("Facility")), facility.name if facility else ""),
            (
                str(gettext_lazy("Response plan")),
                f"{dossier.payload.get('code')} v{dossier.payload.get('plan_version')}",
            ),
        ]

    def result_body(self, dossier, *, issued_on):
        facility = _get(Facility, dossier.payload["facility"], organization=None)
        return (
            Block(
                f"Phê duyệt Kế hoạch ứng phó sự cố bức xạ cấp cơ sở số hiệu {dossier.payload['code']}, "
                f"phiên bản {dossier.payload['plan_version']} của {facility.name}.",
                BlockStyle.ITEM,
                lead="Điều 1.",
            ),
            Block(
                f"{facility.name} có trách nhiệm tổ chức thực hiện, diễn tập và cập nhật kế hoạch theo quy định.",
                BlockStyle.ITEM,
                lead="Điều 2.",
            ),
        )

    def apply_result(self, dossier, *, actor, document) -> None:
        from opendost.radiation import services

        facility = _get(Facility, dossier.payload["facility"], organization=None)
        code, plan_version = dossier.payload["code"], dossier.payload["plan_version"]
        plan = ResponsePlan.objects.filter(
            facility=facility, code__iexact=code, plan_version__iexact=plan_version
        ).first() or services.plan_create(actor=actor, facility=facility, code=code, plan_version=plan_version)
        if plan.status in {PlanStatus.DRAFT, PlanStatus.RETURNED}:
            received = dossier.received_at.date() if dossier.received_at else document.issued_on
            plan = services.plan_submit(actor=actor, plan=plan, submitted_on=received)
        services.response_plan_approve(actor=actor, plan=plan, approved_on=document.issued_on, document=document)


def register_all() -> None:
    for handler in (
        NewLicenceHandler(),
        RenewalHandler(),
        AmendmentHandler(),
        ReissueHandler(),
        ResponsePlanHandler(),
    ):
        register(handler)
