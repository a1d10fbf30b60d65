"""Edits after creation (services_edit and their pages), a tranche added to a contract, a
deliverable's delivery, and the applicant's draft proposal."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opendost.audit.enums import AuditAction
from opendost.audit.models import AuditEvent
from opendost.common.locking import EditConflict
from opendost.projects import services, services_edit
from opendost.projects.enums import AssignmentMode, CallStatus, ProposalStatus, TaskKind, TaskLevel, TaskStatus
from opendost.projects.models import Proposal, Task

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "title": "Nghiên cứu giống lúa chịu mặn",
    "problem": "Xâm nhập mặn.",
    "objectives": "Chọn tạo giống.",
    "expected_results": "Hai giống lúa.",
    "estimated_budget": 900_000_000,
}


def draft_of(applicant) -> Proposal:
    return services.proposal_create(actor=applicant, **PROPOSAL)


def submitted_by_officer(officer, department) -> Proposal:
    return services.proposal_create(
        actor=officer, department=department, proposer_name="UBND xã Tân Yên", submit=True, **PROPOSAL
    )


def last_update(obj) -> AuditEvent:
    return AuditEvent.objects.for_object(obj).filter(action=AuditAction.UPDATE).latest("seq")


def draft_call(officer, department, task, title="Tuyển chọn 2026"):
    return services.call_create(
        actor=officer,
        department=department,
        title=title,
        deadline=dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC),
        tasks=[task],
    )


# PROPOSALS --------------------------------------------------------------------------------------
def test_the_proposer_changes_its_draft_then_submits_it(applicant):
    proposal = draft_of(applicant)
    assert proposal.status == ProposalStatus.DRAFT

    saved = services_edit.proposal_update(
        actor=applicant,
        proposal=proposal,
        title="  Nghiên cứu  giống lúa chịu mặn vùng ven biển ",
        estimated_budget=None,
    )

    assert (saved.title, saved.estimated_budget) == ("Nghiên cứu giống lúa chịu mặn vùng ven biển", 0)
    event = last_update(proposal)
    assert event.before["title"] == PROPOSAL["title"] and event.after["title"] == saved.title
    services.proposal_submit(actor=applicant, proposal=saved)
    with pytest.raises(ValidationError) as error:
        services_edit.proposal_update(actor=applicant, proposal=saved, title="Khác")
    assert error.value.code == "wrong_state"


def test_the_proposer_cannot_change_the_proposer_and_others_cannot_change_at_all(applicant, other_applicant, outsider):
    proposal = draft_of(applicant)
    with pytest.raises(TypeError):
        services_edit.proposal_update(actor=applicant, proposal=proposal, proposer_name="Người khác")
    for stranger in (other_applicant, outsider):
        with pytest.raises(PermissionDenied):
            services_edit.proposal_update(actor=stranger, proposal=proposal, title="Khác")


def test_the_officer_corrects_a_proposal_until_the_ordered_list_is_decided(
    officer, department, host, other_department
):
    proposal = submitted_by_officer(officer, department)
    saved = services_edit.proposal_update(
        actor=officer, proposal=proposal, proposer_organization=host, proposer_name="", objectives=" Mới "
    )
    assert (saved.proposer_organization, saved.proposer_name, saved.objectives) == (host, "", "Mới")

    with pytest.raises(ValidationError) as error:
        services_edit.proposal_update(
            actor=officer, proposal=proposal, proposer_organization=None, proposer_name=" ", estimated_budget=-1
        )
    assert set(error.value.message_dict) == {"proposer_name", "estimated_budget"}

    from tests.subjects.factories import OrganizationFactory

    foreign = OrganizationFactory(department=other_department)
    with pytest.raises(ValidationError) as error:
        services_edit.proposal_update(actor=officer, proposal=proposal, proposer_organization=foreign)
    assert "proposer_organization" in error.value.message_dict

    services.proposal_reject(actor=officer, proposal=proposal, reason="Trùng lặp.")
    with pytest.raises(ValidationError):
        services_edit.proposal_update(actor=officer, proposal=proposal, title="Khác")


def test_the_proposal_pages_edit_and_submit(client, applicant, officer, department, other_applicant):
    client.force_login(applicant)
    response = client.post(reverse("projects:my_proposal_create"), {**PROPOSAL, "draft": "1"})
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("projects:my_proposal", args=[proposal.public_id])
    assert proposal.status == ProposalStatus.DRAFT
    page = client.get(reverse("projects:my_proposal", args=[proposal.public_id])).content.decode()
    assert reverse("projects:my_proposal_edit", args=[proposal.public_id]) in page

    edit = reverse("projects:my_proposal_edit", args=[proposal.public_id])
    assert client.get(edit).context["form"].initial["title"] == PROPOSAL["title"]
    bad = client.post(edit, {**PROPOSAL, "title": ""})
    assert bad.status_code == 200 and "title" in bad.context["form"].errors
    assert client.post(edit, {**PROPOSAL, "title": "Giống lúa mới"}).status_code == 302
    assert client.post(reverse("projects:my_proposal_submit", args=[proposal.public_id])).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status) == ("Giống lúa mới", ProposalStatus.SUBMITTED)
    assert client.get(edit).status_code == 403
    # Submitting twice tells why, without an error page.
    again = client.post(reverse("projects:my_proposal_submit", args=[proposal.public_id]), follow=True)
    assert again.status_code == 200 and list(again.context["messages"])

    client.force_login(other_applicant)
    assert client.get(edit).status_code == 404

    client.force_login(officer)
    staff_edit = reverse("projects:proposal_edit", args=[proposal.public_id])
    assert (
        reverse("projects:proposal_edit", args=[proposal.public_id])
        in client.get(reverse("projects:proposal_detail", args=[proposal.public_id])).content.decode()
    )
    response = client.post(staff_edit, {**PROPOSAL, "proposer_organization": applicant.organization_id})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == PROPOSAL["title"]


# TASKS ------------------------------------------------------------------------------------------
def test_the_officer_corrects_a_tasks_data_with_its_version(flow, officer, nodes):
    task = flow.ordered(assignment_mode=AssignmentMode.SELECTION)
    saved = services_edit.task_update(
        actor=officer,
        task=task,
        expected_version=task.version,
        title=" Vải thiều  sạch ",
        kind=TaskKind.ST_PROJECT,
        level=TaskLevel.GRASSROOTS,
        assignment_mode=AssignmentMode.DIRECT,
        field=nodes.maths,
        note="Ghi chú",
    )
    task.refresh_from_db()
    assert (task.title, task.kind, task.level, task.assignment_mode, task.note) == (
        "Vải thiều sạch",
        TaskKind.ST_PROJECT,
        TaskLevel.GRASSROOTS,
        AssignmentMode.DIRECT,
        "Ghi chú",
    )
    assert task.field == nodes.maths
    assert task.version == saved.version == 2
    assert last_update(task).after["title"] == "Vải thiều sạch"

    with pytest.raises(EditConflict) as conflict:
        services_edit.task_update(actor=officer, task=task, expected_version=1, title="Cũ")
    assert conflict.value.current_version == 2
    task.refresh_from_db()
    assert task.title == "Vải thiều sạch"


def test_level_and_assignment_mode_are_fixed_once_the_task_moves_on(flow, officer, leader):
    task = flow.assigned()
    with pytest.raises(ValidationError) as error:
        services_edit.task_update(actor=officer, task=task, level=TaskLevel.NATIONAL, title="Khác")
    assert set(error.value.message_dict) == {"level"}
    same = services_edit.task_update(actor=officer, task=task, level=task.level, title="Khác")
    assert same.title == "Khác"
    with pytest.raises(PermissionDenied):
        services_edit.task_update(actor=leader, task=task, title="Lãnh đạo")  # leaders decide, officers record


def test_a_task_listed_in_a_call_stays_competitive(flow, officer, department):
    task = flow.ordered(assignment_mode=AssignmentMode.SELECTION)
    draft_call(officer, department, task)
    with pytest.raises(ValidationError) as error:
        services_edit.task_update(actor=officer, task=task, assignment_mode=AssignmentMode.DIRECT)
    assert "assignment_mode" in error.value.message_dict


def test_a_closed_task_and_an_outsider_change_nothing(flow, officer, leader, outsider):
    task = flow.ordered()
    with pytest.raises(PermissionDenied):
        services_edit.task_update(actor=outsider, task=task, title="x")
    services.task_cancel(actor=leader, task=task, reason="Không còn nhu cầu.")
    with pytest.raises(ValidationError) as error:
        services_edit.task_update(actor=officer, task=task, title="x")
    assert error.value.code == "wrong_state"
    assert services_edit.task_editable_fields(task) == frozenset()


def test_the_task_edit_page_shows_a_conflict_and_keeps_the_input(client, flow, officer):
    task = flow.assigned()
    client.force_login(officer)
    url = reverse("projects:task_edit", args=[task.public_id])
    form = client.get(url).context["form"]
    assert "level" not in form.fields and "assignment_mode" not in form.fields
    opened = {"version": form.initial["version"], "original": form.initial["original"]}
    data = {"title": task.title, "kind": task.kind, "objectives": "", "expected_products": "", "note": ""}

    theirs = services_edit.task_update(actor=officer, task=task, title="Người khác sửa")  # someone saves in between
    response = client.post(url, {**data, **opened, "note": "Của tôi"})
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert "Someone else saved this record" in errors[0] and "changed: title." in errors[0]
    assert response.context["form"]["note"].value() == "Của tôi"
    task.refresh_from_db()
    assert task.title == "Người khác sửa"

    again = response.context["form"]
    response = client.post(url, {**data, "version": again.data["version"], "original": again.data["original"]})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == data["title"] and task.version == theirs.version + 1


def test_the_task_page_offers_the_edit_to_officers_only(client, flow, officer, leader, applicant):
    task = flow.in_progress()
    url = reverse("projects:task_edit", args=[task.public_id])
    client.force_login(officer)
    assert url in client.get(task.get_absolute_url()).content.decode()
    client.force_login(leader)
    assert url not in client.get(task.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 403
    client.force_login(applicant)
    assert client.get(url).status_code == 404


# CALLS ------------------------------------------------------------------------------------------
def test_the_officer_changes_a_draft_call_only(flow, officer, department, outsider):
    first = flow.ordered(assignment_mode=AssignmentMode.SELECTION, code="NV.1")
    second = flow.ordered(assignment_mode=AssignmentMode.SELECTION, code="NV.2")
    direct = flow.ordered(code="NV.3")
    call = draft_call(officer, department, first)

    saved = services_edit.call_update(
        actor=officer,
        call=call,
        title=" Tuyển chọn  bổ sung ",
        tasks=[first, second],
        deadline=dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC),
    )
    assert saved.title == "Tuyển chọn bổ sung"
    assert set(saved.tasks.all()) == {first, second}
    assert last_update(call).after["tasks"] == sorted([first.pk, second.pk])

    with pytest.raises(ValidationError) as error:
        services_edit.call_update(
            actor=officer, call=call, tasks=[direct], deadline=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
        )
    assert set(error.value.message_dict) == {"tasks", "deadline"}
    with pytest.raises(ValidationError):
        services_edit.call_update(actor=officer, call=call, tasks=[])
    with pytest.raises(PermissionDenied):
        services_edit.call_update(actor=outsider, call=call, title="x")

    services.call_publish(actor=officer, call=call)
    assert call.status == CallStatus.PUBLISHED
    with pytest.raises(ValidationError) as error:
        services_edit.call_update(actor=officer, call=call, title="x")
    assert error.value.code == "wrong_state"


def test_the_call_edit_page(client, flow, officer, department, leader):
    task = flow.ordered(assignment_mode=AssignmentMode.SELECTION)
    call = draft_call(officer, department, task)
    url = reverse("projects:call_edit", args=[call.public_id])
    client.force_login(leader)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    assert url in client.get(call.get_absolute_url()).content.decode()
    form = client.get(url).context["form"]
    assert form.initial["tasks"] == [task.pk]
    response = client.post(
        url, {"title": "Tuyển chọn mới", "description": "Mô tả", "deadline": "20/04/2026 17:00", "tasks": [task.pk]}
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.title, call.description) == ("Tuyển chọn mới", "Mô tả")
    services.call_publish(actor=officer, call=call)
    assert client.get(url).status_code == 403
    assert url not in client.get(call.get_absolute_url()).content.decode()


# TRANCHES AND DELIVERABLES ----------------------------------------------------------------------
def test_a_tranche_is_added_through_the_task_page(client, flow, officer):
    task = flow.assigned()
    state = services.state_budget_of(task)
    services.contract_sign(
        actor=officer,
        task=task,
        number="02/HĐ",
        signed_on=dt.date(2026, 3, 2),
        total=state,
        starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2027, 12, 31),
        tranches=[{"planned_amount": state // 2}],
    )
    client.force_login(officer)
    url = reverse("projects:task_action", args=[task.public_id, "tranche"])
    assert url in client.get(task.get_absolute_url()).content.decode()
    over = client.post(url, {"planned_amount": state, "condition": "Nghiệm thu"})
    assert over.status_code == 200 and "planned_amount" in over.context["form"].errors
    response = client.post(
        url, {"planned_amount": state - state // 2, "condition": "Nghiệm thu", "due_on": "01/12/2027"}
    )
    assert response.status_code == 302
    second = task.contract.tranches.get(sequence=2)
    assert (second.planned_amount, second.condition, second.due_on) == (
        state - state // 2,
        "Nghiệm thu",
        dt.date(2027, 12, 1),
    )


def test_a_deliverable_is_delivered_through_the_task_page(client, flow, officer, leader, outsider):
    task = flow.in_progress()
    deliverable = services.deliverable_add(
        actor=officer, task=task, name="Báo cáo khảo sát", due_on=dt.date(2026, 6, 30)
    )
    url = reverse("projects:deliverable_deliver", args=[task.public_id, deliverable.pk])
    client.force_login(officer)
    assert url in client.get(task.get_absolute_url()).content.decode()
    future = client.post(url, {"delivered_on": "11/03/2026"})
    assert future.status_code == 200 and "delivered_on" in future.context["form"].errors
    response = client.post(url, {"delivered_on": "09/03/2026"})
    assert response.status_code == 302 and response["Location"].endswith("#deliverables")
    deliverable.refresh_from_db()
    assert deliverable.delivered_on == dt.date(2026, 3, 9)
    assert client.get(reverse("projects:deliverable_deliver", args=[task.public_id, 999999])).status_code == 404
    client.force_login(leader)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_statuses_never_change_through_an_edit(flow, officer):
    task = flow.in_progress()
    services_edit.task_update(actor=officer, task=task, title="Mới")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS
