from django.core.management.base import BaseCommand

from opendost.geography.services import admin_units_load


class Command(BaseCommand):
    help = "Load or refresh the administrative units (both code sets) from the installed vietnam-provinces package."

    def handle(self, *args, **options):
        report = admin_units_load(actor=None)
        self.stdout.write(
            f"vietnam-provinces {report.package_version}: {report.created} units created, "
            f"{report.updated} updated, {report.unchanged} unchanged; successions "
            f"{report.successions_created} created, {report.successions_updated} updated, "
            f"{report.successions_deleted} removed ({report.seconds:.2f} s)."
        )
        if report.stale:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.stale)} units are no longer in the package and were kept "
                    f"(records may point at them): " + ", ".join("/".join(k) for k in report.stale[:20])
                )
            )
