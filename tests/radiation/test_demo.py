import pytest
from django.utils import timezone

from opendost.demo import services as demo_services
from opendost.radiation import selectors
from opendost.radiation.enums import DeviceStatus, LicenceStatus
from opendost.radiation.models import Device, Facility, Licence

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, monkeypatch):
    """The kernel's demo province with only this app's loader (other apps' loaders are theirs to test)."""
    settings.OPENDOST_DEMO_ALLOWED = True
    lines = []

    def only_radiation(**context):
        from opendost.radiation.demo import load

        lines.append(load(**context))
        return lines

    monkeypatch.setattr(demo_services, "_write_domain_demos", only_radiation)
    report = demo_services.demo_load()
    assert report.loaded
    return lines


def test_demo_figures(demo):
    (summary,) = demo
    today = timezone.localdate()
    assert Facility.objects.count() == 53
    assert Device.objects.count() == 97
    assert summary.startswith("radiation: 53 facilities, 97 devices")
    # All licensed: every device is covered by a licence that is not superseded or revoked.
    assert not Device.objects.exclude(licences__status=LicenceStatus.VALID).exists()
    assert not Device.objects.exclude(status=DeviceStatus.IN_USE).exists()
    assert Licence.objects.filter(status=LicenceStatus.VALID).values("facility").distinct().count() == 53
    overdue = Licence.objects.filter(status=LicenceStatus.VALID, valid_until__lt=today)
    assert overdue.count() == 1
    from opendost.accounts.models import User

    officer = User.objects.get(username="canbo")
    assert selectors.licences_overdue(user=officer, today=today).count() == 1
    assert 3 <= selectors.licences_expiring(user=officer, within_days=90, today=today).count() <= 10
    assert selectors.devices_without_valid_licence(user=officer, today=today).count() == overdue.get().devices.count()
    # History chains and the pre-2025 issuer names.
    # 4 register renewals and 1 amendment, plus the renewal and the amendment the demo dossiers issued.
    assert Licence.objects.filter(kind="renewal").count() == 5
    assert Licence.objects.filter(kind="amendment").count() == 2
    assert Licence.objects.filter(kind="reissue").count() == 1
    assert Licence.objects.filter(issuer_name_at_issue="Sở Khoa học và Công nghệ tỉnh Bắc Giang").exists()
    # Another department's officer sees none of it.
    outsider = User.objects.get(username="canbo.langson")
    assert not selectors.facility_list_for(outsider).exists()
