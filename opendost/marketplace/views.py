"""Staff and applicant pages of the technology exchange's listings.

Staff (marketplace.view_listing) see their jurisdiction's listings; an applicant sees the listings it
posted or its organisation owns ("My listings"). A listing outside both is not found (404), never
forbidden. Writes go through services.py, which checks permissions and rules again.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendost.audit.selectors import history_for
from opendost.common.excel import csv_response, xlsx_response
from opendost.common.locking import EditConflict
from opendost.common.pagination import paginate
from opendost.marketplace import forms, selectors, services
from opendost.marketplace import permissions as perms
from opendost.marketplace.enums import ListingKind, ListingStatus
from opendost.marketplace.exports import LISTING_COLUMNS
from opendost.subjects.services import export_record
from opendost.workflow.exceptions import TransitionNotAllowed

EXPORT_TYPES = ("xlsx", "csv")
ACTIONS = ("submit", "publish", "return", "withdraw", "renew")
IMPORT_SPEC = "marketplace.listings"


# STAFF LIST -------------------------------------------------------------------------------------
@require_GET
@permission_required("marketplace.view_listing", raise_exception=True)
def listing_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.listing_filterset_for(request.user, request.GET)
    page = paginate(filterset.qs, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    user = request.user
    context = {
        "filter": filterset,
        "page": page,
        "kinds": ListingKind.choices,
        "can_add": perms.can_add_listing(user, user.department_id),
        "can_export": perms.can_export_listings(user),
        "can_moderate": user.has_perm("marketplace.moderate_listing"),
        "import_spec": IMPORT_SPEC,
    }
    template = "marketplace/listing_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_GET
@permission_required("marketplace.export_listing", raise_exception=True)
def listing_export(request: HttpRequest, file_type: str) -> HttpResponse:
    if file_type not in EXPORT_TYPES:
        raise Http404
    rows = selectors.listing_list_for(request.user, request.GET)
    limit = settings.OPENDOST_EXPORT_MAX_ROWS
    count = rows[: limit + 1].count()
    if count > limit:
        messages.error(
            request,
            _("More than %(limit)s rows match: narrow the filters and export again.") % {"limit": f"{limit:,}"},
        )
        return redirect(reverse("marketplace:listing_list") + "?" + request.GET.urlencode())
    name = _("exchange-listings")
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{file_type}"
    filters = "; ".join(f"{key}={value}" for key, value in request.GET.items() if value and key != "page")
    export_record(actor=request.user, kind="marketplace.Listing", file_type=file_type, filters=filters, rows=count)
    if file_type == "csv":
        return csv_response(rows.iterator(chunk_size=2000), LISTING_COLUMNS, filename=filename)
    return xlsx_response(rows.iterator(chunk_size=2000), LISTING_COLUMNS, filename=filename, sheet_name=name[:31])


@require_GET
@permission_required("marketplace.moderate_listing", raise_exception=True)
def moderation_queue(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.moderation_queue_for(request.user), request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    return render(request, "marketplace/moderation_queue.html", {"page": page, "return_form": forms.ReturnForm()})


# CREATE AND EDIT --------------------------------------------------------------------------------
def _kind_or_404(kind: str) -> str:
    if kind not in ListingKind.values:
        raise Http404
    return kind


def _owner_choices(user):
    from opendost.subjects.selectors import organization_choices_for, person_choices_for

    return organization_choices_for(user), person_choices_for(user)


@require_http_methods(["GET", "POST"])
def listing_create(request: HttpRequest, kind: str) -> HttpResponse:
    """An officer posts a listing of its department for an owner of the register."""
    kind = _kind_or_404(kind)
    user = request.user
    if not perms.can_add_listing(user, user.department_id):
        raise PermissionDenied
    organizations, people = _owner_choices(user)
    form = forms.ListingForm(request.POST or None, kind=kind, organizations=organizations, people=people)
    if form.is_bound and form.is_valid():
        try:
            listing = services.listing_create(actor=user, department=user.department, kind=kind, **form.service_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Listing saved as a draft: submit it for moderation when it is complete."))
            return redirect(listing)
    title = _("New listing: %(kind)s") % {"kind": ListingKind(kind).label}
    return _form_page(request, form, title, reverse("marketplace:listing_list"))


@require_http_methods(["GET", "POST"])
def need_capture(request: HttpRequest) -> HttpResponse:
    """An officer records a need heard in a survey, an inspection or at a fair, for an enterprise."""
    user = request.user
    if not perms.can_add_listing(user, user.department_id):
        raise PermissionDenied
    organizations, _people = _owner_choices(user)
    form = forms.ListingForm(request.POST or None, kind=ListingKind.NEED, organizations=organizations, capture=True)
    if form.is_bound and form.is_valid():
        data = form.service_data()
        organization = data.pop("owner_organization")
        try:
            listing = services.need_capture(actor=user, department=user.department, organization=organization, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Need recorded for %(name)s.") % {"name": organization.name})
            return redirect(listing)
    return _form_page(request, form, _("Capture a need for an enterprise"), reverse("marketplace:listing_list"))


@require_http_methods(["GET", "POST"])
def listing_edit(request: HttpRequest, public_id) -> HttpResponse:
    listing = selectors.listing_get_for(request.user, public_id)
    if not perms.can_edit_listing(request.user, listing):
        raise PermissionDenied
    officer = perms.is_listing_officer(request.user, listing)
    organizations, people = _owner_choices(request.user) if officer else (None, None)
    form = forms.ListingForm(
        request.POST or None,
        kind=listing.kind,
        instance=listing,
        organizations=organizations,
        people=people,
        capture=officer and listing.source == "officer",
    )
    if form.is_bound and form.is_valid():
        try:
            listing = services.listing_update(
                actor=request.user,
                listing=listing,
                expected_version=form.expected_version(),
                original=form.started_from(),
                **form.service_data(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Listing saved."))
            return redirect(listing)
    return _form_page(
        request, form, _("Edit listing %(code)s") % {"code": listing.code}, listing.get_absolute_url(), listing=listing
    )


# DETAIL AND ACTIONS -----------------------------------------------------------------------------
@require_GET
def listing_detail(request: HttpRequest, public_id) -> HttpResponse:
    user = request.user
    listing = selectors.listing_get_for(user, public_id)
    staff = user.has_perm("marketplace.view_listing") and perms.can_view_listing(user, listing)
    today = timezone.localdate()
    context = {
        "listing": listing,
        "staff": staff,
        "today": today,
        "is_public": perms.listing_is_public(listing, today),
        "files": selectors.listing_files(listing),
        "transitions": selectors.listing_history(listing),
        "history": history_for(listing, user) if staff else None,
        "can_edit": perms.can_edit_listing(user, listing),
        "can_submit": listing.status in (ListingStatus.DRAFT, ListingStatus.RETURNED)
        and perms.can_submit_listing(user, listing),
        "can_moderate": listing.status == ListingStatus.SUBMITTED and perms.can_moderate_listing(user, listing),
        "can_withdraw": listing.status in (ListingStatus.PUBLISHED, ListingStatus.EXPIRED)
        and perms.can_withdraw_listing(user, listing),
        "can_renew": listing.status == ListingStatus.EXPIRED and perms.can_renew_listing(user, listing),
        "return_form": forms.ReturnForm(),
        "withdraw_form": forms.WithdrawForm(),
        "renew_form": forms.RenewForm(),
        "file_form": forms.ListingFileForm(),
    }
    return render(request, "marketplace/listing_detail.html", context)


@require_POST
def listing_action(request: HttpRequest, public_id, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    user = request.user
    listing = selectors.listing_get_for(user, public_id)
    done = {
        "submit": _("Listing submitted for moderation."),
        "publish": _("Listing published."),
        "return": _("Listing returned to its owner."),
        "withdraw": _("Listing withdrawn."),
        "renew": _("Listing renewed and submitted for moderation."),
    }[action]
    try:
        if action == "submit":
            services.listing_submit(actor=user, listing=listing)
        elif action == "publish":
            services.listing_publish(actor=user, listing=listing)
        elif action == "return":
            services.listing_return(actor=user, listing=listing, reason=request.POST.get("reason", ""))
        elif action == "withdraw":
            services.listing_withdraw(actor=user, listing=listing, reason=request.POST.get("reason", ""))
        else:
            form = forms.RenewForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"valid_until": [_("Enter the new end date as dd/mm/yyyy.")]})
            services.listing_renew(actor=user, listing=listing, valid_until=form.cleaned_data["valid_until"])
    except (ValidationError, TransitionNotAllowed) as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    target = request.POST.get("next", "")
    if target == "queue" and user.has_perm("marketplace.moderate_listing"):
        return redirect("marketplace:moderation_queue")
    return redirect(listing)


# FILES ------------------------------------------------------------------------------------------
@require_POST
def listing_file_add(request: HttpRequest, public_id) -> HttpResponse:
    listing = selectors.listing_get_for(request.user, public_id)
    if not perms.can_edit_listing(request.user, listing):
        raise PermissionDenied
    form = forms.ListingFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect(listing)
    try:
        services.listing_file_add(actor=request.user, listing=listing, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("File added."))
    return redirect(listing)


@require_POST
def listing_file_remove(request: HttpRequest, public_id) -> HttpResponse:
    item = selectors.listing_file_get_for(request.user, public_id)
    listing = item.listing
    services.listing_file_remove(actor=request.user, item=item)
    messages.success(request, _("File removed."))
    return redirect(listing)


@require_GET
def listing_file_download(request: HttpRequest, public_id) -> HttpResponse:
    item = selectors.listing_file_get_for(request.user, public_id)
    return FileResponse(item.file.open("rb"), as_attachment=not item.is_image, filename=item.name)


# TASK RESULT -> OFFER ---------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def offer_from_result(request: HttpRequest, public_id) -> HttpResponse:
    """Make a draft offer from an accepted S&T task result (GET: what will be filled in; POST: make it)."""
    from opendost.projects.models import TaskResult

    user = request.user
    if not user.has_perm("projects.view_task"):
        raise Http404
    result = get_object_or_404(
        TaskResult.objects.visible_to(user).select_related("task__host", "task__principal_investigator", "field"),
        public_id=public_id,
    )
    existing = services.offer_of_result(result)
    if existing is not None:
        messages.info(request, _("This result is already offered as listing %(code)s.") % {"code": existing.code})
        return redirect(existing)
    if not perms.can_add_listing(user, result.department_id):
        raise PermissionDenied
    if request.method == "POST":
        try:
            listing = services.offer_from_result(actor=user, result=result)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(result.task)
        messages.success(
            request,
            _(
                "Offer %(code)s drafted from the result: complete its readiness level, transfer modes and price, "
                "then submit it."
            )
            % {"code": listing.code},
        )
        return redirect("marketplace:listing_edit", public_id=listing.public_id)
    context = {"result": result, "task": result.task, "accepted": services.result_is_accepted(result)}
    return render(request, "marketplace/offer_from_result.html", context)


# APPLICANT PAGES --------------------------------------------------------------------------------
def _require_applicant(request: HttpRequest) -> None:
    if not perms.is_applicant(request.user):
        raise PermissionDenied


@require_GET
def my_listings(request: HttpRequest) -> HttpResponse:
    _require_applicant(request)
    rows = selectors.my_listings_for(request.user, request.GET)
    page = paginate(rows, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    context = {
        "page": page,
        "kinds": ListingKind.choices,
        "statuses": ListingStatus.choices,
        "organization": request.user.organization,
        "query": request.GET,
    }
    return render(request, "marketplace/my_listings.html", context)


@require_http_methods(["GET", "POST"])
def my_listing_create(request: HttpRequest, kind: str) -> HttpResponse:
    """An applicant posts a listing for its own organisation."""
    kind = _kind_or_404(kind)
    _require_applicant(request)
    if request.user.organization is None:
        messages.error(
            request, _("Your account is not linked to an organisation: ask the Department to link it before posting.")
        )
        return redirect("marketplace:my_listings")
    form = forms.ListingForm(request.POST or None, kind=kind)
    if form.is_bound and form.is_valid():
        try:
            listing = services.listing_create(actor=request.user, kind=kind, **form.service_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Listing saved as a draft: submit it for moderation when it is complete."))
            return redirect(listing)
    title = _("New listing: %(kind)s") % {"kind": ListingKind(kind).label}
    return _form_page(request, form, title, reverse("marketplace:my_listings"))


# HELPERS ----------------------------------------------------------------------------------------
def _form_page(request: HttpRequest, form, title: str, cancel_url: str, **extra) -> HttpResponse:
    context = {"form": form, "title": title, "cancel_url": cancel_url, **extra}
    return render(request, "marketplace/listing_form.html", context)


def _add_errors(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
