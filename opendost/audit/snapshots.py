"""Cheap before/after pictures of a record for the audit trail.

`model_snapshot(instance)` gives JSON values: dates in ISO form, a foreign key as {"id", "repr"},
a many-to-many field as its sorted ids, and masked text for the fields a model lists in
`audit_mask` (a set of names, masked with `mask_text`, or a dict name -> masking function).
Personal data therefore never reaches the trail in clear (S-24, R-22).
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from opendost.audit.hashing import jsonable

EMPTY = (None, "", [], {})


def mask_text(value: Any) -> str:
    """Keep the last 3 characters of a value longer than 4; hide the rest ('001234567890' -> '*********890')."""
    if value in EMPTY:
        return ""
    text = str(value)
    keep = 3 if len(text) > 4 else 0
    return "*" * (len(text) - keep) + text[len(text) - keep :]


def maskers(model) -> dict[str, Callable[[Any], Any]]:
    declared = getattr(model, "audit_mask", None) or ()
    if isinstance(declared, dict):
        return dict(declared)
    return dict.fromkeys(declared, mask_text)


def default_fields(model) -> list[str]:
    """Fields a person edits: concrete, editable, not the primary key; plus many-to-many fields."""
    names = getattr(model, "audit_fields", None)
    if names is not None:
        return list(names)
    opts = model._meta
    concrete = [f.name for f in opts.concrete_fields if f.editable and not f.primary_key]
    return concrete + [f.name for f in opts.many_to_many if f.editable]


def model_snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """JSON-able values of `fields` (default: `default_fields`); masked where the model says so.

    A foreign key costs a query unless it was fetched with select_related; a many-to-many field costs
    one query (none for an unsaved instance).
    """
    model = type(instance)
    names = list(fields) if fields is not None else default_fields(model)
    masks = maskers(model)
    snapshot: dict[str, Any] = {}
    for name in names:
        field = model._meta.get_field(name)
        if field.many_to_many:
            value = sorted(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else []
        elif field.many_to_one or field.one_to_one:
            related_id = getattr(instance, field.attname)
            value = None if related_id is None else {"id": jsonable(related_id), "repr": str(getattr(instance, name))}
        elif isinstance(field, models.FileField):
            value = getattr(instance, name).name or ""
        else:
            value = jsonable(getattr(instance, field.attname))
        if name in masks:
            value = masks[name](value)
        snapshot[name] = value
    return snapshot


def diff(before: dict | None, after: dict | None) -> dict[str, list]:
    """{field: [before, after]} for every field whose value changed; empty values count as equal."""
    before, after = before or {}, after or {}
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old in EMPTY and new in EMPTY:
            continue
        if old != new:
            changes[name] = [old, new]
    return changes
