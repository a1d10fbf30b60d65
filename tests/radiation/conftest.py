import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from opendost.accounts.roles import Role
from opendost.radiation import services
from opendost.radiation.enums import DeviceType, FacilityKind
from tests.factories import DepartmentFactory, UserFactory
from tests.subjects.factories import OrganizationFactory, PersonFactory, address_units

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def today():
    """Frozen at 09:00 in Hà Nội on TODAY."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False):
        yield TODAY


@pytest.fixture
def units(db):
    return address_units()


@pytest.fixture
def department(db):
    return DepartmentFactory()


@pytest.fixture
def other_department(db):
    return DepartmentFactory()


@pytest.fixture
def officer(department):
    return UserFactory(role=Role.OFFICER, department=department)


@pytest.fixture
def outsider(other_department):
    return UserFactory(role=Role.OFFICER, department=other_department)


@pytest.fixture
def leader(department):
    return UserFactory(role=Role.LEADER, department=department)


@pytest.fixture
def desk_officer(department):
    return UserFactory(role=Role.DESK_OFFICER, department=department)


@pytest.fixture
def inspector(department):
    return UserFactory(role=Role.INSPECTOR, department=department)


@pytest.fixture
def administrator(db):
    return UserFactory(role=Role.ADMINISTRATOR, department=None)


@pytest.fixture
def organization(department):
    return OrganizationFactory(department=department, name="Bệnh viện Đa khoa Hòa Bình", tax_code="0100233488")


@pytest.fixture
def applicant(department, organization):
    return UserFactory(role=Role.APPLICANT, department=None, organization=organization)


@pytest.fixture
def person(department, organization):
    return PersonFactory(department=department, full_name="Lê Thị Bức Xạ", organization=organization)


@pytest.fixture
def facility(officer, organization, units):
    return services.facility_create(
        actor=officer,
        department=organization.department,
        organization=organization,
        kind=FacilityKind.HOSPITAL,
        address_line="Số 1 đường Hùng Vương",
        province=units.bac_ninh,
        commune=units.phuong_bac_giang,
        phone="0204 3000 111",
        rso_name="Phạm Văn Antoàn",
        rso_certificate="77/CC-ATBX",
    )


def make_device(actor, facility, serial="SN-0001", device_type=DeviceType.GENERAL, **kwargs):
    return services.device_create(
        actor=actor,
        facility=facility,
        device_type=device_type,
        manufacturer=kwargs.pop("manufacturer", "Shimadzu"),
        serial_number=serial,
        model_name=kwargs.pop("model_name", "RADspeed"),
        kvp_max=kwargs.pop("kvp_max", 150),
        **kwargs,
    )


@pytest.fixture
def device(officer, facility):
    return make_device(officer, facility)


@pytest.fixture
def licence(officer, facility, device, today):
    """Issued 01/06/2024 by the facility's department, valid to 31/05/2027."""
    return services.licence_issue(
        actor=officer,
        facility=facility,
        devices=[device],
        work_scope="Sử dụng thiết bị X-quang chẩn đoán trong y tế",
        issued_on=dt.date(2024, 6, 1),
        number="15/GP-SKHCN",
    )
