"""Matching of the technology exchange: the index, the ranking with its reasons, saved-search alerts.

Analysis (Vietnamese-aware, accent-insensitive)
    A text is cut into segments at punctuation, each segment into syllables (Vietnamese writes one
    syllable per "word"; most words are two syllables: "công nghệ", "nông nghiệp", "xử lý"). Each
    syllable is folded as `opendost.common.text.fold` does ("Thuỷ"/"thủy"/"THUY" -> "thuy"), a final
    "y" after a consonant read as "i" ("xử lý"/"xử lí", "kỹ"/"kĩ", "mỳ"/"mì"). Stopwords
    are dropped, then the index holds every kept syllable AND every pair of adjacent kept syllables
    of a segment ("xu ly", "ly nuoc", "nuoc thai"): pairs stand in for the two-syllable words a
    Vietnamese word segmenter would find, without the segmenter.

    Stopwords are matched WITH their diacritics when the text has them: folding merges function
    words with content words ("trong" in / "trồng" grow, "có" have / "cơ" mechanical, "là" is /
    "lá" leaf, "được" / "dược" pharmaceutical, "lên" / "lên men" ferment), so "trồng lúa" keeps
    "trong" while "trong ao" drops it. A text written without diacritics cannot be told apart, so
    only the folded stopwords that collide with no common content syllable are dropped there
    (PLAIN_STOPWORDS); the ambiguous ones stay as terms and the IDF weighs them down.

    SYNONYMS is a short, hand-kept table of domain pairs that share no syllable ("IoT" and
    "Internet vạn vật", "UAV" and "máy bay không người lái", "biogas" and "khí sinh học"): a text
    containing any variant also gets the group's canonical term. Keep it small: each entry must be
    a true synonym in this domain, never a related topic.

Index
    `listing_index(listing)` rewrites the listing's ListingTerm rows (term, count, the listing's
    kind) and its search_length (the number of terms, for BM25's length normalisation); the title
    counts twice. Only published listings are indexed, so the posting lists and the document
    frequencies are those of the public exchange. ListingTermStat keeps each term's document
    frequency and the corpus totals in step (upserts in the same transaction), so ranking reads a
    few primary keys instead of counting posting lists. `listing_unindex` removes a listing that
    leaves the exchange; the daily job `index_prune` catches any that expired or were withdrawn
    without it; `market_reindex` (management command) rebuilds everything in batches.

Ranking (`matches_for`)
    1. Analyse the listing in Python (it need not be published: an officer may preview the matches
       of a need before approving it).
    2. Document frequencies and corpus totals from ListingTermStat (the listing itself left out when
       it is indexed).
    3. Candidates in SQL (`candidate_sql`): listings sharing the query's rarest terms (at most
       RETRIEVAL_TERMS of them and about RETRIEVAL_POSTINGS index entries in all, so common terms
       such as "công nghệ" never make a scan), of the opposite side (a need looks for offers,
       equipment and services; the supply kinds look for needs), ranked by the summed IDF of the
       shared terms, read from the (term, kind, listing) index alone; the best CANDIDATES are kept,
       then those published and valid today.
    4. Score in Python: BM25 (k1=1.2, b=0.75) over all shared terms (their counts read from the
       (listing, term, count) index), times (1 + bonuses): same S&T field or the same parent
       field; readiness level (the need's expected TRL when given, otherwise, for an enterprise or
       cooperative, a higher TRL is better); same province or commune; the offer's price within the
       need's budget (a price far above it costs a little). An organisation is not matched with
       its own listings.
    5. Each Match carries its score, `strength` (the share of the query's IDF mass present in the
       candidate, 0..1, comparable between queries) and `reasons` (msgid + parameters, English
       msgids marked with gettext_noop and translated when shown); shared terms are shown as the
       phrases of the text they come from, with diacritics.
    The number of queries does not depend on the data (7); bench/marketplace_matching.py measures
    quality against a plain full-text baseline and latency at 100k listings.

Alerts (`alerts_send`, called when a listing is published)
    Every active user whose SavedSearch (alerts=True) matches the listing gets one in-app and
    e-mail message per listing (event key "marketplace.listing.<pk>.alert.<user pk>": sending twice
    writes nothing twice). When the listing is a supply listing (offer, equipment, service), the
    owners of the published needs whose own top NEED_ALERT_RANK matches now include it with
    strength >= NEED_ALERT_STRENGTH are told too (event key "marketplace.need.<pk>.match.<pk>"); at
    most NEED_ALERT_NEEDS needs are checked per publication, so publishing stays cheap.
"""

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from unidecode import unidecode

from opendost.marketplace.enums import ListingKind, ListingStatus
from opendost.marketplace.models import Listing, ListingTerm, ListingTermStat, SavedSearch
from opendost.notifications.enums import MessageChannel

# ANALYSIS -----------------------------------------------------------------------------------------

# Function words, as written with diacritics (lower case, NFC). "không" (không dây, không khí),
# "số" (số hoá), "bằng" (bằng sáng chế) and "thành" (thành phần) carry meaning here and are kept.
STOPWORDS = frozenset(
    """
    và của cho các những được trong với là có để một này đó khi từ theo tại về như cũng thì mà
    sẽ đã đang hoặc hay nên vào bị bởi rất nhiều ít mỗi trên dưới trước ở đến nếu vì
    tuy nhưng còn chỉ cùng qua do nào gì hơn nhất đây thế vậy chưa việc sự nhằm giúp tới lại vẫn
    đều rồi thể nhau cả hết đối
    the and of for with
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Folded stopwords that are dropped in text written without diacritics: only those whose folded
# form is not also a common content syllable. Left out on purpose: cua (cua: crab), cho (chợ),
# duoc (dược), trong (trồng), voi (vôi), la (lá), co (cơ), de (dê), do (đo, độ), khi (khí),
# tu (tủ, tự), tai (tải), ve (vệ), nhu (nhu cầu), cung (cung cầu), thi (thị), ma (mã), se (sẻ),
# da (da, đa), dang (dạng), nen (nén, nền), ra (rạ), len (lên men), bi (bí), boi (bồi),
# it (IT), moi (mới, môi trường), sau (sâu), o (ô nhiễm), den (đèn), vi (vi sinh), con (con giống),
# chi (chì), qua (quả), nhat (Nhật), day (dây), the (thẻ, thể), vay (vay), chua (chua), su (sứ),
# toi (tối ưu), lai (giống lai), van (van, vận), roi (rơi), ca (cá), het (hết), doi (đổi).
PLAIN_STOPWORDS = frozenset(
    """
    va cac nhung mot nay theo hoac hay vao rat nhieu tren duoi truoc neu tuy nao gi hon chua viec
    nham giup deu nhau and of for with
    """.split()  # noqa: SIM905
)
# Domain synonyms that share no syllable: canonical term -> folded variants. Any variant adds the
# canonical term once per occurrence (a text already written with the canonical form is unchanged).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "iot": ("internet van vat", "internet of things"),
    "ai": ("tri tue nhan tao", "artificial intelligence"),
    "drone": ("uav", "flycam", "may bay khong nguoi lai", "thiet bi bay khong nguoi lai"),
    "biogas": ("khi sinh hoc",),
    "solar": ("dien mat troi", "nang luong mat troi", "pin mat troi", "quang dien"),
    "uv": ("tia cuc tim",),
    "probiotic": ("probiotics", "men vi sinh"),
    "ca phe": ("cafe", "coffee"),
}
TITLE_WEIGHT = 2  # a title term counts twice
MAX_SYLLABLE = 40  # longer "words" (URLs, codes) are not indexed
ACCENTED_SHARE = 0.2  # a text with at least this share of marked syllables is "written with diacritics"

_SEGMENTS = re.compile(r"[.,;:!?()\[\]{}\"“”‘’/\\|•·…–—\-+=<>*#\n\r\t]+")
_WORDS = re.compile(r"[^\W_]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_Y_AFTER_CONSONANT = re.compile(r"^(qu|ph|th|tr|kh|[bdhklmnrstvx])y$")


def _phrase_table() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for canonical, variants in SYNONYMS.items():
        for variant in variants:
            words = tuple(variant.split())
            table.setdefault(words[0], []).append((words, canonical))
    return table


_PHRASES = _phrase_table()


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    """One syllable (already NFC, lower case) folded to [a-z0-9]; cached: Vietnamese has a few
    thousand distinct syllables, so the cache answers almost every call.

    A final "y" after a consonant is folded to "i": both spellings are in use ("kỹ thuật" /
    "kĩ thuật", "xử lý" / "xử lí", "quy trình" / "qui trình", "mỳ" / "mì", "tỷ" / "tỉ")."""
    folded = _NOT_ALNUM.sub("", unidecode(word).casefold())
    return _Y_AFTER_CONSONANT.sub(r"\1i", folded)


@dataclass
class Analysed:
    """Term counts of a text and, for each term, how it was first written (for the reasons)."""

    counts: Counter = field(default_factory=Counter)
    display: dict[str, str] = field(default_factory=dict)

    @property
    def length(self) -> int:
        return sum(self.counts.values())

    def add(self, term: str, shown: str, weight: int) -> None:
        self.counts[term] += weight
        known = self.display.get(term)
        if known is None or (known == term and shown != term):  # prefer a form with diacritics
            self.display[term] = shown


def _segments(text: str) -> list[list[tuple[str, str, bool]]]:
    """The text's segments (cut at punctuation), each a list of (folded syllable, syllable as
    written, kept) where kept is False for a stopword, a number or an over-long token."""
    text = unicodedata.normalize("NFC", text).lower()
    segments = [_WORDS.findall(segment) for segment in _SEGMENTS.split(text)]
    words = [w for segment in segments for w in segment]
    if not words:
        return []
    accented = sum(1 for w in words if _fold_word(w) != w) >= ACCENTED_SHARE * len(words)
    result = []
    for segment in segments:
        items = []
        for word in segment:
            f = _fold_word(word) if len(word) <= MAX_SYLLABLE else ""
            stop = not f or f.isdigit() or (word in STOPWORDS if accented else f in PLAIN_STOPWORDS)
            items.append((f, word, not stop))
        if items:
            result.append(items)
    return result


def analyse(text: str | None, *, weight: int = 1, into: Analysed | None = None) -> Analysed:
    """Syllables and adjacent syllable pairs of `text`, folded, without stopwords, plus the canonical
    terms of the synonyms it contains (see the module docstring). `weight` multiplies the counts;
    `into` accumulates several fields."""
    result = into if into is not None else Analysed()
    if not text:
        return result
    for segment in _segments(text):
        for f, word, kept in segment:
            if kept:
                result.add(f, word, weight)
        for (f1, w1, k1), (f2, w2, k2) in itertools.pairwise(segment):
            if k1 and k2:
                result.add(f"{f1} {f2}", f"{w1} {w2}", weight)
        folded = [item[0] for item in segment]
        for i, f in enumerate(folded):
            for words, canonical in _PHRASES.get(f, ()):
                if tuple(folded[i : i + len(words)]) == words:
                    result.add(canonical, " ".join(item[1] for item in segment[i : i + len(words)]), weight)
    return result


def terms(text: str | None) -> list[str]:
    """The distinct terms of a text, in order of first appearance (for tests and debugging)."""
    return list(analyse(text).counts)


def listing_analysis(listing: Listing) -> Analysed:
    """What a listing is matched on: its title (twice), summary, keywords, sector, expected result."""
    analysed = Analysed()
    for text in _matched_texts(listing):
        analyse(text, weight=TITLE_WEIGHT if text is listing.title else 1, into=analysed)
    return analysed


# INDEX --------------------------------------------------------------------------------------------

MAX_COUNT = 32767  # ListingTerm.count is a PositiveSmallIntegerField
LISTINGS_KEY, LENGTH_KEY = "#listings", "#length"  # corpus totals in ListingTermStat


def _indexable(listing: Listing) -> bool:
    return listing.status == ListingStatus.PUBLISHED


def _stats_apply(deltas: Counter) -> None:
    """Add `deltas` (term -> change of its document frequency, plus the two totals) to
    ListingTermStat with one upsert per term (INSERT ... ON CONFLICT DO UPDATE, SQLite and
    PostgreSQL alike), in term order so that two publishing transactions lock rows in the same order."""
    rows = sorted((term, delta) for term, delta in deltas.items() if delta)
    if not rows:
        return
    table = connection.ops.quote_name(ListingTermStat._meta.db_table)
    sql = (
        f"INSERT INTO {table} (term, df) VALUES (%s, %s) "  # noqa: S608 (placeholders and model names only)
        f"ON CONFLICT (term) DO UPDATE SET df = {table}.df + excluded.df"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _old_terms(listing_ids: list[int]) -> dict[int, dict[str, int]]:
    old: dict[int, dict[str, int]] = {}
    for listing_id, term, count in ListingTerm.objects.filter(listing_id__in=listing_ids).values_list(
        "listing_id", "term", "count"
    ):
        old.setdefault(listing_id, {})[term] = count
    return old


def _deltas(old: dict[str, int] | None, new: Counter | None) -> Counter:
    """The statistics change when a listing's terms go from `old` to `new` (None: not indexed)."""
    old_terms, new_terms = set(old or ()), set(new or ())
    deltas = Counter(dict.fromkeys(new_terms - old_terms, 1))
    deltas.subtract(dict.fromkeys(old_terms - new_terms, 1))
    deltas[LISTINGS_KEY] += (new is not None) - (old is not None)
    deltas[LENGTH_KEY] += sum((new or {}).values()) - sum((old or {}).values())
    return deltas


def _rows_insert(rows: list[tuple[int, str, int, str]]) -> None:
    """Plain multi-row INSERT of term rows (executemany: ORM objects cost more than the insert)."""
    if not rows:
        return
    table = connection.ops.quote_name(ListingTerm._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (listing_id, term, count, kind) VALUES (%s, %s, %s, %s)",  # noqa: S608
            rows,
        )


def _lengths_update(rows: list[tuple[int, int]]) -> None:
    table = connection.ops.quote_name(Listing._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET search_length = %s WHERE id = %s", rows)  # noqa: S608


def _term_rows(listing: Listing, counts: Counter) -> list[tuple[int, str, int, str]]:
    return [(listing.pk, term[:80], min(count, MAX_COUNT), listing.kind) for term, count in counts.items()]


@transaction.atomic
def listing_index(listing: Listing) -> int:
    """Rewrite the listing's terms (when it is published; otherwise remove them). Returns the number
    of distinct terms indexed. Called by the listing services after publishing or editing."""
    if not _indexable(listing):
        listing_unindex(listing)
        return 0
    return listing_index_bulk([listing])[1]


@transaction.atomic
def listing_unindex(listing: Listing) -> None:
    """Remove a listing from the matching index (it expired or was withdrawn)."""
    old = _old_terms([listing.pk]).get(listing.pk)
    if old is not None:
        ListingTerm.objects.filter(listing_id=listing.pk).delete()
        _stats_apply(_deltas(old, None))
    if old is not None or listing.search_length:
        listing.search_length = 0
        Listing.objects.filter(pk=listing.pk).update(search_length=0)


def listing_index_bulk(listings: Iterable[Listing], *, batch: int = 500) -> tuple[int, int]:
    """Index many listings, a batch per transaction: one DELETE, one executemany INSERT of the term
    rows, one bulk UPDATE of search_length and one upsert of the statistics per batch. Unpublished
    listings are unindexed. Returns (listings indexed, term rows written)."""
    indexed = rows_written = 0
    chunk: list[Listing] = []

    def flush() -> None:
        nonlocal indexed, rows_written
        with transaction.atomic():
            ids = [item.pk for item in chunk]
            old = _old_terms(ids)
            ListingTerm.objects.filter(listing_id__in=ids).delete()
            rows: list[tuple[int, str, int, str]] = []
            deltas: Counter = Counter()
            for item in chunk:
                counts = listing_analysis(item).counts if _indexable(item) else None
                deltas.update(_deltas(old.get(item.pk), counts))
                item.search_length = sum(counts.values()) if counts else 0
                if counts:
                    rows.extend(_term_rows(item, counts))
                    indexed += 1
            _rows_insert(rows)
            _lengths_update([(item.search_length, item.pk) for item in chunk])
            _stats_apply(deltas)
            rows_written += len(rows)
        chunk.clear()

    for listing in listings:
        chunk.append(listing)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    return indexed, rows_written


def index_prune(*, today=None) -> int:
    """Daily job: unindex the listings that left the exchange (expired, withdrawn) since they were
    indexed. An indexed listing has search_length > 0, so this reads the listing table only.
    Returns the number of listings removed from the index."""
    stale = Listing.objects.filter(search_length__gt=0).exclude(status=ListingStatus.PUBLISHED)
    removed = 0
    for listing in stale.only("id", "search_length").iterator(chunk_size=500):
        listing_unindex(listing)
        removed += 1
    return removed


INDEX_FIELDS = ("id", "kind", "status", "title", "summary", "keywords", "sector", "expected_result", "search_length")


def market_reindex(*, batch: int = 500) -> tuple[int, int, int]:
    """Rebuild the whole index: every published listing (by primary key ranges, so memory stays
    flat), then drop the terms of listings that are no longer published, then recount the
    statistics from the index. Returns (listings indexed, term rows, stale listings removed)."""
    published = Listing.objects.filter(status=ListingStatus.PUBLISHED).only(*INDEX_FIELDS).order_by("pk")
    indexed = rows = 0
    last = 0
    while True:
        page = list(published.filter(pk__gt=last)[:batch])
        if not page:
            break
        done, written = listing_index_bulk(page, batch=batch)
        indexed, rows, last = indexed + done, rows + written, page[-1].pk
    stale = list(
        ListingTerm.objects.exclude(listing__status=ListingStatus.PUBLISHED)
        .values_list("listing_id", flat=True)
        .distinct()
    )
    for start in range(0, len(stale), batch):
        ids = stale[start : start + batch]
        with transaction.atomic():
            ListingTerm.objects.filter(listing_id__in=ids).delete()
            Listing.objects.filter(pk__in=ids).update(search_length=0)
    stats_rebuild()
    return indexed, rows, len(stale)


@transaction.atomic
def stats_rebuild() -> None:
    """Recount ListingTermStat from the index (one GROUP BY) and the corpus totals."""
    stat, term = (connection.ops.quote_name(m._meta.db_table) for m in (ListingTermStat, ListingTerm))
    ListingTermStat.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {stat} (term, df) SELECT term, COUNT(*) FROM {term} GROUP BY term")  # noqa: S608
    listings = ListingTerm.objects.values("listing_id").distinct().count()
    length = ListingTerm.objects.aggregate(s=Sum("count"))["s"] or 0
    ListingTermStat.objects.bulk_create(
        [ListingTermStat(term=LISTINGS_KEY, df=listings), ListingTermStat(term=LENGTH_KEY, df=length)]
    )


# RANKING ------------------------------------------------------------------------------------------

SUPPLY_KINDS = (ListingKind.OFFER, ListingKind.EQUIPMENT, ListingKind.SERVICE)
DEMAND_KINDS = (ListingKind.NEED,)
K1, B = 1.2, 0.75  # BM25
K3 = 2.0  # saturation of a term repeated in the query (the title counts twice)
PAIR_WEIGHT = 1.0  # a syllable pair weighs as much as a syllable of the same rarity
RETRIEVAL_TERMS = 40  # candidates share at least one of the query's rarest terms, at most this many
RETRIEVAL_POSTINGS = 40_000  # ... and no more index entries than this in all (common terms drop out)
CANDIDATES = 150  # scored in Python
SHOWN_TERMS = 6  # shared terms named in the reasons
# Bonuses multiply the text score by (1 + their sum): a candidate never matches on metadata alone.
BONUS_FIELD = 0.30
BONUS_FIELD_RELATED = 0.10
BONUS_READINESS = 0.15
PENALTY_READINESS_STEP = 0.05  # per level below the need's expectation (at most 4 steps)
BONUS_PROVINCE = 0.10
BONUS_COMMUNE = 0.15  # instead of the province bonus
BONUS_BUDGET = 0.10
PENALTY_OVER_BUDGET = 0.10  # price above 1.5 x the budget's upper bound
PRODUCER_KINDS = ("enterprise", "cooperative")  # OrganizationKind values: owners that need ready technology


@dataclass(frozen=True)
class Reason:
    """Why a listing matched: an English msgid (marked with gettext_noop) and its parameters; `str()`
    translates it into the active language."""

    code: str
    msgid: str
    params: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def text(self) -> str:
        return _(self.msgid) % self.params if self.params else _(self.msgid)

    def __str__(self) -> str:
        return self.text


@dataclass
class Match:
    listing: Listing
    score: float
    strength: float  # share of the query's IDF mass present in the listing, 0..1
    text_score: float  # BM25 alone, before the bonuses
    reasons: list[Reason]
    shared_terms: list[str]  # as written (diacritics kept where one of the two texts has them)


@dataclass
class _Candidate:
    pk: int
    kind: str
    length: int
    field_id: int | None
    field_parent_id: int | None
    province_id: int | None
    commune_id: int | None
    readiness_level: int | None
    price_vnd: int | None
    price_negotiable: bool
    owner_organization_id: int | None
    owner_kind: str | None
    budget_min_vnd: int | None
    budget_max_vnd: int | None
    tf: dict[str, int] = field(default_factory=dict)


_CANDIDATE_COLUMNS = (
    "pk",
    "kind",
    "search_length",
    "field_id",
    "field__parent_id",
    "province_id",
    "commune_id",
    "readiness_level",
    "price_vnd",
    "price_negotiable",
    "owner_organization_id",
    "owner_organization__kind",
    "budget_min_vnd",
    "budget_max_vnd",
)


def target_kinds(listing: Listing) -> tuple[str, ...]:
    """The kinds a listing is matched against: a need against the supply side, and vice versa."""
    return SUPPLY_KINDS if listing.kind == ListingKind.NEED else DEMAND_KINDS


def valid_public(queryset, today, prefix: str = ""):
    """Published listings valid on `today` (open ends allowed)."""
    return queryset.filter(
        Q(**{f"{prefix}status": ListingStatus.PUBLISHED}),
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": today}),
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today}),
    )


def document_frequencies(term_list: Iterable[str]) -> dict[str, int]:
    """How many indexed (published) listings contain each term (primary-key reads of ListingTermStat)."""
    term_list = list(term_list)
    found: dict[str, int] = {}
    for start in range(0, len(term_list), 500):  # SQLite's bound-parameter limit stays far away
        found.update(
            ListingTermStat.objects.filter(term__in=term_list[start : start + 500], df__gt=0).values_list("term", "df")
        )
    return found


def corpus_statistics() -> tuple[int, float]:
    """(number of indexed listings, their mean number of terms)."""
    totals = dict(ListingTermStat.objects.filter(term__in=[LISTINGS_KEY, LENGTH_KEY]).values_list("term", "df"))
    n = totals.get(LISTINGS_KEY, 0)
    return n, totals.get(LENGTH_KEY, 0) / n if n > 0 else 0.0


def _statistics_without(listing: Listing, query: Analysed) -> tuple[dict[str, int], int, float]:
    """Document frequencies of the query's terms and the corpus totals, leaving out the listing
    itself when it is indexed (a published listing): a term only it holds is shared with nobody."""
    dfs = document_frequencies(query.counts)
    n, avgdl = corpus_statistics()
    if listing.pk and _indexable(listing):
        dfs = {t: df - 1 for t, df in dfs.items() if df > 1}
        n = max(n - 1, 0)
    return dfs, n, avgdl


def idf(df: int, n: int) -> float:
    n = max(n, df)
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def retrieval_terms(dfs: dict[str, int], n: int) -> dict[str, float]:
    """The rarest query terms (with their IDF) that candidates must share at least one of."""
    chosen: dict[str, float] = {}
    postings = 0
    for term, df in sorted(dfs.items(), key=lambda item: (item[1], item[0])):
        if df <= 0:
            continue
        if len(chosen) >= RETRIEVAL_TERMS or (chosen and postings + df > RETRIEVAL_POSTINGS):
            break
        chosen[term] = idf(df, n)
        postings += df
    return chosen


def candidate_sql(listing: Listing, weights: dict[str, float], *, kinds=None) -> tuple[str, list]:
    """The SQL candidate query: (listing_id, summed IDF of the shared retrieval terms), best first.

    Written by hand so that it reads the term index (term, kind, listing) and nothing else: one range
    per retrieval term, driven by a VALUES list of (term, weight). Whether a candidate is published
    and valid today is checked on the few hundred found (only published listings are indexed; a
    listing that expired or was withdrawn since leaves at the next index change or reindex)."""
    kinds = [str(k) for k in (kinds or target_kinds(listing))]
    table = connection.ops.quote_name(ListingTerm._meta.db_table)
    pairs = ", ".join(["(%s, %s)"] * len(weights))
    marks = ", ".join(["%s"] * len(kinds))
    sql = (
        f"WITH w (term, weight) AS (VALUES {pairs}) "  # noqa: S608 (placeholders and model names only)
        f"SELECT t.listing_id, SUM(w.weight) AS s FROM w JOIN {table} t ON t.term = w.term "
        f"WHERE t.kind IN ({marks}) AND t.listing_id <> %s "
        f"GROUP BY t.listing_id ORDER BY s DESC, t.listing_id LIMIT {int(CANDIDATES)}"
    )
    params = [value for pair in weights.items() for value in pair] + kinds + [listing.pk or 0]
    return sql, params


def candidate_ids(listing: Listing, weights: dict[str, float], *, kinds=None) -> list[int]:
    sql, params = candidate_sql(listing, weights, kinds=kinds)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def term_counts(listing_ids: list[int], term_list: list[str]) -> list[tuple[int, str, int]]:
    """(listing_id, term, count) of these listings for these terms. The term test is written
    `term || ''` so that neither SQLite nor PostgreSQL drives the query by the term index (every
    posting of every query term); the listing's own rows (listing, term) are read instead."""
    if not listing_ids or not term_list:
        return []
    table = connection.ops.quote_name(ListingTerm._meta.db_table)
    sql = (
        f"SELECT listing_id, term, count FROM {table} "  # noqa: S608 (placeholders and model names only)
        f"WHERE listing_id IN ({', '.join(['%s'] * len(listing_ids))}) "
        f"AND (term || '') IN ({', '.join(['%s'] * len(term_list))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*listing_ids, *term_list])
        return cursor.fetchall()


def _bm25(tf: int, length: int, avgdl: float) -> float:
    norm = 1.0 - B + B * (length / avgdl if avgdl else 1.0)
    return tf * (K1 + 1.0) / (tf + K1 * norm)


def matches_for(listing: Listing, *, limit: int = 10, today=None, kinds=None) -> list[Match]:
    """The best `limit` matches of a listing (see the module docstring), best first."""
    today = today or timezone.localdate()
    query = listing_analysis(listing)
    if not query.counts:
        return []
    dfs, n, avgdl = _statistics_without(listing, query)
    weights = retrieval_terms(dfs, n)
    if not weights:
        return []
    found = candidate_ids(listing, weights, kinds=kinds)
    if not found:
        return []
    candidates = {
        row[0]: _Candidate(*row)
        for row in valid_public(Listing.objects.filter(pk__in=found), today)
        .values_list(*_CANDIDATE_COLUMNS)
        .order_by()
    }
    for listing_id, term, count in term_counts(list(candidates), [t for t in query.counts if dfs.get(t)]):
        candidates[listing_id].tf[term] = count
    query_weight = {
        t: idf(dfs[t], n) * (K3 + 1.0) * c / (K3 + c) * (PAIR_WEIGHT if " " in t else 1.0)
        for t, c in query.counts.items()
        if dfs.get(t)
    }
    query_mass = sum(query_weight.values()) or 1.0
    owner_kind = _owner_kind(listing)

    scored = []
    for candidate in candidates.values():
        if listing.owner_organization_id and candidate.owner_organization_id == listing.owner_organization_id:
            continue  # an organisation is not matched with its own listings
        contributions = {t: query_weight[t] * _bm25(tf, candidate.length, avgdl) for t, tf in candidate.tf.items()}
        text_score = sum(contributions.values())
        if text_score <= 0:
            continue
        bonus, reasons = _bonuses(listing, candidate, owner_kind)
        strength = sum(query_weight[t] for t in candidate.tf) / query_mass
        scored.append((text_score * (1.0 + bonus), text_score, strength, candidate, contributions, reasons))
    scored.sort(key=lambda item: (-item[0], item[3].pk))
    top = scored[:limit]
    objects = Listing.objects.select_related(
        "field", "field__parent", "province", "commune", "owner_organization", "owner_person"
    ).in_bulk([item[3].pk for item in top])
    matches = []
    for score, text_score, strength, candidate, contributions, reasons in top:
        other = objects[candidate.pk]
        shown = _shown_terms(contributions, listing, query, other)
        matches.append(
            Match(
                listing=other,
                score=score,
                strength=min(1.0, strength),
                text_score=text_score,
                reasons=[
                    _terms_reason(shown),
                    *(_reason_text(code, listing, other, value) for code, value in reasons),
                ],
                shared_terms=shown,
            )
        )
    return matches


def _owner_kind(listing: Listing) -> str | None:
    if not listing.owner_organization_id:
        return None
    return listing.owner_organization.kind


def _bonuses(listing: Listing, candidate: _Candidate, owner_kind: str | None) -> tuple[float, list]:
    """(sum of the bonuses, [(reason code, value)...]) for a pair; symmetric in need and offer."""
    bonus, reasons = 0.0, []
    if listing.field_id and candidate.field_id:
        parent = listing.field.parent_id if listing.field_id else None
        if candidate.field_id == listing.field_id:
            bonus += BONUS_FIELD
            reasons.append(("field", None))
        elif (parent and parent in (candidate.field_id, candidate.field_parent_id)) or (
            candidate.field_parent_id == listing.field_id
        ):
            bonus += BONUS_FIELD_RELATED
            reasons.append(("field_related", None))
    if listing.kind == ListingKind.NEED:
        need = {
            "trl": listing.readiness_level,
            "owner_kind": owner_kind,
            "min": listing.budget_min_vnd,
            "max": listing.budget_max_vnd,
        }
        supply = {"trl": candidate.readiness_level, "price": candidate.price_vnd}
    else:
        need = {
            "trl": candidate.readiness_level,
            "owner_kind": candidate.owner_kind,
            "min": candidate.budget_min_vnd,
            "max": candidate.budget_max_vnd,
        }
        supply = {"trl": listing.readiness_level, "price": listing.price_vnd}
    trl = supply["trl"]
    if trl:
        if need["trl"]:
            if trl >= need["trl"]:
                bonus += BONUS_READINESS
                reasons.append(("readiness_met", need["trl"]))
            else:
                bonus -= PENALTY_READINESS_STEP * min(4, need["trl"] - trl)
        elif need["owner_kind"] in PRODUCER_KINDS and trl >= 5:
            bonus += BONUS_READINESS * (trl - 4) / 5
            if trl >= 7:
                reasons.append(("readiness_high", None))
    if listing.commune_id and listing.commune_id == candidate.commune_id:
        bonus += BONUS_COMMUNE
        reasons.append(("commune", None))
    elif listing.province_id and listing.province_id == candidate.province_id:
        bonus += BONUS_PROVINCE
        reasons.append(("province", None))
    price, top = supply["price"], need["max"]
    if price and top:
        if price <= top:
            bonus += BONUS_BUDGET
            reasons.append(("budget", None))
        elif price > 1.5 * top:
            bonus -= PENALTY_OVER_BUDGET
    return bonus, reasons


def _shown_terms(
    contributions: dict[str, float], listing: Listing, query: Analysed, other_listing: Listing
) -> list[str]:
    """The shared terms that weigh most, as phrases of the listing's own text: a run of syllables
    whose every adjacent pair is shared reads as one phrase ("thuốc bảo vệ thực vật", not "vệ thực");
    a shared syllable outside any run stands alone. A phrase contained in a weightier one is not
    repeated. Diacritics come from whichever text has them."""
    phrases: dict[str, float] = {}  # folded phrase -> weight
    for text in _matched_texts(listing):
        for segment in _segments(text):
            run: list[str] = []
            for f, _word, kept in [*segment, ("", "", False)]:
                if run and kept and f"{run[-1]} {f}" in contributions:
                    run.append(f)
                    continue
                if len(run) > 1:
                    terms_ = set(run) | {f"{a} {b}" for a, b in itertools.pairwise(run)}
                    folded = " ".join(run)
                    phrases[folded] = max(phrases.get(folded, 0.0), sum(contributions.get(t, 0.0) for t in terms_))
                run = [f] if kept else []
    for term, weight in contributions.items():
        if " " not in term or term in SYNONYMS:
            phrases.setdefault(term, weight)
    shown: list[str] = []
    kept_phrases: list[str] = []
    other: list[Analysed] = []  # analysed only if the listing's own text lacks a diacritic form

    def theirs() -> Analysed:
        if not other:
            other.append(listing_analysis(other_listing))
        return other[0]

    for folded, _weight in sorted(phrases.items(), key=lambda item: (-item[1], item[0])):
        if any(f" {folded} " in f" {longer} " for longer in kept_phrases):
            continue
        text = _written(folded, query, theirs)
        if text not in shown:
            kept_phrases.append(folded)
            shown.append(text)
        if len(shown) >= SHOWN_TERMS:
            break
    return shown


def _written(folded: str, query: Analysed, theirs) -> str:
    """A folded phrase as one of the two texts wrote it (with diacritics if either has them); a
    synonym shows both ways ("IoT / Internet vạn vật"). `theirs()` analyses the other text."""
    if folded in SYNONYMS:
        mine, other = query.display.get(folded, folded), theirs().display.get(folded, folded)
        return mine if _fold_phrase(mine) == _fold_phrase(other) else f"{mine} / {other}"
    words = folded.split()
    for display in (query.display, None):
        display = display if display is not None else theirs().display
        if len(words) == 1:
            text = display.get(folded)
        else:  # built from the text's own pairs, so each syllable keeps its diacritics in context
            pairs = [display.get(f"{a} {b}") for a, b in itertools.pairwise(words)]
            text = None if None in pairs else " ".join([pairs[0].split()[0], *(p.split()[1] for p in pairs)])
        if text and not _plain(text):
            return text
    return query.display.get(folded) or folded


def _plain(text: str) -> bool:
    return text == unidecode(text)


def _matched_texts(listing: Listing) -> list[str]:
    return [
        t for t in (listing.title, listing.summary, listing.keywords, listing.sector, listing.expected_result) if t
    ]


def _fold_phrase(text: str) -> str:
    return " ".join(_fold_word(w) for w in text.split())


def _terms_reason(shown: list[str]) -> Reason:
    return Reason("terms", gettext_noop("Shared terms: %(terms)s"), {"terms": ", ".join(shown)})


def _reason_text(code: str, listing: Listing, other: Listing, value) -> Reason:
    from opendost.common.templatetags.opendost import vnd

    need, supply = (listing, other) if listing.kind == ListingKind.NEED else (other, listing)
    if code == "field":
        return Reason(code, gettext_noop("Same S&T field: %(field)s"), {"field": other.field.name})
    if code == "field_related":
        return Reason(
            code,
            gettext_noop("Related S&T fields: %(field)s and %(other)s"),
            {"field": listing.field.name, "other": other.field.name},
        )
    if code == "readiness_met":
        return Reason(
            code,
            gettext_noop("Readiness level %(level)s meets the expected level %(expected)s"),
            {"level": supply.readiness_level, "expected": value},
        )
    if code == "readiness_high":
        return Reason(
            code,
            gettext_noop("Readiness level %(level)s: ready to be applied in production"),
            {"level": supply.readiness_level},
        )
    if code == "commune":
        return Reason(
            code,
            gettext_noop("Same commune: %(commune)s, %(province)s"),
            {"commune": other.commune.name, "province": other.province.name if other.province_id else ""},
        )
    if code == "province":
        return Reason(code, gettext_noop("Same province: %(province)s"), {"province": other.province.name})
    if code == "budget":
        return Reason(
            code,
            gettext_noop("Indicative price %(price)s VND within the budget of up to %(budget)s VND"),
            {"price": vnd(supply.price_vnd), "budget": vnd(need.budget_max_vnd)},
        )
    raise ValueError(code)


# SAVED SEARCHES AND ALERTS ------------------------------------------------------------------------

ALERT_CHANNELS = (MessageChannel.IN_APP, MessageChannel.EMAIL)
NEED_ALERT_NEEDS = 10  # needs checked when an offer is published
NEED_ALERT_RANK = 5  # the offer must be among the need's first matches ...
NEED_ALERT_STRENGTH = 0.25  # ... and carry at least this share of the need's terms


def search_words(query: str | None) -> list[str]:
    """The folded syllables a saved search requires (stopwords left out), in order, once each."""
    if not query:
        return []
    return list(dict.fromkeys(f for segment in _segments(query) for f, _word, kept in segment if kept))


def fold_words(text: str | None) -> set[str]:
    """Every folded syllable of a text, stopwords included."""
    if not text:
        return set()
    return {f for f in map(_fold_word, _WORDS.findall(unicodedata.normalize("NFC", text).lower())) if f}


def _listing_words(listing: Listing) -> set[str]:
    text = listing.search_text or " ".join(
        filter(None, [listing.title, listing.summary, listing.keywords, listing.sector, listing.expected_result])
    )
    return fold_words(text)


def saved_search_matches(search: SavedSearch, listing: Listing, *, today=None, _words: set | None = None) -> bool:
    """Whether a published, valid listing meets a saved search: its kind (if set), every word of the
    search present in the listing's folded text (accents ignored), the field (or a sub-field of it),
    the province and the minimum readiness level."""
    today = today or timezone.localdate()
    if listing.status != ListingStatus.PUBLISHED:
        return False
    if (listing.valid_from and listing.valid_from > today) or (listing.valid_until and listing.valid_until < today):
        return False
    if search.kind and search.kind != listing.kind:
        return False
    in_field = search.field_id in (listing.field_id, listing.field.parent_id if listing.field_id else None)
    if search.field_id and not in_field:
        return False
    if search.province_id and search.province_id != listing.province_id:
        return False
    if search.min_readiness_level and (listing.readiness_level or 0) < search.min_readiness_level:
        return False
    words = search_words(search.query)
    return not words or set(words) <= (_words if _words is not None else _listing_words(listing))


def _searches_for(listing: Listing):
    """Saved searches with alerts that may match the listing (the word test is done in Python)."""
    fields = [listing.field_id, listing.field.parent_id] if listing.field_id else []
    return (
        SavedSearch.objects.filter(alerts=True, user__is_active=True)
        .filter(Q(kind="") | Q(kind=listing.kind))
        .filter(Q(province__isnull=True) | Q(province_id=listing.province_id))
        .filter(Q(field__isnull=True) | Q(field_id__in=[f for f in fields if f]))
        .filter(Q(min_readiness_level__isnull=True) | Q(min_readiness_level__lte=listing.readiness_level or 0))
        .exclude(user_id=listing.created_by_id)
        .select_related("user")
        .order_by("user_id", "pk")
    )


def _url(listing: Listing) -> str:
    try:
        return reverse("exchange:listing_detail", args=[listing.public_id])
    except NoReverseMatch:
        try:
            return listing.get_absolute_url()
        except NoReverseMatch:
            return ""


def alerts_send(listing: Listing, *, today=None) -> int:
    """Notify the users whose saved searches match a newly published listing, then (for a supply
    listing) the owners of the needs it now matches well. Returns the number of users notified.
    Idempotent: a second call writes no second message (the event keys name the listing)."""
    from opendost.notifications.services import notify

    today = today or timezone.localdate()
    if listing.status != ListingStatus.PUBLISHED:
        return 0
    per_user: dict[int, tuple] = {}
    words = _listing_words(listing)
    for search in _searches_for(listing).iterator(chunk_size=500):
        if search.user_id not in per_user and saved_search_matches(search, listing, today=today, _words=words):
            per_user[search.user_id] = (search.user, search.name)
    notified = 0
    values = {"code": listing.code, "title": listing.title}
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        for user_id, (user, name) in per_user.items():
            messages = notify(
                event_key=f"marketplace.listing.{listing.pk}.alert.{user_id}",
                recipients=[user],
                subject=_("New listing for your saved search “%(search)s”") % {"search": name},
                body=_("Listing %(code)s: %(title)s") % values,
                channels=ALERT_CHANNELS,
                context={"url": _url(listing)},
            )
            notified += int(bool(messages))
        if listing.kind in SUPPLY_KINDS:
            notified += _need_owners_notify(listing, today=today, notify=notify)
    return notified


def _need_owners_notify(offer: Listing, *, today, notify) -> int:
    from opendost.accounts.models import User

    notified = 0
    for match in matches_for(offer, limit=NEED_ALERT_NEEDS, today=today):
        need = match.listing
        if not need.owner_organization_id or match.strength < NEED_ALERT_STRENGTH / 2:
            continue
        recipients = list(User.objects.filter(organization_id=need.owner_organization_id, is_active=True))
        if not recipients:
            continue
        top = matches_for(need, limit=NEED_ALERT_RANK, today=today)
        if not any(m.listing.pk == offer.pk and m.strength >= NEED_ALERT_STRENGTH for m in top):
            continue
        messages = notify(
            event_key=f"marketplace.need.{need.pk}.match.{offer.pk}",
            recipients=recipients,
            subject=_("A new listing matches your need %(code)s") % {"code": need.code},
            body=_("%(offer)s: %(title)s matches your need “%(need)s”.")
            % {"offer": offer.code, "title": offer.title, "need": need.title},
            channels=ALERT_CHANNELS,
            context={"url": _url(offer)},
        )
        notified += int(bool(messages))
    return notified
