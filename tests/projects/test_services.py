"""Every service rule and error of the task procedure."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from opendost.documents.models import IssuedDocument
from opendost.projects import services
from opendost.projects.enums import (
    AcceptanceLevel,
    AmendmentKind,
    AmendmentStatus,
    ApplicationStatus,
    AssignmentMode,
    CallStatus,
    Classification,
    FundingSource,
    ProposalStatus,
    Regime,
    RegistrationStatus,
    ReportStatus,
    RoundStatus,
    TaskLevel,
    TaskStatus,
)
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


# PROPOSALS, ROUNDS, THE ORDERED LIST -----------------------------------------------------------
def _proposal(actor, **kwargs):
    values = {
        "title": "Nghiên cứu chế phẩm vi sinh xử lý phụ phẩm vải thiều",
        "problem": "Phụ phẩm gây ô nhiễm.",
        "objectives": "Xử lý phụ phẩm.",
        "expected_results": "Quy trình.",
        "estimated_budget": 1_000_000_000,
        "submit": True,
    }
    values.update(kwargs)
    return services.proposal_create(actor=actor, **values)


def test_an_applicant_proposes_for_its_own_organisation_to_the_department_holding_it(applicant, host, department):
    proposal = _proposal(applicant, proposer_name="ignored", department=None)

    assert (proposal.proposer_organization, proposal.department, proposal.status) == (
        host,
        department,
        ProposalStatus.SUBMITTED,
    )
    assert proposal.submitted_at is not None and proposal.regime == Regime.LAW_2025


def test_an_officer_records_a_communes_proposal_but_must_name_the_proposer(officer, department):
    with pytest.raises(ValidationError) as exc:
        _proposal(officer, department=department)
    assert "proposer_name" in exc.value.message_dict

    proposal = _proposal(officer, department=department, proposer_name="UBND xã Tân Yên")
    assert proposal.proposer == "UBND xã Tân Yên"


def test_an_outsider_cannot_record_a_proposal(outsider, department):
    with pytest.raises(PermissionDenied):
        _proposal(outsider, department=department, proposer_name="UBND xã")


def test_the_leader_approves_the_ordered_list_and_the_decision_is_issued(officer, leader, department):
    proposal_round = services.round_create(actor=officer, department=department, year=2026, title="Đợt 2026")
    kept, direct, dropped = (
        _proposal(officer, department=department, proposer_name=f"UBND xã {n}", title=f"Nhiệm vụ {n}") for n in "ABC"
    )
    services.proposal_group(actor=officer, proposal_round=proposal_round, proposals=[kept, direct, dropped])
    services.proposal_shortlist(actor=officer, proposal=kept)
    services.proposal_shortlist(actor=officer, proposal=direct)
    with pytest.raises(ValidationError):  # still open
        services.round_approve(actor=leader, proposal_round=proposal_round)
    services.round_close(actor=officer, proposal_round=proposal_round)
    with pytest.raises(PermissionDenied):  # the officer prepares, the leader approves
        services.round_approve(actor=officer, proposal_round=proposal_round)

    services.round_approve(actor=leader, proposal_round=proposal_round, modes={direct.pk: AssignmentMode.DIRECT})

    proposal_round.refresh_from_db()
    assert proposal_round.status == RoundStatus.APPROVED
    decision = proposal_round.decision
    assert decision.doc_kind == "QUYẾT ĐỊNH" and decision.number_symbol == "01/QĐ-SKHCN"
    assert decision.subject == proposal_round
    tasks = {t.proposal_id: t for t in proposal_round.tasks.all()}
    assert tasks[kept.pk].assignment_mode == AssignmentMode.SELECTION
    assert tasks[direct.pk].assignment_mode == AssignmentMode.DIRECT
    assert {t.code for t in tasks.values()} == {"NV.2026.01", "NV.2026.02"}
    dropped.refresh_from_db()
    assert dropped.status == ProposalStatus.REJECTED


def test_a_round_without_a_shortlisted_proposal_cannot_be_approved(officer, leader, department):
    proposal_round = services.round_create(actor=officer, department=department, year=2026, title="Đợt 2026")
    services.round_close(actor=officer, proposal_round=proposal_round)
    with pytest.raises(ValidationError, match="shortlist"):
        services.round_approve(actor=leader, proposal_round=proposal_round)


def test_rejecting_a_proposal_needs_a_reason(officer, department):
    proposal = _proposal(officer, department=department, proposer_name="UBND xã A")
    with pytest.raises(ValidationError):
        services.proposal_reject(actor=officer, proposal=proposal, reason=" ")
    services.proposal_reject(actor=officer, proposal=proposal, reason="Trùng nội dung đã thực hiện.")
    assert proposal.status == ProposalStatus.REJECTED


# SELECTION --------------------------------------------------------------------------------------
@pytest.fixture
def selection(flow, officer):
    task = flow.ordered(assignment_mode=AssignmentMode.SELECTION)
    call = services.call_create(
        actor=officer,
        department=flow.department,
        title="Thông báo tuyển chọn 2026",
        deadline=dt.datetime(2026, 4, 10, 10, tzinfo=dt.UTC),
        tasks=[task],
    )
    services.call_publish(actor=officer, call=call)
    task.refresh_from_db()
    return task, call


def _apply(applicant, call, task, **kwargs):
    values = {
        "principal_investigator_name": "Trần Văn Đức",
        "proposal_text": "Thuyết minh",
        "budget_provincial": 900_000_000,
        "budget_counterpart": 100_000_000,
        "submit": True,
    }
    values.update(kwargs)
    return services.application_create(actor=applicant, call=call, task=task, **values)


def test_publishing_a_call_opens_the_selection_of_its_tasks(selection):
    task, call = selection
    assert (call.status, call.published_on, task.status) == (CallStatus.PUBLISHED, dt.date(2026, 3, 10), "selecting")


def test_a_call_lists_only_ordered_tasks_to_select(flow, officer):
    direct = flow.ordered()
    with pytest.raises(ValidationError) as exc:
        services.call_create(
            actor=officer,
            department=flow.department,
            title="X",
            deadline=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
            tasks=[direct],
        )
    assert "tasks" in exc.value.message_dict


def test_an_applicant_applies_once_and_not_after_the_deadline(selection, applicant):
    task, call = selection
    application = _apply(applicant, call, task)
    assert (application.status, application.budget_total) == (ApplicationStatus.SUBMITTED, 1_000_000_000)
    with pytest.raises(ValidationError, match="already applied"):
        _apply(applicant, call, task)
    with (
        time_machine.travel(dt.datetime(2026, 4, 10, 10, 1, tzinfo=dt.UTC), tick=False),
        pytest.raises(ValidationError),
    ):
        _apply(applicant, call, task)


def test_only_one_application_is_selected_per_task(selection, applicant, other_applicant, officer):
    task, call = selection
    first, second = _apply(applicant, call, task), _apply(other_applicant, call, task)
    services.selection_result_record(actor=officer, application=first, selected=True, score=82, council_ref="HĐ 05")
    with pytest.raises(ValidationError, match="already selected"):
        services.selection_result_record(actor=officer, application=second, selected=True, score=75)
    services.selection_result_record(actor=officer, application=second, selected=False, score=61)
    assert (first.status, second.status) == (ApplicationStatus.SELECTED, ApplicationStatus.NOT_SELECTED)


def test_a_selected_task_goes_to_the_selected_applicant_only(selection, applicant, flow, other_org, leader):
    task, call = selection
    services.selection_result_record(actor=flow.officer, application=_apply(applicant, call, task), selected=True)
    with pytest.raises(ValidationError) as exc:
        services.task_assign(
            actor=leader,
            task=task,
            host=other_org,
            principal_investigator=flow.pi,
            start_on=dt.date(2026, 4, 1),
            end_on=dt.date(2028, 3, 31),
            budget={"provincial": 1},
        )
    assert "host" in exc.value.message_dict
    flow.assigned(task)
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


# CONTRACT AND MONEY -----------------------------------------------------------------------------
def test_assigning_needs_the_leader_and_a_budget(flow, officer):
    task = flow.ordered()
    with pytest.raises(PermissionDenied):
        flow.assigned(task) if False else services.task_assign(
            actor=officer,
            task=task,
            host=flow.host,
            principal_investigator=flow.pi,
            start_on=dt.date(2026, 1, 1),
            end_on=dt.date(2027, 1, 1),
            budget={"provincial": 1},
        )
    with pytest.raises(ValidationError) as exc:
        services.task_assign(
            actor=flow.leader,
            task=task,
            host=flow.host,
            principal_investigator=flow.pi,
            start_on=dt.date(2026, 1, 1),
            end_on=dt.date(2025, 1, 1),
            budget={},
        )
    assert {"end_on", "budget_provincial"} <= set(exc.value.message_dict)


def test_the_contract_value_is_the_approved_state_budget(flow, officer):
    task = flow.assigned()
    with pytest.raises(ValidationError) as exc:
        services.contract_sign(
            actor=officer,
            task=task,
            number="01",
            signed_on=dt.date(2026, 1, 5),
            total=999,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2027, 1, 1),
            tranches=[{"planned_amount": 10_000_000_000}],
        )
    assert {"total", "tranches"} <= set(exc.value.message_dict)


def test_payments_never_exceed_their_tranche(flow, officer):
    task = flow.in_progress()
    first = task.contract.tranches.get(sequence=1)  # 400 000 000
    services.disbursement_record(actor=officer, tranche=first, amount=300_000_000, paid_on=dt.date(2026, 1, 10))
    with pytest.raises(ValidationError, match="over its planned amount") as exc:
        services.disbursement_record(actor=officer, tranche=first, amount=100_000_001, paid_on=dt.date(2026, 1, 11))
    assert "300,000,000 VND already paid of 400,000,000 VND" in exc.value.message_dict["amount"][0]
    services.disbursement_record(actor=officer, tranche=first, amount=100_000_000, paid_on=dt.date(2026, 1, 11))
    assert services.disbursed_total(task) == 400_000_000


@pytest.mark.parametrize(
    ("amount", "paid_on", "field"),
    [(0, dt.date(2026, 1, 10), "amount"), (1, dt.date(2026, 3, 11), "paid_on"), (1, dt.date(2025, 11, 4), "paid_on")],
)
def test_a_payment_needs_an_amount_and_a_date_between_the_contract_and_today(flow, officer, amount, paid_on, field):
    tranche = flow.in_progress().contract.tranches.first()
    with pytest.raises(ValidationError) as exc:
        services.disbursement_record(actor=officer, tranche=tranche, amount=amount, paid_on=paid_on)
    assert field in exc.value.message_dict


def test_payments_are_refused_before_the_contract_and_to_outsiders(flow, officer, outsider):
    task = flow.in_progress()
    tranche = task.contract.tranches.first()
    with pytest.raises(PermissionDenied):
        services.disbursement_record(actor=outsider, tranche=tranche, amount=1, paid_on=dt.date(2026, 1, 10))
    services.task_cancel(actor=flow.leader, task=task, reason="Dừng")
    tranche.contract.task.refresh_from_db()
    with pytest.raises(ValidationError):
        services.disbursement_record(actor=officer, tranche=tranche, amount=1, paid_on=dt.date(2026, 1, 10))


def test_an_approved_extension_moves_the_end_and_the_task_is_extended(flow, officer, leader, applicant):
    task = flow.in_progress()
    with pytest.raises(ValidationError) as exc:
        services.amendment_request(actor=applicant, task=task, kind=AmendmentKind.EXTENSION, reason="Mưa bão")
    assert "new_end_on" in exc.value.message_dict
    amendment = services.amendment_request(
        actor=applicant, task=task, kind=AmendmentKind.EXTENSION, reason="Mưa bão", new_end_on=dt.date(2028, 4, 30)
    )
    with pytest.raises(PermissionDenied):
        services.amendment_approve(actor=officer, amendment=amendment)
    services.amendment_approve(actor=leader, amendment=amendment)
    task.refresh_from_db()
    assert (amendment.status, task.status, task.end_on, task.contract.ends_on) == (
        AmendmentStatus.APPROVED,
        TaskStatus.EXTENDED,
        dt.date(2028, 4, 30),
        dt.date(2028, 4, 30),
    )


def test_a_budget_change_cannot_go_below_what_was_paid(flow, officer):
    task = flow.in_progress()
    services.disbursement_record(
        actor=officer, tranche=task.contract.tranches.first(), amount=400_000_000, paid_on=dt.date(2026, 1, 5)
    )
    with pytest.raises(ValidationError) as exc:
        services.amendment_request(actor=officer, task=task, kind=AmendmentKind.BUDGET, reason="Giảm", new_total=1)
    assert "new_total" in exc.value.message_dict


# PROGRESS ---------------------------------------------------------------------------------------
def test_the_host_reports_progress_and_the_officer_reviews_it(flow, applicant, other_applicant, officer):
    task = flow.in_progress()
    with pytest.raises(PermissionDenied):
        services.progress_report_submit(actor=other_applicant, task=task, period_end=dt.date(2026, 3, 1), content="x")
    with pytest.raises(ValidationError) as exc:
        services.progress_report_submit(actor=applicant, task=task, period_end=dt.date(2026, 3, 20), content="")
    assert {"content", "period_end"} <= set(exc.value.message_dict)
    report = services.progress_report_submit(
        actor=applicant, task=task, period_end=dt.date(2026, 3, 1), content="Đã làm"
    )
    with pytest.raises(ValidationError):
        services.progress_report_review(actor=officer, report=report, note="", accept=False)
    services.progress_report_review(actor=officer, report=report, note="Bổ sung chứng từ", accept=False)
    assert report.status == ReportStatus.RETURNED
    services.progress_report_resubmit(actor=applicant, report=report, content="Đã bổ sung")
    services.progress_report_review(actor=officer, report=report, note="Đạt")
    assert report.status == ReportStatus.REVIEWED


def test_progress_checks_and_deliverables(flow, officer):
    task = flow.in_progress()
    with pytest.raises(ValidationError):
        services.progress_check_record(
            actor=officer, task=task, checked_on=dt.date(2026, 3, 11), findings="", conclusion="on_track"
        )
    check = services.progress_check_record(
        actor=officer, task=task, checked_on=dt.date(2026, 3, 9), findings="Đúng tiến độ", conclusion="on_track"
    )
    assert check.get_conclusion_display() == "On schedule"
    with pytest.raises(ValidationError):
        services.deliverable_add(actor=officer, task=task, name="Báo cáo", due_on=dt.date(2025, 1, 1))
    deliverable = services.deliverable_add(actor=officer, task=task, name="Báo cáo", due_on=dt.date(2026, 6, 1))
    services.deliverable_deliver(actor=officer, deliverable=deliverable, delivered_on=dt.date(2026, 3, 9))
    assert deliverable.delivered_on == dt.date(2026, 3, 9)


# ACCEPTANCE -------------------------------------------------------------------------------------
def test_a_grassroots_acceptance_is_only_recorded(flow, officer):
    task = flow.in_progress()
    services.acceptance_record(
        actor=officer, task=task, level=AcceptanceLevel.GRASSROOTS, classification=Classification.PASS
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


def test_the_final_acceptance_needs_the_dossier(flow, officer):
    task = flow.in_progress()
    with pytest.raises(ValidationError):
        services.acceptance_record(actor=officer, task=task, level=AcceptanceLevel.PROVINCIAL, classification="pass")


@pytest.mark.parametrize("classification", [Classification.EXCELLENT, Classification.PASS])
def test_a_passed_final_acceptance_accepts_the_task(flow, classification):
    assert flow.accepted(classification=classification).status == TaskStatus.ACCEPTED


def test_a_failed_acceptance_needs_exactly_one_consequence(flow, officer):
    task = flow.submitted()
    for extra in ({}, {"refund_amount": 1, "rework_until": dt.date(2026, 6, 1)}):
        with pytest.raises(ValidationError, match="one consequence"):
            services.acceptance_record(actor=officer, task=task, level="provincial", classification="fail", **extra)
    with pytest.raises(ValidationError, match="cannot exceed what was paid"):
        services.acceptance_record(
            actor=officer, task=task, level="provincial", classification="fail", refund_amount=1
        )


def test_a_failed_acceptance_with_a_refund_fails_then_closes_the_task(flow, officer, leader):
    task = flow.submitted()
    services.disbursement_record(
        actor=officer, tranche=task.contract.tranches.first(), amount=400_000_000, paid_on=dt.date(2026, 1, 5)
    )
    acceptance = services.acceptance_record(
        actor=officer, task=task, level="provincial", classification="fail", refund_amount=150_000_000
    )
    task.refresh_from_db()
    assert (task.status, acceptance.refund_amount) == (TaskStatus.FAILED, 150_000_000)
    assert services.task_close(actor=leader, task=task).status == TaskStatus.CLOSED


def test_a_failed_acceptance_with_rework_extends_the_task(flow, officer):
    task = flow.submitted()
    services.acceptance_record(
        actor=officer, task=task, level="provincial", classification="fail", rework_until=dt.date(2026, 6, 30)
    )
    task.refresh_from_db()
    assert (task.status, task.end_on) == (TaskStatus.EXTENDED, dt.date(2026, 6, 30))


def test_a_passed_acceptance_has_no_refund(flow, officer):
    task = flow.submitted()
    with pytest.raises(ValidationError):
        services.acceptance_record(
            actor=officer, task=task, level="provincial", classification="pass", refund_amount=5
        )


# RESULTS AND CERTIFICATES ----------------------------------------------------------------------
def test_results_are_recorded_once_the_task_is_accepted(flow, officer):
    task = flow.in_progress()
    with pytest.raises(ValidationError):
        services.result_add(actor=officer, task=task, title="KQ", abstract="x", year=2026)


def test_the_certificate_is_issued_once_numbered_and_verifiable(flow, officer):
    registration = flow.registration()
    assert (registration.received_on, registration.due_on) == (dt.date(2026, 3, 10), dt.date(2026, 3, 17))
    services.result_register(
        actor=officer, registration=registration, storage_ref="KQ-01", signer_name="Lê Minh Cường"
    )

    certificate = registration.certificate
    assert certificate.doc_kind == "GIẤY CHỨNG NHẬN" and certificate.number_symbol == "01/GCN-SKHCN"
    assert certificate.title == "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ"
    assert certificate.subject == registration.result and len(certificate.verification_code) == 10
    assert registration.status == RegistrationStatus.CERTIFIED
    task = registration.result.task
    task.refresh_from_db()
    assert task.status == TaskStatus.RESULTS_REGISTERED
    with pytest.raises(ValidationError):
        services.result_register(actor=officer, registration=registration)
    with pytest.raises(ValidationError, match="never issued twice"):
        services.result_registration_submit(actor=officer, result=registration.result)
    assert IssuedDocument.objects.filter(doc_type="GCN").count() == 1


def test_the_statutory_deadline_counts_five_working_days_over_tet(flow, officer):
    result = flow.result()
    with time_machine.travel(dt.datetime(2026, 2, 13, 8, tzinfo=dt.UTC), tick=False):  # Friday before Tết
        registration = services.result_registration_submit(actor=officer, result=result)
    assert (registration.received_on, registration.due_on) == (dt.date(2026, 2, 13), dt.date(2026, 2, 27))


def test_a_returned_dossier_restarts_the_clock_when_completed(flow, officer, applicant):
    registration = flow.registration()
    with pytest.raises(ValidationError):
        services.result_registration_return(actor=officer, registration=registration, reason="")
    services.result_registration_return(actor=officer, registration=registration, reason="Thiếu biên bản nghiệm thu")
    with time_machine.travel(dt.datetime(2026, 4, 29, 8, tzinfo=dt.UTC), tick=False):
        services.result_registration_resubmit(actor=applicant, registration=registration)
    assert (registration.status, registration.due_on) == (RegistrationStatus.SUBMITTED, dt.date(2026, 5, 8))


def test_national_and_self_funded_results_are_stored_not_certified(flow, officer):
    registration = flow.registration(budget={FundingSource.CENTRAL: 1_000_000_000}, level=TaskLevel.NATIONAL)
    with pytest.raises(ValidationError, match="store it instead"):
        services.result_register(actor=officer, registration=registration)
    services.result_store(actor=officer, registration=registration, storage_ref="LT-01")
    assert registration.status == RegistrationStatus.STORED


def test_a_state_funded_provincial_result_cannot_be_only_stored(flow, officer):
    with pytest.raises(ValidationError, match="must be certified"):
        services.result_store(actor=officer, registration=flow.registration())


def test_a_paper_certificate_of_the_former_register_is_recorded_as_printed(flow, officer):
    registration = flow.registration()
    with pytest.raises(ValidationError):
        services.result_registration_record_legacy(
            actor=officer, registration=registration, certificate_number="12/GCN-SKHCN", issued_on=dt.date(2026, 1, 1)
        )
    services.result_registration_record_legacy(
        actor=officer, registration=registration, certificate_number="12/GCN-SKHCN", issued_on=dt.date(2026, 3, 10)
    )
    assert (registration.status, registration.certificate_id) == (RegistrationStatus.CERTIFIED, None)


def test_applications_of_results_and_liquidation(flow, officer, leader, units):
    task = flow.registered()
    result = task.results.get()
    with pytest.raises(ValidationError):
        services.result_application_record(actor=officer, result=result, scale="3 HTX", year=2025)
    services.result_application_record(actor=officer, result=result, scale="3 HTX", year=2026, place=units.yen_the_old)
    assert services.task_liquidate(actor=leader, task=task).status == TaskStatus.LIQUIDATED


def test_a_task_with_an_unregistered_result_cannot_be_liquidated(flow, leader, officer):
    task = flow.registered()
    with pytest.raises(TransitionNotAllowed):
        services.task_liquidate(actor=leader, task=flow.accepted())
    assert task.status == TaskStatus.RESULTS_REGISTERED


# HISTORIC RECORDS -------------------------------------------------------------------------------
def test_a_historic_task_is_recorded_at_its_state_and_the_log_says_so(officer, department, host, pi):
    task = services.task_record_historic(
        actor=officer,
        department=department,
        status=TaskStatus.LIQUIDATED,
        code="ĐT.2017.01",
        title="Đề tài cũ",
        host=host,
        principal_investigator=pi,
        start_on=dt.date(2017, 1, 1),
        end_on=dt.date(2018, 12, 31),
        budget={FundingSource.PROVINCIAL: 500_000_000},
    )
    assert (task.status, task.is_historic, task.regime) == (TaskStatus.LIQUIDATED, True, Regime.LAW_2013)
    log = TransitionLog.objects.get(object_id=str(task.pk))
    assert (log.name, log.note) == ("record_liquidated", "former register")
    with pytest.raises(ValidationError):
        services.task_record_historic(actor=officer, department=department, status=TaskStatus.SELECTING, title="X")
    with pytest.raises(ValidationError) as exc:
        services.task_create(actor=officer, department=department, code="đt.2017.01", title="Trùng mã")
    assert "code" in exc.value.message_dict
