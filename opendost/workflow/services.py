"""The only writer of workflow status fields (house style 3.3)."""

from functools import partial

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.workflow.engine import Transition, Workflow, workflow_for
from opendost.workflow.exceptions import ConcurrentTransition, TransitionNotAllowed
from opendost.workflow.models import TransitionLog


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


@transaction.atomic
def transition_apply(obj, name: str, *, actor, note: str = ""):
    """Move `obj` along transition `name` and return it, refreshed.

    1. The transition must exist and the state the caller saw must be one of its sources;
       otherwise TransitionNotAllowed and nothing changes (S-05).
    2. The actor must hold its permission (PermissionDenied).
    3. The state is claimed with one conditional UPDATE (`WHERE pk = … AND status = <seen>`); a
       row count of 0 means someone moved it first: ConcurrentTransition, nothing written (R-03).
       No select_for_update, which SQLite ignores; on PostgreSQL the UPDATE's row lock makes the
       second writer re-check the WHERE after the first commits.
    4. A TransitionLog row and an audit event (action=transition) are written in the same transaction.
    5. Hooks are queued with on_commit, so a rollback sends nothing.
    """
    workflow = workflow_for(obj)
    transition = workflow.get(name)
    current = str(getattr(obj, workflow.field))
    if transition is None:
        raise TransitionNotAllowed(_("This action does not exist for this record."), code="unknown_transition")
    if current not in {str(s) for s in transition.sources}:
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while the record is “%(state)s”; it needs: %(sources)s.")
            % {
                "action": transition.display,
                "state": workflow.label_of(current),
                "sources": ", ".join(f"“{workflow.label_of(s)}”" for s in transition.sources),
            },
            code="wrong_state",
        )
    if not transition.allowed_for(actor, obj):
        raise PermissionDenied
    _claim(obj, workflow, transition, current)
    now = timezone.now()
    TransitionLog.objects.create(
        content_type=_content_type(obj),
        object_id=str(obj.pk),
        name=transition.name,
        from_state=current,
        to_state=str(transition.target),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=now,
        note=note,
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=obj,
        before={workflow.field: current},
        after={workflow.field: str(transition.target)},
        note=f"{transition.name}: {note}" if note else transition.name,
    )
    for hook in transition.hooks:
        transaction.on_commit(partial(hook, obj=obj, transition=transition, actor=actor, from_state=current))
    return obj


def _claim(obj, workflow: Workflow, transition: Transition, current: str) -> None:
    model = type(obj)
    updates = {workflow.field: str(transition.target)}
    refresh = [workflow.field]
    if _has_field(model, "version"):
        updates["version"] = F("version") + 1
        refresh.append("version")
    if _has_field(model, "updated_at"):
        updates["updated_at"] = timezone.now()
        refresh.append("updated_at")
    claimed = model._base_manager.filter(pk=obj.pk, **{workflow.field: current}).update(**updates)
    if claimed != 1:
        now_state = model._base_manager.filter(pk=obj.pk).values_list(workflow.field, flat=True).first()
        raise ConcurrentTransition(
            _(
                "Someone else changed this record while you were working on it: it is now “%(state)s”. "
                "Reload the page to see its current status."
            )
            % {"state": workflow.label_of(now_state) if now_state is not None else _("deleted")},
            code="concurrent_transition",
        )
    obj.refresh_from_db(fields=refresh)


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj, for_concrete_model=False)
