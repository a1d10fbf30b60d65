"""The public technology exchange in a real browser: a visitor browses, searches without diacritics
(the results swap in with htmx), opens a listing and sees its share tags; every page passes axe.

Elements are found by ids, names and addresses, not by their texts (the pages are in Vietnamese).
"""

import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from opendost.marketplace import services
from opendost.marketplace.enums import ListingKind, ListingStatus
from tests.marketplace.factories import listing_factory, officer_of
from tests.marketplace.images import PNG
from tests.subjects.factories import OrganizationFactory, PersonFactory, field_nodes

pytestmark = pytest.mark.browser
# Screenshots for a person to look at; never committed.
SCREENSHOT_DIR = Path(tempfile.gettempdir())


def test_a_visitor_browses_searches_and_opens_a_listing(page, assert_accessible):
    fields = field_nodes()
    offer = listing_factory(
        status=ListingStatus.PUBLISHED,
        title="Công nghệ sấy lạnh nông sản bằng bơm nhiệt",
        summary="Sấy lạnh vải thiều, nhãn giữ màu và hương vị.",
        keywords="sấy lạnh; bơm nhiệt",
        field=fields.engineering,
    )
    department = offer.department
    services.listing_file_add(
        actor=officer_of(department), listing=offer, upload=SimpleUploadedFile("may-say.png", PNG)
    )
    institute = OrganizationFactory(department=department, name="Viện Cơ điện Nông nghiệp")
    scientist = PersonFactory(
        department=department, full_name="Phạm Thị Bí Mật", email="bimat@example.vn", organization=institute
    )
    need = listing_factory(
        department=department,
        kind=ListingKind.NEED,
        status=ListingStatus.PUBLISHED,
        owner_person=scientist,
        title="Cần dây chuyền đóng gói chân không",
        summary="Hợp tác xã cần đóng gói nông sản chân không.",
    )
    draft = listing_factory(department=department, title="Công nghệ chưa duyệt")

    page.goto(reverse("exchange:browse"))
    listings = page.locator("#listings")
    expect(listings.locator(f"a[href='{reverse('exchange:listing_detail', args=[offer.public_id])}']")).to_be_visible()
    expect(listings.locator(f"a[href='{reverse('exchange:listing_detail', args=[need.public_id])}']")).to_be_visible()
    expect(page.get_by_text(draft.title)).to_have_count(0)
    assert_accessible(page, label="exchange browse")

    page.locator("#id_q").fill("say lanh")
    page.locator("#filter-form button[type=submit]").click()
    expect(listings.locator("li.card")).to_have_count(1)
    assert "q=say" in page.url  # htmx pushed the search to the address bar
    assert_accessible(page, label="exchange search results")
    page.screenshot(path=SCREENSHOT_DIR / "opendost-exchange-search.png", full_page=True)

    page.locator(f"#listings a[href='{reverse('exchange:listing_detail', args=[offer.public_id])}']").click()
    expect(page.locator("h1")).to_have_text(offer.title)
    expect(page.locator("meta[property='og:title']")).to_have_attribute("content", offer.title)
    expect(page.locator("meta[property='og:image']")).to_have_count(1)
    expect(page.locator("main img").first).to_be_visible()
    expect(page.locator(f"main a[href^='{reverse('accounts:login')}?next=']")).to_be_visible()
    assert_accessible(page, label="exchange listing page")
    page.screenshot(path=SCREENSHOT_DIR / "opendost-exchange-listing.png", full_page=True)

    page.goto(reverse("exchange:listing_detail", args=[need.public_id]))
    content = page.content()
    assert scientist.full_name not in content and scientist.email not in content
    assert institute.name in content
    assert_accessible(page, label="exchange need page")

    page.goto(reverse("exchange:statistics"))
    expect(page.locator("#by-kind")).to_be_visible()
    assert_accessible(page, label="exchange statistics")
