"""Selective and incremental harvesting: resumption tokens, from/until, sets, query counts."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendost.oaipmh import registry, tokens
from opendost.subjects.models import Organization
from tests.oaipmh.conftest import NS, call, error_codes, identifiers, oai_id, request_attributes, token_of

pytestmark = pytest.mark.django_db


def harvest_order(orgs):
    return [oai_id(org) for org in sorted(orgs, key=lambda o: (o.updated_at, o.pk))]


# Resumption tokens -------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_three_pages_with_a_keyset_cursor(client, orgs, verb):
    seen, cursors = [], []

    root = call(client, verb=verb, metadataPrefix="oai_dc")
    while True:
        seen += identifiers(root)
        token = token_of(root)
        if token is None:
            break
        cursors.append(token.get("cursor"))
        if not token.text:  # the last page carries an empty token
            assert token.get("expirationDate") is None
            break
        assert token.get("completeListSize") is None
        assert token.get("expirationDate")
        root = call(client, verb=verb, resumptionToken=token.text)
        assert request_attributes(root) == {"verb": verb, "resumptionToken": token.text}

    assert cursors == ["0", "2", "4"]
    assert seen == harvest_order(orgs)  # every record once, ties on the datestamp broken by pk


def test_the_token_carries_the_cursor_not_an_offset(client, orgs):
    """Records removed from the public list between two pages shift an OFFSET; a keyset does not."""
    first = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    order = harvest_order(orgs)
    assert identifiers(first) == order[:2]
    cursor = tokens.decode(token_of(first).text)
    assert (cursor.source, cursor.sent) == ("org", 2)

    # Both records of page one leave the public list (their date of establishment is withdrawn).
    first_page = [org.pk for org in orgs if oai_id(org) in order[:2]]
    Organization.objects.filter(pk__in=first_page).update(established_on=None)

    second = call(client, verb="ListIdentifiers", resumptionToken=token_of(first).text)

    assert identifiers(second) == order[2:4]


def test_the_token_keeps_the_selection(client, orgs, nodes):
    first = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="field", until="2024-03-04")
    second = call(client, verb="ListIdentifiers", resumptionToken=token_of(first).text)

    in_fields = [org for org in orgs if org.fields.exists() and org.updated_at < datetime(2024, 3, 5, tzinfo=UTC)]
    assert identifiers(first) + identifiers(second) == harvest_order(in_fields)
    assert token_of(second).text is None and token_of(second).get("cursor") == "2"


def test_a_tampered_token_is_refused(client, orgs):
    token = token_of(call(client, verb="ListRecords", metadataPrefix="oai_dc")).text
    payload, signature = token.rsplit(":", 1)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")

    for bad in (f"{payload}:{flipped}", token[1:], "not-a-token", token.replace(":", ".", 1)):
        root = call(client, verb="ListRecords", resumptionToken=bad)
        assert error_codes(root) == ["badResumptionToken"]
        assert request_attributes(root) == {"verb": "ListRecords", "resumptionToken": bad}


def test_a_token_forged_with_another_salt_is_refused(client, orgs):
    cursor = tokens.decode(token_of(call(client, verb="ListRecords", metadataPrefix="oai_dc")).text)
    forged = signing.dumps({**cursor.__dict__, "pk": 0}, salt="something-else", compress=True)

    assert error_codes(call(client, verb="ListRecords", resumptionToken=forged)) == ["badResumptionToken"]


def test_a_token_is_bound_to_its_verb(client, orgs):
    token = token_of(call(client, verb="ListIdentifiers", metadataPrefix="oai_dc")).text

    assert error_codes(call(client, verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]


def test_a_token_expires(client, orgs, settings):
    settings.OAI_TOKEN_MAX_AGE = timedelta(hours=1)
    with time_machine.travel(datetime(2025, 1, 1, 0, 0, tzinfo=UTC), tick=False):
        first = call(client, verb="ListRecords", metadataPrefix="oai_dc")
        assert token_of(first).get("expirationDate") == "2025-01-01T01:00:00Z"
    with time_machine.travel(datetime(2025, 1, 1, 0, 59, tzinfo=UTC), tick=False):
        assert identifiers(call(client, verb="ListRecords", resumptionToken=token_of(first).text))
    with time_machine.travel(datetime(2025, 1, 1, 1, 1, tzinfo=UTC), tick=False):
        root = call(client, verb="ListRecords", resumptionToken=token_of(first).text)
    assert error_codes(root) == ["badResumptionToken"]


def test_pages_walk_every_source_in_prefix_order(client, settings, orgs):
    class Another(type(registry.get_source("org"))):
        prefix = "aorg"  # sorts before "org"
        set_name = None

    registry.register(Another())
    settings.OAI_PAGE_SIZE = 4
    seen = []
    root = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    while True:
        seen += identifiers(root)
        token = token_of(root)
        if token is None or not token.text:
            break
        root = call(client, verb="ListIdentifiers", resumptionToken=token.text)

    assert seen == [i.replace(":org/", ":aorg/") for i in harvest_order(orgs)] + harvest_order(orgs)


def test_a_page_costs_the_same_queries_whatever_its_size(client, settings, orgs):
    def queries(size):
        settings.OAI_PAGE_SIZE = size
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("oaipmh:endpoint"), {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
        assert response.status_code == 200
        return len(captured)

    assert queries(1) == queries(6)
    # the page, the fields (prefetch): no query per record
    assert queries(6) <= 2


def test_a_resumed_page_costs_no_more(client, orgs, django_assert_max_num_queries):
    token = token_of(call(client, verb="ListRecords", metadataPrefix="oai_dc")).text

    with django_assert_max_num_queries(2):
        client.get(reverse("oaipmh:endpoint"), {"verb": "ListRecords", "resumptionToken": token})


# from / until ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        # orgs[0] and orgs[1] have datestamp 2024-03-01T08:00:00.5Z, reported as 08:00:00Z.
        ({"from": "2024-03-01T08:00:00Z"}, [0, 1, 2, 3, 4, 5]),
        ({"from": "2024-03-01T08:00:01Z"}, [2, 3, 4, 5]),
        ({"until": "2024-03-01T08:00:00Z"}, [0, 1]),
        ({"until": "2024-03-01T07:59:59Z"}, None),
        ({"until": "2024-03-01"}, [0, 1]),
        ({"until": "2024-02-29"}, None),
        ({"from": "2024-03-02", "until": "2024-03-02"}, [2, 3]),
        ({"from": "2024-03-02T23:30:00Z", "until": "2024-03-02T23:30:00Z"}, [2, 3]),
        ({"from": "2024-03-03", "until": "2024-03-04"}, None),
        ({"from": "2024-03-06"}, None),
        ({"from": "2024-03-05T01:02:03Z"}, [4, 5]),
        ({"until": "9999-12-31"}, [0, 1, 2, 3, 4, 5]),
    ],
)
def test_from_and_until(client, settings, orgs, bounds, expected):
    settings.OAI_PAGE_SIZE = 10

    root = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **bounds)

    if expected is None:
        assert error_codes(root) == ["noRecordsMatch"]
        assert request_attributes(root) == {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **bounds}
    else:
        assert identifiers(root) == harvest_order([orgs[i] for i in expected])


def test_the_reported_datestamps_are_utc_seconds(client, orgs):
    root = call(client, verb="ListIdentifiers", metadataPrefix="oai_dc")

    assert [e.text for e in root.iterfind(".//o:datestamp", NS)] == ["2024-03-01T08:00:00Z"] * 2


def test_a_change_moves_a_record_into_the_next_incremental_harvest(client, settings, orgs):
    settings.OAI_PAGE_SIZE = 10
    with time_machine.travel(datetime(2024, 4, 1, 12, 0, tzinfo=UTC), tick=False):
        orgs[0].note = "Đã cập nhật"
        orgs[0].save()

    root = call(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2024-04-01"})

    assert identifiers(root) == [oai_id(orgs[0])]
    assert root.findtext(".//dc:description", namespaces=NS) == "Đã cập nhật"


# Sets --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("org", [0, 1, 2, 3, 4, 5]),
        ("field", [0, 1, 3, 4]),  # orgs[1] is in two fields and comes once
        ("field:T1", [0, 1]),
        ("field:T2", [1, 4]),
        ("field:T101", [3]),
        ("year:2021", [2]),
        ("year:2020", [0, 1, 3, 4, 5]),
        ("year:1999", None),
        ("nosuchset", None),
        ("field:T9", None),
    ],
)
def test_sets(client, settings, orgs, spec, expected):
    settings.OAI_PAGE_SIZE = 10

    root = call(client, verb="ListRecords", metadataPrefix="oai_dc", set=spec)

    if expected is None:
        assert error_codes(root) == ["noRecordsMatch"]
    else:
        assert identifiers(root) == harvest_order([orgs[i] for i in expected])
        for header in root.iterfind(".//o:header", NS):
            specs = [e.text for e in header.findall("o:setSpec", NS)]
            assert spec in specs or any(s.startswith(spec + ":") for s in specs)
