import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from opendost.common.periodic import daily_jobs_run


class Command(BaseCommand):
    help = "Run the daily jobs (deadline reminders, expiry control) for today; with --loop, again each new day."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running; run again when the date changes.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between date checks with --loop.")

    def handle(self, *args, **options):
        last_day = None
        while True:
            today = timezone.localdate()
            if today != last_day:
                for name, result in daily_jobs_run(today=today).items():
                    self.stdout.write(f"{today:%d/%m/%Y} {name}: {result}")
                last_day = today
            if not options["loop"]:
                return
            time.sleep(options["interval"])
