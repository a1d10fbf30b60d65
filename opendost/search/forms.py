from django import forms
from django.utils.translation import gettext_lazy as _

from opendost.search.text import MAX_QUERY_CHARS


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=MAX_QUERY_CHARS,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control", "autofocus": True}),
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
    )
