import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from opendost.radiation import services
from opendost.radiation.enums import DeviceStatus, FacilityKind, LicenceStatus, PlanStatus
from opendost.radiation.models import Device, Facility, Licence, RadiationWorker, ResponsePlan
from tests.radiation.conftest import make_device
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
SCOPE = "Sử dụng thiết bị X-quang chẩn đoán trong y tế"


@pytest.fixture
def worker(officer, facility):
    worker = services.worker_create(actor=officer, facility=facility, full_name="Trần Văn Kỹ Thuật", job_title="KTV")
    services.certificate_add(actor=officer, worker=worker, number="99/CC", issued_on=dt.date(2020, 1, 1), issuer="Cục")
    return worker


@pytest.fixture
def plan(officer, facility):
    return services.plan_create(actor=officer, facility=facility, code="KHUP-01")


@pytest.fixture
def point(officer, department, facility):
    point = services.point_create(actor=officer, department=department, name="Điểm quan trắc Cổng", facility=facility)
    services.reading_record(
        actor=officer, point=point, measured_at=timezone.now() - dt.timedelta(hours=1), dose_rate=Decimal("0.8")
    )
    return point


def object_urls(facility, device, licence, worker, plan, point):
    return [
        reverse("radiation:facility_detail", args=[facility.public_id]),
        reverse("radiation:facility_edit", args=[facility.public_id]),
        reverse("radiation:device_create", args=[facility.public_id]),
        reverse("radiation:licence_create", args=[facility.public_id]),
        reverse("radiation:worker_create", args=[facility.public_id]),
        reverse("radiation:plan_create", args=[facility.public_id]),
        reverse("radiation:device_edit", args=[device.public_id]),
        reverse("radiation:licence_detail", args=[licence.public_id]),
        reverse("radiation:worker_edit", args=[worker.public_id]),
        reverse("radiation:plan_edit", args=[plan.public_id]),
        reverse("radiation:point_detail", args=[point.public_id]),
        reverse("radiation:point_edit", args=[point.public_id]),
    ]


LIST_URLS = ["radiation:facility_list", "radiation:expiry_control", "radiation:point_list"]


# ACCESS -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [*LIST_URLS, "radiation:facility_create", "radiation:point_create"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", LIST_URLS)
def test_applicant_cannot_see_staff_lists(client, applicant, name):
    client.force_login(applicant)
    assert client.get(reverse(name)).status_code == 403


def test_outsider_and_applicant_get_404_on_objects(
    client, outsider, applicant, facility, device, licence, worker, plan, point
):
    for user in (outsider, applicant):
        client.force_login(user)
        for url in object_urls(facility, device, licence, worker, plan, point):
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(outsider)
    response = client.post(
        reverse("radiation:licence_revoke", args=[licence.public_id]), {"on": "01/03/2026", "reason": "x"}
    )
    assert response.status_code == 404


def test_outsider_does_not_see_rows_in_lists(client, outsider, facility, licence):
    client.force_login(outsider)
    assert facility.name not in client.get(reverse("radiation:facility_list")).content.decode()


@pytest.mark.parametrize("role", ["leader", "desk_officer", "inspector"])
def test_read_only_roles_see_but_cannot_change(client, request, role, facility, device, licence, worker, plan, point):
    user = request.getfixturevalue(role)
    client.force_login(user)
    urls = object_urls(facility, device, licence, worker, plan, point)
    read, write = [urls[0], urls[7], urls[10]], [u for i, u in enumerate(urls) if i not in (0, 7, 10)]
    for url in read:
        assert client.get(url).status_code == 200, url
    for url in write:
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("radiation:facility_create")).status_code == 403
    assert (
        client.post(reverse("radiation:device_transition", args=[device.public_id, "decommission"])).status_code == 403
    )


def test_administrator_reads_every_department(client, administrator, facility):
    client.force_login(administrator)
    assert facility.name in client.get(reverse("radiation:facility_list")).content.decode()


# PAGES --------------------------------------------------------------------------------------------
def test_object_pages_render_for_the_officer(client, officer, facility, device, licence, worker, plan, point):
    client.force_login(officer)
    for url in object_urls(facility, device, licence, worker, plan, point):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(object_urls(facility, device, licence, worker, plan, point)[0]).content.decode()
    assert "15/GP-SKHCN" in page and "Trần Văn Kỹ Thuật" in page and "KHUP-01" in page
    assert "Change history" in page


def test_facility_list_query_count(client, officer, organization, django_assert_max_num_queries, today):
    for n in range(12):
        facility = services.facility_create(
            actor=officer,
            department=organization.department,
            organization=organization,
            kind=FacilityKind.DENTAL_CLINIC,
            name=f"Nha khoa số {n}",
        )
        device = make_device(officer, facility, serial=f"D{n}")
        services.licence_issue(
            actor=officer,
            facility=facility,
            devices=[device],
            work_scope=SCOPE,
            issued_on=dt.date(2025, 1, 1),
            number=f"{n}/GP",
        )
    client.force_login(officer)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("radiation:facility_list"))
    assert response.content.decode().count("Nha khoa số") == 12
    with django_assert_max_num_queries(15):
        response = client.get(reverse("radiation:expiry_control"))
    assert response.status_code == 200
    with django_assert_max_num_queries(15):
        client.get(reverse("radiation_public:register"))


def test_facility_list_search_is_accent_insensitive_and_htmx(client, officer, facility):
    client.force_login(officer)
    response = client.get(reverse("radiation:facility_list"), {"q": "HOA BINH"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert facility.name in body
    assert "<html" not in body  # only the results partial


def test_export(client, officer, leader, facility, licence):
    client.force_login(officer)
    response = client.get(reverse("radiation:facility_export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert rows[1][0] == facility.name and "15/GP-SKHCN" in rows[1]
    csv = b"".join(client.get(reverse("radiation:facility_export", args=["csv"])).streaming_content).decode(
        "utf-8-sig"
    )
    assert facility.name in csv and "15/GP-SKHCN" in csv
    assert client.get(reverse("radiation:facility_export", args=["pdf"])).status_code == 404
    client.force_login(leader)
    assert client.get(reverse("radiation:facility_export", args=["xlsx"])).status_code == 403


def test_expiry_control_page(client, officer, facility, licence, today):
    old_device = make_device(officer, facility, serial="OLD")
    services.licence_issue(
        actor=officer,
        facility=facility,
        devices=[old_device],
        work_scope=SCOPE,
        issued_on=dt.date(2023, 2, 1),
        number="8/GP-SKHCN",
    )
    client.force_login(officer)
    body = client.get(reverse("radiation:expiry_control")).content.decode()
    assert "8/GP-SKHCN" in body  # expired 31/01/2026, device in use
    assert "OLD" in body


# FORMS --------------------------------------------------------------------------------------------
def test_register_a_facility(client, officer, organization, units):
    client.force_login(officer)
    response = client.post(
        reverse("radiation:facility_create"),
        {
            "organization": organization.pk,
            "name": "",
            "kind": FacilityKind.HOSPITAL,
            "province": units.bac_ninh.pk,
            "commune": units.phuong_bac_giang.pk,
            "address_line": "Số 5",
        },
    )
    facility = Facility.objects.get()
    assert response.status_code == 302
    assert facility.name == organization.name
    assert facility.commune == units.phuong_bac_giang


def test_facility_form_keeps_input_on_error(client, officer, other_department):
    client.force_login(officer)
    foreign = OrganizationFactory(department=other_department)
    response = client.post(
        reverse("radiation:facility_create"), {"organization": foreign.pk, "kind": "hospital", "name": "Giữ lại"}
    )
    assert response.status_code == 200
    assert "Giữ lại" in response.content.decode()
    assert not Facility.objects.exists()


def test_record_device_licence_and_change_status(client, officer, facility, today):
    client.force_login(officer)
    response = client.post(
        reverse("radiation:device_create", args=[facility.public_id]),
        {
            "device_type": "dental",
            "manufacturer": "Vatech",
            "serial_number": "V-1",
            "kvp_max": "70",
            "inspected_on": "15/01/2026",
        },
    )
    assert response.status_code == 302
    device = Device.objects.get()
    assert device.inspected_on == dt.date(2026, 1, 15)
    response = client.post(
        reverse("radiation:licence_create", args=[facility.public_id]),
        {"number": "", "devices": [device.pk], "work_scope": SCOPE, "issued_on": "02/03/2026"},
    )
    licence = Licence.objects.get()
    assert response.status_code == 302
    assert licence.valid_until == dt.date(2029, 3, 1)
    device.refresh_from_db()
    assert device.status == DeviceStatus.IN_USE
    client.post(
        reverse("radiation:device_transition", args=[device.public_id, "send_to_repair"]), {"on": "02/03/2026"}
    )
    device.refresh_from_db()
    assert device.status == DeviceStatus.UNDER_REPAIR
    client.post(
        reverse("radiation:licence_revoke", args=[licence.public_id]), {"on": "02/03/2026", "reason": "Vi phạm"}
    )
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED


def test_worker_certificate_plan_and_reading_forms(client, officer, facility, department, today):
    client.force_login(officer)
    client.post(
        reverse("radiation:worker_create", args=[facility.public_id]), {"full_name": "Ngô Thị Hà", "job_title": "KTV"}
    )
    worker = RadiationWorker.objects.get()
    client.post(
        reverse("radiation:certificate_add", args=[worker.public_id]),
        {"certificate-number": "5/CC", "certificate-issued_on": "01/02/2021", "certificate-issuer": "Cục"},
    )
    assert worker.certificates.get().issued_on == dt.date(2021, 2, 1)
    client.post(reverse("radiation:plan_create", args=[facility.public_id]), {"code": "KH-1", "plan_version": "1.0"})
    plan = ResponsePlan.objects.get()
    client.post(reverse("radiation:plan_action", args=[plan.public_id, "submit"]), {"on": "01/03/2026"})
    client.post(reverse("radiation:plan_action", args=[plan.public_id, "approve"]), {"on": "02/03/2026"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    client.post(reverse("radiation:point_create"), {"name": "Điểm A", "threshold": "0.5"})
    point = department.radiation_points.get()
    client.post(
        reverse("radiation:point_detail", args=[point.public_id]),
        {"measured_at": "02/03/2026 08:00", "dose_rate": "0.9"},
    )
    assert point.readings.get().above_threshold


def test_organization_page_shows_the_facilities(client, officer, facility, licence):
    client.force_login(officer)
    body = client.get(reverse("subjects:organization_detail", args=[facility.organization.public_id])).content.decode()
    assert "X-ray facilities and radiation licences" in body
    assert "licence 15/GP-SKHCN" in body


# PUBLIC -------------------------------------------------------------------------------------------
def test_public_register_shows_no_personal_data(client, facility, licence, worker, today):
    body = client.get(reverse("radiation_public:register")).content.decode()
    assert facility.name in body and "15/GP-SKHCN" in body
    for personal in (facility.rso_name, worker.full_name, facility.phone, "99/CC", facility.rso_certificate):
        assert personal not in body
    assert client.get(reverse("radiation_public:register"), {"q": "zzz"}).status_code == 200


def test_public_verification_states(client, officer, facility, device, licence, today):
    url = reverse("radiation_public:verify", args=[licence.verification_code])
    body = client.get(url).content.decode()
    assert "This licence is valid until 31/05/2027." in body
    assert facility.rso_name not in body
    renewal = services.licence_renew(actor=officer, licence=licence, issued_on=today, number="16/GP-SKHCN")
    body = client.get(url).content.decode()
    assert "This licence was superseded." in body and "16/GP-SKHCN" in body
    services.licence_revoke(actor=officer, licence=renewal, on=today, reason="x")
    body = client.get(reverse("radiation_public:verify", args=[renewal.verification_code])).content.decode()
    assert "This licence was revoked on 02/03/2026." in body
    expired_device = make_device(officer, facility, serial="E")
    expired = services.licence_issue(
        actor=officer,
        facility=facility,
        devices=[expired_device],
        work_scope=SCOPE,
        issued_on=dt.date(2022, 1, 1),
        number="1/GP-SKHCN",
    )
    body = client.get(reverse("radiation_public:verify", args=[expired.verification_code])).content.decode()
    assert "This licence expired on 31/12/2024." in body


def test_public_verification_by_number(client, licence):
    response = client.get(reverse("radiation_public:verify_search"), {"number": "15/gp-skhcn"})
    assert response.status_code == 302
    assert response.url == reverse("radiation_public:verify", args=[licence.verification_code])
    assert client.get(reverse("radiation_public:verify_search"), {"number": "0/XX"}).status_code == 404
    assert client.get(reverse("radiation_public:verify", args=["NOPE"])).status_code == 404
    assert client.get(reverse("radiation_public:verify_search")).status_code == 200
