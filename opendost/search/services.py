"""The only writers of the search index.

Domain services call `search_index(obj)` after they save a registered record and
`search_remove(obj)` before (or after) they delete one, inside their own transaction, so the index
commits or rolls back with the record. `search_reindex()` rebuilds the index from the records
(management command `search_reindex`), e.g. after a spec changes.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from opendost.common.text import normalize
from opendost.search.models import SearchDocument
from opendost.search.registry import SearchSpec, registered_models, spec_for
from opendost.search.text import exact_text, folded_text

_UPDATE_FIELDS = ["department", "title", "body", "title_exact", "folded", "updated_at"]


def _document(spec: SearchSpec, obj: models.Model, content_type: ContentType) -> SearchDocument:
    title = normalize(spec.title(obj))
    body = normalize(spec.body(obj))
    return SearchDocument(
        content_type=content_type,
        object_id=obj.pk,
        department_id=spec.department(obj),
        title=title,
        body=body,
        title_exact=exact_text(title),
        folded=folded_text(f"{title} {body}"),
    )


@transaction.atomic
def search_index(obj: models.Model) -> SearchDocument:
    """Create or refresh the search document of a saved record of a registered model."""
    spec = spec_for(type(obj))
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    document = _document(spec, obj, content_type)
    values = {name: getattr(document, name) for name in ["department_id", *_UPDATE_FIELDS[1:-1]]}
    document, _created = SearchDocument.objects.update_or_create(
        content_type=content_type, object_id=obj.pk, defaults=values
    )
    return document


@transaction.atomic
def search_index_many(objs: Iterable[models.Model]) -> int:
    """Refresh the documents of many saved records of one registered model in one statement, e.g.
    the people of an organisation whose name (part of their documents) has changed."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    return _index_batch(spec_for(model), objs, ContentType.objects.get_for_model(model, for_concrete_model=True))


@transaction.atomic
def search_remove(obj: models.Model) -> None:
    """Drop the search document of a record (a no-op when there is none)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    SearchDocument.objects.filter(content_type=content_type, object_id=obj.pk).delete()


def _index_batch(spec: SearchSpec, rows: Iterable[models.Model], content_type: ContentType) -> int:
    documents = [_document(spec, obj, content_type) for obj in rows]
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["content_type", "object_id"],
        update_fields=_UPDATE_FIELDS,
    )
    return len(documents)


def search_reindex(
    *, model_classes: Iterable[type[models.Model]] | None = None, batch_size: int = 1000
) -> dict[str, int]:
    """Rebuild the documents of the given models (default: every registered one), in batches.

    Each batch is its own transaction, so a long rebuild does not hold one huge write lock and
    search keeps working meanwhile. Documents of records that no longer exist are dropped. Returns
    the number of documents written per model label.
    """
    counts: dict[str, int] = {}
    full = model_classes is None
    for model in registered_models() if full else model_classes:
        spec = spec_for(model)
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
        rows = spec.rows().order_by("pk")
        written, last_pk = 0, None
        while True:
            page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
            batch = list(page[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                written += _index_batch(spec, batch, content_type)
            last_pk = batch[-1].pk
        with transaction.atomic():
            SearchDocument.objects.filter(content_type=content_type).exclude(
                object_id__in=model._default_manager.values("pk")
            ).delete()
        counts[model._meta.label] = written
    if connection.vendor == "sqlite":
        _fts5_maintain("rebuild" if full else "optimize")
    return counts


def _fts5_maintain(command: str) -> None:
    """FTS5 upkeep after a bulk rebuild: 'optimize' merges the index segments (smaller, faster);
    'rebuild' recreates the whole FTS index from search_searchdocument, which also repairs it if its
    triggers were ever lost (e.g. a future migration that rebuilds the table on SQLite)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES (%s)", [command])
