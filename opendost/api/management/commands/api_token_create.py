from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from opendost.api.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it once (only its SHA-256 digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. 'provincial data warehouse'")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['username']!r}.")
        try:
            token, raw = api_token_create(user=user, name=options["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(f"Token {token.prefix}… created for {user.username}. Store it now: it is not shown again.")
        self.stdout.write(raw)
