import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from opendost.notifications import services
from opendost.notifications.enums import MessageChannel, MessageStatus
from opendost.notifications.models import Message
from opendost.notifications.services import Recipient
from tests.factories import UserFactory

EVENT = "subjects.organization_created:6f1c0f5e-0000-4000-8000-000000000001"


def _notify(recipients, channels=(MessageChannel.IN_APP, MessageChannel.EMAIL), event_key=EVENT, **kwargs):
    return services.notify(
        event_key=event_key,
        recipients=recipients,
        subject="Tổ chức mới được đăng ký",
        body="Công ty TNHH Thử Nghiệm đã được thêm vào sổ.",
        channels=channels,
        **kwargs,
    )


@pytest.mark.django_db
class TestNotify:
    def test_writes_one_row_per_recipient_and_channel(self):
        alice, bob = UserFactory(), UserFactory()

        messages = _notify([alice, bob])

        assert len(messages) == 4
        assert {(m.recipient_user, m.channel) for m in messages} == {
            (alice, "in_app"),
            (alice, "email"),
            (bob, "in_app"),
            (bob, "email"),
        }
        email = next(m for m in messages if m.recipient_user == alice and m.channel == "email")
        assert email.recipient_address == alice.email
        assert email.status == MessageStatus.PENDING

    def test_same_event_twice_keeps_one_row_per_recipient_and_channel(self):
        alice = UserFactory()
        outsider = Recipient(email="hop-thu@congty.vn")

        first = _notify([alice, outsider])
        second = _notify([alice, outsider])

        assert len(first) == 3
        assert [m.pk for m in second] == [m.pk for m in first]
        assert Message.objects.filter(event_key=EVENT).count() == 3

    def test_another_event_gets_its_own_rows(self):
        alice = UserFactory()
        _notify([alice])

        _notify([alice], event_key="subjects.organization_created:other")

        assert Message.objects.filter(recipient_user=alice).count() == 4

    def test_message_written_in_a_rolled_back_transaction_does_not_exist(self, django_capture_on_commit_callbacks):
        alice = UserFactory()

        with (
            django_capture_on_commit_callbacks() as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            _notify([alice])
            raise RuntimeError("the business write failed")

        assert not Message.objects.exists()
        assert callbacks == []

    def test_delivery_is_scheduled_on_commit_only(self, django_capture_on_commit_callbacks):
        alice = UserFactory()

        with django_capture_on_commit_callbacks() as callbacks:
            _notify([alice], channels=[MessageChannel.EMAIL])
            assert mail.outbox == []

        assert len(callbacks) == 1
        callbacks[0]()  # the commit: ImmediateBackend runs deliver_pending_task now
        assert len(mail.outbox) == 1
        assert Message.objects.get().status == MessageStatus.SENT

    def test_recipient_without_an_address_is_skipped_for_that_channel(self):
        no_email = UserFactory(email="")
        no_account = Recipient(email="ban-doc@example.vn")

        messages = _notify([no_email, no_account], channels=list(MessageChannel))

        assert {(m.recipient_user, m.channel, m.recipient_address) for m in messages} == {
            (no_email, "in_app", ""),
            (None, "email", "ban-doc@example.vn"),
        }

    def test_sms_goes_to_the_recipient_phone(self):
        messages = _notify([Recipient(phone="0912345678")], channels=[MessageChannel.SMS])

        assert [(m.channel, m.recipient_address) for m in messages] == [("sms", "0912345678")]

    @pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
    def test_link_must_be_a_path_on_this_site(self, url):
        with pytest.raises(ValidationError):
            _notify([UserFactory()], context={"url": url})
        assert not Message.objects.exists()

    def test_link_is_kept_in_the_context(self):
        (message,) = _notify([UserFactory()], channels=["in_app"], context={"url": "/app/", "kind": "x"})

        assert message.link == "/app/"
        assert message.context == {"url": "/app/", "kind": "x"}

    def test_unknown_channel_is_refused(self):
        with pytest.raises(ValueError):
            _notify([UserFactory()], channels=["fax"])

    def test_database_refuses_a_duplicate_even_without_the_service(self):
        alice = UserFactory()
        _notify([alice], channels=["in_app"])

        with pytest.raises(IntegrityError), transaction.atomic():
            Message.objects.create(event_key=EVENT, channel="in_app", recipient_user=alice, subject="s", body="b")

    def test_database_refuses_a_duplicate_external_address(self):
        _notify([Recipient(email="a@example.vn")], channels=["email"])

        with pytest.raises(IntegrityError), transaction.atomic():
            Message.objects.create(event_key=EVENT, channel="email", recipient_address="a@example.vn", subject="s")

    def test_database_refuses_an_in_app_message_without_a_user(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Message.objects.create(event_key=EVENT, channel="in_app", subject="s", body="b")


@pytest.mark.django_db(transaction=True)
def test_notify_outside_a_transaction_is_refused():
    with pytest.raises(transaction.TransactionManagementError):
        _notify([UserFactory()])
    assert not Message.objects.exists()
