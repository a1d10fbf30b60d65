import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    OrganizationContact = apps.get_model("subjects", "OrganizationContact")
    for contact in OrganizationContact.objects.filter(public_id__isnull=True).only("pk"):
        contact.public_id = uuid.uuid4()
        contact.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    """Contacts get a public UUID too: URLs never carry integer keys."""

    dependencies = [("subjects", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organizationcontact",
            name="public_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="public id"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organizationcontact",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"),
        ),
    ]
