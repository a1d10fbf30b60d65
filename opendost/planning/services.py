"""The only writers of the plan. Keyword-only, audited, atomic."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.planning.enums import ManualValueStatus
from opendost.planning.models import BudgetLine, ManualValue, Plan, Target
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
    target = Target(plan=plan, **data)
    target.full_clean()
    target.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=target, after=model_snapshot(target),
        department_id=plan.department_id,
    )  # fmt: skip
    return target


@transaction.atomic
def budget_line_create(
    *, actor, plan: Plan, code: str, title: str, amount_million, parent: BudgetLine | None = None, position: int = 0
) -> BudgetLine:
    if actor is not None and not can(actor, "planning.add_budgetline", plan.department_id):
        raise PermissionDenied
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError(_("The parent line belongs to another plan."))
    line = BudgetLine(
        plan=plan,
        parent=parent,
        code=code,
        title=title,
        amount_million=Decimal(str(amount_million)),
        position=position,
    )
    line.full_clean()
    line.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=line, after=model_snapshot(line), department_id=plan.department_id
    )
    return line


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
