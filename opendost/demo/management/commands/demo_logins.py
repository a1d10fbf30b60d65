from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options):
        self.stdout.write("    (none yet)")
