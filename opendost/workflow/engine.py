"""Workflows are data: a table of transitions per model, registered by the domain app.

    # opendost/dossiers/workflows.py
    DOSSIER_WORKFLOW = Workflow(
        field="status",
        states=DossierStatus,
        transitions=[
            Transition("accept", sources=[DossierStatus.RECEIVED], target=DossierStatus.APPRAISAL,
                       permission="dossiers.accept_dossier", label=_("Accept")),
            Transition("approve", sources=[DossierStatus.APPRAISAL], target=DossierStatus.APPROVED,
                       permission=can_approve_dossier, hooks=[plan_result_deadline]),
        ],
    )

    # opendost/dossiers/apps.py
    def ready(self):
        from opendost.workflow import engine
        engine.register(Dossier, DOSSIER_WORKFLOW)

The engine never imports a domain app. The status field is written only by
`services.transition_apply` (tests/workflow/test_no_direct_writes.py scans the code for other writers).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

Predicate = Callable[[Any, Any], bool]  # (user, obj) -> allowed
Hook = Callable[..., None]  # hook(obj=..., transition=..., actor=..., from_state=...)


@dataclass(frozen=True)
class Transition:
    """`permission` is an "app_label.codename" the user must hold, or a predicate(user, obj).
    `hooks` run after the commit, in order; each receives obj, transition, actor and from_state."""

    name: str
    sources: Sequence[str]
    target: str
    permission: str | Predicate
    hooks: Sequence[Hook] = ()
    label: Any = ""

    def allowed_for(self, user, obj) -> bool:
        if user is None or not getattr(user, "is_active", False):
            return False
        if callable(self.permission):
            return bool(self.permission(user, obj))
        return user.has_perm(self.permission)

    @property
    def display(self) -> str:
        return str(self.label or self.name.replace("_", " ").capitalize())


@dataclass
class Workflow:
    field: str
    states: type[models.TextChoices]
    transitions: Iterable[Transition]
    initial: str | None = None
    model: type[models.Model] | None = field(default=None, init=False)

    def __post_init__(self):
        self.transitions = tuple(self.transitions)
        values = set(self.states.values)
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ImproperlyConfigured(f"Duplicate transition names in {names}")
        for t in self.transitions:
            unknown = {*map(str, t.sources), str(t.target)} - values
            if unknown:
                raise ImproperlyConfigured(f"Transition {t.name!r} uses unknown states {sorted(unknown)}")
            if not t.sources:
                raise ImproperlyConfigured(f"Transition {t.name!r} has no source state")
        if self.initial is not None and self.initial not in values:
            raise ImproperlyConfigured(f"Initial state {self.initial!r} is not a state")
        self._by_name = {t.name: t for t in self.transitions}

    def get(self, name: str) -> Transition | None:
        return self._by_name.get(name)

    def label_of(self, state: str) -> str:
        try:
            return str(self.states(state).label)
        except ValueError:
            return str(state)

    def edges(self) -> set[tuple[str, str]]:
        return {(str(s), str(t.target)) for t in self.transitions for s in t.sources}


_registry: dict[type[models.Model], Workflow] = {}


def register(model: type[models.Model], workflow: Workflow) -> Workflow:
    """Attach `workflow` to `model` (call from AppConfig.ready). The field must exist; the initial
    state defaults to the field's default."""
    try:
        model_field = model._meta.get_field(workflow.field)
    except Exception as exc:
        raise ImproperlyConfigured(f"{model.__name__} has no field {workflow.field!r}") from exc
    if workflow.initial is None:
        if not model_field.has_default():
            raise ImproperlyConfigured(f"{model.__name__}.{workflow.field} needs a default or Workflow(initial=...)")
        workflow.initial = str(model_field.get_default())
    if workflow.initial not in workflow.states.values:
        raise ImproperlyConfigured(f"Initial state {workflow.initial!r} of {model.__name__} is not a state")
    if model in _registry and _registry[model] is not workflow:
        raise ImproperlyConfigured(f"{model.__name__} already has a workflow")
    workflow.model = model
    _registry[model] = workflow
    return workflow


def unregister(model: type[models.Model]) -> None:
    """For tests that register a throwaway workflow."""
    _registry.pop(model, None)


def workflow_for(model_or_obj) -> Workflow:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    try:
        return _registry[model]
    except KeyError:
        raise ImproperlyConfigured(f"{model.__name__} has no registered workflow") from None


def registered() -> dict[type[models.Model], Workflow]:
    return dict(_registry)
