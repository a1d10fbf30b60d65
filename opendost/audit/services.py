"""The only writer of the audit trail.

`audit_record` joins the caller's transaction: when the business change rolls back, so does its audit
row, and the chain stays gap-free (numbers are allocated from the head row, not from a sequence).

Writers are serialised on the head row:
1. PostgreSQL: `SELECT ... FOR UPDATE` on the one AuditHead row; a second writer waits until the first
   commits, then reads the new head.
2. SQLite: every transaction starts with BEGIN IMMEDIATE (settings: transaction_mode), so only one
   writer is ever inside; FOR UPDATE is a no-op there and not needed.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from opendost.audit.context import current_request_id
from opendost.audit.enums import AuditAction
from opendost.audit.hashing import GENESIS_HASH, chain_hash, event_content, jsonable
from opendost.audit.models import AuditEvent, AuditHead
from opendost.audit.snapshots import diff
from opendost.audit.text import escape_for_log

HEAD_PK = 1


def actor_label_for(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    full_name = getattr(actor, "full_name", "") or ""
    username = actor.get_username()
    return escape_for_log(f"{full_name} ({username})" if full_name else username, limit=255)


def _locked_head() -> AuditHead:
    try:
        return AuditHead.objects.select_for_update().get(pk=HEAD_PK)
    except AuditHead.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return AuditHead.objects.create(pk=HEAD_PK, last_seq=0, last_hash=GENESIS_HASH)
    except IntegrityError:  # a concurrent first writer created it
        return AuditHead.objects.select_for_update().get(pk=HEAD_PK)


@transaction.atomic
def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    before: dict | None = None,
    after: dict | None = None,
    changes: dict | None = None,
    note: str = "",
    actor_label: str = "",
    department_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain.

    `before`/`after` are snapshots (`snapshots.model_snapshot`); `changes` defaults to their diff.
    The department used for scoping comes from `obj.department_id` unless given. `actor_label` is
    for events without a user (a failed sign-in): it is escaped (S-25).
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    before = jsonable(before) if before is not None else None
    after = jsonable(after) if after is not None else None
    changes = jsonable(changes) if changes is not None else diff(before, after)
    content_type = None
    object_id = object_repr = ""
    if obj is not None:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        object_id = str(obj.pk)
        object_repr = escape_for_log(str(obj), limit=255)
        if department_id is None:
            department_id = getattr(obj, "department_id", None)
    fields: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "actor_id": user.pk if user else None,
        "actor_label": actor_label_for(user) if user else escape_for_log(actor_label, limit=255),
        "action": str(action),
        "object_id": object_id,
        "object_repr": object_repr,
        "department_id": department_id,
        "changes": changes,
        "before": before,
        "after": after,
        "note": note or "",
        "request_id": current_request_id.get()[:64],
    }
    head = _locked_head()
    seq = head.last_seq + 1
    content_type_key = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    digest = chain_hash(head.last_hash, event_content(seq=seq, content_type_key=content_type_key, **fields))
    event = AuditEvent.objects.create(
        seq=seq, content_type=content_type, prev_hash=head.last_hash, hash=digest, **fields
    )
    AuditHead.objects.filter(pk=HEAD_PK).update(last_seq=seq, last_hash=digest)
    return event


def audit_authz_denied(*, request) -> AuditEvent:
    """A request refused with 403. Outsiders asking for another department's records get a 404 and
    are not logged here: the record's existence is not disclosed, not even to the trail."""
    user = getattr(request, "user", None)
    path = escape_for_log(request.get_full_path(), limit=500)
    return audit_record(actor=user, action=AuditAction.AUTHZ_DENIED, note=f"{request.method} {path}")
