"""Canonical JSON and the chain hash. Changing anything here breaks every existing chain."""

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any
from uuid import UUID

GENESIS_HASH = "0" * 64  # the prev_hash of event 1


def jsonable(value: Any) -> Any:
    """A JSON value that survives a round trip through a JSON column unchanged (no floats, no dates)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds") if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float | Decimal | UUID):
        # A float's representation differs between PostgreSQL jsonb and Python: keep it as text.
        return str(value)
    return str(value)


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text: the same bytes for the same data on every backend."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def chain_hash(prev_hash: str, content: dict) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


def event_content(
    *,
    seq,
    occurred_at,
    actor_id,
    actor_label,
    action,
    content_type_key,
    object_id,
    object_repr,
    department_id,
    changes,
    before,
    after,
    note,
    request_id,
) -> dict:
    """What the hash covers. The record type is its natural key (app_label.model), not an id that a
    dump and restore may renumber."""
    return {
        "seq": seq,
        "occurred_at": occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "content_type": content_type_key,
        "object_id": object_id,
        "object_repr": object_repr,
        "department_id": department_id,
        "changes": changes,
        "before": before,
        "after": after,
        "note": note,
        "request_id": request_id,
    }
