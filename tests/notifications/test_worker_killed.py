"""R-14: the delivery worker is SIGKILLed mid-run; re-running it must not send the email twice.

`manage.py outbox_deliver` runs as a real subprocess against the test database, with an email adapter
(tests/notifications/adapters.py: BlockingEmailAdapter) that writes the email to a file and then blocks
on a flag file: the kill lands after the email left and before "sent" was recorded, the worst case.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import F

from opendost.notifications import conf, services
from opendost.notifications.enums import MessageStatus
from opendost.notifications.models import Message
from opendost.notifications.services import Recipient
from tests.notifications.conftest import database_url, reload


def _emails_for(mail_dir: Path, message: Message) -> int:
    marker = f"Message-ID: <{message.public_id}@"
    return sum(path.read_text(encoding="utf-8").count(marker) for path in mail_dir.iterdir())


def _wait_for(path: Path, proc: subprocess.Popen) -> None:
    # A guard against hanging forever, not a timing assertion.
    deadline = time.monotonic() + 120
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"worker exited early: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("worker never reached the send")
        time.sleep(0.05)


def test_worker_killed_mid_send_never_sends_twice(shared_db, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    mail_dir, flags = tmp_path / "mail", tmp_path / "flags"
    mail_dir.mkdir()
    flags.mkdir()
    with transaction.atomic():
        first, second = (
            services.notify(
                event_key=f"test.killed:{n}",
                recipients=[Recipient(email=f"nguoi-{n}@example.vn")],
                subject="Thông báo",
                body="Nội dung",
                channels=["email"],
            )[0]
            for n in (1, 2)
        )
    env = {
        **os.environ,
        "DATABASE_URL": database_url(shared_db),
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "OUTBOX_TEST_MAIL_DIR": str(mail_dir),
        "OUTBOX_TEST_FLAG_DIR": str(flags),
    }
    command = [sys.executable, "manage.py", "outbox_deliver", "--worker-id", "doomed"]

    def run_worker() -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own fixed command
            command, cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
        )

    # 1. The worker claims the first message, sends it, and is killed before recording "sent".
    (flags / "block").touch()
    proc = subprocess.Popen(  # noqa: S603 - our own fixed command
        command, cwd=django_settings.BASE_DIR, env=env, stderr=subprocess.PIPE, text=True
    )
    _wait_for(flags / f"handed-over-{first.public_id}", proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    (flags / "block").unlink()

    assert proc.returncode == -signal.SIGKILL
    assert _emails_for(mail_dir, first) == 1
    assert (reload(first).status, reload(first).claimed_by) == (MessageStatus.SENDING, "doomed")
    assert reload(second).status == MessageStatus.PENDING  # one claim at a time: only one row stranded

    # 2. A re-run straight away: the stranded row is still inside its lease and is left alone.
    run_worker()
    assert reload(first).status == MessageStatus.SENDING
    assert reload(second).status == MessageStatus.SENT
    assert (_emails_for(mail_dir, first), _emails_for(mail_dir, second)) == (1, 1)

    # 3. The lease runs out (moved back rather than waited for), and the worker runs again.
    Message.objects.filter(pk=first.pk).update(claimed_at=F("claimed_at") - conf.lease() - timedelta(seconds=1))
    result = run_worker()

    assert reload(first).status == MessageStatus.NEEDS_CHECK
    assert "need checking" in result.stderr
    assert (_emails_for(mail_dir, first), _emails_for(mail_dir, second)) == (1, 1)
    assert Message.objects.count() == 2


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")
def test_loop_worker_stops_cleanly_on_sigterm(shared_db, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(shared_db),
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "OUTBOX_TEST_MAIL_DIR": str(tmp_path),
        "OUTBOX_TEST_FLAG_DIR": str(tmp_path),
    }
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "outbox_deliver", "--loop", "--interval", "0.1"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().startswith("Outbox worker")  # started, SIGTERM handler installed
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=120)

    assert proc.returncode == 0
    assert "Delivered or attempted 0 message(s)." in out
