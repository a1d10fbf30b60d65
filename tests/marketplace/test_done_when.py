"""Issue 6, "Done when", end to end through the pages a user clicks:

An enterprise posts a need, an officer approves it, matching offers appear with reasons, the
enterprise expresses interest in one, the officer carries the connection to a signed deal, and the
plan counts it. (The task-result-to-offer step and the permission and moderation rules are tested
by the listings helper's tests: tests/marketplace/test_listings_*.py.)
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.marketplace import matching
from opendost.marketplace import services as listing_services
from opendost.marketplace.enums import ConnectionStatus, ListingKind, ListingStatus, TransferMode
from opendost.marketplace.models import Connection, Listing
from opendost.planning import selectors as plan_selectors
from opendost.planning import services as plan_services
from opendost.subjects.enums import OrganizationKind
from tests.factories import DepartmentFactory, UserFactory
from tests.marketplace.brokerage_fixtures import at
from tests.marketplace.factories import applicant_of, listing_factory
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 16)


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_need_to_matched_offer_to_interest_to_signed_deal_counted_by_the_plan():
    with at(TODAY):
        department = DepartmentFactory(code="bac-ninh", governing_body="UBND TỈNH BẮC NINH")
        officer = UserFactory(role=Role.OFFICER, department=department)
        leader = UserFactory(role=Role.LEADER, department=department)
        institute = OrganizationFactory(
            department=department, kind=OrganizationKind.ST_ORGANIZATION, name="Viện Công nghệ sinh học"
        )
        enterprise = OrganizationFactory(
            department=department, kind=OrganizationKind.ENTERPRISE, name="Công ty TNHH Chăn nuôi Hiệp Hòa"
        )
        enterprise_user = applicant_of(enterprise)
        matching_offer = listing_factory(
            status=ListingStatus.PUBLISHED,
            department=department,
            owner=institute,
            title="Công nghệ xử lý nước thải chăn nuôi bằng biogas và đệm lót sinh học",
            summary="Hệ thống biogas kết hợp đệm lót sinh học xử lý nước thải trang trại lợn, gà đạt QCVN.",
            keywords="nước thải chăn nuôi; biogas; đệm lót sinh học",
        )
        listing_factory(
            status=ListingStatus.PUBLISHED,
            department=department,
            owner=institute,
            title="Phần mềm quản lý thư viện số",
            summary="Số hóa và tra cứu tài liệu thư viện.",
            keywords="thư viện số; phần mềm",
        )

        # 1. The enterprise posts its need (a draft, submitted for moderation).
        need = listing_services.listing_create(
            actor=enterprise_user,
            kind=ListingKind.NEED,
            title="Cần công nghệ xử lý nước thải chăn nuôi lợn",
            summary="Trang trại 3.000 con lợn cần xử lý nước thải bằng biogas, đạt QCVN 62-MT:2016/BTNMT.",
            keywords="nước thải chăn nuôi; biogas",
            expected_result="Hệ thống xử lý 80 m3/ngày.",
            budget_min_vnd=300_000_000,
            budget_max_vnd=900_000_000,
        )
        listing_services.listing_submit(actor=enterprise_user, listing=need)
        assert Listing.objects.get(pk=need.pk).status == ListingStatus.SUBMITTED

        # 2. The officer approves it.
        listing_services.listing_publish(actor=officer, listing=need)
        need.refresh_from_db()
        assert need.status == ListingStatus.PUBLISHED

        # 3. Matching offers appear, ranked, with the reasons they matched.
        matches = matching.matches_for(need, limit=5)
        assert matches and matches[0].listing == matching_offer
        assert matches[0].reasons
        assert any("biogas" in term for term in matches[0].shared_terms)
        assert all(str(reason) for reason in matches[0].reasons)

        # 4. The enterprise expresses interest in the offer (the "Express interest" page of a listing).
        enterprise_client = _login(enterprise_user)
        interest_url = reverse("marketplace:interest_express", args=[matching_offer.public_id])
        assert enterprise_client.get(interest_url).status_code == 200
        response = enterprise_client.post(interest_url, {"message": "Chúng tôi cần hệ thống cho trang trại."})
        connection = Connection.objects.get()
        assert response.status_code == 302
        assert (connection.offer, connection.seeker, connection.status) == (
            matching_offer,
            enterprise,
            ConnectionStatus.REQUESTED,
        )

    # 5. The officer carries the connection to a signed deal, over some weeks, through the page's forms
    #    (logged in again each day: sessions expire).
    def act(day, action, **data):
        with at(day):
            fields = {f"{action}-{name}": value for name, value in data.items()}
            url = reverse("marketplace:connection_transition", args=[connection.public_id, action])
            answer = _login(officer).post(url, fields, follow=True)
            assert f"Connection {connection.code}: status changed." in answer.text, answer.text[:3000]

    act(TODAY + dt.timedelta(days=2), "introduce", on="18/03/2026", note="Gửi thư giới thiệu hai bên.")
    act(TODAY + dt.timedelta(days=9), "meet", on="25/03/2026", note="Họp tại trang trại.")
    act(TODAY + dt.timedelta(days=20), "negotiate", note="Trao đổi dự thảo hợp đồng.")
    act(
        TODAY + dt.timedelta(days=45),
        "sign_deal",
        signed_on="30/04/2026",
        value_vnd="780000000",
        mode=TransferMode.TURNKEY,
        contract_ref="09/2026/HĐCGCN",
    )
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.DEAL
    assert (connection.deal_signed_on, connection.deal_value_vnd) == (dt.date(2026, 4, 30), 780_000_000)

    with at(TODAY + dt.timedelta(days=60)):
        # The enterprise follows it in "My connections".
        page = _login(enterprise_user).get(reverse("marketplace:my_connection_detail", args=[connection.public_id]))
        assert page.status_code == 200 and "Deal signed" in page.text

        # 6. The plan counts it: a target computed from market_deals, with the deal in its drill-down.
        plan = plan_services.plan_create(
            actor=None,
            department=department,
            code="khcn-2026-2030",
            title="Kế hoạch KH&CN 2026-2030",
            start_year=2026,
            end_year=2030,
        )
        target = plan_services.target_create(
            actor=None,
            plan=plan,
            code="market-deals",
            title="Hợp đồng chuyển giao công nghệ qua điểm kết nối cung - cầu",
            area="results",
            unit="hợp đồng",
            indicator_key="market_deals",
        )
        value = plan_selectors.target_value(
            target, department_ids=plan_selectors.department_ids_of(plan), year_from=2026, year_to=2026
        )
        assert value.number == 1
        assert value.record_ids == [connection.pk]
        records = _login(leader).get(
            reverse("planning:target_records", args=[target.public_id]), {"year": "2026", "single": "1"}
        )
        assert records.status_code == 200
        assert connection.code in records.text and connection.get_absolute_url() in records.text
        before = plan_selectors.target_value(
            target, department_ids=plan_selectors.department_ids_of(plan), year_from=2026, year_to=2026, quarter=1
        )
        assert before.number == 0  # signed in the second quarter
