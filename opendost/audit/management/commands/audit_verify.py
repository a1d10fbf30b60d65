from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opendost.audit.verify import audit_chain_verify, write_anchor


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain and name the first broken event. With --anchor FILE, also "
        "compare with the head recorded there by the previous run, then record the current head in it "
        "(keep a copy of that file off this host). Exits with status 1 when the chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchor", type=Path, default=None, help="External anchor file (JSON).")

    def handle(self, *args, anchor, **options):
        report = audit_chain_verify(anchor=anchor)
        if not report.ok:
            raise CommandError(f"Audit chain broken at seq {report.broken_seq}: {report.reason}.")
        if anchor is not None:
            write_anchor(anchor, report)
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {report.checked} events, head seq {report.last_seq} ({report.last_hash[:16]}…)."
            )
        )
