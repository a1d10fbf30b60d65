"""Matching of the technology exchange: quality on the labelled set, latency at 100k listings.

    ./dev bench marketplace_matching [--rows 100000] [--queries 50] [--repeat 3] [--json out.json] [--keep]

Builds a throwaway database (SQLite file var/bench/marketplace_matching.sqlite3, or, when DATABASE_URL
points at PostgreSQL, a separate database "<name>_marketplace_matching" that is dropped at the end),
migrates it (the S&T fields QD12_2008 and the administrative units come with the migrations), makes
one department and a few owner organisations, then:

(a) Quality. Loads the labelled set of tests/marketplace/labelled_set.py (28 needs, 68 supply
    listings, graded relevance) as published listings, indexes them with
    matching.listing_index_bulk, and for every need compares the first 10 results of
    `matching.matches_for` with
      - the plain full-text baseline: supply listings ranked by the number of distinct folded words
        of the need found in their folded search_text (labelled_set.baseline_rank; the same ranking a
        sum of word-boundary LIKE tests over search_text gives);
      - on PostgreSQL also ts_rank over to_tsvector('simple', search_text) with the need's folded
        words OR-ed (to_tsquery('simple', 'w1 | w2 | ...'));
      - two ablations of matches_for: without the bonuses (field, readiness, place, budget), and with
        a query made of single syllables only (no syllable pairs).
    Prints precision@5 (share of the first five that are relevant) and nDCG@10 (gains 2^g - 1).

(b) Latency. Bulk-inserts --rows synthetic listings (seeded; Vietnamese from topic vocabularies,
    10% written without diacritics; 40% needs, 40% offers, 10% equipment, 10% services; 90%
    published, the rest expired, withdrawn or in draft) with bulk_create, indexes them with
    listing_index_bulk (timed), then for --queries published synthetic needs times, interleaved
    A, B, A, B... after a warm-up, --repeat times:
      A  matching.matches_for(need, limit=10): analysis, document frequencies, corpus statistics,
         the candidate query, term frequencies, scoring, reasons, the 10 listings;
      B  the candidate SQL alone (matching.candidate_sql, its weights computed beforehand);
      C  (information) document_frequencies + corpus_statistics alone.
    Prints p50 and p95 of each and the A/B ratio of the medians, and the quality of the labelled
    needs again, now ranked among the synthetic listings too (unlabelled listings count as not
    relevant, so this is a lower bound).

Status values are written directly by bulk_create here: acceptable only because bench/ is outside
opendost/ (the "status only through transition_apply" scanner covers the application code) and
because 100k listings through the services would take hours. Exits 1 if matches_for does not beat
the baseline's precision@5 on the labelled set.
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
BENCH_DIR = ROOT / "var" / "bench"
SQLITE_PATH = BENCH_DIR / "marketplace_matching.sqlite3"

# SYNTHETIC VOCABULARY -------------------------------------------------------------------------------
# field code, things offered / needed, processes, problems, places of use
TOPICS = [
    (
        "401",
        ["lúa chất lượng cao", "rau an toàn", "cây ăn quả", "vải thiều", "bưởi đỏ", "cam sành", "chè xanh"],
        ["tưới nhỏ giọt", "nhà màng", "bón phân cân đối", "ghép cải tạo giống", "phòng trừ sâu bệnh tổng hợp"],
        ["năng suất thấp", "sâu bệnh hại nhiều", "thiếu nước tưới mùa khô", "chất lượng quả không đồng đều"],
    ),
    (
        "402",
        ["gà đồi", "lợn thịt", "bò sinh sản", "vịt trứng", "dê núi", "thức ăn chăn nuôi"],
        ["đệm lót sinh học", "men vi sinh bổ sung thức ăn", "chuồng kín làm mát", "phối giống nhân tạo"],
        ["dịch bệnh đường ruột", "mùi hôi chuồng trại", "chi phí thức ăn cao", "lạm dụng kháng sinh"],
    ),
    (
        "403",
        ["vắc xin gia cầm", "thuốc thú y thảo dược", "kit chẩn đoán bệnh lợn", "chế phẩm sát trùng"],
        ["tiêm phòng định kỳ", "chẩn đoán nhanh", "giám sát dịch tễ"],
        ["dịch tả lợn châu Phi", "cúm gia cầm", "tỷ lệ chết cao"],
    ),
    (
        "405",
        ["cá chép lai", "cá rô phi đơn tính", "tôm thẻ chân trắng", "cá trắm cỏ", "ếch Thái Lan"],
        ["nuôi cá lồng", "quan trắc môi trường ao nuôi", "chế phẩm xử lý nước ao", "sản xuất giống nhân tạo"],
        ["thiếu oxy hòa tan", "ô nhiễm đáy ao", "con giống kém chất lượng", "bệnh xuất huyết trên cá"],
    ),
    (
        "406",
        ["cây giống sạch bệnh", "nấm dược liệu", "phân bón hữu cơ vi sinh", "chế phẩm Trichoderma"],
        ["nuôi cấy mô tế bào", "nhân giống in vitro", "ủ phân vi sinh", "lên men rắn"],
        ["cây giống nhiễm bệnh", "đất bạc màu", "phụ phẩm nông nghiệp bị đốt bỏ"],
    ),
    (
        "211",
        ["vải sấy khô", "nước ép trái cây", "mì gạo", "bánh đa nem", "rượu vang trái cây", "nước mắm"],
        ["sấy bơm nhiệt", "thanh trùng UHT", "bảo quản lạnh", "đóng gói hút chân không", "lên men có kiểm soát"],
        ["sản phẩm nhanh hỏng", "không đảm bảo an toàn thực phẩm", "chế biến thủ công", "giá bán thấp"],
    ),
    (
        "202",
        [
            "điện mặt trời áp mái",
            "biến tần hòa lưới",
            "cảm biến không dây",
            "bộ điều khiển PLC",
            "đèn LED tiết kiệm điện",
        ],
        ["giám sát từ xa qua IoT", "tự động hóa dây chuyền", "quản lý năng lượng"],
        ["tiền điện cao", "vận hành thủ công", "không theo dõi được sản lượng"],
    ),
    (
        "203",
        ["máy sấy nông sản", "lò hơi sinh khối", "máy CNC khắc gỗ", "máy ép viên nén", "máy thái lát"],
        ["cơ giới hóa", "chế tạo thiết bị", "cải tạo lò hơi", "gia công chính xác"],
        ["thiếu lao động", "thiết bị cũ tiêu tốn nhiên liệu", "năng suất máy thấp"],
    ),
    (
        "205",
        ["gạch không nung", "bê tông nhẹ", "gốm mỹ nghệ", "vật liệu composite", "men gốm"],
        ["ép thủy lực", "nung bằng khí gas", "tận dụng tro xỉ", "phối liệu"],
        ["phế thải tro xỉ", "lò nung gây khói bụi", "sản phẩm nứt vỡ"],
    ),
    (
        "207",
        ["nước thải sinh hoạt", "nước thải chăn nuôi", "nước thải dệt nhuộm", "khí thải lò hơi", "chất thải rắn"],
        ["xử lý sinh học hiếu khí", "keo tụ tuyển nổi", "oxy hóa nâng cao", "quan trắc tự động", "đất ngập nước"],
        ["ô nhiễm nguồn nước", "nước thải vượt quy chuẩn", "mùi hôi", "chi phí xử lý cao"],
    ),
    (
        "206",
        ["thiết bị khử khuẩn", "máy đo SpO2", "giường bệnh thông minh", "phần mềm bệnh án điện tử"],
        ["chẩn đoán hình ảnh", "theo dõi bệnh nhân từ xa", "tiệt trùng dụng cụ"],
        ["nhiễm khuẩn bệnh viện", "thiếu bác sĩ chuyên khoa", "quá tải bệnh nhân"],
    ),
    (
        "304",
        ["dược liệu ba kích", "cao chiết đinh lăng", "trà túi lọc thảo dược", "tinh dầu sả"],
        ["chiết xuất siêu tới hạn", "trồng dược liệu GACP", "bào chế viên nang"],
        ["dược liệu kém chất lượng", "chưa có tiêu chuẩn cơ sở"],
    ),
    (
        "102",
        ["phần mềm truy xuất nguồn gốc", "sàn thương mại điện tử nông sản", "hệ thống ERP", "ứng dụng di động"],
        ["chuyển đổi số", "tem QR", "dữ liệu lớn", "trí tuệ nhân tạo"],
        ["quản lý bằng sổ sách", "khó tiếp cận thị trường", "dữ liệu phân tán"],
    ),
    (
        "204",
        ["chế phẩm bảo quản gỗ", "sơn gốc nước", "phân bón lá", "chất tẩy rửa sinh học"],
        ["tổng hợp hóa học", "ngâm tẩm áp lực", "điều chế"],
        ["gỗ bị mối mọt", "hóa chất độc hại", "giá nguyên liệu nhập khẩu cao"],
    ),
]
OFFER_HEADS = ["Công nghệ", "Quy trình", "Giải pháp", "Hệ thống", "Thiết bị", "Mô hình", "Dây chuyền"]
NEED_HEADS = ["Cần công nghệ", "Tìm giải pháp", "Nhu cầu đổi mới", "Cần chuyển giao", "Cần hỗ trợ kỹ thuật"]
GENERIC = [
    "Sản phẩm đã được ứng dụng tại nhiều địa phương và được người dân đánh giá cao.",
    "Chuyển giao trọn gói, đào tạo vận hành và bảo hành 12 tháng.",
    "Doanh nghiệp mong muốn hợp tác lâu dài với các viện, trường.",
    "Kết quả của nhiệm vụ khoa học và công nghệ cấp tỉnh đã được nghiệm thu.",
    "Giảm chi phí sản xuất, nâng cao hiệu quả kinh tế và bảo vệ môi trường.",
    "Có thể hỗ trợ một phần kinh phí từ Quỹ phát triển khoa học và công nghệ.",
    "Đáp ứng tiêu chuẩn quốc gia và quy chuẩn kỹ thuật hiện hành.",
    "Ưu tiên giải pháp dễ vận hành, chi phí đầu tư hợp lý.",
]
COMMUNES = ["07582", "07288", "09454", "09496", "07525", "07444", "09379", "09292", "09367", "07840", "09247"]
OTHER_PROVINCES = ["01", "33", "79", "92", "19", "31"]
OWNER_KINDS = ["enterprise", "cooperative", "st_organization", "hospital", "public_agency"]


def _sentence(rng: random.Random, topic, need: bool) -> str:
    _field, things, processes, problems = topic
    if need:
        templates = [
            "Cơ sở đang gặp tình trạng {problem}, cần {process} cho {thing}.",
            "Hiện nay {thing} của đơn vị còn {problem}; mong muốn áp dụng {process}.",
            "Cần tư vấn {process} để khắc phục {problem}.",
        ]
    else:
        templates = [
            "{process} cho {thing}, khắc phục {problem}.",
            "Ứng dụng {process} trong sản xuất {thing}, năng suất tăng {pct}%.",
            "Giải pháp {process} giúp giảm {pct}% chi phí, hạn chế {problem}.",
        ]
    return rng.choice(templates).format(
        thing=rng.choice(things), process=rng.choice(processes), problem=rng.choice(problems), pct=rng.randint(10, 60)
    )


def synthetic_listing(rng: random.Random, i: int) -> dict:
    topic = rng.choice(TOPICS)
    field_code, things, processes, _problems = topic
    kind = rng.choices(["need", "offer", "equipment", "service"], (4, 4, 1, 1))[0]
    need = kind == "need"
    if need:
        title = f"{rng.choice(NEED_HEADS)} {rng.choice(processes)} cho {rng.choice(things)}"
    else:
        title = f"{rng.choice(OFFER_HEADS)} {rng.choice(processes)} {rng.choice(things)}"
    sentences = [_sentence(rng, topic, need) for _ in range(rng.randint(2, 4))]
    sentences += rng.sample(GENERIC, rng.randint(1, 2))
    if rng.random() < 0.15:  # a second topic: listings are not always about one thing
        sentences.append(_sentence(rng, rng.choice(TOPICS), need))
    row = {
        "key": f"S{i:06d}",
        "kind": kind,
        "title": title,
        "summary": " ".join(sentences),
        "keywords": "; ".join(rng.sample([*things, *processes], 2)),
        "field": field_code,
        "province": "24" if rng.random() < 0.7 else rng.choice(OTHER_PROVINCES),
        "owner": rng.choice(OWNER_KINDS),
        "status": rng.choices(["published", "expired", "withdrawn", "draft"], (90, 4, 3, 3))[0],
    }
    if row["province"] == "24" and rng.random() < 0.5:
        row["commune"] = rng.choice(COMMUNES)
    if need:
        low = rng.choice([50, 100, 200, 500, 1000, 2000]) * 1_000_000
        row["budget"] = (low, low * rng.choice([2, 3, 5]))
        row["expected_result"] = f"Áp dụng thành công {rng.choice(processes)} tại cơ sở."
        row["trl"] = rng.choice([None, None, None, 6, 7, 8, 9])
    else:
        row["trl"] = rng.randint(3, 9)
        if rng.random() < 0.5:
            row["price"] = rng.choice([20, 50, 100, 300, 800, 2000]) * 1_000_000
        else:
            row["negotiable"] = True
    if rng.random() < 0.1:  # written without diacritics
        from opendost.common.text import fold

        for name in ("title", "summary", "keywords", "expected_result"):
            if row.get(name):
                row[name] = fold(row[name])
    return row


# DATABASE -------------------------------------------------------------------------------------------
def throwaway_database(keep: bool, reuse: bool = False):
    """Point DATABASE_URL at a fresh database (or, with `reuse`, at the one a --keep run left);
    return (description, function that drops it)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'opendost'}_marketplace_matching"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not (reuse and exists):
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
    if not (reuse and SQLITE_PATH.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"

    def drop():
        if keep:
            return print(f"kept {SQLITE_PATH}")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)

    return f"SQLite file {SQLITE_PATH}", drop


class Reference:
    """Department, owner organisations, fields and units, looked up once."""

    def __init__(self):
        from opendost.classifications.models import ClassificationNode
        from opendost.common.text import fold
        from opendost.departments.models import Department
        from opendost.geography.models import AdminUnit
        from opendost.subjects.models import Organization

        self.department = Department.objects.create(
            code="bench-bn",
            name="Sở Khoa học và Công nghệ thành phố Bắc Ninh",
            governing_body="UBND THÀNH PHỐ BẮC NINH",
        )
        self.owners = {}
        for side in ("need", "supply"):
            for kind in OWNER_KINDS:
                name = f"Tổ chức thử nghiệm {side} {kind}"
                self.owners[side, kind] = Organization.objects.create(
                    department=self.department, kind=kind, name=name, name_folded=fold(name)
                ).pk
        nodes = ClassificationNode.objects.filter(scheme__code="QD12_2008")
        self.fields = {n.code: n.pk for n in nodes}
        self.field_names = {n.code: n.name for n in nodes}
        units = AdminUnit.objects.filter(code_set="2025")
        self.provinces = {u.code: u.pk for u in units.filter(level="province")}
        self.communes = {u.code: u.pk for u in units.filter(level="commune", province__code="24")}


def listing_rows(items: list[dict], ref: Reference, today: dt.date, prefix: str) -> list:
    from opendost.common.text import fold
    from opendost.marketplace.models import Listing

    rows = []
    for n, item in enumerate(items):
        kind = item.get("kind", "need")
        need = kind == "need"
        budget = item.get("budget") or (None, None)
        status = item.get("status", "published")
        text = [item["title"], item["summary"], item.get("keywords", ""), item.get("sector", "")]
        rows.append(
            Listing(
                department=ref.department,
                code=f"{prefix}-{n:06d}",
                kind=kind,
                title=item["title"],
                summary=item["summary"],
                keywords=item.get("keywords", ""),
                sector=item.get("sector", ""),
                field_id=ref.fields.get(item.get("field")),
                readiness_level=item.get("trl"),
                transfer_modes=[] if need else ["licence"],
                price_vnd=item.get("price"),
                price_negotiable=bool(item.get("negotiable")),
                equipment_mode=item.get("equipment_mode", "sale" if kind == "equipment" else ""),
                service_type=item.get("service_type", "other" if kind == "service" else ""),
                expected_result=item.get("expected_result", ""),
                budget_min_vnd=budget[0],
                budget_max_vnd=budget[1],
                owner_organization_id=ref.owners["need" if need else "supply", item.get("owner", "enterprise")],
                province_id=ref.provinces.get(item.get("province")),
                commune_id=ref.communes.get(item.get("commune")) if item.get("commune") else None,
                status=status,
                published_on=None if status == "draft" else today - dt.timedelta(days=30),
                valid_from=today - dt.timedelta(days=30),
                valid_until=today + dt.timedelta(days=335),
                search_text=fold(" ".join([*text, ref.field_names.get(item.get("field"), "")])),
            )
        )
    return rows


def load(items: list[dict], ref: Reference, today: dt.date, prefix: str, batch: int = 5000) -> tuple[dict, float]:
    """Bulk-insert and index; returns ({key: pk}, seconds spent indexing)."""
    from opendost.marketplace import matching
    from opendost.marketplace.models import Listing

    keys: dict[str, int] = {}
    indexing = 0.0
    for start in range(0, len(items), batch):
        chunk = items[start : start + batch]
        created = Listing.objects.bulk_create(listing_rows(chunk, ref, today, f"{prefix}{start // batch:03d}"))
        keys.update({item["key"]: row.pk for item, row in zip(chunk, created, strict=True)})
        started = time.perf_counter()
        matching.listing_index_bulk(created, batch=1000)
        indexing += time.perf_counter() - started
    return keys, indexing


# QUALITY --------------------------------------------------------------------------------------------
@contextmanager
def patched(**values):
    from opendost.marketplace import matching

    saved = {name: getattr(matching, name) for name in values}
    for name, value in values.items():
        setattr(matching, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(matching, name, value)


def _without_pairs():
    from opendost.marketplace import matching

    original = matching.listing_analysis

    def analysis(listing):
        result = original(listing)
        result.counts = type(result.counts)({t: c for t, c in result.counts.items() if " " not in t})
        return result

    return patched(listing_analysis=analysis)


def _no_bonuses():
    return patched(
        BONUS_FIELD=0.0,
        BONUS_FIELD_RELATED=0.0,
        BONUS_READINESS=0.0,
        PENALTY_READINESS_STEP=0.0,
        BONUS_PROVINCE=0.0,
        BONUS_COMMUNE=0.0,
        BONUS_BUDGET=0.0,
        PENALTY_OVER_BUDGET=0.0,
    )


def quality(keys: dict[str, int], today: dt.date, *, variants: bool) -> dict:
    from django.db import connection

    from opendost.marketplace import matching
    from opendost.marketplace.models import Listing
    from tests.marketplace import labelled_set as ls

    by_pk = {pk: key for key, pk in keys.items()}
    supply = matching.valid_public(Listing.objects.filter(kind__in=matching.SUPPLY_KINDS), today)
    documents = {
        by_pk.get(pk, f"#{pk}"): text for pk, text in supply.values_list("pk", "search_text").iterator(chunk_size=5000)
    }
    needs = {n["key"]: Listing.objects.get(pk=keys[n["key"]]) for n in ls.NEEDS}

    def ours(need_key: str) -> list[str]:
        return [by_pk.get(m.listing.pk, f"#{m.listing.pk}") for m in matching.matches_for(needs[need_key], limit=10)]

    rankers = {"matches_for": ours}
    if variants:
        rankers["  without bonuses"] = lambda k: _run(_no_bonuses, ours, k)
        rankers["  query without syllable pairs"] = lambda k: _run(_without_pairs, ours, k)
    rankers["baseline: shared folded words"] = lambda k: ls.baseline_rank(
        ls.need_text(next(n for n in ls.NEEDS if n["key"] == k)), documents
    )
    if connection.vendor == "postgresql" and variants:
        rankers["baseline: ts_rank 'simple' (PostgreSQL)"] = lambda k: _ts_rank(
            ls.need_text(next(n for n in ls.NEEDS if n["key"] == k)), today, by_pk
        )
    results = {}
    for name, ranker in rankers.items():
        p5, nd = [], []
        for need in ls.NEEDS:
            ranked = ranker(need["key"])
            p5.append(ls.precision_at(ranked, need["relevant"], 5))
            nd.append(ls.ndcg_at(ranked, need["relevant"], 10))
        results[name] = {"p_at_5": ls.mean(p5), "ndcg_at_10": ls.mean(nd)}
    return results


def _run(context, ranker, key):
    with context():
        return ranker(key)


def _ts_rank(text: str, today: dt.date, by_pk: dict) -> list[str]:
    from django.db import connection

    from tests.marketplace import labelled_set as ls

    query = " | ".join(sorted(ls.baseline_words(text)))
    sql = (
        "SELECT id FROM marketplace_listing, to_tsquery('simple', %s) q "
        "WHERE kind IN ('offer', 'equipment', 'service') AND status = 'published' "
        "AND (valid_until IS NULL OR valid_until >= %s) AND to_tsvector('simple', search_text) @@ q "
        "ORDER BY ts_rank(to_tsvector('simple', search_text), q) DESC, id LIMIT 10"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, today])
        return [by_pk.get(row[0], f"#{row[0]}") for row in cursor.fetchall()]


# LATENCY --------------------------------------------------------------------------------------------
CPU: dict[str, list[float]] = {}  # CPU time of this process per side (ms)


def timed(fn, side: str = "") -> tuple[float, object]:
    """Wall-clock ms of fn(); its CPU time (this process: on SQLite the database work too, on
    PostgreSQL only the client's) goes to CPU[side]. On a shared machine the CPU time is the
    steadier figure: it does not count waiting for a core."""
    cpu, started = time.process_time(), time.perf_counter()
    result = fn()
    wall = (time.perf_counter() - started) * 1000
    if side:
        CPU.setdefault(side, []).append((time.process_time() - cpu) * 1000)
    return wall, result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def latency(needs: list, today: dt.date, repeat: int) -> dict:
    from django.db import connection

    from opendost.marketplace import matching

    cases = []
    for need in needs:
        query = matching.listing_analysis(need)
        dfs = matching.document_frequencies(query.counts)
        n, _avgdl = matching.corpus_statistics()
        weights = matching.retrieval_terms(dfs, n)
        sql, params = matching.candidate_sql(need, weights)
        cases.append((need, sql, params, query))

    def raw(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def stats(query):
        matching.document_frequencies(query.counts)
        return matching.corpus_statistics()

    for need, sql, params, query in cases[:5]:  # warm-up
        matching.matches_for(need, today=today)
        raw(sql, params)
        stats(query)
    a_ms, b_ms, c_ms, found = [], [], [], []
    for _ in range(repeat):
        for need, sql, params, query in cases:
            ta, result = timed(lambda need=need: matching.matches_for(need, today=today), "a")
            tb, rows = timed(lambda sql=sql, params=params: raw(sql, params), "b")
            tc, _stats = timed(lambda query=query: stats(query), "c")
            a_ms.append(ta)
            b_ms.append(tb)
            c_ms.append(tc)
            found.append((len(result), len(rows)))
    return {"a": a_ms, "b": b_ms, "c": c_ms, "found": found}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()} x {os.cpu_count()}"
    except OSError:
        pass
    return "unknown"


def print_quality(title: str, results: dict) -> None:
    print(f"\n{title}")
    print(f"{'ranking':42} {'P@5':>6} {'nDCG@10':>8}")
    for name, r in results.items():
        print(f"{name:42} {r['p_at_5']:6.3f} {r['ndcg_at_10']:8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="synthetic listings (0: quality only)")
    parser.add_argument("--queries", type=int, default=50, help="needs timed")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved passes over the needs")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure again on the database a --keep run left (implies --keep)"
    )
    args = parser.parse_args()
    args.keep = args.keep or args.reuse

    where, drop = throwaway_database(args.keep, args.reuse)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from opendost.marketplace.models import Listing, ListingTerm
    from tests.marketplace import labelled_set as ls

    ls.check()
    figures: dict = {"database": where, "cpu": cpu_model(), "rows": args.rows}
    try:
        print(f"database: {where} ({connection.vendor})")
        print(f"cpu:      {cpu_model()}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate:  {time.perf_counter() - started:.1f} s")
        today = timezone.localdate()
        labelled = [*ls.OFFERS, *({**n, "kind": "need"} for n in ls.NEEDS)]
        reused = args.reuse and Listing.objects.filter(code__startswith="SYN").count() == args.rows > 0
        if reused:  # a --keep run's data: the labelled listings were loaded first, in this order
            codes = dict(Listing.objects.filter(code__startswith="LAB").values_list("code", "pk"))
            keys = {item["key"]: codes[f"LAB000-{i:06d}"] for i, item in enumerate(labelled)}
            print(f"reused:   {args.rows:,} synthetic listings and the labelled set")
        else:
            ref = Reference()
            keys, _ = load(labelled, ref, today, "LAB")
        if not reused:  # (a reused database holds the synthetic listings too: see below)
            figures["quality"] = quality(keys, today, variants=True)
            print_quality(
                f"quality on the labelled set ({len(ls.NEEDS)} needs, {len(ls.OFFERS)} supply listings)",
                figures["quality"],
            )
        if args.rows:
            if not reused:
                rng = random.Random(args.seed)
                started = time.perf_counter()
                items = [synthetic_listing(rng, i) for i in range(args.rows)]
                generated = time.perf_counter() - started
                started = time.perf_counter()
                _, indexing = load(items, ref, today, "SYN")
                total = time.perf_counter() - started
                terms = ListingTerm.objects.count()
                print(
                    f"\nload:     {args.rows:,} synthetic listings in {total:.1f} s (generated in {generated:.1f} s; "
                    f"indexing {indexing:.1f} s = {args.rows / indexing:,.0f} listings/s), {terms:,} term rows"
                )
                figures["load"] = {"seconds": total, "indexing_seconds": indexing, "term_rows": terms}
            with connection.cursor() as cursor:  # what autovacuum does in production after a bulk load:
                # statistics for the planner and, on PostgreSQL, the visibility map that index-only
                # scans of the term index need (without it every posting visits the table).
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            figures["quality_100k"] = quality(keys, today, variants=False)
            print_quality(
                f"quality of the labelled needs among {args.rows:,} more listings (unlabelled = not relevant)",
                figures["quality_100k"],
            )
            sample = random.Random(args.seed + 1).sample(
                list(
                    Listing.objects.filter(code__startswith="SYN", kind="need", status="published").values_list(
                        "pk", flat=True
                    )
                ),
                args.queries,
            )
            needs = list(Listing.objects.filter(pk__in=sample).select_related("field", "owner_organization"))
            r = latency(needs, today, args.repeat)
            a50, b50, c50 = (statistics.median(r[x]) for x in "abc")
            cpu = {x: statistics.median(CPU[x]) for x in "abc"}
            print(
                f"\nlatency: {len(needs)} needs x {args.repeat} interleaved passes after a warm-up (ms)\n"
                f"{'':44} {'p50':>8} {'p95':>8} {'CPU p50':>8}\n"
                f"{'A matches_for(need, limit=10)':44} {a50:8.1f} {percentile(r['a'], 95):8.1f} {cpu['a']:8.1f}\n"
                f"{'B candidate SQL alone (raw)':44} {b50:8.1f} {percentile(r['b'], 95):8.1f} {cpu['b']:8.1f}\n"
                f"{'C document frequencies + corpus statistics':44} {c50:8.1f} {percentile(r['c'], 95):8.1f}"
                f" {cpu['c']:8.1f}\n"
                f"A/B p50 = {a50 / b50:.2f} (CPU {cpu['a'] / cpu['b']:.2f}); "
                f"per need: {statistics.median(f[0] for f in r['found']):.0f} matches, "
                f"{statistics.median(f[1] for f in r['found']):.0f} candidates; load average "
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
            )
            figures["latency"] = {
                "a_p50_ms": a50,
                "a_p95_ms": percentile(r["a"], 95),
                "b_p50_ms": b50,
                "b_p95_ms": percentile(r["b"], 95),
                "c_p50_ms": c50,
                "c_p95_ms": percentile(r["c"], 95),
                "ratio_p50": a50 / b50,
                "cpu_p50_ms": cpu,
                "load_average": os.getloadavg()[0],
            }
    finally:
        connections.close_all()
        drop()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    results = figures.get("quality") or figures.get("quality_100k")
    ours, base = results["matches_for"], results["baseline: shared folded words"]
    if ours["p_at_5"] <= base["p_at_5"]:
        print(f"\nFAILED: matches_for P@5 {ours['p_at_5']:.3f} <= baseline {base['p_at_5']:.3f}")
        sys.exit(1)


if __name__ == "__main__":
    main()
