"""The plan's budget against the task records: the mapping of contracts and payments to budget lines,
yearly figures, roll-ups, variance, the warnings, the drill-down and the Excel export."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opendost.planning import budget, services
from opendost.projects import services as task_services
from opendost.projects.enums import AmendmentKind, FundingSource, TaskLevel
from tests.planning.conftest import flow_for

pytestmark = pytest.mark.django_db
P, C, X = FundingSource.PROVINCIAL, FundingSource.CENTRAL, FundingSource.COUNTERPART
M = 1_000_000  # VND in a million


def contracted(flow, *, signed_on: dt.date, budget_by_source, level=TaskLevel.PROVINCIAL, number="01/HĐ-KHCN"):
    """A task contracted on `signed_on` with two tranches of half its state budget each."""
    task = flow.ordered(level=level)
    task = task_services.task_assign(
        actor=flow.leader,
        task=task,
        host=flow.host,
        principal_investigator=flow.pi,
        start_on=signed_on,
        end_on=signed_on + dt.timedelta(days=700),
        budget=budget_by_source,
    )
    state = task_services.state_budget_of(task)
    task_services.contract_sign(
        actor=flow.officer,
        task=task,
        number=number,
        signed_on=signed_on,
        total=state,
        starts_on=signed_on,
        ends_on=signed_on + dt.timedelta(days=700),
        tranches=[{"planned_amount": state // 2}, {"planned_amount": state - state // 2}],
    )
    task.refresh_from_db()
    return task


def pay(flow, task, *, sequence: int, amount: int, paid_on: dt.date):
    tranche = task.contract.tranches.get(sequence=sequence)
    return task_services.disbursement_record(
        actor=flow.officer, tranche=tranche, amount=amount, paid_on=paid_on, reference=f"UNC-{sequence}"
    )


@pytest.fixture
def counted(plan):
    """The seed plan with its research line counting the provincial S&T budget of tasks (as the demo)."""
    line = plan.budget_lines.get(code="research-application")
    services.budget_line_update(actor=None, line=line, source_key="tasks_provincial_budget")
    return plan


def row(plan, code):
    return budget.budget_table(plan).row(code)


# MAPPING -----------------------------------------------------------------------------------------
def test_a_contract_commits_in_its_year_and_payments_disburse_in_theirs(counted, flow):
    task = contracted(flow, signed_on=dt.date(2022, 3, 1), budget_by_source={P: 800 * M, X: 200 * M})
    pay(flow, task, sequence=1, amount=400 * M, paid_on=dt.date(2022, 4, 1))
    pay(flow, task, sequence=2, amount=150 * M, paid_on=dt.date(2023, 1, 15))

    research = row(counted, "research-application")
    assert research.counts_spending and research.source.key == "tasks_provincial_budget"
    assert research.years[2022].committed == 800
    assert research.years[2023].committed == 0
    assert (research.years[2022].disbursed, research.years[2023].disbursed) == (400, 150)
    assert (research.period.committed, research.period.disbursed) == (800, 550)
    # counterpart funds never pass through the contract: they are not committed
    assert research.period.undisbursed == 250
    assert research.period.disbursed_percent == Decimal("68.8")


def test_a_source_counts_its_share_of_a_task_funded_from_two_budgets(counted, flow):
    regular = counted.budget_lines.get(code="regular-tasks")
    services.budget_line_update(actor=None, line=regular, source_key="tasks_central_budget")
    task = contracted(flow, signed_on=dt.date(2021, 6, 1), budget_by_source={P: 500 * M, C: 300 * M})
    pay(flow, task, sequence=1, amount=400 * M, paid_on=dt.date(2021, 7, 1))

    provincial, central = row(counted, "research-application"), row(counted, "regular-tasks")
    assert provincial.years[2021].committed == 500 and central.years[2021].committed == 300
    assert provincial.years[2021].disbursed == 250 and central.years[2021].disbursed == 150
    # the parent counts its lines' spending, each contract once
    operations = row(counted, "st-operations")
    assert (operations.period.committed, operations.period.disbursed) == (800, 400)
    assert row(counted, "total").period.committed == 800
    # a line that counts no spending shows none
    assert row(counted, "state-management").period.committed is None
    assert row(counted, "state-management").period.uncommitted is None


def test_sources_by_level_and_the_whole_state_budget(plan, flow):
    lines = {line.code: line for line in plan.budget_lines.all()}
    services.budget_line_update(actor=None, line=lines["research-application"], source_key="tasks_provincial")
    services.budget_line_update(actor=None, line=lines["regular-tasks"], source_key="tasks_national")
    services.budget_line_update(actor=None, line=lines["centre-upgrade"], source_key="tasks_state_budget")
    contracted(flow, signed_on=dt.date(2024, 2, 1), budget_by_source={P: 100 * M, C: 60 * M})
    contracted(flow, signed_on=dt.date(2024, 3, 1), budget_by_source={C: 900 * M}, level=TaskLevel.NATIONAL)

    assert row(plan, "research-application").years[2024].committed == 160
    assert row(plan, "regular-tasks").years[2024].committed == 900
    assert row(plan, "centre-upgrade").years[2024].committed == 1060


def test_an_amended_contract_value_and_a_cancelled_task_count_as_they_stand(counted, flow, leader):
    task = contracted(flow, signed_on=dt.date(2023, 5, 1), budget_by_source={P: 600 * M})
    task_services.task_start(actor=flow.officer, task=task)
    amendment = task_services.amendment_request(
        actor=flow.officer, task=task, kind=AmendmentKind.BUDGET, reason="Giảm nội dung", new_total=450 * M
    )
    task_services.amendment_approve(actor=leader, amendment=amendment)
    assert row(counted, "research-application").years[2023].committed == 450

    other = contracted(flow, signed_on=dt.date(2024, 5, 1), budget_by_source={P: 300 * M}, number="02/HĐ")
    pay(flow, other, sequence=1, amount=100 * M, paid_on=dt.date(2024, 6, 1))
    task_services.task_cancel(actor=leader, task=other, reason="Chủ nhiệm đề tài chuyển công tác")
    research = row(counted, "research-application")
    assert research.years[2024].committed == 100  # the rest of the contract is released
    assert research.years[2024].disbursed == 100
    records = budget.line_records(counted, counted.budget_lines.get(code="research-application"), year=2024)
    assert [c.cancelled for c in records.commitments] == [True]


def test_only_the_plans_years_and_jurisdiction_count(counted, flow, department, old_department, other_department):
    before = contracted(flow, signed_on=dt.date(2020, 10, 1), budget_by_source={P: 200 * M})
    pay(flow, before, sequence=1, amount=100 * M, paid_on=dt.date(2020, 11, 1))
    pay(flow, before, sequence=2, amount=100 * M, paid_on=dt.date(2021, 2, 1))
    # the predecessor's contracts count for its successor's plan, another department's do not
    contracted(flow_for(old_department), signed_on=dt.date(2022, 1, 10), budget_by_source={P: 70 * M})
    contracted(flow_for(other_department), signed_on=dt.date(2022, 1, 10), budget_by_source={P: 5000 * M})
    after = contracted(flow, signed_on=dt.date(2026, 1, 5), budget_by_source={P: 10 * M}, number="09/HĐ")
    pay(flow, after, sequence=1, amount=5 * M, paid_on=dt.date(2026, 2, 1))

    research = row(counted, "research-application")
    assert research.years[2021].committed == 0 and research.years[2021].disbursed == 100  # money of 2021
    assert research.years[2022].committed == 70
    assert research.period.committed == 70 and research.period.disbursed == 100


# ALLOCATIONS AND VARIANCE ------------------------------------------------------------------------
def test_allocations_sum_per_year_roll_up_and_give_the_variance(counted, flow, officer):
    lines = {line.code: line for line in counted.budget_lines.all()}
    services.allocation_create(
        actor=officer, line=lines["research-application"], year=2022, amount_million="30000",
        source_document="QĐ 1520/QĐ-UBND ngày 10/12/2021",
    )  # fmt: skip
    services.allocation_create(
        actor=officer, line=lines["research-application"], year=2022, amount_million="-1000.50",
        source_document="QĐ 890/QĐ-UBND ngày 01/08/2022 (điều chỉnh giảm)",
    )  # fmt: skip
    services.allocation_create(
        actor=officer, line=lines["regular-tasks"], year=2022, amount_million="6000", source_document="QĐ 1520"
    )
    contracted(flow, signed_on=dt.date(2022, 3, 1), budget_by_source={P: 2500 * M})

    research = row(counted, "research-application")
    assert research.years[2022].allocated == Decimal("28999.50")
    assert research.years[2022].uncommitted == Decimal("26499.50")
    assert research.years[2021].allocated is None
    assert research.period.allocated == Decimal("28999.50")
    operations = row(counted, "st-operations")  # nothing entered on it: the sum of its lines
    assert operations.years[2022].allocated == Decimal("34999.50")
    assert row(counted, "total").years[2022].allocated == Decimal("34999.50")
    assert budget.budget_table(counted).allocation_warnings == []


def test_an_allocation_of_a_parent_that_differs_from_its_lines_is_reported(counted, officer):
    lines = {line.code: line for line in counted.budget_lines.all()}
    services.allocation_create(
        actor=officer, line=lines["st-operations"], year=2023, amount_million="47808.03", source_document="QĐ A"
    )
    services.allocation_create(
        actor=officer, line=lines["research-application"], year=2023, amount_million="30930.82", source_document="QĐ B"
    )
    services.allocation_create(
        actor=officer, line=lines["regular-tasks"], year=2023, amount_million="16877.22", source_document="QĐ C"
    )
    table = budget.budget_table(counted)
    [warning] = table.allocation_warnings
    assert (warning.line.code, warning.year) == ("st-operations", 2023)
    assert (warning.entered, warning.children_sum, warning.difference) == (
        Decimal("47808.03"), Decimal("47808.04"), Decimal("0.01"),
    )  # fmt: skip
    assert table.row("st-operations").years[2023].allocated == Decimal("47808.03")  # what is entered


def test_allocation_rules(counted, officer, leader, outsider):
    line = counted.budget_lines.get(code="research-application")
    with pytest.raises(ValidationError) as error:
        services.allocation_create(actor=officer, line=line, year=2026, amount_million=1, source_document="QĐ")
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.allocation_create(actor=officer, line=line, year=2022, amount_million=0, source_document="QĐ")
    assert "amount_million" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.allocation_create(actor=officer, line=line, year=2022, amount_million=5, source_document=" ")
    assert "source_document" in error.value.message_dict
    with pytest.raises(ValidationError):  # a cut below zero
        services.allocation_create(actor=officer, line=line, year=2022, amount_million=-5, source_document="QĐ")
    first = services.allocation_create(actor=officer, line=line, year=2022, amount_million=10, source_document="QĐ")
    cut = services.allocation_create(actor=officer, line=line, year=2022, amount_million=-4, source_document="QĐ")
    with pytest.raises(ValidationError):  # deleting the allocation would leave the cut alone
        services.allocation_delete(actor=officer, allocation=first)
    with pytest.raises(ValidationError):
        services.allocation_update(actor=officer, allocation=first, year=2022, amount_million=3, source_document="QĐ")
    services.allocation_update(actor=officer, allocation=cut, year=2022, amount_million=-2, source_document="QĐ 2")
    assert row(counted, "research-application").years[2022].allocated == 8
    for actor in (leader, outsider):
        with pytest.raises(PermissionDenied):
            services.allocation_create(actor=actor, line=line, year=2022, amount_million=1, source_document="QĐ")
        with pytest.raises(PermissionDenied):
            services.allocation_delete(actor=actor, allocation=cut)
    services.allocation_delete(actor=officer, allocation=cut)
    assert line.allocations.count() == 1


def test_allocations_are_audited(counted, officer):
    from opendost.audit.models import AuditEvent

    line = counted.budget_lines.get(code="research-application")
    entry = services.allocation_create(actor=officer, line=line, year=2022, amount_million=10, source_document="QĐ")
    pk = entry.pk
    services.allocation_update(actor=officer, allocation=entry, year=2023, amount_million=12, source_document="QĐ")
    services.allocation_delete(actor=officer, allocation=entry)
    events = AuditEvent.objects.filter(object_id=str(pk), content_type__model="budgetallocation")
    assert sorted(events.values_list("action", flat=True)) == ["create", "delete", "update"]
    assert events.get(action="update").changes["year"] == [2022, 2023]


# WARNINGS, PAGES, EXPORT -------------------------------------------------------------------------
def test_the_stated_difference_is_still_reported(counted):
    table = budget.budget_table(counted)
    [warning] = table.stated_warnings
    assert warning.line.code == "st-operations"
    assert (warning.children_sum, warning.difference) == (Decimal("239040.15"), Decimal("0.01"))


def test_budget_page_shows_money_and_drills_down_to_the_records(client, counted, flow, leader):
    task = contracted(flow, signed_on=dt.date(2022, 3, 1), budget_by_source={P: 800 * M})
    pay(flow, task, sequence=1, amount=400 * M, paid_on=dt.date(2022, 4, 1))
    client.force_login(leader)
    page = client.get(reverse("planning:plan_budget", args=[counted.public_id]))
    assert page.status_code == 200
    assert "239.040,15" in page.text or "239,040.15" in page.text
    line_url = reverse("planning:budget_line_detail", args=[counted.public_id, "research-application"])
    assert f"{line_url}#commitments" in page.text and f"{line_url}#payments" in page.text
    year_page = client.get(reverse("planning:plan_budget", args=[counted.public_id]), {"year": 2022})
    assert f"{line_url}?year=2022#commitments" in year_page.text
    detail = client.get(line_url, {"year": 2022})
    assert detail.status_code == 200
    task_url = reverse("projects:task_detail", args=[task.public_id]) + "#budget"
    assert task_url in detail.text and "01/HĐ-KHCN" in detail.text and "UNC-1" in detail.text
    assert client.get(line_url, {"year": 2023}).text.count(task_url) == 0
    # the parent's drill-down lists its lines' records
    assert task_url in client.get(reverse("planning:budget_line_detail", args=[counted.public_id, "total"])).text


def test_budget_pages_are_404_for_outsiders_and_403_without_the_right(client, counted, outsider, applicant):
    line_url = reverse("planning:budget_line_detail", args=[counted.public_id, "total"])
    client.force_login(outsider)
    assert client.get(line_url).status_code == 404
    assert client.get(reverse("planning:budget_export", args=[counted.public_id])).status_code == 404
    client.force_login(applicant)
    assert client.get(line_url).status_code == 403
    assert client.get(reverse("planning:budget_line_detail", args=[counted.public_id, "nope"])).status_code == 403


def test_unknown_line_is_404(client, counted, leader):
    client.force_login(leader)
    assert client.get(reverse("planning:budget_line_detail", args=[counted.public_id, "nope"])).status_code == 404


def test_budget_export_is_the_table_with_years_and_variance(client, counted, flow, officer):
    contracted(flow, signed_on=dt.date(2022, 3, 1), budget_by_source={P: 800 * M})
    client.force_login(officer)
    response = client.get(reverse("planning:budget_export", args=[counted.public_id]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 1 + counted.budget_lines.count()
    assert header[:3] == ("Code", "Line", "Stated")
    assert "Committed 2022" in header and header[-1] == "Disbursed (percent of committed)"
    operations = next(r for r in rows if r[0] == "st-operations")
    assert operations[3] == pytest.approx(239040.15) and operations[4] == pytest.approx(0.01)
    research = next(r for r in rows if r[0] == "research-application")
    assert research[header.index("Committed 2022")] == 800
    assert research[header.index("Committed, period")] == 800


def test_budget_page_queries_do_not_grow_with_contracts(client, counted, flow, leader, django_assert_max_num_queries):
    client.force_login(leader)
    url = reverse("planning:plan_budget", args=[counted.public_id])
    contracted(flow, signed_on=dt.date(2022, 3, 1), budget_by_source={P: 800 * M})
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for index in range(3):
        task = contracted(flow, signed_on=dt.date(2023, 3, 1), budget_by_source={P: 80 * M}, number=f"1{index}/HĐ")
        pay(flow, task, sequence=1, amount=10 * M, paid_on=dt.date(2023, 4, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
