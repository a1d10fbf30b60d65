import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.imports.enums import ImportStatus
from opendost.imports.models import ImportRun
from opendost.imports.organizations import SPEC
from opendost.subjects.models import Organization
from tests.factories import DepartmentFactory, UserFactory
from tests.imports.helpers import xlsx
from tests.subjects.factories import TAX_CODES, address_units

pytestmark = pytest.mark.django_db
START = reverse("imports:start", args=[SPEC.name])
TEMPLATE = reverse("imports:template", args=[SPEC.name])


@pytest.fixture
def officer():
    return UserFactory(role=Role.OFFICER, department=DepartmentFactory())


def upload(tmp_path, rows, name="to-chuc.xlsx"):
    return SimpleUploadedFile(name, xlsx(tmp_path, rows, name=name).read_bytes())


GOOD = [["Loại hình", "Tên tổ chức", "Mã số thuế"], ["Doanh nghiệp", "Công ty A", TAX_CODES[0]]]


def test_anonymous_is_sent_to_login(client):
    assert client.get(START).status_code == 302


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.INSPECTOR, Role.APPLICANT])
def test_without_add_and_change_permissions_it_is_forbidden(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(START).status_code == 403
    assert client.get(TEMPLATE).status_code == 403


def test_unknown_import_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("imports:start", args=["nothing"])).status_code == 404


def test_upload_imports_and_shows_the_counts(client, officer, tmp_path):
    address_units()
    client.force_login(officer)
    assert client.get(START).status_code == 200
    content = xlsx(tmp_path, GOOD).read_bytes()
    response = client.post(START, {"file": SimpleUploadedFile("to-chuc.xlsx", content)})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:run_detail", args=[run.public_id])
    assert run.status == ImportStatus.SUCCEEDED and run.department == officer.department
    page = client.get(response.url)
    assert page.status_code == 200 and "to-chuc.xlsx" in page.text
    assert Organization.objects.get().department == officer.department
    again = client.post(START, {"file": SimpleUploadedFile("copy.xlsx", content)})
    assert again.status_code == 200 and again.context["form"].errors["file"]  # already imported
    assert ImportRun.objects.count() == 1


def test_bad_rows_give_a_downloadable_report_and_outsiders_get_404(client, officer, tmp_path):
    client.force_login(officer)
    response = client.post(START, {"file": upload(tmp_path, [GOOD[0], ["Hãng", "Công ty A", "123"]])})
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.INVALID and not Organization.objects.exists()
    page = client.get(response.url)
    report_url = reverse("imports:run_error_report", args=[run.public_id])
    assert report_url in page.text
    report = client.get(report_url)
    assert report.status_code == 200 and report["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in report["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    assert [c.value for c in sheet[1]] == ["Loại hình", "Tên tổ chức", "Mã số thuế", "Lỗi"]
    assert sheet["D2"].value
    client.force_login(UserFactory(role=Role.OFFICER, department=DepartmentFactory()))
    assert client.get(response.url).status_code == 404
    assert client.get(report_url).status_code == 404


def test_the_form_without_a_file_shows_an_error(client, officer):
    client.force_login(officer)
    response = client.post(START, {})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not ImportRun.objects.exists()


def test_template_has_the_headers_a_notes_sheet_and_a_kind_list(client, officer):
    client.force_login(officer)
    response = client.get(TEMPLATE)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    data, notes = workbook.worksheets
    assert [c.value for c in data[1]][:3] == ["Loại hình", "Tên tổ chức", "Tên viết tắt"]
    assert data["A1"].comment is not None
    assert notes.max_row > len(SPEC.columns)
    lists = data.data_validations.dataValidation
    assert lists and "Doanh nghiệp" in lists[0].formula1


def test_organisation_list_links_to_the_import(client, officer):
    client.force_login(officer)
    assert START in client.get(reverse("subjects:organization_list")).text
    desk = UserFactory(role=Role.DESK_OFFICER)
    client.force_login(desk)
    assert START not in client.get(reverse("subjects:organization_list")).text
