"""Metadata formats the provider can disseminate. Today: oai_dc (unqualified Dublin Core)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from lxml import etree

from opendost.oaipmh.registry import DC_ELEMENTS, RecordSource, clean_text

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    render: Callable[[RecordSource, Model], etree._Element]


def render_oai_dc(source: RecordSource, obj: Model) -> etree._Element:
    """<oai_dc:dc> from `source.dublin_core(obj)`: elements in the canonical order, empty values dropped."""
    values = source.dublin_core(obj)
    unknown = set(values) - set(DC_ELEMENTS)
    if unknown:
        raise ValueError(f"{source!r}.dublin_core() returned elements outside Dublin Core: {sorted(unknown)}")
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    for name in DC_ELEMENTS:
        for value in values.get(name) or ():
            text, lang = value if isinstance(value, tuple) else (value, "")
            text = clean_text(text if text is not None else "").strip()
            if not text:
                continue
            element = etree.SubElement(root, f"{{{DC_NS}}}{name}")
            element.text = text
            if lang:
                element.set(XML_LANG, lang)
    return root


FORMATS: dict[str, MetadataFormat] = {
    "oai_dc": MetadataFormat(
        prefix="oai_dc",
        schema="http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        namespace=OAI_DC_NS,
        render=render_oai_dc,
    ),
}


def formats_of(source: RecordSource) -> list[MetadataFormat]:
    return [FORMATS[prefix] for prefix in source.metadata_prefixes if prefix in FORMATS]
