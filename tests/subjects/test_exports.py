import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from opendost.subjects.enums import OrganizationKind
from opendost.subjects.exports import ORGANIZATION_COLUMNS
from tests.subjects.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """Ask for the English UI, so the assertions read the msgids whatever the catalogue holds."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def read_xlsx(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def rows(department, other_department, units):
    OrganizationFactory(
        department=department,
        name="Viện Hóa học",
        kind=OrganizationKind.ST_ORGANIZATION,
        tax_code="0100233488",
        province=units.bac_ninh,
        established_on=dt.date(1999, 3, 26),
        phone="+84 222 3854 854",
        note='=HYPERLINK("http://evil.example","click")',
    )
    OrganizationFactory(department=department, name="Công ty Bia", kind=OrganizationKind.ENTERPRISE)
    OrganizationFactory(department=other_department, name="Tổ chức Ngoài")


def test_xlsx_export_has_translated_headers_and_exactly_the_visible_rows(client, officer, rows):
    client.force_login(officer)
    response = client.get(reverse("subjects:organization_export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    table = read_xlsx(response)
    header = table[0]
    assert header[0] == "Name" and "Tax / enterprise code" in header and "Established on" in header
    assert sorted(r[0] for r in table[1:]) == ["Công ty Bia", "Viện Hóa học"]


def test_headers_follow_the_ui_language(client, officer, rows):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    client.force_login(officer)
    table = read_xlsx(client.get(reverse("subjects:organization_export", args=["xlsx"])))
    with translation.override("vi"):
        assert list(table[0]) == [str(c.header) for c in ORGANIZATION_COLUMNS]


def test_xlsx_export_escapes_formulas_and_writes_dates(client, officer, rows):
    client.force_login(officer)
    table = read_xlsx(client.get(reverse("subjects:organization_export", args=["xlsx"]), {"q": "hoa hoc"}))
    header, row = table[0], table[1]
    record = dict(zip(header, row, strict=True))
    assert len(table) == 2
    assert record["Note"] == """'=HYPERLINK("http://evil.example","click")"""
    assert record["Phone"] == "'+84 222 3854 854"
    assert record["Established on"] == dt.datetime(1999, 3, 26)
    assert record["Kind"] == "S&T organisation"


def test_export_follows_the_list_filters(client, officer, rows):
    client.force_login(officer)
    response = client.get(reverse("subjects:organization_export", args=["csv"]), {"kind": "enterprise", "page": "3"})
    table = read_csv(response)
    assert [r[0] for r in table[1:]] == ["Công ty Bia"]


def test_csv_export_escapes_and_formats_dates(client, officer, rows):
    client.force_login(officer)
    table = read_csv(client.get(reverse("subjects:organization_export", args=["csv"]), {"q": "0100233488"}))
    record = dict(zip(table[0], table[1], strict=True))
    assert record["Established on"] == "26/03/1999"
    assert record["Note"].startswith("'=HYPERLINK")
    assert record["Kind"] == "S&T organisation"


def test_people_export_masks_citizen_ids(client, officer, department):
    PersonFactory(department=department, full_name="Bùi Thị Xuân", citizen_id="001234567890", is_expert=True)
    client.force_login(officer)
    for file_type in ("xlsx", "csv"):
        response = client.get(reverse("subjects:person_export", args=[file_type]))
        table = read_xlsx(response) if file_type == "xlsx" else read_csv(response)
        record = dict(zip(table[0], table[1], strict=True))
        assert record["Citizen ID number"] == "*********890"
        assert record["In the expert register"] == "Yes"
        assert all("001234567890" not in str(cell) for cell in table[1])


@pytest.mark.parametrize("name", ["subjects:organization_export", "subjects:person_export"])
def test_export_needs_the_export_permission(client, inspector, name):
    client.force_login(inspector)
    assert client.get(reverse(name, args=["xlsx"])).status_code == 403


def test_export_link_is_shown_only_with_the_permission(client, inspector, officer, rows):
    url = reverse("subjects:organization_list")
    client.force_login(inspector)
    assert reverse("subjects:organization_export", args=["xlsx"]) not in client.get(url).content.decode()
    client.force_login(officer)
    assert reverse("subjects:organization_export", args=["xlsx"]) in client.get(url).content.decode()


def test_leader_may_export(client, leader, rows):
    client.force_login(leader)
    assert client.get(reverse("subjects:organization_export", args=["csv"])).status_code == 200


def test_unknown_export_type_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("subjects:organization_export", args=["pdf"])).status_code == 404


def test_outsider_export_contains_none_of_the_departments_rows(client, outsider, rows):
    client.force_login(outsider)
    table = read_csv(client.get(reverse("subjects:organization_export", args=["csv"])))
    assert [r[0] for r in table[1:]] == ["Tổ chức Ngoài"]


def test_too_large_an_export_is_refused_with_a_message(client, officer, rows, settings):
    settings.OPENDOST_EXPORT_MAX_ROWS = 1
    client.force_login(officer)
    response = client.get(reverse("subjects:organization_export", args=["xlsx"]), {"kind": ""}, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("subjects:organization_list"))
    assert "narrow the filters" in response.content.decode()
