"""The public lookup and catalogue: open without login, show progress, never personal data."""

import pytest
from django.urls import reverse

from opendost.dossiers import services
from tests.dossiers.factories import Office, applicant_for, dossier_in_review, published_procedure

pytestmark = pytest.mark.django_db

PERSONAL = {
    "applicant_name": "Bệnh viện Tư nhân Hạnh Phúc",
    "applicant_address": "Số 77 đường Nguyễn Văn Cừ",
    "applicant_phone": "0912 777 888",
    "applicant_email": "hanhphuc@benhvien.example.vn",
}


@pytest.fixture
def office():
    return Office()


@pytest.fixture
def procedure():
    return published_procedure(name="Cấp giấy phép tiến hành công việc bức xạ", required_documents=[])


@pytest.fixture
def dossier(office, procedure):
    applicant = applicant_for(office, name=PERSONAL["applicant_name"])
    dossier = services.dossier_create(
        actor=applicant,
        procedure=procedure,
        organization=applicant.organization,
        **{k: v for k, v in PERSONAL.items() if k != "applicant_name"},
    )
    services.dossier_submit(actor=applicant, dossier=dossier)
    services.dossier_receive(actor=office.desk, dossier=dossier)
    services.dossier_assign(actor=office.desk, dossier=dossier, unit=None, officer=office.officer)
    services.supplement_request(actor=office.officer, dossier=dossier, items="Bổ sung kết quả đo liều.")
    return dossier


def test_lookup_shows_the_progress_and_no_personal_data(client, office, dossier):
    response = client.get(reverse("dossiers_public:lookup"), {"code": dossier.code.lower()})
    assert response.status_code == 200
    html = response.content.decode()
    assert dossier.code in html
    assert "Cấp giấy phép tiến hành công việc bức xạ" in html
    assert "Waiting for supplements" in html
    assert "the time limit is paused until the supplements arrive" in html
    assert "Bổ sung kết quả đo liều." in html  # what is missing
    for label in ("Submit", "Receive", "Assign", "Request supplements"):
        assert label in html
    for value in (*PERSONAL.values(), office.officer.full_name, office.desk.full_name, office.leader.full_name):
        assert value not in html, value


def test_an_unknown_code_is_a_friendly_404(client):
    response = client.get(reverse("dossiers_public:lookup"), {"code": "KHONG-CO-00001"})
    assert response.status_code == 404
    assert "No dossier has this code." in response.content.decode()


def test_the_empty_lookup_page_and_a_draft_code(client, office, procedure):
    assert client.get(reverse("dossiers_public:lookup")).status_code == 200
    response = client.get(reverse("dossiers_public:lookup"), {"code": ""})
    assert response.status_code == 200 and b"No dossier has this code." not in response.content


def test_the_public_catalogue_lists_procedures_in_force(client, procedure):
    draft = published_procedure(code="1.000009", name="Thủ tục chưa ban hành")
    draft.versions.update(effective_from="2099-01-01")
    response = client.get(reverse("dossiers_public:catalogue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert procedure.name in html and "Thủ tục chưa ban hành" not in html
    assert "3 working days" in html.lower()


def test_the_lookup_after_the_result(client, office, procedure):
    applicant = applicant_for(office)
    dossier = dossier_in_review(procedure, applicant, office)
    services.dossier_propose(actor=office.officer, dossier=dossier, recommendation="approve")
    services.dossier_approve(actor=office.leader, dossier=dossier)
    services.dossier_issue_result(actor=office.officer, dossier=dossier)
    html = client.get(reverse("dossiers_public:lookup"), {"code": dossier.code}).content.decode()
    assert "Result issued" in html and "Early" in html
