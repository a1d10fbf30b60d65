from django import forms
from django.utils.translation import gettext_lazy as _

from opendost.planning.models import ManualValue


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
