"""The public technology exchange (/exchange/): what anyone sees without logging in.

Only published listings within their validity period are found, in the list, the search, the
listing page, its files and the statistics; nothing personal is shown about an owner.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.marketplace import services
from opendost.marketplace.enums import IpStatus, ListingKind, ListingStatus, TransferMode
from opendost.subjects.enums import OrganizationKind
from tests.factories import DepartmentFactory, UserFactory
from tests.marketplace.factories import applicant_of, listing_factory, officer_of
from tests.marketplace.images import PDF, PNG
from tests.subjects.factories import OrganizationFactory, PersonFactory, address_units, field_nodes

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=HANOI), tick=False)


@pytest.fixture(autouse=True)
def today():
    with at(TODAY):
        yield TODAY


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def officer(department):
    return officer_of(department)


@pytest.fixture
def institute(department):
    units = address_units()
    return OrganizationFactory(
        department=department,
        kind=OrganizationKind.ST_ORGANIZATION,
        name="Viện Công nghệ Sinh học Bắc Ninh",
        province=units.bac_ninh,
        address_line="Số 9 đường Lý Thái Tổ",
        phone="0222 3812 345",
        email="vien@example.vn",
    )


def published(department, **fields):
    return listing_factory(department=department, status=ListingStatus.PUBLISHED, **fields)


def browse(client, **params):
    return client.get(reverse("exchange:browse"), params)


def titles(response) -> list[str]:
    return [listing.title for listing, _owner in response.context["rows"]]


def detail_url(listing) -> str:
    return reverse("exchange:listing_detail", args=[listing.public_id])


# VISIBILITY -----------------------------------------------------------------------------------------
@pytest.fixture
def every_state(department):
    """One listing in each state (and a published one whose validity has not begun or has run out)."""
    rows = {
        status: listing_factory(department=department, status=status, title=f"Công nghệ ở trạng thái {status}")
        for status in ListingStatus.values
    }
    with at(TODAY - dt.timedelta(days=400)):
        rows["published_then_lapsed"] = published(
            department, title="Công nghệ đã hết hạn hiệu lực", valid_until=TODAY - dt.timedelta(days=1)
        )
    rows["published_later"] = published(
        department, title="Công nghệ chưa đến ngày hiệu lực", valid_from=TODAY + dt.timedelta(days=10)
    )
    return rows


def test_only_published_and_valid_listings_are_listed_and_found(client, every_state):
    response = browse(client)
    assert response.status_code == 200
    assert titles(response) == ["Công nghệ ở trạng thái published"]

    assert titles(browse(client, q="cong nghe")) == ["Công nghệ ở trạng thái published"]
    assert titles(browse(client, q="trạng thái draft")) == []
    assert titles(browse(client, q="het han hieu luc")) == []


def test_a_listing_that_is_not_public_answers_404_and_says_nothing(client, every_state):
    assert client.get(detail_url(every_state[ListingStatus.PUBLISHED])).status_code == 200
    for key, listing in every_state.items():
        if key == ListingStatus.PUBLISHED:
            continue
        response = client.get(detail_url(listing))
        assert response.status_code == 404, key
        assert listing.title.encode() not in response.content
        assert listing.code.encode() not in response.content


def test_a_listing_leaves_the_portal_the_day_after_its_validity_ends(client, department):
    listing = published(department, valid_until=TODAY + dt.timedelta(days=3))

    with at(TODAY + dt.timedelta(days=3)):
        assert client.get(detail_url(listing)).status_code == 200
    with at(TODAY + dt.timedelta(days=4)):
        assert client.get(detail_url(listing)).status_code == 404
        assert titles(browse(client)) == []


def test_a_withdrawn_listing_disappears(client, department, officer):
    listing = published(department)
    assert client.get(detail_url(listing)).status_code == 200

    services.listing_withdraw(actor=officer, listing=listing)

    assert client.get(detail_url(listing)).status_code == 404
    assert titles(browse(client)) == []


def test_a_malformed_or_unknown_id_is_404(client):
    assert client.get("/exchange/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/exchange/not-a-uuid/").status_code == 404


# NO PERSONAL DATA -----------------------------------------------------------------------------------
def test_a_person_owner_shows_as_individual_scientist_with_only_the_organisation_name(client, department, institute):
    person = PersonFactory(
        department=department,
        full_name="Nguyễn Thị Hồng Nhung",
        email="nhung.nguyen@example.vn",
        phone="0912 345 678",
        organization=institute,
    )
    listing = published(
        department,
        owner_person=person,
        contact_name="Trần Văn Liên Hệ",
        contact_email="lienhe@example.vn",
        contact_phone="0987 654 321",
        location_text="Số 12 ngõ 34 phố Riêng Tư",
    )

    pages = [client.get(detail_url(listing)), browse(client)]

    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "Individual scientist" in html
        assert institute.name in html
        for secret in (
            person.full_name,
            person.email,
            person.phone,
            person.citizen_id,
            listing.contact_name,
            listing.contact_email,
            listing.contact_phone,
            listing.location_text,
            institute.email,
            institute.phone,
            institute.address_line,
        ):
            assert secret not in html, secret


def test_an_organisation_owner_shows_its_name_and_province_only(client, department, institute):
    listing = published(department, owner_organization=institute, contact_email="phong.qlkh@example.vn")

    html = client.get(detail_url(listing)).content.decode()

    assert institute.name in html
    assert institute.province.name in html
    for secret in (institute.email, institute.phone, institute.address_line, listing.contact_email):
        assert secret not in html


# SEARCH AND FILTERS ---------------------------------------------------------------------------------
def test_search_ignores_diacritics_case_and_punctuation(client, department):
    published(department, title="Chuyển giao công nghệ sấy lạnh nông sản", keywords="sấy lạnh; nông sản")
    published(department, title="Dây chuyền đóng gói", summary="Đóng gói chân không.", keywords="")

    assert titles(browse(client, q="cong nghe")) == ["Chuyển giao công nghệ sấy lạnh nông sản"]
    assert titles(browse(client, q="CÔNG NGHỆ")) == ["Chuyển giao công nghệ sấy lạnh nông sản"]
    assert titles(browse(client, q="say lanh, nong san")) == ["Chuyển giao công nghệ sấy lạnh nông sản"]
    assert titles(browse(client, q="dong goi")) == ["Dây chuyền đóng gói"]
    assert titles(browse(client, q="cong nghe dong goi")) == []


def test_tabs_filter_by_kind(client, department):
    published(department, kind=ListingKind.OFFER, title="Chào bán A")
    published(department, kind=ListingKind.NEED, title="Nhu cầu B")
    published(department, kind=ListingKind.EQUIPMENT, title="Thiết bị C")
    published(department, kind=ListingKind.SERVICE, title="Dịch vụ D")

    assert set(titles(browse(client))) == {"Chào bán A", "Nhu cầu B", "Thiết bị C", "Dịch vụ D"}
    assert titles(browse(client, kind="offer")) == ["Chào bán A"]
    assert titles(browse(client, kind="need")) == ["Nhu cầu B"]
    assert titles(browse(client, kind="equipment")) == ["Thiết bị C"]
    assert titles(browse(client, kind="service")) == ["Dịch vụ D"]
    assert len(titles(browse(client, kind="nonsense"))) == 4  # an invalid value is ignored


def test_filters_by_field_province_readiness_ip_transfer_mode_and_price(client, department):
    fields, units = field_nodes(), address_units()
    maths = published(
        department,
        title="Toán",
        field=fields.maths,
        province=units.bac_ninh,
        readiness_level=3,
        ip_status=IpStatus.PATENT,
        transfer_modes=[TransferMode.LICENCE],
        price_negotiable=True,
    )
    engineering = published(
        department,
        title="Kỹ thuật",
        field=fields.engineering,
        province=units.ha_noi,
        readiness_level=8,
        ip_status=IpStatus.KNOW_HOW,
        transfer_modes=[TransferMode.SALE, TransferMode.TURNKEY],
        price_vnd=500_000_000,
        price_negotiable=False,
    )

    def only(**params):
        return titles(browse(client, **params))

    assert only(field=fields.maths.pk) == [maths.title]
    assert only(field=fields.natural.pk) == [maths.title]  # a field includes its sub-fields
    assert only(field=fields.engineering.pk) == [engineering.title]
    assert only(province=units.ha_noi.pk) == [engineering.title]
    assert only(trl_min=5) == [engineering.title]
    assert only(trl_max=5) == [maths.title]
    assert only(trl_min=4, trl_max=7) == []
    assert only(ip_status="patent") == [maths.title]
    assert only(transfer_mode="turnkey") == [engineering.title]
    assert only(transfer_mode="licence") == [maths.title]
    assert only(transfer_mode="joint_venture") == []
    assert only(price="yes") == [maths.title]
    assert only(price="no") == [engineering.title]
    assert set(only(field=999999, province="x", trl_min="zero")) == {maths.title, engineering.title}


def test_filter_choices_list_only_fields_and_provinces_of_public_listings(client, department):
    fields, units = field_nodes(), address_units()
    published(department, field=fields.maths, province=units.bac_ninh)
    listing_factory(department=department, field=fields.engineering, province=units.ha_noi)  # a draft

    form = browse(client).context["form"]

    assert set(form.fields["field"].queryset) == {fields.maths, fields.natural}
    assert list(form.fields["province"].queryset) == [units.bac_ninh]


def test_pages_have_no_count_and_a_next_link(client, department, settings):
    settings.OPENDOST_PAGE_SIZE = 2
    for i in range(5):
        published(department, title=f"Công nghệ số {i}")

    first = browse(client)
    third = browse(client, page=3)

    assert first.context["page"].has_next and len(titles(first)) == 2
    assert not third.context["page"].has_next and titles(third) == ["Công nghệ số 0"]
    assert b'rel="next"' in first.content


def test_the_list_costs_the_same_queries_for_few_or_many_listings(client, department, institute):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browse(client, q="cong nghe").status_code == 200
        return len(captured)

    officer = officer_of(department)
    person = PersonFactory(department=department, organization=institute)
    for i in range(2):
        listing = published(department, title=f"Công nghệ A{i}", owner_person=person)
        services.listing_file_add(actor=officer, listing=listing, upload=SimpleUploadedFile("a.png", PNG))
    few = queries()
    for i in range(10):
        listing = published(department, title=f"Công nghệ B{i}", owner_organization=institute)
        services.listing_file_add(actor=officer, listing=listing, upload=SimpleUploadedFile("b.png", PNG))
    many = queries()

    assert few == many
    assert many <= 5  # field and province choices, the page, its images (no session)


def test_htmx_request_gets_only_the_results(client, department):
    published(department, title="Công nghệ htmx")

    response = client.get(reverse("exchange:browse"), {"q": "htmx"}, headers={"HX-Request": "true"})

    assert b'id="results"' in response.content
    assert b"<html" not in response.content
    assert "Công nghệ htmx" in response.content.decode()


# LISTING PAGE ---------------------------------------------------------------------------------------
def test_listing_page_has_share_tags_images_and_documents(client, department, officer):
    listing = published(department, title="Máy bóc vỏ hạt điều", summary="Năng suất 500 kg/giờ.")
    image = services.listing_file_add(actor=officer, listing=listing, upload=SimpleUploadedFile("may.png", PNG))
    document = services.listing_file_add(
        actor=officer, listing=listing, upload=SimpleUploadedFile("thong-so.pdf", PDF)
    )

    response = client.get(detail_url(listing))
    html = response.content.decode()

    image_url = reverse("exchange:file", args=[listing.public_id, image.public_id])
    assert '<meta property="og:title" content="Máy bóc vỏ hạt điều">' in html
    assert '<meta property="og:description" content="Năng suất 500 kg/giờ.">' in html
    assert f'<meta property="og:image" content="http://127.0.0.1:8000{image_url}">' in html
    assert f'<meta property="og:url" content="http://127.0.0.1:8000{detail_url(listing)}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'src="{image_url}"' in html
    assert reverse("exchange:file", args=[listing.public_id, document.public_id]) in html
    assert "thong-so.pdf" in html


def test_listing_page_without_image_uses_the_summary_card(client, department):
    html = client.get(detail_url(published(department))).content.decode()

    assert '<meta name="twitter:card" content="summary">' in html
    assert "og:image" not in html


def test_listing_page_costs_a_fixed_number_of_queries(client, department, officer, django_assert_max_num_queries):
    listing = published(department)
    for name in ("a.png", "b.png", "c.pdf"):
        services.listing_file_add(
            actor=officer, listing=listing, upload=SimpleUploadedFile(name, PDF if name.endswith("pdf") else PNG)
        )

    with django_assert_max_num_queries(12):
        assert client.get(detail_url(listing)).status_code == 200


def test_a_need_shows_matching_offers_with_reasons(client, department):
    fields = field_nodes()
    need = published(
        department,
        kind=ListingKind.NEED,
        title="Cần công nghệ xử lý nước thải chăn nuôi lợn",
        summary="Trang trại cần hệ thống xử lý nước thải chăn nuôi bằng biogas.",
        keywords="nước thải chăn nuôi; biogas",
        field=fields.engineering,
    )
    offer = published(
        department,
        title="Hệ thống xử lý nước thải chăn nuôi bằng biogas kết hợp lọc sinh học",
        summary="Xử lý nước thải chăn nuôi lợn quy mô trang trại.",
        keywords="nước thải chăn nuôi; biogas",
        field=fields.engineering,
    )
    hidden = listing_factory(
        department=department,
        status=ListingStatus.WITHDRAWN,
        title="Xử lý nước thải chăn nuôi bằng biogas (đã rút)",
        keywords="nước thải chăn nuôi; biogas",
    )
    published(department, title="Máy gặt đập liên hợp", summary="Thu hoạch lúa.", keywords="máy gặt")

    response = client.get(detail_url(need))
    html = response.content.decode()

    related = [item["listing"] for item in response.context["related"]]
    assert related == [offer]
    assert response.context["related"][0]["reasons"]
    assert detail_url(offer) in html
    assert hidden.title not in html


# EXPRESS INTEREST -----------------------------------------------------------------------------------
def test_anonymous_visitor_is_offered_the_login(client, department):
    listing = published(department)

    html = client.get(detail_url(listing)).content.decode()

    assert reverse("accounts:login") + "?next=" in html


def test_an_applicant_of_another_organisation_can_express_interest(client, department, institute):
    listing = published(department, owner_organization=institute)
    enterprise = OrganizationFactory(department=department)
    client.force_login(applicant_of(enterprise))

    response = client.get(detail_url(listing))

    interest_url = reverse("marketplace:interest_express", args=[listing.public_id])
    assert response.context["interest_url"] == interest_url
    assert f'href="{interest_url}"' in response.content.decode()
    assert reverse("accounts:login") + "?next=" not in response.content.decode()


def test_the_owner_and_staff_get_no_interest_button(client, department, institute):
    listing = published(department, owner_organization=institute)

    client.force_login(applicant_of(institute))
    assert client.get(detail_url(listing)).context.get("interest_url") is None
    client.force_login(UserFactory(role=Role.OFFICER, department=department))
    response = client.get(detail_url(listing))
    assert response.context.get("interest_url") is None
    assert response.context.get("login_url") is None


# FILES ----------------------------------------------------------------------------------------------
def test_files_of_a_public_listing_download_images_inline_documents_as_attachments(client, department, officer):
    listing = published(department)
    image = services.listing_file_add(actor=officer, listing=listing, upload=SimpleUploadedFile("anh.png", PNG))
    document = services.listing_file_add(actor=officer, listing=listing, upload=SimpleUploadedFile("mo-ta.pdf", PDF))

    shown = client.get(reverse("exchange:file", args=[listing.public_id, image.public_id]))
    downloaded = client.get(reverse("exchange:file", args=[listing.public_id, document.public_id]))

    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline")
    assert b"".join(shown.streaming_content) == PNG
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert downloaded["X-Content-Type-Options"] == "nosniff"
    assert b"".join(downloaded.streaming_content) == PDF


def test_files_of_a_listing_that_is_not_public_are_404(client, department, officer):
    draft = listing_factory(department=department)
    draft_file = services.listing_file_add(actor=officer, listing=draft, upload=SimpleUploadedFile("x.png", PNG))
    public = published(department)

    assert client.get(reverse("exchange:file", args=[draft.public_id, draft_file.public_id])).status_code == 404
    # A public listing's id does not open another listing's file.
    assert client.get(reverse("exchange:file", args=[public.public_id, draft_file.public_id])).status_code == 404

    public_file = services.listing_file_add(actor=officer, listing=public, upload=SimpleUploadedFile("y.png", PNG))
    url = reverse("exchange:file", args=[public.public_id, public_file.public_id])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # read to the end: the test client closes the file
    services.listing_withdraw(actor=officer, listing=public)
    assert client.get(url).status_code == 404


# STATISTICS -----------------------------------------------------------------------------------------
def test_statistics_count_only_public_listings_by_kind_and_field(client, department, every_state):
    fields = field_nodes()
    published(department, kind=ListingKind.NEED, field=fields.maths)
    published(department, kind=ListingKind.NEED, field=fields.maths)

    response = client.get(reverse("exchange:statistics"))
    stats = response.context["stats"]

    assert response.status_code == 200
    assert {kind: n for kind, _label, n in stats.by_kind} == {"offer": 1, "need": 2, "equipment": 0, "service": 0}
    assert stats.listings == 3
    assert (f"{fields.maths.code} {fields.maths.name}", 2) in stats.by_field
    html = response.content.decode()
    for key, listing in every_state.items():
        if key != ListingStatus.PUBLISHED:
            assert listing.title not in html


def test_statistics_count_connections_and_deals_by_year(client, department, institute):
    from opendost.marketplace import services_brokerage as brokerage

    offer = published(department, owner_organization=institute)
    enterprise = OrganizationFactory(department=department, name="Công ty Cổ phần Bí Mật")
    brokerage.interest_express(actor=applicant_of(enterprise), offer=offer, message="Xin liên hệ")

    response = client.get(reverse("exchange:statistics"))
    stats = response.context["stats"]

    assert [(row.year, row.connections, row.deals) for row in stats.brokerage.by_year] == [(2026, 1, 0)]
    assert "Công ty Cổ phần Bí Mật" not in response.content.decode()
    assert "Xin liên hệ" not in response.content.decode()


# PORTAL ---------------------------------------------------------------------------------------------
def test_the_portal_home_links_to_the_exchange(client):
    html = client.get(reverse("portal:home")).content.decode()

    assert reverse("exchange:browse") in html
    assert reverse("exchange:statistics") in html
