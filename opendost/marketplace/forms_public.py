"""The public exchange's search and filter form (GET). A value that does not validate is ignored,
so a shared or hand-edited link still shows a list, never an error page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opendost.common.text import normalize
from opendost.marketplace import selectors_public
from opendost.marketplace.enums import IpStatus, ListingKind, TransferMode

TRL_CHOICES = [("", "—"), *((str(n), str(n)) for n in range(1, 10))]
YES_NO = [("", _("Any")), ("yes", _("Negotiable")), ("no", _("Indicative price given"))]


class FieldChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{'· ' * max(obj.level - 1, 0)}{obj.name}"


class ProvinceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ListingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *ListingKind.choices], required=False)
    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    field = FieldChoice(label=_("S&T field"), queryset=None, required=False, empty_label=_("Any"))
    province = ProvinceChoice(label=_("Province"), queryset=None, required=False, empty_label=_("Any"))
    trl_min = forms.TypedChoiceField(
        label=_("Readiness level from"), choices=TRL_CHOICES, coerce=int, empty_value=None, required=False
    )
    trl_max = forms.TypedChoiceField(
        label=_("Readiness level up to"), choices=TRL_CHOICES, coerce=int, empty_value=None, required=False
    )
    ip_status = forms.ChoiceField(label=_("IP status"), choices=[("", _("Any")), *IpStatus.choices], required=False)
    transfer_mode = forms.ChoiceField(
        label=_("Transfer mode"), choices=[("", _("Any")), *TransferMode.choices], required=False
    )
    price = forms.ChoiceField(label=_("Price"), choices=YES_NO, required=False)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = selectors_public.field_options(today=today)
        self.fields["province"].queryset = selectors_public.province_options(today=today)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"

    def filters(self) -> selectors_public.ListingFilters:
        """The valid part of the request's filters (an invalid value is dropped, not an error)."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        price = data.get("price") or ""
        return selectors_public.ListingFilters(
            kind=data.get("kind") or "",
            query=normalize(data.get("q") or ""),
            field=data.get("field"),
            province=data.get("province"),
            trl_min=data.get("trl_min"),
            trl_max=data.get("trl_max"),
            ip_status=data.get("ip_status") or "",
            transfer_mode=data.get("transfer_mode") or "",
            price_negotiable={"yes": True, "no": False}.get(price),
        )


class SavedSearchForm(forms.Form):
    """Keep a search of the exchange; the criteria come filled from the list the user was looking at."""

    name = forms.CharField(label=_("Name of the search"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *ListingKind.choices], required=False)
    query = forms.CharField(label=_("Words"), max_length=300, required=False)
    field = FieldChoice(label=_("S&T field"), queryset=None, required=False, empty_label=_("Any"))
    province = ProvinceChoice(label=_("Province"), queryset=None, required=False, empty_label=_("Any"))
    min_readiness_level = forms.TypedChoiceField(
        label=_("Readiness level at least"), choices=TRL_CHOICES, coerce=int, empty_value=None, required=False
    )
    alerts = forms.BooleanField(label=_("Alert me of new listings"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields, provinces = selectors_public.search_options()
        self.fields["field"].queryset = fields
        self.fields["province"].queryset = provinces
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"

    @classmethod
    def initial_from(cls, params) -> dict:
        """The criteria of the public list's query string (?kind=&q=&field=&province=&trl_min=)."""
        initial = {
            "kind": params.get("kind", ""),
            "query": params.get("q", "")[:300],
            "field": params.get("field") or None,
            "province": params.get("province") or None,
            "min_readiness_level": params.get("trl_min") or None,
            "alerts": True,
        }
        initial["name"] = initial["query"][:150]
        return initial
