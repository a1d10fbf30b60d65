"""Validate OAI-PMH responses against the official schemas stored in tests/oaipmh/schemas, offline."""

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"

# Public schema URLs -> the local copies (README.md says where each came from).
LOCAL_COPIES = {
    "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd": "OAI-PMH.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd": "oai_dc.xsd",
    "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd": "oai-identifier.xsd",
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "simpledc20021212.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
    "http://www.w3.org/2001/xml.xsd": "xml.xsd",
}


class _LocalSchemas(etree.Resolver):
    def resolve(self, url, pubid, context):
        name = LOCAL_COPIES.get(url) or (Path(url).name if Path(url).parent == SCHEMAS else None)
        if name is None:
            raise AssertionError(f"schema {url} is not stored under tests/oaipmh/schemas (no network in tests)")
        return self.resolve_filename(str(SCHEMAS / name), context)


@cache
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "harvest.xsd"), parser))


def assert_valid(document: bytes | etree._Element) -> etree._Element:
    """Parse (if bytes) and validate; fail with libxml2's messages. Returns the root element."""
    root = etree.fromstring(document) if isinstance(document, bytes) else document
    xsd = schema()
    if not xsd.validate(root):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in xsd.error_log)
        raise AssertionError(f"response is not valid OAI-PMH:\n{errors}")
    return root
