"""Input forms of the listings. They parse input; services.py checks the rules and writes.

One form serves the four kinds: the fields of the other kinds are dropped (`KIND_FIELDS`), and the
owner fields are shown to officers only (an applicant posts for its own organisation). Dates are typed
dd/mm/yyyy; amounts are whole đồng.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendost.common.locking import VersionedFormMixin
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit
from opendost.marketplace.enums import (
    CaptureChannel,
    EquipmentMode,
    IpStatus,
    ListingKind,
    ServiceType,
    TransferMode,
)
from opendost.subjects.filters import FieldChoiceField, ProvinceChoiceField, field_choices
from opendost.subjects.forms import BootstrapMixin

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]

COMMON_HEAD = ["title", "summary", "keywords", "field", "sector"]
COMMON_TAIL = [
    "contact_name",
    "contact_email",
    "contact_phone",
    "province",
    "commune",
    "location_text",
    "valid_from",
    "valid_until",
]
KIND_FIELDS = {
    ListingKind.OFFER: ["readiness_level", "ip_status", "transfer_modes", "price_vnd", "price_negotiable"],
    ListingKind.NEED: ["expected_result", "budget_min_vnd", "budget_max_vnd", "needed_by"],
    ListingKind.EQUIPMENT: ["equipment_mode", "price_vnd", "price_negotiable"],
    ListingKind.SERVICE: ["service_type", "price_vnd", "price_negotiable"],
}
OWNER_FIELDS = ["owner_organization", "owner_person"]


def date_field(label, *, required: bool = False, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )


def amount_field(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, widget=forms.NumberInput(attrs={"step": 1}))


def text_area(label, *, required=False, rows=4, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


def _blank(choices) -> list:
    return [("", "—"), *choices]


class StyledForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ListingForm(VersionedFormMixin, StyledForm):
    """The fields of one kind of listing. `organizations` / `people` (querysets of the department's
    register) make the owner selectable (officers); without them the owner fields are dropped."""

    owner_organization = forms.ModelChoiceField(
        label=_("Owner (organisation)"), queryset=AdminUnit.objects.none(), required=False
    )
    owner_person = forms.ModelChoiceField(label=_("Owner (person)"), queryset=AdminUnit.objects.none(), required=False)
    capture_channel = forms.ChoiceField(label=_("Captured at"), choices=_blank(CaptureChannel.choices), required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = text_area(_("Summary"), required=True, rows=6)
    keywords = forms.CharField(
        label=_("Keywords"), max_length=500, required=False, help_text=_("Separated by semicolons.")
    )
    field = FieldChoiceField(label=_("S&T field"), queryset=field_choices(), required=False)
    sector = forms.CharField(label=_("Sector"), max_length=200, required=False)
    readiness_level = forms.TypedChoiceField(
        label=_("Technology readiness level"),
        choices=_blank([(n, str(n)) for n in range(1, 10)]),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("1: basic principles observed … 9: proven in operation."),
    )
    ip_status = forms.ChoiceField(label=_("IP status"), choices=_blank(IpStatus.choices), required=False)
    transfer_modes = forms.MultipleChoiceField(
        label=_("Transfer modes"), choices=TransferMode.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    price_vnd = amount_field(_("Indicative price (VND)"))
    price_negotiable = forms.BooleanField(label=_("Price negotiable"), required=False)
    equipment_mode = forms.ChoiceField(
        label=_("Equipment offered"), choices=_blank(EquipmentMode.choices), required=False
    )
    service_type = forms.ChoiceField(label=_("Service"), choices=_blank(ServiceType.choices), required=False)
    expected_result = text_area(_("Expected result"), rows=3)
    budget_min_vnd = amount_field(_("Budget from (VND)"))
    budget_max_vnd = amount_field(_("Budget up to (VND)"))
    needed_by = date_field(_("Needed by"))
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    province = ProvinceChoiceField(label=_("Province / city"), queryset=AdminUnit.objects.none(), required=False)
    commune = forms.ModelChoiceField(
        label=_("Commune / ward"),
        queryset=AdminUnit.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("This commune is not in the chosen province.")},
    )
    location_text = forms.CharField(label=_("Location (as written)"), max_length=255, required=False)
    valid_from = date_field(_("Valid from"), help_text=_("Empty: from the day it is published."))
    valid_until = date_field(_("Valid until"), help_text=_("Empty: 12 months after publication."))

    def __init__(
        self,
        *args,
        kind: str,
        instance=None,
        organizations=None,
        people=None,
        capture: bool = False,
        **kwargs,
    ):
        self.kind = ListingKind(kind)
        names = [*COMMON_HEAD, *KIND_FIELDS[self.kind], *COMMON_TAIL]
        if organizations is not None:
            names = [*OWNER_FIELDS, *names]
        if capture:
            names = ["owner_organization", "capture_channel", *[n for n in names if n not in OWNER_FIELDS]]
        if instance is not None:
            initial = {
                n: getattr(instance, n) for n in names if n not in ("field", "province", "commune", *OWNER_FIELDS)
            }
            for name in ("field", "province", "commune", *OWNER_FIELDS):
                if name in names:
                    initial[name] = getattr(instance, f"{name}_id")
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        self.versioned_fields = [n for n in names if n != "capture_channel" or capture]
        super().__init__(*args, instance=instance, **kwargs)
        for name in [n for n in list(self.fields) if n not in names and n not in ("version", "original")]:
            del self.fields[name]
        if "owner_organization" in self.fields:
            self.fields["owner_organization"].queryset = organizations
            self.fields["owner_organization"].required = capture
        if "owner_person" in self.fields:
            self.fields["owner_person"].queryset = people
        if capture:
            self.fields["capture_channel"].required = True
            self.fields["owner_organization"].label = _("Enterprise")
        self._setup_address(instance)
        if self.kind == ListingKind.NEED:
            self.fields["summary"].label = _("Problem to solve")

    def _setup_address(self, instance) -> None:
        self.fields["province"].queryset = AdminUnit.objects.provinces().in_set(CodeSet.CURRENT).order_by("name")
        province_id = self.data.get(self.add_prefix("province")) if self.is_bound else None
        if not self.is_bound and instance is not None:
            province_id = instance.province_id
        communes = AdminUnit.objects.none()
        try:
            province_id = int(province_id) if province_id else None
        except (TypeError, ValueError):
            province_id = None
        if province_id:
            communes = AdminUnit.objects.filter(level=AdminLevel.COMMUNE, province_id=province_id).order_by("name")
        self.fields["commune"].queryset = communes
        self.fields["commune"].widget.attrs.update(
            {
                "hx-get": reverse("geography:unit_options") + f"?level={AdminLevel.COMMUNE}",
                "hx-trigger": f"change from:#{self['province'].auto_id}",
                "hx-include": f"#{self['province'].auto_id}",
                "hx-target": "this",
                "hx-swap": "innerHTML",
            }
        )

    def clean_transfer_modes(self) -> list[str]:
        return list(self.cleaned_data.get("transfer_modes") or [])

    def service_data(self) -> dict:
        """cleaned_data as keyword arguments of listing_create / listing_update."""
        data = self.data_without_version()
        for name in ("title", "summary", "keywords", "sector", "expected_result", "location_text"):
            if name in data and data[name] is None:
                data[name] = ""
        for name in ("ip_status", "equipment_mode", "service_type", "capture_channel"):
            if name in data and data[name] is None:
                data[name] = ""
        return data


class ReturnForm(StyledForm):
    reason = text_area(_("Reasons for returning"), required=True, rows=3)


class WithdrawForm(StyledForm):
    reason = text_area(_("Reason (optional)"), rows=2)


class RenewForm(StyledForm):
    valid_until = date_field(_("New end of the validity period"), required=True)


class ListingFileForm(StyledForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Images: jpg, png, webp (5 MB at most). Documents: pdf, docx, xlsx (20 MB at most)."),
    )
