"""The rule sets as pure functions: boundary cases of every threshold (exact fractions, no rounding)."""

from fractions import Fraction

import pytest

from opendost.councils.enums import CouncilPurpose, MemberRole, OutcomeResult
from opendost.councils.rules import (
    RULE_SETS,
    CriterionData,
    ItemTally,
    SheetData,
    default_rule_set,
    explain,
    rule_set_get,
    rule_sets_for,
    weighted_total,
)

R = MemberRole
FULL_ACCEPTANCE = (R.CHAIR, R.VICE_CHAIR, R.REVIEWER, R.REVIEWER, R.SECRETARY)


def roles(n, base=FULL_ACCEPTANCE):
    return tuple(base) + (R.MEMBER,) * (n - len(base))


def vote_tally(votes, *, members=None, present_roles=None, conflicted=0, item_id=1):
    n = len(votes)
    members = members or n
    present_roles = present_roles if present_roles is not None else roles(max(n, 5))[: max(n, 5)]
    return ItemTally(
        item_id=item_id,
        members=members,
        present=len(present_roles),
        present_roles=tuple(present_roles),
        voters=n,
        conflicted=conflicted,
        sheets=tuple(SheetData(i, v) for i, v in enumerate(votes)),
    )


def acceptance(votes, **kwargs):
    return RULE_SETS["tt11_2014_acceptance"].compute([vote_tally(votes, **kwargs)])[0]


# ACCEPTANCE ---------------------------------------------------------------------------------------
def test_exactly_three_quarters_excellent_and_no_fail_is_excellent():
    result = acceptance(["excellent"] * 6 + ["pass"] * 2)  # 6/8 = 3/4
    assert result.result == OutcomeResult.EXCELLENT


def test_just_under_three_quarters_excellent_is_pass():
    result = acceptance(["excellent"] * 5 + ["pass"] * 2)  # 5/7 < 3/4
    assert result.result == OutcomeResult.PASS


def test_three_quarters_excellent_with_one_fail_is_not_excellent():
    result = acceptance(["excellent"] * 7 + ["fail"])
    assert result.result == OutcomeResult.PASS


def test_exactly_one_third_fail_passes():
    result = acceptance(["fail"] * 3 + ["pass"] * 6)  # 3/9 = 1/3: not more than a third
    assert result.result == OutcomeResult.PASS


def test_more_than_one_third_fail_fails():
    # domain-procedures §5.5: 7 present, 3 Không đạt -> fail; 2 -> Đạt.
    assert acceptance(["fail"] * 3 + ["pass"] * 4).result == OutcomeResult.FAIL
    assert acceptance(["fail"] * 2 + ["pass"] * 5).result == OutcomeResult.PASS


def test_quorum_exactly_two_thirds_is_enough():
    result = acceptance(["pass"] * 6, members=9)
    assert result.details["quorum"] == 6
    assert result.result == OutcomeResult.PASS


def test_below_two_thirds_has_no_quorum():
    result = acceptance(["pass"] * 5, members=9)
    assert result.result == OutcomeResult.NO_QUORUM


def test_missing_chair_and_vice_chair_has_no_quorum():
    present = (R.REVIEWER, R.REVIEWER, R.SECRETARY, R.MEMBER, R.MEMBER, R.MEMBER)
    result = acceptance(["pass"] * 6, members=7, present_roles=present)
    assert result.result == OutcomeResult.NO_QUORUM
    assert result.details["missing_roles"] == [{"key": "chair_or_vice_chair", "needed": 1, "found": 0}]
    assert "missing: the chair or vice-chair (0 of 1)" in explain(result.details)


def test_vice_chair_replaces_the_chair():
    present = (R.VICE_CHAIR, R.REVIEWER, R.REVIEWER, R.SECRETARY, R.MEMBER)
    assert acceptance(["pass"] * 5, members=7, present_roles=present).result == OutcomeResult.PASS


def test_acceptance_needs_both_reviewers_and_the_secretary():
    present = (R.CHAIR, R.REVIEWER, R.SECRETARY, R.MEMBER, R.MEMBER)
    result = acceptance(["pass"] * 5, members=7, present_roles=present)
    assert result.result == OutcomeResult.NO_QUORUM
    present = (R.CHAIR, R.REVIEWER, R.REVIEWER, R.MEMBER, R.MEMBER)
    assert acceptance(["pass"] * 5, members=7, present_roles=present).result == OutcomeResult.NO_QUORUM


def test_explanation_reads_like_the_minutes():
    result = acceptance(["excellent"] * 2 + ["pass"] * 6, members=9)
    assert explain(result.details) == "8 of 9 present (quorum 6): Pass — 2 excellent, 6 pass, 0 fail"


def test_the_2025_acceptance_variant_shares_the_logic_but_not_the_dates():
    old, new = rule_set_get("tt11_2014_acceptance"), rule_set_get("law_2025_acceptance")
    assert new.compute([vote_tally(["excellent"] * 6 + ["pass"] * 2)])[0].result == OutcomeResult.EXCELLENT
    assert old.effective_to < new.effective_from
    assert new.provisional and not old.provisional


# SELECTION ----------------------------------------------------------------------------------------
CRITERIA = (CriterionData("A", 50), CriterionData("B", 50))
SELECTION_ROLES = (R.CHAIR, R.REVIEWER, R.REVIEWER, R.MEMBER)


def selection_tally(sheets, *, item_id=1, members=None, group="", present_roles=SELECTION_ROLES, criteria=CRITERIA):
    n = len(sheets)
    return ItemTally(
        item_id=item_id,
        members=members or n,
        present=len(present_roles),
        present_roles=present_roles,
        voters=n,
        conflicted=0,
        sheets=tuple(SheetData(i, "", {k: Fraction(v) for k, v in s.items()}) for i, s in enumerate(sheets)),
        criteria=criteria,
        group=group,
    )


def select(*tallies):
    return {r.item_id: r for r in RULE_SETS["tt20_2023_selection"].compute(tallies)}


def test_weighted_total_is_on_a_100_point_scale():
    criteria = (CriterionData("A", 10, Fraction(2)), CriterionData("B", 20, Fraction(1)))
    # (5·2 + 20·1) / (10·2 + 20·1) × 100 = 75
    assert weighted_total({"A": Fraction(5), "B": Fraction(20)}, criteria) == 75


def test_mean_of_seventy_passes_and_the_highest_is_selected():
    results = select(
        selection_tally([{"A": 35, "B": 35}] * 4, item_id=1),
        selection_tally([{"A": 40, "B": 40}] * 4, item_id=2),
        selection_tally([{"A": 34, "B": 35}] * 4, item_id=3),
    )
    assert results[2].result == OutcomeResult.SELECTED and results[2].rank == 1
    assert results[1].result == OutcomeResult.PASS and results[1].rank == 2
    assert results[1].mean_score == 70
    assert results[3].result == OutcomeResult.FAIL and results[3].rank is None


def test_a_criterion_zeroed_by_more_than_a_quarter_fails_the_item():
    # 8 sheets, 2 zero B (= 1/4): still passes; 3 zero B (> 1/4): fails whatever the mean.
    good = {"A": 50, "B": 50}
    two = [{"A": 50, "B": 0}] * 2 + [good] * 6
    three = [{"A": 50, "B": 0}] * 3 + [good] * 5
    results = select(selection_tally(two, item_id=1), selection_tally(three, item_id=2, group="other"))
    assert results[1].details["zeroed_criteria"] == []
    assert results[2].details["zeroed_criteria"] == ["B"]
    assert results[2].result == OutcomeResult.FAIL


def test_a_sheet_deviating_more_than_a_fifth_from_the_mean_is_invalid():
    sheets = [{"A": 40, "B": 40}] * 4 + [{"A": 10, "B": 10}]  # totals 80×4, 20: mean 68, 20 is invalid
    result = select(selection_tally(sheets))[1]
    assert result.details["invalid_sheets"] == 1
    assert result.mean_score == 80
    assert result.result == OutcomeResult.SELECTED


def test_a_tie_for_first_place_selects_nobody_and_says_so():
    results = select(
        selection_tally([{"A": 40, "B": 40}] * 4, item_id=1), selection_tally([{"A": 40, "B": 40}] * 4, item_id=2)
    )
    assert {r.result for r in results.values()} == {OutcomeResult.PASS}
    assert all(r.rank == 1 and r.details["tied_first"] for r in results.values())
    assert "tied for first place" in explain(results[1].details)


def test_items_are_ranked_within_their_group():
    results = select(
        selection_tally([{"A": 40, "B": 40}] * 4, item_id=1, group="task-1"),
        selection_tally([{"A": 45, "B": 45}] * 4, item_id=2, group="task-2"),
    )
    assert results[1].result == results[2].result == OutcomeResult.SELECTED


def test_selection_quorum_needs_both_reviewers():
    result = select(selection_tally([{"A": 40, "B": 40}] * 4, present_roles=(R.CHAIR, R.REVIEWER, R.MEMBER, R.MEMBER)))
    assert result[1].result == OutcomeResult.NO_QUORUM


# DEFINITION VOTE ----------------------------------------------------------------------------------
def definition(votes, key="definition_vote", **kwargs):
    kwargs.setdefault("present_roles", (R.CHAIR,) + (R.MEMBER,) * (len(votes) - 1))
    return RULE_SETS[key].compute([vote_tally(votes, **kwargs)])[0]


def test_simple_majority_approves_and_a_tie_rejects():
    assert definition(["approve"] * 4 + ["reject"] * 3).result == OutcomeResult.APPROVED
    assert definition(["approve"] * 3 + ["reject"] * 3).result == OutcomeResult.REJECTED


def test_the_ministry_model_needs_more_than_three_quarters():
    present = (R.CHAIR, R.REVIEWER, R.REVIEWER, R.MEMBER, R.MEMBER, R.MEMBER, R.MEMBER, R.MEMBER)
    six = ["approve"] * 6 + ["reject"] * 2  # exactly 3/4: not more
    seven = ["approve"] * 7 + ["reject"]
    assert definition(six, key="tt33_2014_definition", present_roles=present).result == OutcomeResult.REJECTED
    assert definition(seven, key="tt33_2014_definition", present_roles=present).result == OutcomeResult.APPROVED


def test_definition_quorum_is_two_thirds():
    assert definition(["approve"] * 5, members=9).result == OutcomeResult.NO_QUORUM
    assert definition(["approve"] * 6, members=9).result == OutcomeResult.APPROVED


# REGISTRY -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("purpose", "day", "key"),
    [
        (CouncilPurpose.ACCEPTANCE_PROVINCIAL, "2025-06-01", "tt11_2014_acceptance"),
        (CouncilPurpose.ACCEPTANCE_PROVINCIAL, "2026-01-05", "law_2025_acceptance"),
        (CouncilPurpose.SELECTION, "2024-03-01", "tt20_2023_selection"),
        (CouncilPurpose.SELECTION, "2025-10-01", "law_2025_selection"),
        (CouncilPurpose.TASK_DEFINITION, "2025-09-30", "definition_vote"),
        (CouncilPurpose.TASK_DEFINITION, "2025-10-01", "law_2025_definition"),
    ],
)
def test_the_default_rule_set_follows_the_regime_in_force(purpose, day, key):
    import datetime as dt

    assert default_rule_set(purpose, dt.date.fromisoformat(day)).key == key


def test_every_rule_set_is_frozen_data_with_dates():
    import dataclasses

    for rule_set in RULE_SETS.values():
        assert rule_set.key and rule_set.effective_from
        with pytest.raises(dataclasses.FrozenInstanceError):
            rule_set.quorum_fraction = Fraction(1, 2)
    assert {r.key for r in rule_sets_for(CouncilPurpose.OTHER)} == set(RULE_SETS)
