"""Staff pages of the subject register: lists (filter, sort, page, export), forms and detail pages.

Permissions: a list or form page without the permission answers 403; an object page the user may
not see (another department's row, or no view permission at all) answers 404, so an outsider
cannot even learn that a record exists.
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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendost.audit.selectors import history_for
from opendost.common.excel import csv_response, xlsx_response
from opendost.common.locking import EditConflict
from opendost.common.pagination import paginate
from opendost.subjects import selectors, services
from opendost.subjects.exports import ORGANIZATION_COLUMNS, PERSON_COLUMNS
from opendost.subjects.forms import REFRESH_ADDRESS, ContactForm, OrganizationForm, PersonForm, initial_from_post
from opendost.subjects.permissions import can

ORGANIZATION_SORTS = [
    ("name", gettext_lazy("Name")),
    ("tax_code", gettext_lazy("Tax code")),
    ("kind", gettext_lazy("Kind")),
    ("province", gettext_lazy("Province / city")),
]
PERSON_SORTS = [
    ("name", gettext_lazy("Full name")),
    ("birth_year", gettext_lazy("Year of birth")),
    ("degree", gettext_lazy("Degree")),
    ("organization", gettext_lazy("Organisation")),
]
EXPORT_TYPES = ("xlsx", "csv")


# ORGANISATIONS ------------------------------------------------------------------------------------
@require_GET
@permission_required("subjects.view_organization", raise_exception=True)
def organization_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.organization_filterset_for(request.user, request.GET)
    page = paginate(filterset.qs, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    context = {
        "filter": filterset,
        "page": page,
        "sort_headers": _sort_headers(request, ORGANIZATION_SORTS),
        "can_add": can(request.user, "subjects.add_organization", request.user.department_id),
        "can_export": request.user.has_perm("subjects.export_organization"),
    }
    template = "subjects/organization_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_GET
@permission_required("subjects.export_organization", raise_exception=True)
def organization_export(request: HttpRequest, file_type: str) -> HttpResponse:
    rows = selectors.organization_list_for(request.user, request.GET).prefetch_related("fields")
    return _export(request, rows, ORGANIZATION_COLUMNS, file_type, _("organisations"), "subjects:organization_list")


@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    if not can(request.user, "subjects.add_organization", department):
        raise PermissionDenied
    form = _bound_or_refreshed(request, OrganizationForm)
    if form.is_bound and form.is_valid():
        try:
            organization = services.organization_create(
                actor=request.user, department=department, **form.data_without_version()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Organisation registered."))
            return redirect("subjects:organization_detail", public_id=organization.public_id)
    return render(request, "subjects/organization_form.html", {"form": form, "organization": None})


@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, public_id) -> HttpResponse:
    organization = _organization_or_404(request, public_id)
    if not can(request.user, "subjects.change_organization", organization.department_id):
        raise PermissionDenied
    form = _bound_or_refreshed(request, OrganizationForm, instance=organization)
    if form.is_bound and form.is_valid():
        try:
            organization = services.organization_update(
                actor=request.user,
                organization=organization,
                expected_version=form.expected_version(),
                original=form.started_from(),
                **form.data_without_version(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("subjects:organization_detail", public_id=organization.public_id)
    return render(request, "subjects/organization_form.html", {"form": form, "organization": organization})


@require_GET
def organization_detail(request: HttpRequest, public_id) -> HttpResponse:
    organization = _organization_or_404(request, public_id)
    return _render_detail(request, organization, _contact_form(request, organization))


@require_POST
def contact_add(request: HttpRequest, public_id) -> HttpResponse:
    organization = _organization_or_404(request, public_id)
    if not can(request.user, "subjects.change_organization", organization.department_id):
        raise PermissionDenied
    form = _contact_form(request, organization, data=request.POST)
    if form.is_valid():
        try:
            services.contact_add(actor=request.user, organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Representative or contact added."))
            if request.htmx:
                return _render_detail(request, organization, _contact_form(request, organization), "#contacts")
            return redirect("subjects:organization_detail", public_id=organization.public_id)
    return _render_detail(request, organization, form, "#contacts" if request.htmx else "")


@require_POST
def contact_remove(request: HttpRequest, public_id, contact_public_id) -> HttpResponse:
    organization = _organization_or_404(request, public_id)
    contact = selectors.contact_get_for(request.user, organization, contact_public_id)
    if not can(request.user, "subjects.change_organization", organization.department_id):
        raise PermissionDenied
    services.contact_remove(actor=request.user, contact=contact)
    messages.success(request, _("Representative or contact removed."))
    if request.htmx:
        return _render_detail(request, organization, _contact_form(request, organization), "#contacts")
    return redirect("subjects:organization_detail", public_id=organization.public_id)


def _organization_or_404(request: HttpRequest, public_id):
    if not request.user.has_perm("subjects.view_organization"):
        raise Http404
    return selectors.organization_get_for(request.user, public_id)


def _contact_form(request: HttpRequest, organization, data=None) -> ContactForm:
    people = selectors.person_choices_for(request.user).filter(organization=organization)
    return ContactForm(data, people=people, prefix="contact")


def _render_detail(request: HttpRequest, organization, contact_form, partial: str = "") -> HttpResponse:
    can_change = can(request.user, "subjects.change_organization", organization.department_id)
    sections = {s.key: s for s in selectors.subject_overview(organization, user=request.user)}
    context = {
        "organization": organization,
        "people": sections["people"],
        "contacts": sections["contacts"],
        "holdings": [s for s in sections.values() if not s.is_builtin],
        "contact_form": contact_form,
        "can_change": can_change,
        "history": history_for(organization, request.user),
    }
    return render(request, "subjects/organization_detail.html" + partial, context)


# PEOPLE -------------------------------------------------------------------------------------------
@require_GET
@permission_required("subjects.view_person", raise_exception=True)
def person_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.person_filterset_for(request.user, request.GET)
    page = paginate(filterset.qs, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    context = {
        "filter": filterset,
        "page": page,
        "sort_headers": _sort_headers(request, PERSON_SORTS),
        "can_add": can(request.user, "subjects.add_person", request.user.department_id),
        "can_export": request.user.has_perm("subjects.export_person"),
    }
    template = "subjects/person_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_GET
@permission_required("subjects.export_person", raise_exception=True)
def person_export(request: HttpRequest, file_type: str) -> HttpResponse:
    rows = selectors.person_list_for(request.user, request.GET).prefetch_related("fields")
    return _export(request, rows, PERSON_COLUMNS, file_type, _("people"), "subjects:person_list")


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    if not can(request.user, "subjects.add_person", department):
        raise PermissionDenied
    organizations = selectors.organization_choices_for(request.user)
    form = PersonForm(request.POST or None, organizations=organizations)
    if form.is_bound and form.is_valid():
        try:
            person = services.person_create(actor=request.user, department=department, **form.service_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Person registered."))
            return redirect("subjects:person_detail", public_id=person.public_id)
    return render(request, "subjects/person_form.html", {"form": form, "person": None})


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, public_id) -> HttpResponse:
    person = _person_or_404(request, public_id)
    if not can(request.user, "subjects.change_person", person.department_id):
        raise PermissionDenied
    organizations = selectors.organization_choices_for(request.user)
    form = PersonForm(request.POST or None, instance=person, organizations=organizations)
    if form.is_bound and form.is_valid():
        try:
            person = services.person_update(
                actor=request.user,
                person=person,
                expected_version=form.expected_version(),
                original=form.started_from(),
                **form.service_data(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Person saved."))
            return redirect("subjects:person_detail", public_id=person.public_id)
    return render(request, "subjects/person_form.html", {"form": form, "person": person})


@require_GET
def person_detail(request: HttpRequest, public_id) -> HttpResponse:
    person = _person_or_404(request, public_id)
    services.person_view_record(actor=request.user, person=person)
    context = {
        "person": person,
        "can_change": can(request.user, "subjects.change_person", person.department_id),
        "contact_roles": person.contact_roles.select_related("organization").filter(
            organization__in=selectors.organization_choices_for(request.user)
        ),
        "history": history_for(person, request.user),
    }
    return render(request, "subjects/person_detail.html", context)


def _person_or_404(request: HttpRequest, public_id):
    if not request.user.has_perm("subjects.view_person"):
        raise Http404
    return selectors.person_get_for(request.user, public_id)


# HELPERS ------------------------------------------------------------------------------------------
def _bound_or_refreshed(request: HttpRequest, form_class, **kwargs):
    """A bound form, except when the no-JS "Update address choices" button was pressed: then an
    unbound form showing what was typed, with the district and commune lists of the new province."""
    if request.method != "POST":
        return form_class(**kwargs)
    if REFRESH_ADDRESS in request.POST:
        return form_class(initial=initial_from_post(form_class, request.POST, **kwargs), **kwargs)
    return form_class(request.POST, **kwargs)


def _add_errors(form, exc: ValidationError) -> None:
    """Service errors go next to their field; errors about fields not on the form go on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _sort_headers(request: HttpRequest, columns) -> dict:
    """For each sortable column: the `o` value its header link sets, and its aria-sort state."""
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


def _export(request: HttpRequest, rows, columns, file_type: str, name: str, list_url: str) -> HttpResponse:
    """Exactly the rows of the list page (same scope, filters and sort), every page of them."""
    if file_type not in EXPORT_TYPES:
        raise Http404
    limit = settings.OPENDOST_EXPORT_MAX_ROWS
    count = rows[: limit + 1].count()
    if count > limit:
        messages.error(
            request,
            _("More than %(limit)s rows match: narrow the filters and export again.") % {"limit": f"{limit:,}"},
        )
        return redirect(reverse(list_url) + "?" + request.GET.urlencode())
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{file_type}".replace(" ", "-")
    filters = "; ".join(f"{key}={value}" for key, value in request.GET.items() if value and key != "page")
    services.export_record(
        actor=request.user, kind=rows.model._meta.label, file_type=file_type, filters=filters, rows=count
    )
    rows = rows.iterator(chunk_size=2000)
    if file_type == "csv":
        return csv_response(rows, columns, filename=filename)
    return xlsx_response(rows, columns, filename=filename, sheet_name=name)
