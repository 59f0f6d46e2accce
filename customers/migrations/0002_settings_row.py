from django.db import migrations


def create_settings_row(apps, schema_editor):
    apps.get_model("customers", "CustomerSettings").objects.get_or_create(id=1)


class Migration(migrations.Migration):
    """The back-end customer settings are one row, created here with the defaults."""

    dependencies = [("customers", "0001_customers_and_settings")]
    operations = [migrations.RunPython(create_settings_row, migrations.RunPython.noop)]
