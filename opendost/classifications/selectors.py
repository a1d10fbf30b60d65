"""Reads over S&T field classifications."""

import datetime

from django.db.models import Q, QuerySet

from opendost.classifications.models import ClassificationNode, ClassificationScheme


def scheme_in_force(*, on: datetime.date) -> ClassificationScheme | None:
    """The scheme that applied on a day (new records are tagged with it)."""
    return (
        ClassificationScheme.objects.filter(Q(effective_from__isnull=True) | Q(effective_from__lte=on))
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .first()
    )


def node_list(*, scheme: str | None = None, level: int | None = None, parent_code: str | None = None) -> QuerySet:
    qs = ClassificationNode.objects.select_related("scheme", "parent")
    if scheme:
        qs = qs.filter(scheme__code=scheme)
    if level is not None:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs.order_by("scheme__code", "code")
