"""Load both sets of administrative units, so every install and every test database has them."""

from django.db import migrations


def load(apps, schema_editor):
    from opendost.geography.services import sync_admin_units

    sync_admin_units(apps.get_model("geography", "AdminUnit"), apps.get_model("geography", "AdminUnitSuccession"))


class Migration(migrations.Migration):
    dependencies = [("geography", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
