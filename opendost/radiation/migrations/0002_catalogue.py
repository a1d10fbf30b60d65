"""The radiation-safety procedures of the one-stop catalogue (opendost/radiation/catalogue.py)."""

import uuid

from django.db import migrations


def load(apps, schema_editor):
    from opendost.radiation.catalogue import catalogue_rows

    Procedure = apps.get_model("dossiers", "Procedure")
    ProcedureVersion = apps.get_model("dossiers", "ProcedureVersion")
    for procedure_fields, versions in catalogue_rows():
        procedure, created = Procedure.objects.get_or_create(
            local_code=procedure_fields["local_code"],
            defaults={**procedure_fields, "public_id": uuid.uuid4()},
        )
        if not created:
            continue
        for version in versions:
            # Published as data: a migration is the catalogue's first publication (no actor yet).
            ProcedureVersion.objects.create(procedure=procedure, status="published", public_id=uuid.uuid4(), **version)


def unload(apps, schema_editor):
    from opendost.radiation.catalogue import catalogue_rows

    Procedure = apps.get_model("dossiers", "Procedure")
    codes = [p["local_code"] for p, _versions in catalogue_rows()]
    apps.get_model("dossiers", "ProcedureVersion").objects.filter(
        procedure__local_code__in=codes, dossiers=None
    ).delete()
    Procedure.objects.filter(local_code__in=codes, versions=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("radiation", "0001_initial"),
        ("dossiers", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, unload)]
