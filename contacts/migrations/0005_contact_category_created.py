"""The index the category page's ordering reads (created, id within a category).

Built CONCURRENTLY: on a directory of a million contacts a plain CREATE INDEX would lock
the table against writes while it runs."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("contacts", "0004_portal_login_follows_person"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="contact",
            index=models.Index(
                fields=["category", "created", "id"], name="contact_category_created"
            ),
        ),
    ]
