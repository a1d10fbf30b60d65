"""A task's acceptance council over the API: formed from the task, scored by its members with their
own tokens, closed, and its outcome carried back to the task (safe to repeat)."""

import pytest
from django.test import Client

from opendost.accounts.roles import Role
from opendost.api.services import api_token_create
from opendost.councils import services as council_services
from opendost.councils.enums import CouncilPurpose, Vote
from opendost.projects.enums import AcceptanceLevel, Classification, TaskStatus
from tests.factories import UserFactory
from tests.projects.test_councils_flow import ACCEPTANCE_ROLES, seat, to_scoring

pytestmark = pytest.mark.django_db


def api_for(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='test')[1]}"})


@pytest.fixture
def submitted_task(flow):
    return flow.submitted()


def test_an_acceptance_council_formed_scored_and_recorded_over_the_api(officer, submitted_task):
    task = submitted_task
    officer_api = api_for(officer)

    response = officer_api.post(
        f"/api/v1/projects/tasks/{task.public_id}/councils",
        {"level": AcceptanceLevel.PROVINCIAL, "meeting_on": "2026-03-02"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    formed = response.json()
    assert (formed["purpose"], formed["items"]) == (CouncilPurpose.ACCEPTANCE_PROVINCIAL, 1)
    from opendost.councils.models import Council

    council = Council.objects.get(public_id=formed["public_id"])
    members = seat(officer, council, ACCEPTANCE_ROLES)
    to_scoring(officer, council)
    item = council.items.get()
    for member in members:
        scores = {c.code: c.max_score for c in council.criteria.all()}
        answer = api_for(member.user).post(
            f"/api/v1/councils/{council.public_id}/items/{item.public_id}/sheet",
            {"scores": scores, "vote": Vote.EXCELLENT},
            content_type="application/json",
        )
        assert answer.status_code == 200, answer.content
    council_services.council_close(actor=officer, council=council)  # on_commit does not run in this test

    applied = officer_api.post(f"/api/v1/projects/councils/{council.public_id}/apply")
    again = officer_api.post(f"/api/v1/projects/councils/{council.public_id}/apply")

    assert applied.status_code == 200 and applied.json()["pending"] == []
    assert len(applied.json()["recorded"]) == 1 and again.json()["recorded"] == []
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED
    assert task.acceptances.get().classification == Classification.EXCELLENT


def test_forming_a_council_keeps_the_rules_of_the_api(officer, outsider, applicant, submitted_task, flow):
    task = submitted_task
    path = f"/api/v1/projects/tasks/{task.public_id}/councils"
    body = {"level": AcceptanceLevel.PROVINCIAL}

    assert api_for(outsider).post(path, body, content_type="application/json").status_code == 404
    assert api_for(applicant).post(path, body, content_type="application/json").status_code in {403, 404}
    assert Client().post(path, body, content_type="application/json").status_code == 401
    assert api_for(officer).post(path, body, content_type="application/json").status_code == 201
    twice = api_for(officer).post(path, body, content_type="application/json")  # already before a council
    assert twice.status_code in {409, 422}, twice.content
    assert api_for(officer).post(path, {"level": "nonsense"}, content_type="application/json").status_code == 422
    leader = UserFactory(role=Role.INSPECTOR, department=task.department)
    assert api_for(leader).post(path, body, content_type="application/json").status_code == 403
