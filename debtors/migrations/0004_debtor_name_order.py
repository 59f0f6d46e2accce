"""The index the debtor list's order reads (name, number), a page at a time from a row.

Built CONCURRENTLY, so a large debtor table keeps taking writes while it is built."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("debtors", "0003_debtor_number_unique_message"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="debtor",
            index=models.Index(fields=["name", "number"], name="debtor_name_order"),
        ),
    ]
