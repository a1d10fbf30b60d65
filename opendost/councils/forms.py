"""Input forms of councils. They parse and check input; services write and check the rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from opendost.councils.enums import CouncilPurpose, MemberRole, Vote
from opendost.councils.models import Council, CouncilItem, CouncilMember, Criterion
from opendost.councils.rules import rule_set_choices
from opendost.subjects.forms import BootstrapMixin

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class CouncilForm(BootstrapMixin, forms.ModelForm):
    rules_version = forms.ChoiceField(
        label=_("Rule set"),
        required=False,
        help_text=_("Leave empty for the rule set in force today for the purpose."),
    )

    class Meta:
        model = Council
        fields = ["purpose", "name", "rules_version", "meeting_on", "meeting_place", "note"]
        widgets = {
            "meeting_on": forms.DateInput(
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}, format="%d/%m/%Y"
            ),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rules_version"].choices = [("", "—"), *rule_set_choices()]
        self.fields["meeting_on"].input_formats = DATE_INPUT_FORMATS
        self._style()

    def _post_clean(self) -> None:
        """Model rules are the service's job (it reports them per field)."""


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        organization = f" – {obj.organization.name}" if obj.organization_id else ""
        return f"{obj.full_name}{organization}"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_full_name()} ({obj.username})"


class MemberForm(BootstrapMixin, forms.ModelForm):
    """Seat an expert of the register; the account is optional (a member without one votes on paper)."""

    class Meta:
        model = CouncilMember
        fields = ["person", "role", "user"]

    def __init__(self, *args, people, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonChoiceField(label=_("Expert"), queryset=people)
        self.fields["role"].choices = MemberRole.choices
        self.fields["user"] = UserChoiceField(
            label=_("User account"),
            queryset=users,
            required=False,
            help_text=_("The account the member logs in with to declare conflicts and score."),
        )
        self._style()

    def _post_clean(self) -> None:
        """The service checks the council's rules (one chair, a person once)."""


class ItemForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = CouncilItem
        fields = ["title", "group"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def _post_clean(self) -> None:
        """The service checks the item."""


class CriterionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["code", "name", "max_score", "weight"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weight"].initial = Decimal(1)
        self._style()

    def _post_clean(self) -> None:
        """The service checks the code's uniqueness and the ranges."""


class AssignmentForm(BootstrapMixin, forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=_("Items the member scores"),
        queryset=CouncilItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items


class ConflictForm(BootstrapMixin, forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this item?"),
        choices=[("no", _("No, I have no conflict of interest")), ("yes", _("Yes, I have a conflict of interest"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you declare a conflict (e.g. you work for the applicant)."),
    )


class ScoreSheetForm(BootstrapMixin, forms.Form):
    """One field per criterion of the council (`score_<code>`, 0..max), the vote when the rule set
    takes one, and a comment."""

    comment = forms.CharField(
        label=_("Comments"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria, vote_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.code}"] = forms.DecimalField(
                label=f"{criterion.code}. {criterion.name}",
                min_value=0,
                max_value=criterion.max_score,
                decimal_places=2,
                max_digits=6,
                help_text=_("From 0 to %(max)s points.") % {"max": criterion.max_score},
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
        if vote_choices:
            self.fields["vote"] = forms.ChoiceField(
                label=_("Overall vote"),
                choices=[(str(v), Vote(v).label) for v in vote_choices],
                widget=forms.RadioSelect,
            )
        self.order_fields([*(f"score_{c.code}" for c in self.criteria), "vote", "comment"])
        self._style()
        if "vote" in self.fields:
            self.fields["vote"].widget.attrs["class"] = "form-check-input"

    @property
    def score_fields(self):
        return [self[f"score_{c.code}"] for c in self.criteria]

    def scores(self) -> dict:
        return {c.code: self.cleaned_data[f"score_{c.code}"] for c in self.criteria}


class CouncilFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=[("", "—"), *CouncilPurpose.choices])
