"""Councils built through the services (no status is ever written directly)."""

from types import SimpleNamespace

from opendost.accounts.roles import Role
from opendost.councils import services
from opendost.councils.enums import CouncilPurpose, MemberRole
from tests.factories import UserFactory
from tests.subjects.factories import PersonFactory

ACCEPTANCE_ROLES = [
    MemberRole.CHAIR,
    MemberRole.VICE_CHAIR,
    MemberRole.REVIEWER,
    MemberRole.REVIEWER,
    MemberRole.SECRETARY,
    MemberRole.MEMBER,
    MemberRole.MEMBER,
]
PURPOSE_OF = {
    "tt11_2014_acceptance": CouncilPurpose.ACCEPTANCE_PROVINCIAL,
    "law_2025_acceptance": CouncilPurpose.ACCEPTANCE_PROVINCIAL,
    "tt20_2023_selection": CouncilPurpose.SELECTION,
    "law_2025_selection": CouncilPurpose.SELECTION,
    "definition_vote": CouncilPurpose.TASK_DEFINITION,
    "tt33_2014_definition": CouncilPurpose.TASK_DEFINITION,
}


def expert(department, **kwargs):
    return PersonFactory(department=department, is_expert=True, **kwargs)


def member_user(department):
    return UserFactory(role=Role.COUNCIL_MEMBER, department=department)


def build_council(
    officer,
    *,
    rules="tt11_2014_acceptance",
    roles=None,
    items=("Đề tài A",),
    with_users=True,
    with_default_criteria=True,
    name="Hội đồng thử nghiệm",
):
    """A forming council of `officer`'s department with one member per role (each with an account)."""
    department = officer.department
    council = services.council_create(
        actor=officer,
        department=department,
        purpose=PURPOSE_OF[rules],
        name=name,
        rules_version=rules,
        with_default_criteria=with_default_criteria,
    )
    members = []
    for role in roles if roles is not None else ACCEPTANCE_ROLES:
        user = member_user(department) if with_users else None
        members.append(
            services.member_add(actor=officer, council=council, person=expert(department), role=role, user=user)
        )
    council_items = [services.item_add(actor=officer, council=council, title=title) for title in items]
    return SimpleNamespace(council=council, members=members, items=council_items)


def to_scoring(built, officer):
    services.council_transition(actor=officer, council=built.council, name="convene")
    services.council_transition(actor=officer, council=built.council, name="open_scoring")
    return built.council


def full_scores(council, value=None):
    """A score for every criterion (its maximum by default)."""
    return {c.code: (c.max_score if value is None else value) for c in council.criteria.all()}
