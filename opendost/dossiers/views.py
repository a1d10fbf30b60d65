"""Pages of the one-stop dossier engine: staff worklist, list, detail with one POST view per action,
counter intake, catalogue, statistics; the applicant's dossiers; the public lookup and catalogue.

Thin views: selectors read, services write. A dossier the user may not see answers 404 (an outsider
cannot learn it exists); an action the user may not take on a dossier it sees answers 403.
"""

import datetime as dt
import decimal
import mimetypes
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendost.audit.selectors import history_for
from opendost.common.excel import csv_response, xlsx_response
from opendost.common.locking import EditConflict
from opendost.common.pagination import paginate
from opendost.documents.views import CONTENT_TYPES, content_disposition
from opendost.dossiers import forms, selectors, services, slips, web_selectors
from opendost.dossiers import permissions as perms
from opendost.dossiers.enums import Channel, DossierStatus, Timeliness
from opendost.dossiers.exports import DOSSIER_COLUMNS, STATISTICS_COLUMNS
from opendost.dossiers.handlers import handler_for
from opendost.dossiers.models import Dossier, DossierStep
from opendost.workflow.engine import workflow_for
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.selectors import available_transitions

EXPORT_TYPES = ("xlsx", "csv")
SLIP_FORMATS = ("docx", "pdf")
SLIP_LABELS = {
    slips.RECEIPT: gettext_lazy("Receipt and appointment slip"),
    slips.SUPPLEMENT: gettext_lazy("Supplement request slip"),
    slips.REFUSAL: gettext_lazy("Refusal slip"),
    slips.APOLOGY: gettext_lazy("Apology and new appointment slip"),
    slips.CONTROL: gettext_lazy("Handling control slip"),
}
STAFF_ONLY_SLIPS = {slips.CONTROL}
WORKLIST_TITLES = {
    "intake": gettext_lazy("Awaiting intake"),
    "to_assign": gettext_lazy("To assign"),
    "to_handle": gettext_lazy("To handle"),
    "to_decide": gettext_lazy("Awaiting my decision"),
    "to_return": gettext_lazy("Results to return"),
}
WORKLIST_LIMIT = 50
LIST_SORTS = [
    ("code", gettext_lazy("Code")),
    ("applicant", gettext_lazy("Applicant")),
    ("status", gettext_lazy("Status")),
    ("submitted", gettext_lazy("Submitted")),
    ("due", gettext_lazy("Appointment date")),
]


# HOME AND LISTS -----------------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_department_staff:
        dossiers = web_selectors.with_badges(selectors.applicant_dossiers(user=user))
        return render(request, "dossiers/my_dossiers.html", {"dossiers": dossiers})
    if not user.has_perm("dossiers.view_dossier"):
        raise PermissionDenied
    sections = [
        {"key": key, "title": WORKLIST_TITLES[key], "dossiers": web_selectors.with_badges(qs[:WORKLIST_LIMIT])}
        for key, qs in selectors.worklist(user=user).items()
    ]
    context = {
        "sections": sections,
        "limit": WORKLIST_LIMIT,
        "can_receive": user.has_perm("dossiers.receive_dossier"),
    }
    return render(request, "dossiers/home.html", context)


def _staff_required(request: HttpRequest, perm: str = "dossiers.view_dossier") -> None:
    if not (request.user.is_department_staff and request.user.has_perm(perm)):
        raise PermissionDenied


def _filter_form(request: HttpRequest) -> forms.DossierFilterForm:
    return forms.DossierFilterForm(request.GET, procedures=web_selectors.procedure_choices())


@require_GET
def dossier_list(request: HttpRequest) -> HttpResponse:
    _staff_required(request)
    form = _filter_form(request)
    rows = web_selectors.dossier_list(user=request.user, values=form.values())
    page = paginate(rows, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    page_rows = web_selectors.with_badges(page.rows)
    context = {
        "form": form,
        "page": page,
        "rows": page_rows,
        "sort_headers": _sort_headers(request, LIST_SORTS),
        "can_export": True,
    }
    template = "dossiers/list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_GET
def dossier_export(request: HttpRequest, file_type: str) -> HttpResponse:
    _staff_required(request)
    if file_type not in EXPORT_TYPES:
        raise Http404
    form = _filter_form(request)
    rows = web_selectors.dossier_list(user=request.user, values=form.values())
    return _export(request, rows, DOSSIER_COLUMNS, file_type, _("dossiers"), reverse("dossiers:list"))


# DETAIL AND ACTIONS -------------------------------------------------------------------------------


@dataclass
class ActionPanel:
    name: str
    label: str
    form: Any
    style: str = "btn-outline-primary"
    open: bool = False
    multipart: bool = False
    help: str = ""
    fields: list = field(default_factory=list)


# action name -> (form class, button style)
ACTION_FORMS = {
    "submit": (forms.EmptyForm, "btn-primary"),
    "receive": (forms.EmptyForm, "btn-primary"),
    "return_for_completion": (forms.ReasonForm, "btn-outline-secondary"),
    "refuse_intake": (forms.ReasonForm, "btn-outline-danger"),
    "assign": (forms.AssignForm, "btn-primary"),
    "request_supplement": (forms.ItemsForm, "btn-outline-secondary"),
    "supplement": (forms.SupplementForm, "btn-primary"),
    "propose": (forms.ProposeForm, "btn-primary"),
    "send_back": (forms.ReasonForm, "btn-outline-secondary"),
    "approve": (forms.NoteForm, "btn-success"),
    "reject": (forms.ReasonForm, "btn-outline-danger"),
    "issue_result": (forms.EmptyForm, "btn-success"),
    "return_result": (forms.EmptyForm, "btn-primary"),
    "withdraw": (forms.OptionalReasonForm, "btn-outline-danger"),
    "delay": (forms.DelayForm, "btn-outline-secondary"),
    "fee": (forms.FeeForm, "btn-outline-primary"),
    "step_done": (forms.StepForm, "btn-outline-success"),
}
ACTION_HELP = {
    "receive": gettext_lazy(
        "The documents are complete: the clock starts and the receipt slip gives the appointment date."
    ),
    "return_for_completion": gettext_lazy("The applicant completes the dossier and submits it again."),
    "refuse_intake": gettext_lazy("The dossier is not for this Department or cannot be handled: handling ends."),
    "request_supplements": "",
    "supplement": gettext_lazy("Attach the requested documents and/or explain them in a note."),
    "issue_result": gettext_lazy("Generates, numbers and stores the result document."),
    "delay": gettext_lazy("Issues the apology slip; the dossier stays late in the statistics."),
    "fee": gettext_lazy("The fees and charges paid, as on the receipt."),
}
REASON_LABELS = {
    "return_for_completion": gettext_lazy("What the applicant must complete"),
    "refuse_intake": gettext_lazy("Reasons for the refusal"),
    "send_back": gettext_lazy("What must be reviewed again"),
    "reject": gettext_lazy("Written reasons for the refusal"),
}


def _action_form(name: str, dossier: Dossier, data=None, files=None):
    form_class, _style = ACTION_FORMS[name]
    kwargs: dict[str, Any] = {"prefix": name}
    if form_class is forms.AssignForm:
        kwargs["units"] = web_selectors.assign_units(dossier)
        kwargs["officers"] = web_selectors.assign_officers(dossier)
    form = form_class(data, files, **kwargs)
    if name in REASON_LABELS:
        form.fields["reason"].label = REASON_LABELS[name]
    return form


def _allowed(name: str, user, dossier: Dossier) -> bool:
    if name == "assign":
        return perms.can_assign(user, dossier)
    if name in {"delay", "step_done"}:
        return perms.can_handle(user, dossier)
    if name == "fee":
        return perms.can_receive(user, dossier) and _fee_due(dossier)
    transition = workflow_for(Dossier).get(name)
    return transition is not None and transition.allowed_for(user, dossier)


def _fee_due(dossier: Dossier) -> bool:
    return (
        dossier.procedure_version.fee_amount > 0
        and dossier.fee_paid_on is None
        and dossier.status in services.FEE_STATES
    )


def _panels(request: HttpRequest, dossier: Dossier, bound: tuple[str, Any] | None) -> list[ActionPanel]:
    """The action forms the user may use on the dossier now (the bound one keeps what was typed)."""
    user = request.user
    names = [t.name for t in available_transitions(dossier, user)]
    labels = {t.name: t.display for t in workflow_for(Dossier).transitions}
    if (
        "assign" not in names
        and dossier.status in {DossierStatus.IN_REVIEW, DossierStatus.SUPPLEMENT_REQUESTED}
        and perms.can_assign(user, dossier)
    ):
        names.append("assign")
        labels["assign"] = _("Reassign")
    if dossier.is_open and dossier.due_date and perms.can_handle(user, dossier):
        names.append("delay")
        labels["delay"] = _("Apology and new appointment date")
    if _allowed("fee", user, dossier):
        names.insert(0, "fee")
        labels["fee"] = _("Record the fee payment")
    if bound and bound[0] not in names:
        names.insert(0, bound[0])  # the dossier moved on: keep the form and its message in view
    panels = []
    for name in names:
        if name not in ACTION_FORMS:
            continue
        if bound and bound[0] == name:
            form, is_open = bound[1], True
        else:
            form, is_open = _action_form(name, dossier), False
        panels.append(
            ActionPanel(
                name=name,
                label=str(labels.get(name, name)),
                form=form,
                style=ACTION_FORMS[name][1],
                open=is_open,
                multipart=name == "supplement",
                help=str(ACTION_HELP.get(name, "")),
                fields=[f for f in form if not f.is_hidden],
            )
        )
    return panels


def _payload_lines(dossier: Dossier) -> list[tuple[str, str]]:
    try:
        return handler_for(dossier.procedure.handler_key).payload_display(dossier)
    except Exception:  # a handler that cannot read old data must not hide the dossier
        return [(_("Procedure details"), str(dossier.payload))]


def _detail_context(
    request: HttpRequest,
    dossier: Dossier,
    *,
    bound: tuple[str, Any] | None = None,
    upload_form=None,
    rating_form=None,
) -> dict:
    user = request.user
    is_staff = user.is_department_staff
    attachments = list(dossier.attachments.select_related("supplement"))
    attached_codes = {a.requirement for a in attachments}
    checklist = [{**d, "attached": d["code"] in attached_codes} for d in dossier.procedure_version.required_documents]
    editable = dossier.status in {DossierStatus.DRAFT, DossierStatus.RETURNED}
    can_act_for_applicant = perms.can_act_for_applicant(user, dossier)
    can_upload = can_act_for_applicant and (editable or dossier.status == DossierStatus.SUPPLEMENT_REQUESTED)
    if upload_form is not None:
        can_upload = True  # a refused upload shows its form and why
    elif can_upload:
        upload_form = forms.AttachmentForm(
            prefix="upload", required_documents=dossier.procedure_version.required_documents
        )
    can_rate = (
        perms.is_owner(user, dossier)
        and dossier.status in {DossierStatus.RESULT_ISSUED, DossierStatus.RESULT_RETURNED, DossierStatus.REJECTED}
        and not hasattr(dossier, "rating")
    )
    if can_rate and rating_form is None:
        rating_form = forms.RatingForm(prefix="rating")
    can_handle_steps = perms.can_handle(user, dossier) and dossier.status == DossierStatus.IN_REVIEW
    available_slips = [
        {"kind": kind, "label": SLIP_LABELS[kind]}
        for kind in slips.available(dossier)
        if is_staff or kind not in STAFF_ONLY_SLIPS
    ]
    timeliness = dossier.timeliness()
    return {
        "dossier": dossier,
        "is_staff": is_staff,
        "payload_lines": _payload_lines(dossier),
        "attachments": attachments,
        "checklist": checklist,
        "missing": [d for d in checklist if d.get("required", True) and not d["attached"]],
        "steps": list(dossier.steps.select_related("done_by")),
        "supplements": list(dossier.supplements.select_related("requested_by")),
        "delays": list(dossier.delays.select_related("issued_by")),
        "timeline": selectors.timeline(dossier, public=not is_staff),
        "slips": available_slips,
        "panels": _panels(request, dossier, bound),
        "can_edit": can_act_for_applicant and editable,
        "can_upload": can_upload,
        "upload_form": upload_form,
        "can_rate": can_rate,
        "rating_form": rating_form,
        "rating": getattr(dossier, "rating", None)
        if dossier.status in {DossierStatus.RESULT_ISSUED, DossierStatus.RESULT_RETURNED, DossierStatus.REJECTED}
        else None,
        "can_handle_steps": can_handle_steps,
        "due_badge": web_selectors.due_badge(dossier),
        "timeliness": timeliness,
        "timeliness_label": Timeliness(timeliness).label if timeliness else "",
        "history": history_for(dossier, user) if is_staff else [],
        "result_url_staff": is_staff and user.has_perm("documents.view_issueddocument"),
    }


def _dossier(request: HttpRequest, public_id) -> Dossier:
    return selectors.dossier_for(user=request.user, public_id=public_id)


@require_GET
def detail(request: HttpRequest, public_id) -> HttpResponse:
    dossier = _dossier(request, public_id)
    return render(request, "dossiers/detail.html", _detail_context(request, dossier))


SUCCESS_MESSAGES = {
    "submit": gettext_lazy("Dossier submitted. Its code is %(code)s."),
    "receive": gettext_lazy("Dossier received. The receipt slip can be printed below."),
    "return_for_completion": gettext_lazy("Dossier returned for completion."),
    "refuse_intake": gettext_lazy("Dossier refused at intake."),
    "assign": gettext_lazy("Dossier assigned."),
    "request_supplement": gettext_lazy("Supplements requested; the supplement slip can be printed below."),
    "supplement": gettext_lazy("Supplements sent."),
    "propose": gettext_lazy("Dossier submitted to the leader."),
    "send_back": gettext_lazy("Dossier sent back for review."),
    "approve": gettext_lazy("Dossier approved."),
    "reject": gettext_lazy("Dossier refused."),
    "issue_result": gettext_lazy("Result issued."),
    "return_result": gettext_lazy("Result returned to the applicant."),
    "withdraw": gettext_lazy("Dossier withdrawn."),
    "delay": gettext_lazy("New appointment date recorded; the apology slip can be printed below."),
    "fee": gettext_lazy("Fee payment recorded."),
    "step_done": gettext_lazy("Step marked as done."),
}


@require_POST
def act(request: HttpRequest, public_id, action: str) -> HttpResponse:
    """One POST per action: the form, then the service; errors re-render the page with the input kept."""
    dossier = _dossier(request, public_id)
    if action not in ACTION_FORMS:
        raise Http404
    if not _allowed(action, request.user, dossier):
        raise PermissionDenied
    form = _action_form(action, dossier, request.POST, request.FILES)
    status = 200
    if form.is_valid():
        try:
            _run(action, request, dossier, form.cleaned_data)
        except TransitionNotAllowed as exc:
            form.add_error(None, _stale_message(exc))
            status = 409
        except ValidationError as exc:
            _add_errors(
                form, exc, aliases={"file": "files", "reason": "items" if action == "request_supplement" else "reason"}
            )
        else:
            messages.success(request, SUCCESS_MESSAGES[action] % {"code": dossier.code})
            return redirect("dossiers:detail", public_id=dossier.public_id)
        dossier = _dossier(request, public_id)
    context = _detail_context(request, dossier, bound=(action, form))
    return render(request, "dossiers/detail.html", context, status=status)


def _stale_message(exc: TransitionNotAllowed) -> str:
    return (
        " ".join(exc.messages)
        + " "
        + _("The dossier changed since the page was shown: check its status below; what you typed is kept.")
    )


def _run(action: str, request: HttpRequest, dossier: Dossier, data: dict) -> None:
    user = request.user
    if action == "submit":
        services.dossier_submit(actor=user, dossier=dossier)
    elif action == "receive":
        services.dossier_receive(actor=user, dossier=dossier)
    elif action == "return_for_completion":
        services.dossier_return_for_completion(actor=user, dossier=dossier, reason=data["reason"])
    elif action == "refuse_intake":
        services.dossier_refuse_intake(actor=user, dossier=dossier, reason=data["reason"])
    elif action == "assign":
        services.dossier_assign(actor=user, dossier=dossier, unit=data["unit"], officer=data["officer"])
    elif action == "request_supplement":
        services.supplement_request(actor=user, dossier=dossier, items=data["items"])
    elif action == "supplement":
        _supplement(user, dossier, data)
    elif action == "propose":
        services.dossier_propose(actor=user, dossier=dossier, recommendation=data["recommendation"], note=data["note"])
    elif action == "send_back":
        services.dossier_send_back(actor=user, dossier=dossier, reason=data["reason"])
    elif action == "approve":
        services.dossier_approve(actor=user, dossier=dossier, note=data["note"])
    elif action == "reject":
        services.dossier_reject(actor=user, dossier=dossier, reason=data["reason"])
    elif action == "issue_result":
        services.dossier_issue_result(actor=user, dossier=dossier)
    elif action == "return_result":
        services.dossier_return_result(actor=user, dossier=dossier)
    elif action == "withdraw":
        services.dossier_withdraw(actor=user, dossier=dossier, reason=data["reason"])
    elif action == "delay":
        services.delay_record(actor=user, dossier=dossier, new_due_date=data["new_due_date"], reason=data["reason"])
    elif action == "fee":
        services.fee_record(
            actor=user,
            dossier=dossier,
            amount=data["amount"],
            receipt_number=data["receipt_number"],
            paid_on=data["paid_on"],
        )
    elif action == "step_done":
        try:
            step = dossier.steps.get(pk=data["step"])
        except DossierStep.DoesNotExist:
            raise Http404 from None
        services.step_complete(actor=user, dossier=dossier, step=step)


@transaction.atomic
def _supplement(user, dossier: Dossier, data: dict) -> None:
    """The files and the note go in together: if the supplement is refused, no file stays attached."""
    request = dossier.supplements.filter(resumed_at__isnull=True).order_by("-requested_at").first()
    for upload in data.get("files") or []:
        services.attachment_add(actor=user, dossier=dossier, upload=upload, supplement=request)
    services.supplement_submit(actor=user, dossier=dossier, note=data["note"])


@require_GET
def attachment(request: HttpRequest, public_id, attachment_id) -> FileResponse:
    """A file of the dossier, for whoever may see the dossier (never through a media URL)."""
    dossier = _dossier(request, public_id)
    try:
        item = dossier.attachments.get(public_id=attachment_id)
    except (ValueError, dossier.attachments.model.DoesNotExist):
        raise Http404 from None
    if not item.file.name or not item.file.storage.exists(item.file.name):
        raise Http404
    content_type = mimetypes.guess_type(item.original_name)[0] or "application/octet-stream"
    response = FileResponse(item.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def result(request: HttpRequest, public_id, fmt: str) -> FileResponse:
    """The result document, for the applicant (staff open it in the document register)."""
    dossier = _dossier(request, public_id)
    document = dossier.result_document
    if document is None or fmt not in CONTENT_TYPES:
        raise Http404
    file = document.docx if fmt == "docx" else document.pdf
    if not file.name or not file.storage.exists(file.name):
        raise Http404
    response = FileResponse(file.open("rb"), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(
        f"{document.kind_label} {document.number_symbol.replace('/', '-')}.{fmt}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def slip(request: HttpRequest, public_id, kind: str, fmt: str) -> HttpResponse:
    dossier = _dossier(request, public_id)
    if fmt not in SLIP_FORMATS or kind not in slips.available(dossier):
        raise Http404
    if kind in STAFF_ONLY_SLIPS and not request.user.is_department_staff:
        raise Http404
    content = slips.render(dossier, kind, fmt)
    name = dossier.procedure_version.slip_name(kind, slips.DEFAULT_NAMES[kind])
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(f"{name.capitalize()} {dossier.code}.{fmt}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# APPLICANT: DRAFTS ---------------------------------------------------------------------------------


def _applicant_required(request: HttpRequest) -> None:
    if request.user.is_department_staff:
        raise PermissionDenied


@require_GET
def new(request: HttpRequest) -> HttpResponse:
    if request.user.is_department_staff:
        if request.user.has_perm("dossiers.receive_dossier"):
            return redirect("dossiers:counter")
        raise PermissionDenied
    return render(request, "dossiers/new.html", {"versions": selectors.procedures_in_force()})


def _payload_form(procedure, *, user, organization, data=None, initial=None):
    form_class = handler_for(procedure.handler_key).payload_form_class(user=user, organization=organization)
    if form_class is None:
        return None
    try:
        form = form_class(data, initial=initial, prefix="payload", organization=organization)
    except TypeError:
        form = form_class(data, initial=initial, prefix="payload")
    return forms.style(form)


def _json_safe(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if hasattr(value, "public_id"):
        return str(value.public_id)
    if hasattr(value, "pk") and not isinstance(value, (str, int, float, bool)):
        return value.pk
    return value


def _payload_data(payload_form) -> dict | None:
    if payload_form is None:
        return None
    return {k: _json_safe(v) for k, v in payload_form.cleaned_data.items()}


def _version_or_redirect(request: HttpRequest, procedure, back: str):
    try:
        return services.version_in_force(procedure), None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None, redirect(back)


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, procedure) -> HttpResponse:
    _applicant_required(request)
    procedure = selectors.procedure_get(procedure)
    version, response = _version_or_redirect(request, procedure, "dossiers:new")
    if response:
        return response
    organization = request.user.organization
    initial = {
        "applicant_kind": "organization" if organization else "individual",
        "applicant_name": organization.name if organization else request.user.get_full_name(),
        "applicant_address": (organization.address_line if organization else "") or "",
        "applicant_phone": organization.phone if organization else "",
        "applicant_email": (organization.email if organization else request.user.email) or "",
    }
    data = request.POST if request.method == "POST" else None
    form = forms.ApplicantForm(data, initial=initial)
    payload_form = _payload_form(procedure, user=request.user, organization=organization, data=data)
    if data is not None and form.is_valid() and (payload_form is None or payload_form.is_valid()):
        try:
            dossier = services.dossier_create(
                actor=request.user,
                procedure=procedure,
                organization=organization,
                payload=_payload_data(payload_form),
                **form.applicant_values(),
            )
        except ValidationError as exc:
            _add_errors(form, exc, extra=payload_form)
        else:
            messages.success(request, _("Draft saved. Attach the required documents, then submit the dossier."))
            return redirect("dossiers:detail", public_id=dossier.public_id)
    context = {"form": form, "payload_form": payload_form, "version": version, "procedure": procedure, "dossier": None}
    return render(request, "dossiers/dossier_form.html", context)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id) -> HttpResponse:
    dossier = _dossier(request, public_id)
    if dossier.status not in {DossierStatus.DRAFT, DossierStatus.RETURNED} or not perms.can_act_for_applicant(
        request.user, dossier
    ):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = forms.ApplicantForm(
        data,
        instance=dossier,
        initial={name: getattr(dossier, name) for name in forms.ApplicantForm.versioned_fields},
    )
    payload_form = _payload_form(
        dossier.procedure,
        user=request.user,
        organization=dossier.applicant_organization,
        data=data,
        initial=dossier.payload,
    )
    if data is not None and form.is_valid() and (payload_form is None or payload_form.is_valid()):
        try:
            services.dossier_update_draft(
                actor=request.user,
                dossier=dossier,
                expected_version=form.expected_version(),
                payload=_payload_data(payload_form),
                **form.applicant_values(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _add_errors(form, exc, extra=payload_form)
        else:
            messages.success(request, _("Dossier saved."))
            return redirect("dossiers:detail", public_id=dossier.public_id)
    context = {
        "form": form,
        "payload_form": payload_form,
        "version": dossier.procedure_version,
        "procedure": dossier.procedure,
        "dossier": dossier,
    }
    return render(request, "dossiers/dossier_form.html", context)


@require_POST
def upload(request: HttpRequest, public_id) -> HttpResponse:
    dossier = _dossier(request, public_id)
    if not perms.can_act_for_applicant(request.user, dossier):
        raise PermissionDenied
    form = forms.AttachmentForm(
        request.POST, request.FILES, prefix="upload", required_documents=dossier.procedure_version.required_documents
    )
    if form.is_valid():
        supplement = None
        if dossier.status == DossierStatus.SUPPLEMENT_REQUESTED:
            supplement = dossier.supplements.filter(resumed_at__isnull=True).order_by("-requested_at").first()
        try:
            services.attachment_add(
                actor=request.user,
                dossier=dossier,
                upload=form.cleaned_data["file"],
                requirement=form.cleaned_data["requirement"],
                name=form.cleaned_data["name"],
                supplement=supplement,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("File attached."))
            return redirect(reverse("dossiers:detail", args=[dossier.public_id]) + "#documents")
    return render(request, "dossiers/detail.html", _detail_context(request, dossier, upload_form=form))


@require_POST
def rate(request: HttpRequest, public_id) -> HttpResponse:
    dossier = _dossier(request, public_id)
    if not perms.is_owner(request.user, dossier):
        raise PermissionDenied
    form = forms.RatingForm(request.POST, prefix="rating")
    if form.is_valid():
        try:
            services.rating_submit(actor=request.user, dossier=dossier, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("dossiers:detail", public_id=dossier.public_id)
    return render(request, "dossiers/detail.html", _detail_context(request, dossier, rating_form=form))


# COUNTER INTAKE -----------------------------------------------------------------------------------


@require_GET
def counter(request: HttpRequest) -> HttpResponse:
    _staff_required(request, "dossiers.receive_dossier")
    return render(request, "dossiers/counter.html", {"versions": selectors.procedures_in_force()})


@require_http_methods(["GET", "POST"])
def counter_form(request: HttpRequest, procedure) -> HttpResponse:
    _staff_required(request, "dossiers.receive_dossier")
    procedure = selectors.procedure_get(procedure)
    version, response = _version_or_redirect(request, procedure, "dossiers:counter")
    if response:
        return response
    organizations = web_selectors.organization_choices(request.user)
    if request.method == "POST":
        form = forms.CounterForm(request.POST, organizations=organizations)
        organization = _chosen(organizations, request.POST.get("organization"))
        payload_form = _payload_form(procedure, user=request.user, organization=organization, data=request.POST)
        if form.is_valid() and (payload_form is None or payload_form.is_valid()):
            try:
                dossier = services.dossier_receive_at_counter(
                    actor=request.user,
                    procedure=procedure,
                    organization=form.cleaned_data["organization"],
                    payload=_payload_data(payload_form),
                    channel=form.cleaned_data["channel"],
                    fee=form.fee(),
                    **form.applicant_values(),
                )
            except ValidationError as exc:
                _add_errors(form, exc, extra=payload_form)
            else:
                messages.success(
                    request,
                    _("Dossier %(code)s received. Print the receipt slip below and hand it to the applicant.")
                    % {"code": dossier.code},
                )
                return redirect("dossiers:detail", public_id=dossier.public_id)
    else:
        # "Load the organisation's records" submits the form with GET: keep what was typed.
        initial = request.GET.dict() or {"channel": Channel.COUNTER}
        form = forms.CounterForm(initial=initial, organizations=organizations)
        organization = _chosen(organizations, request.GET.get("organization"))
        payload_form = _payload_form(procedure, user=request.user, organization=organization)
    context = {"form": form, "payload_form": payload_form, "version": version, "procedure": procedure}
    return render(request, "dossiers/counter_form.html", context)


def _chosen(organizations, value):
    if not value or not str(value).isdigit():
        return None
    return organizations.filter(pk=int(value)).first()


# CATALOGUE ----------------------------------------------------------------------------------------


@require_GET
def procedures(request: HttpRequest) -> HttpResponse:
    _staff_required(request, "dossiers.view_procedure")
    return render(
        request,
        "dossiers/procedure_list.html",
        {"procedures": web_selectors.procedure_catalogue(), "today": timezone.localdate()},
    )


@require_GET
def procedure_detail(request: HttpRequest, public_id) -> HttpResponse:
    _staff_required(request, "dossiers.view_procedure")
    procedure = selectors.procedure_get(public_id)
    versions = list(procedure.versions.order_by("-number"))
    context = {
        "procedure": procedure,
        "versions": versions,
        "can_publish": request.user.has_perm("dossiers.publish_procedure"),
        "today": timezone.localdate(),
        "slip_defaults": slips.DEFAULT_NAMES,
    }
    return render(request, "dossiers/procedure_detail.html", context)


@require_http_methods(["GET", "POST"])
def procedure_version_new(request: HttpRequest, public_id) -> HttpResponse:
    if not request.user.has_perm("dossiers.publish_procedure"):
        raise PermissionDenied
    procedure = selectors.procedure_get(public_id)
    source = procedure.versions.order_by("-number").first()
    form = forms.ProcedureVersionForm(
        request.POST or None, source=source, initial=forms.ProcedureVersionForm.initial_from(source)
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.procedure_version_draft(
                actor=request.user, procedure=procedure, copy_of=source, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("Draft version %(number)s saved. Publish it when it is ready.") % {"number": version.number}
            )
            return redirect("dossiers:procedure_detail", public_id=procedure.public_id)
    return render(request, "dossiers/version_form.html", {"form": form, "procedure": procedure, "source": source})


@require_POST
def procedure_version_publish(request: HttpRequest, public_id) -> HttpResponse:
    if not request.user.has_perm("dossiers.publish_procedure"):
        raise PermissionDenied
    version = web_selectors.version_get(public_id)
    try:
        services.procedure_version_publish(actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Version %(number)s published.") % {"number": version.number})
    return redirect("dossiers:procedure_detail", public_id=version.procedure.public_id)


# STATISTICS ---------------------------------------------------------------------------------------


def _statistics(request: HttpRequest):
    if not (request.user.is_department_staff and perms.can_view_statistics(request.user)):
        raise PermissionDenied
    data = request.GET.copy()
    today = timezone.localdate()
    data.setdefault("date_from", f"01/01/{today.year}")
    data.setdefault("date_to", f"31/12/{today.year}")
    data.setdefault("group_by", "procedure")
    form = forms.StatisticsForm(data)
    if not form.is_valid():
        return form, None
    values = form.cleaned_data
    rows = selectors.statistics(
        user=request.user, date_from=values["date_from"], date_to=values["date_to"], group_by=values["group_by"]
    )
    return form, {"rows": rows, "total": selectors.statistics_total(rows), **values}


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form, data = _statistics(request)
    context = {"form": form, "data": data}
    if data is not None:
        context["chart"] = web_selectors.stat_chart(data["rows"])
        context["group_label"] = dict(forms.GROUPINGS)[data["group_by"]]
    return render(request, "dossiers/statistics.html", context)


@require_GET
def statistics_export(request: HttpRequest, file_type: str) -> HttpResponse:
    if file_type not in EXPORT_TYPES:
        raise Http404
    _form, data = _statistics(request)
    if data is None:
        return redirect(reverse("dossiers:statistics") + "?" + request.GET.urlencode())
    rows = [*data["rows"], _total_row(data["total"])]
    filename = f"{_('dossier statistics')} {data['date_from']:%Y-%m-%d} {data['date_to']:%Y-%m-%d}.{file_type}"
    filename = filename.replace(" ", "-")
    _record_export(request, "dossiers.statistics", file_type, len(rows))
    if file_type == "csv":
        return csv_response(rows, STATISTICS_COLUMNS, filename=filename)
    return xlsx_response(rows, STATISTICS_COLUMNS, filename=filename, sheet_name=_("Statistics"))


def _total_row(total):
    total.label = _("Total")
    return total


# PUBLIC -------------------------------------------------------------------------------------------


@login_not_required
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """Anyone with a dossier code sees its progress: no names, addresses, documents or notes."""
    form = forms.LookupForm(request.GET or None)
    result, status = None, 200
    if form.is_bound and form.is_valid():
        result = selectors.public_lookup(form.cleaned_data["code"])
        if result is None:
            status = 404
    context = {
        "form": form,
        "result": result,
        "not_found": form.is_bound and form.is_valid() and result is None,
        "timeliness_label": Timeliness(result.timeliness).label if result and result.timeliness else "",
    }
    return render(request, "dossiers/lookup.html", context, status=status)


@login_not_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "dossiers/catalogue.html", {"versions": selectors.procedures_in_force()})


# HELPERS ------------------------------------------------------------------------------------------


def _add_errors(form, exc: ValidationError, *, aliases: dict | None = None, extra=None) -> None:
    """Service errors go next to their field (on the form or the procedure's own form); others on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    aliases = aliases or {}
    for name, errors in exc.error_dict.items():
        name = aliases.get(name, name)
        if name in form.fields:
            form.add_error(name, errors)
        elif extra is not None and name in extra.fields:
            extra.add_error(name, errors)
        else:
            form.add_error(None, errors)


def _sort_headers(request: HttpRequest, columns) -> dict:
    current = request.GET.get("o", "")
    headers = {}
    for key, label in columns:
        if current == key:
            headers[key] = {"label": label, "next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            headers[key] = {"label": label, "next": key, "aria": "descending"}
        else:
            headers[key] = {"label": label, "next": key, "aria": "none"}
    return headers


def _record_export(request: HttpRequest, kind: str, file_type: str, count: int) -> None:
    from opendost.subjects.services import export_record

    filters = "; ".join(f"{key}={value}" for key, value in request.GET.items() if value and key != "page")
    export_record(actor=request.user, kind=kind, file_type=file_type, filters=filters, rows=count)


def _export(request: HttpRequest, rows, columns, file_type: str, name: str, list_url: str) -> HttpResponse:
    """Exactly the rows of the list page (same scope, filters and sort), every page of them."""
    limit = settings.OPENDOST_EXPORT_MAX_ROWS
    count = rows[: limit + 1].count()
    if count > limit:
        messages.error(
            request,
            _("More than %(limit)s rows match: narrow the filters and export again.") % {"limit": f"{limit:,}"},
        )
        return redirect(list_url + "?" + request.GET.urlencode())
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{file_type}".replace(" ", "-")
    _record_export(request, "dossiers.Dossier", file_type, count)
    rows = rows.iterator(chunk_size=2000)
    if file_type == "csv":
        return csv_response(rows, columns, filename=filename)
    return xlsx_response(rows, columns, filename=filename, sheet_name=name)
