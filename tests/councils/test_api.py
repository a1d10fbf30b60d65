"""/api/v1/councils: members see their seats and assigned items only; officers their jurisdiction."""

import pytest
from django.test import Client

from opendost.api.services import api_token_create
from opendost.councils import services
from opendost.councils.models import ScoreSheet
from tests.councils.factories import build_council, full_scores, member_user, to_scoring

pytestmark = pytest.mark.django_db
BASE = "/api/v1/councils"


def api_for(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='test')[1]}"})


def test_anonymous_gets_401_even_on_writes(officer):
    built = build_council(officer)
    url = f"{BASE}/{built.council.public_id}/items/{built.items[0].public_id}"
    assert Client().get(f"{BASE}/mine").status_code == 401
    assert Client().get(BASE).status_code == 401
    assert Client().post(f"{url}/sheet", {}, content_type="application/json").status_code == 401
    assert Client().post(f"{url}/conflict", {}, content_type="application/json").status_code == 401


def test_a_session_write_needs_the_csrf_token(officer):
    built = build_council(officer)
    member = built.members[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    url = f"{BASE}/{built.council.public_id}/items/{built.items[0].public_id}/conflict"
    response = client.post(url, {"has_conflict": False}, content_type="application/json")
    assert response.status_code == 403


def test_a_member_lists_their_seats_and_assigned_items(officer, django_assert_max_num_queries):
    built = build_council(officer, items=("Được giao", "Không giao"))
    other = build_council(officer)
    member = built.members[0]
    services.assign(actor=officer, member=member, items=[built.items[0]])
    api = api_for(member.user)
    seats = api.get(f"{BASE}/mine").json()
    assert [s["council"]["public_id"] for s in seats] == [str(built.council.public_id)]
    assert seats[0]["role"] == "chair"
    with django_assert_max_num_queries(8):
        items = api.get(f"{BASE}/{built.council.public_id}/items").json()
    assert [i["title"] for i in items] == ["Được giao"] and items[0]["conflict_declared"] is None
    assert api.get(f"{BASE}/{other.council.public_id}/items").status_code == 404


def test_a_member_declares_and_scores_through_the_api(officer):
    built = build_council(officer)
    council = to_scoring(built, officer)
    member, item = built.members[1], built.items[0]
    api = api_for(member.user)
    url = f"{BASE}/{council.public_id}/items/{item.public_id}"
    response = api.post(f"{url}/sheet", {"scores": {"SP1": 31}, "vote": "maybe"}, content_type="application/json")
    assert response.status_code == 422
    problems = {tuple(p["loc"]): p["msg"] for p in response.json()["detail"]}
    assert problems[("body", "score_SP1")] == "The score is from 0 to 30."
    assert problems[("body", "vote")] == "Choose your overall vote."
    payload = {"scores": full_scores(council), "vote": "excellent", "comment": "Tốt"}
    response = api.post(f"{url}/sheet", payload, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["scores"] == {"SP1": "30.00", "SP2": "40.00", "BC": "30.00"}
    assert api.get(f"{url}/sheet").json()["vote"] == "excellent"
    assert api.get(f"{url}/conflict").status_code == 404
    response = api.post(
        f"{url}/conflict", {"has_conflict": True, "note": "Đồng tác giả"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["has_conflict"] is True
    assert not ScoreSheet.objects.filter(member=member).exists()
    response = api.post(f"{url}/sheet", payload, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["type"] == "conflict"


def test_a_member_cannot_reach_an_unassigned_item_or_another_council(officer):
    built = build_council(officer, items=("A", "B"))
    to_scoring(built, officer)
    member = built.members[0]
    services.assign(actor=officer, member=member, items=[built.items[0]])
    api = api_for(member.user)
    url = f"{BASE}/{built.council.public_id}/items/{built.items[1].public_id}/conflict"
    assert api.post(url, {"has_conflict": False}, content_type="application/json").status_code == 404
    stranger = api_for(member_user(officer.department))
    url = f"{BASE}/{built.council.public_id}/items/{built.items[0].public_id}/conflict"
    assert stranger.post(url, {"has_conflict": False}, content_type="application/json").status_code == 404


def test_officer_list_and_detail_are_scoped(officer, outsider, django_assert_max_num_queries):
    built = build_council(officer)
    build_council(outsider, name="Tỉnh khác")
    api = api_for(officer)
    with django_assert_max_num_queries(8):
        rows = api.get(BASE).json()["items"]
    assert [r["name"] for r in rows] == ["Hội đồng thử nghiệm"]
    detail = api.get(f"{BASE}/{built.council.public_id}").json()
    assert detail["quorum"] == {"members": 7, "present": 7, "required": 5, "ok": True}
    assert len(detail["members"]) == 7 and [c["code"] for c in detail["criteria"]] == ["SP1", "SP2", "BC"]
    assert detail["outcome"][0]["is_final"] is False
    assert api_for(outsider).get(f"{BASE}/{built.council.public_id}").status_code == 404


def test_officer_detail_gives_the_stored_outcome(officer):
    built = build_council(officer)
    council = to_scoring(built, officer)
    for member in built.members:
        services.score_submit(
            actor=member.user, member=member, item=built.items[0], scores=full_scores(council), vote="excellent"
        )
    services.council_close(actor=officer, council=council)
    outcome = api_for(officer).get(f"{BASE}/{council.public_id}").json()["outcome"][0]
    assert outcome["result"] == "excellent" and outcome["is_final"] is True
    assert outcome["explanation"] == "7 of 7 present (quorum 5): Excellent — 7 excellent, 0 pass, 0 fail"


def test_a_council_member_cannot_use_the_officer_endpoints(officer):
    built = build_council(officer)
    api = api_for(built.members[0].user)
    assert api.get(BASE).status_code == 403
    assert api.get(f"{BASE}/{built.council.public_id}").status_code == 404
