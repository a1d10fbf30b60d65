"""P3 search benchmark: `search()` against the raw full-text query in the same run.

    ./dev bench search_bench [--rows 100000] [--repeat 3] [--queries 200] [--json out.json] [--keep]

Builds a throwaway database (SQLite file under var/bench/, or, when DATABASE_URL points at
PostgreSQL, a separate database `<name>_search_bench` that is dropped at the end), bulk-inserts
synthetic Vietnamese organisation names as search documents, then times ~200 mixed queries (full
names as typed, no-accent queries, as-you-type prefixes, đ-words), interleaving A and B query by
query:

  A: opendost.search.selectors.search(q, limit=20): parse + ranked query + Hit objects
  B: the bare engine query on the same index: FTS5 `MATCH ... ORDER BY rank LIMIT 20` (SQLite) /
     `@@ to_tsquery(...) ORDER BY ts_rank(...) DESC LIMIT 20` over the stored tsvector (PostgreSQL)
  C (informational, a few queries): LIKE/ILIKE '%...%' on the folded text, no index.

Prints p50/p95 of each, the A/B ratio of medians with a bootstrap 95% CI, and the CPU model.
Gate on the ratio, not on milliseconds (reference B3: target A/B <= 2.0, ambitious <= 1.3): the
script exits 1 when the p50 ratio misses the target.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 2.0  # reference B3, P3: realistic target; 1.3 is the ambitious one
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PREFIXES = [
    "Công ty TNHH",
    "Công ty TNHH MTV",
    "Công ty Cổ phần",
    "Hợp tác xã",
    "Doanh nghiệp tư nhân",
    "Viện",
    "Trung tâm",
    "Trường Đại học",
    "Bệnh viện",
    "Liên hiệp hợp tác xã",
]
SECTORS = [
    "Thương mại và Dịch vụ",
    "Xây dựng",
    "Công nghệ",
    "Nông nghiệp",
    "Thủy sản",
    "Thuỷ sản",
    "Điện tử",
    "Môi trường",
    "Cơ khí",
    "Dược phẩm",
    "Thực phẩm",
    "Vận tải",
    "Đầu tư",
    "Phát triển",
    "Khoa học và Công nghệ",
    "Chế biến Gỗ",
    "Năng lượng",
    "Tư vấn Thiết kế",
    "Y tế",
    "Giáo dục",
]
SYLLABLES = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đại",
    "Đức",
    "Đông",
    "Điện",
    "Đồng",
    "Đạt",
    "Đăng",
    "Giang",
    "Hà",
    "Hải",
    "Hòa",
    "Hoà",
    "Hưng",
    "Hùng",
    "Khánh",
    "Khoa",
    "Kim",
    "Lâm",
    "Linh",
    "Long",
    "Lộc",
    "Minh",
    "Nam",
    "Ngọc",
    "Nguyên",
    "Nhật",
    "Phát",
    "Phong",
    "Phú",
    "Phúc",
    "Quang",
    "Quốc",
    "Sơn",
    "Tài",
    "Tân",
    "Thành",
    "Thắng",
    "Thịnh",
    "Thủy",
    "Tiến",
    "Toàn",
    "Trung",
    "Trường",
    "Tuấn",
    "Việt",
    "Vinh",
    "Vĩnh",
    "Xuân",
    "Ý",
    "Uy",
    "Thuỷ",
    "Khỏe",
    "Khoẻ",
    "Hồng",
    "Hạnh",
    "Mai",
    "Lan",
]
PROVINCES = [
    "Hà Nội",
    "Bắc Ninh",
    "Bắc Giang",
    "Thái Nguyên",
    "Lạng Sơn",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Điện Biên",
    "Lai Châu",
    "Sơn La",
    "Phú Thọ",
    "Hải Phòng",
    "Hưng Yên",
    "Ninh Bình",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Trị",
    "Huế",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Đắk Lắk",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đồng Nai",
    "Tây Ninh",
    "Thành phố Hồ Chí Minh",
    "Đồng Tháp",
    "Vĩnh Long",
    "An Giang",
    "Cần Thơ",
    "Cà Mau",
    "Hòa Bình",
    "Đắk Nông",
    "Bình Dương",
]
STREETS = ["Trần Hưng Đạo", "Lê Lợi", "Nguyễn Trãi", "Điện Biên Phủ", "Hùng Vương", "Đinh Tiên Hoàng"]


def _skewed(rng: random.Random, items: list[str]) -> str:
    """Realistic skew: the first items (big provinces, common words) are much more frequent."""
    return items[min(int(rng.paretovariate(1.2)) - 1, len(items) - 1)] if rng.random() < 0.6 else rng.choice(items)


def synthetic_names(rows: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(rows):
        brand = " ".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3))))
        province = _skewed(rng, PROVINCES)
        title = f"{rng.choice(PREFIXES)} {rng.choice(SECTORS)} {brand} {province}"
        body = (
            f"{''.join(rng.choice('0123456789') for _ in range(10))} "
            f"Số {rng.randint(1, 400)} {rng.choice(STREETS)}, {province} "
            f"{' '.join(rng.choice(SYLLABLES) for _ in range(2))}"
        )
        out.append((title, body))
    return out


def query_mix(names: list[tuple[str, str]], count: int, seed: int) -> list[tuple[str, str]]:
    from opendost.common.text import fold

    rng = random.Random(seed + 1)
    per_kind = max(1, count // 4)
    titles = [t for t, _ in rng.sample(names, per_kind * 3)]
    queries = [("full name", t) for t in titles[:per_kind]]
    for t in titles[per_kind : 2 * per_kind]:
        words = t.split()
        queries.append(("no accents", fold(" ".join(words[-3:]))))
    for t in titles[2 * per_kind :]:
        folded = fold(t).split()
        start = rng.randrange(0, max(1, len(folded) - 2))
        phrase = " ".join(folded[start : start + 2])
        queries.append(("prefix", phrase[: max(3, len(phrase) - rng.randint(1, 3))]))
    d_words = [w for w in SYLLABLES + [p for p in PROVINCES if p.startswith("Đ")] if w.startswith("Đ")]
    for _ in range(per_kind):
        queries.append(("đ-word", fold(f"{rng.choice(d_words)} {rng.choice(PROVINCES)}")))
    return queries


# DATABASE -----------------------------------------------------------------------------------------
def throwaway_database(keep: bool):
    """Point DATABASE_URL at a fresh database; return a function that drops it."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'opendost'}_search_bench"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))

        def drop():
            if keep:
                return print(f"kept database {name}")
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"PostgreSQL database {name}", drop
    path = ROOT / "var" / "bench" / "search_bench.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"

    def drop():
        if keep:
            return print(f"kept {path}")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return f"SQLite file {path}", drop


def load(names: list[tuple[str, str]]) -> float:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from opendost.departments.models import Department
    from opendost.search.models import SearchDocument
    from opendost.search.text import exact_text, folded_text

    departments = [
        Department.objects.create(code=f"bench-{i}", name=f"Sở Thử {i}", governing_body="UBND") for i in range(3)
    ]
    content_type = ContentType.objects.get_for_model(Department)
    started = time.perf_counter()
    batch = 5000
    for start in range(0, len(names), batch):
        documents = [
            SearchDocument(
                content_type=content_type,
                object_id=start + i + 1,
                department=departments[(start + i) % 3],
                title=title,
                body=body,
                title_exact=exact_text(title),
                folded=folded_text(f"{title} {body}"),
            )
            for i, (title, body) in enumerate(names[start : start + batch])
        ]
        with transaction.atomic():
            SearchDocument.objects.bulk_create(documents)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE search_searchdocument")
    return time.perf_counter() - started


# TIMING -------------------------------------------------------------------------------------------
def raw_query():
    """B: the engine's own ranked top-20 query, given the already-built engine expression."""
    from django.db import connection

    if connection.vendor == "sqlite":
        sql = "SELECT rowid, rank FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT 20"
        return sql, lambda parsed: [parsed.fts5()]
    sql = (
        "SELECT id, ts_rank(folded_tsv, q) AS r FROM search_searchdocument, to_tsquery('simple', %s) q"
        " WHERE folded_tsv @@ q ORDER BY r DESC LIMIT 20"
    )
    return sql, lambda parsed: [parsed.tsquery()]


def like_query():
    from django.db import connection

    op = "LIKE" if connection.vendor == "sqlite" else "ILIKE"
    return f"SELECT id FROM search_searchdocument WHERE folded {op} %s ORDER BY title LIMIT 20"


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bootstrap_ratio_ci(a: list[float], b: list[float], rng: random.Random, n: int = 1000) -> tuple[float, float]:
    ratios = sorted(
        statistics.median(rng.choices(a, k=len(a))) / statistics.median(rng.choices(b, k=len(b))) for _ in range(n)
    )
    return ratios[int(0.025 * n)], ratios[int(0.975 * n)]


def run(queries: list[tuple[str, str]], rounds: int) -> dict:
    from django.db import connection

    from opendost.search.selectors import search
    from opendost.search.text import parse_query

    raw_sql, raw_params = raw_query()
    cursor = connection.cursor()

    def a(q):
        return timed(lambda: search(q, limit=20))

    def b(q):
        parsed = parse_query(q)  # the engine expression is given to B for free

        def go():
            cursor.execute(raw_sql, raw_params(parsed))
            cursor.fetchall()

        return timed(go)

    for _, q in queries:  # warm-up
        a(q)
        b(q)
    samples = {"A": [], "B": []}
    by_kind: dict[str, dict[str, list[float]]] = {}
    for _ in range(rounds):
        for kind, q in queries:  # interleaved A/B, query by query
            ta, tb = a(q), b(q)
            samples["A"].append(ta)
            samples["B"].append(tb)
            by_kind.setdefault(kind, {"A": [], "B": []})
            by_kind[kind]["A"].append(ta)
            by_kind[kind]["B"].append(tb)
    like = []
    from opendost.common.text import fold

    like_sql = like_query()
    for _, q in queries[:: max(1, len(queries) // 10)]:
        like.append(timed(lambda q=q: (cursor.execute(like_sql, [f"%{fold(q)}%"]), cursor.fetchall())))
    cursor.close()
    return {"samples": samples, "by_kind": by_kind, "like": like}


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
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", "--rounds", type=int, default=3, help="interleaved A/B passes over the queries")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    args = parser.parse_args()

    where, drop = throwaway_database(args.keep)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    try:
        print(f"database: {where} ({connection.vendor})")
        print(f"cpu:      {cpu_model()}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate:  {time.perf_counter() - started:.1f} s")
        names = synthetic_names(args.rows, args.seed)
        seconds = load(names)
        print(f"load:     {args.rows} documents in {seconds:.1f} s ({args.rows / seconds:,.0f}/s, folding included)")
        queries = query_mix(names, args.queries, args.seed)
        result = run(queries, args.repeat)
    finally:
        connections.close_all()
        drop()

    a, b = result["samples"]["A"], result["samples"]["B"]
    lo, hi = bootstrap_ratio_ci(a, b, random.Random(args.seed))
    print(f"\n{len(queries)} queries x {args.repeat} rounds, interleaved (ms)")
    print(f"{'':24} {'p50':>8} {'p95':>8} {'mean':>8}")
    for label, values in (("A search()", a), ("B raw FTS top 20", b)):
        print(f"{label:24} {percentile(values, 50):8.2f} {percentile(values, 95):8.2f} {statistics.mean(values):8.2f}")
    like = result["like"]
    label = "C LIKE %...% (info)"
    print(f"{label:24} {percentile(like, 50):8.2f} {percentile(like, 95):8.2f} {statistics.mean(like):8.2f}")
    print(
        f"\nA/B ratio: p50 {statistics.median(a) / statistics.median(b):.2f} (95% CI {lo:.2f}-{hi:.2f}),"
        f" p95 {percentile(a, 95) / percentile(b, 95):.2f}   [target <= 2.0, ambitious <= 1.3]"
    )
    print("\nby kind (p50 A / p50 B ms):")
    for kind, values in result["by_kind"].items():
        pa, pb = statistics.median(values["A"]), statistics.median(values["B"])
        print(f"  {kind:12} {pa:7.2f} / {pb:7.2f}  ratio {pa / pb:.2f}")
    ratio = statistics.median(a) / statistics.median(b)
    if args.json:
        figures = {
            "database": where,
            "cpu": cpu_model(),
            "rows": args.rows,
            "queries": len(queries),
            "repeat": args.repeat,
            "a_p50_ms": statistics.median(a),
            "a_p95_ms": percentile(a, 95),
            "b_p50_ms": statistics.median(b),
            "b_p95_ms": percentile(b, 95),
            "ratio_p50": ratio,
            "ratio_p50_ci95": [lo, hi],
        }
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    if ratio > TARGET_RATIO:
        print(f"FAILED: A/B p50 ratio {ratio:.2f} > {TARGET_RATIO}")
        sys.exit(1)


if __name__ == "__main__":
    main()
