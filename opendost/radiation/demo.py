"""Demo data of the radiation register: the plan's 53 licensed X-ray facilities with 97 devices.

Every facility and organisation is fictitious (names carry "Mẫu" and the demo mark, tax codes the
demo prefix). Two facilities are the kernel's demo hospital and clinic of the former Bắc Giang
department, with their pre-2025 addresses. Dates are relative to today, so the demo always shows
licences expiring within 90 days and exactly one expired licence whose devices are still in use.
Everything is written through the services (statuses through transitions).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from opendost.demo.data import BAC_GIANG, BAC_NINH, CURRENT, DEMO_MARK, MERGER_DAY, demo_tax_code
from opendost.geography.models import AdminUnit
from opendost.radiation import rules, services
from opendost.radiation.enums import DeviceType, FacilityKind
from opendost.radiation.models import Device, Licence
from opendost.subjects import services as subject_services
from opendost.subjects.enums import OrganizationKind

T = DeviceType
TAX_CODE_OFFSET = 200  # demo_tax_code(201...) : the kernel's demo uses 1-14
ISSUER_BAC_GIANG = "Sở Khoa học và Công nghệ tỉnh Bắc Giang"
ISSUER_BAC_NINH = "Sở Khoa học và Công nghệ tỉnh Bắc Ninh"
WORK_SCOPE = "Sử dụng thiết bị X-quang chẩn đoán trong y tế"
CONDITIONS = (
    "Chỉ sử dụng thiết bị tại phòng đã được đánh giá an toàn bức xạ; duy trì đo liều cá nhân hằng quý; "
    "kiểm định thiết bị theo quy định."
)

MODELS = {
    T.GENERAL: [
        ("Shimadzu", "RADspeed Pro", 150, 500),
        ("Fujifilm", "FDR Smart X", 150, 630),
        ("GE Healthcare", "Definium 6000", 150, 500),
    ],
    T.MOBILE: [("Shimadzu", "MobileDaRt Evolution", 133, 250), ("Philips", "MobileDiagnost wDR", 133, 200)],
    T.CT: [("Siemens Healthineers", "SOMATOM go.Now", 130, 345), ("Canon Medical", "Aquilion Lightning", 135, 350)],
    T.C_ARM: [("Siemens Healthineers", "Cios Select", 110, 20), ("GE Healthcare", "OEC Elite", 120, 75)],
    T.MAMMOGRAPHY: [("Hologic", "Selenia Dimensions", 39, 200), ("Fujifilm", "Amulet Innovality", 39, 180)],
    T.DENTAL: [("Vatech", "EzRay Air", 70, 7), ("Planmeca", "ProX", 70, 8)],
    T.DENTAL_PANORAMIC: [("Vatech", "PaX-i3D Smart", 99, 16), ("Planmeca", "ProMax 3D", 90, 14)],
    T.BONE_DENSITOMETRY: [("GE Healthcare", "Prodigy Primo", 76, 3)],
    T.FLUOROSCOPY: [("Shimadzu", "Sonialvision G4", 150, 800)],
    T.DSA: [("Philips", "Azurion 3 M15", 125, 1000)],
}

_HOSPITAL_A = (T.GENERAL, T.GENERAL, T.MOBILE, T.CT)
_HOSPITAL_B = (T.GENERAL, T.MOBILE, T.CT)


@dataclass(frozen=True)
class DemoFacility:
    name: str
    kind: str
    commune: str  # current commune code in the new Bắc Ninh (07xxx: former Bắc Giang, 09xxx: former Bắc Ninh)
    devices: tuple[str, ...]
    organization_key: str = ""  # a kernel demo organisation instead of a new one


def _facilities() -> list[DemoFacility]:
    rows = [
        DemoFacility("", FacilityKind.HOSPITAL, "", (T.GENERAL, T.MOBILE), organization_key="bv-luc-ngan"),
        DemoFacility("", FacilityKind.POLYCLINIC, "", (T.GENERAL,), organization_key="pk-tan-yen"),
    ]
    hospitals = [
        ("Hiệp Hòa", "07840"),
        ("Lạng Giang", "07375"),
        ("Yên Dũng", "07681"),
        ("Việt Yên", "07777"),
        ("Tân Yên", "07339"),
        ("Sơn Động", "07615"),
        ("Lục Nam", "07444"),
        ("Quế Võ", "09247"),
        ("Tiên Du", "09319"),
        ("Thuận Thành", "09400"),
        ("Gia Bình", "09454"),
    ]
    for i, (place, commune) in enumerate(hospitals):
        devices = _HOSPITAL_A if i % 3 == 0 else _HOSPITAL_B
        if i == 0:
            devices = (T.GENERAL, T.C_ARM, T.DSA, T.CT)
        rows.append(DemoFacility(f"Bệnh viện Đa khoa Mẫu {place}", FacilityKind.HOSPITAL, commune, devices))
    for name, commune in [
        ("Bệnh viện Mẫu Hùng Cường", "07210"),
        ("Bệnh viện Mẫu An Bình Kinh Bắc", "09187"),
        ("Bệnh viện Sản Nhi Mẫu Sông Cầu", "09169"),
    ]:
        rows.append(DemoFacility(name, FacilityKind.HOSPITAL, commune, (T.GENERAL, T.CT, T.MAMMOGRAPHY)))
    for place, commune in [
        ("Yên Thế", "07288"),
        ("Lục Ngạn", "07525"),
        ("Yên Phong", "09193"),
        ("Lương Tài", "09496"),
        ("Từ Sơn", "09367"),
        ("Tân Dĩnh", "07432"),
    ]:
        rows.append(
            DemoFacility(f"Trung tâm Y tế Mẫu {place}", FacilityKind.MEDICAL_CENTRE, commune, (T.GENERAL, T.MOBILE))
        )
    polyclinics = [
        ("An Phúc", "07228"),
        ("Hòa Bình", "07696"),
        ("Thành Công", "07795"),
        ("Việt Hàn", "09190"),
        ("Tâm Đức", "09265"),
        ("Minh Tâm", "07612"),
        ("Hồng Phúc", "09295"),
        ("Đức Thiện", "07399"),
        ("Phúc An", "09325"),
        ("Quang Minh", "07738"),
        ("Bảo An", "09445"),
        ("Thiên Phúc", "07682"),
        ("Hưng Thịnh", "09379"),
        ("Sông Thương", "07210"),
        ("Kinh Bắc", "09187"),
        ("Y Cao", "07798"),
    ]
    for i, (name, commune) in enumerate(polyclinics):
        devices = (T.GENERAL, T.BONE_DENSITOMETRY) if i == 4 else (T.GENERAL,)
        rows.append(DemoFacility(f"Phòng khám Đa khoa Mẫu {name}", FacilityKind.POLYCLINIC, commune, devices))
    dental = [
        ("Nụ Cười Việt", "07210", T.DENTAL),
        ("Sao Mai", "09187", T.DENTAL_PANORAMIC),
        ("Hà Thành", "07228", T.DENTAL),
        ("Minh Châu", "09367", T.DENTAL_PANORAMIC),
        ("Ngọc Trai", "07777", T.DENTAL),
        ("Răng Xinh", "09169", T.DENTAL),
        ("Việt Đức", "07840", T.DENTAL_PANORAMIC),
        ("Tâm An", "09247", T.DENTAL),
        ("Kim Cương", "07681", T.DENTAL),
        ("Như Ý", "09400", T.DENTAL_PANORAMIC),
        ("Hoàn Mỹ", "07612", T.DENTAL),
        ("Lan Anh", "09319", T.DENTAL),
        ("Thế Hệ Mới", "07339", T.DENTAL_PANORAMIC),
    ]
    for name, commune, device in dental:
        rows.append(DemoFacility(f"Nha khoa Mẫu {name}", FacilityKind.DENTAL_CLINIC, commune, (device,)))
    rows.append(
        DemoFacility(
            "Trung tâm Chẩn đoán hình ảnh Mẫu Medic Bắc Ninh",
            FacilityKind.IMAGING_CENTRE,
            "09190",
            (T.GENERAL, T.CT, T.MAMMOGRAPHY, T.BONE_DENSITOMETRY),
        )
    )
    rows.append(
        DemoFacility(
            "Phòng khám Chẩn đoán hình ảnh Mẫu Xương Giang",
            FacilityKind.IMAGING_CENTRE,
            "07210",
            (T.GENERAL, T.FLUOROSCOPY),
        )
    )
    return rows


# Which facilities (by position) show what.
OVERDUE = 9  # expired 21 days ago, devices still in use
EXPIRING = {1: 12, 13: 33, 21: 47, 29: 58, 37: 74, 46: 88}  # position -> days until expiry
RENEWED = (0, 5, 18, 40)  # an older licence renewed
AMENDED = 26  # the polyclinic with two devices: licence amended to add its bone densitometer
REISSUED = 25
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Quốc", "Thanh", "Hữu"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hải",
    "Hằng",
    "Khánh",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Quân",
    "Sơn",
    "Trang",
    "Tuấn",
]


def _person_name(n: int) -> str:
    return f"{FAMILY[n % len(FAMILY)]} {MIDDLE[(n // 3) % len(MIDDLE)]} {GIVEN[(n * 7) % len(GIVEN)]}"


def load(*, departments, users, organizations) -> str:
    today = timezone.localdate()
    actor = users["canbo"]
    department = departments[BAC_NINH]
    specs = _facilities()
    communes = {
        u.code: u
        for u in AdminUnit.objects.filter(code_set=CURRENT, level="commune", code__in={s.commune for s in specs})
    }
    province = AdminUnit.objects.filter(code_set=CURRENT, level="province", code="24").first()
    counters: dict[tuple[str, int], int] = {}
    serial = 0
    facilities = []
    for index, spec in enumerate(specs):
        facility = _facility(
            spec,
            index,
            actor=actor,
            department=department,
            departments=departments,
            organizations=organizations,
            communes=communes,
            province=province,
        )
        facilities.append(facility)
        devices = []
        for device_type in spec.devices:
            serial += 1
            manufacturer, model, kvp, ma = MODELS[device_type][serial % len(MODELS[device_type])]
            devices.append(
                services.device_create(
                    actor=actor,
                    facility=facility,
                    device_type=device_type,
                    manufacturer=manufacturer,
                    model_name=model,
                    serial_number=f"{manufacturer[:2].upper()}{2010 + serial % 14}{serial:05d}",
                    year_of_manufacture=2010 + serial % 14,
                    kvp_max=kvp,
                    ma_max=ma,
                    room=f"Phòng X-quang số {len(devices) + 1}" if device_type not in (T.CT, T.DSA) else "Phòng CT",
                    inspection_certificate=f"KĐ-{serial:04d}/{today.year - 1}",
                    inspected_on=today - dt.timedelta(days=60 + serial * 5 % 300),
                    inspection_valid_until=today - dt.timedelta(days=60 + serial * 5 % 300) + dt.timedelta(days=365),
                )
            )
        _licences(index, facility, devices, actor=actor, today=today, counters=counters)
    _workers_and_plans(facilities[:6], actor=actor, today=today)
    _monitoring(facilities, actor=actor, department=department, communes=communes, province=province, today=today)
    in_force = Licence.objects.filter(facility__in=facilities, status="valid", valid_until__gte=today).count()
    overdue = Licence.objects.filter(facility__in=facilities, status="valid", valid_until__lt=today).count()
    devices = Device.objects.filter(facility__in=facilities).count()
    summary = (
        f"radiation: {len(facilities)} facilities, {devices} devices, {in_force + overdue} licences "
        f"({in_force} in force, {overdue} expired with devices in use)"
    )
    from opendost.radiation.demo_dossiers import load as load_dossiers

    return summary + "; " + load_dossiers(users=users, today=today)


def _facility(spec, index, *, actor, department, departments, organizations, communes, province):
    if spec.organization_key:
        organization = organizations[spec.organization_key]
        return services.facility_create(
            actor=actor,
            department=departments[BAC_GIANG],
            organization=organization,
            kind=spec.kind,
            address_line=organization.address_line or "Trung tâm thị trấn",
            province=organization.province,
            district=organization.district,
            commune=organization.commune,
            phone=organization.phone,
            rso_name=_person_name(index),
            rso_certificate=f"{100 + index}/CC-ATBX",
        )
    commune = communes.get(spec.commune)
    organization = subject_services.organization_create(
        actor=actor,
        department=department,
        kind=OrganizationKind.HOSPITAL,
        name=spec.name + DEMO_MARK,
        tax_code=demo_tax_code(TAX_CODE_OFFSET + index),
        address_line=f"Số {10 + index * 3} đường Mẫu",
        province=province if commune else None,
        commune=commune,
        phone=f"0222 3888 {100 + index:03d}",
        note="Bản ghi mẫu, không có thật.",
    )
    return services.facility_create(
        actor=actor,
        department=department,
        organization=organization,
        kind=spec.kind,
        address_line=organization.address_line,
        province=organization.province,
        commune=commune,
        phone=organization.phone,
        rso_name=_person_name(index),
        rso_certificate=f"{100 + index}/CC-ATBX",
    )


def _licences(index, facility, devices, *, actor, today, counters) -> None:
    if index == OVERDUE:
        valid_until = today - dt.timedelta(days=21)
    elif index in EXPIRING:
        valid_until = today + dt.timedelta(days=EXPIRING[index])
    else:
        valid_until = today + dt.timedelta(days=100 + (index * 53) % 950)
    first_devices = devices[:-1] if index == AMENDED else devices
    if index in RENEWED:
        old_until = rules.add_years(valid_until, -3)
        old = _issue(facility, first_devices, old_until, actor=actor, counters=counters)
        renewed_on = old_until - dt.timedelta(days=30)
        licence = services.licence_renew(
            actor=actor,
            licence=old,
            issued_on=renewed_on,
            number=_number(facility, renewed_on, counters),
            issuer_name=_issuer(facility, renewed_on),
        )
    else:
        licence = _issue(facility, first_devices, valid_until, actor=actor, counters=counters)
    if index == AMENDED:
        amended_on = min(today - dt.timedelta(days=30), licence.issued_on + dt.timedelta(days=200))
        services.licence_amend(
            actor=actor,
            licence=licence,
            devices=devices,
            conditions=CONDITIONS + " Bổ sung thiết bị đo mật độ xương.",
            issued_on=amended_on,
            number=_number(facility, amended_on, counters),
            issuer_name=_issuer(facility, amended_on),
        )
    if index == REISSUED:
        reissued_on = min(today - dt.timedelta(days=10), licence.issued_on + dt.timedelta(days=120))
        services.licence_reissue(
            actor=actor,
            licence=licence,
            issued_on=reissued_on,
            number=_number(facility, reissued_on, counters),
            issuer_name=_issuer(facility, reissued_on),
        )


def _issue(facility, devices, valid_until, *, actor, counters) -> Licence:
    issued_on = rules.add_years(valid_until + dt.timedelta(days=1), -3)
    return services.licence_issue(
        actor=actor,
        facility=facility,
        devices=devices,
        work_scope=WORK_SCOPE,
        conditions=CONDITIONS,
        issued_on=issued_on,
        valid_until=valid_until,
        number=_number(facility, issued_on, counters),
        issuer_name=_issuer(facility, issued_on),
    )


def _issuer(facility, day: dt.date) -> str:
    """Before 1 July 2025, the former province's department (by the commune's code range); since, the merged one."""
    if facility.department.valid_to is not None:
        return ""  # a facility of the former Bắc Giang register: the service names the body in force
    if day < MERGER_DAY and facility.commune is not None and facility.commune.code.startswith("07"):
        return ISSUER_BAC_GIANG
    return ISSUER_BAC_NINH


def _number(facility, day: dt.date, counters) -> str:
    key = (_issuer(facility, day) or ISSUER_BAC_GIANG, day.year)
    counters[key] = counters.get(key, 0) + 1
    return f"{counters[key]:02d}/GP-SKHCN"


def _workers_and_plans(facilities, *, actor, today) -> None:
    jobs = ["Kỹ thuật viên X-quang", "Bác sĩ chẩn đoán hình ảnh", "Kỹ thuật viên CT"]
    for i, facility in enumerate(facilities):
        for k in range(2):
            n = i * 2 + k
            worker = services.worker_create(
                actor=actor,
                facility=facility,
                full_name=_person_name(n + 20),
                job_title=jobs[n % len(jobs)],
                is_safety_officer=k == 0,
            )
            services.certificate_add(
                actor=actor,
                worker=worker,
                number=f"{300 + n}/{2019 + n % 5}/CC-NVBX",
                issued_on=dt.date(2019 + n % 5, 3 + n % 9, 10 + n % 15),
                issuer="Cục An toàn bức xạ và hạt nhân",
            )
        if i >= 5:
            continue
        plan = services.plan_create(
            actor=actor,
            facility=facility,
            code=f"KHUP-{i + 1:02d}",
            plan_version="1.0",
            page_count=18 + i,
        )
        if i < 3:
            services.response_plan_approve(actor=actor, plan=plan, approved_on=today - dt.timedelta(days=90 + 30 * i))
        elif i == 3:
            services.plan_submit(actor=actor, plan=plan, submitted_on=today - dt.timedelta(days=5))


def _monitoring(facilities, *, actor, department, communes, province, today) -> None:
    points = [
        (
            "Điểm quan trắc Mẫu cổng Bệnh viện Đa khoa Mẫu Hiệp Hòa",
            "Cổng chính, cạnh phòng X-quang",
            "07840",
            facilities[2],
            ("21.354210", "105.972130"),
        ),
        ("Điểm quan trắc Mẫu Quảng trường 3/2", "Quảng trường trung tâm", "07210", None, ("21.273300", "106.194600")),
        (
            "Điểm quan trắc Mẫu Khu công nghiệp Quế Võ",
            "Cổng khu công nghiệp",
            "09247",
            None,
            ("21.145800", "106.160400"),
        ),
    ]
    now = timezone.now()
    for p, (name, location, commune, facility, (lat, lon)) in enumerate(points):
        commune_unit = (
            communes.get(commune) or AdminUnit.objects.filter(code_set=CURRENT, level="commune", code=commune).first()
        )
        point = services.point_create(
            actor=actor,
            department=department,
            name=name,
            location=location,
            facility=facility,
            province=province if commune_unit else None,
            commune=commune_unit,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
        )
        for k in range(6):
            dose = Decimal("0.110") + Decimal(p * 17 + k * 13 % 40) / 1000
            if p == 0 and k == 2:
                dose = Decimal("0.620")  # above the 0.5 µSv/h threshold: flagged
            services.reading_record(
                actor=actor,
                point=point,
                measured_at=now - dt.timedelta(days=30 * k + 1, hours=p),
                dose_rate=dose,
                instrument="Máy đo suất liều RadEye G (mẫu)",
                measured_by="Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng",
            )
