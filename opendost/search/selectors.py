"""Reads of the search index: one interface over SQLite FTS5 and PostgreSQL full-text search.

`search()` answers the global search; `search_filter()` narrows any queryset of a registered model
to the rows a query finds (list pages keep their own scoping, ordering and pagination).

What matches: every word of the query, folded (no diacritics, đ = d, any case, NFC or NFD, any
tone placement), the last word also as a prefix ("bac gi" finds "Bắc Giang"). Ranking: records
whose title contains the query as typed, diacritics included (tone placement ignored), come first;
then the engine's relevance (bm25 on SQLite, ts_rank on PostgreSQL); then the title.

All SQL here is parameterised; the only text pasted into it is placeholders and the names of our
own tables and columns (S-21).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Q

from opendost.search.models import SearchDocument
from opendost.search.registry import registered_models, spec_for
from opendost.search.text import ParsedQuery, parse_query

MAX_LIMIT = 100
MAX_OFFSET = 1000


@dataclass(frozen=True)
class Hit:
    content_type: ContentType
    object_id: int
    title: str
    score: float  # higher is more relevant; comparable only within one result list
    exact: bool  # the title contains the query as typed, diacritics included


# {filters} receives only "AND d.<column> IN (%s, ...)" conditions built from placeholders.
_POSTGRESQL_SQL = (
    "SELECT d.content_type_id, d.object_id, d.title, ts_rank(d.folded_tsv, q.q) AS score,"
    " strpos(' ' || d.title_exact, %s) > 0 AS exact"
    " FROM search_searchdocument d, to_tsquery('simple', %s) AS q(q)"
    " WHERE d.folded_tsv @@ q.q{filters}"
    " ORDER BY exact DESC, score DESC, d.title, d.id LIMIT %s OFFSET %s"
)
_SQLITE_SQL = (
    "SELECT d.content_type_id, d.object_id, d.title, -bm25(search_fts) AS score,"
    " instr(' ' || d.title_exact, %s) > 0 AS exact"
    " FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid"
    " WHERE search_fts MATCH %s{filters}"
    " ORDER BY exact DESC, score DESC, d.title, d.id LIMIT %s OFFSET %s"
)


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _search_sql(parsed: ParsedQuery, content_type_ids: list[int] | None, department_ids: list[int] | None):
    """The ranked query for this database, and its parameters."""
    where, params = [], []
    if content_type_ids is not None:
        where.append(f"d.content_type_id IN ({_placeholders(content_type_ids)})")
        params += content_type_ids
    if department_ids is not None:
        if department_ids:
            where.append(f"(d.department_id IS NULL OR d.department_id IN ({_placeholders(department_ids)}))")
            params += department_ids
        else:
            where.append("d.department_id IS NULL")
    filters = "".join(f" AND {w}" for w in where)
    exact = f" {parsed.exact}" if parsed.exact else "\n"  # "\n" never occurs in title_exact
    if connection.vendor == "postgresql":
        return _POSTGRESQL_SQL.format(filters=filters), [exact, parsed.tsquery(), *params]
    return _SQLITE_SQL.format(filters=filters), [exact, parsed.fts5(), *params]


def _content_type_ids(model_classes: Iterable[type[models.Model]] | None) -> list[int] | None:
    if model_classes is None:
        return None
    by_model = ContentType.objects.get_for_models(*model_classes, for_concrete_models=True)
    return [ct.pk for ct in by_model.values()]


def search(
    query: str | None,
    *,
    models: Iterable[type[models.Model]] | None = None,
    department_ids: Iterable[int] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[Hit]:
    """Ranked hits for a typed query. An empty or punctuation-only query finds nothing.

    `models` limits the hits to those models; `department_ids` to records of those departments
    (plus records that belong to none). Neither replaces the caller's permission check: a view
    shows a hit only if the record is in `Model.objects.visible_to(user)`.
    """
    parsed = parse_query(query)
    limit, offset = max(0, min(int(limit), MAX_LIMIT)), max(0, min(int(offset), MAX_OFFSET))
    if not parsed or limit == 0:
        return []
    content_type_ids = _content_type_ids(models)
    if content_type_ids == []:
        return []
    departments = None if department_ids is None else [int(d) for d in department_ids]
    sql, params = _search_sql(parsed, content_type_ids, departments)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        rows = cursor.fetchall()
    return [
        Hit(
            content_type=ContentType.objects.get_for_id(ct_id),
            object_id=object_id,
            title=title,
            score=float(score),
            exact=bool(exact),
        )
        for ct_id, object_id, title, score, exact in rows
    ]


class FullTextMatch(models.Expression):
    """A WHERE condition on SearchDocument rows: the document matches the parsed query.

    Usable in any (sub)query of SearchDocument; the table alias is taken from the compiled `folded`
    column so it also works under the aliases Django gives subqueries.
    """

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, parsed: ParsedQuery):
        super().__init__()
        self.parsed = parsed
        self.column = F("folded")

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        qn = connection.ops.quote_name
        alias = qn(self.column.alias)
        if connection.vendor == "postgresql":
            return f"{alias}.{qn('folded_tsv')} @@ to_tsquery('simple', %s)", [self.parsed.tsquery()]
        sql = f"{alias}.{qn('id')} IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"  # noqa: S608
        return sql, [self.parsed.fts5()]


def search_condition(model: type[models.Model], query: str | None) -> Q | None:
    """A filter for `model` rows whose search document matches `query` (None when the query has no
    words), to combine with other conditions: `qs.filter(search_condition(Person, q) | Q(...))`."""
    parsed = parse_query(query)
    if not parsed:
        return None
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    matching = SearchDocument.objects.filter(FullTextMatch(parsed), content_type=content_type)
    return Q(pk__in=matching.values("object_id"))


def search_exact_first(queryset: models.QuerySet, query: str | None) -> models.QuerySet:
    """`queryset` with the rows whose title contains `query` as typed (diacritics included, tone
    placement ignored) first, then in the queryset's own order."""
    parsed = parse_query(query)
    if not parsed.exact:
        return queryset
    content_type = ContentType.objects.get_for_model(queryset.model, for_concrete_model=True)
    exact = Q(title_exact__startswith=parsed.exact) | Q(title_exact__contains=f" {parsed.exact}")
    documents = SearchDocument.objects.filter(exact, content_type=content_type, object_id=OuterRef("pk"))
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.alias(search_exact=Exists(documents)).order_by(F("search_exact").desc(), *ordering)


def search_filter(queryset: models.QuerySet, query: str | None) -> models.QuerySet:
    """`queryset` narrowed to the rows whose search document matches `query`, exact-diacritic
    matches first, then the queryset's own ordering; its scoping (visible_to) and pagination are
    the caller's. A blank query returns it unchanged; one with no searchable word ("?!") finds
    nothing. The model must be registered."""
    if not (query or "").strip():
        return queryset
    condition = search_condition(queryset.model, query)
    if condition is None:
        return queryset.none()
    return search_exact_first(queryset.filter(condition), query)


# THE SEARCH PAGE ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResultRow:
    title: str
    url: str
    exact: bool


@dataclass(frozen=True)
class ResultGroup:
    label: str
    rows: list[ResultRow]


PAGE_HITS = 100  # hits fetched for the page; each type shows at most PER_TYPE of them
PER_TYPE = 20


def _department_ids_for(user) -> list[int] | None:
    if getattr(user, "sees_all_departments", False):
        return None
    department = getattr(user, "department", None)
    return department.jurisdiction_ids() if department is not None else []


def searchable_models_for(user) -> list[type[models.Model]]:
    """Registered models whose hits `user` may see: the view permission and a visible_to() scope."""
    return [
        model
        for model in registered_models()
        if hasattr(model._default_manager, "visible_to") and user.has_perm(spec_for(model).view_permission)
    ]


def search_results_for(user, query: str | None) -> list[ResultGroup]:
    """The search page: hits grouped by type, in rank order, each one a record `user` may see.

    Hits are first limited to the user's departments (cheap, in the index), then every hit is
    checked against `Model.objects.visible_to(user)` (the one definition of who sees what), so an
    outsider never sees another department's records, not even their titles.
    """
    allowed = searchable_models_for(user)
    if not allowed:
        return []
    hits = search(query, models=allowed, department_ids=_department_ids_for(user), limit=PAGE_HITS)
    by_type: dict[int, list[Hit]] = {}
    for hit in hits:
        by_type.setdefault(hit.content_type.pk, []).append(hit)
    groups = []
    for type_hits in by_type.values():
        model = type_hits[0].content_type.model_class()
        spec = spec_for(model)
        visible = model._default_manager.visible_to(user).filter(pk__in=[h.object_id for h in type_hits])
        objects = visible.in_bulk()
        rows = [
            ResultRow(title=h.title, url=spec.url_of(objects[h.object_id]), exact=h.exact)
            for h in type_hits
            if h.object_id in objects
        ][:PER_TYPE]
        if rows:
            groups.append(ResultGroup(label=str(model._meta.verbose_name_plural).capitalize(), rows=rows))
    return groups
