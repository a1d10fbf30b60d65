"""The life of a dossier (domain reference §1.3). Services call transition_apply with these names;
each service also writes the dates and notes that go with the move."""

from django.utils.translation import gettext_lazy as _

from opendost.dossiers import permissions as perms
from opendost.dossiers.enums import DossierStatus as S
from opendost.dossiers.enums import VersionStatus
from opendost.workflow.engine import Transition, Workflow

WITHDRAWABLE = [S.SUBMITTED, S.RETURNED, S.RECEIVED, S.IN_REVIEW, S.SUPPLEMENT_REQUESTED, S.DECISION_PENDING]

DOSSIER_WORKFLOW = Workflow(
    field="status",
    states=S,
    transitions=[
        Transition("submit", [S.DRAFT, S.RETURNED], S.SUBMITTED, perms.can_act_for_applicant, label=_("Submit")),
        Transition("receive", [S.SUBMITTED], S.RECEIVED, perms.can_receive, label=_("Receive")),
        Transition(
            "return_for_completion",
            [S.SUBMITTED],
            S.RETURNED,
            perms.can_receive,
            label=_("Return for completion"),
        ),
        Transition(
            "refuse_intake", [S.SUBMITTED], S.REFUSED_AT_INTAKE, perms.can_receive, label=_("Refuse at intake")
        ),
        Transition("assign", [S.RECEIVED], S.IN_REVIEW, perms.can_assign, label=_("Assign")),
        Transition(
            "request_supplement",
            [S.IN_REVIEW],
            S.SUPPLEMENT_REQUESTED,
            perms.can_handle,
            label=_("Request supplements"),
        ),
        Transition(
            "supplement", [S.SUPPLEMENT_REQUESTED], S.IN_REVIEW, perms.can_act_for_applicant, label=_("Supplement")
        ),
        Transition("propose", [S.IN_REVIEW], S.DECISION_PENDING, perms.can_handle, label=_("Submit to the leader")),
        Transition("send_back", [S.DECISION_PENDING], S.IN_REVIEW, perms.can_decide, label=_("Send back for review")),
        Transition("approve", [S.DECISION_PENDING], S.APPROVED, perms.can_decide, label=_("Approve")),
        Transition("reject", [S.DECISION_PENDING], S.REJECTED, perms.can_decide, label=_("Refuse")),
        Transition("issue_result", [S.APPROVED], S.RESULT_ISSUED, perms.can_issue_result, label=_("Issue the result")),
        Transition(
            "return_result", [S.RESULT_ISSUED], S.RESULT_RETURNED, perms.can_receive, label=_("Return the result")
        ),
        Transition("withdraw", WITHDRAWABLE, S.WITHDRAWN, perms.can_act_for_applicant, label=_("Withdraw")),
    ],
)


def _can_publish(user, version) -> bool:
    return user.has_perm("dossiers.publish_procedure")


VERSION_WORKFLOW = Workflow(
    field="status",
    states=VersionStatus,
    transitions=[
        Transition("publish", [VersionStatus.DRAFT], VersionStatus.PUBLISHED, _can_publish, label=_("Publish")),
        Transition("retire", [VersionStatus.PUBLISHED], VersionStatus.RETIRED, _can_publish, label=_("Retire")),
    ],
)
