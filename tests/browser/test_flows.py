"""What a staff user does in a real browser: register an organisation, filter and export the list,
try another department's record, and what the public sees on a document's verification page.

Expected Vietnamese texts are read from the catalogue (`vi(...)`), not typed here, so a wording
change in the translation breaks no test; `vi()` fails when a msgid has no translation at all.
Administrative units come from tests/subjects/factories.address_units(): live_server tests flush
the database, so the units loaded by geography's data migration are not there.
"""

import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from opendost.accounts.roles import Role
from opendost.audit.enums import AuditAction
from opendost.documents import services as document_services
from opendost.documents.enums import DocumentState
from opendost.documents.samples import sample_decision
from opendost.documents.services import document_issue
from opendost.subjects.enums import OrganizationKind
from opendost.subjects.exports import ORGANIZATION_COLUMNS
from opendost.subjects.models import Organization
from tests.factories import DepartmentFactory, UserFactory
from tests.subjects.factories import TAX_CODES, OrganizationFactory, address_units

pytestmark = [pytest.mark.browser, pytest.mark.vietnamese]

BAD_TAX_CODE = "0100233487"  # 0100233488 with a wrong check digit
GOOD_TAX_CODE = TAX_CODES[0]


def vi(message, *, same_ok: bool = False) -> str:
    """The Vietnamese translation of a msgid (a string or a lazy label); `same_ok` for words like
    "Email" that Vietnamese keeps as they are."""
    with translation.override("en"):
        msgid = str(message)
    with translation.override("vi"):
        text = gettext(msgid)
    assert same_ok or text != msgid, f"no Vietnamese translation for {msgid!r}"
    return text


def option_labels(select) -> list[str]:
    """The labels of the options that are units, not the empty "choose" option."""
    return [label.strip() for label in select.locator("option:not([value=''])").all_inner_texts()]


def save_button(page):
    return page.locator("main form[method=post] button[type=submit]:not([name])")


@pytest.fixture
def units():
    return address_units()


@pytest.fixture
def department():
    return DepartmentFactory(code="bac-ninh", name="Sở Khoa học và Công nghệ tỉnh Bắc Ninh")


@pytest.fixture
def officer(department):
    return UserFactory(department=department, role=Role.OFFICER)


# 1. REGISTERING AN ORGANISATION -------------------------------------------------------------------
def test_officer_registers_an_organisation_through_the_form(page, login, assert_accessible, officer, units):
    login(officer)
    page.goto(reverse("subjects:organization_create"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert_accessible(page, label="empty organisation form")

    province, commune = page.locator("#id_province"), page.locator("#id_commune")
    assert option_labels(commune) == []

    # Choosing a province refills the commune list through htmx (geography:unit_options).
    with page.expect_response(lambda r: reverse("geography:unit_options") in r.url and "level=commune" in r.url):
        province.select_option(str(units.ha_noi.pk))
    expect(commune.locator("option", has_text=units.phuong_ba_dinh.name)).to_have_count(1)
    assert units.phuong_bac_giang.name not in option_labels(commune)

    with page.expect_response(lambda r: reverse("geography:unit_options") in r.url and "level=commune" in r.url):
        province.select_option(str(units.bac_ninh.pk))
    expect(commune.locator("option", has_text=units.phuong_bac_giang.name)).to_have_count(1)
    assert units.phuong_ba_dinh.name not in option_labels(commune)
    commune.select_option(str(units.phuong_bac_giang.pk))

    typed = {
        "#id_name": "Bệnh viện Đa khoa Thử nghiệm Kinh Bắc",
        "#id_short_name": "BVĐK Kinh Bắc",
        "#id_tax_code": BAD_TAX_CODE,
        "#id_address_line": "Số 12 đường Hùng Vương",
        "#id_phone": "0204 3854 123",
        "#id_email": "lienhe@bvkinhbac.example.vn",
    }
    page.locator("#id_kind").select_option(OrganizationKind.HOSPITAL.value)
    for selector, value in typed.items():
        page.locator(selector).fill(value)

    with page.expect_navigation():
        save_button(page).click()

    # The error is in Vietnamese, next to the tax code, and everything typed is still there.
    assert reverse("subjects:organization_create") in page.url
    tax_code = page.locator("#id_tax_code")
    expect(tax_code).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_tax_code ~ .invalid-feedback")
    expect(error).to_have_text(vi("This tax code's check digit is wrong: please check the number."))
    for selector, value in typed.items():
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator("#id_kind")).to_have_value(OrganizationKind.HOSPITAL.value)
    expect(province).to_have_value(str(units.bac_ninh.pk))
    expect(commune).to_have_value(str(units.phuong_bac_giang.pk))
    assert not Organization.objects.exists()  # nothing half-saved
    assert_accessible(page, label="organisation form with an error")

    tax_code.fill(GOOD_TAX_CODE)
    with page.expect_navigation():
        save_button(page).click()

    organization = Organization.objects.get()
    assert page.url.endswith(reverse("subjects:organization_detail", args=[organization.public_id]))
    expect(page.locator("h1")).to_have_text(typed["#id_name"])
    expect(page.locator("main")).to_contain_text(vi("Organisation registered."))
    expect(page.locator("main")).to_contain_text(GOOD_TAX_CODE)
    expect(page.locator("main")).to_contain_text(units.phuong_bac_giang.name)
    history = page.locator("#history li")
    expect(history).to_have_count(1)
    expect(history).to_contain_text(vi(AuditAction.CREATE.label))
    expect(history).to_contain_text(officer.get_full_name())
    assert_accessible(page, label="organisation detail")


# 2. THE LIST: FILTER AND EXPORT -------------------------------------------------------------------
def test_list_filter_is_accent_insensitive_and_swaps_the_results(
    page, login, assert_accessible, officer, department, tmp_path
):
    hospital = OrganizationFactory(
        department=department, name="Bệnh viện Đa khoa tỉnh Thử nghiệm", kind=OrganizationKind.HOSPITAL
    )
    company = OrganizationFactory(department=department, name="Công ty Cổ phần Cơ khí Thử nghiệm")
    login(officer)
    page.goto(reverse("subjects:organization_list"))
    rows = page.locator("#results tbody th[scope=row]")
    expect(rows).to_have_count(2)
    assert_accessible(page, label="organisation list")

    page.evaluate("() => { window.notReloaded = true; }")
    with page.expect_response(lambda r: "q=benh" in r.url and r.request.headers.get("hx-request") == "true"):
        page.locator("#id_q").fill("benh vien")

    expect(rows).to_have_count(1)
    expect(rows.first).to_have_text(hospital.name)
    assert page.evaluate("() => window.notReloaded") is True  # swapped in place, not a new page
    expect(page).to_have_url(re.compile(r"[?&]q=benh(\+|%20)vien"))
    assert company.name not in page.locator("#results").inner_text()
    assert_accessible(page, label="organisation list after filtering")

    # The export link follows the filter; the file has the Vietnamese header row.
    export = page.locator(f"#results a[href^='{reverse('subjects:organization_export', args=['xlsx'])}']")
    with page.expect_download() as download_info:
        export.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "export.xlsx"
    download.save_as(path)
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        table = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    finally:
        workbook.close()
    assert table[0] == [vi(column.header, same_ok=True) for column in ORGANIZATION_COLUMNS]
    assert table[0][0] == vi("Name")
    assert [row[0] for row in table[1:]] == [hospital.name]


# 3. ANOTHER DEPARTMENT ----------------------------------------------------------------------------
def test_officer_of_another_department_gets_404(page, login, department):
    organization = OrganizationFactory(department=department, name="Công ty TNHH Bí mật Thử nghiệm")
    outsider = UserFactory(role=Role.OFFICER)
    login(outsider)

    response = page.goto(reverse("subjects:organization_detail", args=[organization.public_id]))

    # The project has no 404.html yet, so this is Django's bare English "Not Found" page; the test
    # only holds what matters for security: a 404 that gives nothing of the record away.
    assert response.status == 404
    assert organization.name not in page.content()
    response = page.goto(reverse("subjects:organization_edit", args=[organization.public_id]))
    assert response.status == 404


# 4. PUBLIC DOCUMENT VERIFICATION ------------------------------------------------------------------
@pytest.fixture
def fast_render(monkeypatch):
    """These tests are about the page, not the layout: skip the PDF and .docx rendering."""
    monkeypatch.setattr(document_services, "render_pdf", lambda doc: b"%PDF-1.7 test")
    monkeypatch.setattr(document_services, "render_docx", lambda doc: b"PK docx test")


def test_public_verification_page_shows_the_state_and_no_personal_data(
    page, assert_accessible, department, fast_render
):
    department.governing_body = "UBND TỈNH BẮC NINH"
    department.save()
    officer = UserFactory(department=department, role=Role.OFFICER, full_name="Phạm Thị Văn Thư")
    data = sample_decision(issuing_body_parent="UBND TỈNH BẮC NINH", place="Bắc Ninh", issued_on=timezone.localdate())
    document = document_issue(actor=officer, department=department, doc_type="QĐ", data=data)

    response = page.goto(reverse("documents_public:verify", args=[document.verification_code]))

    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    main = page.locator("main")
    expect(main).to_contain_text(document.number_symbol)
    expect(main).to_contain_text(document.title)
    expect(page.locator("#document-state")).to_contain_text(vi(DocumentState.VALID.label))
    text = main.inner_text()
    for private in (officer.get_full_name(), data.signer_name, "Như Điều 3", "Điều 1.", "QLKH"):
        assert private not in text, private
    assert officer.username not in page.content()
    assert_accessible(page, label="document verification")
