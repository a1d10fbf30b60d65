"""The subject register writes the audit trail, locks edits optimistically and shows its history."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from opendost.accounts.roles import Role
from opendost.audit.enums import AuditAction
from opendost.audit.models import AuditEvent
from opendost.audit.verify import audit_chain_verify
from opendost.common.locking import EditConflict
from opendost.subjects import services
from opendost.subjects.enums import ContactRole, OrganizationKind
from opendost.subjects.models import Organization, Person
from tests.factories import DepartmentFactory, UserFactory
from tests.subjects.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def officer(department):
    return UserFactory(role=Role.OFFICER, department=department, full_name="Phạm Văn Cán Bộ")


@pytest.fixture
def outsider():
    return UserFactory(role=Role.OFFICER, department=DepartmentFactory())


def _events(action=None):
    qs = AuditEvent.objects.order_by("seq")
    return list(qs.filter(action=action) if action else qs)


# SERVICES ------------------------------------------------------------------------------------------
def test_create_and_update_of_an_organisation_write_one_event_each(officer, department):
    org = services.organization_create(
        actor=officer, department=department, kind=OrganizationKind.ENTERPRISE, name="A"
    )
    services.organization_update(actor=officer, organization=org, name="B", phone="0912 345 678")

    created, updated = _events()
    assert (created.action, created.actor, created.department_id) == ("create", officer, department.pk)
    assert created.after["name"] == "A"
    assert updated.action == "update"
    assert updated.changes == {"name": ["A", "B"], "phone": ["", "0912 345 678"]}
    assert audit_chain_verify().ok


def test_a_refused_change_writes_no_event(officer, department, outsider):
    org = OrganizationFactory(department=department, name="A")
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied or ValidationError, both refuse
        services.organization_update(actor=outsider, organization=org, name="B")
    with pytest.raises(Exception):  # noqa: B017
        services.organization_update(actor=officer, organization=org, email="not-an-email")

    assert _events() == []


def test_person_events_keep_the_citizen_id_masked(officer, department):
    person = services.person_create(
        actor=officer, department=department, full_name="Hoàng Thị Mai", citizen_id="001234567890"
    )
    services.person_update(actor=officer, person=person, citizen_id="001234567891")

    created, updated = _events()
    assert created.after["citizen_id"] == "*********890"
    assert updated.changes["citizen_id"] == ["*********890", "*********891"]
    raw = AuditEvent.objects.values_list("after", "before", "changes")
    assert "001234567890" not in str(list(raw))


def test_contact_add_and_remove_are_recorded_on_the_organisation(officer, department):
    org = OrganizationFactory(department=department)
    contact = services.contact_add(
        actor=officer, organization=org, role=ContactRole.LEGAL_REPRESENTATIVE, full_name="Ngô Bảo Châu"
    )
    services.contact_remove(actor=officer, contact=contact)

    added, removed = _events()
    assert added.object_id == removed.object_id == str(org.pk)
    assert added.changes == {"contacts": [None, "Ngô Bảo Châu (Legal representative)"]}
    assert removed.changes == {"contacts": ["Ngô Bảo Châu (Legal representative)", None]}


def test_update_at_a_stale_version_raises_edit_conflict_and_writes_nothing(officer, department):
    org = OrganizationFactory(department=department, name="A", phone="1")
    services.organization_update(actor=officer, organization=org, phone="2")  # someone else, now version 2

    with pytest.raises(EditConflict) as exc:
        services.organization_update(actor=officer, organization=org, expected_version=1, name="Mine")

    assert exc.value.changed_fields is None  # unknown without the form's fingerprints
    assert Organization.objects.get(pk=org.pk).name == "A"
    assert len(_events()) == 1


def test_each_save_bumps_the_version(officer, department):
    person = PersonFactory(department=department)
    services.person_update(actor=officer, person=person, position="Giám đốc")
    services.person_update(actor=officer, person=person, position="Phó Giám đốc")

    assert Person.objects.get(pk=person.pk).version == 3


# VIEWS ---------------------------------------------------------------------------------------------
def _form_data(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(version|original)" value="([^"]*)"', html))


def test_edit_conflict_shows_who_changed_what_and_keeps_the_input(client, officer, department):
    org = OrganizationFactory(department=department, name="Viện A", phone="111")
    client.force_login(officer)
    url = reverse("subjects:organization_edit", args=[org.public_id])
    hidden = _form_data(client.get(url).content.decode())
    assert hidden["version"] == "1"
    services.organization_update(actor=officer, organization=org, phone="222")  # a colleague saves first

    response = client.post(url, {"kind": org.kind, "name": "Viện A mới", "phone": "111", **hidden})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this record at" in html
    assert "these fields changed: phone." in html
    assert 'value="Viện A mới"' in html  # the user's input is kept
    assert 'name="version" value="2"' in html
    assert Organization.objects.get(pk=org.pk).name == "Viện A"

    again = client.post(url, {"kind": org.kind, "name": "Viện A mới", "phone": "111", **_form_data(html)})
    assert again.status_code == 302
    assert Organization.objects.get(pk=org.pk).name == "Viện A mới"


def test_person_edit_conflict_is_shown_too(client, officer, department):
    person = PersonFactory(department=department, full_name="Hoàng Thị Mai")
    client.force_login(officer)
    url = reverse("subjects:person_edit", args=[person.public_id])
    hidden = _form_data(client.get(url).content.decode())
    services.person_update(actor=officer, person=person, email="mai@example.vn")

    response = client.post(url, {"full_name": "Hoàng Thị Mai B", **hidden})

    assert "these fields changed: email." in response.content.decode()
    assert Person.objects.get(pk=person.pk).full_name == "Hoàng Thị Mai"


def test_detail_pages_show_the_history(client, officer, department):
    org = services.organization_create(
        actor=officer, department=department, kind=OrganizationKind.ENTERPRISE, name="A"
    )
    services.organization_update(actor=officer, organization=org, name="B")
    client.force_login(officer)

    html = client.get(reverse("subjects:organization_detail", args=[org.public_id])).content.decode()

    assert "Change history" in html
    assert "Phạm Văn Cán Bộ" in html
    assert re.search(r"<th[^>]*>Name</th>\s*<td>A</td>\s*<td[^>]*>→</td>\s*<td>B</td>", html)


def test_person_page_records_the_view_and_hides_views_from_the_history(client, officer, department):
    person = services.person_create(
        actor=officer, department=department, full_name="Hoàng Thị Mai", citizen_id="001234567890"
    )
    client.force_login(officer)

    html = client.get(reverse("subjects:person_detail", args=[person.public_id])).content.decode()

    assert [e.action for e in _events()] == [AuditAction.CREATE, AuditAction.VIEW_PERSONAL]
    assert "Personal data viewed" not in html
    assert "*********890" in html and "001234567890" not in html


def test_outsider_gets_404_and_no_history(client, outsider, department):
    org = OrganizationFactory(department=department)
    client.force_login(outsider)
    assert client.get(reverse("subjects:organization_detail", args=[org.public_id])).status_code == 404


def test_export_is_recorded_with_its_filters(client, officer, department):
    OrganizationFactory(department=department, name="Viện Một")
    client.force_login(officer)

    response = client.get(reverse("subjects:organization_export", args=["csv"]) + "?q=Viện&page=2")

    assert response.status_code == 200
    event = _events(AuditAction.EXPORT)[0]
    assert event.actor == officer
    assert event.note == "subjects.Organization (csv, 1 rows): q=Viện"


@pytest.mark.vietnamese
def test_notes_are_stored_language_neutral_and_shown_in_the_readers_language(client, officer, department):
    from django.utils import translation

    organization = OrganizationFactory(department=department)
    with translation.override("vi"):  # the actor works in Vietnamese ...
        services.contact_add(actor=officer, organization=organization, role=ContactRole.CONTACT, full_name="Lê Văn Ba")

    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert event.note == "Representative or contact added."  # ... the chain stores the msgid
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"  # ... and the reader too
    html = client.get(reverse("subjects:organization_detail", args=[organization.public_id])).content.decode()
    assert "Đã thêm người đại diện hoặc người liên hệ." in html
