import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from opendost.planning import progress, selectors, services
from opendost.planning.enums import ManualValueStatus, ProgressStatus
from opendost.planning.indicators import FLOW, RATE, STOCK
from opendost.planning.models import Plan
from opendost.workflow.exceptions import TransitionNotAllowed

pytestmark = pytest.mark.django_db
S = ProgressStatus


def test_elapsed_share():
    assert progress.elapsed_share(2021, 2025, dt.date(2020, 12, 31)) == 0
    assert progress.elapsed_share(2021, 2025, dt.date(2026, 1, 1)) == 1
    assert progress.elapsed_share(2021, 2025, dt.date(2025, 12, 31)) == 1
    half = progress.elapsed_share(2021, 2022, dt.date(2021, 12, 31))
    assert half == Decimal(365) / Decimal(730)


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        (90, S.ON_TRACK),
        (Decimal("89.99"), S.AT_RISK),
        (70, S.AT_RISK),
        (Decimal("69.99"), S.OFF_TRACK),
        (0, S.OFF_TRACK),
    ],
)
def test_status_rule_boundaries_for_a_flow_at_half_time(actual, status):
    # target 200 at half the period: 100 expected; 90% of it is the on-track line, 70% the at-risk line
    assert progress.status_for(actual=actual, target_value=Decimal(200), kind=FLOW, share=Decimal("0.5")) == status


def test_status_rule_for_stocks_rates_and_missing_values():
    assert progress.status_for(actual=90, target_value=Decimal(100), kind=STOCK, share=Decimal("0.1")) == S.ON_TRACK
    assert progress.status_for(actual=80, target_value=Decimal(100), kind=RATE, share=Decimal(1)) == S.AT_RISK
    assert progress.status_for(actual=5, target_value=None, kind=FLOW, share=Decimal(1)) == S.NO_TARGET
    assert progress.status_for(actual=None, target_value=Decimal(5), kind=RATE, share=Decimal(1)) == S.NO_DATA
    assert progress.status_for(actual=0, target_value=Decimal(5), kind=FLOW, share=Decimal(0)) == S.ON_TRACK
    assert progress.percent_of(Decimal(15), Decimal(20)) == Decimal("75.0")


def test_seed_loads_targets_baselines_and_budget_once(plan, department):
    assert plan.targets.count() == 21
    tasks = plan.targets.get(code="tasks")
    assert (tasks.baseline_value, tasks.baseline_label, tasks.indicator_key) == (74, "2016-2020", "tasks_started")
    marks = plan.targets.get(code="new-marks")
    assert (marks.target_min, marks.target_max, marks.is_manual) == (15, 20, True)
    from opendost.planning import seed

    assert seed.load(department=department) == plan
    assert Plan.objects.count() == 1


def test_budget_reports_the_stated_difference(plan):
    rows = selectors.budget_of(plan)
    warnings = selectors.budget_warnings(rows)
    assert [w.line.code for w in warnings] == ["st-operations"]
    assert warnings[0].children_sum == Decimal("239040.15")
    assert warnings[0].difference == Decimal("0.01")
    total = next(r for r in rows if r.line.code == "total")
    assert total.difference == 0


def test_command_loads_the_plan(department, capsys):
    call_command("plan_load_seed", department.code)
    assert "21 targets" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("plan_load_seed", "no-such-department")


def test_target_with_an_unknown_indicator_is_refused(plan):
    with pytest.raises(ValidationError):
        services.target_create(
            actor=None, plan=plan, code="x", title="X", area="other", unit="x", indicator_key="nope"
        )


# MAKER-CHECKER --------------------------------------------------------------------------------------
def test_maker_cannot_approve_and_another_leader_can(plan, leader, second_leader):
    marks = plan.targets.get(code="new-marks")
    # a leader may not enter (officers enter); give the maker the right through an officer
    from opendost.accounts.roles import Role
    from tests.factories import UserFactory

    maker = UserFactory(role=[Role.OFFICER, Role.LEADER], department=plan.department)
    entry = services.manual_value_enter(
        actor=maker, target=marks, year=2023, value=4, source_document="Báo cáo số 12/BC-SKHCN"
    )
    assert entry.status == ManualValueStatus.DRAFT
    with pytest.raises(PermissionDenied):
        services.manual_value_approve(actor=maker, value=entry)
    entry.refresh_from_db()
    assert entry.status == ManualValueStatus.DRAFT and entry.approved_by is None
    services.manual_value_approve(actor=leader, value=entry)
    entry.refresh_from_db()
    assert (entry.status, entry.approved_by) == (ManualValueStatus.APPROVED, leader)
    with pytest.raises(TransitionNotAllowed):
        services.manual_value_reject(actor=second_leader, value=entry, note="Sai số liệu")


def test_manual_values_sum_by_year_and_quarter(plan, officer, leader):
    trainees = plan.targets.get(code="tdc-trainees")
    for year, quarter, amount in [(2021, None, 62), (2022, 1, 10), (2022, 2, 15), (2022, None, 70)]:
        entry = services.manual_value_enter(
            actor=officer, target=trainees, year=year, quarter=quarter, value=amount, source_document="Báo cáo năm"
        )
        services.manual_value_approve(actor=leader, value=entry)
    draft = services.manual_value_enter(actor=officer, target=trainees, year=2023, value=99, source_document="Nháp")
    ids = selectors.department_ids_of(plan)
    # 2022 has a yearly value: it wins over its quarters; the draft does not count
    assert selectors.target_value(trainees, department_ids=ids, year_from=2021, year_to=2025).number == 132
    assert selectors.target_value(trainees, department_ids=ids, year_from=2022, year_to=2022, quarter=2).number == 15
    services.manual_value_reject(actor=leader, value=draft, note="Chưa có văn bản")
    draft.refresh_from_db()
    assert draft.status == ManualValueStatus.REJECTED


def test_manual_value_rules(plan, officer, leader, outsider):
    marks = plan.targets.get(code="new-marks")
    with pytest.raises(ValidationError):
        services.manual_value_enter(actor=officer, target=marks, year=2030, value=1, source_document="X")
    with pytest.raises(ValidationError):
        services.manual_value_enter(actor=officer, target=marks, year=2022, value=1, source_document="  ")
    with pytest.raises(ValidationError):
        services.manual_value_enter(
            actor=officer, target=plan.targets.get(code="tasks"), year=2022, value=1, source_document="X"
        )
    with pytest.raises(PermissionDenied):
        services.manual_value_enter(actor=outsider, target=marks, year=2022, value=1, source_document="X")
    with pytest.raises(PermissionDenied):
        services.manual_value_enter(actor=leader, target=marks, year=2022, value=1, source_document="X")
    entry = services.manual_value_enter(actor=officer, target=marks, year=2022, value=1, source_document="X")
    with pytest.raises(ValidationError):
        services.manual_value_reject(actor=leader, value=entry, note="")
    with pytest.raises(PermissionDenied):
        services.manual_value_approve(actor=outsider, value=entry)


def test_dashboard_statuses_from_records(plan, flow):
    flow.assigned()
    board = selectors.dashboard(plan, year=2025)
    rows = {row.target.code: row for row in board.rows}
    assert rows["tasks"].actual == 1 and rows["tasks"].progress.status == S.NO_TARGET
    assert rows["new-marks"].progress.status == S.NO_DATA
    assert rows["xray-devices"].progress.status == S.OFF_TRACK  # 0 of 97
    assert board.share == 1
