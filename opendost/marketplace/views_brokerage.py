"""Pages of brokerage: staff follow connections and keep fairs; applicants express interest, answer
needs and follow their organisation's connections (read-only).

A staff list without the view permission answers 403; a connection or fair the user may not see
(another department's, or not a party's) answers 404. Writes need the permission on the row's
department (services_brokerage checks it again).
"""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendost.audit.selectors import history_for
from opendost.common.locking import EditConflict
from opendost.common.pagination import paginate
from opendost.documents.views import content_disposition
from opendost.marketplace import forms_brokerage as forms
from opendost.marketplace import selectors_brokerage as selectors
from opendost.marketplace import services_brokerage as services
from opendost.marketplace.enums import FairStatus, ListingKind, ListingStatus
from opendost.marketplace.models import Listing
from opendost.marketplace.permissions import listing_is_public
from opendost.marketplace.permissions_brokerage import (
    applicant_organization_id,
    can_add_fair,
    can_broker,
    can_broker_in,
    can_change_fair,
    owner_organization_id,
)
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.selectors import available_transitions

# A field a transition service names -> the field of the action's form.
TRANSITION_ALIASES = {
    "happened_on": "on",
    "followed_up_on": "on",
    "follow_up_note": "note",
    "deal_signed_on": "signed_on",
    "deal_value_vnd": "value_vnd",
    "deal_mode": "mode",
    "deal_contract_ref": "contract_ref",
}


# STAFF: CONNECTIONS -------------------------------------------------------------------------------
@require_GET
@permission_required("marketplace.view_connection", raise_exception=True)
def connection_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.connection_filterset_for(request.user, request.GET)
    page = paginate(filterset.qs, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    context = {
        "filter": filterset,
        "page": page,
        "can_add": can_broker_in(request.user, request.user.department_id),
    }
    template = "marketplace/brokerage/connection_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def connection_create(request: HttpRequest) -> HttpResponse:
    if not can_broker_in(request.user, request.user.department_id):
        raise PermissionDenied
    initial = {key: request.GET[key] for key in ("offer_code", "need_code", "seeker_tax_code") if key in request.GET}
    if request.GET.get("fair"):
        fair = forms.open_fairs(request.user).filter(public_id=_uuid(request.GET["fair"])).first()
        initial["fair"] = fair
    form = forms.ConnectionCreateForm(request.POST or None, user=request.user, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            connection = services.connection_create_by_officer(actor=request.user, **form.service_data())
        except ValidationError as exc:
            _add_errors(form, exc, aliases={"offer": "offer_code", "need": "need_code", "seeker": "seeker_tax_code"})
        else:
            messages.success(request, _("Connection %(code)s opened.") % {"code": connection.code})
            return redirect(connection)
    return render(
        request,
        "marketplace/brokerage/form.html",
        {"form": form, "title": _("Open a connection"), "cancel_url": reverse("marketplace:connection_list")},
    )


@require_GET
def connection_detail(request: HttpRequest, public_id) -> HttpResponse:
    connection = selectors.connection_get_for(request.user, public_id)
    return render(request, "marketplace/brokerage/connection_detail.html", _detail_context(request, connection))


def _detail_context(request: HttpRequest, connection, **forms_in_error) -> dict:
    broker = can_broker(request.user, connection)
    transitions = available_transitions(connection, request.user) if broker else []
    action_forms = [
        (t, forms_in_error.get(t.name) or forms.transition_form(t.name, connection=connection)) for t in transitions
    ]
    return {
        "connection": connection,
        "can_broker": broker,
        "action_forms": action_forms,
        "timeline": selectors.timeline(connection),
        "files": selectors.connection_files(connection),
        "event_form": forms_in_error.get("event") or forms.EventForm(initial={"happened_on": timezone.localdate()}),
        "file_form": forms_in_error.get("file") or forms.FileForm(),
        "history": history_for(connection, request.user),
        "open_form": next(iter(forms_in_error), ""),
    }


@require_http_methods(["GET", "POST"])
def connection_edit(request: HttpRequest, public_id) -> HttpResponse:
    connection = selectors.connection_get_for(request.user, public_id)
    if not can_broker(request.user, connection):
        raise PermissionDenied
    form = forms.ConnectionEditForm(request.POST or None, user=request.user, instance=connection)
    if form.is_bound and form.is_valid():
        try:
            services.connection_update(
                actor=request.user,
                connection=connection,
                expected_version=form.expected_version(),
                original=form.started_from(),
                **form.data_without_version(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Connection saved."))
            return redirect(connection)
    return render(
        request,
        "marketplace/brokerage/form.html",
        {
            "form": form,
            "title": _("Edit connection %(code)s") % {"code": connection.code},
            "cancel_url": connection.get_absolute_url(),
            "connection": connection,
        },
    )


@require_POST
def connection_transition(request: HttpRequest, public_id, action: str) -> HttpResponse:
    connection = selectors.connection_get_for(request.user, public_id)
    if action not in services.TRANSITIONS:
        raise Http404
    if not can_broker(request.user, connection):
        raise PermissionDenied
    form = forms.transition_form(action, data=request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.connection_transition(
                actor=request.user, connection=connection, name=action, expected_version=version, **data
            )
        except TransitionNotAllowed as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(connection)
        except EditConflict as conflict:
            messages.error(request, conflict.message)
            return redirect(connection)
        except ValidationError as exc:
            _add_errors(form, exc, aliases=TRANSITION_ALIASES)
        else:
            messages.success(request, _("Connection %(code)s: status changed.") % {"code": connection.code})
            return redirect(connection)
    connection.refresh_from_db()
    context = _detail_context(request, connection, **{action: form})
    return render(request, "marketplace/brokerage/connection_detail.html", context, status=422)


@require_POST
def connection_event_add(request: HttpRequest, public_id) -> HttpResponse:
    connection = selectors.connection_get_for(request.user, public_id)
    if not can_broker(request.user, connection):
        raise PermissionDenied
    form = forms.EventForm(request.POST)
    if form.is_valid():
        try:
            services.event_add(actor=request.user, connection=connection, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Event recorded."))
            return redirect(connection)
    return render(
        request,
        "marketplace/brokerage/connection_detail.html",
        _detail_context(request, connection, event=form),
        status=422,
    )


@require_POST
def connection_file_add(request: HttpRequest, public_id) -> HttpResponse:
    connection = selectors.connection_get_for(request.user, public_id)
    if not can_broker(request.user, connection):
        raise PermissionDenied
    form = forms.FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.file_add(
                actor=request.user,
                connection=connection,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Document added."))
            return redirect(connection)
    return render(
        request,
        "marketplace/brokerage/connection_detail.html",
        _detail_context(request, connection, file=form),
        status=422,
    )


@require_GET
def connection_file(request: HttpRequest, public_id, file_id) -> FileResponse:
    """A document of the connection, for staff who may see the connection (never a media URL)."""
    connection = selectors.connection_get_for(request.user, public_id)
    item = connection.files.filter(public_id=file_id).first()
    if item is None or not item.file.name or not item.file.storage.exists(item.file.name):
        raise Http404
    content_type = mimetypes.guess_type(item.name)[0] or "application/octet-stream"
    response = FileResponse(item.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(item.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@permission_required("marketplace.view_connection", raise_exception=True)
def connection_statistics(request: HttpRequest) -> HttpResponse:
    year_from = _year(request.GET.get("year_from"))
    year_to = _year(request.GET.get("year_to"))
    stats = selectors.connection_statistics(user=request.user, year_from=year_from, year_to=year_to)
    return render(
        request,
        "marketplace/brokerage/statistics.html",
        {"stats": stats, "year_from": year_from or "", "year_to": year_to or ""},
    )


# STAFF: FAIRS -------------------------------------------------------------------------------------
@require_GET
@permission_required("marketplace.view_fair", raise_exception=True)
def fair_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = selectors.fair_list_for(request.user, status=status, year=_year(request.GET.get("year")))
    page = paginate(rows, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    context = {
        "page": page,
        "status": status,
        "statuses": FairStatus.choices,
        "year": request.GET.get("year", ""),
        "can_add": can_add_fair(request.user, request.user.department_id),
    }
    return render(request, "marketplace/brokerage/fair_list.html", context)


@require_http_methods(["GET", "POST"])
def fair_create(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    if not can_add_fair(request.user, department):
        raise PermissionDenied
    form = forms.FairForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            fair = services.fair_create(actor=request.user, department=department, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Fair %(code)s planned.") % {"code": fair.code})
            return redirect("marketplace:fair_detail", fair.public_id)
    return render(
        request,
        "marketplace/brokerage/form.html",
        {"form": form, "title": _("Plan a fair"), "cancel_url": reverse("marketplace:fair_list")},
    )


@require_http_methods(["GET", "POST"])
def fair_edit(request: HttpRequest, public_id) -> HttpResponse:
    fair = selectors.fair_get_for(request.user, public_id)
    if not can_change_fair(request.user, fair):
        raise PermissionDenied
    form = forms.FairForm(request.POST or None, instance=fair)
    if form.is_bound and form.is_valid():
        try:
            services.fair_update(actor=request.user, fair=fair, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Fair saved."))
            return redirect("marketplace:fair_detail", fair.public_id)
    detail = reverse("marketplace:fair_detail", args=[fair.public_id])
    return render(
        request,
        "marketplace/brokerage/form.html",
        {"form": form, "title": _("Edit fair %(code)s") % {"code": fair.code}, "cancel_url": detail, "fair": fair},
    )


@require_GET
def fair_detail(request: HttpRequest, public_id) -> HttpResponse:
    fair = selectors.fair_get_for(request.user, public_id)
    return render(request, "marketplace/brokerage/fair_detail.html", _fair_context(request, fair))


def _fair_context(request: HttpRequest, fair, **forms_in_error) -> dict:
    can_change = can_change_fair(request.user, fair)
    return {
        "fair": fair,
        "can_change": can_change and fair.status != FairStatus.CANCELLED,
        "can_broker": can_broker_in(request.user, fair.department_id),
        "registrations": selectors.fair_registrations(fair),
        "connections": selectors.fair_connections(fair),
        "results": selectors.fair_results(fair),
        "register_form": forms_in_error.get("register") or forms.FairRegisterForm(user=request.user),
        "cancel_form": forms_in_error.get("cancel") or forms.FairCancelForm(),
        "can_hold": can_change and fair.status == FairStatus.PLANNED and fair.starts_on <= timezone.localdate(),
        "can_cancel": can_change and fair.status == FairStatus.PLANNED,
        "history": history_for(fair, request.user),
    }


@require_POST
def fair_transition(request: HttpRequest, public_id, action: str) -> HttpResponse:
    fair = selectors.fair_get_for(request.user, public_id)
    if action not in {"hold", "cancel"}:
        raise Http404
    if not can_change_fair(request.user, fair):
        raise PermissionDenied
    form = forms.FairCancelForm(request.POST) if action == "cancel" else None
    if form is not None and not form.is_valid():
        context = _fair_context(request, fair, cancel=form)
        return render(request, "marketplace/brokerage/fair_detail.html", context, status=422)
    try:
        if action == "hold":
            services.fair_hold(actor=request.user, fair=fair)
        else:
            services.fair_cancel(actor=request.user, fair=fair, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Fair status changed."))
    return redirect("marketplace:fair_detail", fair.public_id)


@require_POST
def fair_register(request: HttpRequest, public_id) -> HttpResponse:
    fair = selectors.fair_get_for(request.user, public_id)
    if not can_change_fair(request.user, fair):
        raise PermissionDenied
    form = forms.FairRegisterForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.fair_register(
                actor=request.user, fair=fair, listing=form.cleaned_data["listing"], booth=form.cleaned_data["booth"]
            )
        except ValidationError as exc:
            _add_errors(form, exc, aliases={"listing": "listing_code"})
        else:
            messages.success(request, _("Listing registered."))
            return redirect("marketplace:fair_detail", fair.public_id)
    context = _fair_context(request, fair, register=form)
    return render(request, "marketplace/brokerage/fair_detail.html", context, status=422)


@require_POST
def fair_unregister(request: HttpRequest, public_id, listing_id) -> HttpResponse:
    fair = selectors.fair_get_for(request.user, public_id)
    registration = fair.registrations.filter(listing__public_id=listing_id).select_related("fair").first()
    if registration is None:
        raise Http404
    try:
        services.fair_unregister(actor=request.user, registration=registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Registration removed."))
    return redirect("marketplace:fair_detail", fair.public_id)


# APPLICANTS ---------------------------------------------------------------------------------------
def _public_listing(public_id) -> Listing:
    listing = (
        Listing.objects.filter(public_id=_uuid(str(public_id)))
        .select_related("owner_organization", "owner_person", "field")
        .first()
    )
    if listing is None or not listing_is_public(listing, timezone.localdate()):
        raise Http404
    return listing


def _require_applicant(request: HttpRequest) -> int:
    organization_id = applicant_organization_id(request.user)
    if organization_id is None:
        raise PermissionDenied
    return organization_id


@require_http_methods(["GET", "POST"])
def interest_express(request: HttpRequest, public_id) -> HttpResponse:
    """ "Express interest" on a published listing (for a need, the owner of an offer answers it)."""
    listing = _public_listing(public_id)
    if listing.kind == ListingKind.NEED:
        return redirect("marketplace:need_answer", listing.public_id)
    organization_id = _require_applicant(request)
    own = owner_organization_id(listing) == organization_id
    form = forms.InterestForm(request.POST or None)
    if form.is_bound and not own and form.is_valid():
        try:
            connection = services.interest_express(actor=request.user, offer=listing, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your interest is recorded (connection %(code)s). An officer will contact you.")
                % {"code": connection.code},
            )
            return redirect("marketplace:my_connection_detail", connection.public_id)
    return render(request, "marketplace/brokerage/interest_form.html", {"listing": listing, "form": form, "own": own})


@require_http_methods(["GET", "POST"])
def need_answer(request: HttpRequest, public_id) -> HttpResponse:
    need = _public_listing(public_id)
    if need.kind != ListingKind.NEED:
        raise Http404
    organization_id = _require_applicant(request)
    offers = Listing.objects.filter(
        owner_organization_id=organization_id,
        kind__in=services.SUPPLY_KINDS,
        status=ListingStatus.PUBLISHED,
    ).order_by("title", "pk")
    form = forms.NeedAnswerForm(request.POST or None, offers=offers)
    own = owner_organization_id(need) == organization_id
    if form.is_bound and not own and form.is_valid():
        try:
            connection = services.need_answer(actor=request.user, need=need, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your answer is recorded (connection %(code)s).") % {"code": connection.code})
            return redirect("marketplace:my_connection_detail", connection.public_id)
    context = {"listing": need, "form": form, "own": own, "has_offers": offers.exists()}
    return render(request, "marketplace/brokerage/need_answer_form.html", context)


@require_GET
def my_connections(request: HttpRequest) -> HttpResponse:
    _require_applicant(request)
    page = paginate(selectors.my_connections(request.user), request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    return render(request, "marketplace/brokerage/my_connections.html", {"page": page})


@require_GET
def my_connection_detail(request: HttpRequest, public_id) -> HttpResponse:
    """The applicant's read-only view: status, dates and events (no documents, names or internal notes)."""
    _require_applicant(request)
    connection = selectors.my_connection_get(request.user, public_id)
    context = {
        "connection": connection,
        "role": selectors.my_role(request.user, connection),
        "timeline": selectors.timeline(connection, public=True),
    }
    return render(request, "marketplace/brokerage/my_connection_detail.html", context)


# HELPERS ------------------------------------------------------------------------------------------
def _uuid(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def _add_errors(form, exc: ValidationError, *, aliases: dict | None = None) -> None:
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, errors)
