"""The radiation procedures on the dossier engine: renewal end to end (the issue's "done when"), the
other licence procedures, and the rules each handler enforces."""

import datetime as dt
import io
import re
import shutil
import subprocess
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from opendost.dossiers import selectors as dossier_selectors
from opendost.dossiers import services as dossiers
from opendost.dossiers.enums import DossierStatus, Recommendation
from opendost.dossiers.models import Procedure
from opendost.radiation import rules
from opendost.radiation.enums import LicenceKind, LicenceStatus, PlanStatus
from opendost.radiation.models import Licence
from tests.dossiers.factories import attach_required, upload
from tests.factories import UnitFactory, UserFactory
from tests.radiation.conftest import make_device
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=10, mm=0):
    return time_machine.travel(dt.datetime(y, m, d, hh, mm, tzinfo=VN), tick=False)


def procedure(handler: str) -> Procedure:
    return Procedure.objects.get(handler_key=handler)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def desk(department):
    from opendost.accounts.roles import Role

    return UserFactory(role=Role.DESK_OFFICER, department=department, full_name="Trần Thị Một Cửa")


@pytest.fixture
def handler(department):
    from opendost.accounts.roles import Role

    return UserFactory(role=Role.OFFICER, department=department, unit=UnitFactory(department=department))


def test_the_catalogue_holds_both_regimes_of_every_radiation_procedure():
    procedures = Procedure.objects.filter(sector="An toàn bức xạ và hạt nhân").order_by("code")
    assert [p.handler_key for p in procedures] == [
        "radiation.licence_new",
        "radiation.licence_renewal",
        "radiation.licence_amendment",
        "radiation.licence_reissue",
        "radiation.response_plan",
    ]
    renewal = procedure("radiation.licence_renewal")
    old, new = renewal.versions.order_by("number")
    assert (old.effective_to, new.effective_from) == (dt.date(2025, 12, 31), dt.date(2026, 1, 1))
    assert (new.deadline_unit, new.deadline_count, new.rules["renewal_lead_days"]) == ("calendar", 25, 45)
    assert dossiers.version_in_force(renewal, on=dt.date(2025, 6, 1)) == old
    assert rules.renewal_lead_days(on=dt.date(2026, 6, 1)) == 45


def test_a_renewal_from_online_submission_to_the_changed_register(licence, applicant, desk, handler, leader, tmp_path):
    """Applicant submits online; the desk receives across New Year; the officer asks for a supplement
    (the clock stops); the applicant supplements; the leader approves; the result is issued; the
    register's licence changes; the licence opens in LibreOffice; the public lookup shows each step."""
    renewal = procedure("radiation.licence_renewal")
    with at(2026, 12, 29):
        dossier = dossiers.dossier_create(
            actor=applicant,
            procedure=renewal,
            organization=applicant.organization,
            payload={"licence": str(licence.public_id)},
        )
        attach_required(dossier, applicant)
        dossiers.dossier_submit(actor=applicant, dossier=dossier)
    assert dossier.intake_due_date == dt.date(2027, 1, 6)  # 5 working days, New Year's Day skipped

    # Received on Thursday 31/12/2026: day 1 is the first working day after it, Monday 04/01/2027
    # (01/01 is New Year's Day, 02-03/01 a weekend), and the 25th day is Thursday 28/01/2027.
    with at(2026, 12, 31, 15):
        with pytest.raises(ValidationError) as unpaid:  # the time runs from the paid fees (NĐ 142/2020)
            dossiers.dossier_receive(actor=desk, dossier=dossier)
        assert unpaid.value.code == "fee_unpaid"
        dossiers.fee_record(
            actor=desk, dossier=dossier, amount=1_600_000, receipt_number="BL-0012345", paid_on=dt.date(2026, 12, 31)
        )
    with at(2026, 12, 31, 16):
        dossiers.dossier_receive(actor=desk, dossier=dossier)
    assert dossier.due_date == dt.date(2027, 1, 28)
    assert (dossier.fee_amount, dossier.fee_receipt) == (1_600_000, "BL-0012345")

    with at(2027, 1, 4, 8):
        dossiers.dossier_assign(actor=desk, dossier=dossier, unit=None, officer=handler)
    with at(2027, 1, 5, 9):
        request = dossiers.supplement_request(
            actor=handler, dossier=dossier, items="Bổ sung kết quả đo liều kế cá nhân quý IV/2026."
        )
    with at(2027, 1, 11, 9):
        dossiers.attachment_add(actor=applicant, dossier=dossier, upload=upload("lieu-ke.pdf"), supplement=request)
        dossiers.supplement_submit(actor=applicant, dossier=dossier, note="Đã bổ sung.")
    # The clock stood still from 06/01 to 11/01 (6 days): days 1-2 were 04-05/01, days 3-25 run from
    # 12/01 to 03/02/2027.
    assert dossier.due_date == dt.date(2027, 2, 3)

    with at(2027, 1, 14, 9):
        dossiers.dossier_propose(actor=handler, dossier=dossier, recommendation=Recommendation.APPROVE)
        dossiers.dossier_approve(actor=leader, dossier=dossier)
        dossiers.dossier_issue_result(actor=handler, dossier=dossier)
        dossiers.dossier_return_result(actor=desk, dossier=dossier)

    licence.refresh_from_db()
    renewed = Licence.objects.get(predecessor=licence)
    assert licence.status == LicenceStatus.SUPERSEDED
    assert (renewed.kind, renewed.status) == (LicenceKind.RENEWAL, LicenceStatus.VALID)
    assert (renewed.valid_from, renewed.valid_until) == (dt.date(2027, 6, 1), dt.date(2030, 5, 31))
    assert renewed.document == dossier.result_document
    assert renewed.number == dossier.result_document.number_symbol == "01/GP-SKHCN"
    assert list(renewed.devices.all()) == list(licence.devices.all())

    with dossier.result_document.docx.open("rb") as handle:
        content = handle.read()
    text = docx_text(content)
    assert "GIẤY PHÉP TIẾN HÀNH CÔNG VIỆC BỨC XẠ" in text and "31/05/2030" in text and "15/GP-SKHCN" in text
    if shutil.which("soffice") and shutil.which("pdftotext"):
        source = tmp_path / "licence.docx"
        source.write_bytes(content)
        profile = (tmp_path / "profile").as_uri()
        subprocess.run(  # noqa: S603 - our own arguments
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",  # noqa: S607
             "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        pdf_text = subprocess.run(  # noqa: S603
            ["pdftotext", str(tmp_path / "licence.pdf"), "-"],  # noqa: S607
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        assert "GIẤY PHÉP TIẾN HÀNH CÔNG VIỆC BỨC XẠ" in re.sub(r"\s+", " ", pdf_text)

    public = dossier_selectors.public_lookup(dossier.code)
    assert public.status == DossierStatus.RESULT_RETURNED
    assert [e.label for e in public.timeline] == [
        "Submit",
        "Receive",
        "Assign",
        "Request supplements",
        "Supplement",
        "Submit to the leader",
        "Approve",
        "Issue the result",
        "Return the result",
    ]


def test_a_renewal_filed_later_than_45_days_before_expiry_is_refused(licence, applicant):
    # The licence expires on 31/05/2027: the last filing day was 16/04/2027.
    with at(2027, 4, 17), pytest.raises(ValidationError) as exc:
        dossiers.dossier_create(
            actor=applicant,
            procedure=procedure("radiation.licence_renewal"),
            organization=applicant.organization,
            payload={"licence": str(licence.public_id)},
        )
    assert "16/04/2027" in str(exc.value)


def test_an_applicant_cannot_name_another_organisations_licence(licence, department):
    from opendost.accounts.roles import Role

    stranger = UserFactory(
        role=Role.APPLICANT, department=None, organization=OrganizationFactory(department=department)
    )
    with at(2026, 12, 1), pytest.raises(ValidationError):
        dossiers.dossier_create(
            actor=stranger,
            procedure=procedure("radiation.licence_renewal"),
            organization=stranger.organization,
            payload={"licence": str(licence.public_id)},
        )


def _through(dossier, *, desk, handler, leader, applicant):
    attach_required(dossier, applicant)
    dossiers.dossier_submit(actor=applicant, dossier=dossier)
    if dossier.procedure_version.clock_after_fee:
        fee = dossier.procedure_version.fee_amount
        dossiers.fee_record(
            actor=desk, dossier=dossier, amount=fee, receipt_number="BL-1", paid_on=dt.date(2026, 12, 7)
        )
    dossiers.dossier_receive(actor=desk, dossier=dossier)
    dossiers.dossier_assign(actor=desk, dossier=dossier, unit=None, officer=handler)
    dossiers.dossier_propose(actor=handler, dossier=dossier, recommendation=Recommendation.APPROVE)
    dossiers.dossier_approve(actor=leader, dossier=dossier)
    return dossiers.dossier_issue_result(actor=handler, dossier=dossier)


def test_a_new_licence_covers_the_chosen_devices(officer, facility, applicant, desk, handler, leader):
    first = make_device(officer, facility, serial="SN-A")
    make_device(officer, facility, serial="SN-B")
    with at(2026, 12, 7):
        dossier = dossiers.dossier_create(
            actor=applicant,
            procedure=procedure("radiation.licence_new"),
            organization=applicant.organization,
            payload={"facility": str(facility.public_id), "devices": [str(first.public_id)]},
        )
        _through(dossier, desk=desk, handler=handler, leader=leader, applicant=applicant)

    licence = Licence.objects.get(document=dossier.result_document)
    assert [d.serial_number for d in licence.devices.all()] == ["SN-A"]
    assert (licence.issued_on, licence.valid_until) == (dt.date(2026, 12, 7), dt.date(2029, 12, 6))
    first.refresh_from_db()
    assert first.status == "in_use"


def test_amendment_and_reissue_keep_the_expiry(licence, officer, facility, applicant, desk, handler, leader):
    extra = make_device(officer, facility, serial="SN-NEW")
    devices = [str(d.public_id) for d in licence.devices.all()] + [str(extra.public_id)]
    with at(2026, 12, 7):
        amendment = dossiers.dossier_create(
            actor=applicant,
            procedure=procedure("radiation.licence_amendment"),
            organization=applicant.organization,
            payload={"licence": str(licence.public_id), "devices": devices},
        )
        _through(amendment, desk=desk, handler=handler, leader=leader, applicant=applicant)
    amended = Licence.objects.get(document=amendment.result_document)
    assert (amended.kind, amended.valid_until, amended.devices.count()) == (
        LicenceKind.AMENDMENT,
        licence.valid_until,
        2,
    )

    with at(2026, 12, 14):
        with pytest.raises(ValidationError):  # a reason is required
            dossiers.dossier_create(
                actor=applicant,
                procedure=procedure("radiation.licence_reissue"),
                organization=applicant.organization,
                payload={"licence": str(amended.public_id)},
            )
        reissue = dossiers.dossier_create(
            actor=applicant,
            procedure=procedure("radiation.licence_reissue"),
            organization=applicant.organization,
            payload={"licence": str(amended.public_id), "reason": "Bản chính bị hư hỏng do ngập nước."},
        )
        _through(reissue, desk=desk, handler=handler, leader=leader, applicant=applicant)
    reissued = Licence.objects.get(document=reissue.result_document)
    assert (reissued.kind, reissued.valid_until, reissued.predecessor) == (
        LicenceKind.REISSUE,
        licence.valid_until,
        amended,
    )


def test_a_response_plan_is_approved_through_its_dossier(officer, facility, applicant, desk, handler, leader):
    with at(2026, 12, 7):
        dossier = dossiers.dossier_create(
            actor=applicant,
            procedure=procedure("radiation.response_plan"),
            organization=applicant.organization,
            payload={"facility": str(facility.public_id), "code": "KHUP-01", "plan_version": "2.0"},
        )
        _through(dossier, desk=desk, handler=handler, leader=leader, applicant=applicant)
    plan = facility.response_plans.get(code="KHUP-01")
    assert (plan.status, plan.approved_on, plan.approval_document) == (
        PlanStatus.APPROVED,
        dt.date(2026, 12, 7),
        dossier.result_document,
    )


def test_fee_payments_are_checked_and_recorded_once(licence, applicant, desk, handler):
    with at(2026, 12, 1):
        dossier = dossiers.dossier_create(
            actor=applicant,
            procedure=procedure("radiation.licence_renewal"),
            organization=applicant.organization,
            payload={"licence": str(licence.public_id)},
        )
        with pytest.raises(ValidationError):  # still a draft
            dossiers.fee_record(
                actor=desk, dossier=dossier, amount=1, receipt_number="A", paid_on=dt.date(2026, 12, 1)
            )
        attach_required(dossier, applicant)
        dossiers.dossier_submit(actor=applicant, dossier=dossier)
        with pytest.raises(PermissionDenied):
            dossiers.fee_record(
                actor=handler, dossier=dossier, amount=1, receipt_number="A", paid_on=dt.date(2026, 12, 1)
            )
        with pytest.raises(ValidationError) as bad:
            dossiers.fee_record(
                actor=desk, dossier=dossier, amount=0, receipt_number=" ", paid_on=dt.date(2026, 12, 2)
            )
        assert set(bad.value.message_dict) == {"amount", "receipt_number", "paid_on"}
        dossiers.fee_record(
            actor=desk, dossier=dossier, amount=1_600_000, receipt_number="A1", paid_on=dt.date(2026, 12, 1)
        )
        with pytest.raises(ValidationError):
            dossiers.fee_record(
                actor=desk, dossier=dossier, amount=5, receipt_number="A2", paid_on=dt.date(2026, 12, 1)
            )
