"""The page of a target by administrative unit: table, map switch, drill-down, Excel, permissions."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendost.planning.units import LEVELS
from tests.planning import test_units
from tests.planning.test_units import addressed_host, record_task

places, tasks = test_units.places, test_units.tasks  # fixtures

pytestmark = pytest.mark.django_db


def url(name, target, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(f"planning:{name}", args=[target.public_id]) + (f"?{query}" if query else "")


def workbook(response):
    return list(
        openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )


def test_the_page_shows_every_unit_of_the_map_and_the_unknown_row(client, plan, leader, places, tasks):
    client.force_login(leader)
    target = plan.targets.get(code="tasks")
    detail = client.get(url("target_detail", target))
    assert url("target_units", target) in detail.text.replace("&amp;", "&")
    page = client.get(url("target_units", target, level="pre2025-district", year=2025))
    assert page.status_code == 200
    text = page.text
    for label in ("Huyện Lục Ngạn", "Huyện Sơn Động", "Thị xã Chũ", "Huyện Gia Bình", "Place unknown", "No place"):
        assert label in text, label
    assert "The rows below add up to this figure." in text
    assert "Only a higher unit, or a unit of the other map, is known" in text  # Ba Đình: only old Hà Nội
    for level in LEVELS.values():
        assert f'value="{level.key}"' in text
    assert 'value="pre2025-district" selected' in text
    drill = url("target_unit_records", target, level="pre2025-district", year=2025) + f"&row=u{places.luc_ngan.pk}"
    assert drill.replace("&", "&amp;") in text
    new_map = client.get(url("target_units", target, level="2025-commune", year=2025))
    assert "Xã Tân Sơn" in new_map.text and "Huyện Lục Ngạn" not in new_map.text


def test_drill_down_lists_the_records_of_the_row(client, plan, leader, places, tasks):
    client.force_login(leader)
    target = plan.targets.get(code="tasks")
    base = {"level": "pre2025-district", "year": 2025}
    luc_ngan = client.get(url("target_unit_records", target, **base, row=f"u{places.luc_ngan.pk}"))
    assert luc_ngan.status_code == 200
    for task in (tasks.in_old_commune, tasks.in_old_district):
        assert task.title in luc_ngan.text
        assert reverse("projects:task_detail", args=[task.public_id]) in luc_ngan.text
    assert tasks.nowhere.title not in luc_ngan.text and "2 records" in luc_ngan.text
    unknown = client.get(url("target_unit_records", target, **base, row="none"))
    assert tasks.nowhere.title in unknown.text and tasks.in_old_commune.title not in unknown.text
    inexact = client.get(
        url("target_unit_records", target, level="2025-commune", year=2025, row=f"p{places.bac_ninh.pk}")
    )
    assert tasks.in_old_district.title in inexact.text and "only this unit is known" in inexact.text
    for bad in ("x", "u", "u999999999", "q12", ""):
        assert client.get(url("target_unit_records", target, **base, row=bad)).status_code == 404, bad


def test_single_year_and_quarter(client, plan, leader, flow, places):
    import datetime as dt

    record_task(flow, start=dt.date(2024, 8, 1), places=[places.cam_son])
    record_task(flow, start=dt.date(2023, 2, 1), places=[places.cam_son])
    client.force_login(leader)
    target = plan.targets.get(code="tasks")
    drill = "target_unit_records"
    row = f"u{places.luc_ngan.pk}"
    assert "2 records" in client.get(url(drill, target, level="pre2025-district", year=2025, row=row)).text
    assert "1 record" in client.get(url(drill, target, level="pre2025-district", year=2024, single=1, row=row)).text
    q3 = client.get(url(drill, target, level="pre2025-district", year=2024, quarter=3, row=row))
    assert "1 record" in q3.text and "quarter 3 of 2024" in q3.text
    q1 = client.get(url(drill, target, level="pre2025-district", year=2024, quarter=1, row=row))
    assert "0 records" in q1.text


def test_excel_export_adds_up(client, plan, officer, places, tasks):
    client.force_login(officer)
    target = plan.targets.get(code="tasks")
    response = client.get(url("target_units_export", target, level="pre2025-district", year=2025))
    assert response.status_code == 200
    rows = workbook(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ("Code", "Administrative unit", "Lies in")
    assert len(body) == 18 + 2  # the 18 districts, Hà Nội (only the province known), place unknown
    by_name = {r[1]: r for r in body}
    assert by_name["Huyện Lục Ngạn"][6] == 2 and by_name["Place unknown"][6] == 1
    assert sum(Decimal(str(r[6] or 0)) for r in body) == 5


def test_rate_page_shows_counts_and_share(client, plan, leader, places):
    client.force_login(leader)
    target = plan.targets.get(code="dossiers-on-time")
    page = client.get(url("target_units", target, level="2025-province", year=2025))
    assert page.status_code == 200
    assert "Finished early or on time" in page.text and places.bac_ninh.name in page.text
    rows = workbook(client.get(url("target_units_export", target, level="2025-province", year=2025)))
    assert rows[0][6:9] == ("Finished early or on time", "Finished", "Share (percent)")


def test_per_district_target_marks_the_districts_below_the_minimum(client, plan, leader, flow, places):
    record_task(flow, places=[places.cam_son])
    client.force_login(leader)
    target = plan.targets.get(code="tasks-per-district")
    page = client.get(url("target_units", target, year=2025))
    assert 'value="pre2025-district" selected' in page.text  # the target's own map
    assert "18 units of 18 hold fewer than 5." in page.text
    assert page.text.count(">Below<") == 18
    rows = workbook(client.get(url("target_units_export", target, year=2025)))
    assert rows[0][-1] == "Below the minimum"
    assert sum(1 for r in rows[1:] if r[-1] == "yes") == 18


def test_manual_target_has_no_breakdown(client, plan, leader):
    client.force_login(leader)
    marks = plan.targets.get(code="new-marks")
    page = client.get(url("target_units", marks))
    assert page.status_code == 200 and "has no breakdown" in page.text
    assert client.get(url("target_units_export", marks)).status_code == 404
    assert client.get(url("target_unit_records", marks, row="none")).status_code == 404
    assert url("target_units", marks) not in client.get(url("target_detail", marks)).text


def test_outsiders_get_404_applicants_403_and_export_needs_its_permission(
    client, plan, outsider, applicant, leader, places
):
    target = plan.targets.get(code="tasks")
    names = ("target_units", "target_units_export", "target_unit_records")
    client.force_login(outsider)
    for name in names:
        assert client.get(url(name, target, row="none")).status_code == 404, name
    client.force_login(applicant)
    for name in names:
        assert client.get(url(name, target, row="none")).status_code == 403, name
    client.logout()
    assert client.get(url("target_units", target)).status_code == 302
    client.force_login(leader)
    assert client.post(url("target_units", target)).status_code == 405


def test_page_queries_do_not_grow_with_the_records(client, plan, leader, flow, places):
    client.force_login(leader)
    target = plan.targets.get(code="tasks")

    def queries(name, **params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(name, target, level="pre2025-district", year=2025, **params)).status_code == 200
        return len(captured)

    def more():
        for place in (places.cam_son, places.luc_ngan, places.ba_dinh, places.tan_son):
            record_task(flow, places=[place])
        record_task(flow, host=addressed_host(flow.department, places.phuong_bac_giang))
        record_task(flow)

    more()
    client.get(url("target_units", target))  # warm the session
    few = queries("target_units"), queries("target_unit_records", row=f"u{places.luc_ngan.pk}")
    more()
    more()
    assert (queries("target_units"), queries("target_unit_records", row=f"u{places.luc_ngan.pk}")) == few
    assert few[0] <= 30


def test_funding_by_unit_sums_money_and_drills_down_to_the_tasks(client, plan, leader, places, tasks):
    client.force_login(leader)
    target = plan.targets.get(code="funding-total")
    rows = workbook(client.get(url("target_units_export", target, level="pre2025-district", year=2025)))
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Huyện Lục Ngạn"][6] == 200 and sum(Decimal(str(r[6] or 0)) for r in rows[1:]) == 500
    drill = client.get(
        url("target_unit_records", target, level="pre2025-district", year=2025, row=f"u{places.luc_ngan.pk}")
    )
    assert "2 records" in drill.text and tasks.in_old_district.title in drill.text
