"""/api/v1/councils for officers and leaders: form a council, seat its members, put items and criteria
before it, run it through its states, enter paper sheets, close it and issue its minutes."""

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from opendost.accounts.roles import Role
from opendost.api.services import api_token_create
from opendost.councils import services
from opendost.councils.models import Council
from tests.councils.factories import build_council, expert, full_scores, member_user, to_scoring
from tests.factories import UserFactory
from tests.subjects.factories import PersonFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/councils"
JSON = "application/json"
NOW = "2026-03-10 10:00 +07:00"


def api_for(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='test')[1]}"})


def post(api, url, data=None):
    return api.post(url, {} if data is None else data, content_type=JSON)


def problems(response) -> dict:
    assert response.status_code == 422, response.content
    return {tuple(p["loc"]): p for p in response.json()["detail"]}


def seat(api, council_id, person, role, user=None):
    data = {"person": str(person.public_id), "role": role}
    if user is not None:
        data["user"] = str(user.public_id)
    response = post(api, f"{BASE}/{council_id}/members", data)
    assert response.status_code == 201, response.content
    return response.json()


@time_machine.travel(NOW, tick=False)
def test_a_council_is_formed_run_closed_and_minuted_over_the_api(officer, leader, department):
    api = api_for(officer)

    # Form: the rule set in force today for the purpose, with its criteria template.
    response = post(
        api,
        BASE,
        {
            "purpose": "acceptance_provincial",
            "name": "  Hội đồng nghiệm thu   cấp tỉnh ",
            "meeting_on": "2026-03-12",
            "meeting_place": "Phòng họp số 2",
        },
    )
    assert response.status_code == 201, response.content
    council = response.json()
    cid = council["public_id"]
    assert council["name"] == "Hội đồng nghiệm thu cấp tỉnh"
    assert council["status"] == "forming" and council["rules_version"] == "law_2025_acceptance"
    assert council["department"]["code"] == department.code and council["meeting_on"] == "2026-03-12"
    assert [c["code"] for c in council["criteria"]] == ["SP1", "SP2", "BC"]
    assert {t["name"] for t in council["transitions"]} == {"convene", "cancel"}

    # Criteria: remove one, the template puts it back; a criterion of our own.
    assert post(api, f"{BASE}/{cid}/criteria/BC/remove").json()["criteria"][-1]["code"] == "SP2"
    template = post(api, f"{BASE}/{cid}/criteria/template").json()
    assert template["added"] == 1 and [c["code"] for c in template["criteria"]] == ["SP1", "SP2", "BC"]
    response = post(api, f"{BASE}/{cid}/criteria", {"code": "KT", "name": "Khả năng ứng dụng", "max_score": 10})
    assert response.status_code == 201
    assert response.json() == {"code": "KT", "name": "Khả năng ứng dụng", "max_score": 10, "weight": "1.00"}

    # An item, then the members (each assigned the item): five with accounts, one votes on paper.
    response = post(api, f"{BASE}/{cid}/items", {"title": "Nghiên cứu giống vải thiều chín sớm"})
    assert response.status_code == 201
    item = response.json()["public_id"]
    response = post(api, f"{BASE}/{cid}/transitions/convene")
    assert response.status_code == 409 and "exactly one chair" in response.json()["detail"]
    roles = ["chair", "reviewer", "reviewer", "secretary", "member"]
    users = [member_user(department) for _ in roles]
    members = [seat(api, cid, expert(department), role, user) for role, user in zip(roles, users, strict=True)]
    paper = seat(api, cid, expert(department), "member")
    absent = seat(api, cid, expert(department), "member", member_user(department))
    assert members[0]["items"] == [item] and paper["user"] is None
    assert members[0]["user"] == str(users[0].public_id)

    # Convene, record attendance, open scoring.
    response = post(api, f"{BASE}/{cid}/transitions/convene")
    assert response.status_code == 200 and response.json()["status"] == "convened"
    response = post(api, f"{BASE}/{cid}/members/{absent['public_id']}/attendance", {"is_present": False})
    assert response.status_code == 200 and response.json()["is_present"] is False
    assert post(api, f"{BASE}/{cid}/transitions/open_scoring").json()["status"] == "scoring"

    # The members score with their own tokens; one declares a conflict of interest and is refused.
    sheet = {"scores": {"SP1": 30, "SP2": 40, "BC": 30, "KT": 10}, "vote": "excellent", "comment": "Đạt yêu cầu"}
    for user in users[:4]:
        response = post(api_for(user), f"{BASE}/{cid}/items/{item}/sheet", sheet)
        assert response.status_code == 200, response.content
    conflicted = api_for(users[4])
    response = post(conflicted, f"{BASE}/{cid}/items/{item}/conflict", {"has_conflict": True, "note": "Đồng tác giả"})
    assert response.status_code == 200
    response = post(conflicted, f"{BASE}/{cid}/items/{item}/sheet", sheet)
    assert response.status_code == 422 and response.json()["detail"][0]["type"] == "conflict"
    response = post(api, f"{BASE}/{cid}/members/{members[4]['public_id']}/items/{item}/sheet", sheet)
    assert response.status_code == 422 and response.json()["detail"][0]["type"] == "conflict"

    # Closing with a sheet missing is refused, naming it; the officer enters the paper sheet.
    detail = api.get(f"{BASE}/{cid}").json()
    assert detail["missing_sheets"] == [{"member": paper["public_id"], "item": item}]
    response = post(api_for(leader), f"{BASE}/{cid}/transitions/close")
    assert response.status_code == 409 and "have not submitted their sheets" in response.json()["detail"]
    url = f"{BASE}/{cid}/members/{paper['public_id']}/items/{item}/sheet"
    bad = problems(post(api, url, {"scores": {"SP1": 31, "SP2": 40, "BC": 29.123, "KT": 1}, "vote": "excellent"}))
    assert bad[("body", "data", "scores", "SP1")]["msg"] == "The score is from 0 to 30."
    assert bad[("body", "data", "scores", "BC")]["msg"] == "Use at most two decimal places."
    response = post(api, url, {**sheet, "vote": "pass", "scores": {"SP1": 25, "SP2": 30.5, "BC": 25, "KT": 7}})
    assert response.status_code == 200
    assert response.json()["scores"] == {"SP1": "25.00", "SP2": "30.50", "BC": "25.00", "KT": "7.00"}

    # The leader closes: the answer holds the stored outcome with its explanation.
    response = post(api_for(leader), f"{BASE}/{cid}/transitions/close", {"note": "Kết thúc phiên họp"})
    assert response.status_code == 200, response.content
    closed = response.json()
    assert closed["status"] == "closed" and closed["transitions"] == []
    [outcome] = closed["outcome"]
    assert outcome["is_final"] is True and outcome["result"] == "excellent"
    assert outcome["explanation"] == (
        "5 of 7 present (quorum 5), 1 not voting for a conflict of interest: Excellent — 4 excellent, 1 pass, 0 fail"
    )

    # The minutes: an official document with its number and the public verification address.
    response = post(api_for(leader), f"{BASE}/{cid}/minutes")
    assert response.status_code == 201, response.content
    minutes = response.json()
    assert minutes["number_symbol"] == "01/BB-SKHCN" and minutes["issued_on"] == "2026-03-10"
    assert minutes["verification_url"].startswith(settings.SITE_URL.rstrip("/") + "/")
    assert api.get(f"{BASE}/{cid}").json()["minutes"] == minutes
    assert post(api_for(leader), f"{BASE}/{cid}/minutes").status_code == 409


def test_an_applicant_may_not_form_or_touch_councils(officer, department):
    built = build_council(officer)
    applicant = api_for(UserFactory(role=Role.APPLICANT, department=department))
    data = {"purpose": "other", "name": "Hội đồng"}
    assert post(applicant, BASE, data).status_code == 403
    assert applicant.get(BASE).status_code == 403
    cid = built.council.public_id
    assert post(applicant, f"{BASE}/{cid}/items", {"title": "X"}).status_code == 404
    assert post(applicant, f"{BASE}/{cid}/transitions/cancel", {"note": "x"}).status_code == 404
    assert Council.objects.count() == 1


def test_another_departments_officer_gets_404(officer, outsider):
    built = build_council(officer)
    api = api_for(outsider)
    cid, member, item = built.council.public_id, built.members[0].public_id, built.items[0].public_id
    assert post(api, f"{BASE}/{cid}/edit", {"name": "Đổi"}).status_code == 404
    assert (
        post(
            api, f"{BASE}/{cid}/members", {"person": str(expert(outsider.department).public_id), "role": "member"}
        ).status_code
        == 404
    )
    assert post(api, f"{BASE}/{cid}/members/{member}/remove").status_code == 404
    assert post(api, f"{BASE}/{cid}/items/{item}/remove").status_code == 404
    assert post(api, f"{BASE}/{cid}/criteria/template").status_code == 404
    assert post(api, f"{BASE}/{cid}/transitions/convene").status_code == 404
    assert post(api, f"{BASE}/{cid}/minutes").status_code == 404
    assert post(api, f"{BASE}/{cid}/members/{member}/items/{item}/sheet", {}).status_code == 404
    assert built.council.members.count() == 7


def test_a_member_cannot_administer_the_council_they_sit_on(officer):
    built = build_council(officer)
    member = built.members[0]
    api = api_for(member.user)
    cid, item = built.council.public_id, built.items[0].public_id
    assert post(api, f"{BASE}/{cid}/items", {"title": "Của tôi"}).status_code == 403
    assert post(api, f"{BASE}/{cid}/transitions/convene").status_code == 403
    assert post(api, f"{BASE}/{cid}/members/{member.public_id}/remove").status_code == 403
    to_scoring(built, officer)
    sheet = {"scores": full_scores(built.council), "vote": "excellent"}
    url = f"{BASE}/{cid}/members/{built.members[1].public_id}/items/{item}/sheet"
    assert post(api, url, sheet).status_code == 403
    assert not built.members[1].sheets.exists()


def test_a_leader_closes_and_issues_minutes_but_does_not_form(leader, officer, department):
    built = build_council(officer)
    api = api_for(leader)
    cid = built.council.public_id
    assert post(api, BASE, {"purpose": "other", "name": "Hội đồng"}).status_code == 403
    assert post(api, f"{BASE}/{cid}/items", {"title": "X"}).status_code == 403
    assert post(api, f"{BASE}/{cid}/transitions/convene").status_code == 403
    to_scoring(built, officer)
    url = f"{BASE}/{cid}/members/{built.members[0].public_id}/items/{built.items[0].public_id}/sheet"
    assert post(api, url, {"scores": full_scores(built.council), "vote": "pass"}).status_code == 403


def test_actions_in_the_wrong_state_are_409(officer, department):
    built = build_council(officer)
    api = api_for(officer)
    cid = built.council.public_id
    item = built.items[0].public_id
    person = str(expert(department).public_id)
    assert post(api, f"{BASE}/{cid}/transitions/open_scoring").status_code == 409
    assert post(api, f"{BASE}/{cid}/transitions/close").status_code == 409
    assert post(api, f"{BASE}/{cid}/minutes").status_code == 409
    member = built.members[1]
    url = f"{BASE}/{cid}/members/{member.public_id}/items/{item}/sheet"
    assert post(api, url, {"scores": full_scores(built.council), "vote": "pass"}).status_code == 409
    response = post(api_for(member.user), f"{BASE}/{cid}/items/{item}/sheet", {"scores": {}, "vote": "pass"})
    assert response.status_code == 409  # the member's own endpoint: not scoring yet
    assert post(api, f"{BASE}/{cid}/members/{member.public_id}/attendance", {"is_present": False}).status_code == 409

    to_scoring(built, officer)
    assert post(api, f"{BASE}/{cid}/transitions/convene").status_code == 409
    assert post(api, f"{BASE}/{cid}/members", {"person": person, "role": "member"}).status_code == 409
    assert post(api, f"{BASE}/{cid}/criteria", {"code": "X", "name": "X", "max_score": 5}).status_code == 409
    assert post(api, f"{BASE}/{cid}/criteria/SP1/remove").status_code == 409
    assert post(api, f"{BASE}/{cid}/items", {"title": "Muộn"}).status_code == 409
    services.score_submit(
        actor=member.user, member=member, item=built.items[0], scores=full_scores(built.council), vote="pass"
    )
    assert post(api, f"{BASE}/{cid}/items/{item}/remove").status_code == 409

    assert problems(post(api, f"{BASE}/{cid}/transitions/cancel"))[("body", "data", "note")]["type"] == "invalid"
    response = post(api, f"{BASE}/{cid}/transitions/cancel", {"note": "Thay đổi thành phần"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert post(api, f"{BASE}/{cid}/edit", {"name": "Đổi tên"}).status_code == 409
    assert post(api, f"{BASE}/{cid}/transitions/cancel", {"note": "Lần nữa"}).status_code == 409


@time_machine.travel(NOW, tick=False)
def test_create_checks_its_input_and_the_department(officer, department, other_department):
    api = api_for(officer)
    wrong = problems(post(api, BASE, {"purpose": "selection", "name": "HĐ", "rules_version": "definition_vote"}))
    assert wrong[("body", "data", "rules_version")]["msg"] == "This rule set does not fit the council's purpose."
    assert ("body", "data", "name") in problems(post(api, BASE, {"purpose": "other", "name": "   "}))
    lax = problems(
        post(api, BASE, {"purpose": "other", "name": "HĐ", "meeting_on": 0, "with_default_criteria": "yes"})
    )
    assert {("body", "data", "meeting_on"), ("body", "data", "with_default_criteria")} <= set(lax)
    assert problems(post(api, BASE, ["purpose"]))
    assert api.post(BASE, "{not json", content_type=JSON).status_code == 400

    data = {"purpose": "task_definition", "name": "HĐ xác định nhiệm vụ", "with_default_criteria": False}
    response = post(api, BASE, {**data, "department": department.code})
    assert response.status_code == 201 and response.json()["criteria"] == []
    assert response.json()["rules_version"] == "law_2025_definition"
    assert post(api, BASE, {**data, "department": other_department.code}).status_code == 403

    administrator = api_for(UserFactory(role=Role.ADMINISTRATOR, department=None))
    assert problems(post(administrator, BASE, data))[("body", "data", "department")]["type"] == "required"
    assert post(administrator, BASE, {**data, "department": "khong-co"}).status_code == 404
    response = post(administrator, BASE, {**data, "department": other_department.code})
    assert response.status_code == 201 and response.json()["department"]["code"] == other_department.code


def test_update_changes_what_is_sent(officer):
    built = build_council(officer)
    api = api_for(officer)
    url = f"{BASE}/{built.council.public_id}/edit"
    response = post(api, url, {"meeting_on": "2026-04-01", "meeting_place": "Hội trường A"})
    assert response.status_code == 200
    assert response.json()["meeting_on"] == "2026-04-01" and response.json()["name"] == "Hội đồng thử nghiệm"
    response = post(api, url, {"name": "Tên mới", "meeting_on": None, "note": None})
    assert response.json()["meeting_on"] is None and response.json()["name"] == "Tên mới"
    assert response.json()["meeting_place"] == "Hội trường A"
    wrong = problems(post(api, url, {"rules_version": "tt20_2023_selection"}))
    assert ("body", "data", "rules_version") in wrong
    response = post(api, url, {"rules_version": "law_2025_acceptance"})
    assert response.json()["rules_version"] == "law_2025_acceptance"
    to_scoring(built, officer)
    wrong = problems(post(api, url, {"rules_version": "tt11_2014_acceptance"}))
    assert wrong[("body", "data", "rules_version")]["msg"] == "The rule set is fixed once the council has convened."


def test_members_items_and_assignments(officer, outsider, department):
    built = build_council(officer, roles=["chair"], items=("A", "B"))
    api = api_for(officer)
    cid = built.council.public_id
    chair = built.members[0]

    # Who can be seated: an expert of the department's register, with an account of the department.
    url = f"{BASE}/{cid}/members"
    stranger = expert(outsider.department)
    assert post(api, url, {"person": str(stranger.public_id), "role": "member"}).status_code == 404
    layman = PersonFactory(department=department, is_expert=False)
    bad = problems(post(api, url, {"person": str(layman.public_id), "role": "chair"}))
    assert bad[("body", "data", "role")]["msg"] == "The council already has a chair."
    assert bad[("body", "data", "person")]["msg"] == "Only people in the expert register can sit on a council."
    other_user = member_user(outsider.department)
    person = str(expert(department).public_id)
    assert post(api, url, {"person": person, "role": "member", "user": str(other_user.public_id)}).status_code == 404
    assert ("body", "data", "person") in problems(post(api, url, {"person": "not-a-uuid", "role": "member"}))
    response = post(api, url, {"person": person, "role": "reviewer", "assign_all": False})
    assert response.status_code == 201 and response.json()["items"] == []
    reviewer = response.json()["public_id"]

    # Assignments: some items, every item, never an item of another council.
    a, b = (str(i.public_id) for i in built.items)
    response = post(api, f"{url}/{reviewer}/items", {"items": [b]})
    assert response.status_code == 200 and response.json()["items"] == [b]
    assert post(api, f"{url}/{reviewer}/items", {"items": None}).json()["items"] == [a, b]
    elsewhere = build_council(officer).items[0].public_id
    assert post(api, f"{url}/{reviewer}/items", {"items": [str(elsewhere)]}).status_code == 404
    assert post(api, f"{url}/00000000-0000-0000-0000-000000000000/items", {"items": []}).status_code == 404

    # Items: a free-text title (not blank); removing one takes it off every member.
    assert ("body", "data", "title") in problems(post(api, f"{BASE}/{cid}/items", {"title": " "}))
    response = post(api, f"{BASE}/{cid}/items", {"title": "C", "group": "NV-01", "assign_all": False})
    assert response.status_code == 201 and response.json()["group"] == "NV-01"
    detail = post(api, f"{BASE}/{cid}/items/{a}/remove").json()
    assert [i["title"] for i in detail["items"]] == ["B", "C"]
    assert {m["public_id"]: m["items"] for m in detail["members"]} == {str(chair.public_id): [b], reviewer: [b]}

    # Criteria: a code once, a weight rounded to hundredths; an unknown code to remove is a 404.
    url = f"{BASE}/{cid}/criteria"
    bad = problems(post(api, url, {"code": "SP1", "name": "Lặp", "max_score": 5}))
    assert bad[("body", "data", "code")]["msg"] == "The council already has a criterion with this code."
    response = post(api, url, {"code": "W", "name": "Trọng số", "max_score": 5, "weight": 1.5})
    assert response.status_code == 201 and response.json()["weight"] == "1.50"
    assert ("body", "data", "max_score") in problems(post(api, url, {"code": "Z", "name": "Z", "max_score": "5"}))
    assert post(api, f"{url}/KHONG/remove").status_code == 404

    response = post(api, f"{BASE}/{cid}/members/{reviewer}/remove")
    assert response.status_code == 200 and [m["role"] for m in response.json()["members"]] == ["chair"]


def test_the_detail_costs_a_fixed_number_of_queries(officer, django_assert_max_num_queries):
    built = build_council(officer, items=("A", "B", "C"))
    api = api_for(officer)
    with django_assert_max_num_queries(16):
        response = api.get(f"{BASE}/{built.council.public_id}")
    assert len(response.json()["members"]) == 7 and len(response.json()["members"][0]["items"]) == 3
