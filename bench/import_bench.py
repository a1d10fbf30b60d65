"""P4 import benchmark: the import kit end to end vs a raw bulk insert of the same rows, in one run.

    python bench/import_bench.py [--rows 100000] [--path bulk|service|both] [--keep]

A: `imports.services.import_file` on a generated organisations .xlsx (XlsxWriter): safety checks,
   calamine read, header mapping, every cell parsed and validated (tax code check digit, address
   units looked up by name), natural keys, the ledger, one transaction. `--path service` writes each
   row through `subjects.services.organization_create` (the UI path); `--path bulk` uses the spec's
   bulk handler (same validation per row, then bulk_create / bulk_update). Then the same file is
   imported again (idempotence: 0 created, 0 updated).
B: calamine `to_python()` of the same file + province/commune name -> id dicts + one INSERT per row
   into an identical empty table: `COPY ... FROM STDIN` on PostgreSQL, `executemany` in one
   transaction on SQLite.

Database: a throwaway SQLite file under var/bench/, or, when DATABASE_URL points to PostgreSQL, a
separate database "<name>_import_bench" created and dropped by this script.
"""

import argparse
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
SYLLABLES = [
    "Ánh",
    "Dương",
    "Hòa",
    "Bình",
    "Việt",
    "Hưng",
    "Thịnh",
    "Phát",
    "Minh",
    "Đức",
    "Sơn",
    "Lâm",
    "Thủy",
    "Nguyên",
]
KINDS = ["Doanh nghiệp", "Tổ chức KH&CN", "Hợp tác xã", "Bệnh viện", "Trường học", "Khác"]
HEADER = [
    "Loại hình",
    "Tên tổ chức",
    "Tên viết tắt",
    "Mã số thuế",
    "Địa chỉ",
    "Tỉnh/Thành phố",
    "Xã/Phường",
    "Điện thoại",
    "Email",
    "Ngày thành lập",
]


def setup_database() -> tuple[str, str | None]:
    """Point Django at a throwaway database; returns (description, PG database to drop or None)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = parts.path.lstrip("/") + "_import_bench"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
        return f"PostgreSQL {name}", name
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / "import_bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return f"SQLite {path}", None


def drop_database(pg_name: str | None) -> None:
    from django.db import connections

    connections.close_all()
    if pg_name is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{BENCH_DIR / 'import_bench.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{pg_name}"')


def tax_codes(count: int, rng: random.Random) -> list[str]:
    from stdnum.vn import mst

    found: set[str] = set()
    while len(found) < count:
        base = f"{rng.randrange(1, 10**9):09d}"
        candidate = base + "0"
        for digit in "0123456789":
            if mst.is_valid(base + digit):
                candidate = base + digit
                break
        else:
            continue
        found.add(candidate)
    return sorted(found)


def generate(path: Path, rows: int, rng: random.Random) -> None:
    import datetime as dt

    import xlsxwriter

    from opendost.geography.enums import AdminLevel, CodeSet
    from opendost.geography.models import AdminUnit

    provinces = list(AdminUnit.objects.filter(code_set=CodeSet.CURRENT, level=AdminLevel.PROVINCE))
    communes: dict[int, list[str]] = {}
    for province_id, name in AdminUnit.objects.filter(code_set=CodeSet.CURRENT, level=AdminLevel.COMMUNE).values_list(
        "province_id", "name"
    ):
        communes.setdefault(province_id, []).append(name)
    # a few merged provinces hold two communes of the same name: the kit rightly asks for a code there
    communes = {p: [n for n in names if names.count(n) == 1] for p, names in communes.items()}
    codes = tax_codes(rows, rng)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for column, header in enumerate(HEADER):
        sheet.write_string(0, column, header)
    for index in range(rows):
        province = rng.choice(provinces)
        name = " ".join(rng.sample(SYLLABLES, 3))
        row = index + 1
        sheet.write_string(row, 0, rng.choice(KINDS))
        sheet.write_string(row, 1, f"Công ty TNHH {name} {index}")
        sheet.write_string(row, 2, f"{name.split()[0]} {index}")
        sheet.write_string(row, 3, codes[index])
        sheet.write_string(row, 4, f"Số {rng.randrange(1, 500)} đường {rng.choice(SYLLABLES)}")
        sheet.write_string(row, 5, province.name)
        if communes.get(province.pk):
            sheet.write_string(row, 6, rng.choice(communes[province.pk]))
        sheet.write_string(row, 7, f"02{rng.randrange(10**7, 10**8)}")
        sheet.write_string(row, 8, f"lienhe{index}@example.vn")
        sheet.write_datetime(row, 9, dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(12000)), date_format)
    workbook.close()


def baseline(path: Path, department_id: int) -> int:
    """Raw path: calamine + dict lookups + COPY / executemany into a copy of the organisations table."""
    import uuid

    from django.db import connection, transaction
    from django.utils import timezone
    from python_calamine import CalamineWorkbook

    from opendost.common.text import fold
    from opendost.geography.models import AdminUnit

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    provinces = dict(AdminUnit.objects.filter(code_set="2025", level="province").values_list("name", "pk"))
    communes = {
        (p, n): pk
        for p, n, pk in AdminUnit.objects.filter(code_set="2025", level="commune").values_list(
            "province_id", "name", "pk"
        )
    }
    kinds = dict(
        zip(KINDS, ["enterprise", "st_organization", "cooperative", "hospital", "school", "other"], strict=True)
    )
    now = timezone.now()
    records = []
    for r in rows:
        province = provinces.get(r[5])
        records.append(
            (
                str(uuid.uuid4()),
                1,
                now,
                now,
                r[4],
                province,
                None,
                communes.get((province, r[6])),
                department_id,
                kinds[r[0]],
                r[1],
                r[2],
                "",
                r[3],
                r[7],
                r[8],
                "",
                r[9] or None,
                "",
                fold(r[1]),
            )
        )
    columns = (
        "public_id, version, created_at, updated_at, address_line, province_id, district_id, commune_id, "
        "department_id, "
        "kind, name, short_name, english_name, tax_code, phone, email, website, established_on, note, name_folded"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY bench_organization ({columns}) FROM STDIN") as copy:
                for record in records:
                    copy.write_row(record)
        else:
            marks = ", ".join(["%s"] * len(records[0]))
            cursor.executemany(f"INSERT INTO bench_organization ({columns}) VALUES ({marks})", records)
    return len(records)


def create_baseline_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE TABLE bench_organization (LIKE subjects_organization INCLUDING ALL)")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name='subjects_organization'")
            cursor.execute(cursor.fetchone()[0].replace('"subjects_organization"', '"bench_organization"', 1))
            cursor.execute(
                "SELECT sql FROM sqlite_master "
                "WHERE type='index' AND tbl_name='subjects_organization' AND sql IS NOT NULL"
            )
            for (sql,) in cursor.fetchall():
                sql = sql.replace('ON "subjects_organization"', 'ON "bench_organization"')
                cursor.execute(sql.replace('INDEX "', 'INDEX "bench_', 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--path", choices=["bulk", "service", "both"], default="bulk")
    parser.add_argument("--seed", type=int, default=20260901)
    parser.add_argument("--keep", action="store_true", help="keep the database and the file")
    args = parser.parse_args()
    description, pg_name = setup_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.OPENDOST_IMPORT_MAX_ROWS = max(args.rows, 200_000)
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"database: {description} (migrated in {time.perf_counter() - started:.1f} s)")
        print(
            f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}"
        )
        run(args)
    finally:
        if not args.keep:
            drop_database(pg_name)


def run(args) -> None:
    from opendost.accounts.roles import Role
    from opendost.departments.models import Department
    from opendost.imports import services
    from opendost.imports.organizations import SPEC
    from opendost.subjects.models import Organization
    from tests.factories import UserFactory

    rng = random.Random(args.seed)
    department = Department.objects.create(code="bench", name="Sở KH&CN thử", governing_body="UBND")
    officer = UserFactory(role=Role.OFFICER, department=department)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"organizations-{args.rows}.xlsx"
    started = time.perf_counter()
    generate(path, args.rows, rng)
    print(
        f"file: {path.name}, {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB, "
        f"written in {time.perf_counter() - started:.1f} s"
    )

    create_baseline_table()
    started = time.perf_counter()
    count = baseline(path, department.pk)
    raw_seconds = time.perf_counter() - started
    print(
        f"B raw (calamine + {'COPY' if _pg() else 'executemany'}): "
        f"{count:,} rows in {raw_seconds:.2f} s = {count / raw_seconds:,.0f} rows/s"
    )

    paths = ["bulk", "service"] if args.path == "both" else [args.path]
    for kind in paths:
        Organization.objects.filter(department=department).delete()
        started = time.perf_counter()
        result = services.import_file(
            actor=officer,
            spec=SPEC,
            file=path,
            file_name=path.name,
            department=department,
            bulk=kind == "bulk",
            allow_repeat=True,
        )
        seconds = time.perf_counter() - started
        assert result.status == "succeeded", (result.status, result.message, result.error_sample[:5])
        print(
            f"A kit, {kind} path: {result.created:,} created in {seconds:.2f} s = {result.rows_total / seconds:,.0f} "
            f"rows/s; A/B = {seconds / raw_seconds:.1f}x"
        )
        started = time.perf_counter()
        again = services.import_file(
            actor=officer,
            spec=SPEC,
            file=path,
            file_name=path.name,
            department=department,
            bulk=kind == "bulk",
            allow_repeat=True,
        )
        seconds_again = time.perf_counter() - started
        print(
            f"A again (idempotent): created {again.created}, updated {again.updated}, unchanged {again.unchanged:,} "
            f"in {seconds_again:.2f} s = {again.rows_total / seconds_again:,.0f} rows/s"
        )
    print(f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def _pg() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


if __name__ == "__main__":
    main()
