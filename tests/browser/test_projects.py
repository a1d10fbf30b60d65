"""An S&T task in a real browser, from the applicant's proposal to the public results database, each
step by the role that takes it: applicant proposes → officer opens a round, groups, closes and
shortlists → leader approves the ordered list (decision issued) → officer prepares and publishes the
call → applicant applies → officer records the selection → leader approves host and budget →
officer signs the contract, corrects the task, adds a tranche, records a payment, starts the task → applicant reports
progress → officer reviews, receives the acceptance dossier, records the acceptance and the result →
applicant submits the registration dossier → officer issues the certificate → the public sees it.

Elements are found by ids, names and form actions, not by their texts, so the test does not depend
on the translation of the labels. Dates are today's (no frozen clock across the live server).
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from opendost.accounts.roles import Role
from opendost.projects.enums import (
    ApplicationStatus,
    CallStatus,
    ProposalStatus,
    RegistrationStatus,
    RoundStatus,
    TaskStatus,
)
from opendost.projects.models import Proposal, ProposalRound, SelectionCall, Task
from tests.factories import DepartmentFactory, UserFactory
from tests.subjects.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.browser

BUDGET = 600_000_000


@pytest.fixture
def people():
    department = DepartmentFactory(
        code="bac-ninh", name="Sở Khoa học và Công nghệ tỉnh Bắc Ninh", governing_body="UBND TỈNH BẮC NINH"
    )
    host = OrganizationFactory(department=department, name="Công ty TNHH Nông nghiệp Hòa Bình")
    return {
        "host": host,
        "pi": PersonFactory(department=department, full_name="Trần Văn Đức", organization=host),
        "applicant": UserFactory(role=Role.APPLICANT, department=None, organization=host),
        "officer": UserFactory(role=Role.OFFICER, department=department, full_name="Đỗ Văn Thẩm"),
        "leader": UserFactory(role=Role.LEADER, department=department, full_name="Lê Minh Cường"),
    }


def as_user(page, login, user):
    page.context.clear_cookies()
    login(user)


def go(page, name, *args):
    page.goto(reverse(name, args=args))


def save(page, form="main form[method=post]"):
    """Press the form's main button (not a named one such as "Save as draft") and wait for the next page."""
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]:not([name])").first.click()


def press(page, selector):
    with page.expect_navigation():
        page.locator(selector).first.click()


def at(page, path: str) -> None:
    expect(page).to_have_url(re.compile(re.escape(path) + r"(#.*)?$"))


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_a_task_from_the_proposal_to_the_public_result(page, login, assert_accessible, people):
    today = timezone.localdate()

    # 1. The applicant proposes a task for ordering.
    as_user(page, login, people["applicant"])
    go(page, "projects:my_proposal_create")
    assert_accessible(page, label="proposal form")
    page.locator("#id_title").fill("Ứng dụng công nghệ cao trong sản xuất vải thiều")
    page.locator("#id_problem").fill("Năng suất vải thiều thấp, sâu bệnh nhiều.")
    page.locator("#id_objectives").fill("Xây dựng quy trình thâm canh vải thiều theo VietGAP.")
    page.locator("#id_expected_results").fill("Quy trình kỹ thuật và mô hình 10 ha.")
    page.locator("#id_estimated_budget").fill(str(BUDGET))
    save(page)
    proposal = Proposal.objects.get()
    at(page, reverse("projects:my_proposal", args=[proposal.public_id]))
    assert proposal.status == ProposalStatus.SUBMITTED

    # 2. The officer opens a round, groups the proposal into it, closes submissions, shortlists it.
    as_user(page, login, people["officer"])
    go(page, "projects:round_create")
    page.locator("#id_title").fill(f"Đợt đề xuất đặt hàng năm {today.year + 1}")
    save(page)
    proposal_round = ProposalRound.objects.get()
    at(page, proposal_round.get_absolute_url())
    go(page, "projects:proposal_detail", proposal.public_id)
    assert_accessible(page, label="proposal page")
    page.locator("#id_proposal_round").select_option(str(proposal_round.pk))
    save(page, "main form:has(input[name=action][value=group])")
    assert Proposal.objects.get().status == ProposalStatus.IN_ROUND
    go(page, "projects:round_detail", proposal_round.public_id)
    press(page, "button[name=action][value=close]")
    assert ProposalRound.objects.get().status == RoundStatus.REVIEWING
    go(page, "projects:proposal_detail", proposal.public_id)
    save(page, "main form:has(input[name=action][value=shortlist])")
    assert Proposal.objects.get().status == ProposalStatus.SHORTLISTED

    # 3. The leader approves the ordered list: the task is ordered and the decision issued.
    as_user(page, login, people["leader"])
    go(page, "projects:round_detail", proposal_round.public_id)
    assert_accessible(page, label="round under review")
    press(page, "button[name=action][value=approve]")
    proposal_round.refresh_from_db()
    assert proposal_round.status == RoundStatus.APPROVED and proposal_round.decision is not None
    expect(page.locator(f"a[href='{proposal_round.decision.get_absolute_url()}']")).to_have_count(1)
    task = Task.objects.get()
    assert task.status == TaskStatus.ORDERED and task.proposal_id == proposal.pk

    # 4. The officer prepares the call for applications and publishes it.
    as_user(page, login, people["officer"])
    go(page, "projects:call_create")
    page.locator("#id_title").fill(f"Thông báo tuyển chọn tổ chức chủ trì năm {today.year + 1}")
    deadline = timezone.localtime() + dt.timedelta(days=30)
    page.locator("#id_deadline").fill(deadline.strftime("%d/%m/%Y 17:00"))
    page.locator("#id_tasks").select_option(str(task.pk))
    save(page)
    call = SelectionCall.objects.get()
    at(page, call.get_absolute_url())
    press(page, "button[name=action][value=publish]")
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED

    # 5. The applicant applies from its home page.
    as_user(page, login, people["applicant"])
    go(page, "projects:my_home")
    assert_accessible(page, label="applicant home")
    press(page, f"a[href='{reverse('projects:my_apply', args=[call.public_id])}']")
    page.locator("#id_task").select_option(str(task.pk))
    page.locator("#id_principal_investigator_name").fill("Trần Văn Đức")
    page.locator("#id_proposal_text").fill("Thuyết minh nhiệm vụ: nội dung, phương pháp, tiến độ.")
    page.locator("#id_budget_provincial").fill(str(BUDGET))
    save(page)
    application = task.applications.get()
    at(page, reverse("projects:my_application", args=[application.public_id]))

    # 6. The officer records the selection result.
    as_user(page, login, people["officer"])
    go(page, "projects:application_detail", application.public_id)
    page.locator("#id_selected").check()
    page.locator("#id_score").fill("86.5")
    page.locator("#id_council_ref").fill("Hội đồng tuyển chọn số 05")
    save(page)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SELECTED

    # 7. The leader approves the host, the investigator and the budget (prefilled from the application).
    as_user(page, login, people["leader"])
    go(page, "projects:task_action", task.public_id, "assign")
    expect(page.locator("#id_host")).to_have_value(str(people["host"].pk))
    page.locator("#id_principal_investigator").select_option(str(people["pi"].pk))
    page.locator("#id_start_on").fill(dmy(today))
    page.locator("#id_end_on").fill(dmy(today + dt.timedelta(days=730)))
    save(page)
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED

    # 8. The officer signs the contract with a first tranche, adds the second, pays the first, starts.
    as_user(page, login, people["officer"])
    go(page, "projects:task_action", task.public_id, "contract")
    page.locator("#id_number").fill("01/2026/HĐ-KHCN")
    page.locator("#id_signed_on").fill(dmy(today))
    page.locator("#id_tranche_1").fill(str(BUDGET // 2))
    save(page)
    task.refresh_from_db()
    assert task.status == TaskStatus.CONTRACTED
    go(page, "projects:task_detail", task.public_id)
    assert_accessible(page, label="contracted task")
    press(page, "#task-edit")  # a correction after creation, checked against the task's version
    assert_accessible(page, label="task edit form")
    page.locator("#id_note").fill("Hồ sơ gốc lưu tại Phòng Quản lý khoa học.")
    save(page)
    at(page, task.get_absolute_url())
    task.refresh_from_db()
    assert task.note == "Hồ sơ gốc lưu tại Phòng Quản lý khoa học."
    press(page, f"a[href='{reverse('projects:task_action', args=[task.public_id, 'tranche'])}']")
    page.locator("#id_planned_amount").fill(str(BUDGET - BUDGET // 2))
    page.locator("#id_condition").fill("Sau nghiệm thu cấp tỉnh")
    save(page)
    assert task.contract.tranches.count() == 2
    go(page, "projects:task_action", task.public_id, "disbursement")
    first = task.contract.tranches.get(sequence=1)
    page.locator("#id_tranche").select_option(str(first.pk))
    page.locator("#id_amount").fill(str(BUDGET // 2))
    page.locator("#id_paid_on").fill(dmy(today))
    page.locator("#id_reference").fill("UNC 0123")
    save(page)
    assert first.disbursements.get().amount == BUDGET // 2
    save(page, "main form:has(input[name=transition][value=start])")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS

    # 9. The applicant (the host) submits a progress report.
    as_user(page, login, people["applicant"])
    go(page, "projects:my_task", task.public_id)
    page.locator("#progress details summary").click()
    page.locator("#id_period_end").fill(dmy(today))
    page.locator("#id_content").fill("Đã khảo sát 10 ha vùng trồng vải thiều.")
    save(page, f"form[action='{reverse('projects:my_report_submit', args=[task.public_id])}']")
    report = task.progress_reports.get()
    at(page, reverse("projects:my_task", args=[task.public_id]))

    # 10. The officer reviews it, receives the acceptance dossier, records the acceptance and the result.
    as_user(page, login, people["officer"])
    go(page, "projects:task_detail", task.public_id)
    press(page, f"a[href='{reverse('projects:report_review', args=[report.public_id])}']")
    page.locator("#id_note").fill("Đúng tiến độ.")
    save(page)
    report.refresh_from_db()
    assert report.status == "reviewed"
    save(page, "main form:has(input[name=transition][value=submit_for_acceptance])")
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED_FOR_ACCEPTANCE
    go(page, "projects:task_action", task.public_id, "acceptance")
    page.locator("#id_held_on").fill(dmy(today))
    page.locator("#id_classification").select_option("pass")
    page.locator("#id_council_ref").fill("QĐ 12/QĐ-SKHCN")
    save(page)
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED
    go(page, "projects:task_action", task.public_id, "result")
    page.locator("#id_title").fill("Quy trình thâm canh vải thiều theo tiêu chuẩn VietGAP")
    page.locator("#id_abstract").fill("Quy trình kỹ thuật thâm canh vải thiều Lục Ngạn đạt năng suất cao.")
    page.locator("#id_result_type").select_option("process")
    save(page)
    result = task.results.get()

    # 11. The applicant submits the registration dossier; the officer issues the certificate.
    as_user(page, login, people["applicant"])
    go(page, "projects:my_task", task.public_id)
    save(page, f"form[action='{reverse('projects:my_result_register', args=[result.public_id])}']")
    registration = result.registration
    assert registration.status == RegistrationStatus.SUBMITTED
    as_user(page, login, people["officer"])
    go(page, "projects:task_detail", task.public_id)
    press(page, f"a[href='{reverse('projects:registration_action', args=[registration.public_id, 'certify'])}']")
    page.locator("#id_storage_ref").fill("KQ-2026-01")
    save(page)
    registration.refresh_from_db()
    task.refresh_from_db()
    assert registration.status == RegistrationStatus.CERTIFIED and registration.certificate_number
    assert task.status == TaskStatus.RESULTS_REGISTERED
    expect(page.locator("#results")).to_contain_text(registration.certificate_number)
    assert_accessible(page, label="task with its registered result")

    # 12. Anyone finds the result, with its certificate, in the public database.
    page.context.clear_cookies()
    go(page, "projects_public:search")
    public_url = reverse("projects_public:result_detail", args=[result.public_id])
    press(page, f"#results a[href='{public_url}']")
    at(page, public_url)
    expect(page.locator("main")).to_contain_text(result.title)
    expect(page.locator("main")).to_contain_text(registration.certificate_number)
    assert_accessible(page, label="public result")
