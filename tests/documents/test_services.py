from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from opendost.audit.models import AuditEvent
from opendost.documents import services
from opendost.documents.enums import DocumentStatus
from opendost.documents.models import CODE_ALPHABET, IssuedDocument
from opendost.documents.services import document_issue, document_replace, document_revoke
from opendost.numbering.models import NumberSeries
from opendost.workflow.models import TransitionLog
from tests.documents.conftest import ISSUED_ON
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _issue_day():
    with time_machine.travel("2026-01-05 09:00 +07:00", tick=False):
        yield


def issue(actor, department, data, **kwargs):
    return document_issue(actor=actor, department=department, doc_type="QĐ", data=data, **kwargs)


def test_issue_numbers_renders_and_stores_both_files(officer, department, data, settings):
    settings.SITE_URL = "https://dost.example.vn"
    document = issue(officer, department, data, valid_until=date(2031, 1, 4))

    assert (document.number, document.number_symbol) == (1, "01/QĐ-SKHCN")
    assert document.issued_on == ISSUED_ON
    assert document.docx.name.startswith("documents/2026/") and document.docx.name.endswith(".docx")
    assert document.pdf.name.startswith("documents/2026/") and document.pdf.name.endswith(".pdf")
    with default_storage.open(document.pdf.name) as pdf, default_storage.open(document.docx.name) as docx:
        assert pdf.read().startswith(b"%PDF")
        assert docx.read().startswith(b"PK")
    assert len(document.verification_code) == 10 and set(document.verification_code) <= set(CODE_ALPHABET)
    assert document.content["qr_url"] == f"https://dost.example.vn/verify/{document.verification_code}/"
    assert document.content["number_symbol"] == "01/QĐ-SKHCN"
    assert (document.issuing_body_parent, document.issuing_body) == ("UBND TỈNH BẮC NINH", "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    assert document.status == DocumentStatus.VALID and document.state == "valid"


def test_next_issue_takes_the_next_number(officer, department, data, fast_render):
    issue(officer, department, data)
    assert issue(officer, department, data).number_symbol == "02/QĐ-SKHCN"


def test_issue_links_the_subject(officer, department, data, fast_render):
    document = issue(officer, department, data, subject=department)
    assert IssuedDocument.objects.get(pk=document.pk).subject == department


def test_outsider_cannot_issue_for_the_department(outsider, department, data, fast_render):
    with pytest.raises(PermissionDenied):
        issue(outsider, department, data)
    assert not IssuedDocument.objects.exists()


def test_incomplete_content_is_refused_whole(officer, department, data, fast_render):
    with pytest.raises(ValidationError) as error:
        issue(officer, department, data.with_issue(title=" ", body=()), valid_until=date(2025, 1, 1))
    assert set(error.value.message_dict) == {"title", "body", "valid_until"}
    assert not NumberSeries.objects.filter(last_number__gt=0).exists()


def test_future_issue_date_is_refused(officer, department, data, fast_render):
    with pytest.raises(ValidationError) as error:
        issue(officer, department, data.with_issue(issued_on=date(2026, 1, 6)))
    assert "issued_on" in error.value.message_dict


def test_a_failed_render_gives_the_number_back_and_leaves_no_file(officer, department, data, monkeypatch):
    def broken(doc):
        raise OSError("disk full")

    monkeypatch.setattr(services, "render_pdf", broken)
    with pytest.raises(OSError, match="disk full"):
        issue(officer, department, data)
    assert not IssuedDocument.objects.exists()
    assert not NumberSeries.objects.filter(last_number__gt=0).exists()


def test_a_failed_save_deletes_the_files_written(officer, department, data, fast_render, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(IssuedDocument, "save", broken_save)
    with pytest.raises(RuntimeError):
        issue(officer, department, data)
    _dirs, files = default_storage.listdir("documents/2026")
    assert files == []


def test_a_body_that_ceased_cannot_issue_and_its_successor_replaces(leader, department, data, fast_render):
    bac_giang = DepartmentFactory(
        code="bac-giang", governing_body="UBND TỈNH BẮC GIANG", valid_to=date(2025, 6, 30), successor=department
    )
    old_data = data.with_issue(issuing_body_parent="UBND TỈNH BẮC GIANG", place="Bắc Giang")
    with pytest.raises(ValidationError):
        issue(leader, bac_giang, old_data)
    with time_machine.travel("2025-03-10 09:00 +07:00", tick=False):
        historic = issue(leader, bac_giang, old_data.with_issue(issued_on=date(2025, 3, 10)))

    replacement = document_replace(
        actor=leader, document=historic, data=data, department=department, reason="Sáp nhập"
    )

    historic.refresh_from_db()
    assert historic.issuing_body_parent == "UBND TỈNH BẮC GIANG"  # history is never rewritten
    assert historic.content["issuing_body_parent"] == "UBND TỈNH BẮC GIANG"
    assert (historic.status, historic.replaced_by) == (DocumentStatus.REPLACED, replacement)
    assert replacement.department == department
    assert replacement.issuing_body_parent == "UBND TỈNH BẮC NINH"
    assert replacement.number_symbol == "01/QĐ-SKHCN"


def test_revoke_needs_a_leader_and_a_reason(officer, leader, outsider, department, data, fast_render):
    document = issue(officer, department, data)
    with pytest.raises(PermissionDenied):
        document_revoke(actor=officer, document=document, reason="Sai sót")
    with pytest.raises(PermissionDenied):
        document_revoke(actor=outsider, document=document, reason="Sai sót")
    with pytest.raises(ValidationError):
        document_revoke(actor=leader, document=document, reason=" ")

    document_revoke(actor=leader, document=document, reason="Sai sót về đối tượng")

    document.refresh_from_db()
    assert (document.status, document.status_reason) == (DocumentStatus.REVOKED, "Sai sót về đối tượng")
    assert document.status_changed_at is not None
    log = TransitionLog.objects.for_object(document).get()
    assert (log.name, log.from_state, log.to_state, log.actor) == ("revoke", "valid", "revoked", leader)
    actions = list(AuditEvent.objects.filter(object_id=str(document.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["create", "transition"]


def test_a_withdrawn_document_cannot_be_withdrawn_again(leader, department, data, fast_render):
    document = issue(leader, department, data)
    document_revoke(actor=leader, document=document, reason="Sai sót")
    with pytest.raises(ValidationError):
        document_revoke(actor=leader, document=document, reason="Lần hai")
    with pytest.raises(ValidationError):
        document_replace(actor=leader, document=document, data=data)
    assert IssuedDocument.objects.count() == 1


def test_a_stale_copy_cannot_revoke_a_replaced_document(leader, department, data, fast_render):
    document = issue(leader, department, data)
    stale = IssuedDocument.objects.get(pk=document.pk)
    document_replace(actor=leader, document=document, data=data)
    with pytest.raises(ValidationError):
        document_revoke(actor=leader, document=stale, reason="Sai sót")
    stale.refresh_from_db()
    assert stale.status == DocumentStatus.REPLACED


def test_state_is_expired_after_valid_until(officer, department, data, fast_render):
    document = issue(officer, department, data, valid_until=date(2026, 1, 31))
    assert document.state == "valid"
    with time_machine.travel("2026-02-01 00:05 +07:00", tick=False):
        assert document.state == "expired"
