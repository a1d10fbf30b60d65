import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from opendost.audit.models import AuditEvent
from opendost.radiation import rules, services
from opendost.radiation.enums import DeviceStatus, DeviceType, FacilityKind, LicenceKind, LicenceStatus, PlanStatus
from opendost.radiation.models import Licence
from opendost.workflow.exceptions import TransitionNotAllowed
from tests.radiation.conftest import make_device
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
SCOPE = "Sử dụng thiết bị X-quang chẩn đoán trong y tế"


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


# RULES --------------------------------------------------------------------------------------------
def test_rules_term_and_lead_time():
    assert rules.renewal_lead_days(on=dt.date(2026, 1, 1)) == 45
    assert rules.default_valid_until(dt.date(2024, 3, 15)) == dt.date(2027, 3, 14)
    assert rules.add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)
    assert rules.renewal_filing_deadline(dt.date(2027, 3, 14), today=dt.date(2026, 1, 1)) == dt.date(2027, 1, 28)


# FACILITIES ---------------------------------------------------------------------------------------
def test_facility_create_takes_the_organisation_name_and_audits(officer, organization, units):
    facility = services.facility_create(
        actor=officer, department=organization.department, organization=organization, kind=FacilityKind.HOSPITAL
    )
    assert facility.name == organization.name
    assert facility.name_folded == "benh vien da khoa hoa binh"
    assert AuditEvent.objects.filter(object_id=str(facility.pk), action="create").exists()


def test_facility_create_needs_permission(leader, outsider, organization):
    for actor in (leader, outsider):
        with pytest.raises(PermissionDenied):
            services.facility_create(
                actor=actor, department=organization.department, organization=organization, kind=FacilityKind.HOSPITAL
            )


def test_facility_organisation_must_be_in_the_register(officer, department, other_department):
    foreign = OrganizationFactory(department=other_department)
    with pytest.raises(ValidationError) as exc:
        services.facility_create(
            actor=officer, department=department, organization=foreign, kind=FacilityKind.HOSPITAL
        )
    assert "organization" in _errors(exc)


def test_facility_address_units_are_checked(officer, organization, units):
    with pytest.raises(ValidationError) as exc:
        services.facility_create(
            actor=officer,
            department=organization.department,
            organization=organization,
            kind=FacilityKind.HOSPITAL,
            province=units.ha_noi,
            commune=units.phuong_bac_giang,
        )
    assert "commune" in _errors(exc)


def test_facility_update(officer, facility):
    saved = services.facility_update(actor=officer, facility=facility, name="  Bệnh viện   Mới ", rso_name="A")
    assert saved.name == "Bệnh viện Mới"
    assert saved.name_folded == "benh vien moi"
    with pytest.raises(TypeError):
        services.facility_update(actor=officer, facility=facility, department=None)


# DEVICES ------------------------------------------------------------------------------------------
def test_device_starts_installed(device):
    assert device.status == DeviceStatus.INSTALLED
    assert device.department_id == device.facility.department_id


def test_device_rules(officer, facility, device, today):
    with pytest.raises(ValidationError) as exc:
        make_device(officer, facility, serial="sn-0001", year_of_manufacture=1900, kvp_max=500)
    errors = _errors(exc)
    assert {"serial_number", "year_of_manufacture", "kvp_max"} <= set(errors)
    with pytest.raises(ValidationError) as exc:
        make_device(
            officer,
            facility,
            serial="X",
            inspected_on=today + dt.timedelta(days=1),
            inspection_valid_until=today - dt.timedelta(days=5),
        )
    assert {"inspected_on", "inspection_valid_until"} <= set(_errors(exc))


def test_device_outsider_and_leader_cannot_write(outsider, leader, facility, device):
    with pytest.raises(PermissionDenied):
        make_device(outsider, facility, serial="Z")
    with pytest.raises(PermissionDenied):
        services.device_update(actor=leader, device=device, room="1")
    with pytest.raises(PermissionDenied):
        services.device_transition(actor=outsider, device=device, transition="decommission")


def test_put_in_use_needs_a_licence(officer, device, today):
    with pytest.raises(ValidationError, match="not covered by a valid licence"):
        services.device_transition(actor=officer, device=device, transition="put_in_use")


def test_device_workflow(officer, licence, device, today):
    device.refresh_from_db()
    assert device.status == DeviceStatus.IN_USE
    assert device.in_use_since == dt.date(2024, 6, 1)
    services.device_transition(actor=officer, device=device, transition="send_to_repair", note="Hỏng bóng")
    assert device.status == DeviceStatus.UNDER_REPAIR
    assert device.status_note == "Hỏng bóng"
    with pytest.raises(TransitionNotAllowed):
        services.device_transition(actor=officer, device=device, transition="send_to_repair")
    services.device_transition(actor=officer, device=device, transition="return_to_use")
    assert device.status == DeviceStatus.IN_USE
    services.device_transition(actor=officer, device=device, transition="decommission", on=dt.date(2026, 2, 1))
    device.refresh_from_db()
    assert device.status == DeviceStatus.DECOMMISSIONED
    assert device.decommissioned_on == dt.date(2026, 2, 1)
    with pytest.raises(TransitionNotAllowed):
        services.device_transition(actor=officer, device=device, transition="return_to_use")


def test_device_transition_date_and_name(officer, device, today):
    with pytest.raises(ValidationError):
        services.device_transition(actor=officer, device=device, transition="decommission", on=today + dt.timedelta(1))
    with pytest.raises(ValidationError):
        services.device_transition(actor=officer, device=device, transition="explode")


# LICENCES -----------------------------------------------------------------------------------------
def test_licence_issue_defaults(licence, facility, device):
    assert licence.kind == LicenceKind.NEW
    assert licence.status == LicenceStatus.VALID
    assert licence.valid_from == dt.date(2024, 6, 1)
    assert licence.valid_until == dt.date(2027, 5, 31)  # 3 years (NĐ 142 Art. 37) minus one day
    assert licence.issuer_name_at_issue == facility.department.name
    assert licence.facility_name_at_issue == facility.name
    assert "Phường Bắc Giang" in licence.address_text_at_issue
    assert licence.number_folded == "15/gp-skhcn"
    assert list(licence.devices.all()) == [device]
    assert len(licence.verification_code) == 10


def test_licence_issue_numbers_from_the_series_without_a_number(officer, facility, device, today):
    licence = services.licence_issue(
        actor=officer, facility=facility, devices=[device], work_scope=SCOPE, issued_on=today
    )
    assert licence.number == "01/GP-SKHCN"


def test_licence_issue_takes_the_document_number_and_issuer(officer, facility, device, today):
    from opendost.documents.samples import sample_decision
    from opendost.documents.services import document_issue

    document = document_issue(
        actor=officer,
        department=facility.department,
        doc_type="GP",
        data=sample_decision(issuing_body_parent="UBND TỈNH THỬ", place="Bắc Ninh", issued_on=today),
    )
    licence = services.licence_issue(
        actor=officer, facility=facility, devices=[device], work_scope=SCOPE, issued_on=today, document=document
    )
    assert licence.number == document.number_symbol
    assert licence.issuer_name_at_issue == document.issuing_body
    assert licence.document == document


def test_licence_issue_rules(officer, facility, device, today, organization):
    other_facility = services.facility_create(
        actor=officer, department=organization.department, organization=organization, kind=FacilityKind.DENTAL_CLINIC
    )
    foreign_device = make_device(officer, other_facility, serial="OTHER")
    with pytest.raises(ValidationError) as exc:
        services.licence_issue(
            actor=officer,
            facility=facility,
            devices=[foreign_device],
            work_scope=" ",
            issued_on=today + dt.timedelta(days=1),
            number="1/GP",
        )
    errors = _errors(exc)
    assert {"devices", "work_scope", "issued_on"} <= set(errors)
    with pytest.raises(ValidationError) as exc:
        services.licence_issue(actor=officer, facility=facility, devices=[], work_scope=SCOPE, issued_on=today)
    assert "devices" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.licence_issue(
            actor=officer,
            facility=facility,
            devices=[device],
            work_scope=SCOPE,
            issued_on=today,
            valid_until=today - dt.timedelta(days=1),
            number="2/GP",
        )
    assert "valid_until" in _errors(exc)


def test_decommissioned_device_cannot_be_licensed(officer, facility, device, today):
    services.device_transition(actor=officer, device=device, transition="decommission")
    with pytest.raises(ValidationError, match="decommissioned"):
        services.licence_issue(actor=officer, facility=facility, devices=[device], work_scope=SCOPE, issued_on=today)


def test_a_device_has_one_licence_in_force(officer, licence, facility, device, today):
    with pytest.raises(ValidationError, match="already covers"):
        services.licence_issue(
            actor=officer, facility=facility, devices=[device], work_scope=SCOPE, issued_on=today, number="9/GP"
        )


def test_new_licence_after_a_lapse_supersedes_and_continues_the_chain(officer, facility, device, today):
    old = services.licence_issue(
        actor=officer,
        facility=facility,
        devices=[device],
        work_scope=SCOPE,
        issued_on=dt.date(2022, 1, 10),
        number="3/GP-SKHCN",
    )
    assert old.state_on(today) == "expired"
    new = services.licence_issue(
        actor=officer, facility=facility, devices=[device], work_scope=SCOPE, issued_on=today, number="4/GP-SKHCN"
    )
    old.refresh_from_db()
    assert old.status == LicenceStatus.SUPERSEDED
    assert new.predecessor == old


def test_licence_needs_permission(leader, outsider, facility, device, today):
    for actor in (leader, outsider):
        with pytest.raises(PermissionDenied):
            services.licence_issue(actor=actor, facility=facility, devices=[device], work_scope=SCOPE, issued_on=today)


def test_issuer_at_issue_is_the_body_in_office_then(officer, units):
    """§19.2: a licence issued in 2024 by the former Bắc Giang department keeps that name."""
    from opendost.departments.models import Department
    from tests.subjects.factories import OrganizationFactory as Org

    new = Department.objects.create(
        code="bn-new",
        name="Sở KH&CN tỉnh Bắc Ninh",
        governing_body="UBND TỈNH BẮC NINH",
        province=units.bac_ninh,
        valid_from=dt.date(2025, 7, 1),
    )
    old = Department.objects.create(
        code="bg-old",
        name="Sở KH&CN tỉnh Bắc Giang",
        governing_body="UBND TỈNH BẮC GIANG",
        province=units.bac_giang_old,
        valid_to=dt.date(2025, 6, 30),
        successor=new,
    )
    from opendost.accounts.roles import Role
    from tests.factories import UserFactory

    actor = UserFactory(role=Role.OFFICER, department=new)
    organization = Org(department=old)
    facility = services.facility_create(
        actor=actor,
        department=old,
        organization=organization,
        kind=FacilityKind.HOSPITAL,
        province=units.bac_giang_old,
        district=units.yen_the_old,
        commune=units.dong_tien_old,
    )
    device = make_device(actor, facility)
    first = services.licence_issue(
        actor=actor,
        facility=facility,
        devices=[device],
        work_scope=SCOPE,
        issued_on=dt.date(2024, 3, 1),
        number="7/GP",
    )
    assert first.issuer_name_at_issue == "Sở KH&CN tỉnh Bắc Giang"
    assert "Huyện Yên Thế" in first.address_text_at_issue
    renewal = services.licence_renew(actor=actor, licence=first, issued_on=dt.date(2025, 9, 1))
    assert renewal.issuer_name_at_issue == "Sở KH&CN tỉnh Bắc Ninh"
    assert renewal.number == "01/GP-SKHCN"  # numbered in the new body's series
    # The successor's printed licence may be attached to a facility of the former department's register.
    from opendost.documents.samples import sample_decision
    from opendost.documents.services import document_issue

    document = document_issue(
        actor=actor,
        department=new,
        doc_type="GP",
        data=sample_decision(
            issuing_body_parent="UBND TỈNH BẮC NINH", place="Bắc Ninh", issued_on=dt.date(2026, 3, 1)
        ),
    )
    reissued = services.licence_reissue(actor=actor, licence=renewal, issued_on=dt.date(2026, 3, 1), document=document)
    assert reissued.document == document
    first.refresh_from_db()
    assert first.issuer_name_at_issue == "Sở KH&CN tỉnh Bắc Giang"


# RENEWAL / AMENDMENT / RE-ISSUE -------------------------------------------------------------------
def test_renewal_runs_from_the_old_expiry(officer, licence, device, today):
    new = services.licence_renew(actor=officer, licence=licence, issued_on=today, number="20/GP-SKHCN")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUPERSEDED
    assert licence.status_changed_on == today
    assert new.kind == LicenceKind.RENEWAL
    assert new.predecessor == licence
    assert new.valid_from == dt.date(2027, 6, 1)
    assert new.valid_until == dt.date(2030, 5, 31)
    assert list(new.devices.all()) == [device]
    assert new.work_scope == licence.work_scope


def test_renewal_refuses_a_licence_that_is_not_valid(officer, licence, today):
    services.licence_renew(actor=officer, licence=licence, issued_on=today, number="20/GP")
    with pytest.raises(ValidationError, match="only a valid licence"):
        services.licence_renew(actor=officer, licence=licence, issued_on=today, number="21/GP")


def test_renewal_filed_late_is_refused(officer, licence, today):
    deadline = licence.valid_until - dt.timedelta(days=45)
    with pytest.raises(ValidationError) as exc:
        services.licence_renew(
            actor=officer, licence=licence, issued_on=today, filed_on=deadline + dt.timedelta(days=1), number="22/GP"
        )
    assert "filed_on" in _errors(exc)
    new = services.licence_renew(actor=officer, licence=licence, issued_on=today, filed_on=deadline, number="22/GP")
    assert new.kind == LicenceKind.RENEWAL


def test_an_expired_licence_cannot_be_renewed(officer, facility, device, today):
    expired = services.licence_issue(
        actor=officer,
        facility=facility,
        devices=[device],
        work_scope=SCOPE,
        issued_on=dt.date(2022, 1, 1),
        number="5/GP",
    )
    with pytest.raises(ValidationError, match="apply for a new licence"):
        services.licence_renew(actor=officer, licence=expired, issued_on=today, number="6/GP")


def test_renewal_drops_decommissioned_devices(officer, facility, device, licence, today):
    second = make_device(officer, facility, serial="SN-2")
    services.licence_amend(actor=officer, licence=licence, devices=[device, second], issued_on=dt.date(2025, 1, 1))
    amended = Licence.objects.get(status=LicenceStatus.VALID)
    second.refresh_from_db()  # the amendment put it in use
    services.device_transition(actor=officer, device=second, transition="decommission")
    renewal = services.licence_renew(actor=officer, licence=amended, issued_on=today, number="30/GP")
    assert list(renewal.devices.all()) == [device]


def test_renewal_with_every_device_decommissioned_is_refused(officer, licence, device, today):
    services.device_transition(actor=officer, device=device, transition="decommission")
    with pytest.raises(ValidationError) as exc:
        services.licence_renew(actor=officer, licence=licence, issued_on=today, number="31/GP")
    assert "devices" in _errors(exc)


def test_amendment_keeps_the_expiry_and_puts_new_devices_in_use(officer, licence, facility, device, today):
    ct = make_device(officer, facility, serial="CT-1", device_type=DeviceType.CT, kvp_max=140)
    new = services.licence_amend(
        actor=officer, licence=licence, devices=[device, ct], conditions="Thêm CT", issued_on=today, number="40/GP"
    )
    assert new.kind == LicenceKind.AMENDMENT
    assert new.valid_from == today
    assert new.valid_until == licence.valid_until
    assert new.conditions == "Thêm CT"
    assert new.work_scope == licence.work_scope
    ct.refresh_from_db()
    assert ct.status == DeviceStatus.IN_USE
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUPERSEDED


def test_amendment_rules(officer, licence, facility, organization, today):
    other = services.facility_create(
        actor=officer, department=organization.department, organization=organization, kind=FacilityKind.DENTAL_CLINIC
    )
    foreign = make_device(officer, other, serial="F-1")
    with pytest.raises(ValidationError) as exc:
        services.licence_amend(actor=officer, licence=licence, devices=[foreign], work_scope="", issued_on=today)
    assert {"devices", "work_scope"} <= set(_errors(exc))
    with pytest.raises(ValidationError) as exc:
        services.licence_amend(actor=officer, licence=licence, devices=[], issued_on=dt.date(2024, 1, 1))
    assert "issued_on" in _errors(exc)


def test_amending_an_expired_licence_is_refused(officer, facility, device, today):
    expired = services.licence_issue(
        actor=officer,
        facility=facility,
        devices=[device],
        work_scope=SCOPE,
        issued_on=dt.date(2022, 1, 1),
        number="5/GP",
    )
    with pytest.raises(ValidationError, match="expired"):
        services.licence_amend(actor=officer, licence=expired, devices=[device], issued_on=today)


def test_reissue_keeps_content_and_expiry(officer, licence, device, today):
    new = services.licence_reissue(actor=officer, licence=licence, issued_on=today, number="50/GP")
    assert new.kind == LicenceKind.REISSUE
    assert (new.valid_from, new.valid_until) == (today, licence.valid_until)
    assert new.conditions == licence.conditions
    assert list(new.devices.all()) == [device]
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUPERSEDED


def test_revoke(officer, licence, leader, today):
    with pytest.raises(PermissionDenied):
        services.licence_revoke(actor=leader, licence=licence, on=today, reason="x")
    with pytest.raises(ValidationError) as exc:
        services.licence_revoke(actor=officer, licence=licence, on=today + dt.timedelta(days=1), reason=" ")
    assert {"reason", "on"} <= set(_errors(exc))
    services.licence_revoke(actor=officer, licence=licence, on=today, reason="Vi phạm điều kiện giấy phép")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    assert licence.state_on(today) == "revoked"
    assert licence.status_reason == "Vi phạm điều kiện giấy phép"
    with pytest.raises(ValidationError):
        services.licence_reissue(actor=officer, licence=licence, issued_on=today)


# WORKERS ------------------------------------------------------------------------------------------
def test_worker_and_certificates(officer, facility, person, today):
    worker = services.worker_create(actor=officer, facility=facility, person=person, job_title="Kỹ thuật viên")
    assert worker.full_name == "Lê Thị Bức Xạ"
    certificate = services.certificate_add(
        actor=officer, worker=worker, number="12/CC-NVBX", issued_on=dt.date(2020, 5, 1), issuer="Cục ATBXHN"
    )
    assert not hasattr(certificate, "valid_until")  # no expiry under NĐ 142 Art. 37
    with pytest.raises(ValidationError) as exc:
        services.certificate_add(actor=officer, worker=worker, number="12/cc-nvbx", issued_on=today, issuer="Cục")
    assert "number" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.certificate_add(
            actor=officer, worker=worker, number="13", issued_on=today + dt.timedelta(days=1), issuer="Cục"
        )
    assert "issued_on" in _errors(exc)
    saved = services.worker_update(actor=officer, worker=worker, left_on=today)
    assert saved.left_on == today


def test_worker_rules(officer, facility, other_department, today):
    from tests.subjects.factories import PersonFactory

    with pytest.raises(ValidationError) as exc:
        services.worker_create(actor=officer, facility=facility)
    assert "full_name" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.worker_create(actor=officer, facility=facility, person=PersonFactory(department=other_department))
    assert "person" in _errors(exc)


# RESPONSE PLANS -----------------------------------------------------------------------------------
def test_plan_workflow(officer, facility, today):
    plan = services.plan_create(actor=officer, facility=facility, code="KHUP-01", effective_on=today)
    assert plan.status == PlanStatus.DRAFT
    with pytest.raises(ValidationError):
        services.plan_create(actor=officer, facility=facility, code="khup-01")
    services.plan_submit(actor=officer, plan=plan, submitted_on=today - dt.timedelta(days=3))
    assert plan.status == PlanStatus.SUBMITTED
    with pytest.raises(ValidationError, match="draft or returned"):
        services.plan_update(actor=officer, plan=plan, plan_version="1.1")
    with pytest.raises(ValidationError):
        services.plan_return(actor=officer, plan=plan, reason="")
    services.plan_return(actor=officer, plan=plan, reason="Thiếu sơ đồ")
    assert plan.status == PlanStatus.RETURNED
    services.plan_update(actor=officer, plan=plan, plan_version="1.1")
    services.plan_submit(actor=officer, plan=plan, submitted_on=today)
    with pytest.raises(ValidationError):
        services.response_plan_approve(actor=officer, plan=plan, approved_on=today - dt.timedelta(days=1))
    approved = services.response_plan_approve(actor=officer, plan=plan, approved_on=today)
    assert approved.status == PlanStatus.APPROVED
    assert approved.approved_on == today
    approved.refresh_from_db()
    assert approved.plan_version == approved.version == "1.1"  # transitions do not touch it
    with pytest.raises(TransitionNotAllowed):
        services.plan_submit(actor=officer, plan=approved, submitted_on=today)


def test_approving_a_draft_submits_it_first(officer, facility, leader, today):
    plan = services.plan_create(actor=officer, facility=facility, code="KHUP-02")
    with pytest.raises(PermissionDenied):
        services.response_plan_approve(actor=leader, plan=plan, approved_on=today)
    approved = services.response_plan_approve(actor=officer, plan=plan, approved_on=today)
    assert approved.status == PlanStatus.APPROVED
    assert approved.submitted_on == today
    assert approved.effective_on == today


# MONITORING ---------------------------------------------------------------------------------------
def test_points_and_readings(officer, department, units, facility, today):
    point = services.point_create(
        actor=officer,
        department=department,
        name="Điểm quan trắc 1",
        facility=facility,
        province=units.bac_ninh,
        commune=units.phuong_bac_giang,
        latitude=Decimal("21.27"),
        longitude=Decimal("106.19"),
    )
    low = services.reading_record(
        actor=officer, point=point, measured_at=timezone.now() - dt.timedelta(hours=1), dose_rate=Decimal("0.12")
    )
    high = services.reading_record(
        actor=officer, point=point, measured_at=timezone.now() - dt.timedelta(hours=2), dose_rate=Decimal("0.7")
    )
    assert (low.above_threshold, high.above_threshold) == (False, True)
    with pytest.raises(ValidationError) as exc:
        services.reading_record(
            actor=officer, point=point, measured_at=timezone.now() + dt.timedelta(hours=1), dose_rate=Decimal("-1")
        )
    assert {"measured_at", "dose_rate"} <= set(_errors(exc))
    with pytest.raises(ValidationError) as exc:
        services.point_update(actor=officer, point=point, latitude=None, threshold=Decimal("0"))
    assert {"longitude", "threshold"} <= set(_errors(exc))


def test_point_outsider(outsider, department):
    with pytest.raises(PermissionDenied):
        services.point_create(actor=outsider, department=department, name="X")
