import datetime as dt

import pytest
import time_machine

from opendost.notifications.models import Message
from opendost.radiation import selectors, services
from opendost.radiation.enums import FacilityKind
from tests.radiation.conftest import make_device

pytestmark = pytest.mark.django_db
SCOPE = "Sử dụng thiết bị X-quang chẩn đoán trong y tế"


def _issue(actor, facility, devices, issued_on, number, **kwargs):
    return services.licence_issue(
        actor=actor, facility=facility, devices=devices, work_scope=SCOPE, issued_on=issued_on, number=number, **kwargs
    )


@pytest.fixture
def register(officer, organization, facility, today):
    """Three facilities: one licensed for long, one expiring in 30 days, one expired with its device in use."""
    dental = services.facility_create(
        actor=officer,
        department=organization.department,
        organization=organization,
        kind=FacilityKind.DENTAL_CLINIC,
        name="Nha khoa Nụ Cười",
    )
    clinic = services.facility_create(
        actor=officer,
        department=organization.department,
        organization=organization,
        kind=FacilityKind.POLYCLINIC,
        name="Phòng khám Đa khoa An Phúc",
    )
    long_device = make_device(officer, facility, serial="L1")
    soon_device = make_device(officer, dental, serial="S1")
    old_device = make_device(officer, clinic, serial="O1")
    long = _issue(officer, facility, [long_device], dt.date(2025, 1, 10), "1/GP-SKHCN")  # to 09/01/2028
    soon = _issue(officer, dental, [soon_device], dt.date(2023, 4, 1), "2/GP-SKHCN")  # to 31/03/2026
    old = _issue(officer, clinic, [old_device], dt.date(2023, 2, 10), "3/GP-SKHCN")  # to 09/02/2026: expired
    return {"long": long, "soon": soon, "old": old, "old_device": old_device, "dental": dental, "clinic": clinic}


def test_licences_expiring(officer, register, today):
    assert list(selectors.licences_expiring(user=officer, within_days=90, today=today)) == [register["soon"]]
    assert list(selectors.licences_expiring(user=officer, within_days=20, today=today)) == []
    later = dt.date(2027, 12, 20)
    assert list(selectors.licences_expiring(user=officer, within_days=30, today=later)) == [register["long"]]


def test_overdue_and_devices_without_licence(officer, register, today):
    assert list(selectors.licences_overdue(user=officer, today=today)) == [register["old"]]
    assert list(selectors.devices_without_valid_licence(user=officer, today=today)) == [register["old_device"]]
    # Decommissioning the device clears both flags.
    device = register["old_device"]
    device.refresh_from_db()
    services.device_transition(actor=officer, device=device, transition="decommission")
    assert list(selectors.licences_overdue(user=officer, today=today)) == []
    assert list(selectors.devices_without_valid_licence(user=officer, today=today)) == []


def test_revoked_licence_leaves_its_devices_flagged(officer, register, today):
    services.licence_revoke(actor=officer, licence=register["long"], on=today, reason="Vi phạm")
    flagged = selectors.devices_without_valid_licence(user=officer, today=today)
    assert {d.serial_number for d in flagged} == {"L1", "O1"}


def test_a_renewal_issued_early_keeps_the_devices_covered(officer, register, today):
    services.licence_renew(actor=officer, licence=register["soon"], issued_on=today, number="9/GP")
    flagged = selectors.devices_without_valid_licence(user=officer, today=today)
    assert [d.serial_number for d in flagged] == ["O1"]
    assert list(selectors.licences_expiring(user=officer, within_days=90, today=today)) == []


def test_selectors_are_scoped(outsider, register, today):
    assert not selectors.licences_expiring(user=outsider, within_days=90, today=today).exists()
    assert not selectors.licences_overdue(user=outsider, today=today).exists()
    assert not selectors.devices_without_valid_licence(user=outsider, today=today).exists()
    assert not selectors.facility_list_for(outsider).exists()


def test_facility_filters(officer, register, facility, today):
    names = lambda filters: [f.name for f in selectors.facility_list_for(officer, filters)]  # noqa: E731
    assert names({"q": "nu cuoi"}) == ["Nha khoa Nụ Cười"]
    assert names({"q": "3/gp-skhcn"}) == ["Phòng khám Đa khoa An Phúc"]
    assert names({"licence": "expiring"}) == ["Nha khoa Nụ Cười"]
    assert names({"licence": "expired"}) == ["Phòng khám Đa khoa An Phúc"]
    assert names({"licence": "none"}) == ["Phòng khám Đa khoa An Phúc"]
    assert names({"kind": FacilityKind.HOSPITAL}) == [facility.name]
    row = selectors.facility_list_for(officer, {"q": "nu cuoi"}).get()
    assert (row.devices_in_use, row.licence_number, row.licence_valid_until) == (1, "2/GP-SKHCN", dt.date(2026, 3, 31))


def test_public_register_lists_licences_in_force_only(register, today):
    rows = list(selectors.public_register(today=today))
    assert [r.number for r in rows] == ["1/GP-SKHCN", "2/GP-SKHCN"]  # by facility name
    assert rows[0].device_count == 1
    assert [r.number for r in selectors.public_register(q="benh vien", today=today)] == ["1/GP-SKHCN"]


def test_licence_for_verification(officer, register, today):
    long = register["long"]
    assert selectors.licence_for_verification(long.verification_code) == long
    assert selectors.licence_for_verification(long.verification_code.lower()) == long
    assert selectors.licence_for_verification(" 1/gp-skhcn ") == long
    assert selectors.licence_for_verification("nothing") is None
    assert selectors.licence_for_verification("") is None
    newer = services.licence_reissue(actor=officer, licence=long, issued_on=today, number="1/GP-SKHCN")
    assert selectors.licence_for_verification("1/GP-SKHCN") == newer  # same number: the newest


def test_licence_chain(officer, register, facility, today):
    long = register["long"]
    amended = services.licence_amend(actor=officer, licence=long, devices=list(long.devices.all()), issued_on=today)
    chain = selectors.licence_chain(long)
    assert chain == [long, amended]
    assert selectors.licence_chain(amended) == [long, amended]


# REMINDERS ----------------------------------------------------------------------------------------
def test_expiry_reminders_are_sent_once_per_threshold(officer, outsider, applicant, register, today):
    soon = register["soon"]  # expires 31/03/2026: 29 days from today -> the 45-day reminder
    assert services.expiry_reminders_send(today=today) == 1
    messages = Message.objects.filter(event_key=f"radiation.expiry.{soon.pk}.45")
    recipients = {m.recipient_user_id for m in messages}
    assert recipients == {officer.pk, applicant.pk}
    assert outsider.pk not in recipients
    assert {m.channel for m in messages} == {"in_app", "email"}
    assert "2/GP-SKHCN" in messages.first().subject
    assert services.expiry_reminders_send(today=today) == 0  # idempotent
    assert Message.objects.filter(event_key__startswith="radiation.expiry.").count() == messages.count()


def test_expiry_reminder_thresholds(officer, register):
    long = register["long"]  # valid until 09/01/2028
    with time_machine.travel(dt.datetime(2027, 10, 10, 9, 0)):  # 91 days before: nothing
        assert services.expiry_reminders_send(today=dt.date(2027, 10, 10)) == 0
    assert services.expiry_reminders_send(today=dt.date(2027, 10, 11)) == 1  # 90 days
    assert services.expiry_reminders_send(today=dt.date(2027, 10, 12)) == 0
    assert services.expiry_reminders_send(today=dt.date(2027, 11, 10)) == 1  # 60 days
    assert services.expiry_reminders_send(today=dt.date(2027, 11, 25)) == 1  # 45 days
    assert services.expiry_reminders_send(today=dt.date(2027, 12, 1)) == 0
    keys = set(
        Message.objects.filter(event_key__startswith=f"radiation.expiry.{long.pk}.").values_list(
            "event_key", flat=True
        )
    )
    assert keys == {f"radiation.expiry.{long.pk}.{t}" for t in (90, 60, 45)}


def test_a_missed_day_sends_only_the_nearest_threshold(officer, register):
    long = register["long"]
    assert services.expiry_reminders_send(today=dt.date(2027, 11, 30)) == 1  # 40 days: past 90, 60 and 45
    keys = list(
        Message.objects.filter(event_key__startswith=f"radiation.expiry.{long.pk}.")
        .values_list("event_key", flat=True)
        .distinct()
    )
    assert keys == [f"radiation.expiry.{long.pk}.45"]


def test_superseded_licences_get_no_reminder(officer, register, today):
    services.licence_renew(actor=officer, licence=register["soon"], issued_on=today, number="9/GP")
    assert services.expiry_reminders_send(today=today) == 0
