from django.core.management.base import BaseCommand

from opendost.demo.services import demo_logins


class Command(BaseCommand):
    help = "Print the demo accounts: username, role and department (or organisation represented)."

    def handle(self, *args, **options):
        rows = demo_logins()
        if not rows:
            self.stdout.write("    (no demo accounts: run `manage.py demo_load` on a development install)")
            return
        width = max(len(username) for username, _, _ in rows)
        role_width = max(len(role) for _, role, _ in rows)
        for username, role, where in rows:
            self.stdout.write(f"    {username:<{width}}  {role:<{role_width}}  {where}")
