"""Corrections after creation: a proposal, a task's descriptive data, a call still in draft.

Same house rules as services.py: keyword arguments and the `actor`, one transaction, the actor's
right first (PermissionDenied), then the record's state and the data (ValidationError, every field
error at once), then the write and an audit event with the values before and after. A status never
changes here; what a decision fixed (host, investigator, budget, dates, contract) has its own step.

A task has a `version` column: its edit is checked against the version the form was opened with
(`opendost.common.locking.save_with_version`), so two officers never silently overwrite each other.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opendost.audit.snapshots import model_snapshot
from opendost.common.locking import save_with_version
from opendost.common.text import normalize
from opendost.projects.enums import AssignmentMode, CallStatus, ProposalStatus, TaskStatus
from opendost.projects.models import Proposal, SelectionCall, Task
from opendost.projects.permissions import can, represents
from opendost.projects.services import (
    _add,
    _audit_update,
    _full_clean,
    _raise,
    _require,
    _state_error,
    _text,
    results_touch,
)
from opendost.search.services import search_index

# PROPOSALS --------------------------------------------------------------------------------------
PROPOSAL_FIELDS = frozenset({"title", "problem", "objectives", "expected_results", "field", "estimated_budget"})
STAFF_PROPOSAL_FIELDS = PROPOSAL_FIELDS | {"proposer_organization", "proposer_name"}
# The officer corrects a proposal until the ordered list is decided; the proposer only its draft.
STAFF_EDITABLE_PROPOSALS = (
    ProposalStatus.DRAFT,
    ProposalStatus.SUBMITTED,
    ProposalStatus.IN_ROUND,
    ProposalStatus.SHORTLISTED,
)
_TEXTS = {"problem", "objectives", "expected_results", "description"}


def _check_keys(changes: dict, allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"fields that cannot be changed here: {', '.join(sorted(unknown))}")


def _clean(name: str, value: Any) -> Any:
    if isinstance(value, str):
        return _text(value) if name in _TEXTS else normalize(value)
    return value


def proposal_editable_by(user, proposal: Proposal) -> bool:
    """The officer of the proposal's department until the list is decided; the proposer while it is a draft."""
    if can(user, "projects.change_proposal", proposal.department_id):
        return proposal.status in STAFF_EDITABLE_PROPOSALS
    return proposal.status == ProposalStatus.DRAFT and _is_proposer(user, proposal)


def _is_proposer(user, proposal: Proposal) -> bool:
    return represents(user, proposal.proposer_organization_id) or (
        proposal.submitted_by_id is not None and proposal.submitted_by_id == getattr(user, "pk", None)
    )


@transaction.atomic
def proposal_update(*, actor, proposal: Proposal, **changes: Any) -> Proposal:
    """Change some of a proposal's fields (PROPOSAL_FIELDS; an officer also the proposer)."""
    staff = can(actor, "projects.change_proposal", proposal.department_id)
    _require(staff or _is_proposer(actor, proposal))
    _check_keys(changes, STAFF_PROPOSAL_FIELDS if staff else PROPOSAL_FIELDS)
    current = Proposal.objects.select_for_update().select_related("department").get(pk=proposal.pk)
    if staff and current.status not in STAFF_EDITABLE_PROPOSALS:
        raise _state_error(_("A proposal can no longer be changed once the ordered list is decided."))
    if not staff and current.status != ProposalStatus.DRAFT:
        raise _state_error(_("A submitted proposal can no longer be changed by its proposer."))
    before = model_snapshot(current)
    if "estimated_budget" in changes and changes["estimated_budget"] is None:
        changes["estimated_budget"] = 0  # left empty on the form
    for name, value in changes.items():
        setattr(current, name, _clean(name, value))
    errors: dict = {}
    if current.proposer_organization_id is None and not current.proposer_name:
        _add(errors, "proposer_name", _("Name the proposing organisation, commune or agency."))
    if current.proposer_organization_id is not None:
        current.proposer_name = ""
        if current.proposer_organization.department_id not in current.department.jurisdiction_ids():
            _add(errors, "proposer_organization", _("This organisation is not in the department's register."))
    if current.estimated_budget is None or int(current.estimated_budget) < 0:
        _add(errors, "estimated_budget", _("The estimated budget cannot be negative."))
    _full_clean(current, errors, exclude=["round", "submitted_at", "department", "submitted_by"])
    _raise(errors)
    current.save()
    _audit_update(actor, current, before)
    return current


# TASKS ------------------------------------------------------------------------------------------
TASK_FIELDS = frozenset({"title", "kind", "field", "objectives", "expected_products", "note"})
# How the task is to be assigned, and at which level it is accepted, are set before anyone applies.
TASK_FIELDS_WHILE_ORDERED = frozenset({"level", "assignment_mode"})
TASK_CLOSED = (TaskStatus.LIQUIDATED, TaskStatus.CLOSED, TaskStatus.CANCELLED)


def task_editable_fields(task: Task) -> frozenset:
    if task.status in TASK_CLOSED:
        return frozenset()
    if task.status == TaskStatus.ORDERED:
        return TASK_FIELDS | TASK_FIELDS_WHILE_ORDERED
    return TASK_FIELDS


def task_editable_by(user, task: Task) -> bool:
    return task.status not in TASK_CLOSED and can(user, "projects.change_task", task.department_id)


@transaction.atomic
def task_update(
    *,
    actor,
    task: Task,
    expected_version: int | None = None,
    original: dict | None = None,
    **changes: Any,
) -> Task:
    """Correct a task's descriptive data (TASK_FIELDS; level and assignment mode while it is only
    ordered). Raises EditConflict, writing nothing, when someone saved the task after
    `expected_version` (the current version when None)."""
    _require(can(actor, "projects.change_task", task.department_id))
    _check_keys(changes, TASK_FIELDS | TASK_FIELDS_WHILE_ORDERED)
    current = Task.objects.select_for_update().get(pk=task.pk)
    if current.status in TASK_CLOSED:
        raise _state_error(_("A closed task can no longer be changed."))
    allowed = task_editable_fields(current)
    errors: dict = {}
    for name in sorted(set(changes) - allowed):
        if changes[name] != getattr(current, name):
            _add(errors, name, _("This can be changed only while the task is ordered, before any selection."))
    before = model_snapshot(current)
    for name, value in changes.items():
        setattr(current, name, _clean(name, value))
    if "assignment_mode" in changes and current.assignment_mode != AssignmentMode.SELECTION and current.calls.exists():
        _add(errors, "assignment_mode", _("The task is listed in a call for applications: it stays competitive."))
    _full_clean(
        current, errors, exclude=["proposal", "round", "department", "host", "principal_investigator", "field"]
    )
    _raise(errors)
    version = current.version if expected_version is None else expected_version
    save_with_version(current, expected_version=version, fields=sorted(changes), actor=actor, original=original)
    _audit_update(actor, current, before)
    search_index(current)
    results_touch(task=current)  # the public result pages show the task's data
    return current


# CALLS ------------------------------------------------------------------------------------------
CALL_FIELDS = frozenset({"title", "description", "deadline", "tasks"})


def call_editable_by(user, call: SelectionCall) -> bool:
    return call.status == CallStatus.DRAFT and can(user, "projects.change_selectioncall", call.department_id)


@transaction.atomic
def call_update(*, actor, call: SelectionCall, **changes: Any) -> SelectionCall:
    """Change a call before it is published (CALL_FIELDS); once published, applicants rely on it."""
    _require(can(actor, "projects.change_selectioncall", call.department_id))
    _check_keys(changes, CALL_FIELDS)
    current = SelectionCall.objects.select_for_update().get(pk=call.pk)
    if current.status != CallStatus.DRAFT:
        raise _state_error(_("A published call can no longer be changed."))
    before = model_snapshot(current)
    tasks = list(changes.pop("tasks")) if "tasks" in changes else None
    errors: dict = {}
    for name, value in changes.items():
        setattr(current, name, _clean(name, value))
    if tasks is not None:
        if not tasks:
            _add(errors, "tasks", _("A call is for at least one ordered task."))
        for task in tasks:
            if task.department_id != current.department_id:
                _add(errors, "tasks", _("A call can list only tasks of its own department."))
            elif task.assignment_mode != AssignmentMode.SELECTION or task.status not in (
                TaskStatus.ORDERED,
                TaskStatus.SELECTING,
            ):
                _add(
                    errors,
                    "tasks",
                    _("%(code)s is not an ordered task to be selected competitively.") % {"code": task.code},
                )
    if "deadline" in changes and current.deadline is not None and current.deadline <= timezone.now():
        _add(errors, "deadline", _("The deadline must be in the future."))
    _full_clean(current, errors, exclude=["published_on"])
    _raise(errors)
    current.save()
    if tasks is not None:
        current.tasks.set(tasks)
    _audit_update(actor, current, before)
    return current
