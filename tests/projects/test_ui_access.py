"""Every page of the projects URL conf, for each role, on real records: who gets 200 (or the
redirect after a POST), who 403 (allowed to see, not to do), who 404 (outside their records).

Roles: the host organisation's applicant (A), the department's officer (O), leader (L),
inspector (I), council member (C), and another department's officer (X).
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from opendost.accounts.roles import Role
from opendost.projects import council_links, services, urls
from opendost.projects.enums import AcceptanceLevel, AmendmentKind, AssignmentMode
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("A", "O", "L", "I", "C", "X")
PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture
def world(flow, department, officer, leader, applicant, outsider, host):
    """One record of each kind the pages show (built through the services)."""
    draft = services.proposal_create(
        actor=applicant, title="Bản nháp", problem="P", objectives="O", expected_results="R"
    )
    proposal = services.proposal_create(
        actor=applicant, title="Đề xuất", problem="P", objectives="O", expected_results="R", submit=True
    )
    proposal_round = services.round_create(actor=officer, department=department, year=2027, title="Đợt 2027")

    task = flow.in_progress()
    deliverable = services.deliverable_add(actor=officer, task=task, name="Báo cáo", due_on=dt.date(2026, 6, 30))
    report = services.progress_report_submit(
        actor=applicant,
        task=task,
        period_end=dt.date(2026, 3, 1),
        content="Khảo sát xong.",
        attachment=SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf"),
    )
    amendment = services.amendment_request(
        actor=officer, task=task, kind=AmendmentKind.EXTENSION, reason="Mùa vụ.", new_end_on=dt.date(2028, 3, 31)
    )
    council = council_links.acceptance_council_start(actor=officer, task=task, level=AcceptanceLevel.GRASSROOTS)

    done = flow.accepted(code="NV.DONE")
    result = services.result_add(actor=officer, task=done, title="Kết quả", abstract="Tóm tắt", year=2026)
    registration = services.result_registration_submit(actor=officer, result=result)
    unregistered = services.result_add(actor=officer, task=done, title="Kết quả 2", abstract="Tóm tắt", year=2026)

    selected_task = flow.ordered(assignment_mode=AssignmentMode.SELECTION, code="NV.SEL1")
    published = services.call_create(
        actor=officer,
        department=department,
        title="Tuyển chọn",
        deadline=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
        tasks=[selected_task],
    )
    services.call_publish(actor=officer, call=published)
    application = services.application_create(
        actor=applicant,
        call=published,
        task=selected_task,
        principal_investigator_name="Trần Văn Đức",
        proposal_text="Thuyết minh",
        budget_provincial=5,
        submit=True,
    )
    draft_call = services.call_create(
        actor=officer,
        department=department,
        title="Tuyển chọn đợt 2",
        deadline=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        tasks=[flow.ordered(assignment_mode=AssignmentMode.SELECTION, code="NV.SEL2")],
    )
    users = {
        "A": applicant,
        "O": officer,
        "L": leader,
        "I": UserFactory(role=Role.INSPECTOR, department=department),
        "C": UserFactory(role=Role.COUNCIL_MEMBER, department=department),
        "X": outsider,
    }
    return SimpleNamespace(**locals())


def expect(a, o, l, i, c, x) -> dict:  # noqa: E741 (the roles' letters)
    return dict(zip(ROLES, (a, o, l, i, c, x), strict=True))


STAFF_ONLY = expect(404, 200, 200, 404, 404, 404)  # a record the inspector's role does not cover
OFFICER_FORM = expect(404, 200, 403, 403, 404, 404)  # a record's form only the officer may use
OFFICER_FORM_NO_VIEW = expect(404, 200, 403, 404, 404, 404)
OWN_DEPARTMENT_FORM = expect(403, 200, 403, 403, 403, 200)  # a new record in the user's own department
APPLICANT_ONLY = expect(200, 404, 404, 404, 404, 404)

# (URL name, arguments from the world, method, POST data, expected status by role)
PAGES = [
    ("task_list", lambda w: [], "get", None, expect(403, 200, 200, 200, 403, 200)),
    ("task_export", lambda w: ["xlsx"], "get", None, expect(403, 200, 200, 403, 403, 200)),
    ("task_create", lambda w: [], "get", None, OWN_DEPARTMENT_FORM),
    ("task_detail", lambda w: [w.task.public_id], "get", None, expect(404, 200, 200, 200, 404, 404)),
    ("task_edit", lambda w: [w.task.public_id], "get", None, OFFICER_FORM),
    ("deliverable_deliver", lambda w: [w.task.public_id, w.deliverable.pk], "get", None, OFFICER_FORM),
    (
        "task_transition",
        lambda w: [w.task.public_id],
        "post",
        {"transition": "submit_for_acceptance"},
        expect(404, 302, 403, 403, 404, 404),
    ),
    ("task_action", lambda w: [w.task.public_id, "tranche"], "get", None, OFFICER_FORM),
    ("task_action", lambda w: [w.task.public_id, "report"], "get", None, OFFICER_FORM),
    ("task_action", lambda w: [w.task.public_id, "cancel"], "get", None, expect(404, 403, 200, 403, 404, 404)),
    ("amendment_decide", lambda w: [w.amendment.public_id], "get", None, expect(404, 403, 200, 403, 404, 404)),
    ("report_review", lambda w: [w.report.public_id], "get", None, OFFICER_FORM),
    ("report_attachment", lambda w: [w.report.public_id], "get", None, expect(200, 200, 200, 200, 404, 404)),
    ("council_start", lambda w: ["task", w.task.public_id], "get", None, OFFICER_FORM),
    ("council_apply", lambda w: [w.council.public_id], "post", {}, expect(404, 302, 403, 403, 404, 404)),
    (
        "result_registration_open",
        lambda w: [w.unregistered.public_id],
        "post",
        {},
        expect(404, 302, 403, 403, 404, 404),
    ),
    ("result_application_add", lambda w: [w.result.public_id], "get", None, OFFICER_FORM),
    ("registration_action", lambda w: [w.registration.public_id, "certify"], "get", None, OFFICER_FORM_NO_VIEW),
    ("proposal_list", lambda w: [], "get", None, expect(403, 200, 200, 403, 403, 200)),
    ("proposal_create", lambda w: [], "get", None, OWN_DEPARTMENT_FORM),
    ("proposal_detail", lambda w: [w.proposal.public_id], "get", None, STAFF_ONLY),
    ("proposal_edit", lambda w: [w.proposal.public_id], "get", None, OFFICER_FORM_NO_VIEW),
    ("round_create", lambda w: [], "get", None, OWN_DEPARTMENT_FORM),
    ("round_detail", lambda w: [w.proposal_round.public_id], "get", None, STAFF_ONLY),
    ("call_create", lambda w: [], "get", None, OWN_DEPARTMENT_FORM),
    ("call_detail", lambda w: [w.draft_call.public_id], "get", None, STAFF_ONLY),
    ("call_edit", lambda w: [w.draft_call.public_id], "get", None, OFFICER_FORM_NO_VIEW),
    ("application_detail", lambda w: [w.application.public_id], "get", None, STAFF_ONLY),
    ("my_home", lambda w: [], "get", None, APPLICANT_ONLY),
    ("my_proposal_create", lambda w: [], "get", None, APPLICANT_ONLY),
    ("my_proposal", lambda w: [w.draft.public_id], "get", None, APPLICANT_ONLY),
    ("my_proposal_edit", lambda w: [w.draft.public_id], "get", None, APPLICANT_ONLY),
    ("my_proposal_submit", lambda w: [w.draft.public_id], "post", {}, expect(302, 404, 404, 404, 404, 404)),
    ("my_apply", lambda w: [w.published.public_id], "get", None, APPLICANT_ONLY),
    ("my_application", lambda w: [w.application.public_id], "get", None, APPLICANT_ONLY),
    ("my_task", lambda w: [w.task.public_id], "get", None, APPLICANT_ONLY),
    ("my_report_submit", lambda w: [w.task.public_id], "post", {}, APPLICANT_ONLY),  # 200: the form's errors
    (
        "my_result_register",
        lambda w: [w.unregistered.public_id],
        "post",
        {},
        expect(302, 404, 404, 404, 404, 404),
    ),
]


CASES = [
    pytest.param(name, args, method, data, role, statuses[role], id=f"{name}-{n}-{role}")
    for n, (name, args, method, data, statuses) in enumerate(PAGES)
    for role in ROLES
]


@pytest.mark.parametrize(("name", "args", "method", "data", "role", "status"), CASES)
def test_each_page_answers_each_role_as_it_should(client, world, name, args, method, data, role, status):
    client.force_login(world.users[role])
    url = reverse(f"projects:{name}", args=args(world))
    response = client.post(url, data) if method == "post" else client.get(url)
    response.close()  # a file response holds the file open
    assert response.status_code == status


def test_every_page_of_the_url_conf_is_checked():
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == {page[0] for page in PAGES}


def test_an_applicant_of_another_organisation_gets_404_everywhere_on_our_records(client, world, other_applicant):
    client.force_login(other_applicant)
    for name, args in (
        ("my_task", [world.task.public_id]),
        ("my_proposal", [world.draft.public_id]),
        ("my_proposal_edit", [world.draft.public_id]),
        ("my_application", [world.application.public_id]),
        ("report_attachment", [world.report.public_id]),
        ("task_detail", [world.task.public_id]),
    ):
        assert client.get(reverse(f"projects:{name}", args=args)).status_code == 404, name
    assert client.post(reverse("projects:my_proposal_submit", args=[world.draft.public_id])).status_code == 404
    assert client.post(reverse("projects:my_result_register", args=[world.unregistered.public_id])).status_code == 404
