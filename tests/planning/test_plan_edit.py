"""Keeping the plan: copying a plan into the next period, editing the plan, its targets and budget
lines (version-checked and audited), and who may do it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opendost.audit.models import AuditEvent
from opendost.common.locking import EditConflict
from opendost.planning import budget, services
from opendost.planning.models import BudgetAllocation, Plan

pytestmark = pytest.mark.django_db


def copy(plan, actor, **kwargs):
    values = {"code": "khcn-2026-2030", "title": "Kế hoạch 2026-2030", "start_year": 2026, "end_year": 2030}
    return services.plan_copy(actor=actor, source=plan, **(values | kwargs))


# COPY --------------------------------------------------------------------------------------------
def test_copy_takes_targets_with_baselines_from_the_source_period(plan, officer, leader, flow):
    flow.assigned()  # one provincial task started on 01/11/2025
    marks = plan.targets.get(code="new-marks")
    value = services.manual_value_enter(actor=officer, target=marks, year=2024, value=7, source_document="BC 12")
    services.manual_value_approve(actor=leader, value=value)

    new = copy(plan, officer)

    assert (new.start_year, new.end_year, new.copied_from, new.department) == (2026, 2030, plan, plan.department)
    assert (new.legal_basis, new.document_ref) == ("", "")
    targets = {t.code: t for t in new.targets.all()}
    assert len(targets) == plan.targets.count()
    tasks = targets["tasks"]  # computed from the records: the actual 2021-2025
    assert (tasks.baseline_value, tasks.baseline_label, tasks.indicator_key) == (1, "2021-2025", "tasks_started")
    assert "computed from the records" in tasks.source_text
    assert targets["xray-devices"].baseline_value == 0  # computed: none licensed
    assert targets["new-marks"].baseline_value == 7  # approved by hand
    assert (targets["new-marks"].target_min, targets["new-marks"].target_max) == (15, 20)
    gi = targets["new-gi"]  # no value approved: the source's target
    assert (gi.baseline_value, gi.baseline_label) == (1, "2021-2025")
    assert "target" in gi.source_text
    assert targets["dossiers-on-time"].baseline_value == 100  # no dossier finished: the target (a rate)
    assert targets["tdc-trainees"].yearly_values == {str(y): 60 for y in range(2026, 2031)}
    assert not new.targets.filter(manual_values__isnull=False).exists()


def test_copy_takes_the_budget_tree_without_amounts(plan, officer):
    research = plan.budget_lines.get(code="research-application")
    services.budget_line_update(actor=officer, line=research, source_key="tasks_provincial_budget")
    services.allocation_create(actor=officer, line=research, year=2022, amount_million=5, source_document="QĐ")

    new = copy(plan, officer)

    old_lines = {line.code: line for line in plan.budget_lines.select_related("parent")}
    new_lines = {line.code: line for line in new.budget_lines.select_related("parent")}
    assert set(new_lines) == set(old_lines)
    for code, line in new_lines.items():
        assert line.amount_million == 0 and line.title == old_lines[code].title
        assert (line.parent.code if line.parent else None) == (
            old_lines[code].parent.code if old_lines[code].parent else None
        )
    assert new_lines["research-application"].source_key == "tasks_provincial_budget"
    assert not BudgetAllocation.objects.filter(line__plan=new).exists()
    assert budget.budget_table(new).stated_warnings == []


def test_copy_shifts_yearly_values_into_a_shorter_period_and_checks_its_data(plan, officer):
    short = copy(plan, officer, code="khcn-2026-2028", end_year=2028)
    assert short.targets.get(code="tdc-trainees").yearly_values == {"2026": 60, "2027": 60, "2028": 60}
    with pytest.raises(ValidationError) as error:
        copy(plan, officer, code="khcn-2026-2028")
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        copy(plan, officer, code="x", start_year=2030, end_year=2026)
    assert "end_year" in error.value.message_dict
    with pytest.raises(ValidationError):
        copy(plan, officer, code="x", start_year=2026, end_year=2040)


def test_copy_goes_to_the_department_holding_the_records_and_is_audited(old_department, department, officer):
    from opendost.planning import seed

    old_plan = seed.load(department=old_department)
    new = copy(old_plan, officer)
    assert new.department == department
    assert AuditEvent.objects.filter(content_type__model="plan", object_id=str(new.pk), action="create").exists()
    targets = AuditEvent.objects.filter(content_type__model="target", department_id=department.pk)
    assert targets.count() == old_plan.targets.count()


def test_only_an_officer_of_the_jurisdiction_copies(plan, leader, outsider):
    for actor in (leader, outsider):
        with pytest.raises(PermissionDenied):
            copy(plan, actor)
    assert Plan.objects.count() == 1


def test_the_demo_gets_the_next_plan_once(plan):
    new = services.plan_demo_next(plan=plan)
    assert (new.code, new.start_year, new.end_year) == ("khcn-2026-2030", 2026, 2030)
    assert plan.budget_lines.get(code="research-application").source_key == "tasks_provincial_budget"
    assert services.plan_demo_next(plan=plan) == new
    assert Plan.objects.count() == 2


# PLAN --------------------------------------------------------------------------------------------
def test_plan_update_is_version_checked_and_audited(plan, officer):
    services.plan_update(actor=officer, plan=plan, expected_version=1, legal_basis="Nghị quyết 57-NQ/TW")
    plan.refresh_from_db()
    assert (plan.legal_basis, plan.version) == ("Nghị quyết 57-NQ/TW", 2)
    with pytest.raises(EditConflict) as conflict:
        services.plan_update(actor=officer, plan=plan, expected_version=1, title="Khác")
    assert conflict.value.current_version == 2
    plan.refresh_from_db()
    assert plan.title != "Khác"
    event = AuditEvent.objects.filter(content_type__model="plan", action="update").get()
    assert event.changes["legal_basis"][1] == "Nghị quyết 57-NQ/TW"


def test_plan_period_cannot_drop_years_its_records_name(plan, officer):
    with pytest.raises(ValidationError) as error:  # tdc-trainees has values for 2021-2025
        services.plan_update(actor=officer, plan=plan, end_year=2024)
    assert "end_year" in error.value.message_dict
    services.plan_update(actor=officer, plan=plan, end_year=2026)
    with pytest.raises(ValidationError):
        services.plan_update(actor=officer, plan=plan, start_year=2027)


def test_plan_update_rules_and_rights(plan, officer, leader, outsider):
    other = copy(plan, officer)
    with pytest.raises(ValidationError) as error:
        services.plan_update(actor=officer, plan=other, code=plan.code)
    assert "code" in error.value.message_dict
    with pytest.raises(TypeError):
        services.plan_update(actor=officer, plan=plan, department=outsider.department)
    for actor in (leader, outsider):
        with pytest.raises(PermissionDenied):
            services.plan_update(actor=actor, plan=plan, title="X")


# TARGETS -----------------------------------------------------------------------------------------
def test_target_create_update_delete(plan, officer):
    target = services.target_create(
        actor=officer, plan=plan, code="patents", title="Bằng độc quyền sáng chế", area="ip", unit="bằng",
        target_min=Decimal(2), yearly_values={"2022": "1", "2024": 1.5, "2025": ""},
    )  # fmt: skip
    assert target.yearly_values == {"2022": 1, "2024": 1.5}
    updated = services.target_update(
        actor=officer, target=target, expected_version=1, target_max=Decimal(4), indicator_key="tasks_accepted"
    )
    assert (updated.version, updated.target_max, updated.indicator_key) == (2, 4, "tasks_accepted")
    with pytest.raises(EditConflict):
        services.target_update(actor=officer, target=target, expected_version=1, title="Y")
    with pytest.raises(EditConflict):
        services.target_delete(actor=officer, target=target, expected_version=1)
    services.target_delete(actor=officer, target=target, expected_version=2)
    assert not plan.targets.filter(code="patents").exists()
    actions = AuditEvent.objects.filter(content_type__model="target").values_list("action", flat=True)
    assert {"create", "update", "delete"} <= set(actions)


def test_target_rules(plan, officer, leader):
    marks = plan.targets.get(code="new-marks")
    with pytest.raises(ValidationError) as error:
        services.target_update(actor=officer, target=marks, yearly_values={"2030": 3, "2022": "x"})
    assert len(error.value.message_dict["yearly_values"]) == 2
    with pytest.raises(ValidationError) as error:
        services.target_update(actor=officer, target=marks, target_min=Decimal(30))
    assert "target_max" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.target_update(actor=officer, target=marks, indicator_key="no_such_indicator")
    with pytest.raises(ValidationError):
        services.target_update(actor=officer, target=marks, code=plan.targets.get(code="tasks").code)
    services.manual_value_enter(actor=officer, target=marks, year=2022, value=1, source_document="BC")
    with pytest.raises(ValidationError) as error:  # values were typed in: it stays manual
        services.target_update(actor=officer, target=marks, indicator_key="tasks_accepted")
    assert "indicator_key" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.target_delete(actor=officer, target=marks)
    with pytest.raises(PermissionDenied):
        services.target_update(actor=leader, target=marks, title="X")
    with pytest.raises(PermissionDenied):
        services.target_delete(actor=leader, target=plan.targets.get(code="tasks"))


# BUDGET LINES ------------------------------------------------------------------------------------
def test_budget_line_tree_rules(plan, officer):
    lines = {line.code: line for line in plan.budget_lines.all()}
    with pytest.raises(ValidationError) as error:  # under its own line
        services.budget_line_update(actor=officer, line=lines["st-operations"], parent=lines["research-application"])
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.budget_line_update(actor=officer, line=lines["total"], parent=lines["total"])
    services.budget_line_update(actor=officer, line=lines["research-application"], source_key="tasks_provincial")
    with pytest.raises(ValidationError) as error:  # the same spending twice
        services.budget_line_update(actor=officer, line=lines["regular-tasks"], source_key="tasks_provincial")
    assert "source_key" in error.value.message_dict
    with pytest.raises(ValidationError):  # a line above already counts... below it
        services.budget_line_update(actor=officer, line=lines["st-operations"], source_key="tasks_national")
    with pytest.raises(ValidationError):
        services.budget_line_create(
            actor=officer, plan=plan, code="sub", title="Sub", amount_million=1,
            parent=lines["research-application"], source_key="tasks_national",
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.budget_line_update(actor=officer, line=lines["regular-tasks"], source_key="nonsense")
    with pytest.raises(ValidationError):
        services.budget_line_update(actor=officer, line=lines["regular-tasks"], amount_million=-1)
    with pytest.raises(ValidationError):
        services.budget_line_update(actor=officer, line=lines["regular-tasks"], code="research-application")
    other = copy(plan, officer)
    with pytest.raises(ValidationError):
        services.budget_line_update(actor=officer, line=lines["regular-tasks"], parent=other.budget_lines.first())


def test_budget_line_edit_keeps_the_warning_honest_and_is_version_checked(plan, officer):
    line = plan.budget_lines.get(code="st-operations")
    services.budget_line_update(actor=officer, line=line, expected_version=1, amount_million="239040.15")
    # the lines now add up, and the grand total, stated 1,634,630, no longer does: reported
    [warning] = budget.budget_table(plan).stated_warnings
    assert (warning.line.code, warning.difference) == ("total", Decimal("0.01"))
    with pytest.raises(EditConflict):
        services.budget_line_update(actor=officer, line=line, expected_version=1, title="X")
    event = AuditEvent.objects.filter(content_type__model="budgetline", action="update").get()
    assert event.changes["amount_million"] == ["239040.14", "239040.15"]


def test_budget_line_delete_rules(plan, officer, leader):
    lines = {line.code: line for line in plan.budget_lines.all()}
    with pytest.raises(ValidationError):
        services.budget_line_delete(actor=officer, line=lines["st-operations"])  # has lines below
    services.allocation_create(
        actor=officer, line=lines["state-management"], year=2021, amount_million=1, source_document="QĐ"
    )
    with pytest.raises(ValidationError):
        services.budget_line_delete(actor=officer, line=lines["state-management"])
    with pytest.raises(PermissionDenied):
        services.budget_line_delete(actor=leader, line=lines["technology-exchange"])
    services.budget_line_delete(actor=officer, line=lines["technology-exchange"], expected_version=1)
    assert not plan.budget_lines.filter(code="technology-exchange").exists()
    warning = budget.budget_table(plan).stated_warnings
    assert {w.line.code for w in warning} == {"st-operations", "development-investment"}


# PAGES -------------------------------------------------------------------------------------------
def test_the_officer_copies_and_edits_through_the_pages(client, plan, officer):
    client.force_login(officer)
    manage = client.get(reverse("planning:plan_manage", args=[plan.public_id]))
    assert manage.status_code == 200 and reverse("planning:plan_copy", args=[plan.public_id]) in manage.text
    form = client.get(reverse("planning:plan_copy", args=[plan.public_id]))
    assert 'value="2026"' in form.text and 'value="2030"' in form.text
    response = client.post(
        reverse("planning:plan_copy", args=[plan.public_id]),
        {"code": "khcn-2026-2030", "title": "Kế hoạch KH&CN 2026-2030", "start_year": 2026, "end_year": 2030},
    )
    new = Plan.objects.get(code="khcn-2026-2030")
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:plan_manage", args=[new.public_id])

    edit_url = reverse("planning:plan_edit", args=[new.public_id])
    page = client.get(edit_url)
    data = {
        "code": new.code, "title": new.title, "start_year": 2026, "end_year": 2030,
        "legal_basis": "Quyết định số 100/QĐ-UBND", "document_ref": "", "version": 1,
        "original": page.context["form"].initial["original"],
    }  # fmt: skip
    assert client.post(edit_url, data).status_code == 302
    new.refresh_from_db()
    assert new.legal_basis == "Quyết định số 100/QĐ-UBND"

    target = new.targets.get(code="tdc-trainees")
    target_url = reverse("planning:target_edit", args=[target.public_id])
    page = client.get(target_url)
    assert 'name="year_2026"' in page.text and 'name="year_2030"' in page.text
    values = {f"year_{y}": 70 for y in range(2026, 2031)} | {"year_2030": ""}
    fields = {
        "code": target.code, "title": target.title, "area": target.area, "indicator_key": "", "unit": "người",
        "baseline_value": "", "baseline_label": "", "target_min": 350, "target_max": "", "source_text": "",
        "responsible_unit": "Chi cục TĐC", "position": 3, "version": 1,
        "original": page.context["form"].initial["original"],
    }  # fmt: skip
    assert client.post(target_url, fields | values).status_code == 302
    target.refresh_from_db()
    assert target.yearly_values == {"2026": 70, "2027": 70, "2028": 70, "2029": 70}
    assert (target.target_min, target.responsible_unit) == (350, "Chi cục TĐC")

    # someone saved meanwhile: a conflict, the input kept
    conflict = client.post(target_url, fields | values | {"title": "Tên mới"})
    assert conflict.status_code == 200 and "Someone else saved this record" in conflict.text
    assert "Tên mới" in conflict.text
    target.refresh_from_db()
    assert target.title != "Tên mới"


def test_targets_are_added_and_deleted_through_the_pages(client, plan, officer):
    client.force_login(officer)
    response = client.post(
        reverse("planning:target_add", args=[plan.public_id]),
        {"code": "patents", "title": "Sáng chế", "area": "ip", "indicator_key": "", "unit": "bằng",
         "target_min": "2", "position": 30, "year_2023": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    target = plan.targets.get(code="patents")
    assert target.yearly_values == {"2023": 1}
    bad = client.post(
        reverse("planning:target_add", args=[plan.public_id]),
        {"code": "patents", "title": "Lặp", "area": "ip", "unit": "bằng", "position": 1},
    )
    assert bad.status_code == 200 and plan.targets.filter(code="patents").count() == 1
    delete_url = reverse("planning:target_delete", args=[target.public_id])
    assert client.get(delete_url).status_code == 200
    assert client.post(delete_url, {"version": 1}).status_code == 302
    assert not plan.targets.filter(code="patents").exists()


def test_budget_lines_and_allocations_through_the_pages(client, plan, officer):
    client.force_login(officer)
    add = reverse("planning:budget_line_add", args=[plan.public_id])
    parent = plan.budget_lines.get(code="st-operations")
    assert client.get(add, {"parent": "st-operations"}).context["form"].initial["parent"] == parent.pk
    response = client.post(
        add,
        {"code": "innovation", "title": "Đổi mới sáng tạo", "parent": parent.pk, "amount_million": "0.00",
         "source_key": "tasks_grassroots", "position": 5},
    )  # fmt: skip
    assert response.status_code == 302
    line = plan.budget_lines.get(code="innovation")
    assert (line.parent, line.source_key) == (parent, "tasks_grassroots")

    edit = reverse("planning:budget_line_edit", args=[plan.public_id, "innovation"])
    page = client.get(edit)
    assert str(line.pk) not in [str(c[0]) for c in page.context["form"].fields["parent"].choices if c[0]]
    data = {
        "code": "innovation",
        "title": "Đổi mới sáng tạo",
        "parent": parent.pk,
        "amount_million": "10",
        "source_key": "",
        "position": 5,
        "version": 1,
        "original": page.context["form"].initial["original"],
    }
    assert client.post(edit, data).status_code == 302
    line.refresh_from_db()
    assert (line.amount_million, line.source_key, line.version) == (10, "", 2)

    allocate = reverse("planning:allocation_add", args=[plan.public_id, "innovation"])
    response = client.post(allocate, {"year": 2024, "amount_million": "4.5", "source_document": "QĐ 5/QĐ-UBND"})
    assert response.status_code == 302
    allocation = line.allocations.get()
    detail = client.get(reverse("planning:budget_line_detail", args=[plan.public_id, "innovation"]))
    assert "QĐ 5/QĐ-UBND" in detail.text
    assert reverse("planning:allocation_edit", args=[allocation.public_id]) in detail.text
    response = client.post(
        reverse("planning:allocation_edit", args=[allocation.public_id]),
        {"year": 2025, "amount_million": "5", "source_document": "QĐ 6/QĐ-UBND"},
    )
    allocation.refresh_from_db()
    assert (allocation.year, allocation.amount_million) == (2025, 5)
    refused = client.post(reverse("planning:budget_line_delete", args=[plan.public_id, "innovation"]), {"version": 2})
    assert refused.status_code == 200 and plan.budget_lines.filter(code="innovation").exists()
    assert client.post(reverse("planning:allocation_delete", args=[allocation.public_id])).status_code == 302
    client.post(reverse("planning:budget_line_delete", args=[plan.public_id, "innovation"]), {"version": 2})
    assert not plan.budget_lines.filter(code="innovation").exists()


def test_edit_pages_are_404_for_outsiders_and_403_for_leaders(client, plan, officer, leader, outsider):
    target = plan.targets.get(code="tasks")
    allocation = services.allocation_create(
        actor=officer, line=plan.budget_lines.get(code="total"), year=2021, amount_million=1, source_document="QĐ"
    )
    urls = [
        reverse("planning:plan_edit", args=[plan.public_id]),
        reverse("planning:plan_copy", args=[plan.public_id]),
        reverse("planning:target_add", args=[plan.public_id]),
        reverse("planning:target_edit", args=[target.public_id]),
        reverse("planning:target_delete", args=[target.public_id]),
        reverse("planning:budget_line_add", args=[plan.public_id]),
        reverse("planning:budget_line_edit", args=[plan.public_id, "total"]),
        reverse("planning:budget_line_delete", args=[plan.public_id, "total"]),
        reverse("planning:allocation_add", args=[plan.public_id, "total"]),
        reverse("planning:allocation_edit", args=[allocation.public_id]),
        reverse("planning:allocation_delete", args=[allocation.public_id]),
    ]
    client.force_login(outsider)
    assert client.get(reverse("planning:plan_manage", args=[plan.public_id])).status_code == 404
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    client.force_login(leader)
    manage = client.get(reverse("planning:plan_manage", args=[plan.public_id]))
    assert manage.status_code == 200 and reverse("planning:plan_edit", args=[plan.public_id]) not in manage.text
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert BudgetAllocation.objects.filter(pk=allocation.pk).exists() and plan.targets.filter(pk=target.pk).exists()


def test_pages_render_when_the_plan_has_allocations_and_spending(client, plan, officer, flow):
    services.plan_demo_next(plan=plan)
    task = flow.contracted()
    line = plan.budget_lines.get(code="research-application")
    services.allocation_create(actor=officer, line=line, year=2025, amount_million=500, source_document="QĐ 9")
    client.force_login(officer)
    page = client.get(reverse("planning:plan_budget", args=[plan.public_id]), {"year": 2025})
    assert page.status_code == 200 and "500" in page.text
    detail = client.get(reverse("planning:budget_line_detail", args=[plan.public_id, "research-application"]))
    assert reverse("projects:task_detail", args=[task.public_id]) in detail.text
    assert task.contract.signed_on == dt.date(2025, 11, 5)


def test_manage_page_queries_do_not_grow_with_targets(client, plan, officer, django_assert_max_num_queries):
    client.force_login(officer)
    url = reverse("planning:plan_manage", args=[plan.public_id])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for index in range(3):
        services.target_create(actor=officer, plan=plan, code=f"extra-{index}", title="Thêm", area="other", unit="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
