"""The dossier engine end to end: intake, the statutory clock across holidays and pauses, handling,
result, return, rating, the public lookup; the rules and errors of each service."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from opendost.accounts.roles import Role
from opendost.dossiers import selectors, services, slips
from opendost.dossiers.enums import Channel, DossierStatus, Recommendation, Timeliness
from opendost.notifications.models import Message
from opendost.workflow.exceptions import TransitionNotAllowed
from tests.dossiers.factories import Office, attach_required, published_procedure, upload
from tests.factories import UserFactory
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def office():
    return Office()


@pytest.fixture
def applicant(office):
    org = OrganizationFactory(department=office.department, name="Bệnh viện Đa khoa Hà Bắc")
    return UserFactory(role=Role.APPLICANT, department=None, organization=org)


def submitted(procedure, applicant):
    dossier = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    attach_required(dossier, applicant)
    return services.dossier_submit(actor=applicant, dossier=dossier)


def test_the_whole_journey_of_an_online_dossier(office, applicant):
    procedure = published_procedure(deadline_count=3)
    with time_machine.travel(at(2026, 12, 29, 15), tick=False):
        dossier = submitted(procedure, applicant)
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.code.endswith("-00001")

    # Received on Wednesday 30/12/2026: 3 working days skip New Year's Day (Friday 01/01/2027).
    with time_machine.travel(at(2026, 12, 30, 10), tick=False):
        services.dossier_receive(actor=office.desk, dossier=dossier)
    assert dossier.due_date == dt.date(2027, 1, 5)
    assert dossier.clock_start_date == dt.date(2026, 12, 30)

    with time_machine.travel(at(2026, 12, 30, 14), tick=False):
        services.dossier_assign(actor=office.desk, dossier=dossier, unit=None, officer=office.officer)
    assert (dossier.status, dossier.assigned_unit) == (DossierStatus.IN_REVIEW, office.unit)

    # The clock stops from the day after the request to the day the supplements arrive.
    with time_machine.travel(at(2026, 12, 31, 9), tick=False):
        request = services.supplement_request(actor=office.officer, dossier=dossier, items="Bổ sung kết quả kiểm xạ.")
    assert selectors.public_lookup(dossier.code).missing == "Bổ sung kết quả kiểm xạ."
    with time_machine.travel(at(2027, 1, 6, 9), tick=False):
        services.attachment_add(actor=applicant, dossier=dossier, upload=upload("kiem-xa.pdf"), supplement=request)
        services.supplement_submit(actor=applicant, dossier=dossier)
    assert dossier.status == DossierStatus.IN_REVIEW
    assert dossier.due_date == dt.date(2027, 1, 8)  # day 1 = 31/12, paused 01/01-06/01, days 2-3 = 07-08/01

    with time_machine.travel(at(2027, 1, 7, 9), tick=False):
        services.dossier_propose(actor=office.officer, dossier=dossier, recommendation=Recommendation.APPROVE)
        services.dossier_approve(actor=office.leader, dossier=dossier)
        services.dossier_issue_result(actor=office.officer, dossier=dossier)
        services.dossier_return_result(actor=office.desk, dossier=dossier)
        services.rating_submit(actor=applicant, dossier=dossier, score=3)

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_RETURNED
    assert dossier.timeliness() == Timeliness.EARLY
    document = dossier.result_document
    assert document.subject == dossier and document.number_symbol == "01/GP-SKHCN"
    with document.docx.open("rb") as handle:
        text = docx_text(handle.read())
    assert "GIẤY PHÉP THỬ NGHIỆM" in text and dossier.code in text and "Lê Minh Cường" in text

    public = selectors.public_lookup(dossier.code.lower())
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
    assert all(e.note == "" for e in public.timeline)  # no names on the public page
    assert Message.objects.filter(event_key=f"dossier.{dossier.pk}.received").exists()


def test_submitting_without_the_required_documents_is_refused_and_keeps_the_draft(applicant):
    procedure = published_procedure()
    dossier = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    services.attachment_add(actor=applicant, dossier=dossier, upload=upload(), requirement="DON")

    with pytest.raises(ValidationError) as exc:
        services.dossier_submit(actor=applicant, dossier=dossier)

    assert "Bản sao giấy chứng nhận" in str(exc.value)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.code) == (DossierStatus.DRAFT, "")


@pytest.mark.parametrize(
    ("received", "deemed", "due"),
    [
        (at(2026, 11, 27, 16, 59), dt.date(2026, 11, 27), dt.date(2026, 12, 2)),  # Friday in office hours
        (at(2026, 11, 27, 17, 0), dt.date(2026, 11, 30), dt.date(2026, 12, 3)),  # Friday after closing
        (at(2026, 11, 28, 9, 0), dt.date(2026, 11, 30), dt.date(2026, 12, 3)),  # Saturday
    ],
)
def test_an_online_dossier_received_outside_working_hours_counts_from_the_next_working_day(
    office, applicant, received, deemed, due
):
    procedure = published_procedure(deadline_count=3)
    dossier = submitted(procedure, applicant)

    services.dossier_receive(actor=office.desk, dossier=dossier, received_at=received)

    assert (dossier.clock_start_date, dossier.due_date) == (deemed, due)


def test_a_counter_dossier_received_late_in_the_day_counts_from_that_day(office):
    procedure = published_procedure(deadline_count=3, required_documents=[])
    dossier = services.dossier_receive_at_counter(
        actor=office.desk,
        procedure=procedure,
        applicant_name="Phòng khám Nha khoa Việt Đức",
        received_at=at(2026, 11, 27, 17, 30),
    )
    assert dossier.channel == Channel.COUNTER
    assert (dossier.status, dossier.clock_start_date) == (DossierStatus.RECEIVED, dt.date(2026, 11, 27))
    assert dossier.recorded_by == office.desk and dossier.applicant_user is None


def test_a_deadline_in_calendar_days_ending_on_a_day_off_rolls_to_the_next_working_day(office, applicant):
    procedure = published_procedure(deadline_unit="calendar", deadline_count=25)
    dossier = submitted(procedure, applicant)

    services.dossier_receive(actor=office.desk, dossier=dossier, received_at=at(2026, 11, 2))

    # Day 1 is 03/11; the 25th day is Friday 27/11.
    assert dossier.due_date == dt.date(2026, 11, 27)


def test_steps_get_their_own_sub_deadlines(office, applicant):
    steps = [
        {"code": "tham-dinh", "name": "Thẩm định", "days": 2},
        {"code": "trinh-ky", "name": "Trình ký", "days": 1},
    ]
    procedure = published_procedure(deadline_count=3, steps=steps)
    dossier = submitted(procedure, applicant)
    services.dossier_receive(actor=office.desk, dossier=dossier, received_at=at(2026, 12, 7))

    assert [(s.code, s.due_date) for s in dossier.steps.all()] == [
        ("tham-dinh", dt.date(2026, 12, 9)),
        ("trinh-ky", dt.date(2026, 12, 10)),
    ]


def test_a_late_dossier_gets_an_apology_slip_and_stays_late_in_the_statistics(office, applicant):
    procedure = published_procedure(deadline_count=3)
    dossier = submitted(procedure, applicant)
    services.dossier_receive(actor=office.desk, dossier=dossier, received_at=at(2026, 12, 7))
    services.dossier_assign(actor=office.desk, dossier=dossier, unit=office.unit, officer=office.officer)

    with time_machine.travel(at(2026, 12, 10, 16), tick=False):
        with pytest.raises(ValidationError):
            services.delay_record(
                actor=office.officer, dossier=dossier, new_due_date=dt.date(2026, 12, 10), reason="x"
            )
        with pytest.raises(ValidationError):
            services.delay_record(
                actor=office.officer, dossier=dossier, new_due_date=dt.date(2026, 12, 12), reason="x"
            )
        delay = services.delay_record(
            actor=office.officer, dossier=dossier, new_due_date=dt.date(2026, 12, 15), reason="Chờ ý kiến liên ngành."
        )
    assert (delay.previous_due_date, dossier.effective_due_date) == (dt.date(2026, 12, 10), dt.date(2026, 12, 15))
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(slips.render(dossier, slips.APOLOGY, "docx"))).paragraphs
    )
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text and "15/12/2026" in text and "10/12/2026" in text

    with time_machine.travel(at(2026, 12, 14, 9), tick=False):
        services.dossier_propose(actor=office.officer, dossier=dossier, recommendation=Recommendation.APPROVE)
        services.dossier_approve(actor=office.leader, dossier=dossier)
        services.dossier_issue_result(actor=office.officer, dossier=dossier)
    rows = selectors.statistics(
        user=office.leader,
        date_from=dt.date(2026, 12, 1),
        date_to=dt.date(2026, 12, 31),
        group_by="unit",
        today=dt.date(2026, 12, 14),
    )
    assert [(r.label, r.received, r.late, r.on_time) for r in rows] == [(office.unit.name, 1, 1, 0)]


def test_a_refusal_needs_written_reasons_and_ends_the_handling(office, applicant):
    procedure = published_procedure()
    dossier = submitted(procedure, applicant)
    services.dossier_receive(actor=office.desk, dossier=dossier, received_at=at(2026, 12, 7))
    services.dossier_assign(actor=office.leader, dossier=dossier, unit=office.unit, officer=None)
    with pytest.raises(ValidationError):
        services.dossier_propose(actor=office.officer, dossier=dossier, recommendation=Recommendation.REFUSE)
    services.dossier_propose(
        actor=office.officer, dossier=dossier, recommendation=Recommendation.REFUSE, note="Phòng chụp chưa đạt."
    )
    with pytest.raises(ValidationError):
        services.dossier_reject(actor=office.leader, dossier=dossier, reason="  ")

    services.dossier_reject(actor=office.leader, dossier=dossier, reason="Phòng chụp X-quang chưa bảo đảm che chắn.")

    assert dossier.status == DossierStatus.REJECTED and dossier.finished_at is not None
    assert slips.REFUSAL in slips.available(dossier)


def test_intake_can_return_or_refuse_and_a_returned_dossier_can_be_resubmitted(office, applicant):
    procedure = published_procedure()
    dossier = submitted(procedure, applicant)
    code = dossier.code
    services.dossier_return_for_completion(actor=office.desk, dossier=dossier, reason="Đơn chưa ký.")
    assert dossier.status == DossierStatus.RETURNED
    services.dossier_submit(actor=applicant, dossier=dossier)
    assert (dossier.status, dossier.code) == (DossierStatus.SUBMITTED, code)  # the code stays
    services.dossier_refuse_intake(actor=office.desk, dossier=dossier, reason="Không thuộc thẩm quyền.")
    assert dossier.status == DossierStatus.REFUSED_AT_INTAKE


def test_the_applicant_can_withdraw_until_the_decision(office, applicant):
    dossier = submitted(published_procedure(), applicant)
    services.dossier_receive(actor=office.desk, dossier=dossier)
    services.dossier_withdraw(actor=applicant, dossier=dossier, reason="Nộp nhầm thủ tục.")
    assert dossier.status == DossierStatus.WITHDRAWN
    with pytest.raises(TransitionNotAllowed):
        services.dossier_withdraw(actor=applicant, dossier=dossier)


def test_each_role_is_held_to_its_actions(office, applicant):
    dossier = submitted(published_procedure(), applicant)
    with pytest.raises(PermissionDenied):
        services.dossier_receive(actor=applicant, dossier=dossier)
    with pytest.raises(PermissionDenied):
        services.dossier_receive(actor=office.officer, dossier=dossier)
    services.dossier_receive(actor=office.desk, dossier=dossier)
    services.dossier_assign(actor=office.desk, dossier=dossier, unit=office.unit, officer=office.officer)
    other_officer = UserFactory(role=Role.OFFICER, department=office.department)
    with pytest.raises(PermissionDenied):  # not the assigned officer
        services.supplement_request(actor=other_officer, dossier=dossier, items="x")
    services.dossier_propose(actor=office.officer, dossier=dossier, recommendation=Recommendation.APPROVE)
    with pytest.raises(PermissionDenied):
        services.dossier_approve(actor=office.officer, dossier=dossier)
    with pytest.raises(PermissionDenied):
        services.dossier_approve(actor=UserFactory(role=Role.LEADER), dossier=dossier)  # another department
    services.dossier_approve(actor=office.leader, dossier=dossier)
    with pytest.raises(PermissionDenied):  # the handling officer issues the result and keeps the register
        services.dossier_issue_result(actor=office.leader, dossier=dossier)


def test_outsiders_get_404(office, applicant):
    dossier = submitted(published_procedure(), applicant)
    stranger = UserFactory(role=Role.APPLICANT, department=None, organization=OrganizationFactory())
    other_officer = UserFactory(role=Role.OFFICER)

    assert selectors.dossier_for(user=office.officer, public_id=dossier.public_id) == dossier
    assert selectors.dossier_for(user=applicant, public_id=dossier.public_id) == dossier
    for user in (stranger, other_officer):
        with pytest.raises(Http404):
            selectors.dossier_for(user=user, public_id=dossier.public_id)
    assert list(selectors.dossier_list(user=other_officer)) == []
    assert list(selectors.applicant_dossiers(user=stranger)) == []


def test_a_draft_is_invisible_to_the_office(office, applicant):
    dossier = services.dossier_create(
        actor=applicant, procedure=published_procedure(), organization=applicant.organization
    )
    with pytest.raises(Http404):
        selectors.dossier_for(user=office.officer, public_id=dossier.public_id)
    assert selectors.public_lookup("") is None


def test_an_applicant_cannot_file_for_another_organisation(applicant):
    with pytest.raises(PermissionDenied):
        services.dossier_create(actor=applicant, procedure=published_procedure(), organization=OrganizationFactory())


def test_attachments_are_checked(applicant):
    dossier = services.dossier_create(
        actor=applicant, procedure=published_procedure(), organization=applicant.organization
    )
    with pytest.raises(ValidationError):
        services.attachment_add(actor=applicant, dossier=dossier, upload=upload("virus.exe"), requirement="DON")
    with pytest.raises(ValidationError):
        services.attachment_add(actor=applicant, dossier=dossier, upload=upload("x.pdf", b""), requirement="DON")
    with pytest.raises(ValidationError):
        services.attachment_add(actor=applicant, dossier=dossier, upload=upload(), requirement="KHAC")
    attachment = services.attachment_add(actor=applicant, dossier=dossier, upload=upload(), requirement="DON")
    assert attachment.name == "Đơn đề nghị" and len(attachment.sha256) == 64


def test_a_new_version_applies_to_new_dossiers_only(office, applicant):
    procedure = published_procedure(deadline_count=3, effective_from=dt.date(2020, 1, 1))
    old = submitted(procedure, applicant)
    admin = UserFactory(role=Role.ADMINISTRATOR, department=None)
    with time_machine.travel(at(2026, 11, 2), tick=False):
        draft = services.procedure_version_draft(
            actor=admin, procedure=procedure, effective_from=dt.date(2026, 11, 10), deadline_count=10
        )
        services.procedure_version_publish(actor=admin, version=draft)
    first = procedure.versions.get(number=1)
    assert first.effective_to == dt.date(2026, 11, 9)

    with time_machine.travel(at(2026, 11, 12), tick=False):
        new = submitted(procedure, applicant)
        services.dossier_receive(actor=office.desk, dossier=old)
    assert (old.procedure_version, new.procedure_version) == (first, draft)
    assert old.due_date == dt.date(2026, 11, 17)  # still 3 working days
    with pytest.raises(ValidationError):
        services.procedure_version_publish(actor=admin, version=draft)
    with pytest.raises(PermissionDenied):
        services.procedure_version_draft(actor=office.officer, procedure=procedure)


def test_reminders_are_sent_once_per_threshold(office, applicant):
    dossier = submitted(published_procedure(deadline_count=3), applicant)
    services.dossier_receive(actor=office.desk, dossier=dossier, received_at=at(2026, 12, 7))
    services.dossier_assign(actor=office.desk, dossier=dossier, unit=office.unit, officer=office.officer)

    assert services.dossier_reminders_send(today=dt.date(2026, 12, 4)) == 0  # not due soon yet
    assert services.dossier_reminders_send(today=dt.date(2026, 12, 8)) == 1
    assert services.dossier_reminders_send(today=dt.date(2026, 12, 8)) == 1  # same rows, nothing new
    reminders = Message.objects.filter(event_key__contains="reminder", channel="in_app")
    keys = set(reminders.values_list("event_key", "recipient_user"))
    assert keys == {
        (f"dossier.{dossier.pk}.reminder.due_soon.20261210", office.officer.pk),
        (f"dossier.{dossier.pk}.reminder.due_soon.20261210", office.leader.pk),
    }
    services.dossier_reminders_send(today=dt.date(2026, 12, 11))
    assert reminders.filter(event_key=f"dossier.{dossier.pk}.reminder.overdue.20261210").count() == 2


@pytest.mark.parametrize("kind", [slips.RECEIPT, slips.SUPPLEMENT, slips.CONTROL])
def test_slips_render_in_both_formats(office, applicant, kind):
    dossier = submitted(published_procedure(), applicant)
    services.dossier_receive(actor=office.desk, dossier=dossier, received_at=at(2026, 12, 7))
    services.dossier_assign(actor=office.desk, dossier=dossier, unit=office.unit, officer=office.officer)
    services.supplement_request(actor=office.officer, dossier=dossier, items="Bổ sung bản vẽ phòng chụp.")

    body = slips.render(dossier, kind, "docx")
    pdf = slips.render(dossier, kind, "pdf")

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
    assert dossier.code in text and pdf.startswith(b"%PDF")
    if kind == slips.RECEIPT:
        assert "10/12/2026" in text and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    with pytest.raises(LookupError):
        slips.build(dossier, slips.APOLOGY)
