from django import forms
from django.utils.translation import gettext_lazy as _

from opendost.calendars.enums import OverrideKind
from opendost.calendars.models import CalendarOverride

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class CalendarOverrideForm(forms.Form):
    """Set (add or replace) the override of one date. Not a ModelForm: setting a date that already
    has an override replaces it, which a ModelForm's uniqueness check would refuse."""

    date = forms.DateField(
        label=_("Date"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=OverrideKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=CalendarOverride._meta.get_field("name").max_length,
        help_text=_("For example: Make-up working day for the day off on 31/08/2026."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=CalendarOverride._meta.get_field("legal_basis").max_length,
        required=False,
        help_text=_("For example: Notice No. 9441/TB-BNV of 16/10/2025."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name
