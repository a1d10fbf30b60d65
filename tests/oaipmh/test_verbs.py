"""The six verbs over the test source; every response is validated against the official XSDs."""

import unicodedata
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from opendost.oaipmh import registry
from tests.oaipmh.conftest import (
    DOMAIN,
    NS,
    BareSource,
    call,
    error_codes,
    identifiers,
    make_org,
    oai_id,
    request_attributes,
)

pytestmark = pytest.mark.django_db


# Identify ----------------------------------------------------------------------------------------


def test_identify_describes_the_repository(client, orgs):
    root = call(client, verb="Identify")

    identify = root.find("o:Identify", NS)
    assert identify.findtext("o:repositoryName", namespaces=NS) == "Sở Khoa học và Công nghệ – OpenDOST"
    assert identify.findtext("o:baseURL", namespaces=NS) == f"https://{DOMAIN}/oai/"
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:adminEmail", namespaces=NS) == f"oai@{DOMAIN}"
    # The private organisation (2023) is older but not public: the earliest public datestamp wins.
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == "2024-03-01T08:00:00Z"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "no"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    description = identify.find("o:description/id:oai-identifier", NS)
    assert description.findtext("id:repositoryIdentifier", namespaces=NS) == DOMAIN
    assert description.findtext("id:sampleIdentifier", namespaces=NS).startswith(f"oai:{DOMAIN}:org/")
    assert request_attributes(root) == {"verb": "Identify"}
    assert root.findtext("o:request", namespaces=NS) == f"https://{DOMAIN}/oai/"


def test_identify_reads_the_settings(client, settings, source):
    settings.OAI_REPOSITORY_NAME = "Kho kết quả KH&CN tỉnh Bắc Ninh"
    settings.OAI_ADMIN_EMAILS = ["oai@khcn.bacninh.gov.vn", "it@khcn.bacninh.gov.vn"]
    settings.OAI_BASE_URL = "https://oai.khcn.bacninh.gov.vn/oai/"
    settings.OAI_REPOSITORY_IDENTIFIER = "khcn.bacninh.gov.vn"

    identify = call(client, verb="Identify").find("o:Identify", NS)

    assert identify.findtext("o:repositoryName", namespaces=NS) == "Kho kết quả KH&CN tỉnh Bắc Ninh"
    assert [e.text for e in identify.findall("o:adminEmail", NS)] == settings.OAI_ADMIN_EMAILS
    assert identify.findtext("o:baseURL", namespaces=NS) == "https://oai.khcn.bacninh.gov.vn/oai/"
    assert identify.findtext(".//id:repositoryIdentifier", namespaces=NS) == "khcn.bacninh.gov.vn"


@time_machine.travel(datetime(2025, 7, 1, 3, 4, 5, tzinfo=UTC), tick=False)
def test_identify_without_records_gives_now_as_earliest_datestamp(client, source):
    identify = call(client, verb="Identify").find("o:Identify", NS)

    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == "2025-07-01T03:04:05Z"


def test_identify_omits_the_oai_identifier_description_for_an_ip_address(client, settings, source):
    settings.SITE_URL = "http://127.0.0.1:8000"

    identify = call(client, verb="Identify").find("o:Identify", NS)

    assert identify.find("o:description", NS) is None


# Verb and argument errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{}, {"verb": "Harvest"}, {"verb": ["Identify", "Identify"]}, {"verb": "identify"}],
    ids=["missing", "unknown", "repeated", "wrong-case"],
)
def test_bad_verb(client, source, params):
    root = call(client, **params)

    assert error_codes(root) == ["badVerb"]
    assert request_attributes(root) == {}  # no attributes on badVerb (spec 3.2)


@pytest.mark.parametrize(
    "params",
    [
        {"verb": "Identify", "set": "org"},
        {"verb": "ListRecords"},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "colour": "blue"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
        {"verb": "ListIdentifiers", "resumptionToken": "x", "from": "2024-01-01"},
        {"verb": "ListRecords", "metadataPrefix": ""},
        {"verb": "ListRecords", "metadataPrefix": "oai dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "field::1"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-3-1"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-30"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2024-03-01T08:00:00"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2024-03-01T08:00:00+07:00"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-03-01", "until": "2024-03-02T00:00:00Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-03-02", "until": "2024-03-01"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
        {"verb": "GetRecord", "identifier": "oai:x.y:org/1"},
        {"verb": "GetRecord", "identifier": "oai:x y", "metadataPrefix": "oai_dc"},
        {"verb": "ListMetadataFormats", "metadataPrefix": "oai_dc"},
        {"verb": "ListSets", "set": "org"},
    ],
    ids=[
        "identify-extra",
        "missing-prefix",
        "repeated-prefix",
        "illegal-argument",
        "token-not-exclusive",
        "token-with-from",
        "empty-value",
        "prefix-syntax",
        "set-syntax",
        "from-syntax",
        "from-no-such-day",
        "until-no-zulu",
        "until-offset",
        "mixed-granularity",
        "from-after-until",
        "getrecord-no-identifier",
        "getrecord-no-prefix",
        "identifier-not-uri",
        "formats-extra",
        "listsets-set",
    ],
)
def test_bad_argument(client, source, params):
    root = call(client, **params)

    assert error_codes(root) == ["badArgument"]
    assert request_attributes(root) == {}  # no attributes on badArgument (spec 3.2)


def test_post_is_answered_like_get_and_needs_no_csrf_token(source, orgs):
    client = Client(enforce_csrf_checks=True)

    root = call(client, "post", verb="ListIdentifiers", metadataPrefix="oai_dc", set="year:2021")

    assert identifiers(root) == [oai_id(orgs[2])]
    assert request_attributes(root) == {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "year:2021"}


def test_other_methods_are_refused(client, source):
    assert client.put(reverse("oaipmh:endpoint")).status_code == 405


def test_no_login_is_needed_and_nothing_is_cached_per_user(client, orgs):
    response = client.get(reverse("oaipmh:endpoint"), {"verb": "Identify"})

    assert response.status_code == 200
    assert "Set-Cookie" not in response


# ListMetadataFormats -----------------------------------------------------------------------------


def test_list_metadata_formats(client, orgs):
    for params in ({}, {"identifier": oai_id(orgs[0])}):
        root = call(client, verb="ListMetadataFormats", **params)

        formats = root.findall("o:ListMetadataFormats/o:metadataFormat", NS)
        assert [f.findtext("o:metadataPrefix", namespaces=NS) for f in formats] == ["oai_dc"]
        assert formats[0].findtext("o:schema", namespaces=NS) == "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
        assert formats[0].findtext("o:metadataNamespace", namespaces=NS) == NS["oai_dc"]


def test_list_metadata_formats_of_an_unknown_item(client, orgs):
    root = call(
        client, verb="ListMetadataFormats", identifier=f"oai:{DOMAIN}:org/00000000-0000-0000-0000-000000000000"
    )

    assert error_codes(root) == ["idDoesNotExist"]
    assert request_attributes(root)["identifier"].endswith("/00000000-0000-0000-0000-000000000000")


def test_list_metadata_formats_of_an_item_without_formats(client, db):
    registry.register(BareSource())
    org = make_org(datetime(2024, 1, 1, tzinfo=UTC))

    root = call(client, verb="ListMetadataFormats", identifier=f"oai:{DOMAIN}:bare/{org.public_id}")

    assert error_codes(root) == ["noMetadataFormats"]


# ListSets ----------------------------------------------------------------------------------------


def test_list_sets(client, orgs, nodes):
    root = call(client, verb="ListSets")

    sets = {
        s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
        for s in root.findall("o:ListSets/o:set", NS)
    }
    assert sets == {
        "org": "Tổ chức khoa học và công nghệ",
        "field": "Lĩnh vực KH&CN",
        "field:T1": "Khoa học tự nhiên",
        "field:T101": "Toán học",
        "field:T2": "Khoa học kỹ thuật và công nghệ",
        "year:2020": "Năm 2020",
        "year:2021": "Năm 2021",
    }
    assert request_attributes(root) == {"verb": "ListSets"}


def test_list_sets_refuses_a_resumption_token(client, orgs):
    root = call(client, verb="ListSets", resumptionToken="abc")

    assert error_codes(root) == ["badResumptionToken"]
    assert request_attributes(root) == {"verb": "ListSets", "resumptionToken": "abc"}


def test_no_set_hierarchy(client, db):
    registry.register(BareSource())
    make_org(datetime(2024, 1, 1, tzinfo=UTC))

    assert error_codes(call(client, verb="ListSets")) == ["noSetHierarchy"]
    root = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="org")
    # BareSource has no oai_dc either: with no set support at all the format is reported first.
    assert error_codes(root) == ["cannotDisseminateFormat"]


def test_no_set_hierarchy_for_list_requests(client, db):
    class NoSets(BareSource):
        prefix = "nosets"
        metadata_prefixes = ("oai_dc",)

    registry.register(NoSets())
    make_org(datetime(2024, 1, 1, tzinfo=UTC))

    assert error_codes(call(client, verb="ListRecords", metadataPrefix="oai_dc", set="org")) == ["noSetHierarchy"]
    assert len(identifiers(call(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))) == 1


# GetRecord ---------------------------------------------------------------------------------------


def test_get_record(client, orgs, nodes):
    org = orgs[1]

    root = call(client, verb="GetRecord", identifier=oai_id(org), metadataPrefix="oai_dc")

    record = root.find("o:GetRecord/o:record", NS)
    assert record.findtext("o:header/o:identifier", namespaces=NS) == oai_id(org)
    assert record.findtext("o:header/o:datestamp", namespaces=NS) == "2024-03-01T08:00:00Z"
    assert [e.text for e in record.findall("o:header/o:setSpec", NS)] == ["org", "field:T1", "field:T2", "year:2020"]
    dc = record.find("o:metadata/oai_dc:dc", NS)
    assert dc.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") == (
        "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    )
    title = dc.find("dc:title", NS)
    assert title.text == "Trung tâm Ứng dụng tiến bộ KH&CN"
    assert title.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    assert [e.text for e in dc.findall("dc:subject", NS)] == ["Khoa học tự nhiên", "Khoa học kỹ thuật và công nghệ"]
    assert dc.findtext("dc:identifier", namespaces=NS) == str(org.public_id)
    assert dc.find("dc:description", NS) is None  # empty values are left out
    assert dc.find("dc:coverage", NS) is None
    # Elements come in the order oai_dc lists them.
    names = [e.tag.split("}")[1] for e in dc]
    assert names == ["title", "subject", "subject", "publisher", "date", "type", "identifier", "language"]
    assert request_attributes(root) == {"verb": "GetRecord", "identifier": oai_id(org), "metadataPrefix": "oai_dc"}


def test_get_record_keeps_vietnamese_text_in_nfc(client, source):
    decomposed = unicodedata.normalize("NFD", "Viện Khoa học Đo lường Bắc Ninh")
    org = make_org(datetime(2024, 1, 1, tzinfo=UTC), name=decomposed, note="Ghi chú\x0b có ký tự điều khiển")

    root = call(client, verb="GetRecord", identifier=oai_id(org), metadataPrefix="oai_dc")

    dc = root.find(".//oai_dc:dc", NS)
    assert dc.findtext("dc:title", namespaces=NS) == "Viện Khoa học Đo lường Bắc Ninh"
    assert unicodedata.is_normalized("NFC", dc.findtext("dc:title", namespaces=NS))
    assert dc.findtext("dc:description", namespaces=NS) == "Ghi chú có ký tự điều khiển"
    assert dc.findtext("dc:coverage", namespaces=NS) is None


@pytest.mark.parametrize(
    "identifier",
    [
        "oai:other.example.org:org/{uuid}",  # another repository
        f"oai:{DOMAIN}:project/{{uuid}}",  # no such source
        f"oai:{DOMAIN}:org{{uuid}}",  # no slash
        f"oai:{DOMAIN}:org/",  # no local id
        f"oai:{DOMAIN}:org/not-a-uuid",
        f"oai:{DOMAIN}:org/00000000-0000-0000-0000-000000000000",
        "urn:isbn:0451450523",
    ],
)
def test_get_record_of_an_unknown_identifier(client, orgs, identifier):
    root = call(
        client, verb="GetRecord", identifier=identifier.format(uuid=orgs[0].public_id), metadataPrefix="oai_dc"
    )

    assert error_codes(root) == ["idDoesNotExist"]


def test_get_record_of_a_record_that_is_not_public(client, source):
    private = make_org(datetime(2024, 1, 1, tzinfo=UTC), established_on=None)

    root = call(client, verb="GetRecord", identifier=oai_id(private), metadataPrefix="oai_dc")

    assert error_codes(root) == ["idDoesNotExist"]


def test_identifier_matching_ignores_the_case_of_the_domain(client, orgs):
    identifier = f"oai:{DOMAIN.upper()}:org/{orgs[0].public_id}"

    root = call(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")

    assert identifiers(root) == [oai_id(orgs[0])]


def test_get_record_in_an_unknown_format(client, orgs):
    root = call(client, verb="GetRecord", identifier=oai_id(orgs[0]), metadataPrefix="marc21")

    assert error_codes(root) == ["cannotDisseminateFormat"]
    assert request_attributes(root)["metadataPrefix"] == "marc21"


# ListIdentifiers / ListRecords -------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_lists_leave_out_records_that_are_not_public(client, settings, orgs, verb):
    settings.OAI_PAGE_SIZE = 100

    root = call(client, verb=verb, metadataPrefix="oai_dc")

    assert identifiers(root) == [oai_id(org) for org in sorted(orgs, key=lambda o: (o.updated_at, o.pk))]
    assert root.find(".//o:resumptionToken", NS) is None  # a complete list in one response has no token
    if verb == "ListRecords":
        assert len(root.findall(".//o:record/o:metadata/oai_dc:dc", NS)) == 6
    else:
        assert root.find(".//o:metadata", NS) is None


def test_list_in_an_unknown_format(client, orgs):
    root = call(client, verb="ListRecords", metadataPrefix="marc21")

    assert error_codes(root) == ["cannotDisseminateFormat"]


def test_no_records_match(client, source):
    root = call(client, verb="ListRecords", metadataPrefix="oai_dc")

    assert error_codes(root) == ["noRecordsMatch"]
    assert request_attributes(root) == {"verb": "ListRecords", "metadataPrefix": "oai_dc"}


def test_an_empty_repository_has_no_records_and_lists_oai_dc(client, db):
    assert error_codes(call(client, verb="ListIdentifiers", metadataPrefix="oai_dc")) == ["noRecordsMatch"]
    formats = call(client, verb="ListMetadataFormats").findall(".//o:metadataPrefix", NS)
    assert [f.text for f in formats] == ["oai_dc"]
    assert error_codes(call(client, verb="ListSets")) == ["noSetHierarchy"]
