"""Rebuild the search index from the records: `search_reindex [--model app.Model] [--batch-size N]`.

Safe to run while the system is in use (each batch is its own transaction). Run it after adding
or changing a SearchSpec, or after restoring records outside the services.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from opendost.search.registry import spec_for
from opendost.search.services import search_reindex


class Command(BaseCommand):
    help = "Rebuild the search index of every registered model, or of the models given."

    def add_arguments(self, parser):
        parser.add_argument("--model", action="append", dest="models", metavar="app.Model", default=None)
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, models=None, batch_size=1000, **options):
        model_classes = None
        if models:
            model_classes = []
            for label in models:
                try:
                    model = apps.get_model(label)
                    spec_for(model)
                except (LookupError, ValueError) as exc:
                    raise CommandError(f"{label}: not a model registered for search") from exc
                model_classes.append(model)
        counts = search_reindex(model_classes=model_classes, batch_size=max(1, batch_size))
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} documents")
