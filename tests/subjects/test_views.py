import datetime as dt

import pytest
from django.urls import reverse

from opendost.subjects.enums import ContactRole, OrganizationKind
from opendost.subjects.models import Organization, OrganizationContact, Person
from tests.subjects.factories import ContactFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def organization(department):
    return OrganizationFactory(department=department, name="Viện Công nghệ Sinh học", tax_code="0100233488")


@pytest.fixture
def person(department, organization):
    return PersonFactory(
        department=department, full_name="Hoàng Thị Mai", citizen_id="001234567890", organization=organization
    )


def org_urls(organization):
    return [
        reverse("subjects:organization_detail", args=[organization.public_id]),
        reverse("subjects:organization_edit", args=[organization.public_id]),
    ]


# ACCESS ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["subjects:organization_list", "subjects:organization_create", "subjects:person_list", "subjects:person_create"],
)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_anonymous_is_sent_to_login_from_object_pages(client, organization, person):
    for url in [*org_urls(organization), reverse("subjects:person_detail", args=[person.public_id])]:
        response = client.get(url)
        assert response.status_code == 302, url


@pytest.mark.parametrize("name", ["subjects:organization_list", "subjects:person_list"])
def test_list_without_view_permission_is_forbidden(client, applicant, name):
    client.force_login(applicant)
    assert client.get(reverse(name)).status_code == 403


def test_object_pages_without_view_permission_are_not_found(client, applicant, organization, person):
    client.force_login(applicant)
    for url in [*org_urls(organization), reverse("subjects:person_detail", args=[person.public_id])]:
        assert client.get(url).status_code == 404, url


def test_outsider_gets_404_on_every_object_url(client, outsider, organization, person):
    contact = ContactFactory(organization=organization)
    client.force_login(outsider)
    urls = [
        *org_urls(organization),
        reverse("subjects:person_detail", args=[person.public_id]),
        reverse("subjects:person_edit", args=[person.public_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    add_url = reverse("subjects:contact_add", args=[organization.public_id])
    remove_url = reverse("subjects:contact_remove", args=[organization.public_id, contact.public_id])
    assert client.post(add_url, {"contact-role": "contact", "contact-full_name": "X"}).status_code == 404
    assert client.post(remove_url).status_code == 404
    assert OrganizationContact.objects.count() == 1


def test_outsider_list_does_not_show_other_departments_rows(client, outsider, organization, person):
    client.force_login(outsider)
    assert organization.name not in client.get(reverse("subjects:organization_list")).content.decode()
    assert person.full_name not in client.get(reverse("subjects:person_list")).content.decode()


def test_inspector_can_read_but_not_change(client, inspector, organization, person):
    client.force_login(inspector)
    detail = client.get(reverse("subjects:organization_detail", args=[organization.public_id]))
    assert detail.status_code == 200
    assert reverse("subjects:organization_edit", args=[organization.public_id]) not in detail.content.decode()
    assert client.get(reverse("subjects:organization_edit", args=[organization.public_id])).status_code == 403
    assert client.get(reverse("subjects:person_edit", args=[person.public_id])).status_code == 403
    assert client.get(reverse("subjects:organization_create")).status_code == 403
    assert client.get(reverse("subjects:person_create")).status_code == 403


def test_unknown_public_id_is_404(client, officer):
    client.force_login(officer)
    url = reverse("subjects:organization_detail", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


# ORGANISATION PAGES ---------------------------------------------------------------------------------
def test_list_shows_the_departments_organisations(client, officer, organization):
    client.force_login(officer)
    response = client.get(reverse("subjects:organization_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert organization.name in html and "0100233488" in html
    assert "<html" in html


def test_list_htmx_request_gets_only_the_results_partial(client, officer, organization):
    client.force_login(officer)
    response = client.get(reverse("subjects:organization_list"), {"q": "sinh hoc"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html and organization.name in html


def test_create_saves_and_redirects_to_the_detail_page(client, officer, department, units, nodes):
    client.force_login(officer)
    response = client.post(
        reverse("subjects:organization_create"),
        {
            "kind": OrganizationKind.ST_ORGANIZATION,
            "name": "Trung tâm Ứng dụng Tiến bộ KH&CN",
            "tax_code": "0100109106",
            "province": units.bac_ninh.pk,
            "commune": units.phuong_bac_giang.pk,
            "established_on": "20/05/2001",
            "fields": [nodes.maths.pk],
        },
    )
    organization = Organization.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("subjects:organization_detail", args=[organization.public_id])
    assert organization.department == department
    assert organization.commune == units.phuong_bac_giang
    assert organization.established_on == dt.date(2001, 5, 20)
    assert list(organization.fields.all()) == [nodes.maths]


def test_create_with_errors_keeps_what_was_typed_and_saves_nothing(client, officer, organization):
    client.force_login(officer)
    response = client.post(
        reverse("subjects:organization_create"),
        {
            "kind": OrganizationKind.ENTERPRISE,
            "name": "Công ty Trùng Mã",
            "tax_code": "0100-233-488",
            "phone": "0222 3 854 854",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Công ty Trùng Mã"' in html and 'value="0222 3 854 854"' in html
    assert "Viện Công nghệ Sinh học" in html  # the message names the existing record
    assert 'aria-invalid="true"' in html
    assert Organization.objects.count() == 1


def test_create_form_without_required_fields_shows_field_errors(client, officer):
    client.force_login(officer)
    response = client.post(reverse("subjects:organization_create"), {"name": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"name", "kind"}
    assert not Organization.objects.exists()


def test_address_refresh_keeps_input_lists_the_provinces_communes_and_saves_nothing(client, officer, units):
    client.force_login(officer)
    response = client.post(
        reverse("subjects:organization_create"),
        {"kind": "enterprise", "name": "Công ty Đang Gõ", "province": units.bac_giang_old.pk, "refresh_address": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Công ty Đang Gõ"' in html
    assert "is-invalid" not in html
    form = response.context["form"]
    assert units.yen_the_old in form.fields["district"].queryset
    assert units.dong_tien_old in form.fields["commune"].queryset
    assert units.phuong_bac_giang not in form.fields["commune"].queryset
    assert not Organization.objects.exists()


def test_address_selects_refresh_from_the_geography_endpoint(client, officer):
    client.force_login(officer)
    html = client.get(reverse("subjects:organization_create")).content.decode()
    assert reverse("geography:unit_options") + "?level=commune" in html
    assert 'hx-trigger="change from:#id_province, change from:#id_district"' in html


def test_commune_outside_the_posted_province_gets_a_field_error(client, officer, units):
    client.force_login(officer)
    response = client.post(
        reverse("subjects:organization_create"),
        {"kind": "enterprise", "name": "A", "province": units.ha_noi.pk, "commune": units.phuong_bac_giang.pk},
    )
    assert "commune" in response.context["form"].errors
    assert not Organization.objects.exists()


def test_edit_saves_changes(client, officer, organization):
    client.force_login(officer)
    url = reverse("subjects:organization_edit", args=[organization.public_id])
    form_page = client.get(url).content.decode()
    assert 'value="Viện Công nghệ Sinh học"' in form_page
    response = client.post(
        url, {"kind": "st_organization", "name": "Viện Công nghệ Sinh học Bắc Ninh", "tax_code": "0100233488"}
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "Viện Công nghệ Sinh học Bắc Ninh" and organization.kind == "st_organization"


def test_detail_shows_data_people_contacts_and_the_holdings_placeholder(client, officer, organization, person):
    ContactFactory(organization=organization, full_name="Vũ Đức Đại Diện")
    client.force_login(officer)
    response = client.get(reverse("subjects:organization_detail", args=[organization.public_id]))
    html = response.content.decode()
    assert "0100233488" in html and "Hoàng Thị Mai" in html and "Vũ Đức Đại Diện" in html
    assert "Everything the Department holds about this subject" in html
    assert "001234567890" not in html


def test_contact_add_and_remove_without_javascript(client, officer, organization):
    client.force_login(officer)
    response = client.post(
        reverse("subjects:contact_add", args=[organization.public_id]),
        {
            "contact-role": ContactRole.LEGAL_REPRESENTATIVE,
            "contact-full_name": "Ngô Bảo Châu",
            "contact-position": "Viện trưởng",
        },
    )
    assert response.status_code == 302
    contact = organization.contacts.get()
    assert contact.full_name == "Ngô Bảo Châu"
    response = client.post(reverse("subjects:contact_remove", args=[organization.public_id, contact.public_id]))
    assert response.status_code == 302
    assert not organization.contacts.exists()


def test_contact_add_with_htmx_returns_the_contacts_partial(client, officer, organization):
    client.force_login(officer)
    response = client.post(
        reverse("subjects:contact_add", args=[organization.public_id]),
        {"contact-role": ContactRole.CONTACT, "contact-full_name": "Lý Thường Kiệt"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="contacts"') and "Lý Thường Kiệt" in html


def test_contact_add_error_keeps_input(client, officer, organization):
    client.force_login(officer)
    response = client.post(
        reverse("subjects:contact_add", args=[organization.public_id]),
        {"contact-role": ContactRole.CONTACT, "contact-full_name": "", "contact-position": "Kế toán trưởng"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Kế toán trưởng"' in html and "Enter a name or choose a registered person." in html
    assert not organization.contacts.exists()


def test_contact_changes_need_the_change_permission(client, inspector, organization):
    contact = ContactFactory(organization=organization)
    client.force_login(inspector)
    add = client.post(
        reverse("subjects:contact_add", args=[organization.public_id]),
        {"contact-role": "contact", "contact-full_name": "X"},
    )
    remove = client.post(reverse("subjects:contact_remove", args=[organization.public_id, contact.public_id]))
    assert (add.status_code, remove.status_code) == (403, 403)
    assert OrganizationContact.objects.count() == 1


def test_contact_of_another_organisation_is_404(client, officer, organization, department):
    stranger = ContactFactory(organization=OrganizationFactory(department=department))
    client.force_login(officer)
    url = reverse("subjects:contact_remove", args=[organization.public_id, stranger.public_id])
    assert client.post(url).status_code == 404
    assert OrganizationContact.objects.filter(pk=stranger.pk).exists()


# PEOPLE PAGES ---------------------------------------------------------------------------------------
def test_citizen_id_is_masked_in_list_detail_and_edit_form(client, officer, person):
    client.force_login(officer)
    pages = [
        reverse("subjects:person_list"),
        reverse("subjects:person_detail", args=[person.public_id]),
        reverse("subjects:person_edit", args=[person.public_id]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "001234567890" not in html, url
        assert "*********890" in html, url


def test_person_create_and_edit(client, officer, department, organization):
    client.force_login(officer)
    response = client.post(
        reverse("subjects:person_create"),
        {
            "full_name": "Đặng Thái Sơn",
            "citizen_id": "036 090 000 123",
            "birth_year": "1975",
            "organization": organization.pk,
            "is_expert": "on",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert (person.citizen_id, person.is_expert, person.organization) == ("036090000123", True, organization)
    url = reverse("subjects:person_edit", args=[person.public_id])
    response = client.post(url, {"full_name": "Đặng Thái Sơn", "birth_year": "1976", "citizen_id": ""})
    person.refresh_from_db()
    assert response.status_code == 302
    assert person.birth_year == 1976 and person.citizen_id == "036090000123"  # blank keeps the number
    client.post(url, {"full_name": "Đặng Thái Sơn", "clear_citizen_id": "on"})
    person.refresh_from_db()
    assert person.citizen_id == ""


def test_person_create_duplicate_keeps_input_and_names_the_existing_person(client, officer, person):
    client.force_login(officer)
    response = client.post(
        reverse("subjects:person_create"), {"full_name": "Người Trùng", "citizen_id": person.citizen_id}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Người Trùng"' in html and "Hoàng Thị Mai" in html
    assert Person.objects.count() == 1


def test_person_form_offers_only_visible_organisations(client, officer, organization, other_department):
    foreign = OrganizationFactory(department=other_department, name="Tổ chức Ngoài")
    client.force_login(officer)
    html = client.get(reverse("subjects:person_create")).content.decode()
    assert organization.name in html and foreign.name not in html
    response = client.post(reverse("subjects:person_create"), {"full_name": "A", "organization": foreign.pk})
    assert "organization" in response.context["form"].errors
    assert not Person.objects.filter(full_name="A").exists()
