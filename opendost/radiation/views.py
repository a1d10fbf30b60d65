"""Staff pages of the radiation register.

A list page without the view permission answers 403; an object the user may not see (another
department's, or no view permission) answers 404. Writes need the permission on the row's department.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendost.audit.selectors import history_for
from opendost.common.excel import csv_response, xlsx_response
from opendost.common.pagination import paginate
from opendost.radiation import forms, rules, selectors, services
from opendost.radiation.enums import PlanStatus
from opendost.radiation.exports import FACILITY_COLUMNS
from opendost.radiation.permissions import can
from opendost.subjects.forms import REFRESH_ADDRESS, initial_from_post
from opendost.subjects.services import export_record

EXPORT_TYPES = ("xlsx", "csv")


# FACILITIES ---------------------------------------------------------------------------------------
@require_GET
@permission_required("radiation.view_facility", raise_exception=True)
def facility_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.facility_filterset_for(request.user, request.GET)
    page = paginate(filterset.qs, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    context = {
        "filter": filterset,
        "page": page,
        "can_add": can(request.user, "radiation.add_facility", request.user.department_id),
        "can_export": request.user.has_perm("radiation.export_facility"),
    }
    template = "radiation/facility_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_GET
@permission_required("radiation.export_facility", raise_exception=True)
def facility_export(request: HttpRequest, file_type: str) -> HttpResponse:
    if file_type not in EXPORT_TYPES:
        raise Http404
    rows = selectors.facility_list_for(request.user, request.GET)
    limit = settings.OPENDOST_EXPORT_MAX_ROWS
    count = rows[: limit + 1].count()
    if count > limit:
        messages.error(
            request,
            _("More than %(limit)s rows match: narrow the filters and export again.") % {"limit": f"{limit:,}"},
        )
        return redirect(reverse("radiation:facility_list") + "?" + request.GET.urlencode())
    name = _("x-ray-facilities")
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{file_type}"
    filters = "; ".join(f"{key}={value}" for key, value in request.GET.items() if value and key != "page")
    export_record(actor=request.user, kind="radiation.Facility", file_type=file_type, filters=filters, rows=count)
    if file_type == "csv":
        return csv_response(rows.iterator(chunk_size=2000), FACILITY_COLUMNS, filename=filename)
    return xlsx_response(rows.iterator(chunk_size=2000), FACILITY_COLUMNS, filename=filename, sheet_name=name)


@require_http_methods(["GET", "POST"])
def facility_create(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    if not can(request.user, "radiation.add_facility", department):
        raise PermissionDenied
    organizations = selectors.organization_choices_for(request.user)
    initial = {}
    if request.method == "GET" and request.GET.get("organization"):
        initial["organization"] = organizations.filter(public_id=_uuid(request.GET["organization"])).first()
    form = _bound_or_refreshed(request, forms.FacilityForm, organizations=organizations, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            facility = services.facility_create(actor=request.user, department=department, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("X-ray facility registered."))
            return redirect(facility)
    return _form_page(request, form, _("Register an X-ray facility"), reverse("radiation:facility_list"))


@require_http_methods(["GET", "POST"])
def facility_edit(request: HttpRequest, public_id) -> HttpResponse:
    facility = _facility_or_404(request, public_id)
    _require(request, "radiation.change_facility", facility)
    organizations = selectors.organization_choices_for(request.user)
    form = _bound_or_refreshed(request, forms.FacilityForm, instance=facility, organizations=organizations)
    if form.is_bound and form.is_valid():
        try:
            facility = services.facility_update(actor=request.user, facility=facility, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("X-ray facility saved."))
            return redirect(facility)
    return _form_page(request, form, _("Edit X-ray facility"), facility.get_absolute_url(), facility=facility)


@require_GET
def facility_detail(request: HttpRequest, public_id) -> HttpResponse:
    facility = _facility_or_404(request, public_id)
    today = timezone.localdate()
    licences = selectors.facility_licences(facility)
    current = next((lic for lic in licences if lic.state_on(today) == "valid" and lic.issued_on <= today), None)
    context = {
        "facility": facility,
        "today": today,
        "devices": selectors.facility_devices(facility),
        "licences": licences,
        "current_licence": current,
        "renewal_deadline": selectors.renewal_deadline(current, today=today) if current else None,
        "workers": selectors.facility_workers(facility),
        "plans": selectors.facility_plans(facility),
        "can_change": can(request.user, "radiation.change_facility", facility.department_id),
        "can_add_device": can(request.user, "radiation.add_device", facility.department_id),
        "can_change_device": can(request.user, "radiation.change_device", facility.department_id),
        "can_add_licence": can(request.user, "radiation.add_licence", facility.department_id),
        "can_add_worker": can(request.user, "radiation.add_radiationworker", facility.department_id),
        "can_add_plan": can(request.user, "radiation.add_responseplan", facility.department_id),
        "history": history_for(facility, request.user),
    }
    return render(request, "radiation/facility_detail.html", context)


# DEVICES ------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def device_create(request: HttpRequest, public_id) -> HttpResponse:
    facility = _facility_or_404(request, public_id)
    _require(request, "radiation.add_device", facility)
    form = forms.DeviceForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            services.device_create(actor=request.user, facility=facility, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Device recorded."))
            return redirect(facility)
    return _form_page(request, form, _("Record a device"), facility.get_absolute_url(), facility=facility)


@require_http_methods(["GET", "POST"])
def device_edit(request: HttpRequest, public_id) -> HttpResponse:
    device = _object_or_404(request, "radiation.view_device", selectors.device_get_for, public_id)
    _require(request, "radiation.change_device", device)
    form = forms.DeviceForm(request.POST or None, instance=device)
    if form.is_bound and form.is_valid():
        try:
            services.device_update(actor=request.user, device=device, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Device saved."))
            return redirect(device.facility)
    history = history_for(device, request.user)
    return _form_page(
        request, form, _("Edit device"), device.facility.get_absolute_url(), facility=device.facility, history=history
    )


@require_POST
def device_transition(request: HttpRequest, public_id, transition: str) -> HttpResponse:
    device = _object_or_404(request, "radiation.view_device", selectors.device_get_for, public_id)
    _require(request, "radiation.change_device", device)
    if transition not in services.DEVICE_TRANSITIONS:
        raise Http404
    form = forms.DeviceTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date (dd/mm/yyyy)."))
        return redirect(device.facility)
    try:
        services.device_transition(actor=request.user, device=device, transition=transition, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Device status changed."))
    return redirect(device.facility)


# LICENCES -----------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def licence_create(request: HttpRequest, public_id) -> HttpResponse:
    facility = _facility_or_404(request, public_id)
    _require(request, "radiation.add_licence", facility)
    form = forms.LicenceForm(request.POST or None, facility=facility)
    if form.is_bound and form.is_valid():
        try:
            licence = services.licence_issue(actor=request.user, facility=facility, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Licence recorded."))
            return redirect(licence)
    return _form_page(request, form, _("Record a licence"), facility.get_absolute_url(), facility=facility)


@require_GET
def licence_detail(request: HttpRequest, public_id) -> HttpResponse:
    licence = _object_or_404(request, "radiation.view_licence", selectors.licence_get_for, public_id)
    today = timezone.localdate()
    context = {
        "licence": licence,
        "facility": licence.facility,
        "state": licence.state_on(today),
        "devices": licence.devices.order_by("pk"),
        "chain": selectors.licence_chain(licence),
        "renewal_deadline": rules.renewal_filing_deadline(licence.valid_until, today=today),
        "can_revoke": licence.status == "valid"
        and can(request.user, "radiation.change_licence", licence.department_id),
        "revoke_form": forms.LicenceRevokeForm(initial={"on": today}),
        "history": history_for(licence, request.user),
    }
    return render(request, "radiation/licence_detail.html", context)


@require_POST
def licence_revoke(request: HttpRequest, public_id) -> HttpResponse:
    licence = _object_or_404(request, "radiation.view_licence", selectors.licence_get_for, public_id)
    _require(request, "radiation.change_licence", licence)
    form = forms.LicenceRevokeForm(request.POST)
    if form.is_valid():
        try:
            services.licence_revoke(actor=request.user, licence=licence, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Licence revoked."))
    else:
        messages.error(request, _("Give the date and the reason for the revocation."))
    return redirect(licence)


# WORKERS ------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def worker_create(request: HttpRequest, public_id) -> HttpResponse:
    facility = _facility_or_404(request, public_id)
    _require(request, "radiation.add_radiationworker", facility)
    people = selectors.person_choices_for(request.user)
    form = forms.WorkerForm(request.POST or None, people=people)
    if form.is_bound and form.is_valid():
        try:
            services.worker_create(actor=request.user, facility=facility, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Radiation worker recorded."))
            return redirect(facility)
    return _form_page(request, form, _("Record a radiation worker"), facility.get_absolute_url(), facility=facility)


@require_http_methods(["GET", "POST"])
def worker_edit(request: HttpRequest, public_id) -> HttpResponse:
    worker = _object_or_404(request, "radiation.view_radiationworker", selectors.worker_get_for, public_id)
    _require(request, "radiation.change_radiationworker", worker)
    people = selectors.person_choices_for(request.user)
    form = forms.WorkerForm(request.POST or None, instance=worker, people=people)
    certificate_form = forms.CertificateForm(prefix="certificate")
    if form.is_bound and form.is_valid():
        try:
            services.worker_update(actor=request.user, worker=worker, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Radiation worker saved."))
            return redirect(worker.facility)
    return _form_page(
        request,
        form,
        _("Edit radiation worker"),
        worker.facility.get_absolute_url(),
        facility=worker.facility,
        worker=worker,
        certificate_form=certificate_form,
        history=history_for(worker, request.user),
    )


@require_POST
def certificate_add(request: HttpRequest, public_id) -> HttpResponse:
    worker = _object_or_404(request, "radiation.view_radiationworker", selectors.worker_get_for, public_id)
    _require(request, "radiation.change_radiationworker", worker)
    form = forms.CertificateForm(request.POST, prefix="certificate")
    if form.is_valid():
        try:
            services.certificate_add(actor=request.user, worker=worker, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Certificate recorded."))
            return redirect("radiation:worker_edit", public_id=worker.public_id)
    return _form_page(
        request,
        forms.WorkerForm(instance=worker, people=selectors.person_choices_for(request.user)),
        _("Edit radiation worker"),
        worker.facility.get_absolute_url(),
        facility=worker.facility,
        worker=worker,
        certificate_form=form,
        history=history_for(worker, request.user),
    )


# RESPONSE PLANS -----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, public_id) -> HttpResponse:
    facility = _facility_or_404(request, public_id)
    _require(request, "radiation.add_responseplan", facility)
    form = forms.PlanForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            services.plan_create(actor=request.user, facility=facility, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Response plan recorded."))
            return redirect(facility)
    return _form_page(
        request, form, _("Record an incident response plan"), facility.get_absolute_url(), facility=facility
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, public_id) -> HttpResponse:
    plan = _object_or_404(request, "radiation.view_responseplan", selectors.plan_get_for, public_id)
    _require(request, "radiation.change_responseplan", plan)
    form = forms.PlanForm(request.POST or None, instance=plan)
    if form.is_bound and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Response plan saved."))
            return redirect(plan.facility)
    return _form_page(
        request,
        form,
        _("Incident response plan"),
        plan.facility.get_absolute_url(),
        facility=plan.facility,
        plan=plan,
        plan_action_form=forms.PlanActionForm(initial={"on": timezone.localdate()}),
        can_submit=plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED),
        can_decide=plan.status == PlanStatus.SUBMITTED,
        history=history_for(plan, request.user),
    )


@require_POST
def plan_action(request: HttpRequest, public_id, action: str) -> HttpResponse:
    plan = _object_or_404(request, "radiation.view_responseplan", selectors.plan_get_for, public_id)
    _require(request, "radiation.change_responseplan", plan)
    form = forms.PlanActionForm(request.POST)
    if action not in ("submit", "approve", "return") or not form.is_valid():
        raise Http404
    on = form.cleaned_data["on"] or timezone.localdate()
    try:
        if action == "submit":
            services.plan_submit(actor=request.user, plan=plan, submitted_on=on)
        elif action == "approve":
            services.response_plan_approve(actor=request.user, plan=plan, approved_on=on)
        else:
            services.plan_return(actor=request.user, plan=plan, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("radiation:plan_edit", public_id=plan.public_id)
    messages.success(request, _("Response plan status changed."))
    return redirect(plan.facility)


# MONITORING ---------------------------------------------------------------------------------------
@require_GET
@permission_required("radiation.view_measurementpoint", raise_exception=True)
def point_list(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.point_list_for(request.user), request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    context = {
        "page": page,
        "can_add": can(request.user, "radiation.add_measurementpoint", request.user.department_id),
    }
    return render(request, "radiation/point_list.html", context)


@require_http_methods(["GET", "POST"])
def point_create(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    if not can(request.user, "radiation.add_measurementpoint", department):
        raise PermissionDenied
    facilities = selectors.facility_choices_for(request.user)
    form = _bound_or_refreshed(request, forms.PointForm, facilities=facilities)
    if form.is_bound and form.is_valid():
        try:
            point = services.point_create(actor=request.user, department=department, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Monitoring point recorded."))
            return redirect(point)
    return _form_page(request, form, _("Record a monitoring point"), reverse("radiation:point_list"))


@require_http_methods(["GET", "POST"])
def point_edit(request: HttpRequest, public_id) -> HttpResponse:
    point = _object_or_404(request, "radiation.view_measurementpoint", selectors.point_get_for, public_id)
    _require(request, "radiation.change_measurementpoint", point)
    facilities = selectors.facility_choices_for(request.user)
    form = _bound_or_refreshed(request, forms.PointForm, instance=point, facilities=facilities)
    if form.is_bound and form.is_valid():
        try:
            point = services.point_update(actor=request.user, point=point, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Monitoring point saved."))
            return redirect(point)
    return _form_page(request, form, _("Edit monitoring point"), point.get_absolute_url())


@require_http_methods(["GET", "POST"])
def point_detail(request: HttpRequest, public_id) -> HttpResponse:
    point = _object_or_404(request, "radiation.view_measurementpoint", selectors.point_get_for, public_id)
    can_add = can(request.user, "radiation.add_reading", point.department_id)
    form = forms.ReadingForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.reading_record(actor=request.user, point=point, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Reading recorded."))
                return redirect(point)
    page = paginate(selectors.point_readings(point), request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    context = {
        "point": point,
        "page": page,
        "form": form,
        "can_change": can(request.user, "radiation.change_measurementpoint", point.department_id),
        "history": history_for(point, request.user),
    }
    return render(request, "radiation/point_detail.html", context)


# EXPIRY CONTROL -----------------------------------------------------------------------------------
@require_GET
@permission_required("radiation.view_licence", raise_exception=True)
def expiry_control(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    window = rules.EXPIRY_WINDOW_DAYS
    expiring = list(selectors.licences_expiring(user=request.user, within_days=window, today=today)[:200])
    for licence in expiring:
        licence.days_to_expiry = licence.days_left(today)
        licence.renewal_deadline = selectors.renewal_deadline(licence, today=today)
        licence.renewal_open = today <= licence.renewal_deadline
    context = {
        "today": today,
        "window": window,
        "lead_days": rules.renewal_lead_days(on=today),
        "expiring": expiring,
        "overdue": list(selectors.licences_overdue(user=request.user, today=today)[:200]),
        "unlicensed": list(selectors.devices_without_valid_licence(user=request.user, today=today)[:200]),
    }
    return render(request, "radiation/expiry_control.html", context)


# HELPERS ------------------------------------------------------------------------------------------
def _facility_or_404(request: HttpRequest, public_id):
    return _object_or_404(request, "radiation.view_facility", selectors.facility_get_for, public_id)


def _object_or_404(request: HttpRequest, perm: str, getter, public_id):
    if not request.user.has_perm(perm):
        raise Http404
    return getter(request.user, public_id)


def _require(request: HttpRequest, perm: str, obj) -> None:
    if not can(request.user, perm, obj.department_id):
        raise PermissionDenied


def _uuid(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _form_page(request: HttpRequest, form, title: str, cancel_url: str, **extra) -> HttpResponse:
    context = {"form": form, "title": title, "cancel_url": cancel_url, **extra}
    context["has_address"] = "province" in form.fields
    return render(request, "radiation/form.html", context)


def _bound_or_refreshed(request: HttpRequest, form_class, **kwargs):
    """As in opendost.subjects: the no-JS "Update address choices" button re-shows the form unbound."""
    if request.method != "POST":
        return form_class(**kwargs)
    kwargs.pop("initial", None)
    if REFRESH_ADDRESS in request.POST:
        return form_class(initial=initial_from_post(form_class, request.POST, **kwargs), **kwargs)
    return form_class(request.POST, **kwargs)


def _add_errors(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
