"""R-03: random sequences of actions, by random users, including replays from stale pages.

Invariants: the state is always one of the graph's states; the transition log is a valid path from
the initial state along the graph's edges; a refused action changes nothing.
"""

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from opendost.workflow.exceptions import ConcurrentTransition, TransitionNotAllowed
from opendost.workflow.models import TransitionLog
from opendost.workflow.services import transition_apply
from tests.factories import UserFactory, officer
from tests.workflow.models import DEMO_WORKFLOW, DemoState, DemoTicket

NAMES = [t.name for t in DEMO_WORKFLOW.transitions]


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_workflow")
def test_random_action_sequences_keep_the_workflow_consistent():
    users = {"leader": UserFactory(username="leader-sm"), "officer": officer(), "nobody": UserFactory()}

    class TicketMachine(RuleBasedStateMachine):
        @initialize()
        def open_ticket(self):
            self.ticket = DemoTicket.objects.create(title="sm")
            self.stale = DemoTicket.objects.get(pk=self.ticket.pk)
            self.applied = 0

        @rule(name=st.sampled_from(NAMES), who=st.sampled_from(sorted(users)), from_stale_page=st.booleans())
        def act(self, name, who, from_stale_page):
            target = self.stale if from_stale_page else self.ticket
            before = DemoTicket.objects.get(pk=self.ticket.pk).state
            transition = DEMO_WORKFLOW.get(name)
            expected_ok = (
                str(target.state) == before
                and before in transition.sources
                and transition.allowed_for(users[who], target)
            )
            try:
                transition_apply(target, name, actor=users[who])
            except (TransitionNotAllowed, ConcurrentTransition, PermissionDenied):
                assert not expected_ok
                assert DemoTicket.objects.get(pk=self.ticket.pk).state == before
            else:
                assert expected_ok
                self.applied += 1
                self.ticket.refresh_from_db()
            if not from_stale_page:
                self.stale = DemoTicket.objects.get(pk=self.ticket.pk) if who == "nobody" else self.stale

        @invariant()
        def state_is_in_the_graph(self):
            assert DemoTicket.objects.get(pk=self.ticket.pk).state in DemoState.values

        @invariant()
        def history_is_a_valid_path(self):
            logs = list(TransitionLog.objects.filter(object_id=str(self.ticket.pk)).order_by("pk"))
            state = DEMO_WORKFLOW.initial
            for log in logs:
                assert log.from_state == state
                assert (log.from_state, log.to_state) in DEMO_WORKFLOW.edges()
                assert DEMO_WORKFLOW.get(log.name).target == log.to_state
                state = log.to_state
            assert state == DemoTicket.objects.get(pk=self.ticket.pk).state
            assert len(logs) == self.applied
            assert DemoTicket.objects.get(pk=self.ticket.pk).version == 1 + self.applied

    run_state_machine_as_test(
        TicketMachine,
        settings=settings(
            max_examples=40, stateful_step_count=15, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
