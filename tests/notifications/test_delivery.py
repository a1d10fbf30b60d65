import logging
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from opendost.notifications import services
from opendost.notifications.adapters import message_id_for
from opendost.notifications.enums import MessageChannel, MessageStatus
from opendost.notifications.models import Message
from opendost.notifications.services import Recipient
from opendost.notifications.tasks import deliver_pending_task
from tests.factories import UserFactory
from tests.notifications.adapters import IdempotentSmsAdapter
from tests.notifications.conftest import reload

pytestmark = pytest.mark.django_db
NOW = "2026-03-02 09:00 +07:00"


def _message(channel=MessageChannel.EMAIL, event_key="test.event:1", **recipient) -> Message:
    recipient = recipient or {"email": "nguoi-nhan@example.vn", "phone": "0912345678"}
    user = UserFactory() if channel == MessageChannel.IN_APP else None
    (message,) = services.notify(
        event_key=event_key,
        recipients=[user or Recipient(**recipient)],
        subject="Nhắc hạn báo cáo",
        body="Đề tài của quý vị sắp đến hạn báo cáo định kỳ.",
        channels=[channel],
    )
    return message


def _use(settings, email=None, sms=None):
    if email:
        settings.OPENDOST_EMAIL_ADAPTER = f"tests.notifications.adapters.{email}"
    if sms:
        settings.OPENDOST_SMS_ADAPTER = f"tests.notifications.adapters.{sms}"


@pytest.fixture(autouse=True)
def _reset_sms():
    IdempotentSmsAdapter.calls = []
    IdempotentSmsAdapter.fail_next = 0


class TestSend:
    def test_email_is_sent_once_with_a_message_id_derived_from_the_message(self):
        message = _message()

        report = services.outbox_deliver()
        again = services.outbox_deliver()

        assert (report.sent, again.claimed) == (1, 0)
        assert len(mail.outbox) == 1
        sent = mail.outbox[0]
        assert sent.to == ["nguoi-nhan@example.vn"]
        assert sent.subject == "Nhắc hạn báo cáo"
        assert sent.extra_headers["Message-ID"] == f"<{message.public_id}@localhost>"
        assert message_id_for(message) == message_id_for(reload(message))
        assert "Đề tài của quý vị sắp đến hạn báo cáo định kỳ." in sent.body
        message = reload(message)
        assert (message.status, message.attempts, message.sent_at is not None) == (MessageStatus.SENT, 1, True)

    def test_in_app_message_is_marked_sent_without_sending_anything(self):
        message = _message(MessageChannel.IN_APP)

        services.outbox_deliver()

        assert reload(message).status == MessageStatus.SENT
        assert mail.outbox == []

    def test_sms_goes_through_the_configured_gateway_with_a_stable_idempotency_key(self, settings):
        _use(settings, sms="IdempotentSmsAdapter")
        message = _message(MessageChannel.SMS)

        services.outbox_deliver()

        assert IdempotentSmsAdapter.calls == [
            ("0912345678", "Nhắc hạn báo cáo: Đề tài của quý vị sắp đến hạn báo cáo định kỳ.", str(message.public_id))
        ]
        assert reload(message).status == MessageStatus.SENT

    def test_log_sms_adapter_masks_the_phone_number(self, caplog):
        _message(MessageChannel.SMS)

        with caplog.at_level(logging.INFO, logger="opendost.notifications"):
            services.outbox_deliver()

        assert "*******678" in caplog.text
        assert "0912345678" not in caplog.text

    def test_batch_limits_the_messages_claimed_per_round(self):
        for n in range(3):
            _message(event_key=f"test.event:{n}")

        assert services.outbox_deliver(batch=2).claimed == 2
        assert services.outbox_deliver(batch=2).claimed == 1

    def test_cancelled_message_is_not_sent(self, settings):
        message = _message()
        officer = UserFactory(is_superuser=True)
        services.message_cancel(message=message, actor=officer)

        services.outbox_deliver()

        assert mail.outbox == []
        assert reload(message).status == MessageStatus.CANCELLED

    def test_the_task_delivers(self):
        _message()

        deliver_pending_task.enqueue()

        assert len(mail.outbox) == 1

    def test_command_delivers_everything_due_and_exits(self):
        for n in range(3):
            _message(event_key=f"test.event:{n}")

        call_command("outbox_deliver", "--batch", "2", verbosity=0)

        assert len(mail.outbox) == 3


class TestRetry:
    @time_machine.travel(NOW, tick=False)
    def test_refused_connection_is_retried_with_growing_delays_then_fails(self, settings):
        _use(settings, email="RefusedEmailAdapter")
        settings.OPENDOST_OUTBOX_MAX_ATTEMPTS = 3
        message = _message()
        start = timezone.now()

        services.outbox_deliver()
        message = reload(message)
        assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)
        assert message.next_attempt_at == start + timedelta(minutes=1)
        assert message.last_error == "Connection refused"

        assert services.outbox_deliver().claimed == 0  # not due yet

        with time_machine.travel(start + timedelta(minutes=1), tick=False):
            services.outbox_deliver()
        message = reload(message)
        assert (message.status, message.attempts) == (MessageStatus.PENDING, 2)
        assert message.next_attempt_at == start + timedelta(minutes=1 + 2)

        with time_machine.travel(start + timedelta(minutes=3), tick=False):
            services.outbox_deliver()
        assert (reload(message).status, reload(message).attempts) == (MessageStatus.FAILED, 3)

    @time_machine.travel(NOW, tick=False)
    def test_retry_succeeds_once_the_server_is_back(self, settings):
        _use(settings, email="RefusedEmailAdapter")
        message = _message()
        services.outbox_deliver()

        settings.OPENDOST_EMAIL_ADAPTER = "opendost.notifications.adapters.EmailAdapter"
        with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
            services.outbox_deliver()

        message = reload(message)
        assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 2, "")
        assert len(mail.outbox) == 1

    def test_permanent_refusal_fails_at_once(self, settings):
        _use(settings, email="BouncedEmailAdapter")
        message = _message()

        services.outbox_deliver()

        message = reload(message)
        assert (message.status, message.attempts, message.last_error) == (MessageStatus.FAILED, 1, "550 No such user")

    def test_unknown_outcome_on_email_is_never_retried(self, settings):
        _use(settings, email="CrashingEmailAdapter")
        message = _message()

        report = services.outbox_deliver()
        with time_machine.travel(timezone.now() + timedelta(days=1)):
            assert services.outbox_deliver().claimed == 0

        assert report.needs_check == 1
        message = reload(message)
        assert message.status == MessageStatus.NEEDS_CHECK
        assert "ConnectionResetError" in message.last_error

    @time_machine.travel(NOW, tick=False)
    def test_unknown_outcome_on_an_idempotent_gateway_is_retried_with_the_same_key(self, settings):
        _use(settings, sms="IdempotentSmsAdapter")
        IdempotentSmsAdapter.fail_next = 1
        message = _message(MessageChannel.SMS)

        services.outbox_deliver()
        assert reload(message).status == MessageStatus.PENDING
        with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
            services.outbox_deliver()

        assert reload(message).status == MessageStatus.SENT
        assert [key for _, _, key in IdempotentSmsAdapter.calls] == [str(message.public_id)] * 2


class TestLease:
    """A row left in "sending" by a worker that died (simulated: claimed, never finished)."""

    def _strand(self, message, minutes_ago):
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENDING,
            claimed_by="dead-worker",
            claimed_at=timezone.now() - timedelta(minutes=minutes_ago),
            attempts=1,
        )

    def test_message_inside_its_lease_is_left_alone(self):
        message = _message()
        self._strand(message, minutes_ago=9)

        report = services.outbox_deliver()

        assert (report.claimed, report.needs_check) == (0, 0)
        assert reload(message).status == MessageStatus.SENDING
        assert mail.outbox == []

    def test_stranded_email_goes_to_needs_check_and_is_not_sent_again(self):
        message = _message()
        self._strand(message, minutes_ago=11)

        report = services.outbox_deliver()
        services.outbox_deliver()

        assert report.needs_check == 1
        assert reload(message).status == MessageStatus.NEEDS_CHECK
        assert mail.outbox == []

    def test_stranded_in_app_message_is_simply_finished(self):
        message = _message(MessageChannel.IN_APP)
        self._strand(message, minutes_ago=11)

        report = services.outbox_deliver()

        assert (report.recovered, report.sent) == (1, 1)
        message = reload(message)
        assert (message.status, message.attempts) == (MessageStatus.SENT, 2)

    def test_stranded_sms_on_an_idempotent_gateway_is_resent_with_the_same_key(self, settings):
        _use(settings, sms="IdempotentSmsAdapter")
        message = _message(MessageChannel.SMS)
        self._strand(message, minutes_ago=11)

        services.outbox_deliver()

        assert reload(message).status == MessageStatus.SENT
        assert [key for _, _, key in IdempotentSmsAdapter.calls] == [str(message.public_id)]

    def test_stranded_sms_on_the_default_gateway_needs_checking(self):
        message = _message(MessageChannel.SMS)
        self._strand(message, minutes_ago=11)

        services.outbox_deliver()

        assert reload(message).status == MessageStatus.NEEDS_CHECK

    def test_late_finish_by_the_slow_worker_still_records_sent(self):
        message = _message()
        self._strand(message, minutes_ago=11)
        services.recover_stale_claims()

        # The "dead" worker was only slow: it comes back and records its send.
        report = services.DeliveryReport()
        services._deliver_claimed(reload(message), worker_id="dead-worker", report=report)

        assert reload(message).status == MessageStatus.SENT


class TestOfficerDecision:
    def test_officer_confirms_a_needs_check_message_was_delivered(self):
        message = _message()
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.NEEDS_CHECK)
        officer = UserFactory(is_superuser=True)

        services.message_resolve(message=message, delivered=True, actor=officer)

        assert reload(message).status == MessageStatus.SENT
        assert mail.outbox == []

    def test_officer_sends_again_with_the_same_message_id(self, django_capture_on_commit_callbacks):
        message = _message()
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.NEEDS_CHECK, attempts=1)
        officer = UserFactory(is_superuser=True)

        with django_capture_on_commit_callbacks(execute=True):
            services.message_resolve(message=message, delivered=False, actor=officer)

        assert reload(message).status == MessageStatus.SENT
        assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message_id_for(message)]

    def test_decision_needs_the_permission(self):
        message = _message()
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.NEEDS_CHECK)

        with pytest.raises(services.PermissionDenied):
            services.message_resolve(message=message, delivered=True, actor=UserFactory())

    def test_decision_on_a_sent_message_is_refused(self):
        message = _message()
        services.outbox_deliver()

        with pytest.raises(services.ValidationError):
            services.message_resolve(message=message, delivered=False, actor=UserFactory(is_superuser=True))
        assert len(mail.outbox) == 1
