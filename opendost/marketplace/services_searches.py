"""Saved searches of the technology exchange: a logged-in user keeps a search of the public exchange
(kind, words, S&T field, province, minimum readiness level) and, with alerts on, is told when a newly
published listing meets it (matching.alerts_send does the telling).

A saved search is its user's own: nobody else reads, changes or deletes it (selectors_public scopes
them, so another user's search is not found).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.common.text import normalize
from opendost.marketplace.enums import ListingKind
from opendost.marketplace.models import SavedSearch

MAX_PER_USER = 20
FIELDS = ["name", "kind", "query", "field", "province", "min_readiness_level", "alerts"]


def _errors(search: SavedSearch) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not search.name:
        errors["name"] = [_("Give the search a name.")]
    elif len(search.name) > 150:
        errors["name"] = [_("Keep the name under 150 characters.")]
    if search.kind and search.kind not in ListingKind.values:
        errors["kind"] = [_("Choose the kind of listing: offer, need, equipment or service.")]
    if len(search.query) > 300:
        errors["query"] = [_("Keep the words under 300 characters.")]
    level = search.min_readiness_level
    if level is not None and not (isinstance(level, int) and 1 <= level <= 9):
        errors["min_readiness_level"] = [_("The technology readiness level is a whole number from 1 to 9.")]
    criteria = (search.kind, search.query, search.field_id, search.province_id, search.min_readiness_level)
    if not any(criteria):
        errors.setdefault("query", []).append(
            _("Give at least one criterion (words, kind, field, province or readiness level).")
        )
    return errors


@transaction.atomic
def saved_search_create(
    *,
    actor,
    name: str,
    kind: str = "",
    query: str = "",
    field=None,
    province=None,
    min_readiness_level: int | None = None,
    alerts: bool = True,
) -> SavedSearch:
    """Keep a search for `actor` (at most MAX_PER_USER each); ValidationError by field."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    search = SavedSearch(
        user=actor,
        name=normalize(name),
        kind=kind or "",
        query=normalize(query),
        field=field,
        province=province,
        min_readiness_level=min_readiness_level,
        alerts=bool(alerts),
    )
    errors = _errors(search)
    if SavedSearch.objects.filter(user=actor).count() >= MAX_PER_USER:
        errors.setdefault("name", []).append(
            _("You already keep %(count)s searches: delete one first.") % {"count": MAX_PER_USER}
        )
    if errors:
        raise ValidationError(errors)
    search.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=search, after=model_snapshot(search, FIELDS))
    return search


def _own(actor, search: SavedSearch) -> None:
    if actor is None or not actor.is_authenticated or search.user_id != actor.pk:
        raise PermissionDenied


@transaction.atomic
def saved_search_set_alerts(*, actor, search: SavedSearch, alerts: bool) -> SavedSearch:
    """Turn the alerts of one's own saved search on or off."""
    _own(actor, search)
    before: dict[str, Any] = model_snapshot(search, FIELDS)
    SavedSearch.objects.filter(pk=search.pk).update(alerts=bool(alerts))
    search.alerts = bool(alerts)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=search, before=before, after=model_snapshot(search, FIELDS)
    )
    return search


@transaction.atomic
def saved_search_delete(*, actor, search: SavedSearch) -> None:
    _own(actor, search)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=search, before=model_snapshot(search, FIELDS))
    search.delete()
