from django import forms
from django.utils.translation import gettext_lazy as _

from opendost.common.locking import VersionedFormMixin
from opendost.planning.enums import TargetArea
from opendost.planning.models import ManualValue
from opendost.subjects.forms import BootstrapMixin


class ManualValueForm(forms.ModelForm):
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", _("Whole year")), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = ManualValue
        fields = ["year", "quarter", "value", "source_document"]
        widgets = {"source_document": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


# EDITING THE PLAN --------------------------------------------------------------------------------
# Plain forms with their fields listed; the services check the rules (and the versions).
class _Styled(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


def _year_field(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=2000, max_value=2100)


def _decimal(label, *, required=False, places=4) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=18, decimal_places=places)


class PlanForm(VersionedFormMixin, _Styled):
    code = forms.SlugField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=500)
    start_year = _year_field(_("First year"))
    end_year = _year_field(_("Last year"))
    legal_basis = forms.CharField(label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    document_ref = forms.CharField(label=_("Plan document"), max_length=255, required=False)

    def __init__(self, *args, instance, **kwargs):
        initial = {name: getattr(instance, name) for name in ("code", "title", "start_year", "end_year")}
        initial |= {"legal_basis": instance.legal_basis, "document_ref": instance.document_ref}
        super().__init__(*args, instance=instance, initial=initial, **kwargs)


class PlanCopyForm(_Styled):
    code = forms.SlugField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=500)
    start_year = _year_field(_("First year"))
    end_year = _year_field(_("Last year"))


class TargetForm(VersionedFormMixin, _Styled):
    """A target with one field per year of the plan (`year_2026`...), gathered into `yearly_values`."""

    code = forms.SlugField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=500)
    area = forms.ChoiceField(label=_("Area"), choices=TargetArea.choices)
    indicator_key = forms.ChoiceField(
        label=_("Indicator"),
        required=False,
        help_text=_("Empty: the values are entered and approved by hand."),
    )
    unit = forms.CharField(label=_("Unit of measure"), max_length=60)
    baseline_value = _decimal(_("Baseline"))
    baseline_label = forms.CharField(label=_("Baseline period"), max_length=40, required=False)
    target_min = _decimal(_("Target (minimum)"))
    target_max = _decimal(_("Target (maximum)"))
    source_text = forms.CharField(
        label=_("Source of the baseline and target"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=255, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)
    versioned_fields = [
        "code", "title", "area", "indicator_key", "unit", "baseline_value", "baseline_label", "target_min",
        "target_max", "yearly_values", "source_text", "responsible_unit", "position",
    ]  # fmt: skip

    def __init__(self, *args, plan, instance=None, **kwargs):
        from opendost.planning import indicators

        self.plan = plan
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial |= {name: getattr(instance, name) for name in self.versioned_fields if name != "yearly_values"}
            initial |= {f"year_{y}": v for y, v in (instance.yearly_values or {}).items()}
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        self.fields["indicator_key"].choices = [("", _("Entered by hand"))] + [
            (key, f"{indicator.name} ({key})") for key, indicator in indicators.REGISTRY.items()
        ]
        for year in plan.years:
            field = _decimal(_("Value for %(year)s") % {"year": year})
            field.widget.attrs["class"] = "form-control"
            self.fields[f"year_{year}"] = field

    def year_fields(self):
        return [self[f"year_{year}"] for year in self.plan.years]

    def clean(self):
        cleaned = super().clean()
        cleaned["yearly_values"] = {
            str(year): cleaned.get(f"year_{year}")
            for year in self.plan.years
            if cleaned.get(f"year_{year}") is not None
        }
        return cleaned

    def service_data(self) -> dict:
        """The target's fields for the services (the years gathered, the form's own fields left out)."""
        return {
            name: self.cleaned_data[name] if name != "indicator_key" else self.cleaned_data[name] or ""
            for name in self.versioned_fields
        }


class BudgetLineForm(VersionedFormMixin, _Styled):
    code = forms.SlugField(label=_("Code"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=500)
    parent = forms.ModelChoiceField(label=_("Parent line"), queryset=None, required=False)
    amount_million = forms.DecimalField(
        label=_("Amount stated (million VND)"), min_value=0, max_digits=18, decimal_places=2
    )
    source_key = forms.ChoiceField(
        label=_("Spending counted"),
        required=False,
        help_text=_("Which task funding is counted as this line's commitments and disbursements."),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)
    versioned_fields = ["code", "title", "parent", "amount_million", "source_key", "position"]

    def __init__(self, *args, plan, instance=None, **kwargs):
        from opendost.planning import budget

        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial |= {name: getattr(instance, name) for name in self.versioned_fields if name != "parent"}
            initial["parent"] = instance.parent_id
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        lines = plan.budget_lines.order_by("position", "pk")
        if instance is not None:
            lines = lines.exclude(pk__in=[line.pk for line in budget.descendants(plan, instance)])
        self.fields["parent"].queryset = lines
        self.fields["source_key"].choices = budget.source_choices()

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.versioned_fields}
        data["source_key"] = data["source_key"] or ""
        return data


class AllocationForm(_Styled):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    amount_million = forms.DecimalField(
        label=_("Amount allocated (million VND)"),
        max_digits=18,
        decimal_places=2,
        help_text=_("A negative amount records a cut."),
    )
    source_document = forms.CharField(
        label=_("Source document"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The decision that allocates the money: number, date, issuer."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in plan.years]


class DeleteForm(VersionedFormMixin, forms.Form):
    """Only the version the user saw: a record changed meanwhile is not deleted."""
