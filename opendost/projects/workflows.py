"""The state machines of S&T tasks and their dossiers (domain-procedures §5.3, §6).

Transitions are the only way a status changes; the services call them and add the rules that need
data (amounts, dates, documents). The `record_*` transitions put a task recorded from the former
register (Excel import, the 2016-2020 history) straight into the state it had reached: the earlier
steps happened outside OpenDOST and the log says so.
"""

from django.utils.translation import gettext_lazy as _

from opendost.projects.enums import (
    AmendmentStatus,
    ApplicationStatus,
    CallStatus,
    ProposalStatus,
    RegistrationStatus,
    ReportStatus,
    RoundStatus,
    TaskStatus,
)
from opendost.projects.permissions import (
    applicant_of,
    host_of_result,
    host_of_task,
    proposer_or_staff,
    staff,
)
from opendost.workflow.engine import Transition, Workflow

ROUND_WORKFLOW = Workflow(
    field="status",
    states=RoundStatus,
    transitions=[
        Transition(
            "close_submissions",
            sources=[RoundStatus.OPEN],
            target=RoundStatus.REVIEWING,
            permission=staff("projects.change_proposalround"),
            label=_("Close submissions"),
        ),
        Transition(
            "approve_list",
            sources=[RoundStatus.REVIEWING],
            target=RoundStatus.APPROVED,
            permission=staff("projects.approve_proposalround"),
            label=_("Approve the ordered list"),
        ),
    ],
)

PROPOSAL_WORKFLOW = Workflow(
    field="status",
    states=ProposalStatus,
    transitions=[
        Transition(
            "submit",
            sources=[ProposalStatus.DRAFT],
            target=ProposalStatus.SUBMITTED,
            permission=proposer_or_staff,
            label=_("Submit"),
        ),
        Transition(
            "group",
            sources=[ProposalStatus.SUBMITTED],
            target=ProposalStatus.IN_ROUND,
            permission=staff("projects.change_proposal"),
            label=_("Add to a round"),
        ),
        Transition(
            "shortlist",
            sources=[ProposalStatus.IN_ROUND],
            target=ProposalStatus.SHORTLISTED,
            permission=staff("projects.change_proposal"),
            label=_("Shortlist"),
        ),
        Transition(
            "reject",
            sources=[ProposalStatus.SUBMITTED, ProposalStatus.IN_ROUND, ProposalStatus.SHORTLISTED],
            target=ProposalStatus.REJECTED,
            permission=lambda user, obj: (
                staff("projects.change_proposal")(user, obj) or staff("projects.approve_proposalround")(user, obj)
            ),
            label=_("Do not retain"),
        ),
        Transition(
            "order",
            sources=[ProposalStatus.SHORTLISTED],
            target=ProposalStatus.ORDERED,
            permission=staff("projects.approve_proposalround"),
            label=_("Order"),
        ),
    ],
)

CALL_WORKFLOW = Workflow(
    field="status",
    states=CallStatus,
    transitions=[
        Transition(
            "publish",
            sources=[CallStatus.DRAFT],
            target=CallStatus.PUBLISHED,
            permission=staff("projects.change_selectioncall"),
            label=_("Publish"),
        ),
        Transition(
            "close",
            sources=[CallStatus.PUBLISHED],
            target=CallStatus.CLOSED,
            permission=staff("projects.change_selectioncall"),
            label=_("Close"),
        ),
    ],
)

APPLICATION_WORKFLOW = Workflow(
    field="status",
    states=ApplicationStatus,
    transitions=[
        Transition(
            "submit",
            sources=[ApplicationStatus.DRAFT],
            target=ApplicationStatus.SUBMITTED,
            permission=applicant_of,
            label=_("Submit"),
        ),
        Transition(
            "select",
            sources=[ApplicationStatus.SUBMITTED],
            target=ApplicationStatus.SELECTED,
            permission=staff("projects.change_selectionapplication"),
            label=_("Selected"),
        ),
        Transition(
            "not_select",
            sources=[ApplicationStatus.SUBMITTED],
            target=ApplicationStatus.NOT_SELECTED,
            permission=staff("projects.change_selectionapplication"),
            label=_("Not selected"),
        ),
    ],
)

_CHANGE = staff("projects.change_task")
_APPROVE = staff("projects.approve_task")
_RECORD = staff("projects.add_task")
_RUNNING = [TaskStatus.IN_PROGRESS, TaskStatus.EXTENDED]

TASK_WORKFLOW = Workflow(
    field="status",
    states=TaskStatus,
    transitions=[
        Transition(
            "open_selection",
            sources=[TaskStatus.ORDERED],
            target=TaskStatus.SELECTING,
            permission=_CHANGE,
            label=_("Open selection"),
        ),
        Transition(
            "assign",
            sources=[TaskStatus.ORDERED, TaskStatus.SELECTING],
            target=TaskStatus.ASSIGNED,
            permission=_APPROVE,
            label=_("Approve host and investigator"),
        ),
        Transition(
            "sign_contract",
            sources=[TaskStatus.ASSIGNED],
            target=TaskStatus.CONTRACTED,
            permission=_CHANGE,
            label=_("Sign the contract"),
        ),
        Transition(
            "start",
            sources=[TaskStatus.CONTRACTED],
            target=TaskStatus.IN_PROGRESS,
            permission=_CHANGE,
            label=_("Start"),
        ),
        Transition(
            "extend",
            sources=_RUNNING,
            target=TaskStatus.EXTENDED,
            permission=_APPROVE,
            label=_("Extend"),
        ),
        Transition(
            "submit_for_acceptance",
            sources=_RUNNING,
            target=TaskStatus.SUBMITTED_FOR_ACCEPTANCE,
            permission=_CHANGE,
            label=_("Receive the acceptance dossier"),
        ),
        Transition(
            "accept",
            sources=[TaskStatus.SUBMITTED_FOR_ACCEPTANCE],
            target=TaskStatus.ACCEPTED,
            permission=_CHANGE,
            label=_("Record acceptance"),
        ),
        Transition(
            "fail",
            sources=[TaskStatus.SUBMITTED_FOR_ACCEPTANCE],
            target=TaskStatus.FAILED,
            permission=_CHANGE,
            label=_("Record failed acceptance"),
        ),
        Transition(
            "rework",
            sources=[TaskStatus.SUBMITTED_FOR_ACCEPTANCE],
            target=TaskStatus.EXTENDED,
            permission=_CHANGE,
            label=_("Allow rework"),
        ),
        Transition(
            "register_results",
            sources=[TaskStatus.ACCEPTED],
            target=TaskStatus.RESULTS_REGISTERED,
            permission=_CHANGE,
            label=_("Results registered"),
        ),
        Transition(
            "liquidate",
            sources=[TaskStatus.RESULTS_REGISTERED],
            target=TaskStatus.LIQUIDATED,
            permission=_APPROVE,
            label=_("Liquidate the contract"),
        ),
        Transition(
            "close", sources=[TaskStatus.FAILED], target=TaskStatus.CLOSED, permission=_APPROVE, label=_("Close")
        ),
        Transition(
            "cancel",
            sources=[
                TaskStatus.ORDERED,
                TaskStatus.SELECTING,
                TaskStatus.ASSIGNED,
                TaskStatus.CONTRACTED,
                *_RUNNING,
            ],
            target=TaskStatus.CANCELLED,
            permission=_APPROVE,
            label=_("Cancel"),
        ),
        # Tasks recorded from the former register, at the state they had reached.
        Transition(
            "record_in_progress",
            sources=[TaskStatus.ORDERED],
            target=TaskStatus.IN_PROGRESS,
            permission=_RECORD,
            label=_("Recorded as in progress"),
        ),
        Transition(
            "record_accepted",
            sources=[TaskStatus.ORDERED],
            target=TaskStatus.ACCEPTED,
            permission=_RECORD,
            label=_("Recorded as accepted"),
        ),
        Transition(
            "record_results_registered",
            sources=[TaskStatus.ORDERED],
            target=TaskStatus.RESULTS_REGISTERED,
            permission=_RECORD,
            label=_("Recorded with results registered"),
        ),
        Transition(
            "record_liquidated",
            sources=[TaskStatus.ORDERED],
            target=TaskStatus.LIQUIDATED,
            permission=_RECORD,
            label=_("Recorded as liquidated"),
        ),
        Transition(
            "record_closed",
            sources=[TaskStatus.ORDERED],
            target=TaskStatus.CLOSED,
            permission=_RECORD,
            label=_("Recorded as closed"),
        ),
    ],
)

# The `record_*` transition for each state an import may give.
RECORD_TRANSITIONS = {
    TaskStatus.ORDERED: None,
    TaskStatus.IN_PROGRESS: "record_in_progress",
    TaskStatus.ACCEPTED: "record_accepted",
    TaskStatus.RESULTS_REGISTERED: "record_results_registered",
    TaskStatus.LIQUIDATED: "record_liquidated",
    TaskStatus.CLOSED: "record_closed",
}

AMENDMENT_WORKFLOW = Workflow(
    field="status",
    states=AmendmentStatus,
    transitions=[
        Transition(
            "approve",
            sources=[AmendmentStatus.REQUESTED],
            target=AmendmentStatus.APPROVED,
            permission=_APPROVE,
            label=_("Approve"),
        ),
        Transition(
            "reject",
            sources=[AmendmentStatus.REQUESTED],
            target=AmendmentStatus.REJECTED,
            permission=_APPROVE,
            label=_("Reject"),
        ),
    ],
)

REPORT_WORKFLOW = Workflow(
    field="status",
    states=ReportStatus,
    transitions=[
        Transition(
            "review",
            sources=[ReportStatus.SUBMITTED],
            target=ReportStatus.REVIEWED,
            permission=_CHANGE,
            label=_("Reviewed"),
        ),
        Transition(
            "return",
            sources=[ReportStatus.SUBMITTED],
            target=ReportStatus.RETURNED,
            permission=_CHANGE,
            label=_("Return for revision"),
        ),
        Transition(
            "resubmit",
            sources=[ReportStatus.RETURNED],
            target=ReportStatus.SUBMITTED,
            permission=host_of_task,
            label=_("Submit again"),
        ),
    ],
)

_REGISTRAR = staff("projects.change_resultregistration")

REGISTRATION_WORKFLOW = Workflow(
    field="status",
    states=RegistrationStatus,
    transitions=[
        Transition(
            "certify",
            sources=[RegistrationStatus.SUBMITTED],
            target=RegistrationStatus.CERTIFIED,
            permission=_REGISTRAR,
            label=_("Issue the certificate"),
        ),
        Transition(
            "store",
            sources=[RegistrationStatus.SUBMITTED],
            target=RegistrationStatus.STORED,
            permission=_REGISTRAR,
            label=_("Receive and store"),
        ),
        Transition(
            "return",
            sources=[RegistrationStatus.SUBMITTED],
            target=RegistrationStatus.RETURNED,
            permission=_REGISTRAR,
            label=_("Return for completion"),
        ),
        Transition(
            "resubmit",
            sources=[RegistrationStatus.RETURNED],
            target=RegistrationStatus.SUBMITTED,
            permission=host_of_result,
            label=_("Submit again"),
        ),
    ],
)


def register_workflows() -> None:
    from opendost.projects import models
    from opendost.workflow import engine

    for model, workflow in (
        (models.ProposalRound, ROUND_WORKFLOW),
        (models.Proposal, PROPOSAL_WORKFLOW),
        (models.SelectionCall, CALL_WORKFLOW),
        (models.SelectionApplication, APPLICATION_WORKFLOW),
        (models.Task, TASK_WORKFLOW),
        (models.ContractAmendment, AMENDMENT_WORKFLOW),
        (models.ProgressReport, REPORT_WORKFLOW),
        (models.ResultRegistration, REGISTRATION_WORKFLOW),
    ):
        engine.register(model, workflow)
