"""/api/v1/planning/: every operation, its scoping (another department's plan is a 404), its rights and
its errors."""

import datetime as dt

import pytest
from django.test import Client

from opendost.api.services import api_token_create
from opendost.planning import services
from opendost.planning.models import Plan
from opendost.projects.enums import FundingSource
from tests.planning.test_budget import contracted, pay

pytestmark = pytest.mark.django_db
API = "/api/v1/planning"


def client_for(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='test')[1]}"})


@pytest.fixture
def api(officer):
    return client_for(officer)


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_plans_list_and_detail(api, plan, outsider):
    listed = api.get(f"{API}/plans").json()
    assert [p["public_id"] for p in listed["items"]] == [str(plan.public_id)]
    detail = api.get(f"{API}/plans/{plan.public_id}").json()
    assert detail["code"] == "khcn-2021-2025" and detail["version"] == 1
    assert len(detail["targets"]) == plan.targets.count()
    marks = next(t for t in detail["targets"] if t["code"] == "new-marks")
    assert (marks["target_min"], marks["target_max"], marks["indicator_key"]) == (15, 20, "")
    trainees = next(t for t in detail["targets"] if t["code"] == "tdc-trainees")
    assert trainees["yearly_values"]["2023"] == 60
    other = client_for(outsider)
    assert other.get(f"{API}/plans").json()["items"] == []
    assert other.get(f"{API}/plans/{plan.public_id}").status_code == 404


def test_progress_of_every_target(api, plan, flow):
    task = flow.assigned()
    body = api.get(f"{API}/plans/{plan.public_id}/progress", {"year": 2025}).json()
    assert body["year"] == 2025 and body["elapsed_percent"] == 100.0 and "90 percent" in body["rule"]
    rows = {row["target"]["code"]: row for row in body["targets"]}
    assert rows["tasks"]["actual"] == 1 and rows["tasks"]["status"] == "no_target"
    assert rows["tasks"]["records_url"].endswith(f"/targets/{plan.targets.get(code='tasks').public_id}/records/")
    assert rows["xray-devices"]["status"] == "off_track" and rows["xray-devices"]["percent"] == 0
    assert rows["new-marks"]["status"] == "no_data" and rows["new-marks"]["records_url"] is None
    # a year outside the plan is kept within it, as on the dashboard
    assert api.get(f"{API}/plans/{plan.public_id}/progress", {"year": 2100}).json()["year"] == 2025
    assert api.get(f"{API}/plans/{plan.public_id}/progress", {"year": "x"}).status_code == 422
    assert task.start_on.year == 2025


def test_values_per_year_and_quarter(api, plan, flow):
    flow.assigned()  # started 01/11/2025: the fourth quarter
    tasks = plan.targets.get(code="tasks")
    body = api.get(f"{API}/targets/{tasks.public_id}/values", {"year": 2025}).json()
    years = {row["year"]: row for row in body["years"]}
    assert years[2025]["actual"] == 1 and years[2024]["actual"] == 0 and years[2025]["cumulative"] == 1
    assert [q["actual"] for q in body["quarters"]] == [0, 0, 0, 1] and body["quarters_of"] == 2025
    trainees = plan.targets.get(code="tdc-trainees")
    body = api.get(f"{API}/targets/{trainees.public_id}/values").json()
    assert body["years"][0]["planned"] == 60 and body["years"][0]["actual"] is None


def test_manual_values_are_entered_and_approved_by_two_people(plan, officer, leader, second_leader):
    marks = plan.targets.get(code="new-marks")
    url = f"{API}/targets/{marks.public_id}/manual-values"
    created = post(client_for(officer), url, {"year": 2023, "value": 4, "source_document": "Báo cáo 12/BC"})
    assert created.status_code == 201 and created.json()["status"] == "draft"
    value_id = created.json()["public_id"]
    # the leader may not enter; the officer may not approve
    assert post(client_for(leader), url, {"year": 2023, "value": 1, "source_document": "X"}).status_code == 403
    assert post(client_for(officer), f"{API}/manual-values/{value_id}/approve", {}).status_code == 403
    assert post(client_for(leader), f"{API}/manual-values/{value_id}/reject", {}).status_code == 422
    approved = post(client_for(leader), f"{API}/manual-values/{value_id}/approve", {"note": "Đúng số liệu"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == str(leader)
    again = post(client_for(second_leader), f"{API}/manual-values/{value_id}/reject", {"note": "Sai"})
    assert again.status_code == 409
    listed = client_for(leader).get(url).json()["items"]
    assert [v["public_id"] for v in listed] == [value_id]
    progress = client_for(leader).get(f"{API}/plans/{plan.public_id}/progress", {"year": 2025}).json()
    assert next(r for r in progress["targets"] if r["target"]["code"] == "new-marks")["actual"] == 4


def test_manual_value_errors(api, plan, outsider):
    marks = plan.targets.get(code="new-marks")
    url = f"{API}/targets/{marks.public_id}/manual-values"
    outside = post(api, url, {"year": 2030, "value": 1, "source_document": "X"})
    assert outside.status_code == 422 and outside.json()["detail"][0]["loc"] == ["body", "data", "year"]
    computed = plan.targets.get(code="tasks")
    assert post(api, f"{API}/targets/{computed.public_id}/manual-values", {"year": 2023, "value": 1,
                "source_document": "X"}).status_code == 422  # fmt: skip
    assert post(api, url, {"year": 2023, "value": "4", "source_document": "X"}).status_code == 422
    assert post(api, url, {"year": 2023, "value": 1, "source_document": "  "}).status_code == 422
    assert post(api, url, {"year": 2023, "quarter": 5, "value": 1, "source_document": "X"}).status_code == 422
    assert api.post(url, "not json", content_type="application/json").status_code == 400
    assert post(client_for(outsider), url, {"year": 2023, "value": 1, "source_document": "X"}).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


def test_budget_tree_with_money_and_its_records(api, plan, flow, officer):
    services.plan_demo_next(plan=plan)  # the research line counts the provincial S&T budget
    task = contracted(flow, signed_on=dt.date(2022, 3, 1), budget_by_source={FundingSource.PROVINCIAL: 800_000_000})
    pay(flow, task, sequence=1, amount=300_000_000, paid_on=dt.date(2022, 5, 1))
    research = plan.budget_lines.get(code="research-application")
    services.allocation_create(actor=officer, line=research, year=2022, amount_million=1000, source_document="QĐ 1")

    body = api.get(f"{API}/plans/{plan.public_id}/budget").json()
    assert body["stated_warnings"] == [
        {"code": "st-operations", "title": "Kinh phí sự nghiệp KH&CN", "stated": 239040.14,
         "children_sum": 239040.15, "difference": 0.01}
    ]  # fmt: skip
    lines = {line["code"]: line for line in body["lines"]}
    assert lines["research-application"]["source_key"] == "tasks_provincial_budget"
    assert lines["research-application"]["parent_code"] == "st-operations"
    period = lines["research-application"]["period"]
    assert period == {
        "allocated": 1000.0, "committed": 800.0, "disbursed": 300.0, "allocated_minus_committed": 200.0,
        "committed_minus_disbursed": 500.0, "disbursed_percent": 37.5,
    }  # fmt: skip
    year_2022 = next(y for y in lines["research-application"]["years"] if y["year"] == 2022)
    assert year_2022["committed"] == 800.0
    assert lines["total"]["period"]["committed"] == 800.0
    assert lines["state-management"]["period"]["committed"] is None

    records = api.get(f"{API}/plans/{plan.public_id}/budget/st-operations/records", {"year": 2022}).json()
    assert records["committed"] == 800.0 and records["disbursed"] == 300.0 and records["allocated"] == 1000.0
    assert records["commitments"][0]["task_id"] == str(task.public_id)
    assert records["payments"][0]["reference"] == "UNC-1"
    assert (
        api.get(f"{API}/plans/{plan.public_id}/budget/st-operations/records", {"year": 2023}).json()["commitments"]
        == []
    )
    assert api.get(f"{API}/plans/{plan.public_id}/budget/nope/records").status_code == 404
    assert api.get(f"{API}/plans/{plan.public_id}/budget/bad code/records").status_code == 422


def test_plan_copy(api, plan, leader, outsider):
    url = f"{API}/plans/{plan.public_id}/copy"
    body = {"code": "khcn-2026-2030", "title": "Kế hoạch 2026-2030", "start_year": 2026, "end_year": 2030}
    assert post(client_for(leader), url, body).status_code == 403
    assert post(client_for(outsider), url, body).status_code == 404
    created = post(api, url, body)
    assert created.status_code == 201
    copied = created.json()
    assert copied["copied_from"] == str(plan.public_id) and copied["legal_basis"] == ""
    tasks = next(t for t in copied["targets"] if t["code"] == "tasks")
    assert (tasks["baseline_value"], tasks["baseline_label"]) == (0, "2021-2025")
    again = post(api, url, body)
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "data", "code"]
    backwards = post(api, url, body | {"code": "x", "start_year": 2030, "end_year": 2026})
    assert backwards.status_code == 422
    assert post(api, url, body | {"code": "not a slug"}).status_code == 422
    assert post(api, url, body | {"start_year": "2026"}).status_code == 422
    assert Plan.objects.count() == 2


def test_every_operation_needs_a_login_and_a_visible_record(plan):
    anonymous = Client()
    assert anonymous.get(f"{API}/plans").status_code == 401
    assert anonymous.get(f"{API}/plans/{plan.public_id}/budget").status_code == 401
    assert anonymous.post(f"{API}/plans/{plan.public_id}/copy", {}, content_type="application/json").status_code == 401


def test_applicants_see_no_plan(plan, applicant):
    client = client_for(applicant)
    assert client.get(f"{API}/plans").json()["items"] == []
    assert client.get(f"{API}/plans/{plan.public_id}/budget").status_code == 404
    assert client.get(f"{API}/targets/{plan.targets.first().public_id}/values").status_code == 404


def test_plan_list_queries_do_not_grow_with_plans(api, plan, officer, django_assert_max_num_queries):
    api.get(f"{API}/plans")
    with django_assert_max_num_queries(15) as few:
        api.get(f"{API}/plans")
    services.plan_copy(actor=officer, source=plan, code="next", title="Tiếp", start_year=2026, end_year=2030)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(f"{API}/plans").json()["items"]) == 2


def test_the_routers_schema_names_are_its_own(client):
    """OpenAPI names a component after its class: two routers' `BudgetOut` would share one (found by the
    fuzzer: the task's budget was documented as the plan's)."""
    import sys

    from ninja import Schema

    from opendost.planning import api as planning_api

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    mine = {
        c.__name__
        for c in vars(planning_api).values()
        if isinstance(c, type) and issubclass(c, Schema) and c.__module__ == planning_api.__name__
    } - {"In"}
    others = {
        c.__name__
        for c in subclasses(Schema)
        if c.__module__.startswith("opendost.")
        and c.__module__ != planning_api.__name__
        and c.__module__ in sys.modules
    }
    assert mine & others == set()
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "lines" in components["PlanBudgetOut"]["properties"]
