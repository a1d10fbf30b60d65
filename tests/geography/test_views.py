import pytest
from django.urls import reverse

from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CURRENT, OLD = CodeSet.CURRENT, CodeSet.PRE_2025


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory())
    return client


def unit(code_set, level, code):
    return AdminUnit.objects.get(code_set=code_set, level=level, code=code)


@pytest.mark.parametrize(
    "url",
    [
        reverse("geography:unit_options") + "?level=province",
        reverse("geography:unit_list"),
        reverse("geography:unit_detail", args=["2025", "province", "24"]),
    ],
)
def test_pages_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_commune_options_of_a_province(staff_client):
    bac_ninh = unit(CURRENT, AdminLevel.PROVINCE, "24")
    commune = AdminUnit.objects.filter(province=bac_ninh, level=AdminLevel.COMMUNE).order_by("code").first()
    url = reverse("geography:unit_options")
    response = staff_client.get(url, {"level": "commune", "province": bac_ninh.pk, "selected": commune.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<option") == 1 + AdminUnit.objects.filter(province=bac_ninh).count()
    assert f'<option value="{commune.pk}" selected>{commune.name}</option>' in html
    assert 'value=""' in html


def test_district_then_commune_options_for_old_addresses(staff_client):
    bac_giang = unit(OLD, AdminLevel.PROVINCE, "24")
    luc_ngan = unit(OLD, AdminLevel.DISTRICT, "219")
    url = reverse("geography:unit_options")
    districts = staff_client.get(url, {"level": "district", "parent": bac_giang.pk}).content.decode()
    assert "Huyện Lục Ngạn" in districts
    communes = staff_client.get(url, {"level": "commune", "parent": luc_ngan.pk}).content.decode()
    assert communes.count("<option") == 1 + luc_ngan.children.count()


def test_province_options_default_to_the_current_map(staff_client, django_assert_max_num_queries):
    url = reverse("geography:unit_options")
    with django_assert_max_num_queries(10):
        html = staff_client.get(url, {"level": "province"}).content.decode()
    assert html.count("<option") == 35
    old = staff_client.get(url, {"level": "province", "code_set": "pre2025"}).content.decode()
    assert old.count("<option") == 64 and "Tỉnh Bắc Giang" in old


def test_bad_options_requests(staff_client):
    url = reverse("geography:unit_options")
    assert staff_client.get(url, {"level": "hamlet"}).status_code == 400
    assert staff_client.get(url, {"level": "province", "code_set": "1999"}).status_code == 400
    empty = staff_client.get(url, {"level": "commune", "parent": "999999999"})
    assert empty.status_code == 200 and empty.content.decode().count("<option") == 1
    assert staff_client.get(url, {"level": "commune", "parent": "x"}).content.decode().count("<option") == 1


def test_browse_and_detail_show_successions(staff_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("geography:unit_list"), {"q": "bac giang", "level": "province"})
    assert "Tỉnh Bắc Giang" in response.content.decode()
    bac_giang = unit(OLD, AdminLevel.PROVINCE, "24")
    page = staff_client.get(bac_giang.get_absolute_url()).content.decode()
    new_bac_ninh = unit(CURRENT, AdminLevel.PROVINCE, "24")
    assert new_bac_ninh.get_absolute_url() in page
    page = staff_client.get(new_bac_ninh.get_absolute_url()).content.decode()
    assert "Tỉnh Bắc Giang" in page and "Tỉnh Bắc Ninh" in page
    luc_ngan = unit(OLD, AdminLevel.DISTRICT, "219")
    assert staff_client.get(luc_ngan.get_absolute_url()).status_code == 200
    assert staff_client.get(reverse("geography:unit_detail", args=["2025", "district", "219"])).status_code == 404
