"""Input forms of the task procedure. They parse and check input; the services write.

Dates are typed dd/mm/yyyy (text inputs: a native date picker would show the browser's locale).
Amounts are whole đồng.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from opendost.classifications.models import ClassificationNode
from opendost.common.locking import VersionedFormMixin
from opendost.projects.enums import (
    AcceptanceLevel,
    AmendmentKind,
    AssignmentMode,
    CheckConclusion,
    Classification,
    ResultType,
    TaskKind,
    TaskLevel,
)
from opendost.subjects.filters import FieldChoiceField, field_choices
from opendost.subjects.forms import BootstrapMixin

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M"]


def date_field(label, required=True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        **kwargs,
    )


def amount_field(label, required=False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=required, min_value=0, initial=0, widget=forms.NumberInput(attrs={"step": 1000000})
    )


def text_area(label, required=True, rows=4) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class StyledForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


def _field_select(required=False) -> FieldChoiceField:
    return FieldChoiceField(label=_("S&T field"), queryset=field_choices(), required=required)


class ProposalForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=500)
    problem = text_area(_("Problem to solve"))
    objectives = text_area(_("Objectives"))
    expected_results = text_area(_("Expected results"))
    field = _field_select()
    estimated_budget = amount_field(_("Estimated budget (VND)"))


class StaffProposalForm(ProposalForm):
    proposer_organization = forms.ModelChoiceField(label=_("Proposing organisation"), queryset=None, required=False)
    proposer_name = forms.CharField(
        label=_("Or the proposing commune, agency or person"), max_length=255, required=False
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer_organization"].queryset = organizations


class RejectForm(StyledForm):
    reason = text_area(_("Reason"), rows=3)


class GroupForm(StyledForm):
    proposal_round = forms.ModelChoiceField(label=_("Round"), queryset=None)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal_round"].queryset = rounds


class RoundForm(StyledForm):
    year = forms.IntegerField(label=_("Year of the tasks"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=255)
    closes_on = date_field(_("Proposals close on"), required=False)


class TaskForm(StyledForm):
    code = forms.CharField(label=_("Code"), max_length=40, required=False, help_text=_("Left blank: NV.<year>.<n>."))
    title = forms.CharField(label=_("Title"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=TaskLevel.choices)
    assignment_mode = forms.ChoiceField(label=_("Assignment mode"), choices=AssignmentMode.choices)
    field = _field_select()
    objectives = text_area(_("Objectives"), required=False)
    expected_products = text_area(_("Expected products"), required=False)


class TaskEditForm(VersionedFormMixin, StyledForm):
    """The descriptive data of a task (services_edit.TASK_FIELDS); level and assignment mode only
    while it is ordered (the view drops them otherwise)."""

    title = forms.CharField(label=_("Title"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=TaskLevel.choices)
    assignment_mode = forms.ChoiceField(label=_("Assignment mode"), choices=AssignmentMode.choices)
    field = _field_select()
    objectives = text_area(_("Objectives"), required=False)
    expected_products = text_area(_("Expected products"), required=False)
    note = text_area(_("Note"), required=False, rows=2)

    def __init__(self, *args, instance, editable, **kwargs):
        initial = {name: getattr(instance, name) for name in editable if name != "field"}
        initial["field"] = instance.field_id
        self.versioned_fields = sorted(editable)
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        for name in [n for n in self.fields if n not in editable and n not in ("version", "original")]:
            del self.fields[name]


class AssignForm(StyledForm):
    host = forms.ModelChoiceField(label=_("Host organisation"), queryset=None)
    principal_investigator = forms.ModelChoiceField(label=_("Principal investigator"), queryset=None)
    start_on = date_field(_("Start"))
    end_on = date_field(_("End"))
    budget_central = amount_field(_("Central S&T budget (VND)"))
    budget_provincial = amount_field(_("Provincial S&T budget (VND)"))
    budget_counterpart = amount_field(_("Counterpart funds (VND)"))

    def __init__(self, *args, organizations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = organizations
        self.fields["principal_investigator"].queryset = people

    def budget(self) -> dict:
        return {
            "central": self.cleaned_data.get("budget_central") or 0,
            "provincial": self.cleaned_data.get("budget_provincial") or 0,
            "counterpart": self.cleaned_data.get("budget_counterpart") or 0,
        }


class ContractForm(StyledForm):
    number = forms.CharField(label=_("Contract number"), max_length=60)
    signed_on = date_field(_("Signed on"))
    total = forms.IntegerField(label=_("Contract value from the state budget (VND)"), min_value=0)
    starts_on = date_field(_("Starts on"))
    ends_on = date_field(_("Ends on"))
    tranche_1 = amount_field(_("Tranche 1 (VND)"), required=True)
    tranche_1_due = date_field(_("Tranche 1 due on"), required=False)
    tranche_2 = amount_field(_("Tranche 2 (VND)"))
    tranche_2_due = date_field(_("Tranche 2 due on"), required=False)
    tranche_3 = amount_field(_("Tranche 3 (VND)"))
    tranche_3_due = date_field(_("Tranche 3 due on"), required=False)

    def tranches(self) -> list[dict]:
        rows = []
        for n in (1, 2, 3):
            amount = self.cleaned_data.get(f"tranche_{n}") or 0
            if amount:
                rows.append({"planned_amount": amount, "due_on": self.cleaned_data.get(f"tranche_{n}_due")})
        return rows


class DisbursementForm(StyledForm):
    tranche = forms.ModelChoiceField(label=_("Tranche"), queryset=None)
    amount = forms.IntegerField(label=_("Amount (VND)"), min_value=1)
    paid_on = date_field(_("Paid on"))
    reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)

    def __init__(self, *args, tranches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].queryset = tranches


class TrancheForm(StyledForm):
    planned_amount = forms.IntegerField(label=_("Planned amount (VND)"), min_value=1)
    condition = forms.CharField(label=_("Condition"), max_length=255, required=False)
    due_on = date_field(_("Due on"), required=False)


class DeliverForm(StyledForm):
    delivered_on = date_field(_("Delivered on"))


class AmendmentForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AmendmentKind.choices)
    reason = text_area(_("Reason"), rows=3)
    new_end_on = date_field(_("New end date (extension)"), required=False)
    new_total = forms.IntegerField(label=_("New contract value (budget change)"), min_value=0, required=False)


class DecisionForm(StyledForm):
    approve = forms.BooleanField(label=_("Approve"), required=False)
    reason = text_area(_("Reason (when rejecting)"), required=False, rows=2)


class ProgressReportForm(StyledForm):
    period_end = date_field(_("Period ending on"))
    content = text_area(_("Work done, products, spending and problems"), rows=6)
    attachment = forms.FileField(label=_("Attachment (PDF)"), required=False)

    def clean_attachment(self):
        file = self.cleaned_data.get("attachment")
        if file and (file.size > 10 * 1024 * 1024 or not file.name.lower().endswith((".pdf", ".docx", ".xlsx"))):
            raise forms.ValidationError(_("Attach a PDF, Word or Excel file of at most 10 MB."))
        return file


class ReviewForm(StyledForm):
    note = text_area(_("Review"), required=False, rows=3)
    accept = forms.BooleanField(label=_("The report is acceptable"), required=False, initial=True)


class CheckForm(StyledForm):
    checked_on = date_field(_("Checked on"))
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=CheckConclusion.choices)
    findings = text_area(_("Findings"))


class DeliverableForm(StyledForm):
    name = forms.CharField(label=_("Content or product"), max_length=500)
    specification = text_area(_("Quantity and quality required"), required=False, rows=2)
    due_on = date_field(_("Due on"))


class AcceptanceForm(StyledForm):
    level = forms.ChoiceField(label=_("Level"), choices=AcceptanceLevel.choices)
    held_on = date_field(_("Held on"))
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices)
    council_ref = forms.CharField(label=_("Council (decision number)"), max_length=100, required=False)
    refund_amount = amount_field(_("Amount to refund if failed (VND)"))
    rework_until = date_field(_("Or rework allowed until"), required=False)
    note = text_area(_("Conclusion"), required=False, rows=3)


class ResultForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=500)
    abstract = text_area(_("Abstract"), rows=5)
    keywords = forms.CharField(label=_("Keywords"), max_length=500, required=False)
    field = _field_select()
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    result_type = forms.ChoiceField(label=_("Type"), choices=ResultType.choices)


class CertifyForm(StyledForm):
    storage_ref = forms.CharField(label=_("Storage reference"), max_length=60, required=False)
    signer_name = forms.CharField(label=_("Signed by"), max_length=150)


class StoreForm(StyledForm):
    storage_ref = forms.CharField(label=_("Storage reference"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ResultApplicationForm(StyledForm):
    place_text = forms.CharField(label=_("Place"), max_length=255)
    scale = forms.CharField(label=_("Scale"), max_length=255)
    economic_effect = text_area(_("Economic and social effect"), required=False, rows=3)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)


class CallForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=500)
    description = text_area(_("Description"), required=False)
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"}),
    )
    tasks = forms.ModelMultipleChoiceField(label=_("Tasks"), queryset=None)

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = tasks


class ApplicationForm(StyledForm):
    task = forms.ModelChoiceField(label=_("Task"), queryset=None)
    principal_investigator_name = forms.CharField(label=_("Proposed principal investigator"), max_length=150)
    proposal_text = text_area(_("Proposal (thuyết minh)"), rows=8)
    team = text_area(_("Team"), required=False, rows=3)
    timeline = text_area(_("Timeline"), required=False, rows=3)
    budget_central = amount_field(_("Central S&T budget (VND)"))
    budget_provincial = amount_field(_("Provincial S&T budget (VND)"))
    budget_counterpart = amount_field(_("Counterpart funds (VND)"))

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks


class SelectionResultForm(StyledForm):
    selected = forms.BooleanField(label=_("Selected"), required=False)
    score = forms.DecimalField(label=_("Mean score"), min_value=0, max_value=100, decimal_places=2, required=False)
    council_ref = forms.CharField(label=_("Council"), max_length=100, required=False)


class CancelForm(StyledForm):
    reason = text_area(_("Reason"), rows=2)


def field_queryset():
    return ClassificationNode.objects.select_related("scheme")


class CouncilStartForm(StyledForm):
    """Form a council for a round, a call or a task; members and criteria are managed on its page."""

    level = forms.ChoiceField(label=_("Acceptance level"), choices=())
    name = forms.CharField(
        label=_("Council name"),
        max_length=255,
        required=False,
        help_text=_("Leave empty for the usual name of this council."),
    )
    meeting_on = date_field(_("Meeting date"), required=False)

    def __init__(self, *args, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        if levels is None:
            del self.fields["level"]
        else:
            labels = dict(AcceptanceLevel.choices)
            self.fields["level"].choices = [(level, labels[level]) for level in levels]
            if levels:
                self.fields["level"].initial = levels[-1]
