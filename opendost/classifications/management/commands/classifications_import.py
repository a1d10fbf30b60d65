from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from opendost.classifications.services import classification_import, rows_read


class Command(BaseCommand):
    help = (
        "Import an official S&T field table into a scheme, all or nothing. The file (.csv in UTF-8 or .xlsx, "
        "first sheet) has a header with the columns code and name, and optionally level and parent_code."
    )

    def add_arguments(self, parser):
        parser.add_argument("scheme", help="scheme code, e.g. TT24_2025 or QD12_2008")
        parser.add_argument("file", help="path to a .csv or .xlsx file")

    def handle(self, *args, **options):
        try:
            report = classification_import(scheme_code=options["scheme"], raw_rows=rows_read(options["file"]))
        except FileNotFoundError as exc:
            raise CommandError(f"File not found: {exc.filename}") from exc
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"Nothing was imported ({len(exc.messages)} problem(s)).") from exc
        self.stdout.write(
            f"{report.scheme}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged."
        )
        if report.not_in_file:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.not_in_file)} existing codes are not in the file and were kept: "
                    + ", ".join(report.not_in_file[:30])
                )
            )
