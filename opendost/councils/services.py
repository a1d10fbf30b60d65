"""The only writers of councils.

Every function is atomic, keyword-only, takes `actor=` and checks, in this order: the actor's
permission and jurisdiction (PermissionDenied), the council's state, then the data (ValidationError,
a message per field). Every change writes an audit event in the same transaction.

Other apps attach their records to a council through these functions, e.g. the projects app:

    council = council_create(actor=u, department=d, purpose=CouncilPurpose.SELECTION, name="...")
    for application in applications:
        item_add(actor=u, council=council, subject=application, group=task.code)
    ...
    outcome_for(application)  # opendost.councils.selectors, once the council has closed

and can listen to `opendost.councils.signals.council_closed` (sent after the commit).
"""

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.common.text import normalize
from opendost.councils import selectors
from opendost.councils.enums import CouncilPurpose, CouncilStatus, MemberRole
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
from opendost.councils.permissions import can, can_close_council, can_manage_council, can_record_for
from opendost.councils.rules import default_rule_set, rule_set_get
from opendost.councils.selectors import council_for, councils_of, outcome_for  # noqa: F401 (hooks re-exported)
from opendost.departments.models import Department
from opendost.departments.scoping import in_jurisdiction
from opendost.workflow.services import transition_apply

COUNCIL_FIELDS = ["purpose", "name", "rules_version", "meeting_on", "meeting_place", "status", "note"]
EDITABLE_FIELDS = frozenset({"name", "meeting_on", "meeting_place", "note", "rules_version"})
OPEN_STATES = (CouncilStatus.FORMING, CouncilStatus.CONVENED, CouncilStatus.SCORING)
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$")
MAX_CRITERION_SCORE = 1000


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _state(council: Council, states: Iterable[str], message: str) -> None:
    if council.status not in {str(s) for s in states}:
        raise ValidationError(message, code="wrong_state")


def _audit(actor, action: str, obj, council: Council, **kwargs) -> None:
    audit_record(actor=actor, action=action, obj=obj, department_id=council.department_id, **kwargs)


def _one_line(value: str | None) -> str:
    return normalize(value or "")


# COUNCILS -------------------------------------------------------------------------------------------
def _check_rules(purpose: str, rules_version: str, errors: dict) -> None:
    rule_set = rule_set_get(rules_version)
    if rule_set is None:
        errors.setdefault("rules_version", []).append(_("Choose a rule set from the list."))
    elif purpose not in rule_set.purposes:
        errors.setdefault("rules_version", []).append(_("This rule set does not fit the council's purpose."))


@transaction.atomic
def council_create(
    *,
    actor,
    department: Department,
    purpose: str,
    name: str,
    rules_version: str = "",
    meeting_on: dt.date | None = None,
    meeting_place: str = "",
    note: str = "",
    with_default_criteria: bool = True,
) -> Council:
    """Form a council of `department`. Without `rules_version` it gets the rule set in force today for
    its purpose; `with_default_criteria` copies the rule set's criteria template (editable later)."""
    _require(can(actor, "councils.add_council", department.pk))
    errors: dict[str, list] = {}
    name = _one_line(name)
    if not name:
        errors["name"] = [_("This field is required.")]
    if purpose not in CouncilPurpose.values:
        errors["purpose"] = [_("Choose a purpose from the list.")]
    elif not rules_version:
        default = default_rule_set(purpose, timezone.localdate())
        rules_version = default.key if default else ""
    if purpose in CouncilPurpose.values:
        _check_rules(purpose, rules_version, errors)
    if errors:
        raise ValidationError(errors)
    council = Council(
        department=department,
        purpose=purpose,
        name=name,
        rules_version=rules_version,
        meeting_on=meeting_on,
        meeting_place=_one_line(meeting_place),
        note=(note or "").strip(),
        created_by=actor,
    )
    council.full_clean()
    council.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=council, after=model_snapshot(council, COUNCIL_FIELDS))
    if with_default_criteria:
        _apply_template(council)
    return council


@transaction.atomic
def council_update(*, actor, council: Council, **changes: Any) -> Council:
    """Change the name, meeting date and place, note; the rule set only while the council is forming."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Unknown council fields: {sorted(unknown)}")
    _require(can_manage_council(actor, council))
    current = Council.objects.select_for_update().get(pk=council.pk)
    _state(current, OPEN_STATES, _("A closed or cancelled council cannot be changed."))
    before = model_snapshot(current, COUNCIL_FIELDS)
    errors: dict[str, list] = {}
    if "rules_version" in changes and changes["rules_version"] != current.rules_version:
        if current.status != CouncilStatus.FORMING:
            errors["rules_version"] = [_("The rule set is fixed once the council has convened.")]
        else:
            _check_rules(current.purpose, changes["rules_version"], errors)
    if "name" in changes:
        changes["name"] = _one_line(changes["name"])
        if not changes["name"]:
            errors["name"] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    for name, value in changes.items():
        setattr(current, name, _one_line(value) if name == "meeting_place" else value)
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=current,
        before=before,
        after=model_snapshot(current, COUNCIL_FIELDS),
    )
    return current


@transaction.atomic
def council_decision_attach(*, actor, council: Council, document) -> Council:
    """Link the decision establishing the council (QĐ thành lập hội đồng), issued in the documents register."""
    _require(can_manage_council(actor, council))
    if not in_jurisdiction(actor, document.department_id) or not in_jurisdiction(actor, council.department_id):
        raise PermissionDenied
    before = {"decision_document": council.decision_document_id}
    Council.objects.filter(pk=council.pk).update(decision_document=document, updated_at=timezone.now())
    council.decision_document = document
    _audit(actor, AuditAction.UPDATE, council, council, before=before, after={"decision_document": document.pk})
    return council


# MEMBERS --------------------------------------------------------------------------------------------
def _member_snapshot(member: CouncilMember) -> dict:
    return {
        "council": member.council_id,
        "person": member.person_id,
        "user": member.user_id,
        "role": member.role,
        "is_present": member.is_present,
    }


@transaction.atomic
def member_add(*, actor, council: Council, person, role: str, user=None, assign_all: bool = True) -> CouncilMember:
    """Seat a person of the expert register on the council (once; one chair), optionally linked to
    the account they log in with. With `assign_all` the member is assigned every current item."""
    _require(can_manage_council(actor, council))
    _state(council, [CouncilStatus.FORMING], _("Members can only be changed while the council is forming."))
    errors: dict[str, list] = {}
    if role not in MemberRole.values:
        errors["role"] = [_("Choose a role from the list.")]
    elif role == MemberRole.CHAIR and council.members.filter(role=MemberRole.CHAIR).exists():
        errors["role"] = [_("The council already has a chair.")]
    if not person.is_expert:
        errors.setdefault("person", []).append(_("Only people in the expert register can sit on a council."))
    if person.department_id not in council.department.jurisdiction_ids():
        errors.setdefault("person", []).append(_("This person is not in the department's register."))
    if council.members.filter(person=person).exists():
        errors.setdefault("person", []).append(_("This person already sits on the council."))
    if user is not None:
        if not user.is_active:
            errors["user"] = [_("This account is not active.")]
        elif council.members.filter(user=user).exists():
            errors["user"] = [_("This account is already linked to another member of the council.")]
    if errors:
        raise ValidationError(errors)
    member = CouncilMember.objects.create(council=council, person=person, user=user, role=role)
    if assign_all:
        Assignment.objects.bulk_create([Assignment(member=member, item=item) for item in council.items.all()])
    _audit(actor, AuditAction.CREATE, member, council, after=_member_snapshot(member))
    return member


@transaction.atomic
def member_remove(*, actor, member: CouncilMember) -> None:
    council = member.council
    _require(can_manage_council(actor, council))
    _state(council, [CouncilStatus.FORMING], _("Members can only be changed while the council is forming."))
    _audit(actor, AuditAction.DELETE, member, council, before=_member_snapshot(member))
    member.delete()


@transaction.atomic
def member_attendance_set(*, actor, member: CouncilMember, is_present: bool) -> CouncilMember:
    """Record whether the member attends the meeting; only members present count for quorum and vote."""
    council = member.council
    _require(can_manage_council(actor, council) or can(actor, "councils.record_scores", council))
    _state(
        council,
        [CouncilStatus.CONVENED, CouncilStatus.SCORING],
        _("Attendance is recorded once the council has convened and until it closes."),
    )
    if member.is_present != is_present:
        before = _member_snapshot(member)
        CouncilMember.objects.filter(pk=member.pk).update(is_present=is_present, updated_at=timezone.now())
        member.is_present = is_present
        _audit(actor, AuditAction.UPDATE, member, council, before=before, after=_member_snapshot(member))
    return member


# ITEMS AND ASSIGNMENTS ------------------------------------------------------------------------------
@transaction.atomic
def item_add(
    *,
    actor,
    council: Council,
    subject: models.Model | None = None,
    title: str = "",
    group: str = "",
    assign_all: bool = True,
) -> CouncilItem:
    """Put something before the council: a record of any app (`subject`) or a free-text item.

    The title is a snapshot (the subject's str() by default), so the minutes keep the name it was
    judged under. With `assign_all` every current member is assigned the item.
    """
    _require(can_manage_council(actor, council))
    _state(
        council,
        [CouncilStatus.FORMING, CouncilStatus.CONVENED],
        _("Items can only be added before scoring opens."),
    )
    from django.contrib.contenttypes.models import ContentType

    errors: dict[str, list] = {}
    title = _one_line(title) or (_one_line(str(subject)) if subject is not None else "")
    if not title:
        errors["title"] = [_("This field is required.")]
    content_type = None
    if subject is not None:
        if subject.pk is None:
            errors.setdefault("subject", []).append(_("Save the record before putting it before a council."))
        else:
            content_type = ContentType.objects.get_for_model(subject)
            if council.items.filter(content_type=content_type, object_id=subject.pk).exists():
                errors.setdefault("subject", []).append(_("This record is already before the council."))
        department_id = getattr(subject, "department_id", None)
        if department_id is not None and department_id not in council.department.jurisdiction_ids():
            errors.setdefault("subject", []).append(_("This record belongs to another department."))
    if errors:
        raise ValidationError(errors)
    position = (council.items.aggregate(top=Max("position"))["top"] or 0) + 1
    item = CouncilItem(
        council=council,
        content_type=content_type,
        object_id=subject.pk if subject is not None else None,
        title=title[:500],
        group=_one_line(group)[:100],
        position=position,
    )
    item.save()
    if assign_all:
        Assignment.objects.bulk_create([Assignment(member=m, item=item) for m in council.members.all()])
    _audit(
        actor,
        AuditAction.CREATE,
        item,
        council,
        after={"council": council.pk, "title": item.title, "group": item.group, "subject": str(subject or "")},
    )
    return item


@transaction.atomic
def item_remove(*, actor, item: CouncilItem) -> None:
    council = item.council
    _require(can_manage_council(actor, council))
    _state(
        council,
        [CouncilStatus.FORMING, CouncilStatus.CONVENED],
        _("Items can only be removed before scoring opens."),
    )
    if item.sheets.exists():
        raise ValidationError(_("This item has score sheets and cannot be removed."), code="has_sheets")
    _audit(actor, AuditAction.DELETE, item, council, before={"council": council.pk, "title": item.title})
    item.delete()


@transaction.atomic
def assign(*, actor, member: CouncilMember, items: Iterable[CouncilItem] | None = None) -> list[CouncilItem]:
    """Set the items `member` sees and scores (all the council's items when `items` is None).

    An assignment with a submitted sheet cannot be taken away.
    """
    council = member.council
    _require(can_manage_council(actor, council))
    _state(council, OPEN_STATES, _("A closed or cancelled council cannot be changed."))
    wanted = list(council.items.all()) if items is None else list(items)
    if any(item.council_id != council.pk for item in wanted):
        raise ValidationError({"items": [_("These items are not before this council.")]})
    wanted_ids = {item.pk for item in wanted}
    current = set(member.assignments.values_list("item_id", flat=True))
    removed = current - wanted_ids
    if removed and ScoreSheet.objects.filter(member=member, item_id__in=removed).exists():
        raise ValidationError(
            {"items": [_("The member has already scored an item you took away; keep that item assigned.")]}
        )
    Assignment.objects.filter(member=member, item_id__in=removed).delete()
    Assignment.objects.bulk_create([Assignment(member=member, item_id=pk) for pk in wanted_ids - current])
    if removed or wanted_ids - current:
        _audit(
            actor,
            AuditAction.UPDATE,
            member,
            council,
            before={"items": sorted(current)},
            after={"items": sorted(wanted_ids)},
            note=gettext_noop("Assignments changed."),
        )
    return sorted(wanted, key=lambda i: (i.position, i.pk))


# CRITERIA -------------------------------------------------------------------------------------------
def _criterion_errors(council: Council, code: str, name: str, max_score: Any, weight: Any) -> dict:
    errors: dict[str, list] = {}
    if not CODE_PATTERN.match(code):
        errors["code"] = [_("Use up to 20 letters, digits, dots, dashes or underscores.")]
    elif council.criteria.filter(code=code).exists():
        errors["code"] = [_("The council already has a criterion with this code.")]
    if not name:
        errors["name"] = [_("This field is required.")]
    if not isinstance(max_score, int) or not 0 < max_score <= MAX_CRITERION_SCORE:
        errors["max_score"] = [_("The maximum score is a whole number from 1 to 1000.")]
    if not isinstance(weight, Decimal) or not weight.is_finite() or not Decimal(0) < weight < Decimal(1000):
        errors["weight"] = [_("The weight is a positive number below 1000.")]
    return errors


@transaction.atomic
def criterion_add(
    *, actor, council: Council, code: str, name: str, max_score: int, weight: Decimal | int = 1
) -> Criterion:
    _require(can_manage_council(actor, council))
    _state(council, [CouncilStatus.FORMING], _("Criteria can only be changed while the council is forming."))
    code, name = (code or "").strip(), _one_line(name)
    weight = Decimal(weight) if isinstance(weight, int) else weight
    errors = _criterion_errors(council, code, name, max_score, weight)
    if errors:
        raise ValidationError(errors)
    position = (council.criteria.aggregate(top=Max("position"))["top"] or 0) + 1
    criterion = Criterion.objects.create(
        council=council, code=code, name=name, max_score=max_score, weight=weight, position=position
    )
    _audit(
        actor,
        AuditAction.CREATE,
        criterion,
        council,
        after={"council": council.pk, "code": code, "name": name, "max_score": max_score, "weight": str(weight)},
    )
    return criterion


@transaction.atomic
def criterion_remove(*, actor, criterion: Criterion) -> None:
    council = criterion.council
    _require(can_manage_council(actor, council))
    _state(council, [CouncilStatus.FORMING], _("Criteria can only be changed while the council is forming."))
    _audit(actor, AuditAction.DELETE, criterion, council, before={"council": council.pk, "code": criterion.code})
    criterion.delete()


def _apply_template(council: Council) -> int:
    rule_set = council.rule_set
    existing = set(council.criteria.values_list("code", flat=True))
    top = council.criteria.aggregate(top=Max("position"))["top"] or 0
    new = [
        Criterion(council=council, code=t.code, name=t.name, max_score=t.max_score, weight=t.weight, position=top + i)
        for i, t in enumerate((t for t in rule_set.default_criteria if t.code not in existing), start=1)
    ]
    Criterion.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def criteria_apply_template(*, actor, council: Council) -> int:
    """Add the rule set's template criteria the council does not have yet; returns how many were added."""
    _require(can_manage_council(actor, council))
    _state(council, [CouncilStatus.FORMING], _("Criteria can only be changed while the council is forming."))
    added = _apply_template(council)
    if added:
        _audit(
            actor,
            AuditAction.UPDATE,
            council,
            council,
            after={"criteria_added": added},
            note=gettext_noop("Template criteria added."),
        )
    return added


# CONFLICTS AND SCORE SHEETS -------------------------------------------------------------------------
def _is_assigned(member: CouncilMember, item: CouncilItem) -> bool:
    return Assignment.objects.filter(member=member, item=item).exists()


@transaction.atomic
def conflict_declare(
    *, actor, member: CouncilMember, item: CouncilItem, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    """Record the member's conflict-of-interest declaration on an item (the member, or an officer
    entering a paper declaration). Declaring a conflict withdraws a sheet already submitted for
    the item: a conflicted member's score must not count (TT 20/2023, persons barred from councils)."""
    council = member.council
    _require(can_record_for(actor, member))
    _state(council, OPEN_STATES, _("Declarations are closed: the council is closed or cancelled."))
    if item.council_id != council.pk or not _is_assigned(member, item):
        raise ValidationError(_("This item is not assigned to the member."), code="not_assigned")
    note = (note or "").strip()
    if has_conflict and not note:
        raise ValidationError({"note": [_("Say briefly what the conflict of interest is.")]})
    declaration = ConflictDeclaration.objects.filter(member=member, item=item).first()
    before = None
    if declaration is None:
        declaration = ConflictDeclaration(member=member, item=item)
    else:
        before = {"has_conflict": declaration.has_conflict, "note": declaration.note}
    declaration.has_conflict = bool(has_conflict)
    declaration.note = note
    declaration.declared_at = timezone.now()
    declaration.save()
    after = {"member": member.pk, "item": item.pk, "has_conflict": declaration.has_conflict, "note": note}
    _audit(
        actor, AuditAction.UPDATE if before else AuditAction.CREATE, declaration, council, before=before, after=after
    )
    if has_conflict:
        sheet = ScoreSheet.objects.filter(member=member, item=item).first()
        if sheet is not None:
            _audit(
                actor,
                AuditAction.DELETE,
                sheet,
                council,
                before={"member": member.pk, "item": item.pk, "vote": sheet.vote},
                note=gettext_noop("Sheet withdrawn: conflict of interest declared."),
            )
            sheet.delete()
    return declaration


def _parse_score(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite():
        return None
    return value


def _check_scores(criteria: list[Criterion], scores: Mapping[str, Any]) -> tuple[dict, dict[str, Decimal]]:
    errors: dict[str, list] = {}
    values: dict[str, Decimal] = {}
    known = {c.code for c in criteria}
    for code in scores:
        if code not in known:
            errors.setdefault("scores", []).append(_("Unknown criterion: %(code)s.") % {"code": str(code)[:20]})
    for criterion in criteria:
        key = f"score_{criterion.code}"
        if criterion.code not in scores or scores[criterion.code] in ("", None):
            errors[key] = [_("Score every criterion.")]
            continue
        value = _parse_score(scores[criterion.code])
        if value is None:
            errors[key] = [_("Enter a number.")]
        elif not Decimal(0) <= value <= criterion.max_score:
            errors[key] = [_("The score is from 0 to %(max)s.") % {"max": criterion.max_score}]
        elif value != value.quantize(Decimal("0.01")):
            errors[key] = [_("Use at most two decimal places.")]
        else:
            values[criterion.code] = value.quantize(Decimal("0.01"))
    return errors, values


@transaction.atomic
def score_submit(
    *,
    actor,
    member: CouncilMember,
    item: CouncilItem,
    scores: Mapping[str, Any] | None = None,
    vote: str = "",
    comment: str = "",
) -> ScoreSheet:
    """Submit (or resubmit, until the council closes) the member's sheet for an item.

    Refused: when the council is not scoring; the item is not assigned to the member; the member
    declared a conflict on it or is absent; a criterion is missing, unknown or outside 0..max; the
    vote is missing or not one the council's rule set takes. Each submission is audited with the
    sheet before and after.
    """
    council = member.council
    _require(can_record_for(actor, member))
    _state(council, [CouncilStatus.SCORING], _("Score sheets are accepted only while the council is scoring."))
    if item.council_id != council.pk or not _is_assigned(member, item):
        raise ValidationError(_("This item is not assigned to the member."), code="not_assigned")
    if ConflictDeclaration.objects.filter(member=member, item=item, has_conflict=True).exists():
        raise ValidationError(
            _("The member declared a conflict of interest on this item and cannot score it."), code="conflict"
        )
    if not member.is_present:
        raise ValidationError(_("The member is recorded as absent from the meeting."), code="absent")
    rule_set = council.rule_set
    criteria = selectors.criteria_of(council)
    errors, values = _check_scores(criteria, scores or {})
    vote = (vote or "").strip()
    if rule_set.vote_choices:
        if vote not in {str(v) for v in rule_set.vote_choices}:
            errors["vote"] = [_("Choose your overall vote.")]
    elif vote:
        errors["vote"] = [_("This council does not take an overall vote.")]
    if rule_set.needs_scores and not criteria:
        errors.setdefault("scores", []).append(_("The council has no criteria to score."))
    if errors:
        raise ValidationError(errors)
    by_code = {c.code: c for c in criteria}
    sheet = ScoreSheet.objects.filter(member=member, item=item).prefetch_related("scores__criterion").first()
    before = _sheet_snapshot(sheet) if sheet else None
    now = timezone.now()
    if sheet is None:
        sheet = ScoreSheet(member=member, item=item, revision=1)
    else:
        sheet.revision += 1
        sheet.scores.all().delete()
    sheet.submitted_at = now
    sheet.vote = vote
    sheet.comment = (comment or "").strip()
    sheet.entered_by = actor
    sheet.save()
    Score.objects.bulk_create([Score(sheet=sheet, criterion=by_code[code], value=v) for code, v in values.items()])
    after = {"member": member.pk, "item": item.pk, "vote": vote, "scores": {k: str(v) for k, v in values.items()}}
    after["revision"] = sheet.revision
    _audit(actor, AuditAction.UPDATE if before else AuditAction.CREATE, sheet, council, before=before, after=after)
    return sheet


def _sheet_snapshot(sheet: ScoreSheet) -> dict:
    return {
        "member": sheet.member_id,
        "item": sheet.item_id,
        "vote": sheet.vote,
        "scores": {s.criterion.code: str(s.value) for s in sheet.scores.all()},
        "revision": sheet.revision,
    }


# TRANSITIONS ----------------------------------------------------------------------------------------
def _convene_problems(council: Council) -> list[str]:
    from opendost.councils.rules import REQUIREMENT_LABELS

    problems = []
    members = list(council.members.all())
    chairs = sum(1 for m in members if m.role == MemberRole.CHAIR)
    if chairs != 1:
        problems.append(_("The council needs exactly one chair."))
    rule_set = council.rule_set
    for missing in rule_set.composition_problems([m.role for m in members]):
        if missing["key"] == "chair_or_vice_chair" and chairs:
            continue
        problems.append(
            _("The rule set needs %(role)s: %(needed)s, the council has %(found)s.")
            % {"role": REQUIREMENT_LABELS[missing["key"]], "needed": missing["needed"], "found": missing["found"]}
        )
    if not council.items.exists():
        problems.append(_("Put at least one item before the council."))
    if rule_set.needs_scores and not council.criteria.exists():
        problems.append(_("The rule set scores criteria: add at least one."))
    return problems


@transaction.atomic
def council_transition(*, actor, council: Council, name: str, note: str = "") -> Council:
    """Apply a transition (buttons on the council page): convene, open_scoring, close, cancel.

    convene needs exactly one chair and the roles the rule set requires (for acceptance: the
    secretary and two reviewers; for selection: two reviewers), at least one item and, when the
    rule set scores, criteria. close computes and stores the outcome (council_close).
    """
    if name == "close":
        council_close(actor=actor, council=council, note=note)
        return council
    if name == "convene":
        _require(can_manage_council(actor, council))
        if council.status == CouncilStatus.FORMING:
            problems = _convene_problems(council)
            if problems:
                raise ValidationError([ValidationError(p, code="composition") for p in problems])
    if name == "cancel" and not (note or "").strip():
        raise ValidationError({"note": [_("Give the reason for cancelling the council.")]})
    return transition_apply(council, name, actor=actor, note=(note or "").strip())


@transaction.atomic
def council_close(*, actor, council: Council, note: str = "") -> list[Outcome]:
    """Close the council and store the outcome of every item under its rule set.

    1. Every voter (present, assigned, no conflict) must have submitted a sheet; otherwise nothing
       changes and the error names the missing sheets (mark a member absent if they did not vote).
    2. The rule set computes each item's result from the sheets; the result and the counts behind it
       are stored, so the council is never re-judged under later rules.
    3. The status moves through the transition engine; `council_closed` is sent after the commit.
    """
    _require(can_close_council(actor, council))
    if council.status != CouncilStatus.SCORING:
        transition_apply(council, "close", actor=actor)  # raises the engine's "not possible" message
    tally = selectors.council_tally(council)
    if tally.missing:
        listed = "; ".join(f"{m.person.full_name} – {i.title}" for m, i in tally.missing[:10])
        raise ValidationError(
            _("Some members have not submitted their sheets: %(missing)s.") % {"missing": listed}, code="missing"
        )
    results = tally.rule_set.compute(tally.tallies)
    outcomes = Outcome.objects.bulk_create(
        [
            Outcome(
                council=council,
                item_id=r.item_id,
                rules_version=council.rules_version,
                result=r.result,
                mean_score=r.mean_score,
                rank=r.rank,
                details=r.details,
            )
            for r in results
        ]
    )
    transition_apply(council, "close", actor=actor, note=(note or "").strip())
    now = timezone.now()
    Council.objects.filter(pk=council.pk).update(closed_at=now)
    council.closed_at = now
    _audit(
        actor,
        AuditAction.UPDATE,
        council,
        council,
        after={"outcomes": {str(r.item_id): r.result for r in results}},
        note=gettext_noop("Outcome fixed."),
    )
    from opendost.councils.signals import council_closed

    transaction.on_commit(
        partial(council_closed.send, sender=Council, council=council, outcomes=outcomes, actor=actor)
    )
    return outcomes


# MINUTES --------------------------------------------------------------------------------------------
@transaction.atomic
def minutes_issue(*, actor, council: Council, issued_on: dt.date | None = None):
    """Issue the minutes (biên bản họp hội đồng) of a closed council as an official document: members
    and attendance, conflicts, the scores summary and the outcome of every item."""
    from opendost.councils.minutes import minutes_document
    from opendost.documents.services import document_issue

    _require(can(actor, "councils.issue_minutes", council))
    _state(council, [CouncilStatus.CLOSED], _("Minutes are issued once the council has closed."))
    current = Council.objects.select_for_update().get(pk=council.pk)
    if current.minutes_document_id is not None:
        raise ValidationError(_("The minutes of this council have already been issued."), code="already_issued")
    data = minutes_document(current, issued_on=issued_on or timezone.localdate())
    document = document_issue(actor=actor, department=current.department, doc_type="BB", data=data, subject=current)
    Council.objects.filter(pk=current.pk).update(minutes_document=document, updated_at=timezone.now())
    council.minutes_document = document
    _audit(
        actor,
        AuditAction.UPDATE,
        council,
        council,
        before={"minutes_document": None},
        after={"minutes_document": document.pk},
    )
    return document
