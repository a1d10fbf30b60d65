import pytest
from django.core.management import CommandError, call_command

from opendost.documents.models import IssuedDocument

pytestmark = pytest.mark.django_db


def test_document_sample_issues_a_decision_for_the_demo_department(settings, leader, fast_render, capsys):
    settings.OPENDOST_DEMO_ALLOWED = True
    call_command("document_sample")
    document = IssuedDocument.objects.get()
    assert (document.department.code, document.doc_type, document.issued_by) == ("bac-ninh", "QĐ", leader)
    assert document.content["place"] == "Bắc Ninh"
    assert document.verification_code in capsys.readouterr().out


def test_document_sample_refuses_outside_a_demo_install(settings, leader):
    settings.OPENDOST_DEMO_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("document_sample")
