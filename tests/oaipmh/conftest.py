"""A test-only record source over the subject register's organisations, and helpers to call /oai/.

"Public" here means: the organisation has a date of establishment. Sets: "org" (every record),
"field", "field:<code>" (S&T fields) and "year:<year of establishment>".
"""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db.models import Q
from django.urls import reverse
from lxml import etree

from opendost.classifications.models import ClassificationNode
from opendost.oaipmh import registry
from opendost.oaipmh.registry import RecordSource
from opendost.subjects.models import Organization
from tests.oaipmh.xsd import assert_valid
from tests.subjects.factories import OrganizationFactory, address_units, field_nodes

NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}
DOMAIN = "khcn.example.gov.vn"


class OrganizationSource(RecordSource):
    prefix = "org"
    set_name = "Tổ chức khoa học và công nghệ"
    select_related = ("department", "province")
    prefetch_related = ("fields",)

    def queryset(self):
        return Organization.objects.filter(established_on__isnull=False)

    def sets(self, obj):
        return [f"field:{node.code}" for node in obj.fields.all()] + [f"year:{obj.established_on.year}"]

    def set_filter(self, spec):
        kind, _, value = spec.partition(":")
        if kind == "field":
            links = Organization.fields.through.objects.all()
            if value:
                links = links.filter(classificationnode__code=value)
            return Q(pk__in=links.values("organization_id"))
        if kind == "year" and value.isdigit():
            return Q(established_on__year=int(value))
        return None

    def list_sets(self):
        public = self.queryset()
        nodes = ClassificationNode.objects.filter(organizations__in=public).distinct().order_by("code")
        years = public.dates("established_on", "year")
        return (
            [("field", "Lĩnh vực KH&CN")]
            + [(f"field:{node.code}", node.name) for node in nodes]
            + [(f"year:{day.year}", f"Năm {day.year}") for day in years]
        )

    def dublin_core(self, obj):
        return {
            "title": [(obj.name, "vi")],
            "publisher": [obj.department.name],
            "subject": [node.name for node in obj.fields.all()],
            "date": [obj.established_on.isoformat()],
            "type": ["Organization"],
            "identifier": [str(obj.public_id)],
            "coverage": [obj.province.name] if obj.province else [],
            "language": ["vi"],
            "description": [obj.note],
        }


class BareSource(RecordSource):
    """A source with no sets and no metadata formats (for noSetHierarchy / noMetadataFormats)."""

    prefix = "bare"
    metadata_prefixes = ()

    def queryset(self):
        return Organization.objects.filter(established_on__isnull=False)

    def dublin_core(self, obj):
        return {"title": [obj.name]}


@pytest.fixture(autouse=True)
def _isolated_registry(monkeypatch, settings):
    """Every test starts with an empty registry (no source registered by a domain app) and a
    repository domain that is a valid oai-identifier; whatever a test registers goes with it."""
    monkeypatch.setattr(registry, "_sources", {})
    settings.SITE_URL = f"https://{DOMAIN}"
    settings.DEFAULT_FROM_EMAIL = f"OpenDOST <oai@{DOMAIN}>"
    settings.OAI_PAGE_SIZE = 2


@pytest.fixture
def source(db):
    src = registry.register(OrganizationSource())
    yield src
    registry.unregister(src.prefix)


@pytest.fixture
def nodes(db):
    return field_nodes()


def make_org(at: datetime, *, established_on=date(2020, 5, 19), fields=(), **kwargs) -> Organization:
    """An organisation whose updated_at (the datestamp) is `at`."""
    with time_machine.travel(at, tick=False):
        org = OrganizationFactory(established_on=established_on, **kwargs)
        if fields:
            org.fields.set(fields)
    return org


@pytest.fixture
def orgs(source, nodes):
    """Six public organisations over three datestamps (two share each), one private, in Bắc Ninh."""
    units = address_units()
    t1 = datetime(2024, 3, 1, 8, 0, 0, 500000, tzinfo=UTC)
    t2 = datetime(2024, 3, 2, 23, 30, 0, tzinfo=UTC)
    t3 = datetime(2024, 3, 5, 1, 2, 3, tzinfo=UTC)
    made = [
        make_org(t1, name="Viện Nghiên cứu Nông nghiệp", fields=[nodes.natural], province=units.bac_ninh),
        make_org(t1, name="Trung tâm Ứng dụng tiến bộ KH&CN", fields=[nodes.natural, nodes.engineering]),
        make_org(t2, name="Công ty Cổ phần Đổi mới", established_on=date(2021, 1, 4)),
        make_org(t2, name="Hợp tác xã Chè Yên Thế", fields=[nodes.maths]),
        make_org(t3, name="Trường Đại học Kỹ thuật", fields=[nodes.engineering]),
        make_org(t3, name="Phòng thí nghiệm Đo lường"),
    ]
    make_org(datetime(2023, 1, 1, tzinfo=UTC), name="Tổ chức chưa công khai", established_on=None)
    return made


def call(client, method="get", **params):
    """Send an OAI request; assert HTTP 200, the content type and XSD validity; return the root."""
    url = reverse("oaipmh:endpoint")
    response = getattr(client, method)(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return assert_valid(response.content)


def error_codes(root) -> list[str]:
    return [e.get("code") for e in root.findall("o:error", NS)]


def request_attributes(root) -> dict[str, str]:
    return dict(root.find("o:request", NS).attrib)


def identifiers(root) -> list[str]:
    return [e.text for e in root.iterfind(".//o:header/o:identifier", NS)]


def token_of(root) -> etree._Element | None:
    return root.find(".//o:resumptionToken", NS)


def oai_id(org) -> str:
    return f"oai:{DOMAIN}:org/{org.public_id}"
