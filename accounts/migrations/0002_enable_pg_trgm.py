from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Trigram indexes serve the type-ahead searches of every app."""

    dependencies = [("accounts", "0001_user")]
    operations = [TrigramExtension()]
