"""The radiation procedures' decision time runs from the complete dossier and the paid fees
(NĐ 142/2020 Art. 29-33): the rule `clock_after_fee` on the versions that charge a fee."""

from django.db import migrations


def set_rule(apps, schema_editor):
    ProcedureVersion = apps.get_model("dossiers", "ProcedureVersion")
    for version in ProcedureVersion.objects.filter(procedure__handler_key__startswith="radiation."):
        version.rules = {**version.rules, "clock_after_fee": version.fee_amount > 0}
        version.save(update_fields=["rules"])


def unset_rule(apps, schema_editor):
    ProcedureVersion = apps.get_model("dossiers", "ProcedureVersion")
    for version in ProcedureVersion.objects.filter(procedure__handler_key__startswith="radiation."):
        version.rules = {k: v for k, v in version.rules.items() if k != "clock_after_fee"}
        version.save(update_fields=["rules"])


class Migration(migrations.Migration):
    dependencies = [
        ("radiation", "0002_catalogue"),
        ("dossiers", "0003_dossier_fees"),
    ]

    operations = [migrations.RunPython(set_rule, unset_rule)]
