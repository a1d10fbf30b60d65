"""The dossier engine over /api/v1/dossiers: the whole journey, each error answer, concurrent moves,
query counts. The rules themselves are tested on the services (test_flow.py); here, that the API
reaches them with the caller's rights and answers in the documented shapes."""

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from opendost.accounts.roles import Role
from opendost.api.services import api_token_create
from opendost.dossiers import services
from opendost.dossiers.enums import DossierStatus, Recommendation
from opendost.workflow.models import TransitionLog
from tests.dossiers.factories import Office, attach_required, published_procedure
from tests.factories import UserFactory
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
BASE = "/api/v1/dossiers"


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


def api_for(user) -> Client:
    raw = api_token_create(user=user, name=f"test {user.username}")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


def pdf(name="don.pdf", content=b"%PDF-1.4 test"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def office():
    return Office()


@pytest.fixture
def applicant(office):
    organization = OrganizationFactory(department=office.department, name="Bệnh viện Đa khoa Hà Bắc")
    return UserFactory(role=Role.APPLICANT, department=None, organization=organization)


@pytest.fixture
def procedure():
    return published_procedure(deadline_count=3)


def submitted(procedure, applicant):
    dossier = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    attach_required(dossier, applicant)
    return services.dossier_submit(actor=applicant, dossier=dossier)


def pending_decision(procedure, applicant, office):
    dossier = submitted(procedure, applicant)
    services.dossier_receive(actor=office.desk, dossier=dossier)
    services.dossier_assign(actor=office.desk, dossier=dossier, unit=office.unit, officer=office.officer)
    services.dossier_propose(actor=office.officer, dossier=dossier, recommendation=Recommendation.APPROVE)
    return dossier


def move(client, dossier_id, name, **body):
    return client.post(f"{BASE}/{dossier_id}/transitions/{name}", body, content_type="application/json")


# THE JOURNEY --------------------------------------------------------------------------------------


def test_the_whole_journey_over_the_api(office, applicant, procedure):
    me, desk, officer, leader = (api_for(u) for u in (applicant, office.desk, office.officer, office.leader))

    with time_machine.travel(at(2026, 12, 29, 15), tick=False):
        response = me.post(
            BASE,
            {"procedure": str(procedure.public_id), "organization": str(applicant.organization.public_id)},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        draft = response.json()
        pid = draft["public_id"]
        assert (draft["status"], draft["code"], draft["version"]) == ("draft", "", 1)
        assert draft["applicant"]["name"] == "Bệnh viện Đa khoa Hà Bắc"
        assert draft["missing_documents"] == ["DON", "GCN"]
        assert {t["name"] for t in draft["transitions"]} == {"submit"}

        for code in ("DON", "GCN"):
            response = me.post(f"{BASE}/{pid}/attachments", {"file": pdf(), "requirement": code})
            assert response.status_code == 201, response.content
            assert response.json()["requirement"] == code and len(response.json()["sha256"]) == 64
        response = me.post(f"{BASE}/{pid}/submit")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "submitted" and response.json()["code"].endswith("-00001")

    # Received on Wednesday 30/12/2026: 3 working days skip New Year's Day (Friday 01/01/2027).
    with time_machine.travel(at(2026, 12, 30, 10), tick=False):
        detail = desk.get(f"{BASE}/{pid}").json()
        assert {"receive", "return_for_completion", "refuse_intake"} <= {t["name"] for t in detail["transitions"]}
        response = move(desk, pid, "receive")
        assert response.status_code == 200, response.content
        assert (response.json()["due_date"], response.json()["deemed_received_on"]) == ("2027-01-05", "2026-12-30")
    with time_machine.travel(at(2026, 12, 30, 14), tick=False):
        response = move(desk, pid, "assign", officer=str(office.officer.public_id))
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["status"] == "in_review" and body["assigned_unit"]["id"] == office.unit.pk
        assert body["assigned_officer"]["public_id"] == str(office.officer.public_id)

    with time_machine.travel(at(2026, 12, 31, 9), tick=False):
        response = move(officer, pid, "request_supplement", items="Bổ sung kết quả kiểm xạ.")
        assert response.json()["status"] == "supplement_requested"
    with time_machine.travel(at(2027, 1, 6, 9), tick=False):
        response = me.post(f"{BASE}/{pid}/attachments", {"file": pdf("kiem-xa.pdf")})
        assert response.status_code == 201 and response.json()["for_supplement"] is True
        response = move(me, pid, "supplement", note="Đã bổ sung.")
        assert response.status_code == 200, response.content
        body = response.json()
    # Day 1 = 31/12, paused 01/01-06/01, days 2-3 = 07-08/01.
    assert (body["status"], body["due_date"]) == ("in_review", "2027-01-08")
    assert body["supplements"][0]["applicant_note"] == "Đã bổ sung." and body["supplements"][0]["resumed_at"]

    with time_machine.travel(at(2027, 1, 7, 9), tick=False):
        assert move(officer, pid, "propose", recommendation="approve").json()["status"] == "decision_pending"
        assert move(leader, pid, "approve").json()["status"] == "approved"
        issued = move(officer, pid, "issue_result").json()
        assert move(desk, pid, "return_result").json()["status"] == "result_returned"
        response = me.post(f"{BASE}/{pid}/rating", {"score": 3, "comment": "Nhanh."}, content_type="application/json")
        assert response.status_code == 201 and response.json() == {"score": 3, "comment": "Nhanh."}
        final = me.get(f"{BASE}/{pid}").json()

    assert issued["status"] == "result_issued"
    assert issued["result_document"]["number_symbol"] == "01/GP-SKHCN"
    assert issued["result_document"]["verification_url"].startswith(settings.SITE_URL.rstrip("/") + "/")
    assert (final["timeliness"], final["rating"]["score"], final["transitions"]) == ("early", 3, [])
    assert final["recommendation"] == ""  # the officer's proposal is internal
    assert officer.get(f"{BASE}/{pid}").json()["recommendation"] == "approve"

    timeline = me.get(f"{BASE}/{pid}/timeline").json()
    assert [e["label"] for e in timeline] == [
        "Submit",
        "Receive",
        "Assign",
        "Request supplements",
        "Supplement",
        "Submit to the leader",
        "Approve",
        "Issue the result",
        "Return the result",
    ]
    assert all(e["note"] == "" for e in timeline)  # no names for the applicant
    assert any(office.desk.get_full_name() in e["note"] for e in desk.get(f"{BASE}/{pid}/timeline").json())

    stats = leader.get(f"{BASE}/statistics", {"date_from": "2026-12-01", "date_to": "2027-01-31", "group_by": "unit"})
    assert stats.status_code == 200
    assert [(r["label"], r["received"], r["early"]) for r in stats.json()["rows"]] == [(office.unit.name, 1, 1)]
    assert stats.json()["total"]["on_time_rate"] == 1.0


def test_the_catalogue_shows_the_versions_in_force(office, applicant, procedure):
    me = api_for(applicant)
    items = me.get(f"{BASE}/procedures", {"q": "cap giay phep thu"}).json()["items"]
    assert [i["local_code"] for i in items] == [procedure.local_code]
    version = items[0]["version"]
    assert (version["number"], version["deadline_unit"], version["deadline_count"]) == (1, "working", 3)
    assert [d["code"] for d in version["required_documents"]] == ["DON", "GCN"]
    assert me.get(f"{BASE}/procedures", {"q": "khong co"}).json()["items"] == []

    services.procedure_version_draft(actor=office.leader, procedure=procedure, deadline_count=5)
    detail = me.get(f"{BASE}/procedures/{procedure.public_id}").json()
    assert (detail["version_in_force"], [v["number"] for v in detail["versions"]]) == (1, [1])
    staff = api_for(office.leader).get(f"{BASE}/procedures/{procedure.public_id}").json()
    assert [(v["number"], v["status"]) for v in staff["versions"]] == [(2, "draft"), (1, "published")]


def test_lists_are_scoped_and_filtered(office, applicant, procedure):
    mine = submitted(procedure, applicant)
    services.dossier_receive(actor=office.desk, dossier=mine)
    services.dossier_assign(actor=office.desk, dossier=mine, unit=office.unit, officer=office.officer)
    services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)  # a draft
    stranger = UserFactory(role=Role.APPLICANT, department=None, organization=OrganizationFactory())
    submitted(procedure, stranger)

    officer = api_for(office.officer)
    assert [d["code"] for d in officer.get(BASE).json()["items"]] == [mine.code]  # no drafts, no stranger
    assert [d["code"] for d in officer.get(BASE, {"mine": "true"}).json()["items"]] == [mine.code]
    assert officer.get(BASE, {"status": "submitted"}).json()["items"] == []
    assert officer.get(BASE, {"procedure": "00000000-0000-0000-0000-000000000000"}).json()["items"] == []
    assert officer.get(BASE, {"q": mine.code[-5:]}).json()["items"][0]["code"] == mine.code
    assert api_for(office.desk).get(BASE, {"mine": "true"}).json()["items"] == []
    assert len(api_for(applicant).get(BASE).json()["items"]) == 2  # with its draft
    assert api_for(UserFactory(role=Role.OFFICER)).get(BASE).json()["items"] == []

    worklist = officer.get(f"{BASE}/worklist").json()
    assert [d["code"] for d in worklist["to_handle"]["items"]] == [mine.code]
    assert worklist["to_handle"]["more"] is False and worklist["intake"] is None
    desk_list = api_for(office.desk).get(f"{BASE}/worklist").json()
    assert [d["code"] for d in desk_list["intake"]["items"]] == [] and desk_list["to_handle"] is None


def test_the_worklist_shows_fifty_and_says_there_are_more(office, applicant, procedure, monkeypatch):
    from opendost.dossiers import api

    monkeypatch.setattr(api, "WORKLIST_SIZE", 2)
    for _ in range(3):
        submitted(procedure, applicant)
    intake = api_for(office.desk).get(f"{BASE}/worklist").json()["intake"]
    assert (len(intake["items"]), intake["more"]) == (2, True)


# ERRORS -------------------------------------------------------------------------------------------


def test_401_without_credentials_also_on_post(procedure):
    anonymous = Client()
    for response in (
        anonymous.get(BASE),
        anonymous.post(BASE, {"procedure": str(procedure.public_id)}, content_type="application/json"),
        anonymous.post(f"{BASE}/00000000-0000-0000-0000-000000000000/transitions/approve", {}, "application/json"),
    ):
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication required."}


def test_a_session_post_needs_the_csrf_token_and_a_token_post_does_not(applicant, procedure):
    body = {"procedure": str(procedure.public_id), "organization": str(applicant.organization.public_id)}
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(applicant)
    assert browser.get(BASE).status_code == 200

    response = browser.post(BASE, body, content_type="application/json")
    assert response.status_code == 403 and response.json()["detail"] == "CSRF check Failed"

    secret = _get_new_csrf_string()
    browser.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = browser.post(BASE, body, content_type="application/json", headers={"X-CSRFToken": secret})
    assert response.status_code == 201, response.content
    token_client = api_for(applicant)
    token_client.handler.enforce_csrf_checks = True
    assert token_client.post(BASE, body, content_type="application/json").status_code == 201


def test_403_for_the_wrong_role(office, applicant, procedure):
    dossier = pending_decision(procedure, applicant, office)
    me, officer = api_for(applicant), api_for(office.officer)

    for client in (me, officer):
        response = move(client, dossier.public_id, "approve")
        assert response.status_code == 403 and "detail" in response.json()
    assert (
        officer.post(BASE, {"procedure": str(procedure.public_id)}, content_type="application/json").status_code == 403
    )
    other_org = {"procedure": str(procedure.public_id), "organization": str(OrganizationFactory().public_id)}
    assert me.post(BASE, other_org, content_type="application/json").status_code == 403
    assert me.get(f"{BASE}/statistics").status_code == 403
    assert me.post(f"{BASE}/{dossier.public_id}/delay", {"new_due_date": "2030-01-07", "reason": "x"},
                   content_type="application/json").status_code == 403  # fmt: skip
    assert officer.post(f"{BASE}/{dossier.public_id}/rating", {"score": 1},
                        content_type="application/json").status_code == 403  # fmt: skip
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DECISION_PENDING


def test_404_for_outsiders_other_applicants_and_unknown_ids(office, applicant, procedure):
    dossier = submitted(procedure, applicant)
    draft = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    stranger = UserFactory(role=Role.APPLICANT, department=None, organization=OrganizationFactory())
    outsiders = [
        api_for(stranger),
        api_for(UserFactory(role=Role.LEADER)),
        api_for(UserFactory(role=Role.DESK_OFFICER)),
    ]

    for client in outsiders:
        assert client.get(f"{BASE}/{dossier.public_id}").status_code == 404
        assert client.get(f"{BASE}/{dossier.public_id}/timeline").status_code == 404
        assert move(client, dossier.public_id, "receive").status_code == 404
        assert client.post(f"{BASE}/{dossier.public_id}/attachments", {"file": pdf()}).status_code == 404
    assert api_for(office.officer).get(f"{BASE}/{draft.public_id}").status_code == 404  # drafts are the applicant's
    response = api_for(applicant).get(f"{BASE}/00000000-0000-0000-0000-000000000000")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    assert api_for(applicant).get(f"{BASE}/procedures/00000000-0000-0000-0000-000000000000").status_code == 404
    missing_procedure = {"procedure": "00000000-0000-0000-0000-000000000000"}
    assert api_for(applicant).post(BASE, missing_procedure, content_type="application/json").status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_409_for_the_wrong_state(office, applicant, procedure):
    dossier = submitted(procedure, applicant)
    leader, me = api_for(office.leader), api_for(applicant)

    response = move(leader, dossier.public_id, "approve")
    assert response.status_code == 409 and "Approve" in response.json()["detail"]
    assert me.post(f"{BASE}/{dossier.public_id}/submit").status_code == 409
    assert me.post(f"{BASE}/{dossier.public_id}/attachments", {"file": pdf()}).status_code == 409
    assert (
        me.post(f"{BASE}/{dossier.public_id}/rating", {"score": 2}, content_type="application/json").status_code == 409
    )
    draft_update = {"expected_version": dossier.version, "note": "x"}
    assert (
        me.post(f"{BASE}/{dossier.public_id}/draft", draft_update, content_type="application/json").status_code == 409
    )
    delay = {"new_due_date": "2030-01-07", "reason": "Chờ ý kiến."}
    response = api_for(office.officer).post(
        f"{BASE}/{dossier.public_id}/delay", delay, content_type="application/json"
    )
    assert response.status_code == 409


def test_a_draft_is_edited_with_its_version_and_a_stale_version_gets_409(applicant, procedure):
    me = api_for(applicant)
    dossier = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    url = f"{BASE}/{dossier.public_id}/draft"

    response = me.post(
        url, {"expected_version": 1, "applicant_phone": "0204 3854 123"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["applicant"]["phone"], response.json()["version"]) == ("0204 3854 123", 2)

    stale = me.post(url, {"expected_version": 1, "note": "Ghi chú."}, content_type="application/json")
    assert stale.status_code == 409 and "Someone else saved" in stale.json()["detail"]
    dossier.refresh_from_db()
    assert (dossier.note, dossier.version) == ("", 2)
    response = me.post(url, {"expected_version": 2, "applicant_name": "  "}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "data", "applicant_name"]


def test_409_when_two_moves_meet_in_sequence(office, applicant, procedure):
    dossier = pending_decision(procedure, applicant, office)
    leader = api_for(office.leader)
    assert move(leader, dossier.public_id, "approve").status_code == 200
    response = move(leader, dossier.public_id, "reject", reason="Không đạt.")
    assert response.status_code == 409 and isinstance(response.json()["detail"], str)


def problems(response) -> list[tuple]:
    assert response.status_code == 422, response.content
    return [(p["type"], p["loc"]) for p in response.json()["detail"]]


def test_422_for_bad_input_in_the_documented_shape(office, applicant, procedure):
    dossier = pending_decision(procedure, applicant, office)
    leader, officer, me = api_for(office.leader), api_for(office.officer), api_for(applicant)

    assert ("value_error", ["body", "data", "procedure"]) in problems(
        me.post(BASE, {"procedure": "nope"}, content_type="application/json")
    )
    assert problems(move(leader, dossier.public_id, "reject", reason="   ")) == [
        ("invalid", ["body", "data", "reason"])
    ]
    assert problems(move(leader, dossier.public_id, "explode"))[0][1] == ["path", "name"]
    assert problems(leader.get(f"{BASE}/not-a-uuid"))[0][1] == ["path", "public_id"]
    assert problems(leader.get(f"{BASE}/statistics", {"group_by": "colour"}))[0][1] == ["query", "group_by"]

    move(leader, dossier.public_id, "send_back", reason="Xem lại.")
    assert problems(move(officer, dossier.public_id, "request_supplement", items="")) == [
        ("invalid", ["body", "data", "items"])
    ]
    assert problems(move(officer, dossier.public_id, "propose", recommendation="refuse")) == [
        ("invalid", ["body", "data", "note"])
    ]
    assert problems(move(leader, dossier.public_id, "assign", officer="00000000-0000-0000-0000-000000000000")) == [
        ("unknown", ["body", "data", "officer"])
    ]
    # Saturday 09/01/2027 is not a working day.
    with time_machine.travel(at(2027, 1, 4), tick=False):
        delay = {"new_due_date": "2027-01-09", "reason": "Chờ ý kiến."}
        response = officer.post(f"{BASE}/{dossier.public_id}/delay", delay, content_type="application/json")
    assert problems(response) == [("invalid", ["body", "data", "new_due_date"])]

    draft = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    response = me.post(f"{BASE}/{draft.public_id}/attachments", {"file": pdf("virus.exe"), "requirement": "DON"})
    assert problems(response) == [("invalid", ["file", "file"])]
    response = me.post(f"{BASE}/{draft.public_id}/attachments", {"file": pdf(), "requirement": "KHAC"})
    assert problems(response) == [("invalid", ["form", "requirement"])]
    assert problems(me.post(f"{BASE}/{draft.public_id}/attachments", {"requirement": "DON"})) == [
        ("missing", ["file", "file"])
    ]
    response = me.post(f"{BASE}/{draft.public_id}/submit")
    assert (
        problems(response) == [("missing_documents", ["body"])]
        and "Đơn đề nghị" in response.json()["detail"][0]["msg"]
    )


def test_the_delay_endpoint_records_an_apology_slip(office, applicant, procedure):
    dossier = submitted(procedure, applicant)
    services.dossier_receive(actor=office.desk, dossier=dossier, received_at=at(2026, 12, 7))
    services.dossier_assign(actor=office.desk, dossier=dossier, unit=office.unit, officer=office.officer)
    with time_machine.travel(at(2026, 12, 10, 16), tick=False):
        response = api_for(office.officer).post(
            f"{BASE}/{dossier.public_id}/delay",
            {"new_due_date": "2026-12-15", "reason": "Chờ ý kiến liên ngành."},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert (response.json()["previous_due_date"], response.json()["new_due_date"]) == ("2026-12-10", "2026-12-15")
    detail = api_for(applicant).get(f"{BASE}/{dossier.public_id}").json()
    assert (detail["due_date"], detail["rescheduled_due_date"], detail["effective_due_date"]) == (
        "2026-12-10",
        "2026-12-15",
        "2026-12-15",
    )
    assert detail["delays"][0]["reason"] == "Chờ ý kiến liên ngành."


# QUERY COUNTS -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 6])
def test_the_lists_cost_a_fixed_number_of_queries(office, applicant, procedure, count, django_assert_max_num_queries):
    for _ in range(count):
        dossier = submitted(procedure, applicant)
        services.dossier_receive(actor=office.desk, dossier=dossier)
        services.dossier_assign(actor=office.desk, dossier=dossier, unit=office.unit, officer=office.officer)
    officer, me, desk = api_for(office.officer), api_for(applicant), api_for(office.desk)
    for client in (officer, me, desk):
        client.get(f"{BASE}/procedures")  # token last use written, permissions cached per request anyway

    with django_assert_max_num_queries(8):
        assert len(officer.get(BASE).json()["items"]) == count
    with django_assert_max_num_queries(8):
        assert len(me.get(BASE).json()["items"]) == count
    with django_assert_max_num_queries(12):
        assert len(officer.get(f"{BASE}/worklist").json()["to_handle"]["items"]) == count
    with django_assert_max_num_queries(12):
        desk.get(f"{BASE}/worklist")


# CONCURRENCY --------------------------------------------------------------------------------------


def _skip_on_memory_sqlite():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite cannot be shared by threads; test_concurrency_on_a_sqlite_file runs this")


@pytest.mark.django_db(transaction=True)
def test_concurrent_approve_and_reject_exactly_one_wins(office, applicant, procedure):
    _skip_on_memory_sqlite()
    dossier = pending_decision(procedure, applicant, office)
    clients = [api_for(office.leader), api_for(office.leader)]
    barrier = threading.Barrier(2)
    answers: list[tuple[str, int, dict]] = []
    errors: list[BaseException] = []

    def act(i):
        name, body = [("approve", {}), ("reject", {"reason": "Không đạt yêu cầu."})][i]
        try:
            barrier.wait()
            response = move(clients[i], dossier.public_id, name, **body)
            answers.append((name, response.status_code, response.json()))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(code for _name, code, _body in answers) == [200, 409], answers
    winner = next(name for name, code, _body in answers if code == 200)
    loser = next(body for _name, code, body in answers if code == 409)
    assert isinstance(loser["detail"], str)
    dossier.refresh_from_db()
    assert dossier.status == {"approve": DossierStatus.APPROVED, "reject": DossierStatus.REJECTED}[winner]
    decisions = TransitionLog.objects.for_object(dossier).filter(name__in=["approve", "reject"])
    assert list(decisions.values_list("name", flat=True)) == [winner]


def test_concurrency_on_a_sqlite_file(tmp_path):
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3") or (db.get("TEST") or {}).get("NAME"):
        pytest.skip("the thread test runs directly on this database")
    env = {**os.environ, "OPENDOST_TEST_SQLITE": str(tmp_path / "dossier-api.sqlite3")}
    env.pop("DATABASE_URL", None)
    path = Path(__file__).relative_to(settings.BASE_DIR)
    result = subprocess.run(  # noqa: S603 - our own interpreter and test file
        [sys.executable, "-m", "pytest", f"{path}", "-k", "concurrent_approve", "-p", "no:xdist", "-p",
         "no:randomly", "-p", "no:cacheprovider", "-rs"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout, result.stdout


def test_the_fee_is_recorded_over_the_api_before_a_fee_bound_dossier_is_received(office, applicant):
    procedure = published_procedure(deadline_count=3, fee_amount=1_600_000, rules={"clock_after_fee": True})
    dossier = submitted(procedure, applicant)
    desk = api_for(office.desk)
    base = f"/api/v1/dossiers/{dossier.public_id}"

    unpaid = desk.post(f"{base}/transitions/receive", {}, content_type="application/json")
    assert unpaid.status_code == 409 and "fee" in unpaid.json()["detail"]
    bad = desk.post(
        f"{base}/fee", {"amount": 0, "receipt_number": "", "paid_on": "2026-11-27"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert (
        api_for(office.officer)
        .post(
            f"{base}/fee",
            {"amount": 1_600_000, "receipt_number": "BL-1", "paid_on": "2026-11-27"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    paid = desk.post(
        f"{base}/fee",
        {"amount": 1_600_000, "receipt_number": "BL-1", "paid_on": "2026-11-27"},
        content_type="application/json",
    )
    assert paid.status_code == 200, paid.content
    assert paid.json()["fee"] == {"amount": 1_600_000, "receipt_number": "BL-1", "paid_on": "2026-11-27"}
    assert desk.post(f"{base}/transitions/receive", {}, content_type="application/json").status_code == 200
