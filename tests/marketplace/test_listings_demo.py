"""The demo listings load through the services, in every state, with matching pairs."""

import pytest
from django.utils import timezone

from opendost.demo import services as demo_services
from opendost.marketplace import selectors
from opendost.marketplace.enums import ListingKind, ListingSource, ListingStatus
from opendost.marketplace.models import Listing
from opendost.marketplace.permissions import listing_is_public

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, monkeypatch):
    """The kernel's demo province with the S&T tasks (their results are offered) and the listings."""
    settings.OPENDOST_DEMO_ALLOWED = True
    lines = []

    def tasks_and_listings(**context):
        from opendost.marketplace.demo_listings import load
        from opendost.projects.demo import load as projects_load

        lines.append(projects_load(**context))
        lines.append(load(**context))
        return lines

    monkeypatch.setattr(demo_services, "_write_domain_demos", tasks_and_listings)
    report = demo_services.demo_load()
    assert report.loaded
    return lines


def test_demo_listings_in_every_state_and_kind_with_matching_pairs(demo):
    """One load (the S&T tasks demo is slow), several checks."""
    summary = demo[-1]
    assert summary.startswith("Technology exchange: 39 listings")
    assert Listing.objects.count() == 39
    assert set(Listing.objects.values_list("status", flat=True)) == set(ListingStatus.values)
    assert set(Listing.objects.values_list("kind", flat=True)) == set(ListingKind.values)
    assert set(Listing.objects.values_list("source", flat=True)) == set(ListingSource.values)
    assert Listing.objects.filter(source=ListingSource.TASK_RESULT).count() == 4
    assert Listing.objects.filter(source=ListingSource.OFFICER).count() == 3
    assert not Listing.objects.exclude(department__code="bac-ninh").exists()
    today = timezone.localdate()
    soon = [
        listing
        for listing in Listing.objects.filter(status=ListingStatus.PUBLISHED)
        if listing.valid_until and (listing.valid_until - today).days <= 30
    ]
    assert len(soon) >= 4
    public = [listing for listing in Listing.objects.all() if listing_is_public(listing, today)]
    assert len(public) >= 15
    assert not any(listing_is_public(x, today) for x in Listing.objects.filter(status=ListingStatus.EXPIRED))

    _applicant_has_its_own_listings()
    _needs_have_matching_offers()


def _applicant_has_its_own_listings():
    from opendost.accounts.models import User

    applicant = User.objects.get(username="doanhnghiep")
    mine = selectors.my_listings_for(applicant)
    assert mine.count() >= 3
    assert {listing.owner_organization_id for listing in mine} == {applicant.organization_id}
    assert selectors.moderation_queue_for(User.objects.get(username="lanhdao")).exists()
    assert not selectors.listing_list_for(User.objects.get(username="canbo.langson")).exists()


def _needs_have_matching_offers():
    from opendost.marketplace import matching

    need = Listing.objects.get(title="Cần hệ thống kiểm tra quang học tự động phát hiện lỗi hàn bo mạch")
    offer = Listing.objects.get(title__startswith="Hệ thống kiểm tra quang học tự động (AOI)")
    assert offer in [m.listing for m in matching.matches_for(need, limit=5)]
    need = Listing.objects.get(title="Cần công nghệ xử lý rơm rạ, phụ phẩm nông nghiệp thành phân bón hữu cơ")
    assert Listing.objects.get(title__startswith="Chế phẩm vi sinh xử lý phụ phẩm") in [
        m.listing for m in matching.matches_for(need, limit=5)
    ]
