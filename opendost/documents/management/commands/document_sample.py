"""Issue a sample decision for the demo department, so the demo has a document, a PDF and a QR to scan.

Usage: manage.py document_sample [--department bac-ninh] [--username lanhdao]
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opendost.accounts.models import User
from opendost.accounts.roles import Role
from opendost.departments.models import Department
from opendost.documents.samples import sample_decision
from opendost.documents.services import document_issue


class Command(BaseCommand):
    help = "Issue a sample official decision (numbered, .docx + PDF with QR) for a demo department."

    def add_arguments(self, parser):
        parser.add_argument("--department", default="bac-ninh", help="Department code (default: bac-ninh).")
        parser.add_argument("--username", default="", help="Staff user who issues it (default: a leader).")

    def handle(self, *args, **options):
        if not settings.OPENDOST_DEMO_ALLOWED:
            raise CommandError("Sample documents may only be issued on a demo install (OPENDOST_DEMO_ALLOWED).")
        try:
            department = Department.objects.get(code=options["department"])
        except Department.DoesNotExist:
            raise CommandError(f"No department with code {options['department']!r}.") from None
        actor = self._actor(department, options["username"])
        place = department.governing_body.removeprefix("UBND TỈNH ").title() or department.name
        data = sample_decision(
            issuing_body_parent=department.governing_body, place=place, issued_on=timezone.localdate()
        )
        document = document_issue(actor=actor, department=department, doc_type="QĐ", data=data)
        self.stdout.write(f"{document} ({document.verification_code}): {document.get_absolute_url()}")

    def _actor(self, department: Department, username: str) -> User:
        users = User.objects.filter(department=department, is_active=True)
        if username:
            users = users.filter(username=username)
        actor = users.filter(groups__name=Role.LEADER).first() or users.first()
        if actor is None:
            raise CommandError(f"No active user of {department} to issue the document.")
        return actor
