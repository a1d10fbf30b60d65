"""Input forms of the subject register. They parse and check input; services write.

The address selects depend on each other (province -> district, pre-2025 units only -> commune).
Without JavaScript the form still works: the district and commune lists are filtered by the
province (and district) posted, and the "Update address choices" button re-shows the form with
those lists without saving. With htmx, the selects refresh themselves from the geography option
endpoints when those exist (see `_address_htmx_attrs`).
"""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendost.classifications.models import ClassificationNode
from opendost.common.locking import VERSION_FIELDS, VersionedFormMixin
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit
from opendost.subjects.enums import ContactRole
from opendost.subjects.filters import ProvinceChoiceField, field_choices, field_label
from opendost.subjects.models import Organization, OrganizationContact, Person

REFRESH_ADDRESS = "refresh_address"


def _options_attrs(level: str, parents: list[str]) -> dict[str, str]:
    """htmx: refill this select from the geography option endpoint when a parent select changes."""
    return {
        "hx-get": reverse("geography:unit_options") + f"?level={level}",
        "hx-trigger": ", ".join(f"change from:#id_{p}" for p in parents),
        "hx-include": ", ".join(f"#id_{p}" for p in parents),
        "hx-target": "this",
        "hx-swap": "innerHTML",
    }


def _unit_pk(value) -> int | None:
    if isinstance(value, AdminUnit):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class FieldsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ClassificationNode) -> str:
        return field_label(obj)


def _fields_field() -> FieldsChoiceField:
    return FieldsChoiceField(
        label=_("S&T fields"),
        queryset=field_choices(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class BootstrapMixin:
    """Bootstrap 5 classes on every widget, and aria-invalid on fields with errors."""

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self._errors:
            if name in self.fields:
                _mark_invalid(self.fields[name].widget)


def _mark_invalid(widget) -> None:
    widget.attrs["aria-invalid"] = "true"
    if "is-invalid" not in widget.attrs.get("class", ""):
        widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


class AddressFormMixin:
    """Province / district / commune selects whose choices follow the province and district posted."""

    def _setup_address(self) -> None:
        province_pk = _unit_pk(self._value("province"))
        district_pk = _unit_pk(self._value("district"))
        province = AdminUnit.objects.filter(pk=province_pk, level=AdminLevel.PROVINCE).first()
        self.fields["province"] = ProvinceChoiceField(
            label=_("Province / city"),
            queryset=AdminUnit.objects.provinces().order_by("code_set", "name"),
            required=False,
        )
        districts = AdminUnit.objects.none()
        communes = AdminUnit.objects.none()
        if province is not None:
            if province.code_set == CodeSet.PRE_2025:
                districts = AdminUnit.objects.filter(level=AdminLevel.DISTRICT, parent=province)
            communes = AdminUnit.objects.filter(level=AdminLevel.COMMUNE, code_set=province.code_set).filter(
                Q(province=province) | Q(parent=province) | Q(parent__parent=province)
            )
            if district_pk and province.code_set == CodeSet.PRE_2025:
                communes = communes.filter(parent_id=district_pk)
        self.fields["district"] = forms.ModelChoiceField(
            label=_("District (before 1 July 2025 only)"),
            queryset=districts.order_by("name"),
            required=False,
            error_messages={"invalid_choice": _("This district is not in the chosen province.")},
            widget=forms.Select(attrs=_options_attrs("district", ["province"])),
        )
        self.fields["commune"] = forms.ModelChoiceField(
            label=_("Commune / ward"),
            queryset=communes.order_by("name"),
            required=False,
            error_messages={"invalid_choice": _("This commune is not in the chosen province or district.")},
            widget=forms.Select(attrs=_options_attrs("commune", ["province", "district"])),
        )

    def _value(self, name: str):
        if self.is_bound:
            return self.data.get(self.add_prefix(name))
        if name in self.initial:
            return self.initial[name]
        instance = getattr(self, "instance", None)
        return getattr(instance, f"{name}_id", None) if instance is not None else None


class OrganizationForm(VersionedFormMixin, BootstrapMixin, AddressFormMixin, forms.ModelForm):
    tax_code = forms.CharField(
        label=_("Tax / enterprise code"),
        max_length=20,
        required=False,
        help_text=_("10 digits, or 10 digits, a dash and 3 digits for a branch."),
    )

    class Meta:
        model = Organization
        fields = [
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
            "fields",
            "note",
        ]
        widgets = {
            # Text, not type="date": a native date picker shows the browser's locale (mm/dd/yyyy in
            # an English browser); users type dd/mm/yyyy (DATE_INPUT_FORMATS of opendost.formats.vi).
            "established_on": forms.DateInput(
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
                format="%d/%m/%Y",
            ),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_address()
        self.fields["fields"] = _fields_field()
        # dd/mm/yyyy in every UI language: the English locale would read 05/06/2001 as 6 May.
        self.fields["established_on"].input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
        self._style()

    def _post_clean(self) -> None:
        """Model rules are the service's job (it reports them per field); skip ModelForm's copy."""


class PersonForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    citizen_id = forms.CharField(
        label=_("Citizen ID number"),
        max_length=20,
        required=False,
        help_text=_("12 digits. Stored for identification only and always shown masked."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    clear_citizen_id = forms.BooleanField(label=_("Remove the citizen ID number"), required=False)

    class Meta:
        model = Person
        fields = [
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
        ]

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )
        self.fields["fields"] = _fields_field()
        self.fields["birth_year"].widget.attrs.update({"min": 1900, "inputmode": "numeric"})
        if self.instance.pk:
            # The stored number is never sent back to the browser: blank keeps it.
            self.initial["citizen_id"] = ""
            if self.instance.citizen_id:
                self.fields["citizen_id"].help_text = _(
                    "Stored: %(masked)s. Leave blank to keep it, or type a new number."
                ) % {"masked": self.instance.citizen_id_masked}
            else:
                del self.fields["clear_citizen_id"]
        else:
            del self.fields["clear_citizen_id"]
        self._style()

    def _post_clean(self) -> None:
        """Model rules are the service's job (it reports them per field); skip ModelForm's copy."""

    def service_data(self) -> dict:
        """cleaned_data as service keyword arguments; on edit, a blank citizen ID keeps the stored one."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"clear_citizen_id", *VERSION_FIELDS}}
        if self.instance.pk:
            if self.cleaned_data.get("clear_citizen_id"):
                data["citizen_id"] = ""
            elif not data.get("citizen_id"):
                data.pop("citizen_id", None)
        return data


class ContactForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = OrganizationContact
        fields = ["role", "person", "full_name", "position", "phone", "email"]

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = ContactRole.choices
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        self.fields["person"].required = False
        self.fields["person"].label = _("Registered person")
        self.fields["person"].help_text = _("People of this organisation in the register; or type a name below.")
        self.fields["full_name"].required = False
        self._style()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person") and not (cleaned.get("full_name") or "").strip():
            self.add_error("full_name", _("Enter a name or choose a registered person."))
        return cleaned

    def _post_clean(self) -> None:
        """Model rules are the service's job; skip ModelForm's copy."""


def initial_from_post(form_class: type[forms.BaseForm], data, **kwargs) -> dict:
    """The typed values as `initial` of an unbound form (re-showing a form without its errors)."""
    initial = {}
    for name, field in form_class(**kwargs).fields.items():
        if isinstance(field.widget, forms.SelectMultiple):
            initial[name] = data.getlist(name)
        elif isinstance(field.widget, forms.CheckboxInput):
            initial[name] = name in data
        elif name in data:
            initial[name] = data.get(name)
    return initial
