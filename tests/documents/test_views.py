from urllib.parse import unquote

import pytest
import time_machine
from django.urls import reverse

from opendost.documents.services import document_issue, document_replace, document_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _issue_day():
    with time_machine.travel("2026-01-05 09:00 +07:00", tick=False):
        yield


@pytest.fixture
def document(officer, department, data, fast_render):
    return document_issue(actor=officer, department=department, doc_type="QĐ", data=data)


def verify(client, document):
    return client.get(reverse("documents_public:verify", args=[document.verification_code]))


# PUBLIC VERIFICATION ------------------------------------------------------------------------------
def test_verification_page_is_public_and_shows_the_register_entry(client, document):
    response = verify(client, document)
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("QUYẾT ĐỊNH".capitalize(), "01/QĐ-SKHCN", document.title, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "05/01/2026"):
        assert text in page
    assert response.context["document"].state == "valid"


def test_verification_page_shows_no_personal_data(client, document):
    page = verify(client, document).content.decode()
    assert document.issued_by.get_full_name() not in page  # the officer who registered it
    assert "Như Điều 3" not in page  # nor the content or the recipients
    assert document.docx.name not in page and document.pdf.name not in page


def test_the_code_is_read_case_insensitively(client, document):
    response = client.get(reverse("documents_public:verify", args=[document.verification_code.lower()]))
    assert response.status_code == 200


def test_unknown_code_is_a_404_page(client, document):
    response = client.get(reverse("documents_public:verify", args=["NOSUCHCODE"]))
    assert response.status_code == 404
    assert response.templates[0].name == "documents/verify_not_found.html"
    assert b'lang="vi"' in response.content


def test_expired_document(client, officer, department, data, fast_render):
    document = document_issue(
        actor=officer, department=department, doc_type="QĐ", data=data, valid_until=data.issued_on
    )
    assert verify(client, document).context["document"].state == "valid"
    with time_machine.travel("2026-01-06 00:01 +07:00", tick=False):
        assert verify(client, document).context["document"].state == "expired"


def test_revoked_document(client, document, leader):
    document_revoke(actor=leader, document=document, reason="Sai sót")
    response = verify(client, document)
    assert response.context["document"].state == "revoked"
    assert "Sai sót" not in response.content.decode()  # internal reason stays internal


def test_replaced_document_links_to_the_replacement(client, document, leader, data):
    replacement = document_replace(actor=leader, document=document, data=data)
    response = verify(client, document)
    assert response.context["document"].state == "replaced"
    assert reverse("documents_public:verify", args=[replacement.verification_code]) in response.content.decode()
    assert "02/QĐ-SKHCN" in response.content.decode()


# STAFF PAGES --------------------------------------------------------------------------------------
def test_staff_pages_need_login(client, document):
    for name in ("documents:detail", "documents:download_pdf", "documents:download_docx"):
        response = client.get(reverse(name, args=[document.public_id]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_detail_page_for_the_department_staff(client, officer, document):
    client.force_login(officer)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert reverse("documents:download_pdf", args=[document.public_id]) in response.content.decode()


def test_outsider_gets_404_everywhere(client, outsider, document):
    client.force_login(outsider)
    for name in ("documents:detail", "documents:download_pdf", "documents:download_docx"):
        assert client.get(reverse(name, args=[document.public_id])).status_code == 404


def test_successor_staff_see_the_predecessors_documents(client, department, document):
    from opendost.accounts.roles import Role
    from tests.factories import DepartmentFactory, UserFactory

    successor = DepartmentFactory()
    department.successor = successor
    department.save()
    client.force_login(UserFactory(department=successor, role=Role.OFFICER))
    assert client.get(document.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("name", "content_type", "filename"),
    [
        ("documents:download_pdf", "application/pdf", "Quyết định 01-QĐ-SKHCN.pdf"),
        (
            "documents:download_docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Quyết định 01-QĐ-SKHCN.docx",
        ),
    ],
)
def test_download_headers(client, officer, document, name, content_type, filename):
    client.force_login(officer)
    response = client.get(reverse(name, args=[document.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="quyet_dinh_01-qd-skhcn.')
    assert disposition.isascii()
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == filename
    assert b"".join(response.streaming_content).startswith(b"%PDF" if name.endswith("pdf") else b"PK")
    assert "no-store" in response["Cache-Control"]
