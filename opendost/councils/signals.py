"""Signals for the apps whose records councils judge.

`council_closed` is sent after the commit of `services.council_close`, with `council`, `outcomes`
(the stored Outcome rows) and `actor` (the user who closed the council, for the follow-up's permission
checks and audit). A receiver runs outside the closing transaction: it must open its own, be
idempotent, and not let an exception escape (the council is already closed).
"""

from django.dispatch import Signal

council_closed = Signal()
