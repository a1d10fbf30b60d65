"""A one-stop dossier in a real browser, from the applicant's draft to the public lookup:
applicant submits online with files → desk receives and assigns → officer requests supplements →
applicant supplements → officer proposes → leader approves → officer issues the result → anyone
with the code sees the steps. Each role's page is checked with axe.

Elements are found by their form actions and ids, not by their texts, so the test does not depend
on the translation of the labels.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from opendost.accounts.roles import Role
from opendost.dossiers.enums import DossierStatus
from opendost.dossiers.models import Dossier
from tests.dossiers.factories import published_procedure
from tests.factories import DepartmentFactory, UnitFactory, UserFactory
from tests.subjects.factories import OrganizationFactory

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture
def people():
    department = DepartmentFactory(code="bac-ninh", name="Sở Khoa học và Công nghệ tỉnh Bắc Ninh")
    unit = UnitFactory(department=department, name="Phòng Quản lý chuyên ngành")
    organization = OrganizationFactory(department=department, name="Bệnh viện Đa khoa Kinh Bắc")
    return {
        "applicant": UserFactory(role=Role.APPLICANT, department=None, organization=organization),
        "desk": UserFactory(role=Role.DESK_OFFICER, department=department, full_name="Trần Thị Một Cửa"),
        "officer": UserFactory(role=Role.OFFICER, department=department, unit=unit, full_name="Đỗ Văn Thẩm"),
        "leader": UserFactory(role=Role.LEADER, department=department, full_name="Lê Minh Cường"),
    }


def as_user(page, login, user):
    page.context.clear_cookies()
    login(user)


def act(page, dossier, action):
    """Submit the action's form (opening its panel first when it has fields)."""
    panel = page.locator(f"details#action-{action}")
    if panel.count() and panel.get_attribute("open") is None:
        panel.locator("summary").click()
    return page.locator(f"form[action='{reverse('dossiers:act', args=[dossier.public_id, action])}']")


def submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()


def test_a_dossier_from_the_online_draft_to_the_public_lookup(page, login, assert_accessible, people):
    procedure = published_procedure(deadline_count=5, steps=[{"code": "TD", "name": "Thẩm định hồ sơ", "days": 2}])

    # 1. The applicant starts a draft from the catalogue, attaches the documents and submits.
    as_user(page, login, people["applicant"])
    page.goto(reverse("dossiers:new"))
    assert_accessible(page, label="new dossier catalogue")
    with page.expect_navigation():
        page.locator(f"a[href='{reverse('dossiers:create', args=[procedure.public_id])}']").click()
    expect(page.locator("#id_applicant_name")).to_have_value("Bệnh viện Đa khoa Kinh Bắc")
    page.locator("#id_applicant_phone").fill("0204 3854 123")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    dossier = Dossier.objects.get()
    assert_accessible(page, label="draft detail")
    for code in ("DON", "GCN"):
        page.locator("#id_upload-requirement").select_option(code)
        page.locator("#id_upload-file").set_input_files(
            {"name": f"{code.lower()}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        with page.expect_navigation():
            page.locator(f"form[action='{reverse('dossiers:upload', args=[dossier.public_id])}'] button").click()
    submit(page, act(page, dossier, "submit"))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    expect(page.locator("h1")).to_contain_text(dossier.code)

    # 2. The desk receives it (the receipt slip appears) and assigns it.
    as_user(page, login, people["desk"])
    page.goto(reverse("dossiers:home"))
    assert_accessible(page, label="desk worklist")
    with page.expect_navigation():
        page.locator(f"a[href='{reverse('dossiers:detail', args=[dossier.public_id])}']").first.click()
    submit(page, act(page, dossier, "receive"))
    expect(
        page.locator(f"a[href='{reverse('dossiers:slip', args=[dossier.public_id, 'receipt', 'pdf'])}']")
    ).to_have_count(1)
    form = act(page, dossier, "assign")
    form.locator("#id_assign-officer").select_option(str(people["officer"].pk))
    submit(page, form)
    assert Dossier.objects.get().assigned_officer == people["officer"]

    # 3. The officer asks for supplements; a refusal-style empty post first shows the error in place.
    as_user(page, login, people["officer"])
    page.goto(reverse("dossiers:detail", args=[dossier.public_id]))
    assert_accessible(page, label="officer detail")
    submit(page, act(page, dossier, "request_supplement"))
    expect(page.locator("details#action-request_supplement .invalid-feedback")).to_be_visible()
    assert_accessible(page, label="action form with an error")
    form = act(page, dossier, "request_supplement")
    form.locator("textarea").fill("Bổ sung kết quả đo liều chiếu xạ.")
    submit(page, form)
    assert Dossier.objects.get().status == DossierStatus.SUPPLEMENT_REQUESTED

    # 4. The applicant supplements with a file and a note.
    as_user(page, login, people["applicant"])
    page.goto(reverse("dossiers:detail", args=[dossier.public_id]))
    form = act(page, dossier, "supplement")
    form.locator("input[type=file]").set_input_files(
        {"name": "do-lieu.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.locator("textarea").fill("Kết quả đo liều đính kèm.")
    submit(page, form)
    assert Dossier.objects.get().status == DossierStatus.IN_REVIEW

    # 5. The officer proposes approval; 6. the leader approves; 7. the officer issues the result.
    as_user(page, login, people["officer"])
    page.goto(reverse("dossiers:detail", args=[dossier.public_id]))
    form = act(page, dossier, "propose")
    form.locator("input[value=approve]").check()
    form.locator("textarea").fill("Đủ điều kiện cấp phép.")
    submit(page, form)
    as_user(page, login, people["leader"])
    page.goto(reverse("dossiers:home"))
    with page.expect_navigation():
        page.locator(f"a[href='{reverse('dossiers:detail', args=[dossier.public_id])}']").first.click()
    submit(page, act(page, dossier, "approve"))
    as_user(page, login, people["officer"])
    page.goto(reverse("dossiers:detail", args=[dossier.public_id]))
    submit(page, act(page, dossier, "issue_result"))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_ISSUED and dossier.result_document is not None
    assert_accessible(page, label="dossier with its result")

    # 8. Anyone with the code follows the steps, without names.
    page.context.clear_cookies()
    page.goto(reverse("dossiers_public:lookup"))
    page.locator("#id_code").fill(dossier.code)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    timeline = page.locator("#public-timeline li")
    expect(timeline).to_have_count(8)  # submit, receive, assign, request, supplement, propose, approve, issue
    html = page.content()
    for name in ("Trần Thị Một Cửa", "Đỗ Văn Thẩm", "Lê Minh Cường", "0204 3854 123", "Bệnh viện Đa khoa Kinh Bắc"):
        assert name not in html
    assert_accessible(page, label="public lookup")
