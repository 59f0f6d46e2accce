"""Chain the record access log (records.audit): two columns, the MACs of the lines already
written (in id order, under AUDIT_LOG_KEY), then the constraint that a line has one
successor."""

from django.db import migrations, models

# The append-only trigger (0002's, or 0004's when a test runs this on today's schema) is
# set aside while the existing lines receive their links: the one UPDATE the log ever gets.
# USER: every trigger but the foreign-key ones.
APPEND_ONLY_TRIGGER = "USER"


def chain_existing_lines(apps, schema_editor):
    from records import audit

    RecordAccess = apps.get_model("records", "RecordAccess")
    table = RecordAccess._meta.db_table
    key = audit.audit_key()
    schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {APPEND_ONLY_TRIGGER}")
    previous = None
    after, size = 0, 1000
    while True:
        chunk = list(RecordAccess.objects.filter(id__gt=after).order_by("id")[:size])
        for line in chunk:
            line.chain_previous = previous.id if previous else None
            line.chain_mac = audit.line_mac(key, previous.chain_mac if previous else "", line)
            previous = line
        RecordAccess.objects.bulk_update(chunk, ["chain_previous", "chain_mac"])
        if len(chunk) < size:
            break
        after = chunk[-1].id
    schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {APPEND_ONLY_TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0002_rich_text_and_access_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="recordaccess",
            name="chain_previous",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="recordaccess",
            name="chain_mac",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        # Reversing drops the columns, and the MACs with them.
        migrations.RunPython(chain_existing_lines, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="recordaccess",
            constraint=models.UniqueConstraint(
                fields=("chain_previous",),
                name="recordaccess_one_successor",
                nulls_distinct=False,
            ),
        ),
    ]
