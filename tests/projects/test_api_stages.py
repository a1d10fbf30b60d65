"""Every stage of an S&T task over /api/v1/projects, with a token per role: the whole walk from the
proposal to the liquidated contract, who may see and do what (404 outside one's scope, 403 for the
wrong role), 409 for a wrong state, and the documented error shapes. The rules themselves are tested
on the services (test_services.py); here, that the API reaches them with the caller's rights."""

import pytest
from django.test import Client

from opendost.api.services import api_token_create
from opendost.projects.enums import AssignmentMode, ProposalStatus, TaskStatus
from opendost.projects.models import Proposal, Task
from tests.projects.helpers import BUDGET

pytestmark = pytest.mark.django_db
BASE = "/api/v1/projects"


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


PROPOSAL = {
    "title": "Ứng dụng công nghệ cao trong sản xuất vải thiều Lục Ngạn",
    "problem": "Năng suất vải thiều thấp, chất lượng không đồng đều.",
    "objectives": "Xây dựng quy trình thâm canh theo VietGAP.",
    "expected_results": "Quy trình kỹ thuật; mô hình 10 ha.",
    "estimated_budget": 1_000_000_000,
}


@pytest.fixture
def apis(applicant, officer, leader):
    return api_for(applicant), api_for(officer), api_for(leader)


def test_the_whole_walk_from_the_proposal_to_liquidation(apis, host, pi):
    applicant, officer, leader = apis

    # Ordering: the applicant proposes and submits; the officer groups, closes, shortlists, the leader approves.
    proposal = ok(post(applicant, "/proposals", PROPOSAL), 201)
    assert proposal["status"] == "draft" and proposal["proposer_organization"] == str(host.public_id)
    assert ok(post(applicant, f"/proposals/{proposal['public_id']}/submit"))["status"] == "submitted"
    other = ok(
        post(officer, "/proposals/recorded", {**PROPOSAL, "proposer_name": "UBND xã Hồng Giang", "submit": True}), 201
    )
    assert other["status"] == "submitted" and other["proposer"] == "UBND xã Hồng Giang"

    proposal_round = ok(post(officer, "/rounds", {"year": 2027, "title": "Đặt hàng năm 2027"}), 201)
    assert proposal_round["status"] == "open"
    for pid in (proposal["public_id"], other["public_id"]):
        assert (
            ok(post(officer, f"/proposals/{pid}/group", {"round": proposal_round["public_id"]}))["status"]
            == "in_round"
        )
    assert ok(post(officer, f"/rounds/{proposal_round['public_id']}/close"))["status"] == "reviewing"
    assert ok(post(officer, f"/proposals/{proposal['public_id']}/shortlist"))["status"] == "shortlisted"
    rejected = ok(post(officer, f"/proposals/{other['public_id']}/reject", {"reason": "Trùng nội dung."}))
    assert (rejected["status"], rejected["decision_note"]) == ("rejected", "Trùng nội dung.")

    approved = ok(post(leader, f"/rounds/{proposal_round['public_id']}/approve", {"signer_name": "Lê Minh Cường"}))
    assert approved["status"] == "approved"
    assert approved["decision"]["number_symbol"] and approved["decision"]["verification_url"].startswith("http")
    [task_ref] = approved["tasks"]
    assert task_ref["assignment_mode"] == "selection" and task_ref["status"] == "ordered"
    task_id = task_ref["public_id"]
    assert ok(get(applicant, f"/proposals/{proposal['public_id']}"))["task"]["public_id"] == task_id

    # Selection: the officer publishes a call; the applicant applies; the officer records the result.
    deadline = "2026-04-30T17:00:00+07:00"
    call = ok(post(officer, "/calls", {"title": "Tuyển chọn 2027", "deadline": deadline, "tasks": [task_id]}), 201)
    assert call["status"] == "draft"
    assert ok(get(applicant, "/calls"))["items"] == []  # a draft is not open
    assert ok(post(officer, f"/calls/{call['public_id']}/publish"))["status"] == "published"
    assert [c["public_id"] for c in ok(get(applicant, "/calls"))["items"]] == [call["public_id"]]
    assert ok(get(officer, f"/tasks/{task_id}"))["status"] == "selecting"
    application = ok(
        post(
            applicant,
            f"/calls/{call['public_id']}/applications",
            {
                "task": task_id,
                "principal_investigator_name": "Trần Văn Đức",
                "proposal_text": "Thuyết minh đề tài.",
                "budget_provincial": 800_000_000,
                "budget_counterpart": 200_000_000,
            },
        ),
        201,
    )
    assert application["status"] == "draft" and application["task_id"] == task_id
    assert ok(post(applicant, f"/applications/{application['public_id']}/submit"))["status"] == "submitted"
    assert [a["public_id"] for a in ok(get(officer, "/applications"))["items"]] == [application["public_id"]]
    assert ok(post(officer, f"/calls/{call['public_id']}/close"))["status"] == "closed"
    selected = ok(
        post(
            officer,
            f"/applications/{application['public_id']}/selection",
            {"selected": True, "score": 86.5, "council_ref": "QĐ 15/QĐ-SKHCN"},
        )
    )
    assert (selected["status"], selected["score"]) == ("selected", 86.5)

    # Host approved, contract with tranches, payments.
    assign = {
        "host": str(host.public_id),
        "principal_investigator": str(pi.public_id),
        "start_on": "2026-01-01",
        "end_on": "2027-12-31",
        "budget": {"provincial": 800_000_000, "counterpart": 200_000_000},
    }
    task = ok(post(leader, f"/tasks/{task_id}/assign", assign))
    assert task["status"] == "assigned" and task["host_id"] == str(host.public_id)
    contract = {
        "number": "05/2026/HĐ-KHCN",
        "signed_on": "2026-03-02",
        "total": 800_000_000,
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "tranches": [
            {"planned_amount": 400_000_000, "condition": "Ký hợp đồng", "due_on": "2026-03-31"},
            {"planned_amount": 400_000_000, "condition": "Báo cáo giữa kỳ"},
        ],
    }
    task = ok(post(officer, f"/tasks/{task_id}/contract", contract), 201)
    assert task["status"] == "contracted" and [t["planned_amount"] for t in task["contract"]["tranches"]] == [
        400_000_000,
        400_000_000,
    ]
    payment = {"tranche": 1, "amount": 400_000_000, "paid_on": "2026-03-05", "reference": "UNC 12"}
    assert ok(post(officer, f"/tasks/{task_id}/disbursements", payment), 201)["amount"] == 400_000_000
    over = post(officer, f"/tasks/{task_id}/disbursements", {**payment, "amount": 1})
    assert over.status_code == 422
    assert [p["loc"] for p in over.json()["detail"]] == [["body", "data", "amount"]]
    assert ok(get(officer, f"/tasks/{task_id}"))["contract"]["paid"] == 400_000_000
    assert ok(post(officer, f"/tasks/{task_id}/start"))["status"] == "in_progress"

    # Amendments: the host asks, the leader refuses one and approves the next (the task is extended).
    extension = {"kind": "extension", "reason": "Thời tiết bất thường.", "new_end_on": "2028-06-30"}
    first = ok(post(applicant, f"/tasks/{task_id}/amendments", extension), 201)
    refused = ok(
        post(leader, f"/tasks/{task_id}/amendments/{first['public_id']}/reject", {"reason": "Chưa đủ căn cứ."})
    )
    assert refused["status"] == "rejected"
    second = ok(post(applicant, f"/tasks/{task_id}/amendments", extension), 201)
    assert ok(post(leader, f"/tasks/{task_id}/amendments/{second['public_id']}/approve", {}))["status"] == "approved"
    task = ok(get(officer, f"/tasks/{task_id}"))
    assert (task["status"], task["end_on"]) == ("extended", "2028-06-30")

    # Deliverables, progress reports (returned once, then reviewed), a check on the spot.
    deliverable = ok(
        post(officer, f"/tasks/{task_id}/deliverables", {"name": "Mô hình 10 ha", "due_on": "2026-09-30"}), 201
    )
    delivered = ok(
        post(officer, f"/tasks/{task_id}/deliverables/{deliverable['id']}/delivered", {"delivered_on": "2026-03-09"})
    )
    assert delivered["delivered_on"] == "2026-03-09"
    report = ok(
        post(applicant, f"/tasks/{task_id}/reports", {"period_end": "2026-03-01", "content": "Đã khảo sát."}), 201
    )
    review = f"/tasks/{task_id}/reports/{report['public_id']}/review"
    assert ok(post(officer, review, {"accept": False, "note": "Bổ sung số liệu."}))["status"] == "returned"
    resubmit = f"/tasks/{task_id}/reports/{report['public_id']}/resubmit"
    assert ok(post(applicant, resubmit, {"content": "Đã khảo sát 12 hộ."}))["status"] == "submitted"
    assert ok(post(officer, review, {"note": "Đạt."}))["status"] == "reviewed"
    check = {"checked_on": "2026-03-09", "findings": "Đúng tiến độ.", "conclusion": "on_track"}
    assert ok(post(officer, f"/tasks/{task_id}/checks", check), 201)["conclusion"] == "on_track"

    # Acceptance, result, registration certificate, application of the result, liquidation.
    assert ok(post(officer, f"/tasks/{task_id}/submit-for-acceptance"))["status"] == "submitted_for_acceptance"
    acceptance = {"level": "provincial", "classification": "pass", "council_ref": "HĐ 20/QĐ-SKHCN"}
    assert ok(post(officer, f"/tasks/{task_id}/acceptances", acceptance), 201)["classification"] == "pass"
    assert ok(get(applicant, f"/tasks/{task_id}"))["status"] == "accepted"
    result = ok(
        post(
            officer,
            f"/tasks/{task_id}/results",
            {
                "title": "Quy trình thâm canh vải thiều theo VietGAP",
                "abstract": "Quy trình kỹ thuật thâm canh.",
                "year": 2026,
                "result_type": "process",
            },
        ),
        201,
    )
    result_path = f"/tasks/{task_id}/results/{result['public_id']}"
    registration = ok(post(applicant, f"{result_path}/registration"), 201)["registration"]
    assert registration["status"] == "submitted" and registration["verification_url"] is None
    certified = ok(post(officer, f"{result_path}/registration/certify", {"storage_ref": "KQ-2026-05"}))["registration"]
    assert certified["status"] == "certified" and certified["certificate_number"]
    assert "/" in certified["verification_url"] and certified["verification_url"].startswith("http")
    assert ok(get(officer, f"/tasks/{task_id}"))["status"] == "results_registered"
    applied = {"scale": "50 ha", "year": 2026, "place_text": "Xã Hồng Giang, huyện Lục Ngạn"}
    assert ok(post(applicant, f"{result_path}/applications", applied), 201)["scale"] == "50 ha"
    task = ok(post(leader, f"/tasks/{task_id}/liquidate"))
    assert task["status"] == "liquidated" and task["transitions"] == []
    published = ok(get(applicant, "/results"))["items"]
    assert [(r["public_id"], r["certificate_number"]) for r in published] == [
        (result["public_id"], certified["certificate_number"])
    ]


def test_an_applicant_sees_and_acts_on_its_own_records_only(apis, flow, other_applicant, applicant):
    mine, officer, _leader = apis
    stranger = api_for(other_applicant)
    proposal = ok(post(mine, "/proposals", {**PROPOSAL, "submit": True}), 201)
    task = flow.in_progress()
    report = {"period_end": "2026-03-01", "content": "Báo cáo."}

    assert [p["public_id"] for p in ok(get(mine, "/proposals"))["items"]] == [proposal["public_id"]]
    assert ok(get(stranger, "/proposals"))["items"] == []
    assert get(stranger, f"/proposals/{proposal['public_id']}").status_code == 404
    assert post(stranger, f"/proposals/{proposal['public_id']}/submit").status_code == 404
    assert get(stranger, f"/tasks/{task.public_id}").status_code == 404
    assert post(stranger, f"/tasks/{task.public_id}/reports", report).status_code == 404
    assert ok(get(stranger, "/tasks"))["items"] == []
    assert [t["code"] for t in ok(get(mine, "/tasks"))["items"]] == [task.code]
    # The host acts on its task only where the services allow a host.
    assert ok(post(mine, f"/tasks/{task.public_id}/reports", report), 201)["status"] == "submitted"
    assert (
        post(
            mine,
            f"/tasks/{task.public_id}/checks",
            {**report, "checked_on": "2026-03-01", "findings": "x", "conclusion": "on_track"},
        ).status_code
        == 403
    )
    assert post(mine, f"/tasks/{task.public_id}/submit-for-acceptance").status_code == 403
    # Rounds are staff records.
    proposal_round = ok(post(officer, "/rounds", {"year": 2027, "title": "Đặt hàng 2027"}), 201)
    assert get(mine, f"/rounds/{proposal_round['public_id']}").status_code == 404
    assert ok(get(mine, "/rounds"))["items"] == []


def test_another_departments_officer_gets_404(flow, outsider, applicant):
    task = flow.in_progress()
    proposal = Proposal.objects.create(
        department=flow.department, title="Đề xuất", problem="p", objectives="o", expected_results="e", regime="2025"
    )
    other = api_for(outsider)
    assert ok(get(other, "/tasks"))["items"] == []
    for path in (f"/tasks/{task.public_id}", f"/proposals/{proposal.public_id}"):
        assert get(other, path).status_code == 404
    for path in ("start", "submit-for-acceptance", "liquidate"):
        response = post(other, f"/tasks/{task.public_id}/{path}")
        assert response.status_code == 404 and response.json() == {"detail": "No such task."}
    assert post(other, f"/proposals/{proposal.public_id}/shortlist").status_code == 404
    payment = {"tranche": 1, "amount": 1, "paid_on": "2026-03-05"}
    assert post(other, f"/tasks/{task.public_id}/disbursements", payment).status_code == 404


def test_the_wrong_role_gets_403(apis, flow, department):
    applicant, officer, leader = apis
    proposal = ok(post(applicant, "/proposals", {**PROPOSAL, "submit": True}), 201)
    assert post(applicant, f"/proposals/{proposal['public_id']}/shortlist").status_code == 403
    assert post(applicant, "/rounds", {"year": 2027, "title": "Đợt"}).status_code == 403
    assert post(applicant, "/proposals/recorded", {**PROPOSAL, "proposer_name": "Xã"}).status_code == 403
    assert post(officer, "/proposals", PROPOSAL).status_code == 403  # staff record at /proposals/recorded
    assert post(leader, "/rounds", {"year": 2027, "title": "Đợt"}).status_code == 403
    proposal_round = ok(post(officer, "/rounds", {"year": 2027, "title": "Đợt"}), 201)
    assert post(leader, f"/rounds/{proposal_round['public_id']}/close").status_code == 403
    ok(post(officer, f"/rounds/{proposal_round['public_id']}/close"))
    assert post(officer, f"/rounds/{proposal_round['public_id']}/approve", {}).status_code == 403

    ordered = flow.ordered()
    assign = {
        "host": str(flow.host.public_id),
        "principal_investigator": str(flow.pi.public_id),
        "start_on": "2026-01-01",
        "end_on": "2027-12-31",
        "budget": {"provincial": 1},
    }
    assert post(officer, f"/tasks/{ordered.public_id}/assign", assign).status_code == 403
    assert post(applicant, "/tasks", {"title": "Nhiệm vụ"}).status_code == 403
    assert (
        post(
            leader, "/calls", {"title": "x", "deadline": "2026-05-01T00:00:00Z", "tasks": [str(ordered.public_id)]}
        ).status_code
        == 403
    )
    task = flow.in_progress()
    assert post(officer, f"/tasks/{task.public_id}/cancel", {"reason": "x"}).status_code == 403
    response = post(
        applicant, f"/tasks/{task.public_id}/acceptances", {"level": "provincial", "classification": "pass"}
    )
    assert response.status_code == 403 and response.json() == {"detail": "You may not do this with this record."}
    assert task.status == TaskStatus.IN_PROGRESS


def test_a_wrong_state_is_409(apis, flow):
    applicant, officer, leader = apis
    ordered = flow.ordered()
    for path in ("start", "submit-for-acceptance", "liquidate"):
        response = post(officer if path != "liquidate" else leader, f"/tasks/{ordered.public_id}/{path}")
        assert response.status_code == 409, path
        assert "is not possible" in response.json()["detail"]
    contract = {
        "number": "1",
        "signed_on": "2026-03-01",
        "total": 1,
        "starts_on": "2026-03-01",
        "ends_on": "2027-03-01",
    }
    assert post(officer, f"/tasks/{ordered.public_id}/contract", contract).status_code == 409
    payment = {"tranche": 1, "amount": 1, "paid_on": "2026-03-05"}
    assert post(officer, f"/tasks/{ordered.public_id}/disbursements", payment).status_code == 409
    assert (
        post(officer, f"/tasks/{ordered.public_id}/reports", {"period_end": "2026-03-01", "content": "x"}).status_code
        == 409
    )

    proposal = ok(post(applicant, "/proposals", {**PROPOSAL, "submit": True}), 201)
    assert post(applicant, f"/proposals/{proposal['public_id']}/submit").status_code == 409
    assert post(officer, f"/proposals/{proposal['public_id']}/shortlist").status_code == 409

    task = flow.registered()
    result = task.results.get()
    path = f"/tasks/{task.public_id}/results/{result.public_id}/registration"
    assert post(officer, f"{path}/certify").status_code == 409  # never twice
    assert post(applicant, path).status_code == 409  # registered already
    assert Task.objects.get(pk=task.pk).status == TaskStatus.RESULTS_REGISTERED


def test_errors_have_the_documented_shapes(apis, flow, applicant, client):
    _applicant, officer, _leader = apis
    task = flow.in_progress()
    url = f"{BASE}/tasks/{task.public_id}/reports"
    # Not JSON: 400.
    response = officer.post(url, b"\x87not json", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()
    # Lax input is refused: a number for a date, "yes" for true, a blank title, NUL.
    assert post(officer, f"/tasks/{task.public_id}/reports", {"period_end": 0, "content": "x"}).status_code == 422
    bad = post(officer, "/proposals/recorded", {**PROPOSAL, "proposer_name": "Xã", "title": "   ", "submit": "yes"})
    assert bad.status_code == 422
    assert {tuple(p["loc"]) for p in bad.json()["detail"]} == {("body", "data", "title"), ("body", "data", "submit")}
    assert post(officer, "/rounds", {"year": 2027, "title": "a\x00b"}).status_code == 422
    # Found by the fuzzer: a JSON string for the body was read through its attributes ("AAA".title).
    for body in ('"AAA"', "[]", "3"):
        response = officer.post(f"{BASE}/tasks", body, content_type="application/json")
        assert response.status_code == 422, body
    assert not Task.objects.exclude(pk=task.pk).exists()
    # A service rule is a 422 at the field.
    future = post(officer, f"/tasks/{task.public_id}/reports", {"period_end": "2026-04-01", "content": "x"})
    assert future.status_code == 422
    assert future.json()["detail"][0]["loc"] == ["body", "data", "period_end"]
    # Found by the fuzzer: a year out of range answered 500.
    assert get(officer, "/tasks", {"year": -180}).status_code == 422
    assert get(officer, "/tasks", {"year": "x"}).status_code == 422
    assert get(officer, "/tasks", {"status": "nonsense"}).status_code == 422
    assert ok(get(officer, "/tasks", {"year": 2025}))["items"][0]["code"] == task.code
    # A record named in the body that the caller may not see: 404.
    missing = post(
        officer,
        "/calls",
        {
            "title": "x",
            "deadline": "2026-05-01T00:00:00Z",
            "tasks": [str(task.pk).zfill(8) + "-0000-0000-0000-000000000000"],
        },
    )
    assert missing.status_code == 404
    # Anonymous: 401 also on POST; a session without the CSRF token: 403.
    assert Client().post(url, {}, content_type="application/json").status_code == 401
    session = Client(enforce_csrf_checks=True)
    session.force_login(applicant)
    response = session.post(url, {"period_end": "2026-03-01", "content": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert task.progress_reports.count() == 0


def test_direct_assignment_from_the_round_and_staff_lists_are_scoped(apis, flow, department, outsider):
    applicant, officer, leader = apis
    proposal = ok(post(applicant, "/proposals", {**PROPOSAL, "submit": True}), 201)
    proposal_round = ok(post(officer, "/rounds", {"year": 2027, "title": "Đợt 2027"}), 201)
    ok(post(officer, f"/proposals/{proposal['public_id']}/group", {"round": proposal_round["public_id"]}))
    ok(post(officer, f"/rounds/{proposal_round['public_id']}/close"))
    ok(post(officer, f"/proposals/{proposal['public_id']}/shortlist"))
    unknown = post(
        leader, f"/rounds/{proposal_round['public_id']}/approve", {"direct": ["00000000-0000-0000-0000-000000000001"]}
    )
    assert unknown.status_code == 404
    approved = ok(post(leader, f"/rounds/{proposal_round['public_id']}/approve", {"direct": [proposal["public_id"]]}))
    assert approved["tasks"][0]["assignment_mode"] == AssignmentMode.DIRECT
    assert Proposal.objects.get(public_id=proposal["public_id"]).status == ProposalStatus.ORDERED
    assert [r["public_id"] for r in ok(get(officer, "/rounds"))["items"]] == [proposal_round["public_id"]]
    assert ok(get(api_for(outsider), "/rounds"))["items"] == []
    assert ok(get(api_for(outsider), "/proposals"))["items"] == []


def test_lists_take_a_constant_number_of_queries(apis, flow, django_assert_max_num_queries):
    _applicant, officer, _leader = apis
    for _ in range(3):
        flow.contracted(budget=BUDGET)
    with django_assert_max_num_queries(8):
        assert len(ok(get(officer, "/tasks"))["items"]) == 3
    with django_assert_max_num_queries(8):
        ok(get(officer, "/proposals"))
    with django_assert_max_num_queries(8):
        ok(get(officer, "/calls"))
