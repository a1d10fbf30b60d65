"""The only writers of the plan. Keyword-only, audited, atomic."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.common.locking import conflict_for, save_with_version
from opendost.planning.enums import ManualValueStatus
from opendost.planning.models import BudgetAllocation, BudgetLine, ManualValue, Plan, Target
from opendost.planning.permissions import can, can_review_value
from opendost.workflow.services import transition_apply

PLAN_FIELDS = {"code", "title", "start_year", "end_year", "legal_basis", "document_ref"}
TARGET_FIELDS = {
    "code", "title", "area", "unit", "baseline_value", "baseline_label", "target_min", "target_max",
    "yearly_values", "source_text", "responsible_unit", "indicator_key", "position",
}  # fmt: skip


def _check_keys(data: dict, allowed: set) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


@transaction.atomic
def plan_create(*, actor, department, **data) -> Plan:
    _check_keys(data, PLAN_FIELDS)
    if actor is not None and not can(actor, "planning.add_plan", department):
        raise PermissionDenied
    plan = Plan(department=department, **data)
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=plan, after=model_snapshot(plan))
    return plan


@transaction.atomic
def target_create(*, actor, plan: Plan, **data) -> Target:
    _check_keys(data, TARGET_FIELDS)
    if actor is not None and not can(actor, "planning.add_target", plan.department_id):
        raise PermissionDenied
    from opendost.planning import indicators

    key = data.get("indicator_key") or ""
    if key and indicators.get(key) is None:
        raise ValidationError({"indicator_key": _("No indicator is defined under this key.")})
    low, high = data.get("target_min"), data.get("target_max")
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        raise ValidationError({"target_max": _("The maximum is below the minimum.")})
    if "yearly_values" in data:
        data["yearly_values"] = clean_yearly_values(plan, data["yearly_values"])
    if data.get("code") and plan.targets.filter(code=data["code"]).exists():
        raise ValidationError({"code": _("Another target of the plan has this code.")})
    target = Target(plan=plan, **data)
    target.full_clean()
    target.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=target, after=model_snapshot(target),
        department_id=plan.department_id,
    )  # fmt: skip
    return target


@transaction.atomic
def manual_value_enter(
    *, actor, target: Target, year: int, value, source_document: str, quarter: int | None = None
) -> ManualValue:
    """A figure for a manual indicator, as a draft that another user approves."""
    if not can(actor, "planning.add_manualvalue", target.plan.department_id):
        raise PermissionDenied
    if not target.is_manual:
        raise ValidationError(_("This target is computed from the records; no value is typed in."))
    if not target.plan.start_year <= year <= target.plan.end_year:
        raise ValidationError({"year": _("The year is outside the plan's period.")})
    if not (source_document or "").strip():
        raise ValidationError({"source_document": _("Name the document the figure comes from.")})
    entry = ManualValue(
        target=target,
        year=year,
        quarter=quarter,
        value=Decimal(str(value)),
        source_document=source_document.strip(),
        entered_by=actor,
    )
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=entry,
        after=model_snapshot(entry),
        department_id=target.plan.department_id,
    )
    return entry


def _review(*, actor, value: ManualValue, name: str, note: str) -> ManualValue:
    if value.status != ManualValueStatus.DRAFT:
        # the engine says why; checked first so the maker-checker message is not shown for a closed value
        return transition_apply(value, name, actor=actor, note=note)
    if value.entered_by_id == actor.pk:
        raise PermissionDenied(_("The value must be approved by someone other than the one who entered it."))
    if not can_review_value(actor, value):
        raise PermissionDenied
    ManualValue.objects.filter(pk=value.pk).update(approved_by=actor)
    value.approved_by = actor
    return transition_apply(value, name, actor=actor, note=note)


@transaction.atomic
def manual_value_approve(*, actor, value: ManualValue, note: str = "") -> ManualValue:
    return _review(actor=actor, value=value, name="approve", note=note)


@transaction.atomic
def manual_value_reject(*, actor, value: ManualValue, note: str = "") -> ManualValue:
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the reason for the rejection.")})
    return _review(actor=actor, value=value, name="reject", note=note)


# EDITING THE PLAN --------------------------------------------------------------------------------
# Plans, targets and budget lines carry a `version`: an edit is checked against the version its form
# was opened with (common.locking.save_with_version), so two officers never silently overwrite each
# other; EditConflict (nothing written) says what the other one changed.
PLAN_EDIT_FIELDS = PLAN_FIELDS
TARGET_EDIT_FIELDS = TARGET_FIELDS
BUDGET_LINE_FIELDS = {"code", "title", "amount_million", "position", "parent", "source_key"}
FIRST_YEAR, LAST_YEAR, LONGEST_PLAN = 2000, 2100, 10


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _allowed(actor, perm: str, department) -> bool:
    """No actor: the system itself (the seed, the demo, a command), as in plan_create."""
    return actor is None or can(actor, perm, department)


def _audit_change(actor, obj, before: dict, department_id: int) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=obj,
        before=before,
        after=model_snapshot(obj),
        department_id=department_id,
    )


def _audit_delete(actor, obj, department_id: int) -> None:
    audit_record(
        actor=actor, action=AuditAction.DELETE, obj=obj, before=model_snapshot(obj), department_id=department_id
    )


def _check_version(instance, expected_version: int | None, original: dict | None, fields) -> None:
    """Refuse to delete what someone changed after the user saw it."""
    if (
        expected_version is not None
        and type(instance)._base_manager.filter(pk=instance.pk, version=expected_version).count() != 1
    ):
        raise conflict_for(instance, fields=fields, original=original)


def _period_errors(errors: dict, start_year, end_year) -> None:
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if year is None or not FIRST_YEAR <= int(year) <= LAST_YEAR:
            _add(errors, name, _("Give a year from 2000 to 2100."))
    if start_year is not None and end_year is not None:
        if int(end_year) < int(start_year):
            _add(errors, "end_year", _("The last year is before the first year."))
        elif int(end_year) - int(start_year) + 1 > LONGEST_PLAN:
            _add(errors, "end_year", _("A plan covers at most ten years."))


def plan_years_in_use(plan: Plan) -> set[int]:
    """The years the plan's records name: yearly target values, allocations, manual values."""
    years = set(ManualValue.objects.filter(target__plan=plan).values_list("year", flat=True).distinct()) | set(
        BudgetAllocation.objects.filter(line__plan=plan).values_list("year", flat=True).distinct()
    )
    for values in plan.targets.values_list("yearly_values", flat=True):
        years |= {int(key) for key in (values or {}) if str(key).isdigit()}
    return years


@transaction.atomic
def plan_update(
    *, actor, plan: Plan, expected_version: int | None = None, original: dict | None = None, **changes
) -> Plan:
    """Change the plan's data (PLAN_FIELDS). The period cannot drop a year its records name."""
    _check_keys(changes, PLAN_EDIT_FIELDS)
    _require(_allowed(actor, "planning.change_plan", plan.department_id))
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    before = model_snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    errors: dict = {}
    _period_errors(errors, current.start_year, current.end_year)
    if not errors:
        outside = sorted(y for y in plan_years_in_use(current) if not current.start_year <= y <= current.end_year)
        if outside:
            _add(
                errors,
                "start_year" if outside[0] < current.start_year else "end_year",
                _("The plan's records name years outside this period: %(years)s.")
                % {"years": ", ".join(map(str, outside))},
            )
    if Plan.objects.filter(department_id=current.department_id, code=current.code).exclude(pk=current.pk).exists():
        _add(errors, "code", _("Another plan of the department has this code."))
    if not errors:
        try:
            current.full_clean(exclude=["copied_from"], validate_constraints=False)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    _raise(errors)
    version = current.version if expected_version is None else expected_version
    save_with_version(current, expected_version=version, fields=sorted(changes), actor=actor, original=original)
    _audit_change(actor, current, before, current.department_id)
    return current


# TARGETS -----------------------------------------------------------------------------------------
def _number(value) -> int | float:
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def clean_yearly_values(plan: Plan, values) -> dict[str, int | float]:
    """{"2026": 60, ...}: years of the plan, numbers; empty values dropped."""
    if values in (None, ""):
        return {}
    if not isinstance(values, dict):
        raise ValidationError({"yearly_values": _("Give a value per year of the plan.")})
    cleaned, errors = {}, []
    for key, value in values.items():
        if value in (None, ""):
            continue
        if not str(key).isdigit() or not plan.start_year <= int(key) <= plan.end_year:
            errors.append(_("%(year)s is not a year of the plan.") % {"year": key})
            continue
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            number = None
        if number is None or not number.is_finite() or abs(number) >= Decimal(10) ** 14:
            errors.append(_("The value for %(year)s is not a number.") % {"year": key})
            continue
        cleaned[str(int(key))] = _number(number.quantize(Decimal("0.0001")))
    if errors:
        raise ValidationError({"yearly_values": errors})
    return dict(sorted(cleaned.items()))


def _target_errors(target: Target, errors: dict) -> None:
    from opendost.planning import indicators

    if target.indicator_key and indicators.get(target.indicator_key) is None:
        _add(errors, "indicator_key", _("No indicator is defined under this key."))
    low, high = target.target_min, target.target_max
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        _add(errors, "target_max", _("The maximum is below the minimum."))


@transaction.atomic
def target_update(
    *, actor, target: Target, expected_version: int | None = None, original: dict | None = None, **changes
) -> Target:
    """Change a target (TARGET_FIELDS). A target with values typed in stays manual: switching it to a
    computed indicator would silently drop them."""
    _check_keys(changes, TARGET_EDIT_FIELDS)
    plan = target.plan
    _require(_allowed(actor, "planning.change_target", plan.department_id))
    current = Target.objects.select_for_update().get(pk=target.pk)
    before = model_snapshot(current)
    errors: dict = {}
    if "yearly_values" in changes:
        try:
            changes["yearly_values"] = clean_yearly_values(plan, changes["yearly_values"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
            changes.pop("yearly_values")
    for name, value in changes.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    if current.indicator_key and current.manual_values.exists():
        _add(errors, "indicator_key", _("Values were typed in for this target: it stays entered by hand."))
    _target_errors(current, errors)
    if plan.targets.filter(code=current.code).exclude(pk=current.pk).exists():
        _add(errors, "code", _("Another target of the plan has this code."))
    try:
        current.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    _raise(errors)
    version = current.version if expected_version is None else expected_version
    save_with_version(current, expected_version=version, fields=sorted(changes), actor=actor, original=original)
    _audit_change(actor, current, before, plan.department_id)
    return current


@transaction.atomic
def target_delete(*, actor, target: Target, expected_version: int | None = None) -> None:
    """Delete a target that no value was typed in for (those are records with their documents)."""
    plan = target.plan
    _require(_allowed(actor, "planning.delete_target", plan.department_id))
    _check_version(target, expected_version, None, ["title"])
    if target.manual_values.exists():
        raise ValidationError(
            _("Values were typed in for this target with their documents: it cannot be deleted."), code="wrong_state"
        )
    _audit_delete(actor, target, plan.department_id)
    target.delete()


# BUDGET LINES ------------------------------------------------------------------------------------
def _ancestors(line: BudgetLine, by_id: dict) -> list[BudgetLine]:
    found, parent_id = [], line.parent_id
    while parent_id is not None and parent_id in by_id and len(found) <= len(by_id):
        found.append(by_id[parent_id])
        parent_id = by_id[parent_id].parent_id
    return found


def _line_errors(line: BudgetLine, errors: dict) -> None:
    """The tree stays a tree of the plan, and a source of spending is counted once."""
    from opendost.planning import budget

    lines = {other.pk: other for other in BudgetLine.objects.filter(plan_id=line.plan_id)}
    if any(other.code == line.code and other.pk != line.pk for other in lines.values()):
        _add(errors, "code", _("Another line of the plan has this code."))
    if line.pk:
        lines[line.pk] = line
    if line.parent_id is not None:
        parent = lines.get(line.parent_id)
        if parent is None:
            _add(errors, "parent", _("The parent line belongs to another plan."))
            return
        if line.pk and (line.parent_id == line.pk or line in _ancestors(parent, lines)):
            _add(errors, "parent", _("A line cannot be placed under itself or one of its own lines."))
            return
    if line.source_key:
        if budget.get(line.source_key) is None:
            _add(errors, "source_key", _("No such kind of spending."))
            return
        others = [o for o in lines.values() if o.source_key == line.source_key and o.pk != line.pk]
        if others:
            _add(errors, "source_key", _("Another line already counts this spending: %(line)s.") % {"line": others[0]})
        family = set(_ancestors(line, lines))
        if line.pk:
            family |= {o for o in lines.values() if line in _ancestors(o, lines)}
        counted = [o for o in family if o.source_key]
        if counted:
            _add(
                errors,
                "source_key",
                _("A line above or below already counts task spending: %(line)s.") % {"line": counted[0]},
            )


def _money(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError:
        raise ValidationError({"amount_million": _("Give an amount in million VND.")}) from None
    if not amount.is_finite() or abs(amount) >= Decimal(10) ** 16:
        raise ValidationError({"amount_million": _("Give an amount in million VND.")})
    return amount


@transaction.atomic
def budget_line_create(
    *,
    actor,
    plan: Plan,
    code: str,
    title: str,
    amount_million,
    parent: BudgetLine | None = None,
    position: int = 0,
    source_key: str = "",
) -> BudgetLine:
    """A new line of the plan's budget tree, checked like an edit (see budget_line_update)."""
    _require(_allowed(actor, "planning.add_budgetline", plan.department_id))
    amount = _money(0 if amount_million is None else amount_million)
    if amount_million is None or amount < 0:
        raise ValidationError({"amount_million": _("A stated amount cannot be negative.")})
    line = BudgetLine(
        plan=plan, parent=parent, code=code, title=(title or "").strip(),
        amount_million=amount, position=position, source_key=source_key or "",
    )  # fmt: skip
    errors: dict = {}
    if parent is not None and parent.plan_id != plan.pk:
        _add(errors, "parent", _("The parent line belongs to another plan."))
    else:
        _line_errors(line, errors)
    try:
        line.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    _raise(errors)
    line.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=line, after=model_snapshot(line), department_id=plan.department_id
    )
    return line


@transaction.atomic
def budget_line_update(
    *, actor, line: BudgetLine, expected_version: int | None = None, original: dict | None = None, **changes
) -> BudgetLine:
    """Change a line (BUDGET_LINE_FIELDS): the tree stays a tree of the plan, and a kind of task
    spending is counted by one line only, never by a line and one above or below it (budget.py)."""
    _check_keys(changes, BUDGET_LINE_FIELDS)
    plan = line.plan
    _require(_allowed(actor, "planning.change_budgetline", plan.department_id))
    current = BudgetLine.objects.select_for_update().get(pk=line.pk)
    before = model_snapshot(current)
    errors: dict = {}
    if "amount_million" in changes:
        amount = None if changes["amount_million"] is None else _money(changes["amount_million"])
        if amount is None or amount < 0:
            _add(errors, "amount_million", _("A stated amount cannot be negative."))
            changes.pop("amount_million")
        else:
            changes["amount_million"] = amount
    changes["source_key"] = changes.get("source_key", current.source_key) or ""
    for name, value in changes.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    if "parent" in changes and current.parent is not None and current.parent.plan_id != plan.pk:
        _add(errors, "parent", _("The parent line belongs to another plan."))
    else:
        _line_errors(current, errors)
    try:
        current.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    _raise(errors)
    version = current.version if expected_version is None else expected_version
    save_with_version(current, expected_version=version, fields=sorted(changes), actor=actor, original=original)
    _audit_change(actor, current, before, plan.department_id)
    return current


@transaction.atomic
def budget_line_delete(*, actor, line: BudgetLine, expected_version: int | None = None) -> None:
    """Delete a line without lines below it and without allocations (those carry documents)."""
    plan = line.plan
    _require(_allowed(actor, "planning.delete_budgetline", plan.department_id))
    _check_version(line, expected_version, None, ["title"])
    if line.children.exists():
        raise ValidationError(_("Move or delete the lines below it first."), code="wrong_state")
    if line.allocations.exists():
        raise ValidationError(
            _("Money was allocated to this line with its documents: it cannot be deleted."), code="wrong_state"
        )
    _audit_delete(actor, line, plan.department_id)
    line.delete()


# ALLOCATIONS -------------------------------------------------------------------------------------
def _allocation_errors(line: BudgetLine, year, amount: Decimal, source_document: str, *, exclude_pk=None) -> dict:
    errors: dict = {}
    plan = line.plan
    if year is None or not plan.start_year <= int(year) <= plan.end_year:
        _add(errors, "year", _("The year is outside the plan's period."))
    if amount == 0:
        _add(errors, "amount_million", _("An allocation is a positive amount, or a negative one for a cut."))
    if not (source_document or "").strip():
        _add(errors, "source_document", _("Name the document that allocates the money."))
    if not errors:
        others = BudgetAllocation.objects.filter(line=line, year=year).exclude(pk=exclude_pk)
        total = (others.aggregate(s=Sum("amount_million"))["s"] or Decimal(0)) + amount
        if total < 0:
            _add(errors, "amount_million", _("The cuts would take the year's allocation below zero."))
    return errors


@transaction.atomic
def allocation_create(*, actor, line: BudgetLine, year: int, amount_million, source_document: str):
    """Money allocated to a line for a year, with its document (audited; no second approval)."""
    plan = line.plan
    _require(_allowed(actor, "planning.add_budgetallocation", plan.department_id))
    amount = _money(amount_million)
    _raise(_allocation_errors(line, year, amount, source_document))
    allocation = BudgetAllocation.objects.create(
        line=line, year=int(year), amount_million=amount, source_document=source_document.strip(), entered_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=allocation,
        after=model_snapshot(allocation),
        department_id=plan.department_id,
    )
    return allocation


@transaction.atomic
def allocation_update(*, actor, allocation, year: int, amount_million, source_document: str):
    plan = allocation.line.plan
    _require(_allowed(actor, "planning.change_budgetallocation", plan.department_id))
    current = BudgetAllocation.objects.select_for_update().get(pk=allocation.pk)
    before = model_snapshot(current)
    amount = _money(amount_million)
    _raise(_allocation_errors(current.line, year, amount, source_document, exclude_pk=current.pk))
    current.year, current.amount_million, current.source_document = int(year), amount, source_document.strip()
    current.save(update_fields=["year", "amount_million", "source_document", "updated_at"])
    _audit_change(actor, current, before, plan.department_id)
    return current


@transaction.atomic
def allocation_delete(*, actor, allocation) -> None:
    plan = allocation.line.plan
    _require(_allowed(actor, "planning.delete_budgetallocation", plan.department_id))
    others = allocation.line.allocations.filter(year=allocation.year).exclude(pk=allocation.pk)
    if (others.aggregate(s=Sum("amount_million"))["s"] or Decimal(0)) < 0:
        raise ValidationError(_("The cuts would take the year's allocation below zero."), code="wrong_state")
    _audit_delete(actor, allocation, plan.department_id)
    allocation.delete()


# COPY --------------------------------------------------------------------------------------------
def successor_of(department):
    """The department that holds a ceased department's records today."""
    seen = set()
    while department.successor_id is not None and department.pk not in seen:
        seen.add(department.pk)
        department = department.successor
    return department


def baseline_from(source: Plan, target: Target, *, department_ids) -> tuple[Decimal | None, str]:
    """What a target of the next plan starts from: the source plan's actual over its whole period
    where one is computed (records, or approved manual values), otherwise its target."""
    from opendost.planning import selectors

    value = selectors.target_value(
        target, department_ids=department_ids, year_from=source.start_year, year_to=source.end_year
    )
    actual = selectors.display_number(target, value.number)
    period = f"{source.start_year}-{source.end_year}"
    if actual is not None:
        note = _("Baseline: the actual %(period)s of %(plan)s, computed from the records on %(day)s.")
        if target.is_manual:
            note = _("Baseline: the actual %(period)s of %(plan)s, from the approved values on %(day)s.")
        day = timezone.localdate().strftime("%d/%m/%Y")
        return Decimal(actual), note % {"period": period, "plan": source.code, "day": day}
    if target.target_value is not None:
        return target.target_value, _("Baseline: the target %(period)s of %(plan)s (no actual computed).") % {
            "period": period,
            "plan": source.code,
        }
    return None, ""


@transaction.atomic
def plan_copy(*, actor, source: Plan, code: str, title: str, start_year: int, end_year: int) -> Plan:
    """A new plan made from `source` to be edited, in the department that holds the source's records.

    Decisions (docs: planning/budget.py for the budget mapping):
    - targets: copied with their indicator, unit, range and responsible unit, as the starting point to
      edit; each baseline becomes the source's actual over its whole period where one is computed (or
      approved by hand), otherwise the source's target, labelled "<first>-<last year>" of the source;
      the values per year move with the period (a value of the source's 2nd year becomes one of the
      new 2nd year; years beyond the new period are dropped);
    - budget lines: the tree (codes, titles, order, the spending each counts) with every stated amount
      at 0 — a stated figure needs the new plan's document; allocations are not copied;
    - legal basis and plan document: empty, to be filled from the new plan's decision;
    - manual values stay with the source (they are the source's records).
    """
    department = successor_of(source.department)
    _require(_allowed(actor, "planning.add_plan", department))
    errors: dict = {}
    _period_errors(errors, start_year, end_year)
    if code and Plan.objects.filter(department=department, code=code).exists():
        _add(errors, "code", _("Another plan of the department has this code."))
    _raise(errors)
    plan = Plan(
        department=department, code=(code or "").strip(), title=(title or "").strip(),
        start_year=int(start_year), end_year=int(end_year), copied_from=source,
    )  # fmt: skip
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=plan, after=model_snapshot(plan), note="copied")
    department_ids = source.department.jurisdiction_ids()
    shift = plan.start_year - source.start_year
    for target in source.targets.all():
        baseline, note = baseline_from(source, target, department_ids=department_ids)
        yearly = {
            str(int(year) + shift): value
            for year, value in (target.yearly_values or {}).items()
            if str(year).isdigit() and plan.start_year <= int(year) + shift <= plan.end_year
        }
        target_create(
            actor=actor, plan=plan, code=target.code, title=target.title, area=target.area, unit=target.unit,
            indicator_key=target.indicator_key, baseline_value=baseline,
            baseline_label=f"{source.start_year}-{source.end_year}" if baseline is not None else "",
            target_min=target.target_min, target_max=target.target_max, yearly_values=yearly,
            source_text=note, responsible_unit=target.responsible_unit, position=target.position,
        )  # fmt: skip
    copies: dict[int, BudgetLine] = {}
    for row in _tree_order(source):
        copies[row.pk] = budget_line_create(
            actor=actor, plan=plan, code=row.code, title=row.title, amount_million=0,
            parent=copies.get(row.parent_id), position=row.position, source_key=row.source_key,
        )  # fmt: skip
    return plan


def _tree_order(plan: Plan) -> list[BudgetLine]:
    """Parents before their lines."""
    lines = list(plan.budget_lines.all())
    by_parent: dict[int | None, list[BudgetLine]] = {}
    for line in lines:
        by_parent.setdefault(line.parent_id, []).append(line)
    ordered: list[BudgetLine] = []
    frontier = by_parent.get(None, [])
    while frontier:
        ordered.extend(frontier)
        frontier = [child for line in frontier for child in by_parent.get(line.pk, [])]
    return ordered


# DEMO --------------------------------------------------------------------------------------------
NEXT_CODE = "khcn-2026-2030"
NEXT_TITLE = "Kế hoạch phát triển khoa học, công nghệ và đổi mới sáng tạo 5 năm giai đoạn 2026 - 2030 (dự thảo)"


def plan_demo_next(*, plan: Plan) -> Plan:
    """The demo: the 2021-2025 plan's lines count task spending as budget.SEED_SOURCES says, and the
    2026-2030 draft is its copy (once)."""
    from opendost.planning import budget

    for code, key in budget.SEED_SOURCES.items():
        line = plan.budget_lines.filter(code=code, source_key="").first()
        if line is not None and not plan.budget_lines.filter(source_key=key).exists():
            budget_line_update(actor=None, line=line, source_key=key)
    existing = Plan.objects.filter(department=successor_of(plan.department), code=NEXT_CODE).first()
    if existing is not None:
        return existing
    return plan_copy(actor=None, source=plan, code=NEXT_CODE, title=NEXT_TITLE, start_year=2026, end_year=2030)
