"""Procedures and dossiers for the tests. States are reached through the services (the engine)."""

import datetime as dt

from opendost.accounts.roles import Role
from opendost.dossiers import services
from opendost.dossiers.models import Procedure
from tests.factories import UnitFactory, UserFactory

REQUIRED = [
    {"code": "DON", "name": "Đơn đề nghị", "copy": "original", "required": True},
    {"code": "GCN", "name": "Bản sao giấy chứng nhận", "copy": "copy", "required": True},
]


def published_procedure(
    *,
    code: str = "1.000001",
    handler_key: str = "generic",
    deadline_unit: str = "working",
    deadline_count: int = 3,
    steps=(),
    required_documents=None,
    effective_from: dt.date = dt.date(2020, 1, 1),
    rules=None,
    pause_on_supplement: bool = True,
    name: str = "Cấp giấy phép thử nghiệm",
    fee_amount: int = 0,
) -> Procedure:
    admin = UserFactory(role=Role.ADMINISTRATOR, department=None)
    procedure = Procedure.objects.create(
        code=code, local_code=f"{code}.000.00.00.H10", name=name, sector="An toàn bức xạ", handler_key=handler_key
    )
    version = services.procedure_version_draft(
        actor=admin,
        procedure=procedure,
        legal_basis="Nghị định số 142/2020/NĐ-CP ngày 09 tháng 12 năm 2020 của Chính phủ",
        effective_from=effective_from,
        deadline_unit=deadline_unit,
        deadline_count=deadline_count,
        steps=list(steps),
        required_documents=REQUIRED if required_documents is None else required_documents,
        output_name="Giấy phép thử nghiệm",
        output_doc_type="GP",
        rules=rules or {},
        pause_on_supplement=pause_on_supplement,
        fee_amount=fee_amount,
    )
    services.procedure_version_publish(actor=admin, version=version)
    return procedure


class Office:
    """One department's one-stop office: a desk officer, a handling officer in a unit, a leader."""

    def __init__(self, department=None):
        self.unit = UnitFactory(department=department) if department else UnitFactory()
        self.department = self.unit.department
        self.desk = UserFactory(role=Role.DESK_OFFICER, department=self.department, full_name="Trần Thị Một Cửa")
        self.officer = UserFactory(role=Role.OFFICER, department=self.department, unit=self.unit)
        self.leader = UserFactory(role=Role.LEADER, department=self.department, full_name="Lê Minh Cường")


def upload(name: str = "don.pdf", content: bytes = b"%PDF-1.4 test"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def attach_required(dossier, actor):
    for document in dossier.procedure_version.required_documents:
        services.attachment_add(actor=actor, dossier=dossier, upload=upload(), requirement=document["code"])


def applicant_for(office, *, name: str = "Bệnh viện Đa khoa Hà Bắc"):
    """An applicant account of an organisation registered in the office's department."""
    from opendost.accounts.roles import Role
    from tests.subjects.factories import OrganizationFactory

    organization = OrganizationFactory(department=office.department, name=name)
    return UserFactory(role=Role.APPLICANT, department=None, organization=organization)


def submitted_dossier(procedure, applicant):
    dossier = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    attach_required(dossier, applicant)
    return services.dossier_submit(actor=applicant, dossier=dossier)


def dossier_in_review(procedure, applicant, office):
    dossier = submitted_dossier(procedure, applicant)
    services.dossier_receive(actor=office.desk, dossier=dossier)
    return services.dossier_assign(actor=office.desk, dossier=dossier, unit=None, officer=office.officer)
