from django import forms
from django.utils.translation import gettext_lazy as _

from opendost.imports.reader import EXTENSIONS


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) or CSV (UTF-8)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS), "class": "form-control"}),
    )
    check_only = forms.BooleanField(
        label=_("Check only: validate every row and count the changes, but import nothing"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    import_again = forms.BooleanField(
        label=_("Import again even if this file was already imported"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
