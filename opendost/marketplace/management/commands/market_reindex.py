import time

from django.core.management.base import BaseCommand

from opendost.marketplace.matching import market_reindex


class Command(BaseCommand):
    help = (
        "Rebuild the matching index of the technology exchange: the terms of every published listing, "
        "by batches, then the document frequencies; terms of listings no longer published are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="Listings per transaction (default 500).")

    def handle(self, *args, **options):
        started = time.monotonic()
        indexed, rows, stale = market_reindex(batch=max(1, options["batch"]))
        self.stdout.write(
            f"{indexed} published listings indexed ({rows} term rows), {stale} no longer published removed, "
            f"in {time.monotonic() - started:.1f} s."
        )
