"""Pages of brokerage: the staff list and detail with their action forms, documents and fairs; the
applicant's "Express interest", need answers and "My connections". Outsiders get 404, never data."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opendost.marketplace import services_brokerage as brokerage
from opendost.marketplace.enums import ConnectionStatus, FairStatus, ListingStatus, TransferMode
from opendost.marketplace.models import Connection, Fair
from tests.marketplace.brokerage_fixtures import *  # noqa: F403
from tests.marketplace.brokerage_fixtures import TODAY, carry_to_deal
from tests.marketplace.factories import listing_factory

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def _detail(connection):
    return reverse("marketplace:connection_detail", args=[connection.public_id])


def _do(connection, action):
    return reverse("marketplace:connection_transition", args=[connection.public_id, action])


# STAFF --------------------------------------------------------------------------------------------
def test_the_staff_list_shows_the_departments_connections(client, connection, officer):
    response = _client(client, officer).get(reverse("marketplace:connection_list"))
    assert response.status_code == 200
    assert connection.code in response.text and connection.offer.title in response.text


def test_the_staff_list_filters_with_htmx(client, connection, officer):
    response = _client(client, officer).get(
        reverse("marketplace:connection_list"), {"status": "deal"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert connection.code not in response.text and "<html" not in response.text


def test_the_staff_list_is_refused_without_the_permission(client, connection, applicant):
    assert _client(client, applicant).get(reverse("marketplace:connection_list")).status_code == 403


def test_the_staff_list_costs_a_fixed_number_of_queries(
    client, today, officer, department, enterprise, django_assert_max_num_queries
):
    for _n in range(6):
        offer = listing_factory(status=ListingStatus.PUBLISHED, department=department)
        brokerage.connection_create_by_officer(actor=officer, offer=offer, seeker=enterprise, broker=officer)
    _client(client, officer)
    client.get(reverse("marketplace:connection_list"))  # warm the session and permission caches
    with django_assert_max_num_queries(14):
        response = client.get(reverse("marketplace:connection_list"))
    assert response.text.count("KN.2026.") == 6


def test_the_detail_shows_timeline_documents_history_and_actions(client, connection, officer):
    response = _client(client, officer).get(_detail(connection))
    assert response.status_code == 200
    for text in ("Timeline", "Change history", "Introduce", "Drop", connection.message):
        assert text in response.text
    assert _do(connection, "introduce") in response.text
    assert _do(connection, "sign_deal") not in response.text  # not possible from "requested"


def test_a_leader_sees_the_detail_without_actions(client, connection, leader):
    response = _client(client, leader).get(_detail(connection))
    assert response.status_code == 200
    assert _do(connection, "introduce") not in response.text


@pytest.mark.parametrize("who", ["outsider", "applicant", "owner", "stranger"])
def test_the_staff_detail_is_a_404_for_others(client, request, connection, who):
    response = _client(client, request.getfixturevalue(who)).get(_detail(connection))
    assert response.status_code == 404


def test_the_officer_moves_a_connection_to_a_deal_through_the_forms(client, connection, officer):
    _client(client, officer)
    version = Connection.objects.get(pk=connection.pk).version
    response = client.post(
        _do(connection, "introduce"),
        {"introduce-on": "02/03/2026", "introduce-note": "Giới thiệu.", "introduce-version": version},
    )
    assert response.status_code == 302
    client.post(_do(connection, "negotiate"), {"negotiate-note": ""})
    response = client.post(
        _do(connection, "sign_deal"),
        {
            "sign_deal-signed_on": "02/03/2026",
            "sign_deal-value_vnd": "450000000",
            "sign_deal-mode": TransferMode.LICENCE,
            "sign_deal-contract_ref": "15/2026/HĐCGCN",
        },
    )
    assert response.status_code == 302
    deal = Connection.objects.get(pk=connection.pk)
    assert (deal.status, deal.deal_value_vnd) == (ConnectionStatus.DEAL, 450_000_000)


def test_a_form_with_errors_is_shown_again_with_them(client, connection, officer):
    _client(client, officer)
    response = client.post(_do(connection, "drop"), {"drop-reason": ""})
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert Connection.objects.get(pk=connection.pk).status == ConnectionStatus.REQUESTED


def test_a_service_rule_is_shown_on_the_field(client, connection, officer):
    brokerage.connection_introduce(actor=officer, connection=connection)
    brokerage.connection_negotiate(actor=officer, connection=connection)
    response = _client(client, officer).post(
        _do(connection, "sign_deal"),
        {
            "sign_deal-signed_on": "03/03/2026",
            "sign_deal-value_vnd": "5",
            "sign_deal-mode": TransferMode.LICENCE,
            "sign_deal-contract_ref": "1",
        },
    )
    assert response.status_code == 422
    assert "This date cannot be in the future." in response.text


def test_a_stale_form_is_refused_with_a_message(client, connection, officer, second_officer):
    seen = connection.version
    brokerage.connection_update(actor=second_officer, connection=connection, broker=second_officer)
    response = _client(client, officer).post(_do(connection, "drop"), {"drop-reason": "x", "drop-version": seen})
    assert response.status_code == 302
    assert Connection.objects.get(pk=connection.pk).status == ConnectionStatus.REQUESTED


def test_a_move_the_state_does_not_allow_is_refused(client, connection, officer):
    response = _client(client, officer).post(_do(connection, "negotiate"), {"negotiate-note": ""})
    assert response.status_code == 302
    assert Connection.objects.get(pk=connection.pk).status == ConnectionStatus.REQUESTED


def test_unknown_actions_and_outsiders(client, connection, officer, outsider, leader):
    assert _client(client, officer).post(_do(connection, "teleport")).status_code == 404
    assert _client(client, outsider).post(_do(connection, "drop"), {"drop-reason": "x"}).status_code == 404
    assert _client(client, leader).post(_do(connection, "drop"), {"drop-reason": "x"}).status_code == 403
    assert Connection.objects.get(pk=connection.pk).status == ConnectionStatus.REQUESTED


def test_events_and_documents_through_the_page(client, connection, officer, outsider):
    _client(client, officer)
    events = reverse("marketplace:connection_event_add", args=[connection.public_id])
    response = client.post(events, {"kind": "meeting", "happened_on": "01/03/2026", "note": "Họp tại Sở."})
    assert response.status_code == 302
    assert connection.events.get().note == "Họp tại Sở."
    assert client.post(events, {"kind": "note", "happened_on": "", "note": ""}).status_code == 422
    files = reverse("marketplace:connection_file_add", args=[connection.public_id])
    upload = SimpleUploadedFile("hop-dong.pdf", b"%PDF-1.4 hop dong", content_type="application/pdf")
    assert client.post(files, {"title": "Hợp đồng", "file": upload}).status_code == 302
    bad = SimpleUploadedFile("hop-dong.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(files, {"title": "Giả", "file": bad})
    assert response.status_code == 422 and "not a PDF file" in response.text
    item = connection.files.get()
    download = reverse("marketplace:connection_file", args=[connection.public_id, item.public_id])
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 hop dong"
    assert "attachment" in response["Content-Disposition"]
    assert _client(client, outsider).get(download).status_code == 404


def test_the_officer_opens_a_connection_by_codes(client, today, officer, offer, need, enterprise):
    _client(client, officer)
    url = reverse("marketplace:connection_create")
    assert client.get(url, {"offer_code": offer.code}).status_code == 200
    response = client.post(url, {"offer_code": "NOPE", "need_code": need.code})
    assert response.status_code == 200 and "No published listing" in response.text
    response = client.post(url, {"offer_code": offer.code.lower(), "need_code": need.code, "broker": officer.pk})
    connection = Connection.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(connection)
    assert (connection.seeker, connection.broker) == (enterprise, officer)


def test_broker_and_fair_are_edited_with_a_version_check(client, connection, officer, second_officer):
    _client(client, officer)
    url = reverse("marketplace:connection_edit", args=[connection.public_id])
    page = client.get(url)
    assert page.status_code == 200
    brokerage.connection_update(actor=second_officer, connection=connection, broker=second_officer)
    response = client.post(url, {"broker": officer.pk, "fair": "", "version": connection.version})
    assert response.status_code == 200 and "Someone else saved this record" in response.text
    response = client.post(url, {"broker": officer.pk, "fair": "", "version": connection.version + 1})
    assert response.status_code == 302
    assert Connection.objects.get(pk=connection.pk).broker == officer


def test_statistics_page(client, connection, officer):
    carry_to_deal(connection, officer)
    response = _client(client, officer).get(reverse("marketplace:connection_statistics"), {"year_from": "2026"})
    assert response.status_code == 200 and "450.000.000" in response.text


# FAIRS --------------------------------------------------------------------------------------------
def test_fairs_are_planned_registered_and_held_through_the_pages(client, today, officer, offer, outsider):
    _client(client, officer)
    response = client.post(
        reverse("marketplace:fair_create"),
        {
            "title": "Techmart 2026",
            "kind": "fair",
            "starts_on": "02/03/2026",
            "ends_on": "03/03/2026",
            "venue": "Nhà Văn hóa",
            "province": "",
            "description": "",
        },
    )
    fair = Fair.objects.get()
    assert response.status_code == 302
    detail = reverse("marketplace:fair_detail", args=[fair.public_id])
    register = reverse("marketplace:fair_register", args=[fair.public_id])
    assert client.post(register, {"listing_code": offer.code, "booth": "A01"}).status_code == 302
    response = client.post(register, {"listing_code": "KHONG-CO", "booth": "A02"})
    assert response.status_code == 422 and "No listing with this code" in response.text
    assert client.post(reverse("marketplace:fair_transition", args=[fair.public_id, "hold"])).status_code == 302
    fair.refresh_from_db()
    assert fair.status == FairStatus.HELD
    page = client.get(detail)
    assert page.status_code == 200 and offer.title in page.text and "A01" in page.text
    assert client.get(reverse("marketplace:fair_list")).status_code == 200
    assert _client(client, outsider).get(detail).status_code == 404


def test_a_fair_is_edited_and_cancelled(client, today, officer, department):
    fair = brokerage.fair_create(
        actor=officer,
        department=department,
        title="Hội chợ",
        kind="fair",
        starts_on=TODAY + dt.timedelta(days=5),
        ends_on=TODAY + dt.timedelta(days=5),
        venue="Sở",
    )
    _client(client, officer)
    edit = reverse("marketplace:fair_edit", args=[fair.public_id])
    assert client.get(edit).status_code == 200
    values = {
        "title": "Hội chợ mới",
        "kind": "fair",
        "starts_on": "07/03/2026",
        "ends_on": "06/03/2026",
        "venue": "Sở",
    }
    response = client.post(edit, values)
    assert response.status_code == 200 and "The last day cannot be before the first." in response.text
    cancel = reverse("marketplace:fair_transition", args=[fair.public_id, "cancel"])
    assert client.post(cancel, {"reason": ""}).status_code == 422
    assert client.post(cancel, {"reason": "Hoãn."}).status_code == 302
    fair.refresh_from_db()
    assert fair.status == FairStatus.CANCELLED


# APPLICANTS ---------------------------------------------------------------------------------------
def _interest(listing):
    return reverse("marketplace:interest_express", args=[listing.public_id])


def test_an_enterprise_expresses_interest_from_the_listing(client, offer, applicant, officer, owner):
    _client(client, applicant)
    page = client.get(_interest(offer))
    assert page.status_code == 200 and offer.title in page.text
    response = client.post(_interest(offer), {"message": "Chúng tôi quan tâm."})
    connection = Connection.objects.get()
    assert response["Location"] == reverse("marketplace:my_connection_detail", args=[connection.public_id])
    again = client.post(_interest(offer), {"message": "Lần nữa."})
    assert again.status_code == 200 and "already expressed interest" in again.text
    assert Connection.objects.count() == 1


def test_the_owner_is_told_it_is_its_own_listing(client, offer, owner):
    response = _client(client, owner).post(_interest(offer), {"message": "x"})
    assert response.status_code == 200 and "your own organisation" in response.text
    assert not Connection.objects.exists()


def test_interest_in_an_unpublished_listing_is_a_404(client, today, department, owner_org, applicant):
    draft = listing_factory(department=department, owner=owner_org)
    assert _client(client, applicant).get(_interest(draft)).status_code == 404


def test_staff_cannot_express_interest(client, offer, officer):
    assert _client(client, officer).post(_interest(offer), {"message": "x"}).status_code == 403


def test_interest_in_a_need_leads_to_the_answer_form(client, need, offer, owner, enterprise):
    _client(client, owner)
    response = client.get(_interest(need))
    answer = reverse("marketplace:need_answer", args=[need.public_id])
    assert response.status_code == 302 and response["Location"] == answer
    assert client.get(answer).status_code == 200
    assert client.post(answer, {"offer": offer.pk, "message": "Đề xuất."}).status_code == 302
    assert Connection.objects.get().seeker == enterprise


def test_my_connections_list_and_detail(client, connection, applicant, owner, officer):
    brokerage.connection_introduce(actor=officer, connection=connection, note="Đã gửi thư giới thiệu.")
    brokerage.connection_drop(actor=officer, connection=connection, reason="Nhận xét nội bộ của cán bộ.")
    for user in (applicant, owner):
        _client(client, user)
        assert connection.code in client.get(reverse("marketplace:my_connections")).text
        page = client.get(reverse("marketplace:my_connection_detail", args=[connection.public_id]))
        assert page.status_code == 200
        assert "Đã gửi thư giới thiệu." in page.text and "Dropped" in page.text
        assert "Nhận xét nội bộ của cán bộ." not in page.text and officer.full_name not in page.text


@pytest.mark.parametrize("who", ["stranger", "outsider"])
def test_others_get_a_404_on_my_connection(client, request, connection, who):
    user = request.getfixturevalue(who)
    url = reverse("marketplace:my_connection_detail", args=[connection.public_id])
    assert _client(client, user).get(url).status_code in ({"stranger": 404, "outsider": 403}[who],)


def test_my_connections_for_staff_is_refused(client, officer):
    assert _client(client, officer).get(reverse("marketplace:my_connections")).status_code == 403
