"""Council rule sets: quorum and outcome rules as versioned data (DESIGN rule 2, domain-procedures §5.4-5.5, §20).

A council stores the key of its rule set (`Council.rules_version`) and is judged by it for good. The
functions here are pure (no database): `services.council_close` and `selectors.council_outcome` build
the tallies and call `compute`.

All thresholds are exact fractions compared with integer arithmetic, never rounded ceilings:
"≥ 3/4 of n" is `4·count ≥ 3·n`, "> 1/3 of n" is `3·count > n`.

Sources:
- tt11_2014_acceptance: TT 11/2014/TT-BKHCN Art. 10 (quorum: ≥ 2/3 of members present including the chair
  or the authorised vice-chair, both reviewers and the scientific secretary) and Art. 13(2) (Xuất sắc if
  ≥ 3/4 of members present grade Xuất sắc and none Không đạt; Không đạt if > 1/3 grade Không đạt; else Đạt).
- tt20_2023_selection: TT 20/2023/TT-BKHCN Art. 10-11 (quorum ≥ 2/3 incl. chair or vice-chair and both
  reviewers; a sheet deviating > 20 % from the mean of all sheets is invalid; mean of valid sheets;
  winner = highest mean ≥ 70/100 with no criterion scored 0 by > 1/4 of the members present).
- definition_vote: a simple majority of the members present who have no conflict, quorum 2/3.
  tt33_2014_definition: the ministry model (> 3/4 of members present agree; chair or vice-chair and both
  reviewers present).
- law_2025_*: the same logic registered for councils under Luật 93/2025 (effective 01/10/2025). The new
  regime's own thresholds (NĐ 267/2025, TT 36/2025) were not verified: these sets are marked provisional
  and are the place to change them when the texts are read (domain-procedures §21).
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opendost.councils.enums import CouncilPurpose, MemberRole, OutcomeResult, Vote

ACCEPTANCE = "acceptance"
SELECTION = "selection"
VOTE = "vote"

LAW_2025_EFFECTIVE = dt.date(2025, 10, 1)
OLD_REGIME_END = dt.date(2025, 9, 30)


# INPUT AND OUTPUT OF A RULE SET ---------------------------------------------------------------------
@dataclass(frozen=True)
class RoleRequirement:
    key: str
    roles: tuple[str, ...]
    count: int = 1


@dataclass(frozen=True)
class CriterionTemplate:
    code: str
    name: str  # the council's working language is Vietnamese: criteria are data, not UI strings
    max_score: int
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class CriterionData:
    code: str
    max_score: int
    weight: Fraction = Fraction(1)


@dataclass(frozen=True)
class SheetData:
    member_id: int
    vote: str = ""
    scores: dict[str, Fraction] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemTally:
    """What the council did on one item.

    `members`: all members of the council; `present_roles`: the roles of the members present;
    `voters`: members present, assigned the item and without a conflict (the "n" of the rules);
    `sheets`: the sheets of those voters.
    """

    item_id: int
    members: int
    present: int
    present_roles: tuple[str, ...]
    voters: int
    conflicted: int
    sheets: tuple[SheetData, ...]
    criteria: tuple[CriterionData, ...] = ()
    group: str = ""


@dataclass(frozen=True)
class ItemResult:
    item_id: int
    result: str
    mean_score: Decimal | None = None
    rank: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


# THE RULE SET ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleSet:
    key: str
    name: Any
    kind: str
    legal_basis: str
    effective_from: dt.date
    effective_to: dt.date | None
    purposes: tuple[str, ...]
    quorum_fraction: Fraction = Fraction(2, 3)
    required_roles: tuple[RoleRequirement, ...] = ()
    vote_choices: tuple[str, ...] = ()
    needs_scores: bool = False
    excellent_fraction: Fraction = Fraction(3, 4)
    fail_fraction: Fraction = Fraction(1, 3)
    pass_mark: Fraction = Fraction(70)
    zero_fraction: Fraction = Fraction(1, 4)
    deviation_fraction: Fraction | None = Fraction(1, 5)
    approve_fraction: Fraction = Fraction(1, 2)
    default_criteria: tuple[CriterionTemplate, ...] = ()
    provisional: bool = False

    def compute(self, tallies: Sequence[ItemTally]) -> list[ItemResult]:
        return COMPUTE[self.kind](self, list(tallies))

    def quorum_required(self, members: int) -> int:
        """The smallest head count that is ≥ quorum_fraction of the members."""
        q = self.quorum_fraction
        return -(-q.numerator * members // q.denominator)

    def missing_roles(self, present_roles: Sequence[str]) -> list[dict[str, int | str]]:
        missing = []
        for requirement in self.required_roles:
            found = sum(1 for role in present_roles if role in requirement.roles)
            if found < requirement.count:
                missing.append({"key": requirement.key, "needed": requirement.count, "found": found})
        return missing

    def composition_problems(self, roles: Sequence[str]) -> list[dict[str, int | str]]:
        """The same check on the council's composition (before anyone is marked absent)."""
        return self.missing_roles(roles)

    def is_effective_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


def _at_least(count: int, fraction: Fraction, n: int) -> bool:
    return count * fraction.denominator >= fraction.numerator * n


def _more_than(count: int, fraction: Fraction, n: int) -> bool:
    return count * fraction.denominator > fraction.numerator * n


def _two_places(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


def _text(value: Fraction | None) -> str | None:
    number = _two_places(value)
    return None if number is None else str(number)


def _base(rule_set: RuleSet, tally: ItemTally) -> dict[str, Any]:
    missing = rule_set.missing_roles(tally.present_roles)
    quorum = rule_set.quorum_required(tally.members)
    details = {
        "kind": rule_set.kind,
        "rules": rule_set.key,
        "members": tally.members,
        "present": tally.present,
        "voters": tally.voters,
        "conflicted": tally.conflicted,
        "quorum": quorum,
        "missing_roles": missing,
        "has_quorum": tally.members > 0 and tally.voters >= quorum and not missing,
        "criteria": _criterion_means(tally),
    }
    return details


def _criterion_means(tally: ItemTally) -> dict[str, str]:
    means = {}
    for criterion in tally.criteria:
        values = [s.scores[criterion.code] for s in tally.sheets if criterion.code in s.scores]
        if values:
            means[criterion.code] = _text(sum(values, Fraction(0)) / len(values))
    return means


# ACCEPTANCE (TT 11/2014 Art. 13(2)) -----------------------------------------------------------------
def compute_acceptance(rule_set: RuleSet, tallies: list[ItemTally]) -> list[ItemResult]:
    results = []
    for tally in tallies:
        details = _base(rule_set, tally)
        n = len(tally.sheets)
        counts = {v: sum(1 for s in tally.sheets if s.vote == v) for v in (Vote.EXCELLENT, Vote.PASS, Vote.FAIL)}
        details["counts"] = {str(k): v for k, v in counts.items()}
        if not details["has_quorum"]:
            result = OutcomeResult.NO_QUORUM
        elif _at_least(counts[Vote.EXCELLENT], rule_set.excellent_fraction, n) and counts[Vote.FAIL] == 0:
            result = OutcomeResult.EXCELLENT
        elif _more_than(counts[Vote.FAIL], rule_set.fail_fraction, n):
            result = OutcomeResult.FAIL
        else:
            result = OutcomeResult.PASS
        details["result"] = str(result)
        results.append(ItemResult(tally.item_id, str(result), details=details))
    return results


# SELECTION (TT 20/2023 Art. 10-11) ------------------------------------------------------------------
def weighted_total(scores: dict[str, Fraction], criteria: Sequence[CriterionData]) -> Fraction:
    """The sheet's total on a 0-100 scale: Σ score·weight / Σ max·weight × 100."""
    top = sum((Fraction(c.max_score) * c.weight for c in criteria), Fraction(0))
    if not top:
        return Fraction(0)
    got = sum((scores.get(c.code, Fraction(0)) * c.weight for c in criteria), Fraction(0))
    return got / top * 100


def compute_selection(rule_set: RuleSet, tallies: list[ItemTally]) -> list[ItemResult]:
    """1. Each sheet's weighted total; a sheet deviating more than `deviation_fraction` from the mean
    of all the item's sheets is invalid. 2. The item's score is the mean of the valid sheets.
    3. It passes with quorum, a mean ≥ pass_mark and no criterion scored 0 by more than
    `zero_fraction` of the voters. 4. Passing items are ranked by mean within their group; a unique
    first is selected (a tie is left to the tie-break rules, recorded in the details)."""
    partial: list[tuple[ItemTally, dict[str, Any], Fraction | None, bool]] = []
    for tally in tallies:
        details = _base(rule_set, tally)
        totals = [weighted_total(s.scores, tally.criteria) for s in tally.sheets]
        n = len(totals)
        overall = sum(totals, Fraction(0)) / n if n else None
        valid = list(totals)
        if rule_set.deviation_fraction is not None and overall:
            valid = [t for t in totals if abs(t - overall) <= rule_set.deviation_fraction * overall]
        mean = sum(valid, Fraction(0)) / len(valid) if valid else None
        zeroed = [
            c.code
            for c in tally.criteria
            if _more_than(sum(1 for s in tally.sheets if s.scores.get(c.code) == 0), rule_set.zero_fraction, n)
        ]
        details.update(
            {
                "sheets": n,
                "valid_sheets": len(valid),
                "invalid_sheets": n - len(valid),
                "mean": _text(mean),
                "pass_mark": _text(rule_set.pass_mark),
                "zeroed_criteria": zeroed,
            }
        )
        passes = details["has_quorum"] and mean is not None and mean >= rule_set.pass_mark and not zeroed
        partial.append((tally, details, mean, passes))

    ranks: dict[int, int] = {}
    tied_first: set[int] = set()
    for group in {t.group for t, *_rest in partial}:
        passing = sorted(
            ((mean, t.item_id) for t, _d, mean, ok in partial if ok and t.group == group), key=lambda p: -p[0]
        )
        for mean, item_id in passing:
            ranks[item_id] = 1 + sum(1 for other, _id in passing if other > mean)
        if len(passing) > 1 and passing[0][0] == passing[1][0]:
            tied_first |= {item_id for mean, item_id in passing if mean == passing[0][0]}

    results = []
    for tally, details, mean, passes in partial:
        rank = ranks.get(tally.item_id)
        if not details["has_quorum"]:
            result = OutcomeResult.NO_QUORUM
        elif not passes:
            result = OutcomeResult.FAIL
        elif rank == 1 and tally.item_id not in tied_first:
            result = OutcomeResult.SELECTED
        else:
            result = OutcomeResult.PASS
        details.update({"result": str(result), "rank": rank, "tied_first": tally.item_id in tied_first})
        results.append(
            ItemResult(tally.item_id, str(result), mean_score=_two_places(mean), rank=rank, details=details)
        )
    return results


# VOTE (task definition) -----------------------------------------------------------------------------
def compute_vote(rule_set: RuleSet, tallies: list[ItemTally]) -> list[ItemResult]:
    results = []
    for tally in tallies:
        details = _base(rule_set, tally)
        n = len(tally.sheets)
        approve = sum(1 for s in tally.sheets if s.vote == Vote.APPROVE)
        details["counts"] = {Vote.APPROVE.value: approve, Vote.REJECT.value: n - approve}
        if not details["has_quorum"]:
            result = OutcomeResult.NO_QUORUM
        elif _more_than(approve, rule_set.approve_fraction, n):
            result = OutcomeResult.APPROVED
        else:
            result = OutcomeResult.REJECTED
        details["result"] = str(result)
        results.append(ItemResult(tally.item_id, str(result), details=details))
    return results


COMPUTE: dict[str, Callable[[RuleSet, list[ItemTally]], list[ItemResult]]] = {
    ACCEPTANCE: compute_acceptance,
    SELECTION: compute_selection,
    VOTE: compute_vote,
}


# EXPLANATIONS ---------------------------------------------------------------------------------------
REQUIREMENT_LABELS = {
    "chair_or_vice_chair": _("the chair or vice-chair"),
    "reviewers": _("the reviewers"),
    "secretary": _("the scientific secretary"),
}


def explain(details: dict[str, Any]) -> str:
    """ "8 of 9 present (quorum 6): Pass — 2 excellent, 6 pass, 0 fail", in the reader's language."""
    if not details:
        return ""
    head = gettext("%(voters)s of %(members)s present (quorum %(quorum)s)") % {
        "voters": details.get("voters", 0),
        "members": details.get("members", 0),
        "quorum": details.get("quorum", 0),
    }
    if details.get("conflicted"):
        head += gettext(", %(count)s not voting for a conflict of interest") % {"count": details["conflicted"]}
    result = str(OutcomeResult(details["result"]).label) if details.get("result") else ""
    if not details.get("has_quorum", False):
        missing = [
            gettext("%(role)s (%(found)s of %(needed)s)")
            % {"role": REQUIREMENT_LABELS.get(m["key"], m["key"]), "found": m["found"], "needed": m["needed"]}
            for m in details.get("missing_roles", ())
        ]
        text = f"{head}: {result}"
        if missing:
            text += " — " + gettext("missing: %(roles)s") % {"roles": ", ".join(missing)}
        return text
    kind = details.get("kind")
    counts = details.get("counts", {})
    if kind == ACCEPTANCE:
        tail = gettext("%(excellent)s excellent, %(pass)s pass, %(fail)s fail") % {
            "excellent": counts.get("excellent", 0),
            "pass": counts.get("pass", 0),
            "fail": counts.get("fail", 0),
        }
    elif kind == VOTE:
        tail = gettext("%(approve)s approve, %(reject)s reject") % {
            "approve": counts.get("approve", 0),
            "reject": counts.get("reject", 0),
        }
    else:
        tail = gettext("mean %(mean)s/100 from %(valid)s valid sheets (%(invalid)s invalid), pass mark %(mark)s") % {
            "mean": details.get("mean") or "–",
            "valid": details.get("valid_sheets", 0),
            "invalid": details.get("invalid_sheets", 0),
            "mark": details.get("pass_mark"),
        }
        if details.get("zeroed_criteria"):
            tail += "; " + gettext("scored 0 by too many members: %(codes)s") % {
                "codes": ", ".join(details["zeroed_criteria"])
            }
        if details.get("rank"):
            tail += "; " + gettext("rank %(rank)s") % {"rank": details["rank"]}
        if details.get("tied_first"):
            tail += "; " + gettext("tied for first place: apply the tie-break rules")
    return f"{head}: {result} — {tail}"


# THE REGISTRY ---------------------------------------------------------------------------------------
CHAIR = RoleRequirement("chair_or_vice_chair", (MemberRole.CHAIR, MemberRole.VICE_CHAIR), 1)
REVIEWERS = RoleRequirement("reviewers", (MemberRole.REVIEWER,), 2)
SECRETARY = RoleRequirement("secretary", (MemberRole.SECRETARY,), 1)

ACCEPTANCE_PURPOSES = (
    CouncilPurpose.ACCEPTANCE_PROVINCIAL,
    CouncilPurpose.ACCEPTANCE_GRASSROOTS,
    CouncilPurpose.OTHER,
)
SELECTION_PURPOSES = (CouncilPurpose.SELECTION, CouncilPurpose.OTHER)
VOTE_PURPOSES = (CouncilPurpose.TASK_DEFINITION, CouncilPurpose.OTHER)

# Templates an officer starts from (editable per council). The selection form follows the usual
# 100-point evaluation sheet; acceptance scores are informative (the classification is by the votes).
SELECTION_CRITERIA = (
    CriterionTemplate("TC1", "Tổng quan tình hình nghiên cứu, luận giải sự cần thiết và mục tiêu", 15),
    CriterionTemplate("TC2", "Nội dung, phương pháp nghiên cứu và kỹ thuật sử dụng", 25),
    CriterionTemplate("TC3", "Sản phẩm khoa học và công nghệ, khả năng ứng dụng kết quả", 25),
    CriterionTemplate("TC4", "Năng lực của tổ chức chủ trì và chủ nhiệm nhiệm vụ", 20),
    CriterionTemplate("TC5", "Tính hợp lý của kế hoạch thực hiện và dự toán kinh phí", 15),
)
ACCEPTANCE_CRITERIA = (
    CriterionTemplate("SP1", "Số lượng, khối lượng sản phẩm so với đặt hàng", 30),
    CriterionTemplate("SP2", "Chất lượng sản phẩm so với yêu cầu", 40),
    CriterionTemplate("BC", "Báo cáo tổng hợp kết quả thực hiện nhiệm vụ", 30),
)
DEFINITION_CRITERIA = (
    CriterionTemplate("XD1", "Tính cấp thiết", 10),
    CriterionTemplate("XD2", "Tính mới, không trùng lặp", 10),
    CriterionTemplate("XD3", "Tính khả thi và khả năng ứng dụng", 10),
    CriterionTemplate("XD4", "Khả năng huy động nguồn lực ngoài ngân sách", 10),
)

_TT11 = RuleSet(
    key="tt11_2014_acceptance",
    name=_("Acceptance, TT 11/2014 (≥ 3/4 excellent; > 1/3 fail)"),
    kind=ACCEPTANCE,
    legal_basis="Thông tư 11/2014/TT-BKHCN, Điều 10, Điều 13",
    effective_from=dt.date(2014, 7, 15),
    effective_to=OLD_REGIME_END,
    purposes=ACCEPTANCE_PURPOSES,
    required_roles=(CHAIR, REVIEWERS, SECRETARY),
    vote_choices=(Vote.EXCELLENT, Vote.PASS, Vote.FAIL),
    default_criteria=ACCEPTANCE_CRITERIA,
)
_TT20 = RuleSet(
    key="tt20_2023_selection",
    name=_("Selection, TT 20/2023 (mean ≥ 70/100, no criterion zeroed by > 1/4)"),
    kind=SELECTION,
    legal_basis="Thông tư 20/2023/TT-BKHCN, Điều 10, Điều 11",
    effective_from=dt.date(2023, 11, 27),
    effective_to=OLD_REGIME_END,
    purposes=SELECTION_PURPOSES,
    required_roles=(CHAIR, REVIEWERS),
    needs_scores=True,
    default_criteria=SELECTION_CRITERIA,
)
_DEFINITION = RuleSet(
    key="definition_vote",
    name=_("Task definition vote (simple majority)"),
    kind=VOTE,
    legal_basis="Quy định của UBND tỉnh về quản lý nhiệm vụ KH&CN",
    effective_from=dt.date(2014, 1, 1),
    effective_to=OLD_REGIME_END,
    purposes=VOTE_PURPOSES,
    vote_choices=(Vote.APPROVE, Vote.REJECT),
    default_criteria=DEFINITION_CRITERIA,
)
_TT33 = replace(
    _DEFINITION,
    key="tt33_2014_definition",
    name=_("Task definition, ministry model (> 3/4 approve)"),
    legal_basis="Thông tư 33/2014/TT-BKHCN",
    required_roles=(CHAIR, REVIEWERS),
    approve_fraction=Fraction(3, 4),
)
_LAW_2025 = {
    "legal_basis": "Luật Khoa học, Công nghệ và Đổi mới sáng tạo 93/2025/QH15; Nghị định 267/2025/NĐ-CP",
    "effective_from": LAW_2025_EFFECTIVE,
    "effective_to": None,
    "provisional": True,
}

RULE_SETS: dict[str, RuleSet] = {
    r.key: r
    for r in (
        _TT11,
        _TT20,
        _DEFINITION,
        _TT33,
        replace(_TT11, key="law_2025_acceptance", name=_("Acceptance, Law 93/2025 (provisional)"), **_LAW_2025),
        replace(_TT20, key="law_2025_selection", name=_("Selection, Law 93/2025 (provisional)"), **_LAW_2025),
        replace(
            _DEFINITION, key="law_2025_definition", name=_("Task definition, Law 93/2025 (provisional)"), **_LAW_2025
        ),
    )
}


def rule_set_get(key: str) -> RuleSet | None:
    return RULE_SETS.get(key)


def rule_sets_for(purpose: str, on: dt.date | None = None) -> list[RuleSet]:
    """Rule sets that fit a council purpose, in force on `on` when given."""
    return [r for r in RULE_SETS.values() if purpose in r.purposes and (on is None or r.is_effective_on(on))]


def default_rule_set(purpose: str, on: dt.date) -> RuleSet | None:
    """The rule set a new council of `purpose` gets by default on `on` (the first registered in force)."""
    fitting = rule_sets_for(purpose, on)
    return fitting[0] if fitting else None


def rule_set_choices() -> list[tuple[str, Any]]:
    return [(r.key, r.name) for r in RULE_SETS.values()]
