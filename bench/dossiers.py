"""One-stop dossier pages at national size: each real page against the raw SQL of the same rows.

    ./dev bench dossiers [--rows 200000] [--repeat 15] [--json out.json] [--keep]

Builds a throwaway database (SQLite file var/bench/dossiers.sqlite3, or, when DATABASE_URL points at
PostgreSQL, a separate database "<name>_dossiers" that is dropped at the end), migrates it, creates
3 departments with units and staff and 5 published procedures through the services, then bulk-loads
`--rows` dossiers received over the last 3 years (mixed statuses, officers and units assigned, codes,
due dates, finish dates early / on time / late) with their status-change log and open supplement
requests. The load is raw bulk INSERT (SQLite executemany) / COPY (PostgreSQL) straight into the
tables, status values included: that is acceptable here only because bench/ is outside opendost/
(the "status only through transition_apply" rule and its scanner cover the application code) and
because going through the services would take hours at this size. Due dates are calendar
approximations of the working-day deadline: the pages read them, they do not recompute them.

Then, each page through the Django test client (the real view: middleware, session, permission and
scope, selectors, templates) as A, and the hand-written raw SQL that fetches the same rows as B,
interleaved A, B, A, B... after a warm-up; median and p95 of each and the A/B ratio:

  list p1        /dossiers/list/ as an officer (first page, 25 rows)
  list deep      /dossiers/list/?procedure=..&page=200 (offset 4,975 within one procedure)
  worklist       /dossiers/ as an officer (to handle) and as a desk officer (intake, to assign, to return)
  stats proc     /dossiers/statistics/ for last year grouped by procedure  vs one GROUP BY with CASEs
  stats unit     the same grouped by handling unit
  lookup         /lookup/?code=.. anonymously (status, procedure, timeline, missing documents)

B's rows are checked against A's page (every code of B appears in A's HTML, in the same order; the
statistics figures against selectors.statistics), so the two sides do the same work. The number of
queries of each page is measured once on the first 1% of the rows and again on all of them: it
must not change with the data (no N+1; pages without COUNT). The query plan of each B query is
printed so a full scan shows. Exits 1 when a query count grows, B's rows differ from the page's,
a list page's p95 exceeds 250 ms (P1's national guard), or a ratio exceeds --max-ratio if given.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
BENCH_DIR = ROOT / "var" / "bench"
SQLITE_PATH = BENCH_DIR / "dossiers.sqlite3"
VN = dt.timezone(dt.timedelta(hours=7))  # Asia/Ho_Chi_Minh has no daylight saving time

DEPARTMENTS = [  # code, name, share of the dossiers
    ("bn", "Sở Khoa học và Công nghệ tỉnh Bắc Ninh", 0.5),
    ("hn", "Sở Khoa học và Công nghệ thành phố Hà Nội", 0.3),
    ("dn", "Sở Khoa học và Công nghệ thành phố Đà Nẵng", 0.2),
]
UNITS = [
    ("qlcn", "Phòng Quản lý công nghệ và Chuyên ngành"),
    ("atbx", "Phòng An toàn bức xạ và Hạt nhân"),
    ("tdc", "Chi cục Tiêu chuẩn Đo lường Chất lượng"),
    ("khtc", "Phòng Kế hoạch - Tài chính"),
]
PROCEDURES = [  # code, name, sector, working days, share
    (
        "1.000395",
        "Cấp giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong y tế",
        "An toàn bức xạ và hạt nhân",
        10,
        0.35,
    ),
    ("1.000480", "Cấp chứng chỉ nhân viên bức xạ", "An toàn bức xạ và hạt nhân", 5, 0.25),
    (
        "2.001266",
        "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
        "Hoạt động khoa học và công nghệ",
        15,
        0.2,
    ),
    ("1.002260", "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ", "Hoạt động khoa học và công nghệ", 7, 0.12),
    (
        "2.000131",
        "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
        "Hoạt động khoa học và công nghệ",
        5,
        0.08,
    ),
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Đức", "Ngọc", "Quang", "Thu", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Việt",
    "Yến",
    "Đạt",
    "Ánh",
]
ORG_KINDS = ["Bệnh viện Đa khoa", "Phòng khám Đa khoa", "Công ty TNHH", "Công ty Cổ phần", "Viện", "Trung tâm Y tế"]
ORG_WORDS = [
    "Hồng Đức",
    "Việt Đức",
    "An Phú",
    "Thành Công",
    "Hưng Thịnh",
    "Đông Á",
    "Phúc Lâm",
    "Sài Gòn",
    "Kinh Bắc",
    "Hoà Bình",
    "Thuỷ Nguyên",
    "Quang Minh",
    "Trường An",
    "Nam Việt",
    "Tân Phát",
]
STREETS = ["Trần Hưng Đạo", "Lê Lợi", "Nguyễn Trãi", "Điện Biên Phủ", "Hùng Vương", "Lý Thái Tổ"]
FINISHED = ("rejected", "result_issued", "result_returned", "withdrawn")
OFFICERS_PER_DEPARTMENT = 12


# DATABASE -----------------------------------------------------------------------------------------
def throwaway_database(keep: bool):
    """Point DATABASE_URL at a fresh database; return (description, function that drops it)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'opendost'}_dossiers"
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


# REFERENCE DATA (through the ORM and the services: a few dozen rows) --------------------------------
def setup_reference(today: dt.date) -> dict:
    from django.contrib.auth.models import Group

    from opendost.accounts.models import User
    from opendost.accounts.roles import Role
    from opendost.departments.models import Department, Unit
    from opendost.dossiers import services
    from opendost.dossiers.models import Procedure

    rng = random.Random(7)

    def person() -> str:
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    def user(username, role, department=None, unit=None) -> User:
        account = User(username=username, full_name=person(), department=department, unit=unit)
        account.set_unusable_password()
        account.save()
        account.groups.add(Group.objects.get(name=Role(role).value))
        return account

    admin = user("bench-admin", Role.ADMINISTRATOR)
    departments = []
    for code, name, share in DEPARTMENTS:
        department = Department.objects.create(code=f"bench-{code}", name=name, governing_body="UBND TỈNH")
        units = [Unit.objects.create(department=department, code=c, name=n) for c, n in UNITS]
        officers = [
            user(f"{code}-officer-{i}", Role.OFFICER, department, units[i % len(units)])
            for i in range(OFFICERS_PER_DEPARTMENT)
        ]
        departments.append(
            {
                "obj": department,
                "share": share,
                "prefix": department.code.upper(),
                "officers": [(o.pk, o.unit_id) for o in officers],
                "officer": officers[0],
                "desk": user(f"{code}-desk", Role.DESK_OFFICER, department, units[0]),
                "leader": user(f"{code}-leader", Role.LEADER, department),
            }
        )
    versions = []
    for code, name, sector, days, share in PROCEDURES:
        procedure = Procedure.objects.create(
            code=code, local_code=f"{code}.000.00.00.H10", name=name, sector=sector, handler_key="generic"
        )
        version = services.procedure_version_draft(
            actor=admin,
            procedure=procedure,
            legal_basis="Nghị định số 142/2020/NĐ-CP ngày 09 tháng 12 năm 2020 của Chính phủ",
            effective_from=today.replace(year=today.year - 4),
            deadline_unit="working",
            deadline_count=days,
            required_documents=[{"code": "DON", "name": "Đơn đề nghị", "copy": "original", "required": True}],
            output_name="Giấy phép",
            output_doc_type="GP",
        )
        services.procedure_version_publish(actor=admin, version=version)
        versions.append({"id": version.pk, "procedure": procedure, "days": days, "share": share})
    return {"departments": departments, "versions": versions, "admin": admin}


# BULK DATA ----------------------------------------------------------------------------------------
def generate(rows: int, ref: dict, now: dt.datetime, seed: int):
    """Dossier rows (dicts keyed by column), their status-change logs and open supplement requests."""
    rng = random.Random(seed)
    today = now.astimezone(VN).date()
    span = 3 * 365 * 24 * 3600
    departments, versions = ref["departments"], ref["versions"]
    dept_weights = [d["share"] for d in departments]
    version_weights = [v["share"] for v in versions]
    counters: dict[tuple[str, int], int] = {}
    dossiers, logs, supplements = [], [], []
    for pk in range(1, rows + 1):
        department = rng.choices(departments, dept_weights)[0]
        version = rng.choices(versions, version_weights)[0]
        # Sorted by submission time would be unrealistic for the ids; random times, ids in load order.
        local = (now - dt.timedelta(seconds=rng.randrange(span))).astimezone(VN)
        local = local.replace(hour=rng.randint(7, 16), minute=rng.randrange(60))
        if local > now:
            local -= dt.timedelta(days=1)
        submitted = local.astimezone(dt.UTC)
        age = (today - local.date()).days
        status = _status(rng, age)
        organization = rng.random() < 0.7
        name = (
            f"{rng.choice(ORG_KINDS)} {rng.choice(ORG_WORDS)}"
            if organization
            else f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        )
        row = {
            "id": pk,
            "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "created_at": submitted,
            "updated_at": submitted,
            "version": 1,
            "department_id": department["obj"].pk,
            "procedure_version_id": version["id"],
            "code": "",
            "status": status,
            "channel": rng.choice(("online", "online", "online", "counter", "post")),
            "applicant_kind": "organization" if organization else "individual",
            "applicant_name": name,
            "applicant_address": f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}",
            "applicant_phone": f"09{rng.randrange(10**8):08d}",
            "applicant_email": "",
            "payload": "{}",
            "note": "",
            "recommendation": "",
            "recommendation_note": "",
            "decision_reason": "",
        }
        dossiers.append(row)
        if status == "draft":
            row["created_at"] = row["updated_at"] = submitted
            continue
        year = local.year
        counters[(department["prefix"], year)] = number = counters.get((department["prefix"], year), 0) + 1
        row["code"] = f"{department['prefix']}-{local:%y%m%d}-{number:06d}"
        row["submitted_at"] = submitted
        row["intake_due_date"] = local.date() + dt.timedelta(days=2)
        log = [("submit", "draft", "submitted", submitted)]
        if status in ("submitted", "returned", "refused_at_intake"):
            if status != "submitted":
                log.append((_INTAKE[status], "submitted", status, submitted + dt.timedelta(hours=20)))
            logs.append((pk, log))
            continue
        received = submitted + dt.timedelta(hours=rng.randint(1, 40))
        received_local = received.astimezone(VN).date()
        deadline = dt.timedelta(days=round(version["days"] * 7 / 5))  # working days, roughly
        row.update(received_at=received, clock_start_date=received_local, due_date=received_local + deadline)
        log.append(("receive", "submitted", "received", received))
        if status not in ("received", "withdrawn") or rng.random() < 0.5:
            officer_id, unit_id = rng.choice(department["officers"])
            row.update(assigned_officer_id=officer_id, assigned_unit_id=unit_id)
        if status in ("rejected", "result_issued", "result_returned"):
            # 25% late, the rest early or on time (plan indicator: share finished on time)
            factor = rng.choice((0.5, 0.7, 0.9, 1.0, 1.0, 1.0, 1.3, 1.6))
            finished = received + deadline * factor
            if finished > now:
                finished = now - dt.timedelta(hours=1)
            row["finished_at"] = finished
            row["updated_at"] = finished
            if status == "result_returned":
                row["returned_at"] = min(finished + dt.timedelta(days=rng.randint(0, 5)), now)
            log.append((_LAST[status], "decision_pending", status, finished))
        elif status != "received":
            moment = min(received + dt.timedelta(days=rng.randint(1, 10)), now)
            log.append((_LAST[status], "received", status, moment))
            if status == "supplement_requested":
                supplements.append((pk, moment, row.get("assigned_officer_id") or department["officers"][0][0]))
        logs.append((pk, log))
    return dossiers, logs, supplements


_INTAKE = {"returned": "return_for_completion", "refused_at_intake": "refuse_intake"}
_LAST = {
    "rejected": "reject",
    "result_issued": "issue_result",
    "result_returned": "return_result",
    "withdrawn": "withdraw",
    "in_review": "assign",
    "supplement_requested": "request_supplement",
    "decision_pending": "propose",
    "approved": "approve",
}


def _status(rng: random.Random, age_days: int) -> str:
    """Old dossiers are finished; the last weeks hold the open ones."""
    if age_days > 45:
        states = ("result_returned", "result_issued", "rejected", "withdrawn", "refused_at_intake", "returned")
        return rng.choices(states, (86, 3, 4, 3, 2, 2))[0]
    states = (
        "draft",
        "submitted",
        "received",
        "in_review",
        "supplement_requested",
        "decision_pending",
        "approved",
        "result_issued",
        "result_returned",
        "rejected",
    )
    return rng.choices(states, (3, 6, 10, 25, 6, 8, 4, 10, 25, 3))[0]


def insert(model, rows: list[dict]) -> None:
    """Raw bulk insert of dicts keyed by column: executemany (SQLite) or COPY (PostgreSQL)."""
    from django.db import connection, transaction

    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.column not in rows[0])]
    columns = [f.column for f in fields]
    defaults = {f.column: (None if f.null else f.get_default()) for f in fields}
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([row.get(c, defaults[c]) for c in columns])
        return
    adapt = _sqlite_value
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
    values = [tuple(adapt(row.get(c, defaults[c])) for c in columns) for row in rows]
    with transaction.atomic():
        connection.connection.executemany(sql, values)


def _sqlite_value(value):
    """As Django's SQLite backend stores them: UUID hex, naive UTC datetimes, ISO dates."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.datetime):
        return str(value.astimezone(dt.UTC).replace(tzinfo=None))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def load(dossiers, logs, supplements, admin) -> int:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from opendost.dossiers.models import Dossier, SupplementRequest
    from opendost.workflow.models import TransitionLog

    content_type = ContentType.objects.get_for_model(Dossier).pk
    insert(Dossier, dossiers)
    log_rows = []
    for pk, entries in logs:
        for name, before, after, at in entries:
            log_rows.append(
                {
                    "content_type_id": content_type,
                    "object_id": str(pk),
                    "name": name,
                    "from_state": before,
                    "to_state": after,
                    "actor_id": admin.pk,
                    "at": at,
                    "note": "",
                }
            )
    insert(TransitionLog, log_rows)
    insert(
        SupplementRequest,
        [
            {
                "created_at": at,
                "updated_at": at,
                "dossier_id": pk,
                "requested_at": at,
                "requested_by_id": officer,
                "items": "Bổ sung bản sao giấy chứng nhận đăng ký doanh nghiệp có chứng thực.",
                "applicant_note": "",
                "pauses_clock": True,
            }
            for pk, at, officer in supplements
        ],
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (Dossier, TransitionLog, SupplementRequest):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return len(log_rows)


# THE PAGES AND THEIR RAW SQL ----------------------------------------------------------------------
class Case:
    """A page (A: a client GET) and the raw SQL that fetches the same rows (B: a list of queries)."""

    def __init__(self, name, client, url, queries, check):
        self.name, self.client, self.url, self.queries, self.check = name, client, url, queries, check

    def a(self):
        response = self.client.get(self.url())
        if response.status_code != 200:
            raise SystemExit(f"{self.name}: {self.url()} answered {response.status_code}")
        return response

    def b(self):
        from django.db import connection

        out = []
        with connection.cursor() as cursor:
            for sql, params in self.queries():
                cursor.execute(sql, params)
                out.append(cursor.fetchall())
        return out


def tables():
    from opendost.accounts.models import User
    from opendost.departments.models import Unit
    from opendost.dossiers.models import Dossier, Procedure, ProcedureVersion, SupplementRequest
    from opendost.workflow.models import TransitionLog

    return {
        "d": Dossier._meta.db_table,
        "v": ProcedureVersion._meta.db_table,
        "p": Procedure._meta.db_table,
        "u": Unit._meta.db_table,
        "o": User._meta.db_table,
        "s": SupplementRequest._meta.db_table,
        "t": TransitionLog._meta.db_table,
    }


def list_sql(t, *, procedure_filter: bool) -> str:
    return f"""
        SELECT d.code, d.public_id, p.name, d.applicant_name, d.status, d.submitted_at, d.due_date,
               d.rescheduled_due_date, un.name, o.full_name, o.username
        FROM {t["d"]} d
        JOIN {t["v"]} v ON v.id = d.procedure_version_id
        JOIN {t["p"]} p ON p.id = v.procedure_id
        LEFT JOIN {t["u"]} un ON un.id = d.assigned_unit_id
        LEFT JOIN {t["o"]} o ON o.id = d.assigned_officer_id
        WHERE d.department_id = %s AND d.status <> 'draft' {"AND v.procedure_id = %s" if procedure_filter else ""}
        ORDER BY d.submitted_at DESC, d.id DESC LIMIT 26 OFFSET %s"""


def worklist_sql(t, where: str, order: str) -> str:
    return f"""
        SELECT d.code, d.public_id, p.name, d.applicant_name, d.status, d.due_date, d.rescheduled_due_date,
               o.full_name, o.username, {order}
        FROM {t["d"]} d
        JOIN {t["v"]} v ON v.id = d.procedure_version_id
        JOIN {t["p"]} p ON p.id = v.procedure_id
        LEFT JOIN {t["o"]} o ON o.id = d.assigned_officer_id
        WHERE d.department_id = %s AND d.status <> 'draft' AND {where}
        ORDER BY {order} LIMIT 50"""


def stats_sql(t, vendor: str, group: str) -> str:
    finished_day = (
        "date(d.finished_at, '+7 hours')"
        if vendor == "sqlite"
        else "(d.finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    )
    key, label, join = {
        "procedure": (
            "p.local_code",
            "p.name",
            f"JOIN {t['v']} v ON v.id = d.procedure_version_id JOIN {t['p']} p ON p.id = v.procedure_id",
        ),
        "unit": ("un.code", "un.name", f"LEFT JOIN {t['u']} un ON un.id = d.assigned_unit_id"),
    }[group]
    done = "d.due_date IS NOT NULL AND d.finished_at IS NOT NULL"
    overdue = "d.due_date IS NOT NULL AND d.finished_at IS NULL AND d.due_date < %s"
    return f"""
        SELECT {key}, {label}, COUNT(*),
               SUM(CASE WHEN {done} AND {finished_day} < d.due_date THEN 1 ELSE 0 END),
               SUM(CASE WHEN {done} AND {finished_day} = d.due_date THEN 1 ELSE 0 END),
               SUM(CASE WHEN {done} AND {finished_day} > d.due_date THEN 1 ELSE 0 END),
               SUM(CASE WHEN NOT ({done}) AND NOT ({overdue})
                         AND d.status NOT IN ('rejected', 'result_issued', 'result_returned', 'withdrawn')
                        THEN 1 ELSE 0 END),
               SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END)
        FROM {t["d"]} d {join}
        WHERE d.department_id = %s AND d.status NOT IN ('draft', 'withdrawn')
          AND d.received_at >= %s AND d.received_at < %s
        GROUP BY {key}, {label}"""


def lookup_sql(t) -> list[str]:
    return [
        f"""SELECT d.id, d.code, p.name, d.status, d.received_at, d.due_date, d.rescheduled_due_date,
                   d.finished_at, d.returned_at
            FROM {t["d"]} d JOIN {t["v"]} v ON v.id = d.procedure_version_id JOIN {t["p"]} p ON p.id = v.procedure_id
            WHERE d.code = %s AND NOT (d.code = '') AND d.status <> 'draft'""",
        f"""SELECT name, at FROM {t["t"]} WHERE content_type_id = %s AND object_id = %s ORDER BY at, id""",
        f"""SELECT items FROM {t["s"]} WHERE dossier_id = %s AND resumed_at IS NULL
            ORDER BY requested_at DESC LIMIT 1""",
    ]


def codes_in_order(html: str, codes: list[str]) -> bool:
    positions = [html.find(f">{code}<") for code in codes]
    return all(p >= 0 for p in positions) and positions == sorted(positions)


def build_cases(ref: dict, now: dt.datetime, seed: int) -> list[Case]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from opendost.dossiers.models import Dossier

    t = tables()
    vendor = connection.vendor
    main = ref["departments"][0]
    dept = main["obj"].pk
    officer, desk = main["officer"], main["desk"]
    officer_client, desk_client, public = Client(), Client(), Client()
    officer_client.force_login(officer)
    desk_client.force_login(desk)
    procedure = ref["versions"][0]["procedure"]
    list_url = reverse("dossiers:list")
    today = now.astimezone(VN).date()
    year = today.year - 1
    start = dt.datetime(year, 1, 1, tzinfo=VN)
    end = dt.datetime(year + 1, 1, 1, tzinfo=VN)

    def ts(value):  # a datetime parameter as the backend stores it
        return _sqlite_value(value) if vendor == "sqlite" else value

    def day(value):
        return value.isoformat() if vendor == "sqlite" else value

    def list_check(response, results):
        return codes_in_order(response.content.decode(), [r[0] for r in results[0][:25]])

    def worklist_check(response, results):
        # The worklists order by due date alone: at the 50-row cut, rows of the last date may differ.
        html = response.content.decode()
        for result in results:
            cut = result[-1][-1] if len(result) == 50 else None
            if not all(f">{r[0]}<" in html for r in result if cut is None or r[-1] < cut):
                return False
        return True

    def stats_check(group):
        def check(response, results):
            from opendost.dossiers import selectors

            app = selectors.statistics(
                user=officer, date_from=dt.date(year, 1, 1), date_to=dt.date(year, 12, 31), group_by=group
            )
            mine = {(r.key, r.received, r.early, r.on_time, r.late, r.in_progress, r.in_progress_late) for r in app}
            raw = {(k or "", *map(int, rest)) for k, _label, *rest in results[0]}
            html = response.content.decode()
            return mine == raw and all(r.label in html for r in app if r.label)

        return check

    content_type = ContentType.objects.get_for_model(Dossier).pk
    sample = list(
        Dossier.objects.filter(department_id=dept).exclude(code="").values_list("code", "id").order_by("?")[:64]
    )
    lookup_index = [0]

    def lookup_url():
        return f"{reverse('dossiers_public:lookup')}?code={sample[lookup_index[0] % len(sample)][0]}"

    def lookup_queries():
        code, pk = sample[lookup_index[0] % len(sample)]
        first, logs, supplement = lookup_sql(t)
        return [(first, [code]), (logs, [content_type, str(pk)]), (supplement, [pk])]

    def lookup_check(response, results):
        lookup_index[0] += 1  # the next round looks up another code
        return bool(results[0]) and f"{results[0][0][1]}</h2>" in response.content.decode()

    open_review = "d.status IN ('in_review', 'approved', 'supplement_requested') AND d.assigned_officer_id = %s"
    return [
        Case(
            "list p1",
            officer_client,
            lambda: list_url,
            lambda: [(list_sql(t, procedure_filter=False), [dept, 0])],
            list_check,
        ),
        Case(
            "list deep",
            officer_client,
            lambda: f"{list_url}?procedure={procedure.pk}&page=200",
            lambda: [(list_sql(t, procedure_filter=True), [dept, procedure.pk, 199 * 25])],
            list_check,
        ),
        Case(
            "worklist officer",
            officer_client,
            lambda: reverse("dossiers:home"),
            lambda: [(worklist_sql(t, open_review, "d.due_date"), [dept, officer.pk])],
            worklist_check,
        ),
        Case(
            "worklist desk",
            desk_client,
            lambda: reverse("dossiers:home"),
            lambda: [
                (worklist_sql(t, "d.status = 'submitted'", "d.submitted_at"), [dept]),
                (worklist_sql(t, "d.status = 'result_issued'", "d.due_date"), [dept]),
                (worklist_sql(t, "d.status = 'received'", "d.due_date"), [dept]),
            ],
            worklist_check,
        ),
        Case(
            "stats procedure",
            officer_client,
            lambda: f"{reverse('dossiers:statistics')}?date_from=01/01/{year}&date_to=31/12/{year}&group_by=procedure",
            lambda: [(stats_sql(t, vendor, "procedure"), [day(today), day(today), dept, ts(start), ts(end)])],
            stats_check("procedure"),
        ),
        Case(
            "stats unit",
            officer_client,
            lambda: f"{reverse('dossiers:statistics')}?date_from=01/01/{year}&date_to=31/12/{year}&group_by=unit",
            lambda: [(stats_sql(t, vendor, "unit"), [day(today), day(today), dept, ts(start), ts(end)])],
            stats_check("unit"),
        ),
        Case("lookup", public, lookup_url, lookup_queries, lookup_check),
    ]


# MEASURING ----------------------------------------------------------------------------------------
def query_counts(cases: list[Case]) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for case in cases:
        case.a()  # warm (sessions, caches)
        with CaptureQueriesContext(connection) as captured:
            case.a()
        counts[case.name] = len(captured)
    return counts


def plans(cases: list[Case]) -> dict[str, str]:
    """One line per B query: how the database reads it (a full scan of the dossiers shows here)."""
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for case in cases:
            lines = []
            for sql, params in case.queries():
                if connection.vendor == "sqlite":
                    cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                    lines.append("; ".join(r[-1] for r in cursor.fetchall()))
                else:
                    cursor.execute("EXPLAIN " + sql, params)
                    steps = [r[0].strip(" ->") for r in cursor.fetchall()]
                    lines.append("; ".join(re.sub(r"\s+\(cost=.*", "", s) for s in steps if "cost=" in s))
            out[case.name] = " | ".join(lines)
    return out


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def measure(cases: list[Case], repeat: int, warmup: int) -> dict:
    results = {}
    for case in cases:
        for _ in range(warmup):
            case.a()
            case.b()
        a_ms, b_ms, checked = [], [], True
        for _ in range(repeat):
            ta, response = timed(case.a)
            tb, rows = timed(case.b)
            a_ms.append(ta)
            b_ms.append(tb)
            checked = case.check(response, rows) and checked
        results[case.name] = {"a": a_ms, "b": b_ms, "same_rows": checked}
    return results


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=15, help="interleaved A/B runs per page")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--max-ratio", type=float, default=None, help="also exit 1 when a page's A/B p50 exceeds it")
    parser.add_argument("--max-list-p95", type=float, default=250.0, help="P1 absolute guard for the list pages (ms)")
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
        print(f"migrate:  {time.perf_counter() - started:.1f} s")
        now = timezone.now()
        ref = setup_reference(now.astimezone(VN).date())
        started = time.perf_counter()
        dossiers, logs, supplements = generate(args.rows, ref, now, args.seed)
        generated = time.perf_counter() - started
        small = max(500, args.rows // 100)
        started = time.perf_counter()
        small_logs = load(
            dossiers[:small],
            [x for x in logs if x[0] <= small],
            [x for x in supplements if x[0] <= small],
            ref["admin"],
        )
        loaded = time.perf_counter() - started
        counts_small = query_counts(build_cases(ref, now, args.seed))
        started = time.perf_counter()
        log_count = load(
            dossiers[small:], [x for x in logs if x[0] > small], [x for x in supplements if x[0] > small], ref["admin"]
        )
        loaded += time.perf_counter() - started
        print(
            f"load:     {args.rows:,} dossiers, {log_count + small_logs:,} status changes,"
            f" {len(supplements):,} supplement requests in {loaded:.1f} s (generated in {generated:.1f} s)"
        )
        cases = build_cases(ref, now, args.seed)  # new lookup sample over all the rows
        counts = query_counts(cases)
        plan = plans(cases)
        results = measure(cases, args.repeat, args.warmup)
    finally:
        connections.close_all()
        drop()

    print(
        f"\n{args.repeat} interleaved runs per page after {args.warmup} warm-up (ms; A = page via test client, "
        "B = raw SQL of the same rows)"
    )
    print(f"{'page':18} {'A p50':>8} {'A p95':>8} {'B p50':>8} {'B p95':>8} {'A/B':>6}  {'queries':>11}  rows")
    figures = {}
    for name, r in results.items():
        a50, b50 = statistics.median(r["a"]), statistics.median(r["b"])
        ratio = a50 / b50
        grew = counts[name] != counts_small[name]
        print(
            f"{name:18} {a50:8.2f} {percentile(r['a'], 95):8.2f} {b50:8.2f} {percentile(r['b'], 95):8.2f}"
            f" {ratio:6.2f}  {counts_small[name]:>4} -> {counts[name]:<4}  {'same' if r['same_rows'] else 'DIFFER'}"
        )
        print(f"{'':18} {a50:.1f} ms / {b50:.1f} ms = {ratio:.2f}")
        figures[name] = {
            "a_p50_ms": a50,
            "a_p95_ms": percentile(r["a"], 95),
            "b_p50_ms": b50,
            "b_p95_ms": percentile(r["b"], 95),
            "ratio_p50": ratio,
            "queries_small": counts_small[name],
            "queries": counts[name],
            "same_rows": r["same_rows"],
            "plan": plan[name],
        }
        if grew:
            failures.append(f"{name}: {counts_small[name]} queries at {small:,} rows, {counts[name]} at {args.rows:,}")
        if not r["same_rows"]:
            failures.append(f"{name}: the raw SQL did not return the rows the page shows")
        if name.startswith("list") and percentile(r["a"], 95) > args.max_list_p95:
            failures.append(f"{name}: p95 {percentile(r['a'], 95):.0f} ms > {args.max_list_p95:.0f} ms (P1 guard)")
        if args.max_ratio is not None and ratio > args.max_ratio:
            failures.append(f"{name}: A/B {ratio:.2f} > {args.max_ratio}")
    print("\nquery plans of B:")
    for name, text in plan.items():
        print(f"  {name:18} {text}")
    if args.json:
        args.json.write_text(
            json.dumps({"database": where, "cpu": cpu_model(), "rows": args.rows, "pages": figures}, indent=2),
            encoding="utf-8",
        )
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
