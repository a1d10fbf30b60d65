import signal
import time

from django.core.management.base import BaseCommand

from opendost.notifications import services


class Command(BaseCommand):
    help = (
        "Deliver due outbox messages (email, SMS, in-app). Without --loop, deliver everything due and exit "
        "(cron); with --loop, keep polling (systemd). Safe to run several at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running; poll every --interval seconds.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between polls with --loop.")
        parser.add_argument("--batch", type=int, default=50, help="Messages claimed per round.")
        parser.add_argument("--worker-id", default=None, help="Name recorded in claimed_by (default host:pid).")

    def handle(self, *args, loop, interval, batch, worker_id, **options):
        self.stopping = False
        if loop:
            # SIGTERM finishes the message in hand, then exits; SIGKILL is covered by the lease (ADR 0011).
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        worker_id = worker_id or services.default_worker_id()
        if loop and options["verbosity"] >= 1:
            self.stdout.write(f"Outbox worker {worker_id} started.")
            self.stdout.flush()
        total = 0
        while not self.stopping:
            report = services.outbox_deliver(batch=batch, worker_id=worker_id)
            total += report.claimed
            if report.needs_check:
                self.stderr.write(f"{report.needs_check} message(s) need checking (worker stopped mid-send).")
            if report.claimed:
                continue
            if not loop:
                break
            time.sleep(interval)
        if options["verbosity"] >= 1:
            self.stdout.write(f"Delivered or attempted {total} message(s).")

    def _stop(self, signum, frame):
        self.stopping = True
