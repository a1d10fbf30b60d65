"""Reads for the public exchange (no login): what a published listing publishes, and nothing else.

A listing is public while it is published and within its validity period on today's date (the rule
of permissions.listing_is_public, here as a query): an expired, withdrawn, returned or draft listing
is not found (404), in lists, search, files and statistics alike.

Nothing personal leaves this module. The owner is shown by `public_owner`: an organisation's name
and province; for a person, only "Individual scientist" and the name of their organisation. The
listing's own contact name, email and phone, an owner's address, email or phone, are never read by
the public pages; an interested party reaches the owner through the Department (brokerage).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.http import urlencode

from opendost.classifications.models import ClassificationNode
from opendost.common.text import fold
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit
from opendost.marketplace import selectors_brokerage
from opendost.marketplace.enums import ListingKind, ListingStatus
from opendost.marketplace.models import Listing, ListingFile, SavedSearch

MAX_QUERY_WORDS = 10
_WORD = re.compile(r"\w+")
# Raster images are shown in the page; anything else (an SVG can carry a script) is a download.
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def public_listings(*, today: dt.date | None = None) -> QuerySet[Listing]:
    """Published listings still valid today, newest first, with what a list row shows."""
    today = today or timezone.localdate()
    return (
        Listing.objects.filter(status=ListingStatus.PUBLISHED)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("field", "province", "owner_organization__province", "owner_person__organization")
        .order_by("-published_on", "-pk")
    )


def query_words(query: str | None) -> list[str]:
    """The folded words of a typed query ("Công nghệ, sinh học" -> ["cong", "nghe", "sinh", "hoc"])."""
    return _WORD.findall(fold(query))[:MAX_QUERY_WORDS]


def search(queryset: QuerySet[Listing], query: str | None) -> QuerySet[Listing]:
    """Listings whose folded text (title, summary, keywords, field: `search_text`) holds every word
    of the query, ignoring diacritics, đ/d and case."""
    for word in query_words(query):
        queryset = queryset.filter(search_text__contains=word)
    return queryset


@dataclass(frozen=True)
class ListingFilters:
    kind: str = ""
    query: str = ""
    field: ClassificationNode | None = None
    province: AdminUnit | None = None
    trl_min: int | None = None
    trl_max: int | None = None
    ip_status: str = ""
    transfer_mode: str = ""
    price_negotiable: bool | None = None


def _field_and_below(node: ClassificationNode) -> Q:
    """A field and its sub-fields (classifications are three levels deep at most)."""
    return Q(field=node) | Q(field__parent=node) | Q(field__parent__parent=node)


def public_listing_list(filters: ListingFilters, *, today: dt.date | None = None) -> QuerySet[Listing]:
    """The public list with its tab (kind), words and filters, each optional."""
    queryset = public_listings(today=today)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.field is not None:
        queryset = queryset.filter(_field_and_below(filters.field))
    if filters.province is not None:
        queryset = queryset.filter(province=filters.province)
    if filters.trl_min is not None:
        queryset = queryset.filter(readiness_level__gte=filters.trl_min)
    if filters.trl_max is not None:
        queryset = queryset.filter(readiness_level__lte=filters.trl_max)
    if filters.ip_status:
        queryset = queryset.filter(ip_status=filters.ip_status)
    if filters.transfer_mode:
        # A JSON list's text holds each mode in quotes on both databases ('["licence", "sale"]');
        # JSONField's `contains` does not exist on SQLite.
        queryset = queryset.annotate(modes_text=Cast("transfer_modes", TextField())).filter(
            modes_text__contains=f'"{filters.transfer_mode}"'
        )
    if filters.price_negotiable is not None:
        queryset = queryset.filter(price_negotiable=filters.price_negotiable)
    return search(queryset, filters.query)


def with_images(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    """Each listing's images in `listing.images` (one query for the whole page)."""
    images = ListingFile.objects.filter(is_image=True).only("public_id", "name", "listing_id", "is_image")
    return queryset.prefetch_related(Prefetch("files", queryset=images, to_attr="images"))


def public_listing_get(public_id, *, today: dt.date | None = None) -> Listing:
    """One public listing with its files, or Http404 (also for a malformed id)."""
    queryset = public_listings(today=today).prefetch_related(
        Prefetch("files", queryset=ListingFile.objects.order_by("-is_image", "pk"), to_attr="all_files")
    )
    try:
        return queryset.get(public_id=public_id)
    except (Listing.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def public_file_get(listing_public_id, file_public_id, *, today: dt.date | None = None) -> ListingFile:
    """A file of a public listing, or Http404: a file of any other listing is not found."""
    public = public_listings(today=today).filter(public_id=listing_public_id)
    try:
        return ListingFile.objects.select_related("listing").get(public_id=file_public_id, listing__in=public)
    except (ListingFile.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def public_in_bulk(listing_ids, *, today: dt.date | None = None) -> dict[int, Listing]:
    """Those of these listings that are public today, by pk, with what a row shows (matching may
    rank any listing; one query)."""
    return public_listings(today=today).in_bulk(list(listing_ids))


# OWNER --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicOwner:
    """What the public sees of a listing's owner."""

    individual: bool  # a person: shown as "Individual scientist"
    organization: str  # the organisation's public name ("" if none)
    province: str  # the organisation's province ("" if none)


def public_owner(listing: Listing) -> PublicOwner:
    if listing.owner_organization_id:
        org = listing.owner_organization
        return PublicOwner(False, org.name, org.province.name if org.province_id else "")
    if listing.owner_person_id:
        org = listing.owner_person.organization
        return PublicOwner(True, org.name if org else "", "")
    return PublicOwner(False, "", "")


# FILTER CHOICES -----------------------------------------------------------------------------------
def field_options(*, today: dt.date | None = None) -> QuerySet[ClassificationNode]:
    """The S&T fields of public listings, with their parent fields (to filter a whole branch)."""
    used = public_listings(today=today).filter(field__isnull=False).values("field_id")
    return (
        ClassificationNode.objects.filter(
            Q(pk__in=used) | Q(children__pk__in=used) | Q(children__children__pk__in=used)
        )
        .distinct()
        .order_by("scheme_id", "code")
    )


def province_options(*, today: dt.date | None = None) -> QuerySet[AdminUnit]:
    """The provinces of public listings."""
    used = public_listings(today=today).filter(province__isnull=False).values("province_id")
    return AdminUnit.objects.filter(pk__in=used).order_by("name", "pk")


# STATISTICS ---------------------------------------------------------------------------------------
def listings_by_kind(*, today: dt.date | None = None) -> list[tuple[str, str, int]]:
    """(kind, label, count) of public listings, every kind listed (0 included)."""
    rows = public_listings(today=today).order_by().values("kind").annotate(n=Count("pk"))
    counts = {row["kind"]: row["n"] for row in rows}
    return [(kind.value, str(kind.label), counts.get(kind.value, 0)) for kind in ListingKind]


def listings_by_field(*, today: dt.date | None = None) -> list[tuple[str, int]]:
    """("code name" of the S&T field, count) of public listings, most first; "" for those without."""
    rows = (
        public_listings(today=today)
        .order_by()
        .values("field__code", "field__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "field__code")
    )
    named = [(f"{r['field__code']} {r['field__name']}", r["n"]) for r in rows if r["field__code"] is not None]
    unnamed = sum(r["n"] for r in rows if r["field__code"] is None)
    return named + ([("", unnamed)] if unnamed else [])


@dataclass(frozen=True)
class PublicStatistics:
    by_kind: list[tuple[str, str, int]]
    by_field: list[tuple[str, int]]
    brokerage: selectors_brokerage.PublicStatistics  # connections and deals by year and by field

    @property
    def listings(self) -> int:
        return sum(n for _kind, _label, n in self.by_kind)


def public_statistics(*, today: dt.date | None = None) -> PublicStatistics:
    """Counts only: public listings by kind and by S&T field (published and valid today), and the
    brokered connections and signed deals by year and by field (selectors_brokerage)."""
    return PublicStatistics(
        by_kind=listings_by_kind(today=today),
        by_field=listings_by_field(today=today),
        brokerage=selectors_brokerage.public_statistics(),
    )


# SAVED SEARCHES (the user's own) -------------------------------------------------------------------
def saved_searches_for(user) -> QuerySet[SavedSearch]:
    """The user's saved searches, by name."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user).select_related("field", "province").order_by("name", "pk")


def saved_search_get_for(user, public_id) -> SavedSearch:
    """One of the user's saved searches, or Http404 (another user's is not found)."""
    try:
        return saved_searches_for(user).get(public_id=public_id)
    except (SavedSearch.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def saved_search_query(search: SavedSearch) -> str:
    """The public list's query string that runs the saved search."""
    params = {
        "kind": search.kind,
        "q": search.query,
        "field": search.field_id or "",
        "province": search.province_id or "",
        "trl_min": search.min_readiness_level or "",
    }
    return urlencode({key: value for key, value in params.items() if value})


def search_options() -> tuple[QuerySet[ClassificationNode], QuerySet[AdminUnit]]:
    """What a saved search may name: S&T fields of the first two levels, today's provinces, and those
    of public listings (which may use an earlier code set)."""
    fields = ClassificationNode.objects.filter(Q(level__lte=2) | Q(pk__in=field_options().values("pk"))).order_by(
        "scheme_id", "code"
    )
    provinces = AdminUnit.objects.filter(
        Q(level=AdminLevel.PROVINCE, code_set=CodeSet.CURRENT) | Q(pk__in=province_options().values("pk"))
    ).order_by("name", "pk")
    return fields, provinces
