from django.core.management.base import BaseCommand, CommandError

from opendost.departments.models import Department
from opendost.planning import seed


class Command(BaseCommand):
    help = "Load the 2021-2025 S&T plan (targets, baselines, budget) for a department."

    def add_arguments(self, parser):
        parser.add_argument("department", help="the department's code, e.g. bac-ninh")

    def handle(self, *args, department, **options):
        found = Department.objects.filter(code=department).first()
        if found is None:
            raise CommandError(f"No department with code {department!r}.")
        plan = seed.load(department=found)
        self.stdout.write(f"{plan.code}: {plan.targets.count()} targets, {plan.budget_lines.count()} budget lines")
