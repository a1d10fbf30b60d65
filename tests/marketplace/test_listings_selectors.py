"""Reads of listings: scoping, filters, the moderation queue, the applicant's own listings, and
a bounded number of queries whatever the number of rows."""

import pytest
from django.conf import settings

from opendost.common.pagination import paginate
from opendost.marketplace import selectors
from opendost.marketplace.enums import ListingKind, ListingStatus
from tests.marketplace.factories import listing_factory
from tests.marketplace.listings_fixtures import *  # noqa: F403
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
S = ListingStatus


def codes(rows) -> set[str]:
    return {listing.code for listing in rows}


def test_staff_list_is_scoped_to_the_jurisdiction(officer, outsider, department, other_department):
    mine = listing_factory(department=department)
    theirs = listing_factory(department=other_department)
    assert codes(selectors.listing_list_for(officer)) == {mine.code}
    assert codes(selectors.listing_list_for(outsider)) == {theirs.code}


def test_staff_list_filters(officer, department, nodes, units):
    offer = listing_factory(
        department=department,
        status=S.PUBLISHED,
        title="Công nghệ sấy thăng hoa vải thiều",
        field=nodes.engineering,
        province=units.bac_ninh,
    )
    need = listing_factory(kind=ListingKind.NEED, department=department, title="Cần máy sao chè")
    assert codes(selectors.listing_list_for(officer, {"kind": "need"})) == {need.code}
    assert codes(selectors.listing_list_for(officer, {"status": "published"})) == {offer.code}
    assert codes(selectors.listing_list_for(officer, {"field": str(nodes.engineering.pk)})) == {offer.code}
    assert codes(selectors.listing_list_for(officer, {"province": str(units.bac_ninh.pk)})) == {offer.code}
    # Accent-insensitive, every word, in any order; and by code.
    assert codes(selectors.listing_list_for(officer, {"q": "VAI THIEU say"})) == {offer.code}
    assert codes(selectors.listing_list_for(officer, {"q": "sao chè"})) == {need.code}
    assert codes(selectors.listing_list_for(officer, {"q": need.code.lower()})) == {need.code}
    assert codes(selectors.listing_list_for(officer, {"q": "máy bay"})) == set()


def test_moderation_queue_oldest_first_for_moderators_only(officer, leader, applicant, department, frozen):
    import datetime as dt

    first = listing_factory(department=department, status=S.SUBMITTED)
    frozen.shift(dt.timedelta(hours=1))
    second = listing_factory(department=department, status=S.SUBMITTED)
    listing_factory(department=department, status=S.PUBLISHED)
    listing_factory(department=department)
    assert [x.code for x in selectors.moderation_queue_for(leader)] == [first.code, second.code]
    assert [x.code for x in selectors.moderation_queue_for(officer)] == [first.code, second.code]
    assert not selectors.moderation_queue_for(applicant).exists()


def test_my_listings_are_posted_or_owned(applicant, colleague, other_applicant, enterprise, department):
    posted = listing_factory(actor=applicant)
    by_officer_for_us = listing_factory(department=department, owner=enterprise)
    other = listing_factory(actor=other_applicant)
    assert codes(selectors.my_listings_for(applicant)) == {posted.code, by_officer_for_us.code}
    assert codes(selectors.my_listings_for(colleague)) == {posted.code, by_officer_for_us.code}
    assert codes(selectors.my_listings_for(other_applicant)) == {other.code}
    assert codes(selectors.my_listings_for(applicant, {"kind": "need"})) == set()
    assert codes(selectors.my_listings_for(applicant, {"status": "draft"})) == {posted.code, by_officer_for_us.code}


def test_listing_get_for_owner_staff_and_outsiders(applicant, other_applicant, officer, outsider, inspector):
    from django.http import Http404

    listing = listing_factory(actor=applicant)
    assert selectors.listing_get_for(applicant, listing.public_id) == listing
    assert selectors.listing_get_for(officer, listing.public_id) == listing
    for intruder in (other_applicant, outsider, inspector):
        with pytest.raises(Http404):
            selectors.listing_get_for(intruder, listing.public_id)


def _many(department, n, **kwargs):
    for i in range(n):
        owner = OrganizationFactory(department=department)
        listing_factory(department=department, owner=owner, title=f"Công nghệ số {i}", **kwargs)


def _warm(user) -> None:
    """Permissions and jurisdiction are cached on the user after the first request's checks."""
    user.has_perm("marketplace.view_listing")
    user.is_department_staff  # noqa: B018
    list(selectors.listing_list_for(user)[:1])


def test_staff_list_page_queries_do_not_grow_with_rows(officer, department, django_assert_max_num_queries):
    _many(department, 3, status=S.PUBLISHED)
    _warm(officer)
    with django_assert_max_num_queries(1) as few:
        rows = paginate(selectors.listing_list_for(officer), 1, settings.OPENDOST_PAGE_SIZE).rows
        [(r.owner_organization.name, r.field, r.province, r.department.name) for r in rows]
    _many(department, 12, status=S.PUBLISHED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = paginate(selectors.listing_list_for(officer), 1, settings.OPENDOST_PAGE_SIZE).rows
        [(r.owner_organization.name, r.field, r.province, r.department.name) for r in rows]
    assert len(rows) == 15


def test_queue_and_my_listings_queries_are_bounded(leader, applicant, department, django_assert_max_num_queries):
    _many(department, 8, status=S.SUBMITTED)
    for _ in range(5):
        listing_factory(actor=applicant)
    _warm(leader)
    _warm(applicant)
    with django_assert_max_num_queries(1):
        rows = list(selectors.moderation_queue_for(leader))
        [(r.owner_organization.name, r.created_by.full_name, r.field) for r in rows]
    with django_assert_max_num_queries(1):
        rows = list(selectors.my_listings_for(applicant))
        [(r.owner_organization.name, r.field, r.province) for r in rows]
    assert len(rows) == 5
