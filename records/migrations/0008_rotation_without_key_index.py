"""Sealed tables laid out for key rotation: HOT updates, no compression attempts (#18).

- key_id loses its indexes (the plain and the varchar_pattern_ops one). An UPDATE that
  changes an indexed column is never HOT: every re-encrypted row wrote a new entry into
  each of the table's indexes (seven on records_entry). reencrypt_records sweeps the heap
  in physical order instead of looking the old key up.
- fillfactor 50 keeps half of each heap page free, so the new version of a re-encrypted
  (or edited) row fits on its own page: a HOT update, which touches no index. The heap
  holds only the rows' small columns and TOAST pointers (about 200 bytes a row; the
  ciphertext is in the TOAST table), so this doubles a few hundred MB at a million
  entries, not the 2 GB of ciphertext. Pages written before this migration stay full
  until rewritten: the first rotation after it moves rows to new pages (not HOT), or run
  VACUUM FULL on the tables once, in a quiet hour, to pack them at the new fillfactor.
- The ciphertext columns are stored EXTERNAL: out of line when large, never compressed.
  AES-GCM output does not compress, and EXTENDED tried on every write.
"""

from django.db import migrations, models

TABLES = {
    "records_record": ["title_encrypted"],
    "records_entry": ["title_encrypted", "body_encrypted"],
    "records_entryversion": ["title_encrypted", "body_encrypted"],
}

FORWARD = [
    statement
    for table, columns in TABLES.items()
    for statement in [
        f"ALTER TABLE {table} SET (fillfactor = 50)",
        *(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTERNAL" for column in columns),
    ]
]
BACKWARD = [
    statement
    for table, columns in TABLES.items()
    for statement in [
        f"ALTER TABLE {table} RESET (fillfactor)",
        *(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTENDED" for column in columns),
    ]
]


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0007_access_log_denied_line"),
    ]

    operations = [
        migrations.AlterField(
            model_name="entry",
            name="key_id",
            field=models.CharField(editable=False, max_length=32),
        ),
        migrations.AlterField(
            model_name="entryversion",
            name="key_id",
            field=models.CharField(editable=False, max_length=32),
        ),
        migrations.AlterField(
            model_name="record",
            name="key_id",
            field=models.CharField(editable=False, max_length=32),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
