"""The public results database over OAI-PMH: the projects app's record source on the real provider."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from opendost.oaipmh import registry
from opendost.projects import services
from opendost.projects.models import TaskResult
from opendost.projects.oai import ResultSource
from tests.oaipmh.xsd import assert_valid

pytestmark = pytest.mark.django_db

DOMAIN = "khcn.example.gov.vn"
NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
}
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _oai_settings(settings):
    settings.SITE_URL = f"https://{DOMAIN}"
    settings.DEFAULT_FROM_EMAIL = f"OpenDOST <oai@{DOMAIN}>"
    settings.OAI_PAGE_SIZE = 2


def call(client, **params):
    response = client.get(reverse("oaipmh:endpoint"), params)
    assert response.status_code == 200
    return assert_valid(response.content)


def identifiers(root) -> list[str]:
    return [e.text for e in root.iterfind(".//o:header/o:identifier", NS)]


def oai_id(result) -> str:
    return f"oai:{DOMAIN}:result/{result.public_id}"


def harvest(client, **params) -> tuple[list[str], int]:
    """Every identifier of a ListIdentifiers/ListRecords walk, and the number of pages."""
    root = call(client, **params)
    found, pages = identifiers(root), 1
    token = root.find(".//o:resumptionToken", NS)
    while token is not None and token.text:
        root = call(client, verb=params["verb"], resumptionToken=token.text)
        found += identifiers(root)
        pages += 1
        token = root.find(".//o:resumptionToken", NS)
    return found, pages


@pytest.fixture
def published(flow, officer, nodes, units):
    """Five public results of one task (fields, years, places vary; one datestamp each) and a
    result whose registration is only received (not public)."""
    task = flow.accepted(places=[units.tho_xuong_old, units.dong_tien_old], admin_code_set="pre2025")
    specs = [
        ("Quy trình thâm canh vải thiều VietGAP", nodes.maths, 2025, "vải thiều; VietGAP"),
        ("Mô hình nuôi cá lồng trên sông Cầu", nodes.engineering, 2025, "cá lồng"),
        ("Phần mềm quản lý dịch bệnh cây trồng", nodes.natural, 2026, "phần mềm, dịch bệnh"),
        ("Giống lúa chịu hạn BN-01", nodes.maths, 2026, "lúa; chịu hạn"),
        ("Báo cáo đánh giá tài nguyên nước", None, 2024, ""),
    ]
    results = []
    for i, (title, field, year, keywords) in enumerate(specs):
        with time_machine.travel(T0 + dt.timedelta(hours=i), tick=False):
            result = services.result_add(
                actor=officer,
                task=task,
                title=title,
                abstract=f"Tóm tắt: {title}.",
                keywords=keywords,
                field=field,
                year=year,
                result_type="process",
            )
            if field is None:  # result_add defaults to the task's field; this one has none
                TaskResult.objects.filter(pk=result.pk).update(field=None)
            registration = services.result_registration_submit(actor=officer, result=result)
            services.result_register(actor=officer, registration=registration, signer_name="Lê Minh Cường")
        results.append(TaskResult.objects.get(pk=result.pk))
    with time_machine.travel(T0 + dt.timedelta(hours=9), tick=False):
        hidden = services.result_add(
            actor=officer, task=task, title="Kết quả chưa đăng ký", abstract="Chưa công khai.", year=2026
        )
        services.result_registration_submit(actor=officer, result=hidden)
    return results, hidden


def test_the_source_is_registered_by_the_app():
    assert isinstance(registry.get_source("result"), ResultSource)


def test_identify_and_list_metadata_formats(client, published):
    root = call(client, verb="Identify")
    identify = root.find("o:Identify", NS)
    assert identify.findtext("o:baseURL", namespaces=NS) == f"https://{DOMAIN}/oai/"
    assert identify.findtext("o:adminEmail", namespaces=NS) == f"oai@{DOMAIN}"
    results, _hidden = published
    formats = call(client, verb="ListMetadataFormats", identifier=oai_id(results[0]))
    assert [e.text for e in formats.iterfind(".//o:metadataPrefix", NS)] == ["oai_dc"]


def test_list_sets_names_fields_with_their_parents_and_years(client, published, nodes):
    root = call(client, verb="ListSets")
    specs = {
        e.findtext("o:setSpec", namespaces=NS): e.findtext("o:setName", namespaces=NS)
        for e in root.iterfind(".//o:set", NS)
    }
    assert specs["result"] == "Kết quả nhiệm vụ KH&CN"
    assert specs["field:T101"] == "Toán học"
    assert specs["field:T1"] == "Khoa học tự nhiên"  # parent of T101, and used itself
    assert {"field:T2", "year:2024", "year:2025", "year:2026", "field", "year"} <= set(specs)


def test_list_records_pages_with_resumption_tokens_and_hides_non_public_results(client, published):
    results, hidden = published
    found, pages = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", set="result")
    assert found == [oai_id(r) for r in results]  # datestamp order
    assert pages == 3
    assert oai_id(hidden) not in found


def test_a_page_costs_the_same_queries_for_one_or_many_records(
    client, published, settings, django_assert_max_num_queries
):
    settings.OAI_PAGE_SIZE = 1
    with django_assert_max_num_queries(20) as small:
        call(client, verb="ListRecords", metadataPrefix="oai_dc", set="result")
    settings.OAI_PAGE_SIZE = 100
    with django_assert_max_num_queries(len(small.captured_queries)):
        root = call(client, verb="ListRecords", metadataPrefix="oai_dc", set="result")
    assert len(identifiers(root)) == 5


def test_get_record_publishes_dublin_core(client, published, pi, host, department):
    results, _hidden = published
    root = call(client, verb="GetRecord", identifier=oai_id(results[0]), metadataPrefix="oai_dc")
    dc = root.find(".//oai_dc:dc", NS)

    def values(name):
        return [e.text for e in dc.iterfind(f"dc:{name}", NS)]

    assert values("title") == ["Quy trình thâm canh vải thiều VietGAP"]
    assert values("creator") == [pi.full_name]
    assert values("contributor") == [host.name]
    assert values("publisher") == [department.name]
    assert values("subject") == ["Toán học", "Khoa học tự nhiên", "vải thiều", "VietGAP"]
    assert values("description") == ["Tóm tắt: Quy trình thâm canh vải thiều VietGAP."]
    assert values("date") == ["2025", "2026-03-02"]
    assert values("type")[0] == "Kết quả nhiệm vụ KH&CN"
    assert values("identifier") == [f"https://{DOMAIN}/results/{results[0].public_id}/"]
    assert values("language") == ["vi"]
    assert values("coverage") == ["Phường Thọ Xương", "Thành phố Bắc Giang", "Xã Đồng Tiến", "Huyện Yên Thế"]
    assert dc.find("dc:title", NS).get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"


def test_get_record_of_a_non_public_result_is_id_does_not_exist(client, published):
    _results, hidden = published
    root = call(client, verb="GetRecord", identifier=oai_id(hidden), metadataPrefix="oai_dc")
    assert [e.get("code") for e in root.findall("o:error", NS)] == ["idDoesNotExist"]


@pytest.mark.parametrize(
    ("spec", "titles"),
    [
        ("field:T101", {"Quy trình thâm canh vải thiều VietGAP", "Giống lúa chịu hạn BN-01"}),
        (
            "field:T1",
            {
                "Quy trình thâm canh vải thiều VietGAP",
                "Giống lúa chịu hạn BN-01",
                "Phần mềm quản lý dịch bệnh cây trồng",
            },
        ),
        ("field:T2", {"Mô hình nuôi cá lồng trên sông Cầu"}),
        ("year:2025", {"Quy trình thâm canh vải thiều VietGAP", "Mô hình nuôi cá lồng trên sông Cầu"}),
        ("year:2024", {"Báo cáo đánh giá tài nguyên nước"}),
    ],
)
def test_sets_filter_by_field_and_year(client, published, settings, spec, titles):
    settings.OAI_PAGE_SIZE = 100
    root = call(client, verb="ListRecords", metadataPrefix="oai_dc", set=spec)
    assert {e.text for e in root.iterfind(".//dc:title", NS)} == titles
    for header in root.iterfind(".//o:header", NS):
        assert spec in [e.text for e in header.iterfind("o:setSpec", NS)]


def test_field_set_holds_results_with_a_field_and_unknown_sets_are_empty(client, published, settings):
    settings.OAI_PAGE_SIZE = 100
    assert len(identifiers(call(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="field"))) == 4
    root = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="year:abcd")
    assert [e.get("code") for e in root.findall("o:error", NS)] == ["noRecordsMatch"]


def test_incremental_harvest_sees_a_result_whose_published_metadata_changed(client, published, officer, settings):
    settings.OAI_PAGE_SIZE = 100
    results, _hidden = published
    since = "2026-03-05T00:00:00Z"
    root = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="result", **{"from": since})
    assert [e.get("code") for e in root.findall("o:error", NS)] == ["noRecordsMatch"]
    with time_machine.travel(dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC), tick=False):
        services.result_application_record(
            actor=officer, result=results[1], scale="3 hộ nuôi", year=2026, place_text="Xã Tân Mỹ"
        )
    root = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="result", **{"from": since})
    assert identifiers(root) == [oai_id(results[1])]
