"""Who may do what with brokered connections and fairs.

- Staff: an officer follows connections with marketplace.broker_connection, and keeps fairs with
  marketplace.add_fair / change_fair, each on rows of the departments in their jurisdiction.
- Applicants hold no model permission: an applicant account acts for its organisation
  (`user.organization`). It is a party to a connection when its organisation is the interested
  party (the seeker), or owns the offer or the need; it sees those connections, read-only, and
  nothing else (another organisation's connection is a 404).
"""

from opendost.departments.scoping import has_perm_in
from opendost.marketplace.permissions import APPLICANT_PERM

BROKER_PERM = "marketplace.broker_connection"
VIEW_PERM = "marketplace.view_connection"


def can_broker(user, connection) -> bool:
    """The officer may move the connection, record its events and files and edit it."""
    return has_perm_in(user, BROKER_PERM, connection.department_id)


def can_broker_in(user, department) -> bool:
    return has_perm_in(user, BROKER_PERM, department)


def can_view_connection_as_staff(user, connection) -> bool:
    return has_perm_in(user, VIEW_PERM, connection.department_id)


def can_add_fair(user, department) -> bool:
    return has_perm_in(user, "marketplace.add_fair", department)


def can_change_fair(user, fair) -> bool:
    return has_perm_in(user, "marketplace.change_fair", fair.department_id)


def applicant_organization_id(user) -> int | None:
    """The organisation an applicant account acts for, or None (not an applicant, or no organisation)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    organization_id = getattr(user, "organization_id", None)
    if organization_id is None or not user.has_perm(APPLICANT_PERM):
        return None
    return organization_id


def owner_organization_id(listing) -> int | None:
    """The organisation that owns a listing: its owner organisation, else the owner person's employer."""
    if listing is None:
        return None
    if listing.owner_organization_id is not None:
        return listing.owner_organization_id
    if listing.owner_person_id is not None:
        return listing.owner_person.organization_id
    return None


def is_party(user, connection) -> bool:
    organization_id = applicant_organization_id(user)
    if organization_id is None:
        return False
    return organization_id in {
        connection.seeker_id,
        owner_organization_id(connection.offer),
        owner_organization_id(connection.need),
    }
