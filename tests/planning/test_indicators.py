import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from opendost.accounts.roles import Role
from opendost.dossiers import services as dossier_services
from opendost.dossiers.enums import Recommendation
from opendost.planning import indicators
from opendost.planning.indicators import period_dates
from opendost.projects.enums import TaskLevel
from opendost.radiation import services as radiation_services
from opendost.radiation.enums import FacilityKind
from tests.dossiers.factories import Office, applicant_for, dossier_in_review, published_procedure
from tests.factories import UserFactory
from tests.planning.conftest import flow_for
from tests.subjects.factories import OrganizationFactory, address_units

pytestmark = pytest.mark.django_db


def value(key, department, year_from, year_to=None, quarter=None):
    ids = department.jurisdiction_ids()
    return indicators.get(key).compute(
        department_ids=ids, year_from=year_from, year_to=year_to or year_from, quarter=quarter
    )


def test_period_dates():
    assert period_dates(2024, 2025) == (dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    assert period_dates(2024, 2024, 1) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert period_dates(2024, 2024, 4) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    with pytest.raises(ValueError):
        indicators.get("tasks_started").compute(department_ids=[1], year_from=2024, year_to=2025, quarter=1)


def test_tasks_by_level_year_quarter_and_funding(flow, department, other_department):
    provincial = flow.assigned(level=TaskLevel.PROVINCIAL)  # starts 01/11/2025, 800 + 200 million
    flow.assigned(level=TaskLevel.NATIONAL, title="Nhiệm vụ cấp quốc gia")
    flow.assigned(level=TaskLevel.GRASSROOTS, title="Nhiệm vụ cấp cơ sở")  # not a plan level
    flow_for(other_department).assigned()  # another department's
    started = value("tasks_started", department, 2025)
    assert started.number == 2
    assert provincial.pk in started.record_ids and started.records == "tasks"
    assert value("tasks_provincial", department, 2025).number == 1
    assert value("tasks_national", department, 2025).number == 1
    assert value("tasks_started", department, 2025, quarter=4).number == 2
    assert value("tasks_started", department, 2025, quarter=3).number == 0
    assert value("tasks_started", department, 2024).number == 0
    assert value("funding_total", department, 2025).number == Decimal(2000)
    assert value("funding_provincial", department, 2025).number == Decimal(1600)
    assert value("funding_counterpart", department, 2025).number == Decimal(400)
    assert value("funding_central", department, 2025).number == 0


def test_roll_up_counts_the_predecessor_records(old_department, department):
    flow_for(old_department).assigned()
    assert value("tasks_started", department, 2025).number == 1  # successor sees the old department's task
    assert value("tasks_started", old_department, 2025).number == 1
    new_only = indicators.get("tasks_started").compute(department_ids=[department.pk], year_from=2025, year_to=2025)
    assert new_only.number == 0


def test_accepted_registered_certified(flow, department):
    task = flow.registered()  # accepted, result received and certified today (10/03/2026)
    assert value("tasks_accepted", department, 2026).record_ids == [task.pk]
    assert value("tasks_accepted", department, 2026, quarter=1).number == 1
    assert value("tasks_accepted", department, 2025).number == 0
    assert value("results_registered", department, 2026).number == 1
    assert value("certificates_issued", department, 2026).number == 1
    assert value("certificates_issued", department, 2026, quarter=2).number == 0


def test_results_applied_is_yearly_only(flow, department):
    from opendost.projects import services

    result = flow.result()
    services.result_application_record(
        actor=flow.officer, result=result, place_text="Huyện Lục Ngạn", scale="50 ha", year=2026
    )
    assert value("results_applied", department, 2026).number == 1
    assert value("results_applied", department, 2025).number == 0
    quarterly = value("results_applied", department, 2026, quarter=1)
    assert quarterly.number is None and quarterly.note


@pytest.fixture
def facility(officer, department):
    units = address_units()
    organization = OrganizationFactory(department=department)
    return radiation_services.facility_create(
        actor=officer,
        department=department,
        organization=organization,
        kind=FacilityKind.HOSPITAL,
        address_line="Số 1 đường Hùng Vương",
        province=units.bac_ninh,
        commune=units.phuong_bac_giang,
        phone="0204 3000 111",
        rso_name="Phạm Văn Antoàn",
        rso_certificate="77/CC-ATBX",
    )


def _device(officer, facility, serial):
    return radiation_services.device_create(
        actor=officer, facility=facility, device_type="general", manufacturer="Shimadzu", serial_number=serial
    )


def test_xray_licences_facilities_devices_at_period_end(officer, department, facility):
    first, second = _device(officer, facility, "SN-1"), _device(officer, facility, "SN-2")
    licence = radiation_services.licence_issue(
        actor=officer,
        facility=facility,
        devices=[first, second],
        work_scope="Sử dụng thiết bị X-quang chẩn đoán trong y tế",
        issued_on=dt.date(2024, 6, 1),
        number="15/GP-SKHCN",
    )
    assert value("xray_licences", department, 2023).number == 0
    assert value("xray_licences", department, 2024).record_ids == [licence.pk]
    assert value("xray_licences", department, 2024, quarter=2).number == 1  # in force on 30/06/2024
    assert value("xray_licences", department, 2024, quarter=1).number == 0
    assert value("xray_facilities", department, 2024).number == 1
    assert value("xray_devices", department, 2024).number == 2
    radiation_services.device_transition(actor=officer, device=second, transition="decommission")
    assert value("xray_devices", department, 2026).number == 1  # read today, after the decommissioning
    assert value("xray_devices", department, 2025).number == 2  # on 31/12/2025 it was still covered


def test_a_superseded_licence_counts_for_the_days_it_was_in_force(officer, department, facility):
    device = _device(officer, facility, "SN-1")
    licence = radiation_services.licence_issue(
        actor=officer, facility=facility, devices=[device], work_scope="X-quang", issued_on=dt.date(2023, 6, 1)
    )
    radiation_services.licence_revoke(
        actor=officer, licence=licence, on=dt.date(2026, 3, 1), reason="Cơ sở ngừng hoạt động"
    )
    assert value("xray_licences", department, 2025).number == 1  # revoked 01/03/2026, in force then
    assert value("xray_licences", department, 2026).number == 0


def at(y, m, d, hh=10):
    return dt.datetime(y, m, d, hh, 0, tzinfo=dt.UTC)


def test_dossiers_received_and_on_time_rate(department):
    office = Office(department)
    procedure = published_procedure(deadline_count=3)
    applicant = applicant_for(office)
    with time_machine.travel(at(2025, 3, 3), tick=False):  # a Monday
        early = dossier_in_review(procedure, applicant, office)
        late = dossier_in_review(procedure, applicant, office)
        dossier_in_review(procedure, applicant, office)  # still in progress
    with time_machine.travel(at(2025, 3, 4), tick=False):
        dossier_services.dossier_propose(actor=office.officer, dossier=early, recommendation=Recommendation.APPROVE)
        dossier_services.dossier_approve(actor=office.leader, dossier=early)
        dossier_services.dossier_issue_result(actor=office.officer, dossier=early)
    with time_machine.travel(at(2025, 3, 20), tick=False):
        dossier_services.dossier_propose(actor=office.officer, dossier=late, recommendation=Recommendation.APPROVE)
        dossier_services.dossier_approve(actor=office.leader, dossier=late)
        dossier_services.dossier_issue_result(actor=office.officer, dossier=late)
    assert value("dossiers_received", department, 2025).number == 3
    assert value("dossiers_received", department, 2025, quarter=2).number == 0
    rate = value("dossiers_on_time_rate", department, 2025)
    assert rate.number == Decimal("0.5")
    assert sorted(rate.record_ids) == sorted([early.pk, late.pk])
    empty = value("dossiers_on_time_rate", department, 2024)
    assert empty.number is None and empty.note
    other = UserFactory(role=Role.OFFICER)
    assert value("dossiers_received", other.department, 2025).number == 0


def test_every_definition_computes_on_an_empty_database(department):
    for key in indicators.REGISTRY:
        result = value(key, department, 2021, 2025)
        assert result.number in (0, None)
