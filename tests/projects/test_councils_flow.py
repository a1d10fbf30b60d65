"""A task from the proposals to the registered result, through its three councils (domain-procedures
§5.3-§5.5): formed from the task pages, scored by their members, outcomes carried back on close."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opendost.accounts.roles import Role
from opendost.api.services import api_token_create
from opendost.councils import selectors as council_selectors
from opendost.councils import services as council_services
from opendost.councils.enums import CouncilPurpose, CouncilStatus, MemberRole, OutcomeResult, Vote
from opendost.councils.models import Council
from opendost.projects import council_links, services
from opendost.projects.enums import (
    AcceptanceLevel,
    ApplicationStatus,
    Classification,
    ProposalStatus,
    TaskStatus,
)
from opendost.projects.models import Acceptance, SelectionApplication, Task
from tests.factories import UserFactory
from tests.projects.conftest import TODAY
from tests.subjects.factories import PersonFactory

pytestmark = pytest.mark.django_db

R = MemberRole
DEFINITION_ROLES = [R.CHAIR, R.REVIEWER, R.REVIEWER, R.MEMBER, R.MEMBER]
SELECTION_ROLES = [R.CHAIR, R.REVIEWER, R.REVIEWER, R.MEMBER, R.MEMBER]
ACCEPTANCE_ROLES = [R.CHAIR, R.VICE_CHAIR, R.REVIEWER, R.REVIEWER, R.SECRETARY, R.MEMBER, R.MEMBER]
API = "/api/v1/councils"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='test')[1]}"})


def seat(officer, council, roles):
    department = council.department
    return [
        council_services.member_add(
            actor=officer,
            council=council,
            person=PersonFactory(department=department, is_expert=True),
            role=role,
            user=UserFactory(role=Role.COUNCIL_MEMBER, department=department),
        )
        for role in roles
    ]


def start(client, kind, subject, **data) -> Council:
    response = client.post(reverse("projects:council_start", args=[kind, subject.public_id]), data)
    assert response.status_code == 302, response.context["form"].errors
    council = Council.objects.get(public_id=response["Location"].rstrip("/").split("/")[-1])
    assert response["Location"] == council.get_absolute_url()
    return council


def to_scoring(officer, council):
    council_services.council_transition(actor=officer, council=council, name="convene")
    council_services.council_transition(actor=officer, council=council, name="open_scoring")


def sheet(member, item, *, vote="", ratio=1):
    scores = {c.code: c.max_score * ratio for c in item.council.criteria.all()}
    return council_services.score_submit(actor=member.user, member=member, item=item, scores=scores, vote=vote)


def close(officer, council, capture):
    with capture(execute=True):
        council_services.council_close(actor=officer, council=council)
    council.refresh_from_db()


def item_of(council, subject):
    return next(i for i in council.items.all() if i.object_id == subject.pk)


@pytest.fixture
def proposals(officer, applicant, other_applicant, department, nodes):
    proposal_round = services.round_create(actor=officer, department=department, year=2027, title="Đặt hàng năm 2027")
    made = [
        services.proposal_create(
            actor=user,
            title=title,
            problem="Năng suất thấp, sâu bệnh nhiều.",
            objectives="Nâng cao năng suất và chất lượng.",
            expected_results="Quy trình kỹ thuật; mô hình trình diễn.",
            field=nodes.maths,
            estimated_budget=900_000_000,
            submit=True,
        )
        for user, title in (
            (applicant, "Ứng dụng công nghệ cao trong sản xuất vải thiều Lục Ngạn"),
            (other_applicant, "Nghiên cứu giống lúa chịu hạn cho vùng trung du"),
        )
    ]
    services.proposal_group(actor=officer, proposal_round=proposal_round, proposals=made)
    services.round_close(actor=officer, proposal_round=proposal_round)
    return proposal_round, made


# THE FULL WALK ----------------------------------------------------------------------------------
def test_a_task_walks_through_its_three_councils(
    officer, leader, applicant, other_applicant, host, other_org, pi, flow, proposals,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    web = logged_in(officer)
    proposal_round, (wanted, unwanted) = proposals

    # 1. Task definition council, formed from the round page.
    page = web.get(reverse("projects:round_detail", args=[proposal_round.public_id]))
    assert reverse("projects:council_start", args=["round", proposal_round.public_id]).encode() in page.content
    council = start(web, "round", proposal_round)
    assert council.purpose == CouncilPurpose.TASK_DEFINITION
    assert {i.object_id for i in council.items.all()} == {wanted.pk, unwanted.pk}
    members = seat(officer, council, DEFINITION_ROLES)
    to_scoring(officer, council)
    conflicted = members[4]
    council_services.conflict_declare(
        actor=conflicted.user, member=conflicted, item=item_of(council, wanted), has_conflict=True, note="Cùng đơn vị"
    )
    with pytest.raises(ValidationError) as exc:
        sheet(conflicted, item_of(council, wanted), vote=Vote.APPROVE)
    assert exc.value.code == "conflict"
    # Quorum: two members absent out of five is below 2/3.
    for member in members[3:]:
        council_services.member_attendance_set(actor=officer, member=member, is_present=False)
    assert not council_selectors.council_quorum(council).ok
    for member in members[3:]:
        council_services.member_attendance_set(actor=officer, member=member, is_present=True)
    assert council_selectors.council_quorum(council).ok
    for member in members:
        if member != conflicted:
            sheet(member, item_of(council, wanted), vote=Vote.APPROVE)
        sheet(member, item_of(council, unwanted), vote=Vote.REJECT)
    close(officer, council, django_capture_on_commit_callbacks)
    wanted.refresh_from_db()
    unwanted.refresh_from_db()
    assert wanted.status == ProposalStatus.SHORTLISTED
    assert unwanted.status == ProposalStatus.REJECTED and council.name in unwanted.decision_note
    outcome = council_selectors.outcome_for(wanted)
    assert outcome.details["voters"] == 4 and outcome.result == OutcomeResult.APPROVED

    # 2. The leader approves the ordered list; the officer prepares and publishes the call.
    services.round_approve(actor=leader, proposal_round=proposal_round)
    task = Task.objects.get(proposal=wanted)
    call = services.call_create(
        actor=officer,
        department=task.department,
        title="Thông báo tuyển chọn nhiệm vụ KH&CN năm 2027",
        deadline=timezone.now() + dt.timedelta(days=30),
        tasks=[task],
    )
    services.call_publish(actor=officer, call=call)
    applications = [
        services.application_create(
            actor=user,
            call=call,
            task=task,
            principal_investigator_name=name,
            proposal_text="Thuyết minh nhiệm vụ.",
            budget_provincial=800_000_000,
            submit=True,
        )
        for user, name in ((applicant, pi.full_name), (other_applicant, "Phạm Thị Lan"))
    ]
    winner, runner_up = applications

    with time_machine.travel(TODAY + dt.timedelta(days=31), tick=False):
        # 3. Selection council, formed from the call page after the deadline.
        council = start(logged_in(officer), "call", call)
        assert council.purpose == CouncilPurpose.SELECTION
        assert {i.group for i in council.items.all()} == {task.code}
        members = seat(officer, council, SELECTION_ROLES)
        to_scoring(officer, council)
        for member in members:
            sheet(member, item_of(council, winner), ratio=1)
            sheet(member, item_of(council, runner_up), ratio=0.8)
        close(officer, council, django_capture_on_commit_callbacks)
    winner.refresh_from_db()
    runner_up.refresh_from_db()
    assert winner.status == ApplicationStatus.SELECTED and winner.score == 100
    assert runner_up.status == ApplicationStatus.NOT_SELECTED and runner_up.score == 80
    assert winner.council_ref == council.name[:100]

    # 4. Host approved, contract, work, acceptance dossier.
    task.refresh_from_db()
    task = flow.submitted(flow.in_progress(flow.contracted(flow.assigned(task))))
    assert task.status == TaskStatus.SUBMITTED_FOR_ACCEPTANCE

    # 5. Provincial acceptance council, formed from the task page.
    web = logged_in(officer)
    page = web.get(task.get_absolute_url())
    assert reverse("projects:council_start", args=["task", task.public_id]).encode() in page.content
    council = start(web, "task", task, level=AcceptanceLevel.PROVINCIAL, meeting_on="09/03/2026")
    assert council.purpose == CouncilPurpose.ACCEPTANCE_PROVINCIAL
    members = seat(officer, council, ACCEPTANCE_ROLES)
    to_scoring(officer, council)
    item = council.items.get()
    for i, member in enumerate(members):
        sheet(member, item, vote=Vote.PASS if i == 6 else Vote.EXCELLENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(reverse("councils:transition", args=[council.public_id]), {"transition": "close"})
    assert response.status_code == 302
    task.refresh_from_db()
    acceptance = task.acceptances.get()
    assert task.status == TaskStatus.ACCEPTED
    assert acceptance.classification == Classification.EXCELLENT
    assert acceptance.level == AcceptanceLevel.PROVINCIAL and acceptance.council_id == council.pk
    assert acceptance.held_on == dt.date(2026, 3, 9)

    # 6. The result is registered with its certificate.
    task = flow.registered(task)
    assert task.status == TaskStatus.RESULTS_REGISTERED
    assert task.results.get().registration.certificate is not None

    # The task page lists the three councils with the outcomes of its records.
    rows = web.get(task.get_absolute_url()).context["councils"]
    assert {row.council for row in rows} == set(Council.objects.all())
    assert {o.result for row in rows for o in row.outcomes} == {
        OutcomeResult.APPROVED,
        OutcomeResult.SELECTED,
        OutcomeResult.PASS,  # the runner-up's application
        OutcomeResult.EXCELLENT,
    }
    assert not council_links.pending_acceptances(task, officer)


# OUTCOMES THAT NEED AN OFFICER ------------------------------------------------------------------
@pytest.fixture
def submitted_task(flow):
    return flow.submitted()


def _acceptance_council(officer, task, votes, level=AcceptanceLevel.PROVINCIAL):
    council = council_links.acceptance_council_start(actor=officer, task=task, level=level)
    members = seat(officer, council, ACCEPTANCE_ROLES)
    to_scoring(officer, council)
    item = council.items.get()
    for member, vote in zip(members, votes, strict=True):
        sheet(member, item, vote=vote)
    return council


def test_a_failed_final_acceptance_waits_for_the_officer_with_a_prefilled_form(
    officer, submitted_task, django_capture_on_commit_callbacks
):
    task = submitted_task
    council = _acceptance_council(officer, task, [Vote.FAIL] * 3 + [Vote.PASS] * 4)
    close(officer, council, django_capture_on_commit_callbacks)
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED_FOR_ACCEPTANCE and not task.acceptances.exists()
    assert council_links.pending_acceptances(task, officer) == [council]

    web = logged_in(officer)
    page = web.get(task.get_absolute_url()).content.decode()
    action = reverse("projects:task_action", args=[task.public_id, "acceptance"]) + f"?council={council.public_id}"
    assert action in page
    form = web.get(action).context["form"]
    assert form.initial["classification"] == Classification.FAIL
    assert form.initial["level"] == AcceptanceLevel.PROVINCIAL and form.initial["council_ref"] == council.name
    response = web.post(
        action,
        {
            "level": "provincial",
            "held_on": "10/03/2026",
            "classification": "fail",
            "council_ref": council.name,
            "refund_amount": 0,
            "rework_until": "10/06/2026",
            "note": "Không đạt",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    task.refresh_from_db()
    assert task.status == TaskStatus.EXTENDED and task.end_on == dt.date(2026, 6, 10)  # rework allowed
    assert task.acceptances.get().council == council
    assert not council_links.pending_acceptances(task, officer)
    # Idempotent: applying again records nothing twice.
    report = council_links.council_outcome_apply(actor=officer, council=council)
    assert report.recorded == [] and Acceptance.objects.filter(task=task).count() == 1


def test_an_outcome_the_closing_leader_may_not_record_is_left_for_the_officer(
    officer, leader, submitted_task, django_capture_on_commit_callbacks
):
    task = submitted_task
    council = _acceptance_council(officer, task, [Vote.PASS] * 7)
    close(leader, council, django_capture_on_commit_callbacks)  # the leader lacks projects.change_task
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED_FOR_ACCEPTANCE
    assert council_links.awaiting(council)
    web = logged_in(officer)
    assert b"record-outcome" in web.get(task.get_absolute_url()).content
    response = web.post(reverse("projects:council_apply", args=[council.public_id]), {"next": task.get_absolute_url()})
    assert response["Location"] == task.get_absolute_url()
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED
    assert task.acceptances.get().classification == Classification.PASS
    assert not council_links.awaiting(council)
    web.post(reverse("projects:council_apply", args=[council.public_id]))
    assert task.acceptances.count() == 1


def test_a_grassroots_acceptance_of_a_provincial_task_is_recorded_without_moving_it(
    officer, flow, django_capture_on_commit_callbacks
):
    task = flow.in_progress()
    assert council_links.acceptance_levels(task) == [AcceptanceLevel.GRASSROOTS]
    council = _acceptance_council(officer, task, [Vote.FAIL] * 3 + [Vote.PASS] * 4, level=AcceptanceLevel.GRASSROOTS)
    assert council.purpose == CouncilPurpose.ACCEPTANCE_GRASSROOTS
    close(officer, council, django_capture_on_commit_callbacks)
    task.refresh_from_db()
    acceptance = task.acceptances.get()
    assert (acceptance.level, acceptance.classification) == (AcceptanceLevel.GRASSROOTS, Classification.FAIL)
    assert task.status == TaskStatus.IN_PROGRESS


def test_forming_councils_checks_the_state(officer, flow, proposals):
    task = flow.ordered()
    with pytest.raises(ValidationError):
        council_links.acceptance_council_start(actor=officer, task=task, level=AcceptanceLevel.PROVINCIAL)
    proposal_round, _made = proposals
    council_links.definition_council_start(actor=officer, proposal_round=proposal_round)
    with pytest.raises(ValidationError) as exc:
        council_links.definition_council_start(actor=officer, proposal_round=proposal_round)
    assert exc.value.code == "busy"


def test_a_council_without_quorum_changes_nothing(officer, submitted_task, django_capture_on_commit_callbacks):
    task = submitted_task
    council = council_links.acceptance_council_start(actor=officer, task=task, level=AcceptanceLevel.PROVINCIAL)
    members = seat(officer, council, ACCEPTANCE_ROLES)
    to_scoring(officer, council)
    for member in members[:3]:
        council_services.member_attendance_set(actor=officer, member=member, is_present=False)
    for member in members[3:]:
        sheet(member, council.items.get(), vote=Vote.PASS)
    close(officer, council, django_capture_on_commit_callbacks)
    assert council.outcomes.get().result == OutcomeResult.NO_QUORUM
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED_FOR_ACCEPTANCE and not council_links.pending_acceptances(task, officer)


# PERMISSIONS ------------------------------------------------------------------------------------
@pytest.fixture
def selection(officer, applicant, other_applicant, flow, pi):
    task = flow.ordered(assignment_mode="selection")
    call = services.call_create(
        actor=officer,
        department=task.department,
        title="Thông báo tuyển chọn",
        deadline=timezone.now() + dt.timedelta(days=30),
        tasks=[task],
    )
    services.call_publish(actor=officer, call=call)
    for user in (applicant, other_applicant):
        services.application_create(
            actor=user,
            call=call,
            task=task,
            principal_investigator_name=pi.full_name,
            proposal_text="Thuyết minh.",
            budget_provincial=500_000_000,
            submit=True,
        )
    services.call_close(actor=officer, call=call)
    council = council_links.selection_council_start(actor=officer, call=call)
    members = seat(officer, council, SELECTION_ROLES)
    mine, theirs = (
        council.items.get(object_id=a.pk)
        for a in SelectionApplication.objects.filter(call=call).order_by("organization__name")
    )
    council_services.assign(actor=officer, member=members[3], items=[mine])
    return task, call, council, members[3], mine, theirs


def test_a_council_member_sees_only_assigned_items_on_the_web_and_the_api(selection):
    task, _call, council, member, assigned, other = selection
    web = logged_in(member.user)
    assert web.get(reverse("councils:my_item", args=[council.public_id, assigned.public_id])).status_code == 200
    assert web.get(reverse("councils:my_item", args=[council.public_id, other.public_id])).status_code == 404
    assert web.get(reverse("councils:detail", args=[council.public_id])).status_code == 404
    assert web.get(task.get_absolute_url()).status_code == 404
    api = api_for(member.user)
    items = api.get(f"{API}/{council.public_id}/items").json()
    assert [i["public_id"] for i in items] == [str(assigned.public_id)]
    assert api.get(f"{API}/{council.public_id}/items/{other.public_id}/sheet").status_code == 404
    assert api.get(f"{API}/{council.public_id}").status_code == 404


def test_another_departments_officer_gets_404_on_the_task_its_council_and_the_actions(
    outsider, selection, flow, department
):
    task, call, council, _member, _assigned, _other = selection
    web = logged_in(outsider)
    for url in (
        task.get_absolute_url(),
        call.get_absolute_url(),
        reverse("councils:detail", args=[council.public_id]),
        reverse("projects:council_start", args=["call", call.public_id]),
        reverse("projects:council_start", args=["task", task.public_id]),
    ):
        assert web.get(url).status_code == 404, url
    assert web.post(reverse("projects:council_apply", args=[council.public_id])).status_code == 404
    assert api_for(outsider).get(f"{API}/{council.public_id}").status_code == 404
    assert council_links.council_rows(task, user=outsider) == []


def test_an_applicant_sees_only_its_own_outcome(selection, applicant, other_applicant, officer):
    _task, _call, council, _member, _assigned, _other = selection
    own = SelectionApplication.objects.get(organization=applicant.organization)
    theirs = SelectionApplication.objects.get(organization=other_applicant.organization)
    web = logged_in(applicant)
    assert web.get(reverse("projects:my_application", args=[theirs.public_id])).status_code == 404
    assert web.get(reverse("projects:application_detail", args=[own.public_id])).status_code == 404
    assert web.get(reverse("councils:detail", args=[council.public_id])).status_code == 404
    page = web.get(reverse("projects:my_application", args=[own.public_id]))
    assert page.status_code == 200 and page.context["councils"] == []  # not closed yet: nothing shown
    assert council_links.council_rows(own, user=applicant, staff=False) == []
    assert council.status == CouncilStatus.FORMING


def test_the_staff_pages_show_the_councils_and_their_outcomes(selection, officer, django_assert_max_num_queries):
    task, call, council, _member, assigned, _other = selection
    web = logged_in(officer)
    for url in (call.get_absolute_url(), task.get_absolute_url()):
        page = web.get(url)
        assert page.status_code == 200 and council.name.encode() in page.content
    application = SelectionApplication.objects.get(pk=assigned.object_id)
    rows = web.get(application.get_absolute_url()).context["councils"]
    assert [row.council for row in rows] == [council]
    with django_assert_max_num_queries(3):
        council_links.council_rows(call, user=officer)
