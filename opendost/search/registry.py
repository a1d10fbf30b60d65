"""Which models are searchable and how a record becomes a search document.

An app registers its models from its AppConfig.ready():

    register(SearchSpec(
        Organization,
        title=lambda o: o.name,
        body=lambda o: " ".join([o.short_name, o.tax_code]),
        department=lambda o: o.department_id,
        queryset=lambda: Organization.objects.select_related("province"),
    ))

`department` returns the department id the record belongs to, or None for records every user
may find; `queryset` is what `search_reindex` walks (defaults to `model._default_manager`); `url`
links a hit (defaults to `get_absolute_url()`); `permission` is what the search page requires to
show hits of the model (defaults to "<app>.view_<model>"). The search page shows a model's hits only
if its default manager has `visible_to(user)`, and only the rows that queryset returns.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class SearchSpec:
    model: type[models.Model]
    title: Callable[[Any], str]
    body: Callable[[Any], str] = lambda obj: ""
    department: Callable[[Any], int | None] = lambda obj: None
    queryset: Callable[[], models.QuerySet] | None = None
    url: Callable[[Any], str] | None = None
    permission: str | None = None

    def rows(self) -> models.QuerySet:
        return self.queryset() if self.queryset is not None else self.model._default_manager.all()

    def url_of(self, obj) -> str:
        return self.url(obj) if self.url is not None else obj.get_absolute_url()

    @property
    def view_permission(self) -> str:
        """Who may see hits of this model on the search page (besides its visible_to scoping)."""
        opts = self.model._meta
        return self.permission or f"{opts.app_label}.view_{opts.model_name}"


_SPECS: dict[type[models.Model], SearchSpec] = {}


def _key(model: type[models.Model]) -> type[models.Model]:
    return model._meta.concrete_model


def register(spec: SearchSpec) -> None:
    """Register (or replace) the spec of a model."""
    _SPECS[_key(spec.model)] = spec


def unregister(model: type[models.Model]) -> None:
    _SPECS.pop(_key(model), None)


def spec_for(model: type[models.Model]) -> SearchSpec:
    try:
        return _SPECS[_key(model)]
    except KeyError:
        raise LookupError(f"{model._meta.label} is not registered for search") from None


def registered_models() -> list[type[models.Model]]:
    return sorted(_SPECS, key=lambda m: m._meta.label)
