"""Demo dossiers of the radiation procedures, one or more in every state of the one-stop engine.

A hospital of the demo register gets an applicant account ("benhvien") that files online; other
facilities' dossiers are recorded by the desk as counter receipts. Everything goes through the dossier
services (the transition engine), so the demo shows real receipts, clocks, slips and results. Dates are
relative to today; one dossier is overdue and carries an apology slip.
"""

import datetime as dt

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opendost.accounts.models import User
from opendost.accounts.roles import Role
from opendost.calendars import workdays
from opendost.dossiers import services as dossiers
from opendost.dossiers.enums import Channel, Recommendation, Satisfaction
from opendost.dossiers.models import Procedure
from opendost.radiation.enums import LicenceStatus
from opendost.radiation.models import Licence
from opendost.radiation.procedures import AMENDMENT, REISSUE, RENEWAL, RESPONSE_PLAN

APPLICANT_USERNAME = "benhvien"
# A minimal, valid one-page PDF: the demo's attachments must open.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _attach_all(dossier, actor) -> None:
    for document in dossier.procedure_version.required_documents:
        dossiers.attachment_add(
            actor=actor,
            dossier=dossier,
            upload=_upload(f"{document['code'].lower()}.pdf"),
            requirement=document["code"],
        )


def load(*, users, today: dt.date) -> str:
    desk, officer, leader = users["motcua"], users["canbo"], users["lanhdao"]
    renewable = list(
        Licence.objects.filter(status=LicenceStatus.VALID, valid_until__gt=today + dt.timedelta(days=120))
        .select_related("facility__organization")
        .order_by("valid_until", "pk")
    )
    if len(renewable) < 12:
        return "dossiers: not enough licences in force for the demo dossiers"
    procedures = {p.handler_key: p for p in Procedure.objects.all()}
    renewal = procedures[RENEWAL]
    online_licence = renewable[-1]  # the hospital that files online: its licence stays in force
    applicant = _applicant(online_licence.facility.organization, users["doanhnghiep"])
    now = timezone.now()

    def online(licence, procedure=renewal, payload=None):
        dossier = dossiers.dossier_create(
            actor=applicant,
            procedure=procedure,
            organization=applicant.organization,
            payload=payload or {"licence": str(licence.public_id)},
        )
        _attach_all(dossier, applicant)
        return dossier

    def paid(procedure, on: dt.date) -> dict | None:
        amount = procedure.versions.order_by("-number").first().fee_amount
        return (
            {"amount": amount, "receipt_number": f"BL{on:%y%m%d}-{amount % 997:03d}", "paid_on": on}
            if amount
            else None
        )

    def counter(licence, days_ago: int, procedure=renewal, payload=None):
        received = now - dt.timedelta(days=days_ago)
        return dossiers.dossier_receive_at_counter(
            actor=desk,
            procedure=procedure,
            organization=licence.facility.organization,
            payload=payload or {"licence": str(licence.public_id)},
            channel=Channel.COUNTER if days_ago % 2 else Channel.POST,
            received_at=received,
            fee=paid(procedure, timezone.localdate(received)),
        )

    def assigned(dossier):
        return dossiers.dossier_assign(actor=desk, dossier=dossier, unit=officer.unit, officer=officer)

    def pending(dossier, recommendation=Recommendation.APPROVE, note=""):
        return dossiers.dossier_propose(actor=officer, dossier=dossier, recommendation=recommendation, note=note)

    # Draft and submitted online (the desk's intake list).
    online(online_licence)
    submitted = online(
        online_licence, procedures[REISSUE], {"licence": str(online_licence.public_id), "reason": "Bản chính bị rách."}
    )
    dossiers.dossier_submit(actor=applicant, dossier=submitted)
    # Returned for completion, refused at intake.
    returned = online(
        online_licence,
        procedures[RESPONSE_PLAN],
        {"facility": str(online_licence.facility.public_id), "code": "KHUP-BV", "plan_version": "2.0"},
    )
    dossiers.dossier_submit(actor=applicant, dossier=returned)
    dossiers.dossier_return_for_completion(
        actor=desk, dossier=returned, reason="Kế hoạch chưa có chữ ký của người đứng đầu cơ sở."
    )
    not_ours = online(online_licence)
    dossiers.dossier_submit(actor=applicant, dossier=not_ours)
    dossiers.dossier_refuse_intake(
        actor=desk,
        dossier=not_ours,
        reason="Giấy phép đã có hồ sơ gia hạn đang giải quyết; không tiếp nhận hồ sơ trùng.",
    )
    # Refused after review, with written reasons.
    refused = counter(renewable[0], 2)
    dossiers.dossier_assign(actor=desk, dossier=refused, unit=officer.unit, officer=officer)
    dossiers.dossier_propose(
        actor=officer, dossier=refused, recommendation=Recommendation.REFUSE, note="Kết quả kiểm xạ không đạt."
    )
    dossiers.dossier_reject(
        actor=leader,
        dossier=refused,
        reason="Kết quả kiểm xạ phòng chụp không đạt yêu cầu; đề nghị khắc phục và nộp hồ sơ cấp mới.",
    )
    # Received, waiting for assignment.
    counter(renewable[1], 1)
    # In review, and waiting for supplements (the clock stopped).
    assigned(counter(renewable[2], 3))
    waiting = assigned(counter(renewable[3], 6))
    dossiers.supplement_request(
        actor=officer, dossier=waiting, items="Bổ sung kết quả đo liều kế cá nhân 4 quý gần nhất."
    )
    # Awaiting the leader; approved, not yet issued.
    pending(assigned(counter(renewable[4], 8)))
    approved = pending(assigned(counter(renewable[5], 9)))
    dossiers.dossier_approve(actor=leader, dossier=approved)
    # Issued, and returned with a rating: the register's licences change.
    issued = pending(assigned(counter(renewable[6], 12)))
    dossiers.dossier_approve(actor=leader, dossier=issued)
    dossiers.dossier_issue_result(actor=officer, dossier=issued)
    done = online(
        online_licence,
        procedures[AMENDMENT],
        {
            "licence": str(online_licence.public_id),
            "devices": [str(d.public_id) for d in online_licence.devices.all()],
            "work_scope": "",
        },
    )
    dossiers.dossier_submit(actor=applicant, dossier=done)
    fee = paid(procedures[AMENDMENT], today - dt.timedelta(days=10))
    dossiers.fee_record(actor=desk, dossier=done, **fee)
    dossiers.dossier_receive(actor=desk, dossier=done, received_at=now - dt.timedelta(days=10))
    pending(assigned(done))
    dossiers.dossier_approve(actor=leader, dossier=done)
    dossiers.dossier_issue_result(actor=officer, dossier=done)
    dossiers.dossier_return_result(actor=desk, dossier=done)
    dossiers.rating_submit(
        actor=applicant, dossier=done, score=Satisfaction.VERY_SATISFIED, comment="Cán bộ hướng dẫn tận tình."
    )
    # Withdrawn by the desk for the applicant.
    withdrawn = counter(renewable[7], 4)
    dossiers.dossier_withdraw(actor=desk, dossier=withdrawn, reason="Cơ sở đề nghị rút hồ sơ để bổ sung thiết bị.")
    # Overdue: received 40 days ago (25-day deadline), still in review, with an apology slip.
    late = assigned(counter(renewable[8], 40))
    dossiers.delay_record(
        actor=officer,
        dossier=late,
        new_due_date=workdays.add_working_days(today, 5),
        reason="Chờ kết quả kiểm tra thực tế phòng đặt thiết bị.",
    )
    from opendost.dossiers.models import Dossier

    total = Dossier.objects.filter(procedure_version__procedure__handler_key__startswith="radiation.").count()
    return f"dossiers: {total} radiation dossiers in every state (1 overdue with an apology slip)"


def _applicant(organization, template: User) -> User:
    """The hospital's online account, with the demo password (its hash copied from another demo user)."""
    user = User.objects.create(
        username=APPLICANT_USERNAME,
        full_name="Đỗ Thị Hạnh",
        email=f"{APPLICANT_USERNAME}@demo.opendost.example",
        password=template.password,
        organization=organization,
        is_demo=True,
    )
    user.groups.add(Group.objects.get(name=Role.APPLICANT.value))
    return user
