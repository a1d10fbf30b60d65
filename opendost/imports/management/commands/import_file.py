"""Import a spreadsheet from the command line, through the same kit, ledger and checks as the web page.

./dev manage import_file subjects.organizations path/to/file.xlsx --user nguyenvana [--check] [--bulk]
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from opendost.imports import services
from opendost.imports.registry import get_spec, specs


class Command(BaseCommand):
    help = "Import a spreadsheet (.xlsx, .xls, .ods, .csv) into a register, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("spec", help="one of: " + ", ".join(sorted(specs())))
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="username of the importing officer (their department)")
        parser.add_argument("--check", action="store_true", help="validate and count, import nothing")
        parser.add_argument("--bulk", action="store_true", help="the bulk path (one audit event for the run)")
        parser.add_argument("--again", action="store_true", help="import even if this file was already imported")

    def handle(self, *args, spec, path, user, check, bulk, again, **options):
        found = get_spec(spec)
        if found is None:
            raise CommandError(f"Unknown import {spec!r}")
        actor = get_user_model().objects.filter(username=user).first()
        if actor is None or actor.department is None:
            raise CommandError(f"No user {user!r} with a department")
        file = Path(path)
        try:
            run = services.import_file(
                actor=actor,
                spec=found,
                file=file,
                file_name=file.name,
                department=actor.department,
                dry_run=check,
                allow_repeat=again,
                bulk=bulk,
            )
        except services.AlreadyImported as exc:
            raise CommandError(f"Already imported by run {exc.run.public_id}; use --again") from exc
        self.stdout.write(
            f"{run.get_status_display()}: {run.rows_total} rows, {run.created} created, {run.updated} updated, "
            f"{run.unchanged} unchanged, {run.errors} with errors. {run.message}"
        )
        for issue in run.error_sample[:20]:
            self.stdout.write(f"  row {issue['row']} {issue['column']} {issue['value']!r}: {issue['message']}")
        if run.status not in ("succeeded", "checked"):
            raise CommandError(f"Run {run.public_id}: {run.status}")
