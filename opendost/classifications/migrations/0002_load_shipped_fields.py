"""Load the shipped S&T field schemes (QĐ 12/2008 levels 1-2, TT 24/2025 level 1)."""

from django.db import migrations


def load(apps, schema_editor):
    from opendost.classifications.services import load_shipped

    load_shipped(
        apps.get_model("classifications", "ClassificationScheme"),
        apps.get_model("classifications", "ClassificationNode"),
    )


class Migration(migrations.Migration):
    dependencies = [("classifications", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
