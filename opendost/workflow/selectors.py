from opendost.workflow.engine import Transition, workflow_for
from opendost.workflow.models import TransitionLog


def available_transitions(obj, user) -> list[Transition]:
    """The actions `user` may take on `obj` in its current state, in declaration order (for buttons)."""
    workflow = workflow_for(obj)
    current = str(getattr(obj, workflow.field))
    return [t for t in workflow.transitions if current in {str(s) for s in t.sources} and t.allowed_for(user, obj)]


def transition_history(obj) -> list[TransitionLog]:
    return list(TransitionLog.objects.for_object(obj).select_related("actor").order_by("at", "pk"))
