"""The staff and applicant pages of the dossier engine: each page per role, every action view (happy
path, a validation error that keeps what was typed, the wrong role), uploads, slips, exports."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.dossiers import services
from opendost.dossiers.enums import Channel, DossierStatus
from opendost.dossiers.models import Dossier, DossierAttachment, DossierRating
from tests.dossiers.factories import (
    Office,
    applicant_for,
    dossier_in_review,
    published_procedure,
    submitted_dossier,
    upload,
)
from tests.factories import UserFactory
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture(autouse=True)
def _tuesday():
    """A working Tuesday morning in March 2026; time runs on so the timeline keeps its order."""
    with time_machine.travel(at(2026, 3, 10, 9), tick=True):
        yield


@pytest.fixture
def office():
    return Office()


@pytest.fixture
def applicant(office):
    return applicant_for(office)


@pytest.fixture
def procedure():
    return published_procedure(deadline_count=5, steps=[{"code": "TD", "name": "Thẩm định hồ sơ", "days": 2}])


@pytest.fixture
def in_review(procedure, applicant, office):
    return dossier_in_review(procedure, applicant, office)


def act_url(dossier, action):
    return reverse("dossiers:act", args=[dossier.public_id, action])


def detail_url(dossier):
    return reverse("dossiers:detail", args=[dossier.public_id])


def refresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


# HOME ---------------------------------------------------------------------------------------------


def test_the_desk_worklist_shows_intake_and_results_to_return(client, office, procedure, applicant):
    dossier = submitted_dossier(procedure, applicant)
    client.force_login(office.desk)
    response = client.get(reverse("dossiers:home"))
    assert response.status_code == 200
    sections = {s["key"]: s["dossiers"] for s in response.context["sections"]}
    assert set(sections) == {"intake", "to_return", "to_assign"}
    assert sections["intake"] == [dossier]
    assert dossier.code in response.content.decode()


def test_the_officer_worklist_shows_the_dossiers_to_handle_with_a_due_badge(client, office, in_review):
    client.force_login(office.officer)
    response = client.get(reverse("dossiers:home"))
    sections = {s["key"]: s["dossiers"] for s in response.context["sections"]}
    assert sections["to_handle"] == [in_review]
    assert sections["to_handle"][0].due_badge.label == "On schedule"
    # Four working days later the dossier is due within two working days: amber.
    with time_machine.travel(at(2026, 3, 13, 9), tick=False):
        client.force_login(office.officer)  # the session times out when idle
        response = client.get(reverse("dossiers:home"))
    badge = response.context["sections"][0]["dossiers"][0].due_badge
    assert (badge.css, badge.label) == ("text-bg-warning", "Due soon")
    with time_machine.travel(at(2026, 3, 30, 9), tick=False):
        client.force_login(office.officer)
        response = client.get(reverse("dossiers:home"))
    badge = response.context["sections"][0]["dossiers"][0].due_badge
    assert (badge.css, badge.label) == ("text-bg-danger", "Overdue")


def count_queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, data or {}).status_code == 200
    return len(queries)


def test_the_leader_worklist_and_its_query_count(client, office, procedure, applicant):
    def propose():
        dossier = dossier_in_review(procedure, applicant, office)
        services.dossier_propose(actor=office.officer, dossier=dossier, recommendation="approve")

    propose()
    client.force_login(office.leader)
    client.get(reverse("dossiers:home"))  # warm the session and permission caches
    one = count_queries(client, reverse("dossiers:home"))
    for _ in range(4):
        propose()
    assert count_queries(client, reverse("dossiers:home")) == one <= 14
    response = client.get(reverse("dossiers:home"))
    sections = {s["key"]: s["dossiers"] for s in response.context["sections"]}
    assert len(sections["to_decide"]) == 5


def test_the_applicant_home_lists_its_dossiers_only(client, office, procedure, applicant):
    mine = submitted_dossier(procedure, applicant)
    other = submitted_dossier(procedure, applicant_for(office, name="Phòng khám Tư nhân An Bình"))
    client.force_login(applicant)
    response = client.get(reverse("dossiers:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert mine.code in html and other.code not in html
    assert reverse("dossiers:new") in html


def test_staff_without_the_dossier_permission_get_403(client, office):
    council = UserFactory(role=Role.INSPECTOR, department=office.department)
    client.force_login(council)
    assert client.get(reverse("dossiers:home")).status_code == 200  # inspectors read dossiers
    client.force_login(UserFactory(role=[], department=office.department, is_superuser=False))
    assert client.get(reverse("dossiers:list")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dossiers:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


# LIST AND EXPORT ----------------------------------------------------------------------------------


def test_the_list_filters_sorts_and_pages_without_counting(client, office, procedure, applicant):
    dossiers = [submitted_dossier(procedure, applicant)]
    client.force_login(office.leader)
    client.get(reverse("dossiers:list"))
    one = count_queries(client, reverse("dossiers:list"))
    dossiers += [submitted_dossier(procedure, applicant) for _ in range(3)]
    reviewed = dossier_in_review(procedure, applicant, office)
    assert count_queries(client, reverse("dossiers:list")) == one <= 14  # no N+1, no COUNT(*)
    response = client.get(reverse("dossiers:list"))
    assert len(response.context["rows"]) == 5
    response = client.get(reverse("dossiers:list"), {"status": DossierStatus.IN_REVIEW})
    assert response.context["rows"] == [reviewed]
    response = client.get(reverse("dossiers:list"), {"q": dossiers[0].code})
    assert response.context["rows"] == [dossiers[0]]
    response = client.get(reverse("dossiers:list"), {"o": "code"})
    codes = [d.code for d in response.context["rows"]]
    assert codes == sorted(codes)
    response = client.get(reverse("dossiers:list"), {"o": "-code"})
    assert [d.code for d in response.context["rows"]] == sorted(codes, reverse=True)
    # An unknown sort is ignored, not an error.
    assert client.get(reverse("dossiers:list"), {"o": "applicant_phone"}).status_code == 200
    # htmx gets only the results.
    response = client.get(reverse("dossiers:list"), {"status": "received"}, HTTP_HX_REQUEST="true")
    assert b'id="filter-form"' not in response.content and b'id="results"' in response.content


def test_the_list_late_and_mine_filters(client, office, procedure, applicant, in_review):
    client.force_login(office.officer)
    assert client.get(reverse("dossiers:list"), {"mine": "on"}).context["rows"] == [in_review]
    assert client.get(reverse("dossiers:list"), {"late": "on"}).context["rows"] == []
    with time_machine.travel(at(2026, 4, 10, 9), tick=False):
        client.force_login(office.officer)
        assert client.get(reverse("dossiers:list"), {"late": "on"}).context["rows"] == [in_review]


def test_the_list_shows_only_the_departments_dossiers(client, office, procedure, applicant):
    submitted_dossier(procedure, applicant)
    outsider = Office()
    client.force_login(outsider.desk)
    assert client.get(reverse("dossiers:list")).context["rows"] == []


def test_export_gives_exactly_the_filtered_rows(client, office, procedure, applicant, in_review):
    submitted_dossier(procedure, applicant)
    client.force_login(office.leader)
    response = client.get(reverse("dossiers:export", args=["xlsx"]), {"status": DossierStatus.IN_REVIEW})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Dossier code"
    assert [r[0] for r in rows[1:]] == [in_review.code]
    response = client.get(reverse("dossiers:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert in_review.code in text
    assert client.get(reverse("dossiers:export", args=["pdf"])).status_code == 404


# DETAIL -------------------------------------------------------------------------------------------


def test_the_detail_page_shows_the_dossier_to_staff(client, office, in_review, django_assert_max_num_queries):
    client.force_login(office.officer)
    with django_assert_max_num_queries(40):
        response = client.get(detail_url(in_review))
    html = response.content.decode()
    assert response.status_code == 200
    assert in_review.applicant_name in html
    assert "Thẩm định hồ sơ" in html  # the step with its due date
    assert reverse("dossiers:slip", args=[in_review.public_id, "receipt", "docx"]) in html
    assert reverse("dossiers:slip", args=[in_review.public_id, "control", "pdf"]) in html
    assert 'id="history"' in html
    names = [p.name for p in response.context["panels"]]
    assert names == ["request_supplement", "propose", "delay"]
    attachment = in_review.attachments.first()
    assert reverse("dossiers:attachment", args=[in_review.public_id, attachment.public_id]) in html
    assert "/media/" not in html


def test_the_applicant_sees_its_dossier_without_the_audit_history(client, applicant, in_review):
    client.force_login(applicant)
    response = client.get(detail_url(in_review))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="history"' not in html
    assert [p.name for p in response.context["panels"]] == ["withdraw"]
    assert "control" not in [s["kind"] for s in response.context["slips"]]


def test_outsiders_and_other_applicants_get_404(client, office, procedure, in_review):
    attachment = in_review.attachments.first()
    urls = [
        detail_url(in_review),
        reverse("dossiers:attachment", args=[in_review.public_id, attachment.public_id]),
        reverse("dossiers:slip", args=[in_review.public_id, "receipt", "pdf"]),
        reverse("dossiers:edit", args=[in_review.public_id]),
    ]
    other_office = Office()
    for user in (other_office.desk, other_office.leader, applicant_for(office, name="Công ty khác")):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(act_url(in_review, "withdraw"), {"withdraw-reason": "x"}).status_code == 404
        assert client.post(reverse("dossiers:upload", args=[in_review.public_id])).status_code == 404
    assert refresh(in_review).status == DossierStatus.IN_REVIEW


def test_a_draft_is_hidden_from_the_office(client, office, procedure, applicant):
    draft = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    client.force_login(office.officer)
    assert client.get(detail_url(draft)).status_code == 404


# ACTIONS ------------------------------------------------------------------------------------------


def test_the_whole_journey_through_the_action_views(client, office, procedure, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("dossiers:create", args=[procedure.public_id]),
        {
            "applicant_kind": "organization",
            "applicant_name": applicant.organization.name,
            "applicant_address": "Số 1 đường Lê Lợi",
            "applicant_phone": "0204 3854 123",
            "applicant_email": "",
            "note": "",
        },
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == detail_url(dossier)
    assert dossier.status == DossierStatus.DRAFT
    for code in ("DON", "GCN"):
        response = client.post(
            reverse("dossiers:upload", args=[dossier.public_id]),
            {"upload-requirement": code, "upload-name": "", "upload-file": upload(f"{code}.pdf")},
        )
        assert response.status_code == 302
    response = client.post(act_url(dossier, "submit"))
    assert response.status_code == 302
    dossier = refresh(dossier)
    assert dossier.status == DossierStatus.SUBMITTED and dossier.code

    client.force_login(office.desk)
    assert client.post(act_url(dossier, "receive")).status_code == 302
    response = client.post(act_url(dossier, "assign"), {"assign-unit": "", "assign-officer": office.officer.pk})
    assert response.status_code == 302
    assert refresh(dossier).assigned_officer == office.officer

    client.force_login(office.officer)
    response = client.post(act_url(dossier, "request_supplement"), {"request_supplement-items": "Bổ sung bản vẽ."})
    assert response.status_code == 302
    assert refresh(dossier).status == DossierStatus.SUPPLEMENT_REQUESTED

    client.force_login(applicant)
    response = client.post(
        act_url(dossier, "supplement"),
        {"supplement-files": [upload("ban-ve.pdf"), upload("ban-ve-2.pdf")], "supplement-note": "Đã bổ sung."},
    )
    assert response.status_code == 302
    dossier = refresh(dossier)
    assert dossier.status == DossierStatus.IN_REVIEW
    assert dossier.attachments.filter(supplement__isnull=False).count() == 2

    client.force_login(office.officer)
    step = dossier.steps.get()
    assert client.post(act_url(dossier, "step_done"), {"step_done-step": step.pk}).status_code == 302
    step.refresh_from_db()
    assert step.done_by == office.officer
    response = client.post(act_url(dossier, "propose"), {"propose-recommendation": "approve", "propose-note": ""})
    assert response.status_code == 302

    client.force_login(office.leader)
    assert client.post(act_url(dossier, "send_back"), {"send_back-reason": "Xem lại."}).status_code == 302
    client.force_login(office.officer)
    client.post(act_url(dossier, "propose"), {"propose-recommendation": "approve", "propose-note": "Đủ điều kiện."})
    client.force_login(office.leader)
    assert client.post(act_url(dossier, "approve"), {"approve-note": ""}).status_code == 302
    client.force_login(office.officer)
    assert client.post(act_url(dossier, "issue_result")).status_code == 302
    dossier = refresh(dossier)
    assert dossier.status == DossierStatus.RESULT_ISSUED and dossier.result_document

    client.force_login(office.desk)
    assert client.post(act_url(dossier, "return_result")).status_code == 302
    assert refresh(dossier).status == DossierStatus.RESULT_RETURNED

    client.force_login(applicant)
    response = client.get(detail_url(dossier))
    assert reverse("dossiers:result", args=[dossier.public_id, "pdf"]) in response.content.decode()
    result = client.get(reverse("dossiers:result", args=[dossier.public_id, "docx"]))
    assert result.status_code == 200
    assert dossier.code in docx_text(b"".join(result.streaming_content))
    response = client.post(
        reverse("dossiers:rate", args=[dossier.public_id]), {"rating-score": "3", "rating-comment": ""}
    )
    assert response.status_code == 302
    assert DossierRating.objects.get(dossier=dossier).score == 3


@pytest.mark.parametrize(
    ("action", "user", "data", "message", "kept"),
    [
        ("request_supplement", "officer", {"request_supplement-items": "  "}, "List what is missing", None),
        ("propose", "officer", {"propose-recommendation": "refuse", "propose-note": ""}, "Give the reasons", "refuse"),
        (
            "delay",
            "officer",
            {"delay-new_due_date": "01/03/2026", "delay-reason": "Chờ ý kiến"},
            "must be after",
            "Chờ ý kiến",
        ),
        (
            "delay",
            "officer",
            {"delay-new_due_date": "31/02/2026", "delay-reason": "Chờ ý kiến"},
            "valid date",
            "Chờ ý kiến",
        ),
        ("withdraw", "applicant", {"withdraw-reason": "x" * 10}, None, None),
    ],
)
def test_a_validation_error_keeps_what_was_typed(
    client, office, applicant, in_review, action, user, data, message, kept
):
    client.force_login({"officer": office.officer, "applicant": applicant}[user])
    response = client.post(act_url(in_review, action), data)
    if message is None:  # the control case: a valid post moves on
        assert response.status_code == 302
        return
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    panel = next(p for p in response.context["panels"] if p.name == action)
    assert panel.open and panel.form.errors
    if kept:
        assert kept in html
    if action == "request_supplement":  # the service's message is next to the field
        assert panel.form.errors["items"] == ["List what is missing or must be corrected."]
    assert refresh(in_review).status == DossierStatus.IN_REVIEW


def test_a_refusal_without_reasons_is_refused_with_the_services_message(client, office, in_review):
    services.dossier_propose(actor=office.officer, dossier=in_review, recommendation="approve")
    client.force_login(office.leader)
    response = client.post(act_url(in_review, "reject"), {"reject-reason": ""})
    assert response.status_code == 200
    assert "Give the written reasons for the refusal." in response.content.decode()
    assert refresh(in_review).status == DossierStatus.DECISION_PENDING
    response = client.post(act_url(in_review, "reject"), {"reject-reason": "Thiết bị không đạt."})
    assert response.status_code == 302
    assert refresh(in_review).status == DossierStatus.REJECTED


def test_intake_return_and_refusal(client, office, procedure, applicant):
    first, second = submitted_dossier(procedure, applicant), submitted_dossier(procedure, applicant)
    client.force_login(office.desk)
    response = client.post(act_url(first, "return_for_completion"), {"return_for_completion-reason": ""})
    assert response.status_code == 200 and "Say what the applicant must complete." in response.content.decode()
    client.post(act_url(first, "return_for_completion"), {"return_for_completion-reason": "Thiếu chữ ký."})
    client.post(act_url(second, "refuse_intake"), {"refuse_intake-reason": "Không thuộc thẩm quyền."})
    assert refresh(first).status == DossierStatus.RETURNED
    assert refresh(second).status == DossierStatus.REFUSED_AT_INTAKE
    # The returned dossier is the applicant's to edit and resubmit.
    client.force_login(applicant)
    response = client.get(detail_url(first))
    assert response.context["can_edit"] and "submit" in [p.name for p in response.context["panels"]]


@pytest.mark.parametrize(
    ("user", "action"),
    [
        ("officer", "approve"),
        ("officer", "receive"),
        ("applicant", "request_supplement"),
        ("applicant", "delay"),
        ("desk", "propose"),
        ("leader", "withdraw"),
    ],
)
def test_the_wrong_role_gets_403_and_nothing_changes(client, office, applicant, in_review, user, action):
    client.force_login(
        {"officer": office.officer, "applicant": applicant, "desk": office.desk, "leader": office.leader}[user]
    )
    response = client.post(act_url(in_review, action), {f"{action}-reason": "x", f"{action}-items": "x"})
    assert response.status_code == 403
    assert refresh(in_review).status == DossierStatus.IN_REVIEW


def test_another_officer_of_the_department_cannot_handle_an_assigned_dossier(client, office, in_review):
    colleague = UserFactory(role=Role.OFFICER, department=office.department, unit=office.unit)
    client.force_login(colleague)
    assert client.get(detail_url(in_review)).context["panels"] == []
    assert client.post(act_url(in_review, "propose"), {"propose-recommendation": "approve"}).status_code == 403


def test_an_unknown_action_is_404_and_get_is_refused(client, office, in_review):
    client.force_login(office.leader)
    assert client.post(act_url(in_review, "explode")).status_code == 404
    assert client.get(act_url(in_review, "approve")).status_code == 405


def test_a_stale_action_says_so_and_keeps_the_input(client, office, in_review):
    """The leader's page still showed the decision; the dossier went back to review meanwhile."""
    services.dossier_propose(actor=office.officer, dossier=in_review, recommendation="approve")
    services.dossier_send_back(actor=office.leader, dossier=in_review, reason="Xem lại.")
    client.force_login(office.leader)
    response = client.post(act_url(in_review, "approve"), {"approve-note": "Đồng ý cấp phép"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "The dossier changed since the page was shown" in html
    assert "Đồng ý cấp phép" in html
    assert refresh(in_review).status == DossierStatus.IN_REVIEW


def test_reassign_and_the_assign_choices_are_limited_to_the_department(client, office, in_review):
    other = Office()
    second = UserFactory(role=Role.OFFICER, department=office.department, unit=office.unit, full_name="Phạm Văn Hai")
    client.force_login(office.desk)
    response = client.get(detail_url(in_review))
    panel = next(p for p in response.context["panels"] if p.name == "assign")
    assert panel.label == "Reassign"
    assert set(panel.form.fields["officer"].queryset) == {office.officer, second}
    assert set(panel.form.fields["unit"].queryset) == {office.unit}
    response = client.post(act_url(in_review, "assign"), {"assign-officer": other.officer.pk})
    assert response.status_code == 200 and response.context["panels"]
    response = client.post(act_url(in_review, "assign"), {"assign-officer": second.pk})
    assert response.status_code == 302
    assert refresh(in_review).assigned_officer == second


def test_the_apology_slip_sets_a_new_appointment(client, office, in_review):
    due = in_review.due_date
    client.force_login(office.officer)
    new_date = due + dt.timedelta(days=7)
    while new_date.weekday() >= 5:
        new_date += dt.timedelta(days=1)
    response = client.post(
        act_url(in_review, "delay"),
        {"delay-new_due_date": new_date.strftime("%d/%m/%Y"), "delay-reason": "Chờ đo kiểm."},
    )
    assert response.status_code == 302
    assert refresh(in_review).rescheduled_due_date == new_date
    response = client.get(detail_url(in_review))
    assert "apology" in [s["kind"] for s in response.context["slips"]]


def test_the_applicant_withdraws(client, applicant, in_review):
    client.force_login(applicant)
    assert client.post(act_url(in_review, "withdraw"), {"withdraw-reason": ""}).status_code == 302
    assert refresh(in_review).status == DossierStatus.WITHDRAWN


# DRAFTS -------------------------------------------------------------------------------------------


def test_the_new_dossier_catalogue_and_the_prefilled_draft_form(client, procedure, applicant):
    client.force_login(applicant)
    response = client.get(reverse("dossiers:new"))
    assert procedure.name in response.content.decode()
    response = client.get(reverse("dossiers:create", args=[procedure.public_id]))
    assert response.context["form"].initial["applicant_name"] == applicant.organization.name


def test_staff_cannot_open_the_applicants_draft_form(client, office, procedure):
    client.force_login(office.officer)
    assert client.get(reverse("dossiers:create", args=[procedure.public_id])).status_code == 403
    client.force_login(office.desk)
    assert client.get(reverse("dossiers:new")).url == reverse("dossiers:counter")


def test_the_draft_form_keeps_the_values_on_error(client, procedure, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("dossiers:create", args=[procedure.public_id]),
        {
            "applicant_kind": "organization",
            "applicant_name": "",
            "applicant_address": "Số 9 Trần Phú",
            "applicant_email": "sai",
        },
    )
    assert response.status_code == 200
    assert "Số 9 Trần Phú" in response.content.decode()
    assert not Dossier.objects.exists()


def test_editing_a_draft_uses_optimistic_locking(client, procedure, applicant):
    """Fixed with this page: dossier_update_draft called save_with_version without `actor`."""
    draft = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    client.force_login(applicant)
    form = client.get(reverse("dossiers:edit", args=[draft.public_id])).context["form"]
    values = {name: form.initial.get(name) or "" for name in form.fields}
    values.update(applicant_phone="0912 345 678")
    response = client.post(reverse("dossiers:edit", args=[draft.public_id]), values)
    assert response.status_code == 302
    assert refresh(draft).applicant_phone == "0912 345 678"
    # The same page posted again is stale: nothing is written and the typed value stays.
    values.update(applicant_phone="0987 654 321")
    response = client.post(reverse("dossiers:edit", args=[draft.public_id]), values)
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    assert "0987 654 321" in response.content.decode()
    assert refresh(draft).applicant_phone == "0912 345 678"


def test_a_submitted_dossier_cannot_be_edited(client, procedure, applicant):
    dossier = submitted_dossier(procedure, applicant)
    client.force_login(applicant)
    assert client.get(reverse("dossiers:edit", args=[dossier.public_id])).status_code == 403


def test_submitting_without_the_documents_shows_what_is_missing(client, procedure, applicant):
    draft = services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)
    client.force_login(applicant)
    response = client.post(act_url(draft, "submit"))
    assert response.status_code == 200
    assert "Attach the required documents first" in response.content.decode()
    assert refresh(draft).status == DossierStatus.DRAFT


# UPLOADS ------------------------------------------------------------------------------------------


@pytest.fixture
def draft(procedure, applicant):
    return services.dossier_create(actor=applicant, procedure=procedure, organization=applicant.organization)


def post_file(client, dossier, file, requirement="DON"):
    return client.post(
        reverse("dossiers:upload", args=[dossier.public_id]),
        {"upload-requirement": requirement, "upload-name": "", "upload-file": file},
    )


def test_upload_and_download_an_attachment(client, draft, applicant):
    client.force_login(applicant)
    assert post_file(client, draft, upload("don-de-nghi.pdf", b"%PDF-1.4 noi dung")).status_code == 302
    item = DossierAttachment.objects.get()
    response = client.get(reverse("dossiers:attachment", args=[draft.public_id, item.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 noi dung"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (("virus.exe", b"MZ"), "This type of file is not accepted"),
        (("rong.pdf", b""), "The submitted file is empty."),
    ],
)
def test_upload_refuses_bad_files(client, draft, applicant, file, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(applicant)
    response = post_file(client, draft, SimpleUploadedFile(file[0], file[1]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DossierAttachment.objects.exists()


def test_upload_refuses_files_over_the_limit(client, draft, applicant, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 10)
    client.force_login(applicant)
    response = post_file(client, draft, upload("lon.pdf", b"x" * 11))
    assert "The file is larger than 20 MB." in response.content.decode()
    assert not DossierAttachment.objects.exists()


def test_upload_is_refused_once_submitted(client, procedure, applicant):
    dossier = submitted_dossier(procedure, applicant)
    client.force_login(applicant)
    response = post_file(client, dossier, upload())
    assert response.status_code == 200
    assert "Files can only be added to a draft" in response.content.decode()


# SLIPS --------------------------------------------------------------------------------------------


def test_slips_download_as_docx_and_pdf(client, office, applicant, in_review):
    client.force_login(applicant)
    response = client.get(reverse("dossiers:slip", args=[in_review.public_id, "receipt", "docx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = docx_text(response.content)
    assert in_review.code in text and "GIẤY TIẾP NHẬN HỒ SƠ" in text
    response = client.get(reverse("dossiers:slip", args=[in_review.public_id, "receipt", "pdf"]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    # The control slip carries the officers' names: staff only. A slip that does not exist yet: 404.
    assert client.get(reverse("dossiers:slip", args=[in_review.public_id, "control", "pdf"])).status_code == 404
    assert client.get(reverse("dossiers:slip", args=[in_review.public_id, "apology", "pdf"])).status_code == 404
    assert client.get(reverse("dossiers:slip", args=[in_review.public_id, "receipt", "txt"])).status_code == 404
    client.force_login(office.officer)
    assert client.get(reverse("dossiers:slip", args=[in_review.public_id, "control", "docx"])).status_code == 200


# COUNTER ------------------------------------------------------------------------------------------


def test_counter_intake_for_an_organisation_of_the_register(client, office, procedure):
    organization = OrganizationFactory(department=office.department, name="Trung tâm Y tế huyện Yên Dũng")
    foreign = OrganizationFactory(name="Công ty ngoài tỉnh")
    client.force_login(office.desk)
    response = client.get(reverse("dossiers:counter"))
    assert reverse("dossiers:counter_form", args=[procedure.public_id]) in response.content.decode()
    response = client.get(reverse("dossiers:counter_form", args=[procedure.public_id]))
    choices = set(response.context["form"].fields["organization"].queryset)
    assert organization in choices and foreign not in choices
    response = client.post(
        reverse("dossiers:counter_form", args=[procedure.public_id]),
        {"channel": Channel.POST, "organization": organization.pk, "applicant_name": "", "note": ""},
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == detail_url(dossier)
    assert (dossier.status, dossier.channel) == (DossierStatus.RECEIVED, Channel.POST)
    assert dossier.applicant_name == organization.name and dossier.recorded_by == office.desk
    response = client.get(response.url)
    assert "receipt" in [s["kind"] for s in response.context["slips"]]


def test_counter_intake_for_an_individual_and_its_errors(client, office, procedure):
    client.force_login(office.desk)
    url = reverse("dossiers:counter_form", args=[procedure.public_id])
    response = client.post(url, {"channel": Channel.COUNTER, "applicant_address": "Thôn Đông, xã Tân Mỹ"})
    assert response.status_code == 200
    assert "Choose an organisation or give the applicant" in response.content.decode()
    assert "Thôn Đông, xã Tân Mỹ" in response.content.decode()
    response = client.post(
        url, {"channel": Channel.COUNTER, "applicant_name": "Nguyễn Văn Bình", "applicant_phone": "0912000111"}
    )
    dossier = Dossier.objects.get()
    assert dossier.applicant_kind == "individual" and dossier.applicant_organization is None
    assert dossier.status == DossierStatus.RECEIVED


def test_counter_intake_is_for_the_desk(client, office, procedure, applicant):
    for user in (office.officer, applicant):
        client.force_login(user)
        assert client.get(reverse("dossiers:counter")).status_code == 403
        assert client.post(reverse("dossiers:counter_form", args=[procedure.public_id])).status_code == 403


# CATALOGUE ----------------------------------------------------------------------------------------


def test_the_staff_catalogue_and_a_new_version_published_through_the_pages(client, office, procedure):
    client.force_login(office.officer)
    assert procedure.name in client.get(reverse("dossiers:procedures")).content.decode()
    response = client.get(reverse("dossiers:procedure_detail", args=[procedure.public_id]))
    assert response.status_code == 200 and "Thẩm định hồ sơ" in response.content.decode()
    assert client.get(reverse("dossiers:procedure_version_new", args=[procedure.public_id])).status_code == 403

    client.force_login(office.leader)
    url = reverse("dossiers:procedure_version_new", args=[procedure.public_id])
    form = client.get(url).context["form"]
    values = {name: form.initial.get(name, "") for name in form.fields}
    values.update(
        effective_from="01/07/2026",
        deadline_count="7",
        required_documents="DON | Đơn đề nghị\nBV | Bản vẽ mặt bằng | optional",
        steps="TD | Thẩm định | 3\nKT | Kiểm tra thực tế | 2",
        rules="[1, 2]",
        pause_on_supplement="on",
    )
    response = client.post(url, values)
    assert response.status_code == 200
    assert "The rules must be a JSON object" in response.content.decode()
    values["rules"] = '{"licence_term_years": 3}'
    response = client.post(url, values)
    assert response.status_code == 302
    version = procedure.versions.get(number=2)
    assert version.status == "draft" and version.deadline_count == 7
    assert version.required_documents[1] == {"code": "BV", "name": "Bản vẽ mặt bằng", "copy": "", "required": False}
    assert version.steps == [
        {"code": "TD", "name": "Thẩm định", "days": 3},
        {"code": "KT", "name": "Kiểm tra thực tế", "days": 2},
    ]
    assert version.rules == {"licence_term_years": 3}

    response = client.post(reverse("dossiers:procedure_version_publish", args=[version.public_id]))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "published"
    assert procedure.versions.get(number=1).effective_to == dt.date(2026, 6, 30)
    # Publishing twice is an error message, not a crash.
    response = client.post(reverse("dossiers:procedure_version_publish", args=[version.public_id]), follow=True)
    assert "Only a draft version can be published." in response.content.decode()


def test_version_form_line_errors(client, office, procedure):
    client.force_login(office.leader)
    url = reverse("dossiers:procedure_version_new", args=[procedure.public_id])
    form = client.get(url).context["form"]
    values = {name: form.initial.get(name, "") for name in form.fields}
    values.update(effective_from="01/07/2026", steps="TD | Thẩm định | ba", required_documents="chỉ một cột")
    html = client.post(url, values).content.decode()
    assert "Line 1: the number of days must be a whole number." in html
    assert "Line 1: write CODE | name." in html
    assert procedure.versions.count() == 1


def test_only_staff_with_the_permission_publish(client, office, procedure, applicant):
    version = services.procedure_version_draft(
        actor=office.leader, procedure=procedure, effective_from=dt.date(2026, 9, 1)
    )
    for user in (office.officer, office.desk, applicant):
        client.force_login(user)
        assert client.post(reverse("dossiers:procedure_version_publish", args=[version.public_id])).status_code == 403
    client.force_login(applicant)
    assert client.get(reverse("dossiers:procedures")).status_code == 403


# STATISTICS ---------------------------------------------------------------------------------------


def test_statistics_numbers_total_chart_and_export(client, office, procedure, applicant):
    finished = dossier_in_review(procedure, applicant, office)
    services.dossier_propose(actor=office.officer, dossier=finished, recommendation="approve")
    services.dossier_approve(actor=office.leader, dossier=finished)
    services.dossier_issue_result(actor=office.officer, dossier=finished)  # early
    dossier_in_review(procedure, applicant, office)  # in progress
    withdrawn = dossier_in_review(procedure, applicant, office)
    services.dossier_withdraw(actor=applicant, dossier=withdrawn)
    other = published_procedure(code="1.000002", name="Cấp chứng chỉ nhân viên bức xạ")
    dossier_in_review(other, applicant, office)

    client.force_login(office.leader)
    client.get(reverse("dossiers:statistics"))
    assert count_queries(client, reverse("dossiers:statistics")) <= 14  # one query for the figures
    response = client.get(reverse("dossiers:statistics"))
    rows = {r.label: r for r in response.context["data"]["rows"]}
    assert (rows[procedure.name].received, rows[procedure.name].early, rows[procedure.name].in_progress) == (2, 1, 1)
    assert rows[other.name].received == 1
    total = response.context["data"]["total"]
    assert (total.received, total.early, total.in_progress) == (3, 1, 2)
    html = response.content.decode()
    assert "<svg" in html and '<title id="chart-title">' in html and "<desc" in html

    response = client.get(reverse("dossiers:statistics"), {"group_by": "officer"})
    assert [r.label for r in response.context["data"]["rows"]] == [office.officer.full_name]

    response = client.get(
        reverse("dossiers:statistics_export", args=["xlsx"]), {"date_from": "01/01/2026", "date_to": "31/12/2026"}
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Code", "Name", "Received")
    assert rows[-1][1] == "Total" and rows[-1][2] == 3

    # An empty period, and a period the wrong way round.
    response = client.get(reverse("dossiers:statistics"), {"date_from": "01/01/2025", "date_to": "31/12/2025"})
    assert response.context["data"]["rows"] == []
    response = client.get(reverse("dossiers:statistics"), {"date_from": "01/12/2026", "date_to": "01/01/2026"})
    assert response.context["data"] is None
    assert "The end of the period is before its start." in response.content.decode()


def test_statistics_need_the_permission(client, office, applicant):
    client.force_login(applicant)
    assert client.get(reverse("dossiers:statistics")).status_code == 403
    assert client.get(reverse("dossiers:statistics_export", args=["xlsx"])).status_code == 403
    client.force_login(UserFactory(role=Role.INSPECTOR, department=office.department))
    assert client.get(reverse("dossiers:statistics")).status_code == 403
