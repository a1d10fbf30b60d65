"""Listing pages for each role: officers, leaders, applicants (their own listings only), outsiders."""

import io

import openpyxl
import pytest
from django.urls import reverse

from opendost.marketplace.enums import CaptureChannel, ListingKind, ListingSource, ListingStatus
from opendost.marketplace.models import Listing, ListingFile
from tests.marketplace.factories import listing_factory
from tests.marketplace.listings_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
S = ListingStatus


def login(client, user):
    client.force_login(user)
    return client


def detail_url(listing):
    return reverse("marketplace:listing_detail", args=[listing.public_id])


def action_url(listing, action):
    return reverse("marketplace:listing_action", args=[listing.public_id, action])


OFFER_POST = {
    "title": "Công nghệ sấy lạnh nông sản",
    "summary": "Sấy lạnh giữ màu và vitamin.",
    "keywords": "sấy lạnh; nông sản",
    "readiness_level": "7",
    "transfer_modes": ["licence", "consulting"],
    "price_negotiable": "on",
}
NEED_POST = {
    "title": "Cần công nghệ xử lý nước thải",
    "summary": "Trang trại cần xử lý nước thải.",
    "expected_result": "Đạt QCVN.",
    "budget_min_vnd": "100000000",
    "budget_max_vnd": "300000000",
}


# STAFF LIST -------------------------------------------------------------------------------------
def test_officer_lists_filters_and_sees_its_department_only(client, officer, department, other_department):
    mine = listing_factory(department=department, title="Chế phẩm vi sinh Bắc Ninh")
    theirs = listing_factory(department=other_department, title="Chế phẩm của tỉnh khác")
    response = login(client, officer).get(reverse("marketplace:listing_list"))
    assert response.status_code == 200
    assert mine.title in response.text and theirs.title not in response.text
    response = client.get(reverse("marketplace:listing_list"), {"q": "vi sinh", "kind": "need"})
    assert mine.title not in response.text
    response = client.get(reverse("marketplace:listing_list"), {"q": "che pham"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert mine.title in response.text and "<html" not in response.text  # the #results partial only


def test_list_page_queries_do_not_grow(client, officer, department, django_assert_max_num_queries):
    listing_factory(department=department)
    login(client, officer).get(reverse("marketplace:listing_list"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("marketplace:listing_list"))
    for _ in range(6):
        listing_factory(department=department)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("marketplace:listing_list"))
    assert response.text.count("BAC-NINH-CN26-") == 7


def test_roles_without_the_view_permission_get_403(client, inspector, applicant):
    assert login(client, inspector).get(reverse("marketplace:listing_list")).status_code == 403
    assert login(client, applicant).get(reverse("marketplace:listing_list")).status_code == 403
    assert client.get(reverse("marketplace:moderation_queue")).status_code == 403


def test_export_to_excel_of_the_filtered_rows(client, officer, department):
    listing_factory(department=department, title="Lò nung gốm tiết kiệm năng lượng", status=S.PUBLISHED)
    listing_factory(department=department, kind=ListingKind.NEED, title="Cần máy sao chè")
    response = login(client, officer).get(reverse("marketplace:listing_export", args=["xlsx"]), {"kind": "offer"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Code", "Kind", "Title")
    assert [row[2] for row in rows[1:]] == ["Lò nung gốm tiết kiệm năng lượng"]
    csv = login(client, officer).get(reverse("marketplace:listing_export", args=["csv"]))
    assert "Cần máy sao chè" in b"".join(csv.streaming_content).decode("utf-8")
    assert client.get(reverse("marketplace:listing_export", args=["pdf"])).status_code == 404


def test_export_needs_the_permission(client, department, db):
    from opendost.accounts.roles import Role
    from tests.factories import UserFactory

    admin = UserFactory(role=Role.ADMINISTRATOR, department=None)
    assert login(client, admin).get(reverse("marketplace:listing_list")).status_code == 200
    assert client.get(reverse("marketplace:listing_export", args=["xlsx"])).status_code == 403


# CREATE, EDIT, CAPTURE --------------------------------------------------------------------------
def test_officer_creates_an_offer_for_an_owner(client, officer, enterprise):
    url = reverse("marketplace:listing_create", args=["offer"])
    assert login(client, officer).get(url).status_code == 200
    response = client.post(url, {**OFFER_POST, "owner_organization": enterprise.pk})
    listing = Listing.objects.get()
    assert response.status_code == 302 and response.url == detail_url(listing)
    assert listing.owner_organization == enterprise
    assert listing.transfer_modes == ["licence", "consulting"]
    assert listing.created_by == officer


def test_form_errors_keep_the_input(client, officer, enterprise):
    url = reverse("marketplace:listing_create", args=["offer"])
    response = login(client, officer).post(
        url, {**OFFER_POST, "owner_organization": enterprise.pk, "transfer_modes": []}
    )
    assert response.status_code == 200
    assert "Choose at least one transfer mode of the offer." in response.text
    assert "Công nghệ sấy lạnh nông sản" in response.text
    assert not Listing.objects.exists()


def test_unknown_kind_is_404(client, officer):
    assert login(client, officer).get(reverse("marketplace:listing_create", args=["barter"])).status_code == 404


def test_leader_cannot_create(client, leader):
    assert login(client, leader).get(reverse("marketplace:listing_create", args=["need"])).status_code == 403


def test_officer_captures_a_need(client, officer, enterprise):
    url = reverse("marketplace:need_capture")
    assert login(client, officer).get(url).status_code == 200
    response = client.post(url, {**NEED_POST, "owner_organization": enterprise.pk, "capture_channel": "inspection"})
    assert response.status_code == 302
    need = Listing.objects.get()
    assert (need.kind, need.source, need.capture_channel) == ("need", ListingSource.OFFICER, CaptureChannel.INSPECTION)
    assert need.owner_organization == enterprise


def test_edit_with_version_and_conflict(client, officer, department):
    listing = listing_factory(department=department)
    url = reverse("marketplace:listing_edit", args=[listing.public_id])
    page = login(client, officer).get(url)
    assert page.status_code == 200
    version = page.context["form"].initial["version"]
    original = page.context["form"].initial["original"]
    data = {
        **OFFER_POST,
        "owner_organization": listing.owner_organization_id,
        "version": version,
        "original": original,
        "title": "Tên mới",
    }
    assert client.post(url, data).status_code == 302
    listing.refresh_from_db()
    assert listing.title == "Tên mới"
    stale = client.post(url, {**data, "title": "Tên cũ hơn"})
    assert stale.status_code == 200
    assert "Someone else saved this record" in stale.text
    listing.refresh_from_db()
    assert listing.title == "Tên mới"


# DETAIL AND ACTIONS -----------------------------------------------------------------------------
def test_detail_shows_actions_history_and_files(client, officer, department):
    listing = listing_factory(department=department, status=S.SUBMITTED)
    response = login(client, officer).get(detail_url(listing))
    assert response.status_code == 200
    assert response.context["can_moderate"] and not response.context["can_submit"]
    assert "Draft → Awaiting moderation" in response.text
    assert action_url(listing, "publish") in response.text


def test_moderation_from_the_queue(client, leader, department):
    first = listing_factory(department=department, status=S.SUBMITTED)
    second = listing_factory(department=department, status=S.SUBMITTED)
    queue = login(client, leader).get(reverse("marketplace:moderation_queue"))
    assert queue.status_code == 200 and first.title in queue.text
    response = client.post(action_url(first, "publish"), {"next": "queue"})
    assert response.url == reverse("marketplace:moderation_queue")
    client.post(action_url(second, "return"), {"reason": "Thiếu mô tả.", "next": "queue"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.PUBLISHED, S.RETURNED)
    assert second.return_reason == "Thiếu mô tả."


def test_return_without_reason_shows_the_error(client, leader, department):
    listing = listing_factory(department=department, status=S.SUBMITTED)
    response = login(client, leader).post(action_url(listing, "return"), {"reason": ""}, follow=True)
    assert "Give the reasons for returning the listing." in response.text
    listing.refresh_from_db()
    assert listing.status == S.SUBMITTED


def test_wrong_state_is_a_message_not_an_error(client, officer, department):
    listing = listing_factory(department=department)
    response = login(client, officer).post(action_url(listing, "publish"), follow=True)
    assert response.status_code == 200
    assert "is not possible while the record is" in response.text


def test_unknown_action_is_404(client, officer, department):
    listing = listing_factory(department=department)
    assert login(client, officer).post(action_url(listing, "delete")).status_code == 404


def test_renew_and_withdraw_from_the_page(client, applicant):
    expired = listing_factory(actor=applicant, status=S.EXPIRED)
    login(client, applicant).post(action_url(expired, "renew"), {"valid_until": "31/12/2026"})
    expired.refresh_from_db()
    assert expired.status == S.SUBMITTED
    bad = listing_factory(actor=applicant, status=S.EXPIRED)
    response = client.post(action_url(bad, "renew"), {"valid_until": "someday"}, follow=True)
    assert "dd/mm/yyyy" in response.text
    published = listing_factory(actor=applicant, status=S.PUBLISHED)
    client.post(action_url(published, "withdraw"), {"reason": "Đã bán"})
    published.refresh_from_db()
    assert published.status == S.WITHDRAWN


def test_outsider_officer_gets_404_everywhere(client, outsider, department):
    listing = listing_factory(department=department, status=S.SUBMITTED)
    login(client, outsider)
    assert client.get(detail_url(listing)).status_code == 404
    assert client.get(reverse("marketplace:listing_edit", args=[listing.public_id])).status_code == 404
    assert client.post(action_url(listing, "publish")).status_code == 404
    assert client.post(reverse("marketplace:listing_file_add", args=[listing.public_id])).status_code == 404
    listing.refresh_from_db()
    assert listing.status == S.SUBMITTED


# FILES ------------------------------------------------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_owner_uploads_downloads_and_removes_a_file(client, applicant, other_applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    listing = listing_factory(actor=applicant)
    login(client, applicant).post(
        reverse("marketplace:listing_file_add", args=[listing.public_id]), {"file": SimpleUploadedFile("anh.png", PNG)}
    )
    item = ListingFile.objects.get()
    response = client.get(reverse("marketplace:listing_file_download", args=[item.public_id]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    bad = client.post(
        reverse("marketplace:listing_file_add", args=[listing.public_id]),
        {"file": SimpleUploadedFile("x.exe", b"MZ")},
        follow=True,
    )
    assert "This type of file is not accepted" in bad.text
    login(client, other_applicant)
    assert client.get(reverse("marketplace:listing_file_download", args=[item.public_id])).status_code == 404
    assert client.post(reverse("marketplace:listing_file_remove", args=[item.public_id])).status_code == 404
    login(client, applicant).post(reverse("marketplace:listing_file_remove", args=[item.public_id]))
    assert not ListingFile.objects.exists()


# APPLICANT --------------------------------------------------------------------------------------
def test_applicant_posts_edits_and_submits_its_own_listing(client, applicant, enterprise):
    login(client, applicant)
    assert client.get(reverse("marketplace:my_listings")).status_code == 200
    form = client.get(reverse("marketplace:my_listing_create", args=["need"]))
    assert form.status_code == 200 and "owner_organization" not in form.context["form"].fields
    response = client.post(reverse("marketplace:my_listing_create", args=["need"]), NEED_POST)
    listing = Listing.objects.get()
    assert response.url == detail_url(listing)
    assert listing.owner_organization == enterprise and listing.created_by == applicant
    page = client.get(detail_url(listing))
    assert page.status_code == 200 and page.context["can_submit"] and not page.context["staff"]
    client.post(action_url(listing, "submit"))
    listing.refresh_from_db()
    assert listing.status == S.SUBMITTED
    assert client.get(reverse("marketplace:listing_edit", args=[listing.public_id])).status_code == 403
    assert client.post(action_url(listing, "publish")).status_code == 403
    listing.refresh_from_db()
    assert listing.status == S.SUBMITTED
    mine = client.get(reverse("marketplace:my_listings"))
    assert listing.title in mine.text


def test_other_applicant_gets_404_on_someone_elses_listing(client, applicant, other_applicant, foreign_applicant):
    listing = listing_factory(actor=applicant)
    for intruder in (other_applicant, foreign_applicant):
        login(client, intruder)
        assert client.get(detail_url(listing)).status_code == 404
        assert client.get(reverse("marketplace:listing_edit", args=[listing.public_id])).status_code == 404
        assert client.post(action_url(listing, "submit")).status_code == 404
        assert listing.title not in client.get(reverse("marketplace:my_listings")).text


def test_staff_cannot_use_applicant_pages(client, officer):
    assert login(client, officer).get(reverse("marketplace:my_listings")).status_code == 403
    assert client.get(reverse("marketplace:my_listing_create", args=["offer"])).status_code == 403


def test_menus(client, officer, applicant):
    from opendost.web.navigation import menu_for

    officer_items = {item.url_name for item in menu_for(officer)}
    assert {"marketplace:listing_list", "marketplace:moderation_queue"} <= officer_items
    assert "marketplace:my_listings" not in officer_items
    applicant_items = {item.url_name for item in menu_for(applicant)}
    assert "marketplace:my_listings" in applicant_items and "marketplace:listing_list" not in applicant_items


# TASK RESULT -> OFFER ---------------------------------------------------------------------------
@pytest.fixture
def result(department, officer, leader, institute):
    from tests.projects.helpers import Flow
    from tests.subjects.factories import PersonFactory

    pi = PersonFactory(department=department, full_name="Trần Văn Đức", organization=institute)
    return Flow(department=department, officer=officer, leader=leader, host=institute, pi=pi).result()


def test_offer_from_result_button_and_view(client, officer, result):
    task_page = login(client, officer).get(result.task.get_absolute_url())
    url = reverse("marketplace:offer_from_result", args=[result.public_id])
    assert url in task_page.text
    assert client.get(url).status_code == 200
    response = client.post(url)
    offer = Listing.objects.get(source_result=result)
    assert response.url == reverse("marketplace:listing_edit", args=[offer.public_id])
    again = client.get(url)
    assert again.status_code == 302 and again.url == detail_url(offer)
    client.post(url)
    assert Listing.objects.filter(source_result=result).count() == 1


def test_offer_from_result_for_others(client, leader, outsider, result):
    url = reverse("marketplace:offer_from_result", args=[result.public_id])
    task_page = login(client, leader).get(result.task.get_absolute_url())
    assert url not in task_page.text
    assert client.post(url).status_code == 403
    assert login(client, outsider).get(url).status_code == 404
    assert not Listing.objects.exists()


def test_import_page_of_the_old_exchange(client, officer, leader):
    url = reverse("imports:start", args=["marketplace.listings"])
    assert login(client, officer).get(url).status_code == 200
    assert login(client, leader).get(url).status_code in (403, 404)
