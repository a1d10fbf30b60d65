from django.db import migrations


def install(apps, schema_editor):
    from opendost.audit.db import install_triggers

    install_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    from opendost.audit.db import drop_triggers

    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    """Refuse UPDATE and DELETE of audit events in the database itself (S-26); SQL per backend."""

    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, drop, elidable=False)]
