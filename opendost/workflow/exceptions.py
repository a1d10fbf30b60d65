from django.core.exceptions import ValidationError


class TransitionNotAllowed(ValidationError):
    """The action does not exist or is not possible from the record's current state (S-05)."""


class ConcurrentTransition(TransitionNotAllowed):
    """Someone else changed the record's status between the page being shown and the action."""
