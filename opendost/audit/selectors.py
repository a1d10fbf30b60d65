"""Reads of the audit trail: a record's history, ready to show."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from opendost.audit.enums import AuditAction
from opendost.audit.models import AuditEvent

HISTORY_LIMIT = 50
DASH = "—"


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    event: AuditEvent
    actor: str
    changes: list[Change] = field(default_factory=list)


def history_for(obj: models.Model, user, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The newest `limit` changes of `obj` with field labels and readable before → after values.

    Reads of personal data (view_personal) are in the trail but not in a record's change history.

    The caller has fetched `obj` through a scoped queryset; when the model has `visible_to`, the
    scope is checked again here, so a history is never shown to someone who cannot see the record.
    Queries: the events (with their actors), plus one per many-to-many field that changed.
    """
    model = type(obj)
    manager = model._default_manager
    if hasattr(manager.get_queryset(), "visible_to") and not manager.visible_to(user).filter(pk=obj.pk).exists():
        return []
    events = list(
        AuditEvent.objects.for_object(obj)
        .exclude(action=AuditAction.VIEW_PERSONAL)
        .select_related("actor")
        .order_by("-seq")[:limit]
    )
    related_names = _related_names(model, events)
    return [
        HistoryEntry(
            event=event,
            actor=_actor_name(event),
            changes=[
                Change(
                    label=_label(model, name),
                    before=_display(model, name, pair[0], related_names),
                    after=_display(model, name, pair[1], related_names),
                )
                for name, pair in (event.changes or {}).items()
            ],
        )
        for event in events
    ]


def _actor_name(event: AuditEvent) -> str:
    if event.actor is not None:
        return getattr(event.actor, "full_name", "") or event.actor.get_username()
    return event.actor_label or _("System")


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(model, name: str) -> str:
    model_field = _field(model, name)
    if model_field is None:
        return name.replace("_", " ").capitalize()
    if model_field.auto_created and model_field.is_relation:  # a reverse relation, e.g. "contacts"
        return str(model_field.related_model._meta.verbose_name_plural).capitalize()
    return str(model_field.verbose_name).capitalize()


def _related_names(model, events: list[AuditEvent]) -> dict[str, dict[Any, str]]:
    """For each many-to-many field in these events: id -> name, one query per field."""
    wanted: dict[str, set] = {}
    for event in events:
        for name, pair in (event.changes or {}).items():
            model_field = _field(model, name)
            if model_field is not None and model_field.many_to_many and not model_field.auto_created:
                for value in pair:
                    wanted.setdefault(name, set()).update(value or [])
    return {
        name: {obj.pk: str(obj) for obj in _field(model, name).related_model._base_manager.filter(pk__in=ids)}
        for name, ids in wanted.items()
    }


def _display(model, name: str, value: Any, related_names: dict) -> str:
    if value in (None, "", [], {}):
        return DASH
    model_field = _field(model, name)
    if isinstance(value, dict) and "repr" in value:
        return str(value["repr"])
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if model_field is not None and model_field.many_to_many and isinstance(value, list):
        names = related_names.get(name, {})
        return ", ".join(names.get(pk, f"#{pk}") for pk in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if model_field is not None and getattr(model_field, "flatchoices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return formats.date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, "d/m/Y H:i")
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        try:
            return formats.date_format(dt.date.fromisoformat(value), "d/m/Y")
        except ValueError:
            return value
    return str(value)
