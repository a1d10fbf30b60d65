"""Reads of councils, scoped to what the user may see.

Officers see the councils of their jurisdiction (`Council.objects.visible_to(user)`); a council
member sees only the councils they sit on and only the items assigned to them, whatever their
department. Anything else is a 404.

Hooks for other apps (a task page listing its councils, a workflow reading a result):
`councils_of(subject)`, `council_for(subject, purpose=...)`, `outcome_for(subject, purpose=...)`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.http import Http404

from opendost.councils.enums import CouncilStatus
from opendost.councils.models import (
    Assignment,
    ConflictDeclaration,
    Council,
    CouncilItem,
    CouncilMember,
    Criterion,
    Outcome,
    Score,
    ScoreSheet,
)
from opendost.councils.rules import CriterionData, ItemResult, ItemTally, RuleSet, SheetData, explain


# OFFICERS -------------------------------------------------------------------------------------------
def council_list_for(user, filters: Mapping | None = None) -> QuerySet[Council]:
    """Councils of the user's jurisdiction, newest first, with member and item counts (one query)."""
    filters = filters or {}
    councils = (
        Council.objects.visible_to(user)
        .select_related("department")
        .annotate(member_count=Count("members", distinct=True), item_count=Count("items", distinct=True))
        .order_by("-created_at", "-pk")
    )
    if (status := filters.get("status")) in CouncilStatus.values:
        councils = councils.filter(status=status)
    if (purpose := filters.get("purpose")) and isinstance(purpose, str):
        councils = councils.filter(purpose=purpose)
    if (query := (filters.get("q") or "").strip()[:100]) and isinstance(query, str):
        councils = councils.filter(name__icontains=query)
    return councils


def council_get_for(user, public_id: UUID | str) -> Council:
    """One council of the user's jurisdiction, or Http404 (an outsider learns nothing)."""
    try:
        return (
            Council.objects.visible_to(user)
            .select_related("department", "decision_document", "minutes_document", "created_by")
            .get(public_id=public_id)
        )
    except (Council.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def members_of(council: Council) -> list[CouncilMember]:
    return list(council.members.select_related("person", "person__organization", "user").order_by("pk"))


def items_of(council: Council) -> list[CouncilItem]:
    return list(council.items.select_related("content_type").order_by("position", "pk"))


def criteria_of(council: Council) -> list[Criterion]:
    return list(council.criteria.order_by("position", "pk"))


def member_get(council: Council, public_id: UUID | str) -> CouncilMember:
    try:
        return council.members.select_related("person", "user", "council").get(public_id=public_id)
    except (CouncilMember.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def item_get(council: Council, public_id: UUID | str) -> CouncilItem:
    try:
        return council.items.select_related("council").get(public_id=public_id)
    except (CouncilItem.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def criterion_get(council: Council, pk: int) -> Criterion:
    try:
        return council.criteria.select_related("council").get(pk=pk)
    except (Criterion.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


# TALLIES AND OUTCOMES -------------------------------------------------------------------------------
@dataclass
class CouncilTally:
    rule_set: RuleSet
    tallies: list[ItemTally]
    missing: list[tuple[CouncilMember, CouncilItem]] = field(default_factory=list)
    members: list[CouncilMember] = field(default_factory=list)
    items: list[CouncilItem] = field(default_factory=list)
    assigned: set[tuple[int, int]] = field(default_factory=set)
    conflicted: set[tuple[int, int]] = field(default_factory=set)
    sheets: dict[tuple[int, int], ScoreSheet] = field(default_factory=dict)


def council_tally(council: Council) -> CouncilTally:
    """The inputs of the rule set, read in six queries whatever the council's size.

    An item's voters are the members present, assigned the item and without a declared conflict;
    only their sheets count. `missing` lists the voters who have not submitted a sheet yet.
    """
    rule_set = council.rule_set
    members = members_of(council)
    items = items_of(council)
    criteria = criteria_of(council)
    assigned = set(Assignment.objects.filter(member__council=council).values_list("member_id", "item_id"))
    conflicted = set(
        ConflictDeclaration.objects.filter(member__council=council, has_conflict=True).values_list(
            "member_id", "item_id"
        )
    )
    sheets = {
        (s.member_id, s.item_id): s
        for s in ScoreSheet.objects.filter(item__council=council).prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion"))
        )
    }
    present = [m for m in members if m.is_present]
    criterion_data = tuple(CriterionData(c.code, c.max_score, Fraction(c.weight)) for c in criteria)
    tallies, missing = [], []
    for item in items:
        voters = [m for m in present if (m.pk, item.pk) in assigned and (m.pk, item.pk) not in conflicted]
        item_sheets = []
        for member in voters:
            sheet = sheets.get((member.pk, item.pk))
            if sheet is None:
                missing.append((member, item))
                continue
            scores = {s.criterion.code: Fraction(s.value) for s in sheet.scores.all()}
            item_sheets.append(SheetData(member.pk, sheet.vote, scores))
        tallies.append(
            ItemTally(
                item_id=item.pk,
                members=len(members),
                present=len(present),
                present_roles=tuple(m.role for m in present),
                voters=len(voters),
                conflicted=sum(1 for m in present if (m.pk, item.pk) in conflicted),
                sheets=tuple(item_sheets),
                criteria=criterion_data,
                group=item.group,
            )
        )
    return CouncilTally(rule_set, tallies, missing, members, items, assigned, conflicted, sheets)


@dataclass(frozen=True)
class OutcomeRow:
    item: CouncilItem
    result: str
    result_label: str
    mean_score: Any
    rank: int | None
    details: dict
    is_final: bool

    @property
    def explanation(self) -> str:
        return explain(self.details)


def council_outcome(council: Council, tally: CouncilTally | None = None) -> list[OutcomeRow]:
    """Per item: the stored outcome of a closed council, or the outcome the rule set gives on the
    sheets submitted so far (a preview; `is_final` False)."""
    from opendost.councils.enums import OutcomeResult

    if council.status == CouncilStatus.CLOSED:
        outcomes = Outcome.objects.filter(council=council).select_related("item").order_by("item__position", "item")
        return [
            OutcomeRow(o.item, o.result, o.get_result_display(), o.mean_score, o.rank, o.details, True)
            for o in outcomes
        ]
    tally = tally or council_tally(council)
    if tally.rule_set is None:
        return []
    by_id = {item.pk: item for item in tally.items}
    results: list[ItemResult] = tally.rule_set.compute(tally.tallies)
    return [
        OutcomeRow(
            by_id[r.item_id], r.result, str(OutcomeResult(r.result).label), r.mean_score, r.rank, r.details, False
        )
        for r in results
    ]


@dataclass(frozen=True)
class QuorumStatus:
    members: int
    present: int
    required: int
    missing_roles: list
    chairs: int

    @property
    def ok(self) -> bool:
        return self.members > 0 and self.present >= self.required and not self.missing_roles


def council_quorum(council: Council, members: list[CouncilMember] | None = None) -> QuorumStatus:
    members = members if members is not None else members_of(council)
    rule_set = council.rule_set
    present_roles = [m.role for m in members if m.is_present]
    return QuorumStatus(
        members=len(members),
        present=len(present_roles),
        required=rule_set.quorum_required(len(members)) if rule_set else 0,
        missing_roles=rule_set.missing_roles(present_roles) if rule_set else [],
        chairs=sum(1 for m in members if m.role == "chair"),
    )


SHEET_NOT_ASSIGNED = "not_assigned"
SHEET_CONFLICT = "conflict"
SHEET_SUBMITTED = "submitted"
SHEET_PENDING = "pending"
SHEET_ABSENT = "absent"


def sheet_matrix(tally: CouncilTally) -> list[dict]:
    """Rows per member, one cell per item: not_assigned / conflict / absent / submitted / pending."""
    rows = []
    for member in tally.members:
        cells = []
        for item in tally.items:
            key = (member.pk, item.pk)
            if key not in tally.assigned:
                state = SHEET_NOT_ASSIGNED
            elif key in tally.conflicted:
                state = SHEET_CONFLICT
            elif key in tally.sheets:
                state = SHEET_SUBMITTED
            elif not member.is_present:
                state = SHEET_ABSENT
            else:
                state = SHEET_PENDING
            cells.append({"item": item, "state": state, "sheet": tally.sheets.get(key)})
        rows.append({"member": member, "cells": cells})
    return rows


# COUNCIL MEMBERS ------------------------------------------------------------------------------------
def my_seats(user) -> QuerySet[CouncilMember]:
    """The seats of the logged-in user, newest council first."""
    if not user.is_authenticated:
        return CouncilMember.objects.none()
    return (
        CouncilMember.objects.filter(user=user)
        .select_related("council", "council__department", "person")
        .annotate(assigned_count=Count("assignments"))
        .order_by("-council__created_at", "-pk")
    )


def my_seat_get(user, council_public_id: UUID | str) -> CouncilMember:
    """The user's seat on a council, or Http404 when they do not sit on it."""
    try:
        return my_seats(user).get(council__public_id=council_public_id)
    except (CouncilMember.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def my_items(seat: CouncilMember) -> list[dict]:
    """The items assigned to the seat, each with the member's declaration and sheet (three queries)."""
    items = list(CouncilItem.objects.filter(assignments__member=seat).order_by("position", "pk"))
    conflicts = {c.item_id: c for c in ConflictDeclaration.objects.filter(member=seat)}
    sheets = {s.item_id: s for s in ScoreSheet.objects.filter(member=seat)}
    return [{"item": i, "conflict": conflicts.get(i.pk), "sheet": sheets.get(i.pk)} for i in items]


def my_item_get(seat: CouncilMember, item_public_id: UUID | str) -> CouncilItem:
    """An item assigned to the seat, or Http404 (items not assigned are invisible to the member)."""
    try:
        return CouncilItem.objects.select_related("council").get(
            public_id=item_public_id, council_id=seat.council_id, assignments__member=seat
        )
    except (CouncilItem.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def my_conflict(seat: CouncilMember, item: CouncilItem) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(member=seat, item=item).first()


def my_sheet(seat: CouncilMember, item: CouncilItem) -> ScoreSheet | None:
    return (
        ScoreSheet.objects.filter(member=seat, item=item)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .first()
    )


# HOOKS FOR OTHER APPS -------------------------------------------------------------------------------
def _subject_filter(subject: Model) -> Q:
    content_type = ContentType.objects.get_for_model(subject)
    return Q(items__content_type=content_type, items__object_id=subject.pk)


def councils_of(subject: Model, *, user=None, purpose: str | None = None) -> QuerySet[Council]:
    """Councils that judge `subject` (any model), newest first; scoped to `user` when given."""
    councils = Council.objects.visible_to(user) if user is not None else Council.objects.all()
    councils = councils.filter(_subject_filter(subject)).distinct()
    if purpose:
        councils = councils.filter(purpose=purpose)
    return councils.select_related("department").order_by("-created_at", "-pk")


def council_for(subject: Model, *, purpose: str | None = None, user=None) -> Council | None:
    """The latest council (not cancelled) that judges `subject`, or None."""
    return councils_of(subject, user=user, purpose=purpose).exclude(status=CouncilStatus.CANCELLED).first()


def outcome_for(subject: Model, *, purpose: str | None = None) -> Outcome | None:
    """The stored outcome for `subject` of the latest closed council (of `purpose`), or None."""
    content_type = ContentType.objects.get_for_model(subject)
    outcomes = Outcome.objects.filter(
        item__content_type=content_type, item__object_id=subject.pk, council__status=CouncilStatus.CLOSED
    )
    if purpose:
        outcomes = outcomes.filter(council__purpose=purpose)
    return outcomes.select_related("council", "item").order_by("-council__closed_at", "-pk").first()
