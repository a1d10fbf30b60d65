"""Input forms of brokerage: they parse input; services_brokerage.py checks the rules and writes.

Listings and organisations are typed by code and tax code (a register of tens of thousands does not
fit a drop-down); the form finds them in what the user may see and reports what it cannot find.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendost.accounts.models import User
from opendost.common.locking import VersionedFormMixin
from opendost.common.text import normalize
from opendost.marketplace.enums import ConnectionEventKind, FairStatus, ListingKind, ListingStatus, TransferMode
from opendost.marketplace.models import Fair, Listing
from opendost.marketplace.permissions_brokerage import BROKER_PERM
from opendost.subjects.forms import BootstrapMixin
from opendost.subjects.models import Organization

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
SUPPLY = (ListingKind.OFFER, ListingKind.EQUIPMENT, ListingKind.SERVICE)


def date_field(label, *, required: bool = True, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )


def text_area(label, *, required: bool = True, rows: int = 3, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class _Styled(BootstrapMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


def broker_choices(department_ids) -> "forms.models.QuerySet":
    """Active officers of the departments who may follow connections."""
    app_label, codename = BROKER_PERM.split(".")
    granted = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    ids = User.objects.filter(granted, is_active=True, department_id__in=list(department_ids)).values("pk")
    return User.objects.filter(pk__in=ids).order_by("full_name", "username")


def open_fairs(user):
    return Fair.objects.visible_to(user).exclude(status=FairStatus.CANCELLED).order_by("-starts_on", "pk")


# APPLICANTS ---------------------------------------------------------------------------------------
class InterestForm(_Styled, forms.Form):
    message = text_area(
        _("Your message"),
        required=False,
        rows=5,
        help_text=_(
            "What you need and how you would use the technology. The Department's officer reads it "
            "before introducing you to the owner."
        ),
    )


class NeedAnswerForm(_Styled, forms.Form):
    offer = forms.ModelChoiceField(label=_("Your offer"), queryset=Listing.objects.none(), empty_label=None)
    message = text_area(_("Your message"), required=False, rows=5)

    def __init__(self, *args, offers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers if offers is not None else Listing.objects.none()


# STAFF --------------------------------------------------------------------------------------------
class ConnectionCreateForm(_Styled, forms.Form):
    offer_code = forms.CharField(label=_("Code of the offer, equipment or service"), max_length=30)
    need_code = forms.CharField(label=_("Code of the need"), max_length=30, required=False)
    seeker_tax_code = forms.CharField(
        label=_("Tax code of the interested enterprise"),
        max_length=20,
        required=False,
        help_text=_("Leave blank when a need is given: its owner is the interested party."),
    )
    fair = forms.ModelChoiceField(label=_("Made at fair"), queryset=Fair.objects.none(), required=False)
    broker = forms.ModelChoiceField(label=_("Officer following"), queryset=User.objects.none(), required=False)
    message = text_area(_("How they met, what is sought"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["fair"].queryset = open_fairs(user)
        department = user.department
        self.fields["broker"].queryset = broker_choices(department.jurisdiction_ids() if department else [])

    def _listing(self, field: str, kinds) -> Listing | None:
        code = normalize(self.cleaned_data.get(field)).upper()
        if not code:
            return None
        listing = (
            Listing.objects.visible_to(self.user)
            .filter(code__iexact=code, kind__in=kinds, status=ListingStatus.PUBLISHED)
            .first()
        )
        if listing is None:
            self.add_error(field, _("No published listing of this kind with this code in your department."))
        return listing

    def clean(self):
        data = super().clean()
        data["offer"] = self._listing("offer_code", SUPPLY)
        data["need"] = self._listing("need_code", [ListingKind.NEED])
        tax_code = normalize(data.get("seeker_tax_code"))
        data["seeker"] = None
        if tax_code:
            data["seeker"] = Organization.objects.visible_to(self.user).filter(tax_code=tax_code).first()
            if data["seeker"] is None:
                self.add_error(
                    "seeker_tax_code", _("No organisation with this tax code in your department's register.")
                )
        return data

    def service_data(self) -> dict:
        keys = ("offer", "need", "seeker", "fair", "broker", "message")
        return {key: self.cleaned_data.get(key) for key in keys}


class ConnectionEditForm(VersionedFormMixin, _Styled, forms.Form):
    broker = forms.ModelChoiceField(label=_("Officer following"), queryset=User.objects.none(), required=False)
    fair = forms.ModelChoiceField(label=_("Made at fair"), queryset=Fair.objects.none(), required=False)
    versioned_fields = ("broker", "fair")

    def __init__(self, *args, user, instance, **kwargs):
        kwargs.setdefault("initial", {"broker": instance.broker_id, "fair": instance.fair_id})
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["broker"].queryset = broker_choices(instance.department.jurisdiction_ids())
        self.fields["fair"].queryset = open_fairs(user)


class _Versioned(_Styled, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class IntroduceForm(_Versioned):
    on = date_field(_("Introduced on"))
    note = text_area(_("How they were introduced"), required=False)


class MeetForm(_Versioned):
    on = date_field(_("Meeting date"))
    note = text_area(_("What was discussed"))


class NegotiateForm(_Versioned):
    note = text_area(_("Note"), required=False)


class DealForm(_Versioned):
    signed_on = date_field(_("Contract signed on"))
    value_vnd = forms.IntegerField(label=_("Contract value (VND)"), min_value=1, max_value=10**15)
    mode = forms.ChoiceField(label=_("Transfer mode"), choices=TransferMode.choices)
    contract_ref = forms.CharField(label=_("Contract number"), max_length=100)


class DropForm(_Versioned):
    reason = text_area(_("Reason"))


class FollowUpForm(_Versioned):
    on = date_field(_("Followed up on"))
    note = text_area(_("How the transfer went"))


TRANSITION_FORMS = {
    "introduce": IntroduceForm,
    "meet": MeetForm,
    "negotiate": NegotiateForm,
    "sign_deal": DealForm,
    "drop": DropForm,
    "follow_up": FollowUpForm,
}


def transition_form(name: str, *, data=None, connection=None):
    form_class = TRANSITION_FORMS[name]
    initial = {"version": connection.version} if connection is not None else {}
    if name in {"introduce", "meet", "follow_up"}:
        initial["on"] = timezone.localdate()
    if name == "sign_deal":
        initial["signed_on"] = timezone.localdate()
    return form_class(data, initial=initial, prefix=name)


class EventForm(_Styled, forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=ConnectionEventKind.choices)
    happened_on = date_field(_("Date"))
    note = text_area(_("Note"), help_text=_("The parties see the events of their connection."))


class FileForm(_Styled, forms.Form):
    title = forms.CharField(label=_("Document"), max_length=255, help_text=_("e.g. Signed contract, Meeting minutes"))
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel, OpenDocument, JPG or PNG; 20 MB at most."))


# FAIRS --------------------------------------------------------------------------------------------
class FairForm(_Styled, forms.ModelForm):
    starts_on = date_field(_("starts on"))
    ends_on = date_field(_("ends on"))

    class Meta:
        model = Fair
        fields = ["title", "kind", "starts_on", "ends_on", "venue", "province", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from opendost.geography.enums import AdminLevel, CodeSet
        from opendost.geography.models import AdminUnit

        self.fields["province"].queryset = AdminUnit.objects.filter(
            level=AdminLevel.PROVINCE, code_set=CodeSet.CURRENT
        ).order_by("name")
        self._style()

    def _post_clean(self) -> None:
        """Model rules are the service's job (it reports them by field)."""


class FairCancelForm(_Styled, forms.Form):
    reason = text_area(_("Reason"))


class FairRegisterForm(_Styled, forms.Form):
    listing_code = forms.CharField(label=_("Listing code"), max_length=30)
    booth = forms.CharField(label=_("Booth"), max_length=30, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        code = normalize(data.get("listing_code")).upper()
        data["listing"] = None
        if code:
            data["listing"] = Listing.objects.visible_to(self.user).filter(code__iexact=code).first()
            if data["listing"] is None:
                self.add_error("listing_code", _("No listing with this code in your department."))
        return data
