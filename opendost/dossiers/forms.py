"""Forms of the dossier pages. Plain forms (no ModelForm): each lists its fields explicitly and the
view hands `cleaned_data` to a service, which does the checks that need the database."""

import datetime as dt
import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendost.calendars.enums import DeadlineUnit, StartRule
from opendost.common.locking import VersionedFormMixin
from opendost.dossiers.enums import ApplicantKind, Channel, DossierStatus, OnlineLevel, Recommendation, Satisfaction

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text or _("dd/mm/yyyy"),
        widget=forms.DateInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}, format="%d/%m/%Y"
        ),
    )


class StyledForm(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def style(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            continue
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
    return form


# APPLICANT ----------------------------------------------------------------------------------------


class ApplicantForm(VersionedFormMixin, StyledForm):
    """The applicant's block of a draft (prefilled from the organisation) and the note."""

    applicant_kind = forms.ChoiceField(label=_("Applicant type"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("Applicant"), max_length=255)
    applicant_address = forms.CharField(label=_("Address"), max_length=500, required=False)
    applicant_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    applicant_email = forms.EmailField(label=_("Email"), required=False)
    note = forms.CharField(label=_("Note to the Department"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    versioned_fields = (
        "applicant_kind",
        "applicant_name",
        "applicant_address",
        "applicant_phone",
        "applicant_email",
        "note",
    )

    def applicant_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.versioned_fields}


class CounterForm(StyledForm):
    """A dossier handed in at the counter or by post: an organisation of the register or an individual."""

    channel = forms.ChoiceField(
        label=_("Received"), choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POST, Channel.POST.label)]
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation (from the register)"),
        queryset=None,
        required=False,
        empty_label=_("— an individual, or an organisation not in the register —"),
    )
    applicant_name = forms.CharField(
        label=_("Applicant"),
        max_length=255,
        required=False,
        help_text=_("Leave empty to use the organisation's name."),
    )
    applicant_address = forms.CharField(label=_("Address"), max_length=500, required=False)
    applicant_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    applicant_email = forms.EmailField(label=_("Email"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    fee_amount = forms.IntegerField(label=_("Fee paid (VND)"), min_value=1, required=False)
    fee_receipt = forms.CharField(label=_("Fee receipt number"), max_length=60, required=False)
    fee_paid_on = date_field(_("Fee paid on"), required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def clean(self):
        data = super().clean()
        if not data.get("organization") and not (data.get("applicant_name") or "").strip():
            self.add_error("applicant_name", _("Choose an organisation or give the applicant's name."))
        return data

    def fee(self) -> dict | None:
        """The fee paid at the counter, if the desk recorded one."""
        if not self.cleaned_data.get("fee_receipt"):
            return None
        return {
            "amount": self.cleaned_data.get("fee_amount") or 0,
            "receipt_number": self.cleaned_data["fee_receipt"],
            "paid_on": self.cleaned_data.get("fee_paid_on"),
        }

    def applicant_values(self) -> dict:
        values = {}
        organization = self.cleaned_data.get("organization")
        values["applicant_kind"] = ApplicantKind.ORGANIZATION if organization else ApplicantKind.INDIVIDUAL
        for name in ("applicant_name", "applicant_address", "applicant_phone", "applicant_email", "note"):
            value = (self.cleaned_data.get(name) or "").strip()
            # Empty contact fields of an organisation are taken from the register by the service.
            if value or not organization or name == "note":
                values[name] = value
        return values


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AttachmentForm(StyledForm):
    requirement = forms.ChoiceField(label=_("Document"), required=False)
    name = forms.CharField(
        label=_("Description"), max_length=255, required=False, help_text=_("Only for documents not in the list.")
    )
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, OpenDocument, JPEG, PNG or ZIP; 20 MB at most.")
    )

    def __init__(self, *args, required_documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [("", _("— another document —"))] + [
            (d["code"], d["name"]) for d in required_documents
        ]


class RatingForm(StyledForm):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you?"), choices=Satisfaction.choices, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# ACTIONS ------------------------------------------------------------------------------------------


class EmptyForm(StyledForm):
    pass


class ReasonForm(StyledForm):
    """Not required here: the service says what is expected (its message names the action)."""

    reason = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(StyledForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ItemsForm(StyledForm):
    items = forms.CharField(
        label=_("What is missing or must be corrected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line; printed on the supplement slip."),
    )


class SupplementForm(StyledForm):
    files = MultipleFileField(label=_("Files"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProposeForm(StyledForm):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when proposing a refusal."),
    )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        unit = f" ({obj.unit.name})" if getattr(obj, "unit", None) else ""
        return f"{obj.get_full_name()}{unit}"


class AssignForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=None, required=False)
    officer = OfficerChoiceField(label=_("Handling officer"), queryset=None, required=False)

    def __init__(self, *args, units, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["officer"].queryset = officers

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not data.get("officer") and not self.errors:
            raise ValidationError(_("Choose a unit or an officer."))
        return data


class DelayForm(StyledForm):
    new_due_date = date_field(_("New appointment date"))
    reason = forms.CharField(label=_("Reason for the delay"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FeeForm(StyledForm):
    amount = forms.IntegerField(label=_("Amount paid (VND)"), min_value=1)
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=60)
    paid_on = date_field(_("Paid on"))


class StepForm(StyledForm):
    step = forms.IntegerField(widget=forms.HiddenInput)


# LISTS AND STATISTICS -----------------------------------------------------------------------------

LIST_SORTS = {
    "code": ("code",),
    "submitted": ("submitted_at",),
    "due": ("due_date",),
    "applicant": ("applicant_name",),
    "status": ("status",),
}


class DossierFilterForm(StyledForm):
    q = forms.CharField(
        label=_("Code or applicant"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    procedure = forms.ModelChoiceField(label=_("Procedure"), queryset=None, required=False, empty_label=_("All"))
    late = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    o = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + [
            c for c in DossierStatus.choices if c[0] != DossierStatus.DRAFT
        ]
        self.fields["procedure"].queryset = procedures
        self.fields["o"].choices = [("", "")] + [(k, k) for k in LIST_SORTS] + [(f"-{k}", k) for k in LIST_SORTS]

    def values(self) -> dict:
        """The filters, or none of them when the query string is invalid (the page stays usable)."""
        if not self.is_valid():
            return {}
        return self.cleaned_data


GROUPINGS = [("procedure", _("Procedure")), ("unit", _("Handling unit")), ("officer", _("Handling officer"))]


class StatisticsForm(StyledForm):
    date_from = date_field(_("Received from"), required=False)
    date_to = date_field(_("to"), required=False)
    group_by = forms.ChoiceField(label=_("Group by"), choices=GROUPINGS, required=False)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["date_from"] = data.get("date_from") or dt.date(today.year, 1, 1)
        data["date_to"] = data.get("date_to") or dt.date(today.year, 12, 31)
        data["group_by"] = data.get("group_by") or "procedure"
        if data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


# CATALOGUE ----------------------------------------------------------------------------------------


def documents_to_text(documents) -> str:
    lines = []
    for d in documents or ():
        line = f"{d.get('code', '')} | {d.get('name', '')}"
        if not d.get("required", True):
            line += " | optional"
        lines.append(line)
    return "\n".join(lines)


def steps_to_text(steps) -> str:
    return "\n".join(f"{s.get('code', '')} | {s.get('name', '')} | {s.get('days', 0)}" for s in steps or ())


class ProcedureVersionForm(StyledForm):
    regime = forms.CharField(label=_("Legal regime"), max_length=40, required=False)
    legal_basis = forms.CharField(
        label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("One text per line.")
    )
    effective_from = date_field(_("Effective from"))
    deadline_unit = forms.ChoiceField(label=_("Deadline unit"), choices=DeadlineUnit.choices)
    deadline_count = forms.IntegerField(label=_("Deadline"), min_value=1, max_value=1000)
    start_rule = forms.ChoiceField(label=_("The clock starts"), choices=StartRule.choices)
    pause_on_supplement = forms.BooleanField(label=_("The clock stops while waiting for supplements"), required=False)
    intake_check_days = forms.IntegerField(
        label=_("Completeness check (working days)"),
        min_value=0,
        max_value=60,
        help_text=_("0: checked at the counter on receipt."),
    )
    fee_amount = forms.IntegerField(label=_("Fee (VND)"), min_value=0)
    fee_note = forms.CharField(label=_("Fees"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    online_level = forms.ChoiceField(label=_("Online level"), choices=OnlineLevel.choices)
    output_name = forms.CharField(label=_("Result document"), max_length=255)
    output_doc_type = forms.CharField(label=_("Result document type (symbol)"), max_length=10)
    required_documents = forms.CharField(
        label=_("Required documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: CODE | name (add “| optional” for a document that is not required)."),
    )
    steps = forms.CharField(
        label=_("Steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: code | name | working days."),
    )
    rules = forms.CharField(
        label=_("Procedure rules (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_('A JSON object, e.g. {"renewal_lead_days": 45}.'),
    )

    @classmethod
    def initial_from(cls, version) -> dict:
        if version is None:
            return {"pause_on_supplement": True, "intake_check_days": 0, "fee_amount": 0, "rules": "{}"}
        return {
            "regime": version.regime,
            "legal_basis": version.legal_basis,
            "effective_from": max(timezone.localdate() + dt.timedelta(days=1), version.effective_from),
            "deadline_unit": version.deadline_unit,
            "deadline_count": version.deadline_count,
            "start_rule": version.start_rule,
            "pause_on_supplement": version.pause_on_supplement,
            "intake_check_days": version.intake_check_days,
            "fee_amount": version.fee_amount,
            "fee_note": version.fee_note,
            "online_level": version.online_level,
            "output_name": version.output_name,
            "output_doc_type": version.output_doc_type,
            "required_documents": documents_to_text(version.required_documents),
            "steps": steps_to_text(version.steps),
            "rules": json.dumps(version.rules or {}, ensure_ascii=False, indent=1),
        }

    def __init__(self, *args, source=None, **kwargs):
        self.source = source
        super().__init__(*args, **kwargs)

    def clean_required_documents(self) -> list[dict]:
        previous = {d.get("code"): d for d in (self.source.required_documents if self.source else [])}
        documents, seen = [], set()
        for number, line in enumerate(self.cleaned_data["required_documents"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise ValidationError(_("Line %(n)s: write CODE | name.") % {"n": number})
            code = parts[0].upper()
            if code in seen:
                raise ValidationError(_("Line %(n)s: the code %(code)s is used twice.") % {"n": number, "code": code})
            seen.add(code)
            optional = len(parts) > 2 and parts[2].lower() in {"optional", "không bắt buộc", "tùy chọn"}
            copy = previous.get(code, {}).get("copy", "")
            documents.append({"code": code, "name": parts[1], "copy": copy, "required": not optional})
        return documents

    def clean_steps(self) -> list[dict]:
        steps, seen = [], set()
        for number, line in enumerate(self.cleaned_data["steps"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not parts[0] or not parts[1]:
                raise ValidationError(_("Line %(n)s: write code | name | working days.") % {"n": number})
            try:
                days = int(parts[2])
            except ValueError:
                days = -1
            if days < 0 or days > 365:
                raise ValidationError(_("Line %(n)s: the number of days must be a whole number.") % {"n": number})
            if parts[0] in seen:
                raise ValidationError(
                    _("Line %(n)s: the code %(code)s is used twice.") % {"n": number, "code": parts[0]}
                )
            seen.add(parts[0])
            steps.append({"code": parts[0], "name": parts[1], "days": days})
        return steps

    def clean_rules(self) -> dict:
        text = self.cleaned_data["rules"].strip() or "{}"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(_("Not valid JSON: %(error)s.") % {"error": exc.msg}) from None
        if not isinstance(value, dict):
            raise ValidationError(_("The rules must be a JSON object ({…})."))
        return value


# PUBLIC -------------------------------------------------------------------------------------------


class LookupForm(StyledForm):
    code = forms.CharField(
        label=_("Dossier code"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
