"""A customer's reservations by (start, id): the order of the Reservations tab and the
portal's Reports (past latest first, upcoming soonest first), read a page at a time from a
row. It replaces the (customer, start) index, which left ties on start to a sort.

Concurrently, new index first: the table keeps taking writes and is never without one."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("customers", "0012_customersettings_default_customer_group"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="reservation",
            index=models.Index(
                fields=["customer", "start", "id"], name="reservation_customer_start"
            ),
        ),
        RemoveIndexConcurrently(
            model_name="reservation",
            name="customers_r_custome_8f3f79_idx",
        ),
    ]
