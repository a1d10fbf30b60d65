from django.core.management.base import BaseCommand, CommandError

from opendost.demo.services import DemoNotAllowed, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo province (Sở KH&CN tỉnh Bắc Ninh, its predecessors and Lạng Sơn) with one demo "
        "account per role. Refused unless OPENDOST_DEMO_ALLOWED; never run it on a production install."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds any department (used by ./dev run).",
        )

    def handle(self, *args, **options):
        try:
            report = demo_load(if_empty=options["if_empty"])
        except DemoNotAllowed as exc:
            raise CommandError(str(exc)) from exc
        if not report.loaded:
            self.stdout.write(f"Demo data not loaded: {report.reason}.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo province loaded in {report.seconds:.2f} s: {report.departments} departments, "
                f"{report.users} users, {report.organizations} organisations, {report.people} people."
            )
        )
        for line in report.extra:
            self.stdout.write(f"  {line}")
        if report.missing_units:
            missing = ", ".join("/".join(ref) for ref in report.missing_units)
            self.stderr.write(f"Administrative units not found (addresses left without them): {missing}")
        if report.missing_fields:
            self.stderr.write(f"S&T fields not found (left untagged): {', '.join(report.missing_fields)}")
