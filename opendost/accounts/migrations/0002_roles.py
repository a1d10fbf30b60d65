from django.db import migrations

ROLES = ["officer", "desk_officer", "leader", "inspector", "council_member", "applicant", "administrator"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    """The role groups. Their permissions are synced from opendost.accounts.roles after every
    migrate (opendost.accounts.signals), because permissions only exist once post_migrate ran."""

    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
