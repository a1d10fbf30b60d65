"""The OAI-PMH 2.0 data provider: the six verbs and their errors over the registered sources.

https://www.openarchives.org/OAI/openarchivesprotocol.html. Repository choices:
- granularity YYYY-MM-DDThh:mm:ssZ; `from`/`until` accepted in both granularities (not mixed);
  `until` is inclusive to the end of the day/second it names.
- deletedRecord "no": a record that leaves a source's public queryset is no longer served and no
  tombstone is kept.
- flow control: resumption tokens are signed, stateless and carry a keyset cursor (tokens.py);
  `completeListSize` is omitted (it would mean counting the table on every page).
- error messages are protocol text for harvesters, in English, and are not translated.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db.models import Min, Model, Q
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from opendost.oaipmh import registry, tokens
from opendost.oaipmh.metadata import FORMATS, XSI, MetadataFormat, formats_of
from opendost.oaipmh.registry import RecordSource, clean_text, utc_datestamp

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
DEFAULT_REPOSITORY_NAME = "Sở Khoa học và Công nghệ – OpenDOST"
DEFAULT_PAGE_SIZE = 100

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
# An identifier is a URI: no spaces, controls or the characters URIs never carry unescaped.
IDENTIFIER_RE = re.compile(r'^[^\s<>"{}|\\^`]+$')


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class VerbArguments:
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    exclusive: str | None = None  # resumptionToken: allowed only alone


VERBS = {
    "Identify": VerbArguments(),
    "ListMetadataFormats": VerbArguments(optional=("identifier",)),
    "ListSets": VerbArguments(exclusive="resumptionToken"),
    "GetRecord": VerbArguments(required=("identifier", "metadataPrefix")),
    "ListIdentifiers": VerbArguments(
        required=("metadataPrefix",), optional=("from", "until", "set"), exclusive="resumptionToken"
    ),
    "ListRecords": VerbArguments(
        required=("metadataPrefix",), optional=("from", "until", "set"), exclusive="resumptionToken"
    ),
}


def respond(data: Mapping[str, Sequence[str]]) -> bytes:
    """The XML answer to a request given as argument -> values (QueryDict.lists() of GET or POST)."""
    verbs = list(data.get("verb", []))
    if len(verbs) != 1 or verbs[0] not in VERBS:
        reason = "missing" if not verbs else "repeated" if len(verbs) > 1 else f"not a verb: {verbs[0]}"
        return _document(None, _errors(OaiError("badVerb", f"Illegal OAI verb ({reason}).")))
    verb = verbs[0]
    try:
        args = _check_arguments(verb, data)
    except OaiError as error:  # badArgument: the request element carries no attributes
        return _document(None, _errors(error))
    try:
        body = HANDLERS[verb](args)
    except OaiError as error:
        return _document({"verb": verb, **args}, _errors(error))
    return _document({"verb": verb, **args}, [body])


# Envelope ----------------------------------------------------------------------------------------


def base_url() -> str:
    return getattr(settings, "OAI_BASE_URL", "") or settings.SITE_URL.rstrip("/") + reverse("oaipmh:endpoint")


def _q(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _q(name), {k: clean_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = clean_text(text)
    return element


def _document(request_args: Mapping[str, str] | None, body: list[etree._Element]) -> bytes:
    root = etree.Element(_q("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    _sub(root, "responseDate", utc_datestamp(timezone.now()))
    _sub(root, "request", base_url(), **(request_args or {}))
    root.extend(body)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _errors(*errors: OaiError) -> list[etree._Element]:
    elements = []
    for error in errors:
        element = etree.Element(_q("error"), code=error.code)
        element.text = clean_text(error.message)
        elements.append(element)
    return elements


# Arguments ---------------------------------------------------------------------------------------


def _check_arguments(verb: str, data: Mapping[str, Sequence[str]]) -> dict[str, str]:
    spec = VERBS[verb]
    allowed = {"verb", *spec.required, *spec.optional, *([spec.exclusive] if spec.exclusive else [])}
    for name, values in data.items():
        if name not in allowed:
            raise OaiError("badArgument", f"Illegal argument for {verb}: {name}.")
        if len(values) != 1:
            raise OaiError("badArgument", f"Repeated argument: {name}.")
        if not values[0]:
            raise OaiError("badArgument", f"Empty argument: {name}.")
    args = {name: values[0] for name, values in data.items() if name != "verb"}
    if spec.exclusive and spec.exclusive in args:
        if len(args) > 1:
            raise OaiError("badArgument", f"{spec.exclusive} is an exclusive argument.")
        return args
    missing = [name for name in spec.required if name not in args]
    if missing:
        raise OaiError("badArgument", f"Missing required argument: {', '.join(missing)}.")
    if "identifier" in args and not IDENTIFIER_RE.match(args["identifier"]):
        raise OaiError("badArgument", "The identifier is not a URI.")
    if "metadataPrefix" in args and not registry.PREFIX_RE.match(args["metadataPrefix"]):
        raise OaiError("badArgument", "Illegal metadataPrefix syntax.")
    if "set" in args and not registry.SPEC_RE.match(args["set"]):
        raise OaiError("badArgument", "Illegal setSpec syntax.")
    _date_bounds(args.get("from", ""), args.get("until", ""))  # raises badArgument
    return args


def _parse_utc(value: str, name: str) -> tuple[datetime, bool]:
    """(datetime in UTC, is day granularity)."""
    try:
        if DAY_RE.match(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), True
        if SECOND_RE.match(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), False
    except ValueError:
        pass
    raise OaiError("badArgument", f"Illegal {name}: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC).")


def _date_bounds(from_: str, until: str) -> tuple[datetime | None, datetime | None]:
    """[start, end) in UTC for `from`/`until`; `until` covers the whole day or second it names."""
    start = end = None
    if from_:
        start, from_is_day = _parse_utc(from_, "from")
    if until:
        last, until_is_day = _parse_utc(until, "until")
        if from_ and from_is_day != until_is_day:
            raise OaiError("badArgument", "from and until must have the same granularity.")
        if start is not None and start > last:
            raise OaiError("badArgument", "from is later than until.")
        try:
            end = last + (timedelta(days=1) if until_is_day else timedelta(seconds=1))
        except OverflowError:
            end = None
    return start, end


# Verbs -------------------------------------------------------------------------------------------


def identify(args: dict[str, str]) -> etree._Element:
    element = etree.Element(_q("Identify"))
    _sub(element, "repositoryName", getattr(settings, "OAI_REPOSITORY_NAME", "") or DEFAULT_REPOSITORY_NAME)
    _sub(element, "baseURL", base_url())
    _sub(element, "protocolVersion", "2.0")
    for email in admin_emails():
        _sub(element, "adminEmail", email)
    _sub(element, "earliestDatestamp", utc_datestamp(earliest_datestamp()))
    _sub(element, "deletedRecord", "no")
    _sub(element, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    domain = registry.repository_identifier()
    sources = registry.sources()
    if registry.DOMAIN_RE.match(domain) and sources:
        description = _sub(element, "description")
        oai_id = etree.SubElement(description, f"{{{OAI_ID_NS}}}oai-identifier", nsmap={None: OAI_ID_NS})
        oai_id.set(f"{{{XSI}}}schemaLocation", f"{OAI_ID_NS} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")
        for name, text in (
            ("scheme", "oai"),
            ("repositoryIdentifier", domain),
            ("delimiter", ":"),
            ("sampleIdentifier", f"oai:{domain}:{sources[0].prefix}/4c7a1f9e-0b1d-4c55-9a43-1f0e6d2b8a10"),
        ):
            etree.SubElement(oai_id, f"{{{OAI_ID_NS}}}{name}").text = text
    return element


def admin_emails() -> list[str]:
    configured = getattr(settings, "OAI_ADMIN_EMAILS", None)
    if configured:
        return list(configured)
    return [parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL]


def earliest_datestamp() -> datetime:
    """The oldest datestamp of any public record (one aggregate per source); now when there is none."""
    found = [
        value
        for source in registry.sources()
        if (value := source.queryset().aggregate(first=Min(source.datestamp_field))["first"]) is not None
    ]
    earliest = min(found) if found else timezone.now()
    return earliest.replace(microsecond=0)


def list_metadata_formats(args: dict[str, str]) -> etree._Element:
    if "identifier" in args:
        source, _obj = _get_item(args["identifier"])
        formats = formats_of(source)
        if not formats:
            raise OaiError("noMetadataFormats", "There are no metadata formats available for this item.")
    else:
        formats = advertised_formats()
    element = etree.Element(_q("ListMetadataFormats"))
    for fmt in formats:
        item = _sub(element, "metadataFormat")
        _sub(item, "metadataPrefix", fmt.prefix)
        _sub(item, "schema", fmt.schema)
        _sub(item, "metadataNamespace", fmt.namespace)
    return element


def advertised_formats() -> list[MetadataFormat]:
    """Formats some source disseminates (every known format while no source is registered)."""
    sources = registry.sources()
    wanted = {prefix for source in sources for prefix in source.metadata_prefixes}
    return [fmt for prefix, fmt in FORMATS.items() if prefix in wanted or not sources]


def list_sets(args: dict[str, str]) -> etree._Element:
    if "resumptionToken" in args:
        raise OaiError("badResumptionToken", "This repository issues no resumption tokens for ListSets.")
    found: dict[str, str] = {}
    for source in registry.sources():
        if source.has_sets():
            for spec, name in source.all_sets():
                if registry.SPEC_RE.match(spec):
                    found.setdefault(spec, str(name))
    if not found:
        raise OaiError("noSetHierarchy", "This repository does not support sets.")
    element = etree.Element(_q("ListSets"))
    for spec in sorted(found):
        item = _sub(element, "set")
        _sub(item, "setSpec", spec)
        _sub(item, "setName", found[spec])
    return element


def get_record(args: dict[str, str]) -> etree._Element:
    source, obj = _get_item(args["identifier"])
    fmt = FORMATS.get(args["metadataPrefix"])
    if fmt is None or fmt not in formats_of(source):
        raise OaiError("cannotDisseminateFormat", f"This item is not available as {args['metadataPrefix']}.")
    element = etree.Element(_q("GetRecord"))
    _record(element, source, obj, fmt.prefix)
    return element


def list_identifiers(args: dict[str, str]) -> etree._Element:
    return _list("ListIdentifiers", args, with_metadata=False)


def list_records(args: dict[str, str]) -> etree._Element:
    return _list("ListRecords", args, with_metadata=True)


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


# Records -----------------------------------------------------------------------------------------


def _get_item(identifier: str) -> tuple[RecordSource, Model]:
    parsed = registry.parse_identifier(identifier)
    obj = parsed[0].lookup(parsed[1]) if parsed else None
    if obj is None:
        raise OaiError("idDoesNotExist", "No record has this identifier in this repository.")
    return parsed[0], obj


def _header(parent: etree._Element, source: RecordSource, obj: Model) -> None:
    header = _sub(parent, "header")
    _sub(header, "identifier", registry.oai_identifier(source, obj))
    _sub(header, "datestamp", utc_datestamp(source.datestamp(obj)))
    for spec in source.all_set_specs(obj):
        _sub(header, "setSpec", spec)


def _record(parent: etree._Element, source: RecordSource, obj: Model, metadata_prefix: str) -> None:
    record = _sub(parent, "record")
    _header(record, source, obj)
    metadata = _sub(record, "metadata")
    metadata.append(FORMATS[metadata_prefix].render(source, obj))


def page_size() -> int:
    return max(1, int(getattr(settings, "OAI_PAGE_SIZE", DEFAULT_PAGE_SIZE)))


def _list(verb: str, args: dict[str, str], *, with_metadata: bool) -> etree._Element:
    cursor = None
    if "resumptionToken" in args:
        try:
            cursor = tokens.decode(args["resumptionToken"])
        except tokens.BadToken:
            raise OaiError("badResumptionToken", "The resumption token is invalid or has expired.") from None
        if cursor.verb != verb:
            raise OaiError("badResumptionToken", f"This resumption token does not belong to {verb}.")
        prefix, from_, until, set_spec = cursor.metadata_prefix, cursor.from_, cursor.until, cursor.set_spec
    else:
        prefix, set_spec = args["metadataPrefix"], args.get("set", "")
        from_, until = args.get("from", ""), args.get("until", "")

    if FORMATS.get(prefix) not in advertised_formats():
        raise OaiError("cannotDisseminateFormat", f"This repository does not disseminate {prefix}.")
    sources = [source for source in registry.sources() if FORMATS[prefix] in formats_of(source)]
    if set_spec and not any(source.has_sets() for source in registry.sources()):
        raise OaiError("noSetHierarchy", "This repository does not support sets.")
    start, end = _date_bounds(from_, until)

    size = page_size()
    wanted = size + 1  # one more than a page tells whether another page follows
    rows: list[tuple[RecordSource, Model]] = []
    for source in sources:
        if cursor is not None and source.prefix < cursor.source:
            continue
        field = source.datestamp_field
        condition = Q()
        if set_spec:
            set_condition = source.filter_for_set(set_spec)
            if set_condition is None:
                continue
            condition &= set_condition
        if start is not None:
            condition &= Q(**{f"{field}__gte": start})
        if end is not None:
            condition &= Q(**{f"{field}__lt": end})
        if cursor is not None and source.prefix == cursor.source:
            last = cursor.last_datestamp()
            condition &= Q(**{f"{field}__gt": last}) | Q(**{field: last, "pk__gt": cursor.pk})
        batch = list(source.harvest_queryset().filter(condition).order_by(field, "pk")[: wanted - len(rows)])
        rows.extend((source, obj) for obj in batch)
        if len(rows) >= wanted:
            break
    if not rows:
        raise OaiError("noRecordsMatch", "No records match the request.")

    element = etree.Element(_q(verb))
    page = rows[:size]
    for source, obj in page:
        if with_metadata:
            _record(element, source, obj, prefix)
        else:
            _header(element, source, obj)
    sent = cursor.sent if cursor else 0
    if len(rows) > size:
        last_source, last_obj = page[-1]
        token = tokens.encode(
            tokens.Cursor(
                verb=verb,
                metadata_prefix=prefix,
                from_=from_,
                until=until,
                set_spec=set_spec,
                source=last_source.prefix,
                datestamp=last_source.datestamp(last_obj).isoformat(),
                pk=last_obj.pk,
                sent=sent + len(page),
            )
        )
        _sub(element, "resumptionToken", token, expirationDate=utc_datestamp(tokens.expiration()), cursor=str(sent))
    elif cursor is not None:  # the last page of an incomplete list ends with an empty token
        _sub(element, "resumptionToken", cursor=str(sent))
    return element
