"""/api/v1/marketplace: every operation, with a token per caller: staff see their jurisdiction, an
applicant its own listings, anyone else gets 404; an owner edits only its own; 409 for a stale
version or a wrong state; 422 per field for the services' rules. The rules themselves are tested on
the services (test_listings*.py); here, that the API reaches them with the caller's rights."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from opendost.accounts.roles import Role
from opendost.api.services import api_token_create
from opendost.marketplace.enums import ListingKind, ListingSource, ListingStatus
from opendost.marketplace.models import Listing
from opendost.subjects.enums import OrganizationKind
from tests.factories import DepartmentFactory, UserFactory
from tests.marketplace.factories import applicant_of, listing_factory, officer_of
from tests.projects.helpers import Flow
from tests.subjects.factories import OrganizationFactory, PersonFactory, field_nodes

pytestmark = pytest.mark.django_db

BASE = "/api/v1/marketplace"
TODAY = dt.date(2026, 3, 10)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MISSING = "00000000-0000-0000-0000-000000000000"

OFFER = {
    "kind": "offer",
    "title": "Quy trình sản xuất phân hữu cơ vi sinh từ phụ phẩm nông nghiệp",
    "summary": "Ủ rơm rạ thành phân hữu cơ trong 30 ngày bằng chế phẩm vi sinh.",
    "keywords": "phân hữu cơ; vi sinh; rơm rạ",
    "readiness_level": 7,
    "transfer_modes": ["licence", "consulting"],
    "price_negotiable": True,
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=HANOI), tick=False):
        yield


def api_for(user) -> Client:
    raw = api_token_create(user=user, name=f"test {user.username}")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


def get(client, path, params=None):
    return client.get(f"{BASE}{path}", params or {})


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:800])
    return response.json()


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def officer(department):
    return officer_of(department)


@pytest.fixture
def leader(department):
    return UserFactory(role=Role.LEADER, department=department)


@pytest.fixture
def outsider():
    """An officer of another department."""
    return UserFactory(role=Role.OFFICER, department=DepartmentFactory())


@pytest.fixture
def enterprise(department):
    return OrganizationFactory(department=department, name="Công ty Cổ phần Nông nghiệp Xanh")


@pytest.fixture
def institute(department):
    return OrganizationFactory(department=department, kind=OrganizationKind.ST_ORGANIZATION, name="Viện Thổ nhưỡng")


@pytest.fixture
def applicant(institute):
    return applicant_of(institute)


@pytest.fixture
def other_applicant(enterprise):
    return applicant_of(enterprise)


@pytest.fixture
def apis(officer, leader, outsider, applicant, other_applicant):
    class Apis:
        pass

    apis = Apis()
    for name, user in {
        "officer": officer,
        "leader": leader,
        "outsider": outsider,
        "applicant": applicant,
        "other": other_applicant,
    }.items():
        setattr(apis, name, api_for(user))
    return apis


# THE WALK -------------------------------------------------------------------------------------------
def test_an_applicant_posts_an_offer_and_an_officer_publishes_it(apis, institute):
    created = ok(post(apis.applicant, "/listings", OFFER), 201)
    pid = created["public_id"]
    assert created["status"] == "draft"
    assert created["owner_organization"] == str(institute.public_id)
    assert created["owner_name"] == institute.name
    assert created["source"] == ListingSource.OWNER
    assert created["version"] == 1
    assert created["public_url"] is None
    assert {t["name"] for t in created["transitions"]} == {"submit"}

    edited = ok(
        post(apis.applicant, f"/listings/{pid}/edit", {"version": 1, "readiness_level": 8, "sector": "Phân bón"})
    )
    assert (edited["readiness_level"], edited["sector"], edited["version"]) == (8, "Phân bón", 2)
    assert edited["title"] == OFFER["title"]  # fields not sent are kept

    assert ok(post(apis.applicant, f"/listings/{pid}/submit"))["status"] == "submitted"
    assert post(apis.applicant, f"/listings/{pid}/approve").status_code == 403
    published = ok(post(apis.officer, f"/listings/{pid}/approve"))
    assert published["status"] == "published"
    assert published["published_on"] == "2026-03-10"
    assert published["valid_until"] == "2027-03-10"
    assert published["public_url"].endswith(f"/exchange/{pid}/")
    assert Client().get(f"/exchange/{pid}/").status_code == 200

    withdrawn = ok(post(apis.applicant, f"/listings/{pid}/withdraw", {"reason": "Đã chuyển giao xong."}))
    assert withdrawn["status"] == "withdrawn"
    assert withdrawn["public_url"] is None
    assert Client().get(f"/exchange/{pid}/").status_code == 404


def test_an_officer_returns_a_listing_with_reasons(apis, enterprise):
    created = ok(post(apis.officer, "/listings", {**OFFER, "owner_organization": str(enterprise.public_id)}), 201)
    pid = created["public_id"]
    ok(post(apis.officer, f"/listings/{pid}/submit"))

    blank = post(apis.officer, f"/listings/{pid}/return", {"reason": "  "})
    assert blank.status_code == 422
    assert blank.json()["detail"][0]["loc"] == ["body", "data", "reason"]
    returned = ok(post(apis.officer, f"/listings/{pid}/return", {"reason": "Bổ sung giá chỉ dẫn."}))
    assert (returned["status"], returned["return_reason"]) == ("returned", "Bổ sung giá chỉ dẫn.")


def test_an_officer_captures_a_need_for_an_enterprise(apis, enterprise):
    need = {
        "kind": "need",
        "title": "Cần công nghệ xử lý nước thải chế biến thủy sản",
        "summary": "Nhà máy cần xử lý 200 m3 nước thải mỗi ngày.",
        "expected_result": "Nước thải đạt cột B.",
        "budget_min_vnd": 500_000_000,
        "budget_max_vnd": 1_500_000_000,
        "owner_organization": str(enterprise.public_id),
        "source": "officer",
        "capture_channel": "survey",
    }

    created = ok(post(apis.officer, "/listings", need), 201)

    assert (created["kind"], created["source"], created["capture_channel"]) == ("need", "officer", "survey")
    assert created["budget_max_vnd"] == 1_500_000_000


def test_an_accepted_task_result_becomes_an_offer_once(apis, department, officer, leader, enterprise):
    host = OrganizationFactory(department=department, kind=OrganizationKind.ST_ORGANIZATION)
    pi = PersonFactory(department=department, organization=host)
    result = Flow(department, officer, leader, host, pi).result()

    created = ok(post(apis.officer, "/offers/from-result", {"result": str(result.public_id)}), 201)
    again = post(apis.officer, "/offers/from-result", {"result": str(result.public_id)})

    assert (created["kind"], created["status"], created["source"]) == ("offer", "draft", "task_result")
    assert created["title"] == result.title
    assert created["source_result"] == str(result.public_id)
    assert created["owner_organization"] == str(host.public_id)
    assert again.status_code == 409
    assert created["code"] in again.json()["detail"]
    assert post(apis.outsider, "/offers/from-result", {"result": str(result.public_id)}).status_code == 404
    assert post(apis.officer, "/offers/from-result", {"result": MISSING}).status_code == 404
    assert post(apis.applicant, "/offers/from-result", {"result": str(result.public_id)}).status_code == 404


# WHO SEES WHAT --------------------------------------------------------------------------------------
def test_staff_see_their_jurisdiction_applicants_their_own(apis, department, institute, enterprise, outsider):
    own = listing_factory(department=department, owner=institute, title="Của viện")
    other = listing_factory(department=department, owner=enterprise, title="Của công ty")
    foreign = listing_factory(department=outsider.department, title="Của sở khác")

    def codes(client, **params):
        return {row["code"] for row in ok(get(client, "/listings", params))["items"]}

    assert codes(apis.officer) == {own.code, other.code}
    assert codes(apis.leader) == {own.code, other.code}
    assert codes(apis.outsider) == {foreign.code}
    assert codes(apis.applicant) == {own.code}
    assert codes(apis.other) == {other.code}
    assert codes(apis.officer, q="cua vien") == {own.code}
    assert codes(apis.officer, kind="need") == set()
    assert codes(apis.officer, status="draft") == {own.code, other.code}

    for client, status in [(apis.officer, 200), (apis.applicant, 200), (apis.outsider, 404), (apis.other, 404)]:
        assert get(client, f"/listings/{own.public_id}").status_code == status
    assert get(apis.officer, f"/listings/{MISSING}").status_code == 404


def test_an_outsider_can_do_nothing_with_a_listing(apis, department, institute):
    listing = listing_factory(department=department, owner=institute, status=ListingStatus.SUBMITTED)
    pid = listing.public_id

    for client in (apis.outsider, apis.other):
        assert post(client, f"/listings/{pid}/edit", {"version": listing.version, "title": "X"}).status_code == 404
        assert post(client, f"/listings/{pid}/submit").status_code == 404
        assert post(client, f"/listings/{pid}/approve").status_code == 404
        assert post(client, f"/listings/{pid}/return", {"reason": "Không"}).status_code == 404
        assert post(client, f"/listings/{pid}/withdraw").status_code == 404
        assert get(client, f"/listings/{pid}/matches").status_code == 404
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED


def test_the_owner_edits_only_a_draft_or_returned_listing(apis, department, institute):
    listing = listing_factory(department=department, owner=institute, status=ListingStatus.SUBMITTED)

    refused = post(apis.applicant, f"/listings/{listing.public_id}/edit", {"version": listing.version, "title": "Mới"})
    by_staff = post(apis.officer, f"/listings/{listing.public_id}/edit", {"version": listing.version, "title": "Mới"})

    assert refused.status_code == 409
    assert ok(by_staff)["title"] == "Mới"


def test_an_applicant_cannot_name_another_owner_or_moderate(apis, enterprise):
    other_owner = post(apis.applicant, "/listings", {**OFFER, "owner_organization": str(enterprise.public_id)})
    captured = post(apis.applicant, "/listings", {**OFFER, "capture_channel": "survey"})

    assert other_owner.status_code == 404  # not in an applicant's view of the register
    assert captured.status_code == 403
    assert not Listing.objects.exists()


def test_a_leader_may_moderate_but_not_post(apis, department, institute):
    listing = listing_factory(department=department, owner=institute, status=ListingStatus.SUBMITTED)

    assert post(apis.leader, "/listings", {**OFFER, "owner_organization": str(institute.public_id)}).status_code == 403
    assert ok(post(apis.leader, f"/listings/{listing.public_id}/approve"))["status"] == "published"


# ERRORS ---------------------------------------------------------------------------------------------
def test_a_stale_version_is_a_409_and_changes_nothing(apis, department, institute):
    listing = listing_factory(department=department, owner=institute)
    path = f"/listings/{listing.public_id}/edit"
    ok(post(apis.officer, path, {"version": 1, "title": "Bản của cán bộ"}))

    stale = post(apis.applicant, path, {"version": 1, "title": "Bản của viện"})

    assert stale.status_code == 409
    assert "Someone else saved this record" in stale.json()["detail"]
    listing.refresh_from_db()
    assert (listing.title, listing.version) == ("Bản của cán bộ", 2)


def test_rules_of_the_kind_are_422_located_at_each_field(apis):
    response = post(apis.applicant, "/listings", {**OFFER, "readiness_level": None, "transfer_modes": []})

    assert response.status_code == 422
    problems = {tuple(p["loc"]): p["msg"] for p in response.json()["detail"]}
    assert problems == {
        ("body", "data", "readiness_level"): "Give the technology readiness level of the offer (1 to 9).",
        ("body", "data", "transfer_modes"): "Choose at least one transfer mode of the offer.",
    }


def test_schema_errors_are_422(apis):
    for body in (
        {**OFFER, "readiness_level": 10},
        {**OFFER, "readiness_level": "7"},
        {**OFFER, "kind": "gift"},
        {**OFFER, "title": " "},
        {**OFFER, "transfer_modes": ["barter"]},
        {**OFFER, "price_negotiable": "yes"},
        {**OFFER, "needed_by": "10/03/2026"},
        {key: value for key, value in OFFER.items() if key != "title"},
    ):
        assert post(apis.officer, "/listings", body).status_code == 422, body
    assert post(apis.officer, f"/listings/{MISSING}/edit", {"title": "x"}).status_code == 422  # no version


def test_unknown_references_are_404(apis, institute):
    owner = {"owner_organization": str(institute.public_id)}
    assert post(apis.officer, "/listings", {**OFFER, **owner, "field": 999999}).status_code == 404
    assert post(apis.officer, "/listings", {**OFFER, **owner, "province": 999999}).status_code == 404
    assert post(apis.officer, "/listings", {**OFFER, "owner_person": MISSING}).status_code == 404


def test_submitting_an_incomplete_listing_is_a_409_naming_what_is_missing(apis, department, officer, leader):
    host = OrganizationFactory(department=department, kind=OrganizationKind.ST_ORGANIZATION)
    pi = PersonFactory(department=department, organization=host)
    result = Flow(department, officer, leader, host, pi).result()
    draft = ok(post(apis.officer, "/offers/from-result", {"result": str(result.public_id)}), 201)

    response = post(apis.officer, f"/listings/{draft['public_id']}/submit")

    assert response.status_code == 409
    assert "readiness level" in response.json()["detail"]


def test_approving_twice_is_a_409(apis, department, institute):
    listing = listing_factory(department=department, owner=institute, status=ListingStatus.PUBLISHED)

    assert post(apis.officer, f"/listings/{listing.public_id}/approve").status_code == 409


def test_without_credentials_every_operation_is_401(department, institute):
    listing = listing_factory(department=department, owner=institute)
    anonymous = Client()
    assert anonymous.get(f"{BASE}/listings").status_code == 401
    assert anonymous.get(f"{BASE}/listings/{listing.public_id}").status_code == 401
    assert anonymous.post(f"{BASE}/listings/{listing.public_id}/submit").status_code == 401


# MATCHES --------------------------------------------------------------------------------------------
def test_matches_of_a_need_are_public_offers_with_reasons(apis, department, enterprise, institute):
    fields = field_nodes()
    need = listing_factory(
        department=department,
        owner=enterprise,
        kind=ListingKind.NEED,
        status=ListingStatus.SUBMITTED,  # an officer previews the matches before approving it
        title="Cần công nghệ sấy lạnh nông sản",
        summary="Hợp tác xã cần máy sấy lạnh cho vải thiều và nhãn.",
        keywords="sấy lạnh; nông sản",
        field=fields.engineering,
    )
    offer = listing_factory(
        department=department,
        owner=institute,
        status=ListingStatus.PUBLISHED,
        title="Công nghệ sấy lạnh nông sản bằng bơm nhiệt",
        summary="Sấy lạnh vải thiều, nhãn giữ màu và hương vị.",
        keywords="sấy lạnh; bơm nhiệt",
        field=fields.engineering,
    )
    listing_factory(
        department=department,
        owner=institute,
        status=ListingStatus.WITHDRAWN,
        title="Máy sấy lạnh nông sản (đã rút)",
        keywords="sấy lạnh; nông sản",
    )

    matches = ok(get(apis.officer, f"/listings/{need.public_id}/matches"))

    assert [m["listing"]["public_id"] for m in matches] == [str(offer.public_id)]
    assert matches[0]["listing"]["owner"] == institute.name
    assert matches[0]["score"] > 0
    assert any("say lanh" in reason.lower() or "sấy lạnh" in reason for reason in matches[0]["reasons"])
    assert ok(get(apis.other, f"/listings/{need.public_id}/matches")) == matches  # the owner sees them too
    assert get(apis.officer, f"/listings/{need.public_id}/matches", {"limit": 0}).status_code == 422


def test_list_queries_do_not_grow_with_the_rows(apis, department, institute, django_assert_max_num_queries):
    person = PersonFactory(department=department, organization=institute)
    for i in range(12):
        owner = {"owner": institute} if i % 2 else {"owner_person": person}
        listing_factory(department=department, **owner)

    with django_assert_max_num_queries(8):
        assert len(ok(get(apis.officer, "/listings", {"limit": 50}))["items"]) == 12
