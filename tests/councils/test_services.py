"""Every service rule and error, the transitions, conflicts and the stored outcome."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from opendost.audit.models import AuditEvent
from opendost.councils import selectors, services
from opendost.councils.enums import CouncilPurpose, CouncilStatus, MemberRole, OutcomeResult
from opendost.councils.models import Council, CouncilItem, Outcome, ScoreSheet
from opendost.councils.signals import council_closed
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.models import TransitionLog
from tests.councils.factories import build_council, expert, full_scores, member_user, to_scoring
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
R = MemberRole


def messages_of(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# COUNCILS -----------------------------------------------------------------------------------------
@time_machine.travel("2026-03-02 09:00 +07:00", tick=False)
def test_create_picks_the_rule_set_in_force_and_copies_its_criteria(officer):
    council = services.council_create(
        actor=officer, department=officer.department, purpose=CouncilPurpose.SELECTION, name="  Hội đồng  tuyển chọn "
    )
    assert council.name == "Hội đồng tuyển chọn"
    assert council.rules_version == "law_2025_selection"
    assert council.status == CouncilStatus.FORMING
    assert list(council.criteria.values_list("code", flat=True)) == ["TC1", "TC2", "TC3", "TC4", "TC5"]
    assert sum(council.criteria.values_list("max_score", flat=True)) == 100
    assert AuditEvent.objects.filter(object_id=str(council.pk), action="create").exists()


def test_create_refuses_a_rule_set_that_does_not_fit_the_purpose(officer):
    with pytest.raises(ValidationError) as exc:
        services.council_create(
            actor=officer,
            department=officer.department,
            purpose=CouncilPurpose.SELECTION,
            name="X",
            rules_version="tt11_2014_acceptance",
        )
    assert "rules_version" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.council_create(
            actor=officer, department=officer.department, purpose="nope", name="", rules_version="unknown"
        )
    assert set(exc.value.error_dict) == {"name", "purpose"}


def test_create_needs_the_permission_in_the_jurisdiction(officer, outsider, inspector):
    for user in (outsider, inspector):
        with pytest.raises(PermissionDenied):
            services.council_create(
                actor=user, department=officer.department, purpose=CouncilPurpose.OTHER, name="Hội đồng"
            )


def test_update_fixes_the_rule_set_once_convened(officer):
    built = build_council(officer)
    services.council_update(actor=officer, council=built.council, rules_version="law_2025_acceptance")
    services.council_transition(actor=officer, council=built.council, name="convene")
    with pytest.raises(ValidationError) as exc:
        services.council_update(actor=officer, council=built.council, rules_version="tt11_2014_acceptance")
    assert "rules_version" in exc.value.error_dict
    council = services.council_update(actor=officer, council=built.council, meeting_place="Phòng họp tầng 3")
    assert council.meeting_place == "Phòng họp tầng 3"


# MEMBERS ------------------------------------------------------------------------------------------
def test_a_person_sits_once_and_the_council_has_one_chair(officer):
    built = build_council(officer, roles=[R.CHAIR])
    chair = built.members[0]
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=officer, council=built.council, person=chair.person, role=R.MEMBER)
    assert "already sits" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=officer, council=built.council, person=expert(officer.department), role=R.CHAIR)
    assert "already has a chair" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.member_add(
            actor=officer, council=built.council, person=expert(officer.department), role=R.MEMBER, user=chair.user
        )
    assert "already linked" in messages_of(exc)


def test_only_experts_of_the_department_register_sit(officer, other_department):
    built = build_council(officer, roles=[])
    from tests.subjects.factories import PersonFactory

    with pytest.raises(ValidationError) as exc:
        services.member_add(
            actor=officer, council=built.council, person=PersonFactory(department=officer.department), role=R.MEMBER
        )
    assert "expert register" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=officer, council=built.council, person=expert(other_department), role=R.MEMBER)
    assert "department's register" in messages_of(exc)


def test_members_change_only_while_forming(officer):
    built = build_council(officer)
    services.council_transition(actor=officer, council=built.council, name="convene")
    with pytest.raises(ValidationError):
        services.member_add(actor=officer, council=built.council, person=expert(officer.department), role=R.MEMBER)
    with pytest.raises(ValidationError):
        services.member_remove(actor=officer, member=built.members[-1])


def test_member_remove_is_audited(officer):
    built = build_council(officer)
    member = built.members[-1]
    pk = member.pk
    services.member_remove(actor=officer, member=member)
    assert not built.council.members.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(pk)).exists()


def test_new_members_and_items_are_assigned_to_each_other_by_default(officer):
    built = build_council(officer, items=("A", "B"))
    late = services.item_add(actor=officer, council=built.council, title="C")
    assert late.assignments.count() == len(built.members)
    assert built.members[0].assignments.count() == 3


# ITEMS --------------------------------------------------------------------------------------------
def test_item_for_a_record_of_another_app_keeps_a_title_snapshot(officer, other_department):
    built = build_council(officer, items=())
    organization = OrganizationFactory(department=officer.department, name="Viện Nghiên cứu Rau quả")
    item = services.item_add(actor=officer, council=built.council, subject=organization)
    assert item.subject == organization and item.title == "Viện Nghiên cứu Rau quả"
    with pytest.raises(ValidationError) as exc:
        services.item_add(actor=officer, council=built.council, subject=organization)
    assert "already before the council" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.item_add(
            actor=officer, council=built.council, subject=OrganizationFactory(department=other_department)
        )
    assert "another department" in messages_of(exc)
    with pytest.raises(ValidationError):
        services.item_add(actor=officer, council=built.council, title="   ")


def test_hooks_find_the_councils_and_the_outcome_of_a_subject(officer, outsider):
    organization = OrganizationFactory(department=officer.department)
    built = build_council(officer, rules="definition_vote", roles=[R.CHAIR, R.MEMBER, R.MEMBER], items=())
    item = services.item_add(actor=officer, council=built.council, subject=organization)
    assert list(selectors.councils_of(organization)) == [built.council]
    assert selectors.council_for(organization, purpose=CouncilPurpose.TASK_DEFINITION) == built.council
    assert services.council_for(organization) == built.council
    assert list(selectors.councils_of(organization, user=outsider)) == []
    assert selectors.outcome_for(organization) is None
    to_scoring(built, officer)
    for member in built.members:
        services.score_submit(
            actor=member.user, member=member, item=item, scores=full_scores(built.council, 5), vote="approve"
        )
    services.council_close(actor=officer, council=built.council)
    assert selectors.outcome_for(organization).result == OutcomeResult.APPROVED


def test_an_item_with_sheets_cannot_be_removed(officer):
    built = build_council(officer, items=("A",))
    services.item_remove(actor=officer, item=services.item_add(actor=officer, council=built.council, title="B"))
    assert list(built.council.items.values_list("title", flat=True)) == ["A"]


# ASSIGNMENTS --------------------------------------------------------------------------------------
def test_assign_sets_exactly_the_items_and_keeps_scored_ones(officer):
    built = build_council(officer, items=("A", "B"))
    member = built.members[0]
    services.assign(actor=officer, member=member, items=[built.items[1]])
    assert list(member.assignments.values_list("item__title", flat=True)) == ["B"]
    services.assign(actor=officer, member=member)
    assert member.assignments.count() == 2
    to_scoring(built, officer)
    services.score_submit(
        actor=member.user, member=member, item=built.items[0], scores=full_scores(built.council), vote="pass"
    )
    with pytest.raises(ValidationError) as exc:
        services.assign(actor=officer, member=member, items=[built.items[1]])
    assert "already scored" in messages_of(exc)
    other = build_council(officer, items=("Z",))
    with pytest.raises(ValidationError):
        services.assign(actor=officer, member=member, items=other.items)


# CRITERIA -----------------------------------------------------------------------------------------
def test_criterion_rules(officer):
    built = build_council(officer, with_default_criteria=False)
    council = built.council
    services.criterion_add(actor=officer, council=council, code="K1", name="Tính mới", max_score=20, weight=2)
    with pytest.raises(ValidationError) as exc:
        services.criterion_add(actor=officer, council=council, code="K1", name="", max_score=0, weight=Decimal("-1"))
    assert set(exc.value.error_dict) == {"code", "name", "max_score", "weight"}
    with pytest.raises(ValidationError):
        services.criterion_add(actor=officer, council=council, code="bad code!", name="X", max_score=5)
    assert services.criteria_apply_template(actor=officer, council=council) == 3
    assert services.criteria_apply_template(actor=officer, council=council) == 0
    services.criterion_remove(actor=officer, criterion=council.criteria.get(code="K1"))
    assert council.criteria.count() == 3


# TRANSITIONS --------------------------------------------------------------------------------------
def test_convene_needs_a_chair(officer):
    roles = [R.VICE_CHAIR, R.REVIEWER, R.REVIEWER, R.SECRETARY, R.MEMBER]
    built = build_council(officer, roles=roles)
    with pytest.raises(ValidationError) as exc:
        services.council_transition(actor=officer, council=built.council, name="convene")
    assert "exactly one chair" in messages_of(exc)
    assert Council.objects.get(pk=built.council.pk).status == CouncilStatus.FORMING


def test_convene_needs_the_secretary_and_two_reviewers_for_acceptance(officer):
    built = build_council(officer, roles=[R.CHAIR, R.REVIEWER, R.MEMBER])
    with pytest.raises(ValidationError) as exc:
        services.council_transition(actor=officer, council=built.council, name="convene")
    text = messages_of(exc)
    assert "the reviewers: 2, the council has 1" in text and "the scientific secretary: 1" in text


def test_convene_needs_items_and_criteria_for_selection(officer):
    built = build_council(
        officer,
        rules="tt20_2023_selection",
        roles=[R.CHAIR, R.REVIEWER, R.REVIEWER],
        items=(),
        with_default_criteria=False,
    )
    with pytest.raises(ValidationError) as exc:
        services.council_transition(actor=officer, council=built.council, name="convene")
    assert "at least one item" in messages_of(exc) and "add at least one" in messages_of(exc)


def test_a_definition_council_convenes_with_a_chair_only(officer):
    built = build_council(officer, rules="definition_vote", roles=[R.CHAIR, R.MEMBER])
    services.council_transition(actor=officer, council=built.council, name="convene")
    assert built.council.status == CouncilStatus.CONVENED


def test_every_transition_is_logged(officer):
    built = build_council(officer)
    council = to_scoring(built, officer)
    assert council.status == CouncilStatus.SCORING
    for member in built.members:
        services.score_submit(
            actor=member.user, member=member, item=built.items[0], scores=full_scores(council), vote="pass"
        )
    services.council_transition(actor=officer, council=council, name="close")
    council.refresh_from_db()
    assert council.status == CouncilStatus.CLOSED and council.closed_at is not None
    names = list(TransitionLog.objects.filter(object_id=str(council.pk)).values_list("name", flat=True))
    assert names == ["convene", "open_scoring", "close"]


def test_cancel_needs_a_reason_and_ends_the_council(officer):
    built = build_council(officer)
    with pytest.raises(ValidationError):
        services.council_transition(actor=officer, council=built.council, name="cancel")
    services.council_transition(actor=officer, council=built.council, name="cancel", note="Đổi thành phần")
    assert built.council.status == CouncilStatus.CANCELLED
    with pytest.raises(TransitionNotAllowed):
        services.council_transition(actor=officer, council=built.council, name="convene")


def test_transitions_need_the_permission(officer, inspector, outsider):
    built = build_council(officer)
    for user in (inspector, outsider):
        with pytest.raises(PermissionDenied):
            services.council_transition(actor=user, council=built.council, name="convene")


def test_a_closed_council_cannot_be_closed_again(officer):
    built = build_council(officer, rules="definition_vote", roles=[R.CHAIR], items=("A",))
    council = to_scoring(built, officer)
    member = built.members[0]
    services.score_submit(
        actor=member.user, member=member, item=built.items[0], scores=full_scores(council), vote="approve"
    )
    services.council_close(actor=officer, council=council)
    with pytest.raises(TransitionNotAllowed):
        services.council_close(actor=officer, council=council)
    assert Outcome.objects.filter(council=council).count() == 1


# CONFLICTS AND SHEETS -----------------------------------------------------------------------------
def test_a_declared_conflict_blocks_scoring_and_withdraws_a_sheet(officer):
    built = build_council(officer)
    council = to_scoring(built, officer)
    member, item = built.members[3], built.items[0]
    services.score_submit(actor=member.user, member=member, item=item, scores=full_scores(council), vote="pass")
    with pytest.raises(ValidationError) as exc:
        services.conflict_declare(actor=member.user, member=member, item=item, has_conflict=True)
    assert "note" in exc.value.error_dict
    services.conflict_declare(
        actor=member.user, member=member, item=item, has_conflict=True, note="Tôi là cộng tác viên của đề tài"
    )
    assert not ScoreSheet.objects.filter(member=member, item=item).exists()
    with pytest.raises(ValidationError) as exc:
        services.score_submit(actor=member.user, member=member, item=item, scores=full_scores(council), vote="pass")
    assert exc.value.code == "conflict"


def test_a_conflicted_member_does_not_count(officer):
    built = build_council(officer)
    council = to_scoring(built, officer)
    item = built.items[0]
    conflicted = built.members[-1]
    services.conflict_declare(actor=officer, member=conflicted, item=item, has_conflict=True, note="Cùng cơ quan")
    for member in built.members[:-1]:
        services.score_submit(
            actor=member.user, member=member, item=item, scores=full_scores(council), vote="excellent"
        )
    outcome = services.council_close(actor=officer, council=council)[0]
    assert outcome.details["voters"] == 6 and outcome.details["conflicted"] == 1
    assert outcome.result == OutcomeResult.EXCELLENT
    assert "1 not voting for a conflict of interest" in outcome.explanation


def test_score_submit_refusals(officer):
    built = build_council(officer, items=("A", "B"))
    council = built.council
    member, item = built.members[0], built.items[0]
    scores = full_scores(council)
    with pytest.raises(ValidationError) as exc:
        services.score_submit(actor=member.user, member=member, item=item, scores=scores, vote="pass")
    assert exc.value.code == "wrong_state"
    to_scoring(built, officer)
    services.assign(actor=officer, member=member, items=[item])
    with pytest.raises(ValidationError) as exc:
        services.score_submit(actor=member.user, member=member, item=built.items[1], scores=scores, vote="pass")
    assert exc.value.code == "not_assigned"
    with pytest.raises(ValidationError) as exc:
        services.score_submit(
            actor=member.user, member=member, item=item, scores={"SP1": 31, "SP2": "abc", "XX": 1}, vote="approve"
        )
    errors = exc.value.message_dict
    assert errors["score_SP1"] == ["The score is from 0 to 30."]
    assert errors["score_SP2"] == ["Enter a number."]
    assert errors["score_BC"] == ["Score every criterion."]
    assert errors["scores"] == ["Unknown criterion: XX."]
    assert errors["vote"] == ["Choose your overall vote."]
    with pytest.raises(ValidationError) as exc:
        services.score_submit(actor=member.user, member=member, item=item, scores={**scores, "SP1": "-1"}, vote="pass")
    assert "score_SP1" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.score_submit(
            actor=member.user, member=member, item=item, scores={**scores, "SP1": "1.005"}, vote="pass"
        )
    assert exc.value.message_dict["score_SP1"] == ["Use at most two decimal places."]


def test_another_member_cannot_submit_for_a_member(officer):
    built = build_council(officer)
    to_scoring(built, officer)
    member, other = built.members[0], built.members[1]
    with pytest.raises(PermissionDenied):
        services.score_submit(
            actor=other.user, member=member, item=built.items[0], scores=full_scores(built.council), vote="pass"
        )


def test_an_absent_member_cannot_score(officer):
    built = build_council(officer)
    council = to_scoring(built, officer)
    member = built.members[-1]
    services.member_attendance_set(actor=officer, member=member, is_present=False)
    with pytest.raises(ValidationError) as exc:
        services.score_submit(
            actor=member.user, member=member, item=built.items[0], scores=full_scores(council), vote="pass"
        )
    assert exc.value.code == "absent"


def test_resubmission_is_allowed_until_closed_and_audited(officer):
    built = build_council(officer, rules="definition_vote", roles=[R.CHAIR], items=("A",))
    council = to_scoring(built, officer)
    member, item = built.members[0], built.items[0]
    services.score_submit(actor=member.user, member=member, item=item, scores=full_scores(council), vote="reject")
    sheet = services.score_submit(
        actor=member.user, member=member, item=item, scores=full_scores(council, 7), vote="approve", comment="Đồng ý"
    )
    assert sheet.revision == 2 and sheet.vote == "approve"
    assert set(sheet.scores.values_list("value", flat=True)) == {Decimal("7.00")}
    events = AuditEvent.objects.filter(object_id=str(sheet.pk), content_type__model="scoresheet").order_by("seq")
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].before["vote"] == "reject" and events[1].after["vote"] == "approve"
    services.council_close(actor=officer, council=council)
    with pytest.raises(ValidationError):
        services.score_submit(actor=member.user, member=member, item=item, scores=full_scores(council), vote="reject")


def test_an_officer_may_record_a_paper_sheet(officer):
    built = build_council(officer, with_users=False)
    council = to_scoring(built, officer)
    sheet = services.score_submit(
        actor=officer, member=built.members[0], item=built.items[0], scores=full_scores(council), vote="pass"
    )
    assert sheet.entered_by == officer


def test_a_selection_council_takes_no_vote(officer):
    built = build_council(officer, rules="tt20_2023_selection", roles=[R.CHAIR, R.REVIEWER, R.REVIEWER])
    council = to_scoring(built, officer)
    member = built.members[0]
    with pytest.raises(ValidationError) as exc:
        services.score_submit(
            actor=member.user, member=member, item=built.items[0], scores=full_scores(council), vote="pass"
        )
    assert "vote" in exc.value.error_dict


# CLOSING ------------------------------------------------------------------------------------------
def test_close_refuses_missing_sheets_and_changes_nothing(officer):
    built = build_council(officer)
    council = to_scoring(built, officer)
    with pytest.raises(ValidationError) as exc:
        services.council_close(actor=officer, council=council)
    assert "not submitted their sheets" in messages_of(exc)
    assert Council.objects.get(pk=council.pk).status == CouncilStatus.SCORING
    assert not Outcome.objects.exists()


def test_close_stores_the_selection_ranking_and_sends_the_signal(officer, django_capture_on_commit_callbacks):
    built = build_council(
        officer, rules="tt20_2023_selection", roles=[R.CHAIR, R.REVIEWER, R.REVIEWER], items=("Hồ sơ 1", "Hồ sơ 2")
    )
    council = to_scoring(built, officer)
    for member in built.members:
        services.score_submit(actor=member.user, member=member, item=built.items[0], scores=full_scores(council))
        services.score_submit(
            actor=member.user,
            member=member,
            item=built.items[1],
            scores={c: v * 0.8 for c, v in full_scores(council).items()},
        )
    received = []
    council_closed.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="test")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            outcomes = services.council_close(actor=officer, council=council)
    finally:
        council_closed.disconnect(dispatch_uid="test")
    by_title = {o.item.title: o for o in outcomes}
    assert by_title["Hồ sơ 1"].result == OutcomeResult.SELECTED and by_title["Hồ sơ 1"].rank == 1
    assert by_title["Hồ sơ 2"].result == OutcomeResult.PASS and by_title["Hồ sơ 2"].mean_score == Decimal("80.00")
    assert received and received[0]["council"] == council
    rows = selectors.council_outcome(council)
    assert all(row.is_final for row in rows)


def test_absent_members_are_not_counted_and_can_break_the_quorum(officer):
    built = build_council(officer)  # 7 members: quorum 5
    council = to_scoring(built, officer)
    for member in built.members[-3:]:
        services.member_attendance_set(actor=officer, member=member, is_present=False)
    for member in built.members[:4]:
        services.score_submit(
            actor=member.user, member=member, item=built.items[0], scores=full_scores(council), vote="pass"
        )
    outcome = services.council_close(actor=officer, council=council)[0]
    assert outcome.result == OutcomeResult.NO_QUORUM
    assert outcome.explanation.startswith("4 of 7 present (quorum 5): No quorum")


def test_attendance_is_recorded_only_during_the_meeting(officer):
    built = build_council(officer)
    with pytest.raises(ValidationError):
        services.member_attendance_set(actor=officer, member=built.members[0], is_present=False)


def test_items_cannot_be_added_once_scoring(officer):
    built = build_council(officer)
    to_scoring(built, officer)
    with pytest.raises(ValidationError):
        services.item_add(actor=officer, council=built.council, title="Muộn")
    assert CouncilItem.objects.filter(council=built.council).count() == 1


def test_another_member_of_the_department_is_not_a_member_of_the_council(officer):
    built = build_council(officer)
    stranger = member_user(officer.department)
    with pytest.raises(PermissionDenied):
        services.conflict_declare(actor=stranger, member=built.members[0], item=built.items[0], has_conflict=False)
