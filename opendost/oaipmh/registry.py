"""What the OAI-PMH provider publishes: record sources registered by the domain apps.

The provider (`opendost.oaipmh.provider`, served at /oai/) knows no domain model. A domain app that
publishes records describes them with a `RecordSource` subclass and registers one instance in its
AppConfig.ready. Example: the public results database of the `projects` app::

    # opendost/projects/oai.py
    from django.db.models import Exists, OuterRef, Q

    from opendost.oaipmh.registry import RecordSource
    from opendost.projects import selectors
    from opendost.projects.models import Task


    class ResultSource(RecordSource):
        prefix = "result"                      # identifiers: oai:<domain>:result/<public_id>
        set_name = "Kết quả nhiệm vụ KH&CN"    # optional: adds a set "result" holding every record
        datestamp_field = "updated_at"         # a DateTimeField, indexed together with the pk
        identifier_field = "public_id"         # never the integer pk
        select_related = ("task", "task__lead_organization")
        prefetch_related = ("task__fields",)

        def queryset(self):
            return selectors.result_list_public()      # public (accepted, published) records only

        def sets(self, obj):
            specs = [f"field:{node.code}" for node in obj.task.fields.all()]  # from the prefetch
            return specs + [f"year:{obj.accepted_on.year}"]

        def set_filter(self, spec):
            kind, _, value = spec.partition(":")
            if kind == "field":                        # "field" = any field, "field:1" = that field
                links = Task.fields.through.objects.filter(task_id=OuterRef("task_id"))
                return Q(Exists(links.filter(classificationnode__code=value) if value else links))
                # Exists()/pk__in: never a join that repeats a row per match
            if kind == "year":
                return Q(accepted_on__year=int(value)) if value.isdigit() else None
            return None                                # not a set of this source: no records from it

        def list_sets(self):
            return selectors.result_oai_sets()         # [("field:1", "Khoa học tự nhiên"), ("year:2024", "2024"), ...]

        def dublin_core(self, obj):
            return {
                "title": [(obj.title, "vi")],          # a value is a str, or (text, xml:lang)
                "creator": [obj.task.lead_person.full_name],
                "subject": [node.name for node in obj.task.fields.all()],
                "description": [obj.summary],
                "publisher": ["Sở Khoa học và Công nghệ tỉnh ..."],
                "date": [obj.accepted_on.isoformat()],
                "type": ["Text", "report"],
                "identifier": [obj.public_url],
                "language": ["vi"],
            }


    # opendost/projects/apps.py
    def ready(self):
        from opendost.oaipmh.registry import register
        from opendost.projects.oai import ResultSource

        register(ResultSource())

Rules for a source:
- `queryset()` returns only what the public may see; the provider filters by date, set and keyset
  in the database, pages with keyset pagination on (datestamp_field, pk) and never counts the table.
- `datestamp_field` must change whenever the published metadata changes (auto_now `updated_at`).
  Index (datestamp_field, id) on large tables.
- `sets(obj)` and `dublin_core(obj)` run once per record of a page: read only what
  `select_related`/`prefetch_related` loaded, so a page costs the same number of queries for
  1 record or 100 (the tests assert it for the test source).
- `set_filter(spec)` answers every spec a harvester may send, including parents of hierarchical
  specs ("field" holds "field:1" and "field:1:01"); None means "none of my records". Build it with
  Exists()/pk__in, never with a join that repeats a row per match.
- Set specs use letters, digits and - _ . ! ~ * ' ( ), levels separated by ":".
- Withdrawn records simply leave `queryset()`: the repository reports deletedRecord "no".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Model, Q, QuerySet

# The fifteen elements of unqualified Dublin Core, in the order oai_dc lists them.
DC_ELEMENTS = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
)
SPEC_RE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")
PREFIX_RE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
# repositoryIdentifier of the oai-identifier scheme: a domain name whose labels start with a letter.
DOMAIN_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")

DcValue = str | tuple[str, str]  # text, or (text, xml:lang)


class RecordSource:
    """One kind of public record, e.g. accepted S&T task results. Subclass and override."""

    prefix: str = ""
    set_name: str | None = None
    datestamp_field: str = "updated_at"
    identifier_field: str = "public_id"
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[str] = ()
    metadata_prefixes: Sequence[str] = ("oai_dc",)

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def dublin_core(self, obj: Model) -> Mapping[str, Iterable[DcValue]]:
        raise NotImplementedError

    def identifier(self, obj: Model) -> str:
        return str(getattr(obj, self.identifier_field))

    def lookup(self, local_id: str) -> Model | None:
        try:
            return self.harvest_queryset().filter(**{self.identifier_field: local_id}).first()
        except (ValidationError, ValueError, TypeError):  # e.g. "abc" for a UUID field
            return None

    def datestamp(self, obj: Model) -> datetime:
        return getattr(obj, self.datestamp_field)

    def sets(self, obj: Model) -> list[str]:
        return []

    def set_filter(self, spec: str) -> Q | None:
        return None

    def list_sets(self) -> list[tuple[str, str]]:
        return []

    # Used by the provider; not meant to be overridden.
    def harvest_queryset(self) -> QuerySet:
        qs = self.queryset()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def all_set_specs(self, obj: Model) -> list[str]:
        specs = [self.prefix] if self.set_name else []
        return specs + [spec for spec in self.sets(obj) if spec not in specs]

    def all_sets(self) -> list[tuple[str, str]]:
        own = [(self.prefix, self.set_name)] if self.set_name else []
        return own + list(self.list_sets())

    def filter_for_set(self, spec: str) -> Q | None:
        if self.set_name and spec == self.prefix:
            return Q()
        return self.set_filter(spec)

    def has_sets(self) -> bool:
        overrides = type(self).set_filter is not RecordSource.set_filter
        return bool(self.set_name) or overrides or type(self).list_sets is not RecordSource.list_sets

    def __repr__(self) -> str:
        return f"<{type(self).__name__} prefix={self.prefix!r}>"


_sources: dict[str, RecordSource] = {}


def register(source: RecordSource) -> RecordSource:
    """Publish `source` over OAI-PMH. Call from AppConfig.ready; a prefix is registered once."""
    if not PREFIX_RE.match(source.prefix or "") or "/" in source.prefix:
        raise ImproperlyConfigured(f"OAI-PMH source {source!r}: prefix must be letters, digits or -_.!~*'()")
    if source.prefix in _sources and _sources[source.prefix] is not source:
        raise ImproperlyConfigured(f"OAI-PMH source prefix {source.prefix!r} is already registered")
    if source.set_name and not SPEC_RE.match(source.prefix):
        raise ImproperlyConfigured(f"OAI-PMH source {source!r}: the prefix is not a valid setSpec")
    _sources[source.prefix] = source
    return source


def unregister(prefix: str) -> None:
    _sources.pop(prefix, None)


def sources() -> list[RecordSource]:
    """Registered sources in a fixed order (by prefix): resumption tokens walk them in this order."""
    return [_sources[prefix] for prefix in sorted(_sources)]


def get_source(prefix: str) -> RecordSource | None:
    return _sources.get(prefix)


# Identifiers -------------------------------------------------------------------------------------


def repository_identifier() -> str:
    """The domain in oai:<domain>:<prefix>/<local id>: OAI_REPOSITORY_IDENTIFIER or SITE_URL's host."""
    configured = getattr(settings, "OAI_REPOSITORY_IDENTIFIER", "")
    return (configured or urlsplit(settings.SITE_URL).hostname or "localhost").lower()


def oai_identifier(source: RecordSource, obj: Model) -> str:
    return f"oai:{repository_identifier()}:{source.prefix}/{source.identifier(obj)}"


def parse_identifier(identifier: str) -> tuple[RecordSource, str] | None:
    """The source and local id an identifier names, or None if it is not one of ours."""
    head = f"oai:{repository_identifier()}:"
    if not identifier.lower().startswith(head):
        return None
    prefix, slash, local_id = identifier[len(head) :].partition("/")
    source = _sources.get(prefix)
    if not slash or not local_id or source is None:
        return None
    return source, local_id


# Values ------------------------------------------------------------------------------------------

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: object) -> str:
    """NFC text without the control characters XML 1.0 forbids (they would break the document)."""
    return _XML_ILLEGAL.sub("", unicodedata.normalize("NFC", str(value)))


def utc_datestamp(value: datetime) -> str:
    """YYYY-MM-DDThh:mm:ssZ, the granularity the repository declares."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
