"""The plan dashboard at national size: its selectors and its page against the raw aggregate SQL.

    ./dev bench planning_dashboard [--scale 1.0] [--repeat 9] [--json out.json] [--keep]

Builds a throwaway database (SQLite file var/bench/planning_dashboard.sqlite3, or, when DATABASE_URL
points at PostgreSQL, a separate database "<name>_planning" dropped at the end), migrates it (which
loads the real administrative units: 63 old provinces, 696 districts, 10,051 communes; 34 new
provinces, 3,321 communes, and the successions), then creates through the ORM:

- a "national" department whose predecessors are 63 pre-2025 provincial departments (one per old
  province, ended 30/06/2025), so the plan's records are all of them (department roll-up), plus an
  unrelated department holding ~10% of the records (must be left out);
- the 2021-2025 plan of the seed for the national department, a leader to read it;
- at --scale 1.0: 20,000 organisations with addresses (old commune, old district only, new commune,
  or none), 40,000 S&T tasks 2016-2026 (~60% with places of application) with ~80,000 budget lines and
  ~18,000 acceptances, 50,000 results and their registrations, 100,000 applications of results,
  15,000 X-ray facilities, 40,000 devices, 30,000 licences (~60,000 device links), 200,000 one-stop
  dossiers; all with `bulk_create` in batches (status values written directly: acceptable only
  because bench/ is outside opendost/ and its transition scanner, as in bench/dossiers.py).

Then, interleaved A, B, A, B... after a warm-up (median, p95, A/B):

  dashboard selectors  planning.selectors.dashboard(plan, year=2025): every target's actual (21
                       targets, 16 computed from the records, 5 entered by hand)
  dashboard page       GET /planning/<plan>/?year=2025 through the test client as the leader
  by unit page         GET the tasks target by old district (696 districts + other rows)
  unit drill-down      GET the records of the district holding the most tasks (first 500)

against **B**, hand-written SQL computing the same numbers: one query per register with
conditional sums (tasks by level, budget by source, acceptances, registrations, certificates,
applications, licences / facilities / devices in force on 31/12/2025, dossiers received and
finished on time with the Vietnamese date of the finish), the per-district minimum with the
old-to-new mapping written in SQL, the GROUP BY of the tasks by place for the unit page, and the
drill-down's SELECT ... LIMIT 500. B's numbers are checked against A's. The query count of each A is
printed. Exits 1 when a figure differs or a ratio exceeds --max-ratio if given.
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
BENCH_DIR = ROOT / "var" / "bench"
SQLITE_PATH = BENCH_DIR / "planning_dashboard.sqlite3"
VN = dt.timezone(dt.timedelta(hours=7))
BATCH = 5000

SIZES = {  # at --scale 1.0
    "organizations": 20_000,
    "tasks": 40_000,
    "results": 50_000,
    "applications": 100_000,
    "facilities": 15_000,
    "devices": 40_000,
    "licences": 30_000,
    "dossiers": 200_000,
}
WORDS = ["Hồng Đức", "Việt Đức", "An Phú", "Thành Công", "Hưng Thịnh", "Đông Á", "Phúc Lâm", "Kinh Bắc", "Hoà Bình"]
KINDS = ["Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã", "Viện", "Trung tâm", "Bệnh viện Đa khoa"]
TOPICS = ["Ứng dụng công nghệ cao trong sản xuất", "Xây dựng mô hình", "Nghiên cứu chọn tạo giống", "Chuyển giao"]
CROPS = ["vải thiều", "bưởi Diễn", "chè", "lúa chất lượng cao", "gà đồi", "nấm linh chi", "khoai tây"]


# DATABASE -----------------------------------------------------------------------------------------
def throwaway_database(keep: bool):
    """Point DATABASE_URL at a fresh database; return (description, function that drops it)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'opendost'}_planning"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))

        def drop():
            if keep:
                return print(f"kept database {name}")
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"PostgreSQL database {name}", drop
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"

    def drop():
        if keep:
            return print(f"kept {SQLITE_PATH}")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)

    return f"SQLite file {SQLITE_PATH}", drop


# REFERENCE DATA (ORM and services: a few hundred rows) ---------------------------------------------
def setup_reference(today: dt.date) -> dict:
    from django.contrib.auth.models import Group

    from opendost.accounts.models import User
    from opendost.accounts.roles import Role
    from opendost.departments.models import Department
    from opendost.dossiers import services
    from opendost.dossiers.models import Procedure
    from opendost.geography.models import AdminUnit
    from opendost.planning import seed

    def user(username, role, department=None) -> User:
        account = User(username=username, full_name="Nguyễn Văn Đo", department=department)
        account.set_unusable_password()
        account.save()
        account.groups.add(Group.objects.get(name=Role(role).value))
        return account

    national = Department.objects.create(code="bench-national", name="Bộ KH&CN (tổng hợp)", governing_body="BỘ")
    other = Department.objects.create(code="bench-other", name="Sở KH&CN khác", governing_body="UBND")
    old_provinces = list(AdminUnit.objects.filter(code_set="pre2025", level="province").order_by("code"))
    legacy = {
        p.pk: Department.objects.create(
            code=f"bench-p{p.code}",
            name=f"Sở KH&CN {p.name}",
            governing_body="UBND",
            province=p,
            valid_to=dt.date(2025, 6, 30),
            successor=national,
        )
        for p in old_provinces
    }
    admin = user("bench-admin", Role.ADMINISTRATOR)
    leader = user("bench-leader", Role.LEADER, national)
    versions = []
    for n, days in enumerate((10, 5, 15)):
        procedure = Procedure.objects.create(
            code=f"1.00{n}",
            local_code=f"1.00{n}.000.00.00.H10",
            name=f"Thủ tục {n}",
            sector="KH&CN",
            handler_key="generic",
        )
        version = services.procedure_version_draft(
            actor=admin,
            procedure=procedure,
            legal_basis="Nghị định số 142/2020/NĐ-CP",
            effective_from=dt.date(2015, 1, 1),
            deadline_unit="working",
            deadline_count=days,
            required_documents=[{"code": "DON", "name": "Đơn đề nghị", "copy": "original", "required": True}],
            output_name="Giấy phép",
            output_doc_type="GP",
        )
        services.procedure_version_publish(actor=admin, version=version)
        versions.append((version.pk, days))
    plan = seed.load(department=national)
    return {
        "national": national,
        "other": other,
        "legacy": legacy,
        "leader": leader,
        "plan": plan,
        "versions": versions,
    }


class Places:
    """The units records are placed at, drawn at random (seeded)."""

    def __init__(self, rng: random.Random):
        from opendost.geography.models import AdminUnit

        self.rng = rng
        self.old_communes = list(
            AdminUnit.objects.filter(code_set="pre2025", level="commune").values_list("pk", "parent_id", "province_id")
        )
        self.old_districts = list(
            AdminUnit.objects.filter(code_set="pre2025", level="district").values_list("pk", "province_id")
        )
        self.new_communes = list(
            AdminUnit.objects.filter(code_set="2025", level="commune").values_list("pk", "province_id")
        )
        self.old_province_of_new = {}

    def address(self) -> dict:
        """commune / district / province ids of an address: 70% old commune, 10% old district only,
        10% new commune, 10% none."""
        r = self.rng.random()
        if r < 0.7:
            commune, district, province = self.rng.choice(self.old_communes)
            return {"commune_id": commune, "district_id": district, "province_id": province}
        if r < 0.8:
            district, province = self.rng.choice(self.old_districts)
            return {"district_id": district, "province_id": province}
        if r < 0.9:
            commune, province = self.rng.choice(self.new_communes)
            return {"commune_id": commune, "province_id": province}
        return {}

    def place(self) -> int:
        r = self.rng.random()
        if r < 0.75:
            return self.rng.choice(self.old_communes)[0]
        if r < 0.9:
            return self.rng.choice(self.old_districts)[0]
        return self.rng.choice(self.new_communes)[0]


def day_between(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


SECONDS: dict[str, float] = {}  # bulk_create time per table


def bulk(model, objects, counts) -> list:
    started = time.perf_counter()
    model.objects.bulk_create(objects, batch_size=BATCH)
    label = model._meta.label
    counts[label] = counts.get(label, 0) + len(objects)
    SECONDS[label] = SECONDS.get(label, 0.0) + time.perf_counter() - started
    return objects


def generate(ref: dict, scale: float, seed: int, today: dt.date) -> dict:
    """Everything through bulk_create, table by table (ids come back from the database)."""
    from django.db import connection

    from opendost.common.text import fold
    from opendost.dossiers.models import Dossier
    from opendost.projects.models import (
        Acceptance,
        BudgetLine,
        ResultApplication,
        ResultRegistration,
        Task,
        TaskResult,
    )
    from opendost.radiation.models import Device, Facility, Licence
    from opendost.subjects.models import Organization

    if connection.vendor == "sqlite":  # a throwaway file: no fsync, a large page cache for the indexes
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-500000")
    rng = random.Random(seed)
    places = Places(rng)
    size = {k: max(10, int(v * scale)) for k, v in SIZES.items()}
    counts: dict[str, int] = {}
    legacy, national, other = ref["legacy"], ref["national"], ref["other"]

    def department_for(province_id, day: dt.date | None = None):
        r = rng.random()
        if r < 0.1:
            return other.pk
        if province_id and (day is None or day <= dt.date(2025, 6, 30)) and r < 0.95:
            return legacy[_old_province(province_id)].pk if _old_province(province_id) in legacy else national.pk
        return national.pk

    new_to_old = {}

    def _old_province(province_id):
        return new_to_old.get(province_id, province_id)

    from opendost.geography.models import AdminUnitSuccession

    for old_id, new_id in AdminUnitSuccession.objects.filter(old_unit__level="province").values_list(
        "old_unit_id", "new_unit_id"
    ):
        new_to_old.setdefault(new_id, old_id)

    # organisations
    orgs = []
    for n in range(size["organizations"]):
        name = f"{rng.choice(KINDS)} {rng.choice(WORDS)} {n}"
        address = places.address()
        orgs.append(
            Organization(
                department_id=department_for(address.get("province_id")),
                kind=rng.choice(("enterprise", "research", "cooperative")),
                name=name,
                name_folded=fold(name),
                address_line=f"Số {rng.randint(1, 300)} đường Hùng Vương",
                **address,
            )
        )
    bulk(Organization, orgs, counts)
    org_ids = [o.pk for o in orgs]

    # tasks, places, budget, acceptances
    tasks, place_links, lines, acceptances = [], [], [], []
    for n in range(size["tasks"]):
        start = day_between(rng, dt.date(2016, 1, 1), min(today, dt.date(2026, 6, 30)))
        level = rng.choices(("provincial", "national", "grassroots"), (45, 15, 40))[0]
        host = rng.choice(orgs) if rng.random() < 0.9 else None
        cancelled = rng.random() < 0.03
        tasks.append(
            Task(
                department_id=department_for(host.province_id if host else None, start),
                code=f"B.{start.year}.{n:06d}",
                title=f"{rng.choice(TOPICS)} {rng.choice(CROPS)} ({n})",
                level=level,
                regime="2013",
                host=host,
                start_on=start,
                end_on=start + dt.timedelta(days=730),
                status="cancelled" if cancelled else rng.choice(("in_progress", "accepted", "liquidated")),
            )
        )
    bulk(Task, tasks, counts)
    through = Task.places.through
    for task in tasks:
        r = rng.random()
        for _ in range(0 if r < 0.4 else (2 if r > 0.92 else 1)):
            place_links.append(through(task_id=task.pk, adminunit_id=places.place()))
        million = 1_000_000
        lines.append(BudgetLine(task_id=task.pk, source="provincial", amount=rng.randint(200, 2000) * million))
        if task.level == "national":
            lines.append(BudgetLine(task_id=task.pk, source="central", amount=rng.randint(1000, 8000) * million))
        if rng.random() < 0.5:
            lines.append(BudgetLine(task_id=task.pk, source="counterpart", amount=rng.randint(50, 900) * million))
        held = task.start_on + dt.timedelta(days=rng.randint(500, 900))
        if held < today and rng.random() < 0.7:
            acceptances.append(
                Acceptance(
                    task_id=task.pk,
                    level="provincial" if task.level != "national" else "national",
                    held_on=held,
                    classification=rng.choices(("pass", "excellent", "fail"), (80, 10, 10))[0],
                )
            )
    through.objects.bulk_create(place_links, batch_size=BATCH, ignore_conflicts=True)
    counts["projects.Task_places"] = len(place_links)
    bulk(BudgetLine, lines, counts)
    bulk(Acceptance, acceptances, counts)
    accepted = [(a.task_id, a.held_on) for a in acceptances if a.classification != "fail"]
    task_department = {t.pk: t.department_id for t in tasks}

    # results, registrations, applications
    results = []
    for n in range(size["results"]):
        task_id, held = rng.choice(accepted)
        results.append(
            TaskResult(
                department_id=task_department[task_id],
                task_id=task_id,
                title=f"Kết quả {n}",
                abstract="Quy trình kỹ thuật và mô hình trình diễn.",
                year=held.year,
            )
        )
    bulk(TaskResult, results, counts)
    registrations = []
    for result in results:
        received = dt.date(result.year, 1, 1) + dt.timedelta(days=rng.randint(30, 300))
        status = rng.choices(("certified", "stored", "submitted"), (50, 40, 10))[0]
        registrations.append(
            ResultRegistration(
                department_id=result.department_id,
                result_id=result.pk,
                received_on=received,
                due_on=received + dt.timedelta(days=7),
                status=status,
                certificate_number=f"{result.pk}/GCN" if status == "certified" else "",
                certificate_issued_on=received + dt.timedelta(days=5) if status == "certified" else None,
                storage_ref=f"KQ-{result.pk}" if status == "stored" else "",
            )
        )
    bulk(ResultRegistration, registrations, counts)
    applications = []
    for _n in range(size["applications"]):
        result = rng.choice(results)
        r = rng.random()
        place = (
            rng.choice(places.old_communes)[0]
            if r < 0.6
            else (rng.choice(places.new_communes)[0] if r < 0.75 else None)
        )
        applications.append(
            ResultApplication(
                result_id=result.pk,
                place_id=place,
                place_text="" if place else "Trên địa bàn tỉnh",
                scale="Nhân rộng tại 3 hợp tác xã",
                year=rng.randint(result.year, min(result.year + 4, today.year)),
            )
        )
    bulk(ResultApplication, applications, counts)

    # radiation
    facilities = []
    for n in range(size["facilities"]):
        name = f"{rng.choice(KINDS)} {rng.choice(WORDS)} cơ sở {n}"
        address = places.address()
        facilities.append(
            Facility(
                department_id=department_for(address.get("province_id")),
                organization_id=rng.choice(org_ids),
                name=name,
                name_folded=fold(name),
                kind="hospital",
                **address,
            )
        )
    bulk(Facility, facilities, counts)
    devices, by_facility = [], {}
    for n in range(size["devices"]):
        facility = rng.choice(facilities)
        gone = rng.random() < 0.1
        devices.append(
            Device(
                department_id=facility.department_id,
                facility_id=facility.pk,
                device_type="general",
                manufacturer="Shimadzu",
                serial_number=f"SN-{n:07d}",
                status="decommissioned" if gone else "in_use",
                decommissioned_on=day_between(rng, dt.date(2018, 1, 1), today) if gone else None,
            )
        )
    bulk(Device, devices, counts)
    for device in devices:
        by_facility.setdefault(device.facility_id, []).append(device.pk)
    licences, links = [], []
    with_devices = [f for f in facilities if f.pk in by_facility]
    for n in range(size["licences"]):
        facility = rng.choice(with_devices)
        issued = day_between(rng, dt.date(2016, 1, 1), today)
        status = rng.choices(("valid", "superseded", "revoked"), (70, 20, 10))[0]
        licences.append(
            Licence(
                department_id=facility.department_id,
                facility_id=facility.pk,
                number=f"{n}/GP-SKHCN",
                number_folded=f"{n}/gp-skhcn",
                work_scope="Sử dụng thiết bị X-quang chẩn đoán trong y tế",
                issued_on=issued,
                valid_from=issued,
                valid_until=issued + dt.timedelta(days=5 * 365),
                status=status,
                status_changed_on=day_between(rng, issued, today) if status != "valid" else None,
                issuer_name_at_issue="Sở KH&CN",
                facility_name_at_issue=facility.name,
            )
        )
    bulk(Licence, licences, counts)
    link_model = Licence.devices.through
    for licence in licences:
        for device_id in rng.sample(by_facility[licence.facility_id], min(2, len(by_facility[licence.facility_id]))):
            links.append(link_model(licence_id=licence.pk, device_id=device_id))
    link_model.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    counts["radiation.Licence_devices"] = len(links)

    # dossiers, in chunks (the largest table)
    now = dt.datetime.combine(today, dt.time(9), tzinfo=VN)
    versions = ref["versions"]
    total = size["dossiers"]
    for first in range(0, total, 20_000):
        chunk = []
        for n in range(first, min(total, first + 20_000)):
            version_id, days = rng.choice(versions)
            org = rng.choice(orgs) if rng.random() < 0.7 else None
            received = dt.datetime.combine(
                day_between(rng, dt.date(2019, 1, 1), today), dt.time(rng.randint(7, 16), rng.randrange(60)), tzinfo=VN
            )
            age = (today - received.date()).days
            status = rng.choices(
                ("result_returned", "rejected", "withdrawn", "in_review")
                if age > 45
                else ("in_review", "result_returned"),
                (86, 6, 4, 4) if age > 45 else (50, 50),
            )[0]
            due = received.date() + dt.timedelta(days=round(days * 7 / 5))
            finished = None
            if status in ("result_returned", "rejected"):
                finished = min(received + dt.timedelta(days=days * 7 / 5 * rng.choice((0.5, 0.8, 1.0, 1.0, 1.3))), now)
            chunk.append(
                Dossier(
                    department_id=department_for(org.province_id if org else None, received.date()),
                    procedure_version_id=version_id,
                    code=f"D-{n:07d}",
                    status=status,
                    applicant_kind="organization" if org else "individual",
                    applicant_organization=org,
                    applicant_name=org.name if org else "Nguyễn Văn An",
                    submitted_at=received - dt.timedelta(hours=2),
                    received_at=received,
                    clock_start_date=received.date(),
                    due_date=due,
                    finished_at=finished,
                )
            )
        bulk(Dossier, chunk, counts)
    return counts


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# B: THE RAW SQL ------------------------------------------------------------------------------------
def tables() -> dict[str, str]:
    from opendost.departments.models import Department
    from opendost.dossiers.models import Dossier
    from opendost.geography.models import AdminUnit, AdminUnitSuccession
    from opendost.projects.models import (
        Acceptance,
        BudgetLine,
        ResultApplication,
        ResultRegistration,
        Task,
        TaskResult,
    )
    from opendost.radiation.models import Device, Licence
    from opendost.subjects.models import Organization

    models = {
        "task": Task,
        "places": Task.places.through,
        "budget": BudgetLine,
        "acc": Acceptance,
        "reg": ResultRegistration,
        "res": TaskResult,
        "app": ResultApplication,
        "lic": Licence,
        "licdev": Licence.devices.through,
        "dev": Device,
        "dos": Dossier,
        "org": Organization,
        "unit": AdminUnit,
        "succ": AdminUnitSuccession,
        "dept": Department,
    }
    return {k: m._meta.db_table for k, m in models.items()}


def started_sql(departments: int) -> str:
    """Provincial and national tasks of the departments started in the period, not cancelled (alias t)."""
    ins = ", ".join(["%s"] * departments)
    return (
        f"t.department_id IN ({ins}) AND t.start_on >= %s AND t.start_on <= %s AND t.status <> 'cancelled' "
        "AND t.level IN ('provincial', 'national')"
    )


# The new communes whose old communes all lay in one old district, with that district.
NEW_TO_DISTRICT_SQL = """new_to_district AS (
    SELECT s.new_unit_id AS id, MIN(o.parent_id) AS district_id FROM {succ} s JOIN {unit} o ON o.id = s.old_unit_id
    WHERE o.level = 'commune' GROUP BY s.new_unit_id HAVING COUNT(DISTINCT o.parent_id) = 1)"""


def task_place_sql(t: dict, alias: str = "t") -> str:
    """A task's place in SQL: the first place of application (finest level, lowest code), else its host's."""
    return f"""COALESCE(
        (SELECT p.adminunit_id FROM {t["places"]} p JOIN {t["unit"]} u ON u.id = p.adminunit_id
          WHERE p.task_id = {alias}.id ORDER BY u.level, u.code, u.id LIMIT 1),
        h.commune_id, h.district_id, h.province_id)"""


def raw_queries(t: dict, vendor: str, dept_ids: list[int], period: tuple, day: dt.date) -> dict[str, tuple]:
    """name -> (sql, params): the numbers of the dashboard, register by register."""
    date_from, date_to = period
    ins = ", ".join(["%s"] * len(dept_ids))
    d = list(dept_ids)

    def ts(value: dt.date):
        moment = dt.datetime.combine(value, dt.time(), tzinfo=VN)
        return str(moment.astimezone(dt.UTC).replace(tzinfo=None)) if vendor == "sqlite" else moment

    def day_(value: dt.date):
        return value.isoformat() if vendor == "sqlite" else value

    finished_day = (
        "date(finished_at, '+7 hours')"
        if vendor == "sqlite"
        else "(finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    )
    started = started_sql(len(dept_ids))
    in_force = (
        f"l.department_id IN ({ins}) AND l.issued_on <= %s AND l.valid_until >= %s "
        "AND (l.status = 'valid' OR l.status_changed_on > %s)"
    )
    p = [day_(date_from), day_(date_to)]
    lic = [*d, day_(day), day_(day), day_(day)]
    # The per-district minimum: each task's place mapped to an old district in SQL (a commune's
    # district, a district itself, a new commune whose old communes all lay in one district), counted
    # over the districts of the departments' old provinces.
    district_of = """CASE
        WHEN pu.code_set = 'pre2025' AND pu.level = 'commune' THEN pu.parent_id
        WHEN pu.code_set = 'pre2025' AND pu.level = 'district' THEN pu.id
        ELSE m.district_id END"""
    return {
        "tasks by level": (
            f"SELECT t.level, COUNT(*) FROM {t['task']} t WHERE {started} GROUP BY t.level",
            [*d, *p],
        ),
        "budget by source": (
            f"""SELECT b.source, SUM(b.amount) FROM {t["budget"]} b
                WHERE b.task_id IN (SELECT t.id FROM {t["task"]} t WHERE {started}) GROUP BY b.source""",
            [*d, *p],
        ),
        "accepted": (
            f"""SELECT COUNT(DISTINCT a.task_id) FROM {t["acc"]} a JOIN {t["task"]} x ON x.id = a.task_id
                WHERE x.department_id IN ({ins}) AND a.held_on >= %s AND a.held_on <= %s
                  AND a.classification IN ('pass', 'excellent')""",
            [*d, *p],
        ),
        "registered, certified": (
            f"""SELECT SUM(CASE WHEN status IN ('certified', 'stored') AND received_on >= %s AND received_on <= %s
                                THEN 1 ELSE 0 END),
                       SUM(CASE WHEN status = 'certified' AND certificate_issued_on >= %s
                                 AND certificate_issued_on <= %s THEN 1 ELSE 0 END)
                FROM {t["reg"]} WHERE department_id IN ({ins})""",
            [*p, *p, *d],
        ),
        "applied": (
            f"""SELECT COUNT(*) FROM {t["app"]} a JOIN {t["res"]} r ON r.id = a.result_id
                WHERE r.department_id IN ({ins}) AND a.year >= %s AND a.year <= %s""",
            [*d, date_from.year, date_to.year],
        ),
        "licences, facilities": (
            f"SELECT COUNT(*), COUNT(DISTINCT l.facility_id) FROM {t['lic']} l WHERE {in_force}",
            lic,
        ),
        "devices": (
            f"""SELECT COUNT(DISTINCT ld.device_id) FROM {t["licdev"]} ld
                JOIN {t["lic"]} l ON l.id = ld.licence_id JOIN {t["dev"]} v ON v.id = ld.device_id
                WHERE {in_force} AND (v.decommissioned_on IS NULL OR v.decommissioned_on > %s)""",
            [*lic, day_(day)],
        ),
        "dossiers, on time": (
            f"""SELECT COUNT(*),
                       SUM(CASE WHEN due_date IS NOT NULL AND finished_at IS NOT NULL
                                 AND {finished_day} <= due_date THEN 1 ELSE 0 END),
                       SUM(CASE WHEN due_date IS NOT NULL AND finished_at IS NOT NULL THEN 1 ELSE 0 END)
                FROM {t["dos"]} WHERE department_id IN ({ins}) AND received_at >= %s AND received_at < %s
                  AND status NOT IN ('draft', 'withdrawn')""",
            [*d, ts(date_from), ts(date_to + dt.timedelta(days=1))],
        ),
        "fewest per district": (
            f"""WITH placed AS MATERIALIZED (
                    SELECT {task_place_sql(t)} AS place FROM {t["task"]} t LEFT JOIN {t["org"]} h ON h.id = t.host_id
                    WHERE {started}
                ), {NEW_TO_DISTRICT_SQL.format(**t)}
                SELECT MIN(COALESCE(n.tasks, 0)) FROM {t["unit"]} dist
                LEFT JOIN (
                    SELECT {district_of} AS district_id, COUNT(*) AS tasks FROM placed x
                    JOIN {t["unit"]} pu ON pu.id = x.place LEFT JOIN new_to_district m ON m.id = pu.id
                    GROUP BY 1
                ) n ON n.district_id = dist.id
                WHERE dist.code_set = 'pre2025' AND dist.level = 'district' AND dist.province_id IN (
                    SELECT province_id FROM {t["dept"]} WHERE id IN ({ins}) AND province_id IS NOT NULL)""",
            [*d, *p, *d],
        ),
    }


def raw_numbers(results: dict[str, list]) -> dict[str, float]:
    """B's rows as the dashboard's figures (target code -> number)."""
    by_level = dict(results["tasks by level"])
    budget = dict(results["budget by source"])
    registered, certified = results["registered, certified"][0]
    _licences, facilities = results["licences, facilities"][0]
    received, good, finished = results["dossiers, on time"][0]
    million = 1_000_000
    return {
        "tasks": by_level.get("provincial", 0) + by_level.get("national", 0),
        "tasks-provincial": by_level.get("provincial", 0),
        "tasks-national": by_level.get("national", 0),
        "tasks-per-district": results["fewest per district"][0][0],
        "tasks-accepted": results["accepted"][0][0],
        "results-registered": registered or 0,
        "certificates": certified or 0,
        "results-applied": results["applied"][0][0],
        "funding-total": sum(budget.values()) / million,
        "funding-central": budget.get("central", 0) / million,
        "funding-provincial": budget.get("provincial", 0) / million,
        "funding-counterpart": budget.get("counterpart", 0) / million,
        "xray-facilities": facilities,
        "xray-devices": results["devices"][0][0],
        "dossiers": received,
        "dossiers-on-time": (Decimal(100 * good) / Decimal(finished)).quantize(Decimal("0.1")) if finished else None,
    }


def run_raw(queries: dict[str, tuple]) -> dict[str, list]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for name, (sql, params) in queries.items():
            cursor.execute(sql, params)
            out[name] = cursor.fetchall()
    return out


# MEASURING ----------------------------------------------------------------------------------------
def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()} x {os.cpu_count()}"
    except OSError:
        pass
    return "unknown"


def build_cases(ref: dict, today: dt.date) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from opendost.planning import indicators, selectors, units

    plan, leader = ref["plan"], ref["leader"]
    client = Client()
    client.force_login(leader)
    t = tables()
    vendor = connection.vendor
    dept_ids = selectors.department_ids_of(plan)
    period = (dt.date(2021, 1, 1), dt.date(2025, 12, 31))
    day = min(period[1], today)
    queries = raw_queries(t, vendor, dept_ids, period, day)
    tasks_target = plan.targets.get(code="tasks")
    board = units.breakdown(
        indicators.get("tasks_started"),
        department_ids=dept_ids,
        level=units.LEVELS["pre2025-district"],
        period=units.period_of(2021, 2025),
    )
    busiest = max(board.area_rows, key=lambda r: r.value)
    started = started_sql(len(dept_ids))
    p = [period[0].isoformat(), period[1].isoformat()] if vendor == "sqlite" else list(period)
    by_place = (
        f"""SELECT {task_place_sql(t)} AS place, COUNT(*) FROM {t["task"]} t LEFT JOIN {t["org"]} h ON h.id = t.host_id
            WHERE {started} GROUP BY 1""",
        [*dept_ids, *p],
    )
    drill = (
        f"""WITH {NEW_TO_DISTRICT_SQL.format(**t)},
            in_district AS (
                SELECT id FROM {t["unit"]} WHERE id = %s OR parent_id = %s
                UNION SELECT id FROM new_to_district WHERE district_id = %s),
            placed AS MATERIALIZED (
                SELECT t.id, t.code, t.title, t.start_on, t.public_id, {task_place_sql(t)} AS place
                FROM {t["task"]} t LEFT JOIN {t["org"]} h ON h.id = t.host_id WHERE {started})
            SELECT code, title, start_on, public_id FROM placed
            WHERE place IN (SELECT id FROM in_district) ORDER BY start_on, code, id LIMIT 500""",
        [*([busiest.unit.pk] * 3), *dept_ids, *p],
    )

    def dashboard_numbers():
        return {
            r.target.code: (float(r.actual) if r.actual is not None else None)
            for r in selectors.dashboard(plan, year=2025).rows
        }

    def check_dashboard(_a, b_rows):
        mine = dashboard_numbers()
        raw = raw_numbers(b_rows)
        differ = {k: (mine.get(k), v) for k, v in raw.items() if mine.get(k) != (float(v) if v is not None else None)}
        return not differ, differ

    def check_units(response, rows):
        total = sum(n for _place, n in rows)
        ok = response.status_code == 200 and board.total.number == total and board.adds_up
        return ok, {} if ok else {"total": (board.total.number, total)}

    def check_drill(response, rows):
        html = response.content.decode()
        ok = response.status_code == 200 and all(str(title) in html for _c, title, _d, _p in rows)
        return ok, {} if ok else {"rows": len(rows)}

    dash_url = reverse("planning:plan_dashboard", args=[plan.public_id]) + "?year=2025"
    unit_url = reverse("planning:target_units", args=[tasks_target.public_id]) + "?level=pre2025-district&year=2025"
    drill_url = (
        reverse("planning:target_unit_records", args=[tasks_target.public_id])
        + f"?level=pre2025-district&year=2025&row={busiest.slug}"
    )
    return [
        {
            "name": "dashboard selectors",
            "a": lambda: selectors.dashboard(plan, year=2025),
            "b": lambda: run_raw(queries),
            "check": check_dashboard,
        },
        {
            "name": "dashboard page",
            "a": lambda: client.get(dash_url),
            "b": lambda: run_raw(queries),
            "check": check_dashboard,
        },
        {
            "name": "by unit page",
            "a": lambda: client.get(unit_url),
            "b": lambda: run_raw({"by place": by_place})["by place"],
            "check": check_units,
        },
        {
            "name": "unit drill-down",
            "a": lambda: client.get(drill_url),
            "b": lambda: run_raw({"drill": drill})["drill"],
            "check": check_drill,
            "note": f"{busiest.label}: {busiest.value} tasks",
        },
    ]


def measure(cases: list[dict], repeat: int, warmup: int) -> dict:
    results = {}
    for case in cases:
        for _ in range(warmup):
            case["a"]()
            case["b"]()
        queries = count_queries(case["a"])
        a_ms, b_ms = [], []
        for _ in range(repeat):
            ta, response = timed(case["a"])
            tb, rows = timed(case["b"])
            a_ms.append(ta)
            b_ms.append(tb)
        same, differ = case["check"](response, rows)
        results[case["name"]] = {"a": a_ms, "b": b_ms, "queries": queries, "same": same, "differ": differ}
        print(f"  measured {case['name']}{(' (' + case['note'] + ')') if case.get('note') else ''}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every table size (1.0: see SIZES)")
    parser.add_argument("--repeat", type=int, default=9, help="interleaved A/B runs per case")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--max-ratio", type=float, default=None, help="also exit 1 when a case's A/B p50 exceeds it")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    args = parser.parse_args()

    where, drop = throwaway_database(args.keep)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    failures = []
    try:
        print(f"database: {where} ({connection.vendor})")
        print(f"cpu:      {cpu_model()}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate:  {time.perf_counter() - started:.1f} s (with the administrative units)")
        today = timezone.localdate()
        ref = setup_reference(today)
        started = time.perf_counter()
        counts = generate(ref, args.scale, args.seed, today)
        analyze()
        generated = time.perf_counter() - started
        print(f"generate: {sum(counts.values()):,} rows in {generated:.1f} s (bulk_create, batches of {BATCH})")
        for label, n in counts.items():
            insert = f"  inserted in {SECONDS[label]:.1f} s" if label in SECONDS else ""
            print(f"          {label:32} {n:>9,}{insert}")
        cases = build_cases(ref, today)
        results = measure(cases, args.repeat, args.warmup)
    finally:
        connections.close_all()
        drop()

    print(f"\n{args.repeat} interleaved runs per case after {args.warmup} warm-up (ms; A = OpenDOST, B = raw SQL)")
    print(f"{'case':22} {'A p50':>9} {'A p95':>9} {'B p50':>9} {'B p95':>9} {'A/B':>7} {'queries':>8}  figures")
    figures = {}
    for name, r in results.items():
        a50, b50 = statistics.median(r["a"]), statistics.median(r["b"])
        ratio = a50 / b50
        print(
            f"{name:22} {a50:9.1f} {percentile(r['a'], 95):9.1f} {b50:9.1f} {percentile(r['b'], 95):9.1f}"
            f" {ratio:7.2f} {r['queries']:>8}  {'same' if r['same'] else 'DIFFER ' + str(r['differ'])}"
        )
        figures[name] = {
            "a_p50_ms": a50,
            "a_p95_ms": percentile(r["a"], 95),
            "b_p50_ms": b50,
            "b_p95_ms": percentile(r["b"], 95),
            "ratio_p50": ratio,
            "queries": r["queries"],
            "same": r["same"],
        }
        if not r["same"]:
            failures.append(f"{name}: the raw SQL gives other figures: {r['differ']}")
        if args.max_ratio is not None and ratio > args.max_ratio:
            failures.append(f"{name}: A/B {ratio:.2f} > {args.max_ratio}")
    if args.json:
        args.json.write_text(
            json.dumps({"database": where, "cpu": cpu_model(), "rows": counts, "cases": figures}, indent=2),
            encoding="utf-8",
        )
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
