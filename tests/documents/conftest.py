import shutil
from datetime import date

import pytest

from opendost.accounts.roles import Role
from opendost.documents import services
from opendost.documents.samples import sample_decision
from tests.factories import DepartmentFactory, UserFactory

ISSUED_ON = date(2026, 1, 5)
POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed (apt-get install poppler-utils)")


@pytest.fixture
def department():
    return DepartmentFactory(
        code="bac-ninh", name="Sở Khoa học và Công nghệ tỉnh Bắc Ninh", governing_body="UBND TỈNH BẮC NINH"
    )


@pytest.fixture
def officer(department):
    return UserFactory(department=department, role=Role.OFFICER)


@pytest.fixture
def leader(department):
    return UserFactory(department=department, role=Role.LEADER, full_name="Lê Minh Cường")


@pytest.fixture
def outsider():
    return UserFactory(role=[Role.OFFICER, Role.LEADER])


@pytest.fixture
def data():
    return sample_decision(issuing_body_parent="UBND TỈNH BẮC NINH", place="Bắc Ninh", issued_on=ISSUED_ON)


@pytest.fixture
def fast_render(monkeypatch):
    """For tests about the register and pages, not the layout: skip the half-second PDF render."""
    monkeypatch.setattr(services, "render_pdf", lambda doc: b"%PDF-1.7 test " + doc.number_symbol.encode())
    monkeypatch.setattr(services, "render_docx", lambda doc: b"PK docx " + doc.number_symbol.encode())
