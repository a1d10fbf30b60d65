"""Indicators by administrative unit: old units rolled up to new ones and back, totals, periods, departments."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from opendost.dossiers import services as dossier_services
from opendost.dossiers.enums import Recommendation
from opendost.dossiers.models import Dossier, timeliness_of
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit
from opendost.planning import indicators, selectors, sources, units
from opendost.planning.enums import ProgressStatus
from opendost.planning.units import LEVELS, RowKey, breakdown, period_of, row_records
from opendost.projects import services as project_services
from opendost.projects.enums import FundingSource, TaskLevel, TaskStatus
from opendost.radiation import services as radiation_services
from opendost.radiation.enums import FacilityKind
from tests.dossiers.factories import Office, applicant_for, dossier_in_review, published_procedure
from tests.planning.conftest import flow_for
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

OLD, NEW = CodeSet.PRE_2025, CodeSet.CURRENT
P, D, C = AdminLevel.PROVINCE, AdminLevel.DISTRICT, AdminLevel.COMMUNE
PLAN = (2021, 2025)


def unit(code_set, level, code) -> AdminUnit:
    return AdminUnit.objects.get(code_set=code_set, level=level, code=code)


@pytest.fixture
def places(department, old_department):
    """The real units (loaded by geography's migration); the departments get their provinces."""
    old_department.province = unit(OLD, P, "24")  # Bắc Giang, to 30/06/2025
    old_department.save()
    department.province = unit(NEW, P, "24")  # the merged Bắc Ninh
    department.save()
    return SimpleNamespace(
        bac_giang=unit(OLD, P, "24"),
        bac_ninh=unit(NEW, P, "24"),
        luc_ngan=unit(OLD, D, "219"),
        tp_bac_giang=unit(OLD, D, "213"),
        cam_son=unit(OLD, C, "07528"),  # Xã Cấm Sơn (Lục Ngạn), merged whole into…
        tan_son=unit(NEW, C, "07531"),  # …Xã Tân Sơn
        phuong_bac_giang=unit(NEW, C, "07210"),  # made of 7 old wards, all of Thành phố Bắc Giang
        da_mai=unit(NEW, C, "07228"),  # made of old communes of two districts
        ba_dinh=unit(NEW, C, "00004"),  # Hà Nội, outside the department's provinces
        ha_noi_old=unit(OLD, P, "01"),
    )


def addressed_host(department, commune=None, district=None, province=None):
    return OrganizationFactory(department=department, commune=commune, district=district, province=province)


def record_task(flow, *, start=dt.date(2023, 3, 1), places=(), host=None, level=TaskLevel.PROVINCIAL, budget=None):
    flow.count = getattr(flow, "count", 0) + 1
    return project_services.task_record_historic(
        actor=flow.officer,
        status=TaskStatus.IN_PROGRESS,
        department=flow.department,
        code=f"ĐT.{start.year}.{flow.count:03d}",
        title=f"Nhiệm vụ thử nghiệm số {flow.count}",
        level=level,
        host=host or flow.host,
        start_on=start,
        end_on=start + dt.timedelta(days=700),
        places=list(places),
        budget=budget or {FundingSource.PROVINCIAL: 100_000_000},
    )


def board(key, department, level, years=PLAN, quarter=None, department_ids=None):
    return breakdown(
        indicators.get(key),
        department_ids=department_ids or department.jurisdiction_ids(),
        level=LEVELS[level],
        period=period_of(*years, quarter),
    )


def figures(b) -> dict[str, Decimal]:
    """{row slug: value} of the rows holding something."""
    return {row.slug: row.value for row in b.rows if row.value}


@pytest.fixture
def tasks(flow, places):
    """Five tasks placed five ways (2023)."""
    return SimpleNamespace(
        in_old_commune=record_task(flow, places=[places.cam_son]),
        in_old_district=record_task(flow, places=[places.luc_ngan]),
        host_in_new_commune=record_task(flow, host=addressed_host(flow.department, places.phuong_bac_giang)),
        nowhere=record_task(flow),
        in_ha_noi=record_task(flow, places=[places.ba_dinh]),
    )


def test_legacy_districts_count_old_communes_and_new_units_and_add_up(department, places, tasks):
    b = board("tasks_started", department, "pre2025-district")
    got = figures(b)
    assert got[f"u{places.luc_ngan.pk}"] == 2  # a commune of the district, and the district itself
    assert got[f"u{places.tp_bac_giang.pk}"] == 1  # a new ward made only of the city's old wards
    assert got[f"p{places.ha_noi_old.pk}"] == 1  # Ba Đình came from three old districts: only the province
    assert got["none"] == 1
    assert b.unknown.slug == "none" and b.unknown.label == "Place unknown"
    assert b.total.number == 5 and b.sum.value == 5 and b.adds_up
    # every district of both old provinces is listed, those without a task too
    area = b.area_rows
    assert len(area) == 18 and {r.unit.province.code for r in area} == {"24", "27"}
    assert sum(1 for r in area if r.value == 0) == 16
    assert [r.group for r in b.rows[-2:]] == ["inexact", "unknown"]


def test_current_communes_take_the_records_of_the_old_units_they_came_from(department, places, tasks):
    b = board("tasks_started", department, "2025-commune")
    assert figures(b) == {
        f"u{places.tan_son.pk}": 1,  # Xã Cấm Sơn merged into Xã Tân Sơn
        f"u{places.phuong_bac_giang.pk}": 1,
        f"u{places.ba_dinh.pk}": 1,  # outside the department's province, listed after it
        f"p{places.bac_ninh.pk}": 1,  # a district was abolished: only its new province is known
        "none": 1,
    }
    assert b.adds_up and b.row(f"u{places.ba_dinh.pk}").group == "outside"
    assert all(r.unit.province_id == places.bac_ninh.pk for r in b.area_rows)
    provinces = board("tasks_started", department, "2025-province")
    assert figures(provinces) == {f"u{places.bac_ninh.pk}": 3, f"u{places.ba_dinh.province_id}": 1, "none": 1}
    assert [r.unit for r in provinces.area_rows] == [places.bac_ninh]


def test_legacy_communes_and_provinces(department, places, tasks):
    communes = board("tasks_started", department, "pre2025-commune")
    assert figures(communes) == {
        f"u{places.cam_son.pk}": 1,
        f"p{places.luc_ngan.pk}": 1,  # recorded at the district: no commune
        f"p{places.tp_bac_giang.pk}": 1,  # a new ward made of seven old ones: their district
        f"p{places.ha_noi_old.pk}": 1,
        "none": 1,
    }
    assert communes.adds_up
    provinces = board("tasks_started", department, "pre2025-province")
    assert figures(provinces) == {f"u{places.bac_giang.pk}": 3, f"u{places.ha_noi_old.pk}": 1, "none": 1}
    assert {r.unit.code for r in provinces.area_rows} == {"24", "27"}


def test_a_split_commune_and_a_ward_of_two_districts_count_where_they_can_be_told(flow, department, places):
    split = (
        AdminUnit.objects.filter(code_set=OLD, level=C)
        .annotate(n=Count("successors"))
        .filter(n__gt=1)
        .order_by("code")
        .first()
    )
    successors = AdminUnit.objects.filter(predecessors__old_unit=split)
    assert successors.count() > 1
    record_task(flow, places=[split])
    record_task(flow, places=[places.da_mai])
    communes = board("tasks_started", department, "2025-commune")
    assert figures(communes) == {f"p{successors[0].province_id}": 1, f"u{places.da_mai.pk}": 1}
    districts = board("tasks_started", department, "pre2025-district")
    assert figures(districts) == {f"u{split.parent_id}": 1, f"p{places.bac_giang.pk}": 1}
    assert districts.row(f"u{split.parent_id}").group == "outside"
    assert communes.adds_up and districts.adds_up


def test_resolve_maps_each_set_both_ways(places):
    to_new = units.resolve([places.cam_son.pk, places.luc_ngan.pk, places.bac_giang.pk], LEVELS["2025-commune"])
    assert to_new == {
        places.cam_son.pk: RowKey(places.tan_son.pk),
        places.luc_ngan.pk: RowKey(places.bac_ninh.pk, exact=False),
        places.bac_giang.pk: RowKey(places.bac_ninh.pk, exact=False),
    }
    to_old = units.resolve([places.tan_son.pk, places.bac_ninh.pk], LEVELS["pre2025-district"])
    assert to_old[places.tan_son.pk] == RowKey(places.luc_ngan.pk)  # all its old communes were in Lục Ngạn
    assert to_old[places.bac_ninh.pk] == RowKey(places.bac_ninh.pk, exact=False)  # two old provinces
    assert units.resolve([], LEVELS["2025-province"]) == {}


def test_row_records_are_the_records_of_the_row(department, places, tasks):
    def ids(level, key):
        return set(
            row_records(
                indicators.get("tasks_started"),
                department_ids=department.jurisdiction_ids(),
                level=LEVELS[level],
                period=period_of(*PLAN),
                key=key,
            ).values_list("pk", flat=True)
        )

    assert ids("pre2025-district", RowKey(places.luc_ngan.pk)) == {tasks.in_old_commune.pk, tasks.in_old_district.pk}
    assert ids("pre2025-district", RowKey(None)) == {tasks.nowhere.pk}
    assert ids("2025-commune", RowKey(places.bac_ninh.pk, exact=False)) == {tasks.in_old_district.pk}
    assert ids("2025-commune", RowKey(places.bac_ninh.pk)) == set()  # the province is not a row of this map
    b = board("tasks_started", department, "pre2025-district")
    every = set().union(*(ids("pre2025-district", r.key) for r in b.rows))
    assert every == set(indicators.get("tasks_started").compute(
        department_ids=department.jurisdiction_ids(), year_from=2021, year_to=2025
    ).record_ids)  # fmt: skip


def test_a_task_counts_at_its_first_place_of_application(flow, department, places):
    task = record_task(flow, places=[places.luc_ngan, places.cam_son, places.tp_bac_giang])
    assert figures(board("tasks_started", department, "pre2025-district")) == {f"u{places.luc_ngan.pk}": 1}
    assert figures(board("tasks_started", department, "pre2025-commune")) == {f"u{places.cam_son.pk}": 1}
    assert task.places.count() == 3  # counted once, at the finest place (then the lowest code)


def test_flow_quarters_add_up_to_the_year_in_every_unit(flow, department, places):
    record_task(flow, start=dt.date(2023, 2, 1), places=[places.cam_son])
    record_task(flow, start=dt.date(2023, 5, 10), host=addressed_host(department, places.phuong_bac_giang))
    record_task(flow, start=dt.date(2023, 11, 30), budget={FundingSource.CENTRAL: 300_000_000})
    record_task(flow, start=dt.date(2022, 12, 31), places=[places.luc_ngan])  # another year
    for key in ("tasks_started", "funding_total", "funding_central"):
        year = board(key, department, "pre2025-district", (2023, 2023))
        quarters = [board(key, department, "pre2025-district", (2023, 2023), q) for q in (1, 2, 3, 4)]
        assert year.adds_up and all(q.adds_up for q in quarters)
        assert sum(q.total.number for q in quarters) == year.total.number
        for row in year.rows:
            assert sum(q.row(row.slug).value for q in quarters) == row.value, (key, row.label)
    assert board("tasks_started", department, "pre2025-district", (2023, 2023)).total.number == 3
    funding = figures(board("funding_total", department, "pre2025-district", (2023, 2023)))
    assert funding == {f"u{places.luc_ngan.pk}": 100, f"u{places.tp_bac_giang.pk}": 100, "none": 300}
    years = sum(board("tasks_started", department, "2025-province", (y, y)).total.number for y in range(2021, 2026))
    assert years == board("tasks_started", department, "2025-province").total.number == 4


@pytest.fixture
def facility(officer, department, places):
    return radiation_services.facility_create(
        actor=officer,
        department=department,
        organization=OrganizationFactory(department=department),
        kind=FacilityKind.HOSPITAL,
        address_line="Số 1 đường Hùng Vương",
        province=places.bac_ninh,
        commune=places.phuong_bac_giang,
        phone="0204 3000 111",
        rso_name="Phạm Văn An",
        rso_certificate="77/CC-ATBX",
    )


def test_stock_indicators_read_the_last_day_of_the_period(officer, department, places, facility):
    device = radiation_services.device_create(
        actor=officer, facility=facility, device_type="general", manufacturer="Shimadzu", serial_number="SN-1"
    )
    licence = radiation_services.licence_issue(
        actor=officer, facility=facility, devices=[device], work_scope="X-quang", issued_on=dt.date(2023, 5, 2)
    )
    radiation_services.licence_revoke(actor=officer, licence=licence, on=dt.date(2023, 11, 15), reason="Ngừng")
    city = f"u{places.tp_bac_giang.pk}"
    for key in ("xray_licences", "xray_facilities", "xray_devices"):
        q = [board(key, department, "pre2025-district", (2023, 2023), n) for n in (1, 2, 3, 4)]
        assert [b.total.number for b in q] == [0, 1, 1, 0]
        assert [figures(b) for b in q] == [{}, {city: 1}, {city: 1}, {}]
        year = board(key, department, "pre2025-district", (2023, 2023))
        assert year.total.number == q[3].total.number == 0  # the state on 31/12, not the sum of quarters
    assert figures(board("xray_licences", department, "2025-commune", (2023, 2023), 2)) == {
        f"u{places.phuong_bac_giang.pk}": 1
    }


def test_predecessor_department_records_count_for_the_successor_by_unit(department, old_department, places):
    old_flow = flow_for(old_department)
    record_task(old_flow, places=[places.cam_son])
    assert figures(board("tasks_started", department, "pre2025-district")) == {f"u{places.luc_ngan.pk}": 1}
    only_new = board("tasks_started", department, "pre2025-district", department_ids=[department.pk])
    assert figures(only_new) == {} and only_new.total.number == 0
    assert len(only_new.area_rows) == 18  # the merged province covers both old ones
    only_old = board("tasks_started", old_department, "pre2025-district", department_ids=[old_department.pk])
    assert len(only_old.area_rows) == 10 and figures(only_old) == {f"u{places.luc_ngan.pk}": 1}
    assert [r.unit for r in board("tasks_started", old_department, "2025-province").area_rows] == [places.bac_ninh]


def test_results_registered_and_applied_by_place(flow, department, places):
    task = flow.registered()  # accepted, certified today (10/03/2026); the flow's host has no address
    result = task.results.get()
    project_services.result_application_record(
        actor=flow.officer, result=result, place=places.cam_son, scale="50 ha", year=2026
    )
    project_services.result_application_record(
        actor=flow.officer, result=result, place_text="Huyện Lục Ngạn", scale="20 ha", year=2026
    )
    applied = board("results_applied", department, "2025-commune", (2026, 2026))
    assert figures(applied) == {f"u{places.tan_son.pk}": 1, "none": 1} and applied.adds_up
    assert figures(board("certificates_issued", department, "pre2025-district", (2026, 2026))) == {"none": 1}
    assert figures(board("tasks_accepted", department, "pre2025-district", (2026, 2026))) == {"none": 1}


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=dt.UTC)


def finish(office, dossier, moment):
    with time_machine.travel(moment, tick=False):
        dossier_services.dossier_propose(actor=office.officer, dossier=dossier, recommendation=Recommendation.APPROVE)
        dossier_services.dossier_approve(actor=office.leader, dossier=dossier)
        dossier_services.dossier_issue_result(actor=office.officer, dossier=dossier)


def test_on_time_rate_by_unit_adds_up_and_uses_the_vietnamese_date(department, places):
    office = Office(department)
    procedure = published_procedure(deadline_count=3)
    placed = applicant_for(office)
    placed.organization.commune = places.cam_son
    placed.organization.save()
    anonymous = applicant_for(office, name="Công ty không địa chỉ")
    with time_machine.travel(at(2025, 3, 3), tick=False):  # a Monday
        early, late_by_minutes, just_in_time = (dossier_in_review(procedure, placed, office) for _ in range(3))
        other = dossier_in_review(procedure, anonymous, office)
        dossier_in_review(procedure, anonymous, office)  # in progress: not finished
    due = Dossier.objects.get(pk=early.pk).due_date
    local_midnight = dt.datetime.combine(due, dt.time(), tzinfo=dt.timezone(dt.timedelta(hours=7)))
    finish(office, early, at(2025, 3, 4))
    finish(office, just_in_time, local_midnight + dt.timedelta(hours=23, minutes=30))  # 16:30 UTC, due day
    finish(office, late_by_minutes, local_midnight + dt.timedelta(days=1, minutes=30))  # due day in UTC, not here
    finish(office, other, at(2025, 3, 20))
    received = sources.dossiers_received(
        department_ids=department.jurisdiction_ids(), date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31)
    )
    python = [timeliness_of(d.status, d.due_date, d.finished_at) for d in received]
    assert (
        sources.timeliness_counts(received)
        == {
            "good": sum(k in ("early", "on_time") for k in python),
            "finished": sum(k in ("early", "on_time", "late") for k in python),
        }
        == {"good": 2, "finished": 4}
    )
    b = board("dossiers_on_time_rate", department, "pre2025-district", (2025, 2025))
    luc_ngan = b.row(f"u{places.luc_ngan.pk}")
    assert (luc_ngan.tally.number, luc_ngan.tally.base) == (2, 3)
    assert (b.unknown.tally.number, b.unknown.tally.base) == (0, 1)
    assert b.total.number == Decimal(2) / Decimal(4) == b.sum.value and b.adds_up
    assert b.row(f"u{places.tp_bac_giang.pk}").value is None  # nothing finished there
    ids = row_records(
        indicators.get("dossiers_on_time_rate"),
        department_ids=department.jurisdiction_ids(),
        level=LEVELS["pre2025-district"],
        period=period_of(2025, 2025),
        key=RowKey(None),
    )
    assert set(ids.values_list("pk", flat=True)) == {other.pk}  # the finished ones only
    received_by_unit = board("dossiers_received", department, "pre2025-district", (2025, 2025))
    assert figures(received_by_unit) == {f"u{places.luc_ngan.pk}": 3, "none": 2}


def test_minimum_per_district(flow, old_department, places):
    old_flow = flow_for(old_department)
    districts = list(AdminUnit.objects.filter(code_set=OLD, level=D, parent=places.bac_giang).order_by("code"))
    assert len(districts) == 10
    first = [record_task(old_flow, places=[district]) for district in districts[:-1]]
    record_task(old_flow, places=[places.cam_son])  # a second one in Lục Ngạn
    indicator = indicators.get("tasks_min_per_district")

    def value(**kw):
        return indicator.compute(department_ids=[old_department.pk], year_from=2021, year_to=2025, **kw)

    none_yet = value()
    assert none_yet.number == 0 and none_yet.record_ids == []
    assert districts[-1].name in none_yet.note
    record_task(old_flow, places=[districts[-1]])
    fewest = value()  # nine districts hold one: the first in code order is named, its task listed
    assert fewest.number == 1 and fewest.record_ids == [first[0].pk] and districts[0].name in fewest.note
    assert "9 of 10" in fewest.note
    assert value(ids=False).record_ids == []
    assert indicator.compute(department_ids=[old_department.pk], year_from=2023, year_to=2023, quarter=2).number == 0


def test_minimum_per_district_on_the_dashboard_and_history(flow, department, places, plan):
    target = plan.targets.get(code="tasks-per-district")
    assert (target.indicator_key, target.target_min) == ("tasks_min_per_district", 5)
    row = next(r for r in selectors.dashboard(plan, year=2025).rows if r.target == target)
    assert row.actual == 0 and row.progress.status == ProgressStatus.OFF_TRACK
    empty = indicators.get("tasks_min_per_district").compute(department_ids=[99999], year_from=2021, year_to=2025)
    assert empty.number is None and empty.note
    history = selectors.target_history(target)
    assert [h.cumulative for h in history] == [0, 0, 0, 0, 0]


def test_every_placed_indicator_breaks_down_on_an_empty_database(department, places):
    for key, indicator in indicators.REGISTRY.items():
        if indicator.basis is None:
            continue
        for level in LEVELS:
            b = board(key, department, level)
            assert b.adds_up, (key, level)
            assert b.unknown.value in (0, None)


def test_breakdown_query_count_does_not_grow_with_the_records(flow, department, places):
    def count():
        with CaptureQueriesContext(connection) as captured:
            board("tasks_started", department, "pre2025-district")
            board("dossiers_on_time_rate", department, "2025-commune")
        return len(captured)

    def every_kind_of_place():
        for place in (places.cam_son, places.luc_ngan, places.tp_bac_giang, places.tan_son, places.ba_dinh):
            record_task(flow, places=[place])
        record_task(flow, host=addressed_host(department, places.phuong_bac_giang))
        record_task(flow)

    every_kind_of_place()
    few = count()
    every_kind_of_place()
    every_kind_of_place()
    assert count() == few <= 17


def test_dashboard_reads_numbers_without_record_ids(flow, department, places, plan):
    def count():
        with CaptureQueriesContext(connection) as captured:
            board_ = selectors.dashboard(plan, year=2025)
        return len(captured), board_

    record_task(flow, places=[places.cam_son])
    few, _ = count()
    for _n in range(5):
        record_task(flow, places=[places.luc_ngan])
    many, dashboard = count()
    assert many == few
    tasks = next(r for r in dashboard.rows if r.target.code == "tasks")
    assert tasks.actual == 6 and tasks.value.record_ids == []
    with_ids = selectors.target_value(
        tasks.target, department_ids=department.jurisdiction_ids(), year_from=2021, year_to=2025
    )
    assert len(with_ids.record_ids) == 6


def test_shared_aggregates_give_what_each_indicator_gives_alone(flow, department, places, officer, facility):
    budget = {FundingSource.CENTRAL: 900_000_000, FundingSource.PROVINCIAL: 300_000_000}
    record_task(flow, start=dt.date(2025, 2, 1), level=TaskLevel.NATIONAL, budget=budget)
    record_task(flow, start=dt.date(2025, 11, 1), places=[places.cam_son])
    record_task(flow, start=dt.date(2025, 5, 1), level=TaskLevel.GRASSROOTS)
    project_services.task_cancel(actor=flow.leader, task=record_task(flow, start=dt.date(2025, 6, 1)), reason="Dừng")
    flow.registered()  # a registration received and certified on 10/03/2026
    office = Office(department)
    procedure = published_procedure(deadline_count=3)
    applicant = applicant_for(office)
    with time_machine.travel(at(2025, 3, 3), tick=False):
        done, late = dossier_in_review(procedure, applicant, office), dossier_in_review(procedure, applicant, office)
        dossier_in_review(procedure, applicant, office)
    finish(office, done, at(2025, 3, 4))
    finish(office, late, at(2025, 4, 20))
    device = radiation_services.device_create(
        actor=officer, facility=facility, device_type="general", manufacturer="Shimadzu", serial_number="SN-9"
    )
    radiation_services.licence_issue(
        actor=officer, facility=facility, devices=[device], work_scope="X-quang", issued_on=dt.date(2025, 1, 10)
    )
    every = list(indicators.REGISTRY.values())
    ids = department.jurisdiction_ids()
    for years, quarter in (((2021, 2025), None), ((2025, 2025), None), ((2025, 2025), 1), ((2026, 2026), 1)):
        shared = indicators.compute_many(
            every, department_ids=ids, year_from=years[0], year_to=years[1], quarter=quarter
        )
        for indicator in every:
            alone = indicator.compute(
                department_ids=ids, year_from=years[0], year_to=years[1], quarter=quarter, ids=False
            )
            assert shared[indicator.key] == alone, (indicator.key, years, quarter)
    year = indicators.compute_many(every, department_ids=ids, year_from=2025, year_to=2025)
    # the national task, the provincial one in Cấm Sơn and the flow's (grassroots and cancelled ones not)
    assert (year["tasks_started"].number, year["tasks_national"].number) == (3, 1)
    assert (year["funding_total"].number, year["funding_central"].number) == (1200 + 100 + 1000, 900)
    assert year["dossiers_received"].number == 3 and year["dossiers_on_time_rate"].number == Decimal("0.5")
    assert (
        indicators.compute_many(every, department_ids=ids, year_from=2026, year_to=2026)["certificates_issued"].number
        == 1
    )


def test_the_dashboard_reads_each_register_once(flow, department, places, plan):
    with CaptureQueriesContext(connection) as captured:
        selectors.dashboard(plan, year=2025)
    sql = [q["sql"] for q in captured.captured_queries]
    assert sum('FROM "dossiers_dossier"' in q for q in sql) == 1  # received and on time together
    assert sum('SUM("projects_budgetline"."amount")' in q for q in sql) == 1  # the four funding targets
    assert sum('FROM "projects_resultregistration"' in q for q in sql) == 1
