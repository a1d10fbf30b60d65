"""Several workers at once (R-14/R-16 style): every message is claimed and handed over exactly once.

Real threads, each with its own database connection, on PostgreSQL or a file SQLite database."""

import threading
from collections import Counter

from django.db import connection, transaction

from opendost.notifications import services
from opendost.notifications.enums import MessageStatus
from opendost.notifications.models import Message
from opendost.notifications.services import Recipient
from tests.notifications.adapters import RecordingEmailAdapter

WORKERS = 4
MESSAGES = 40


def test_concurrent_workers_claim_each_message_once(shared_db, settings):
    settings.OPENDOST_EMAIL_ADAPTER = "tests.notifications.adapters.RecordingEmailAdapter"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    RecordingEmailAdapter.delivered = []
    with transaction.atomic():
        for n in range(MESSAGES):
            services.notify(
                event_key=f"test.concurrent:{n}",
                recipients=[Recipient(email=f"nguoi-{n}@example.vn")],
                subject="Thông báo",
                body="Nội dung",
                channels=["email"],
            )
    barrier = threading.Barrier(WORKERS)
    errors = []

    def work(name):
        try:
            barrier.wait()
            # Small batches, several rounds: the workers keep colliding on the same rows.
            while services.outbox_deliver(batch=5, worker_id=name).claimed:
                pass
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"worker-{i}",)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    handed_over = Counter(RecordingEmailAdapter.delivered)
    assert len(handed_over) == MESSAGES
    assert set(handed_over.values()) == {1}
    assert Message.objects.filter(status=MessageStatus.SENT).count() == MESSAGES
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}
    assert set(Message.objects.values_list("claimed_by", flat=True)) <= {f"worker-{i}" for i in range(WORKERS)}
