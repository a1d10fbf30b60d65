"""Input forms of the radiation register: they parse input; services check the rules and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opendost.radiation.enums import DeviceStatus
from opendost.radiation.models import (
    Device,
    Facility,
    MeasurementPoint,
    RadiationWorker,
    Reading,
    ResponsePlan,
    SafetyCertificate,
)
from opendost.subjects.forms import AddressFormMixin, BootstrapMixin

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _date_widget() -> forms.DateInput:
    # Text, not type="date": users type dd/mm/yyyy whatever the browser's locale (as opendost.subjects).
    return forms.DateInput(
        attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}, format="%d/%m/%Y"
    )


def date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, widget=_date_widget(), help_text=help_text
    )


class _DatesMixin:
    """dd/mm/yyyy for every date field of a ModelForm, whatever the UI language."""

    def _dates(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                field.input_formats = DATE_FORMATS
                field.widget = _date_widget()

    def _post_clean(self) -> None:
        """Model rules are the service's job (it reports them per field); skip ModelForm's copy."""


class FacilityForm(_DatesMixin, BootstrapMixin, AddressFormMixin, forms.ModelForm):
    class Meta:
        model = Facility
        fields = [
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
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations if organizations is not None else Facility.objects.none()
        self.fields["name"].required = False
        self.fields["name"].help_text = _("As on the licence; blank takes the organisation's name.")
        self._setup_address()
        self._style()


class DeviceForm(_DatesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Device
        fields = [
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
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._dates()
        self._style()


class DeviceTransitionForm(BootstrapMixin, forms.Form):
    on = date_field(_("Date"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class DeviceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Device) -> str:
        room = f" — {obj.room}" if obj.room else ""
        return f"{obj}{room}"


class LicenceForm(BootstrapMixin, forms.Form):
    """Records a licence in the register (one issued on paper, or before the register existed).
    Licences issued through the one-stop procedures are written by the dossier engine."""

    number = forms.CharField(
        label=_("Licence number"), max_length=60, required=False, help_text=_("Blank: the next number of the series.")
    )
    devices = DeviceChoiceField(
        label=_("Devices covered"), queryset=Device.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    work_scope = forms.CharField(label=_("Radiation work"), widget=forms.Textarea(attrs={"rows": 2}))
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    issued_on = date_field(_("Issued on"))
    valid_until = date_field(
        _("Valid until"),
        required=False,
        help_text=_("Blank: three years from the date of issue (NĐ 142/2020, Art. 37)."),
    )
    issuer_name = forms.CharField(
        label=_("Issuing body as printed"),
        max_length=255,
        required=False,
        help_text=_("Blank: the department in office on the date of issue."),
    )

    def __init__(self, *args, facility=None, **kwargs):
        super().__init__(*args, **kwargs)
        if facility is not None:
            self.fields["devices"].queryset = facility.devices.exclude(status=DeviceStatus.DECOMMISSIONED).order_by(
                "pk"
            )
        self._style()
        self.fields["devices"].widget.attrs["class"] = "form-check-input"


class LicenceRevokeForm(BootstrapMixin, forms.Form):
    on = date_field(_("Revoked on"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class WorkerForm(_DatesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = RadiationWorker
        fields = ["person", "full_name", "job_title", "is_safety_officer", "left_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else RadiationWorker.objects.none()
        self.fields["person"].help_text = _("A person of the register; or type a name below.")
        self.fields["full_name"].required = False
        self._dates()
        self._style()


class CertificateForm(_DatesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SafetyCertificate
        fields = ["number", "issued_on", "issuer", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._dates()
        self._style()


class PlanForm(_DatesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ResponsePlan
        fields = ["code", "plan_version", "page_count", "effective_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._dates()
        self._style()


class PlanActionForm(BootstrapMixin, forms.Form):
    """Submit / approve (a date) or return (a reason) a response plan."""

    on = date_field(_("Date"), required=False)
    reason = forms.CharField(label=_("What must be revised"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class PointForm(_DatesMixin, BootstrapMixin, AddressFormMixin, forms.ModelForm):
    class Meta:
        model = MeasurementPoint
        fields = [
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
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, facilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities if facilities is not None else Facility.objects.none()
        self._setup_address()
        self._style()


class ReadingForm(_DatesMixin, BootstrapMixin, forms.ModelForm):
    measured_at = forms.DateTimeField(
        label=_("Measured at"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"}),
    )

    class Meta:
        model = Reading
        fields = ["measured_at", "dose_rate", "instrument", "measured_by", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
