"""Who may do what with listings of the technology exchange.

- An owner is the user who created the listing, or an applicant whose organisation is the listing's
  owner organisation. An owner edits, submits, withdraws and renews only its own listings, and edits
  them only while they are drafts or returned.
- An officer of the department (marketplace.change_listing in its jurisdiction) edits any listing of
  the department; moderation (publish / return) needs marketplace.moderate_listing there.
- The public sees a listing only while it is published and within its validity period
  (`listing_is_public`), the one rule shared by the portal and the staff pages.
"""

import datetime as dt

from opendost.departments.scoping import has_perm_in
from opendost.marketplace.enums import ListingStatus

OWNER_EDITABLE = (ListingStatus.DRAFT, ListingStatus.RETURNED)
OFFICER_EDITABLE = (
    ListingStatus.DRAFT,
    ListingStatus.SUBMITTED,
    ListingStatus.RETURNED,
    ListingStatus.PUBLISHED,
    ListingStatus.EXPIRED,
)
APPLICANT_PERM = "accounts.use_applicant_services"


def is_applicant(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(APPLICANT_PERM))


def is_listing_owner(user, listing) -> bool:
    """The user posted the listing, or represents (as an applicant) the organisation that owns it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if listing.created_by_id is not None and listing.created_by_id == user.pk:
        return True
    organization_id = getattr(user, "organization_id", None)
    return bool(organization_id and organization_id == listing.owner_organization_id and user.has_perm(APPLICANT_PERM))


def is_listing_officer(user, listing) -> bool:
    return has_perm_in(user, "marketplace.change_listing", listing.department_id)


def can_add_listing(user, department) -> bool:
    return has_perm_in(user, "marketplace.add_listing", department)


def can_view_listing(user, listing) -> bool:
    return is_listing_owner(user, listing) or has_perm_in(user, "marketplace.view_listing", listing.department_id)


def can_edit_listing(user, listing) -> bool:
    if is_listing_officer(user, listing):
        return listing.status in OFFICER_EDITABLE
    return is_listing_owner(user, listing) and listing.status in OWNER_EDITABLE


def can_submit_listing(user, listing) -> bool:
    return is_listing_owner(user, listing) or is_listing_officer(user, listing)


def can_moderate_listing(user, listing) -> bool:
    return has_perm_in(user, "marketplace.moderate_listing", listing.department_id)


def can_withdraw_listing(user, listing) -> bool:
    return is_listing_owner(user, listing) or is_listing_officer(user, listing)


def can_renew_listing(user, listing) -> bool:
    return is_listing_owner(user, listing) or is_listing_officer(user, listing)


def can_export_listings(user, department=None) -> bool:
    if department is None:
        return user.is_authenticated and user.has_perm("marketplace.export_listing")
    return has_perm_in(user, "marketplace.export_listing", department)


def listing_is_public(listing, today: dt.date) -> bool:
    """Published and within its validity period on `today` (an expired listing leaves the public
    pages the day after its valid_until, even before the daily job marks it expired)."""
    if listing.status != ListingStatus.PUBLISHED:
        return False
    if listing.valid_from is not None and listing.valid_from > today:
        return False
    return listing.valid_until is None or listing.valid_until >= today
