"""Reads of listings for the staff pages and the applicants' own pages (the public portal's reads are
in selectors_public.py). Staff see their jurisdiction's listings (`visible_to`); an applicant sees the
listings it posted or its organisation owns. A listing outside these is not found (404)."""

from collections.abc import Mapping

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from opendost.classifications.models import ClassificationNode
from opendost.common.text import fold
from opendost.geography.models import AdminUnit
from opendost.marketplace import permissions as perms
from opendost.marketplace.enums import ListingKind, ListingStatus
from opendost.marketplace.models import Listing, ListingFile
from opendost.subjects.filters import FieldFilter, ProvinceFilter
from opendost.workflow.selectors import transition_history

LIST_RELATED = ("department", "field", "owner_organization", "owner_person", "province")


def _words(value: str) -> list[str]:
    return [w for w in fold(value).split() if w][:8]


def search_filter(qs: QuerySet, value: str) -> QuerySet:
    """Every word, accent-insensitive, in the listing's folded text or its code."""
    for word in _words(value):
        qs = qs.filter(Q(search_text__contains=word) | Q(code__icontains=word))
    return qs


class ListingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Words or code"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ListingKind.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ListingStatus.choices, empty_label=_("All"))
    field = FieldFilter(
        label=_("S&T field"),
        queryset=ClassificationNode.objects.filter(pk__in=Listing.objects.values("field")).select_related("scheme"),
        empty_label=_("All"),
    )
    province = ProvinceFilter(
        label=_("Province"),
        queryset=AdminUnit.objects.filter(pk__in=Listing.objects.values("province")).order_by("name"),
        empty_label=_("All"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"

    def search(self, qs, name, value):
        return search_filter(qs, value)


def _listing_rows(qs: QuerySet) -> QuerySet:
    return qs.select_related(*LIST_RELATED).order_by("-updated_at", "-pk")


def listing_filterset_for(user, filters: Mapping | None) -> ListingFilter:
    return ListingFilter(filters or None, queryset=_listing_rows(Listing.objects.visible_to(user)))


def listing_list_for(user, filters: Mapping | None = None) -> QuerySet[Listing]:
    """The staff list: the user's jurisdiction, filtered by kind, status, field, province and words."""
    return listing_filterset_for(user, filters).qs


def moderation_queue_for(user) -> QuerySet[Listing]:
    """Submitted listings the user may moderate, oldest first (first come, first served)."""
    if not user.has_perm("marketplace.moderate_listing"):
        return Listing.objects.none()
    return (
        Listing.objects.visible_to(user)
        .filter(status=ListingStatus.SUBMITTED)
        .select_related(*LIST_RELATED, "created_by")
        .order_by("updated_at", "pk")
    )


def owned_filter(user) -> Q:
    """Listings the user posted, or (an applicant) its organisation owns."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    query = Q(created_by_id=user.pk)
    if getattr(user, "organization_id", None) and perms.is_applicant(user):
        query |= Q(owner_organization_id=user.organization_id)
    return query


def my_listings_for(user, filters: Mapping | None = None) -> QuerySet[Listing]:
    """An applicant's own listings (posted by it or owned by its organisation), newest first."""
    qs = Listing.objects.filter(owned_filter(user))
    filters = filters or {}
    if filters.get("kind") in ListingKind.values:
        qs = qs.filter(kind=filters["kind"])
    if filters.get("status") in ListingStatus.values:
        qs = qs.filter(status=filters["status"])
    if filters.get("q"):
        qs = search_filter(qs, filters["q"])
    return _listing_rows(qs)


def listing_get_for(user, public_id) -> Listing:
    """A listing the user may see: a staff member's jurisdiction with the view permission, or its
    owner's own listing; anything else is not found."""
    related = Listing.objects.select_related(
        *LIST_RELATED, "commune", "created_by", "source_result__task", "field__scheme"
    )
    listing = None
    if user.has_perm("marketplace.view_listing"):
        listing = related.visible_to(user).filter(public_id=public_id).first()
    if listing is None:
        listing = related.filter(owned_filter(user), public_id=public_id).first()
    if listing is None:
        raise Http404
    return listing


def listing_file_get_for(user, public_id) -> ListingFile:
    item = ListingFile.objects.select_related("listing").filter(public_id=public_id).first()
    if item is None or not perms.can_view_listing(user, item.listing):
        raise Http404
    return item


def listing_files(listing: Listing) -> list[ListingFile]:
    return list(listing.files.order_by("-is_image", "pk"))


def listing_history(listing: Listing):
    """The status changes of the listing, with the states' labels."""
    steps = transition_history(listing)
    for step in steps:
        step.from_label = _state_label(step.from_state)
        step.to_label = _state_label(step.to_state)
    return steps


def _state_label(value: str) -> str:
    try:
        return str(ListingStatus(value).label)
    except ValueError:
        return value
