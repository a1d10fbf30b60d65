"""The public technology exchange (no login): browse and search listings, a shareable page per
listing, its files, and the exchange's statistics.

Only published listings still valid today are found (selectors_public); any other answers 404 with
nothing about it. No personal data is shown: see selectors_public.public_owner.
"""

import mimetypes

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from opendost.common.pagination import paginate
from opendost.marketplace import matching, selectors_public
from opendost.marketplace.enums import ListingKind
from opendost.marketplace.forms_public import ListingFilterForm

RELATED_LIMIT = 5


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@login_not_required
@require_GET
def browse(request: HttpRequest) -> HttpResponse:
    """Tabs per kind, words (accent-insensitive) and filters; pages without a count."""
    today = timezone.localdate()
    form = ListingFilterForm(request.GET, today=today)
    filters = form.filters()
    listings = selectors_public.with_images(selectors_public.public_listing_list(filters, today=today))
    page = paginate(listings, request.GET.get("page"), settings.OPENDOST_PAGE_SIZE)
    rows = [(listing, selectors_public.public_owner(listing)) for listing in page.rows]
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": rows,
        "kinds": ListingKind.choices,
        "current_kind": filters.kind,
    }
    template = "marketplace/public/browse.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _interest_url(listing) -> str | None:
    """The brokerage page where a logged-in applicant expresses interest (None until it exists)."""
    try:
        return reverse("marketplace:interest_express", args=[listing.public_id])
    except NoReverseMatch:
        return None


def _related(listing, today) -> list[dict]:
    """Matching needs for an offer (offers, equipment and services for a need), ranked by the
    matching engine with its reasons; public listings only."""
    matches = matching.matches_for(listing, limit=RELATED_LIMIT, today=today)
    public = selectors_public.public_in_bulk([m.listing.pk for m in matches], today=today)
    return [
        {"listing": public[m.listing.pk], "reasons": [str(r) for r in m.reasons]}
        for m in matches
        if m.listing.pk in public
    ]


def _call_to_action(request: HttpRequest, listing) -> dict:
    """What the visitor can do: an applicant of another organisation expresses interest; a visitor
    logs in first; staff and the owner see no button."""
    user = request.user
    if not user.is_authenticated:
        login = reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
        return {"login_url": login}
    organization_id = getattr(user, "organization_id", None)
    own = organization_id is not None and organization_id == listing.owner_organization_id
    if user.has_perm("accounts.use_applicant_services") and organization_id and not own:
        return {"interest_url": _interest_url(listing)}
    return {}


@login_not_required
@require_GET
def listing_detail(request: HttpRequest, public_id) -> HttpResponse:
    """The shareable page of a public listing (OpenGraph and Twitter card tags for link previews)."""
    today = timezone.localdate()
    listing = selectors_public.public_listing_get(public_id, today=today)
    images = [f for f in listing.all_files if f.is_image]
    attachments = [f for f in listing.all_files if not f.is_image]
    page_url = _absolute(reverse("exchange:listing_detail", args=[listing.public_id]))
    first_image = None
    if images:
        first_image = _absolute(reverse("exchange:file", args=[listing.public_id, images[0].public_id]))
    context = {
        "listing": listing,
        "owner": selectors_public.public_owner(listing),
        "images": images,
        "attachments": attachments,
        "related": _related(listing, today),
        "page_url": page_url,
        "share_image": first_image,
        **_call_to_action(request, listing),
    }
    return render(request, "marketplace/public/listing.html", context)


@login_not_required
@require_GET
def listing_file(request: HttpRequest, public_id, file_id) -> FileResponse:
    """A file of a public listing: raster images inline, anything else as a download."""
    item = selectors_public.public_file_get(public_id, file_id)
    if not item.file.name or not item.file.storage.exists(item.file.name):
        raise Http404
    content_type = mimetypes.guess_type(item.name)[0] or "application/octet-stream"
    inline = item.is_image and content_type in selectors_public.INLINE_IMAGE_TYPES
    if not inline and content_type.startswith(("text/", "image/svg")):
        content_type = "application/octet-stream"
    response = FileResponse(
        item.file.open("rb"), as_attachment=not inline, filename=item.name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts only: listings by kind and field, connections and deals by year."""
    return render(request, "marketplace/public/statistics.html", {"stats": selectors_public.public_statistics()})
