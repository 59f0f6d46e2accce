"""Re-encrypt every record title, entry and kept version under the current key.

    manage.py reencrypt_records [--batch-size 1000]

Put the new key first in RECORD_KEYS (keeping the old ones after it), run this, then drop
the old keys. Rows are taken in batches, each in its own transaction, among those whose
key_id is not the current one: stopping (Ctrl-C, a crash) loses at most one batch's work,
and running again carries on where it stopped. Rows another process holds are skipped for
this pass and picked up by the next.
"""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from config import crypto
from records.models import Entry, EntryVersion, Record


class Command(BaseCommand):
    help = "Re-encrypt record titles, entries and entry versions under the current key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options) -> None:
        current = crypto.current_key_id()
        started = time.monotonic()
        total_done = 0
        for model in (Record, Entry, EntryVersion):
            total = model.objects.exclude(key_id=current).count()
            done, after = 0, None
            self._progress(model, done, total)
            # Counted first because a batch that finds nothing still walks the whole table
            # in key order (4 s over a million entries): with nothing to do, no batch runs.
            while total:
                batch_done, after = self._batch(model, current, batch_size, after)
                if not batch_done:
                    break
                done += batch_done
                self._progress(model, min(done, total), total)
            self.stdout.write("")
            total_done += done
        seconds = time.monotonic() - started
        rate = total_done / seconds if seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {total_done} rows under key {current!r} "
                f"in {seconds:.1f} s ({rate:.0f} rows/s)."
            )
        )

    @staticmethod
    @transaction.atomic
    def _batch(model, current: str, size: int, after) -> tuple[int, object]:
        """Re-encrypt up to `size` rows with a primary key above `after`; return how many,
        and the last key, where the next batch starts."""
        pending = model.objects.exclude(key_id=current)
        if after is not None:
            # Rows behind `after` are done or were locked: walking past them again on
            # every batch made a pass quadratic in the table's size.
            pending = pending.filter(pk__gt=after)
        rows = list(pending.select_for_update(skip_locked=True).order_by("pk")[:size])
        if not rows:
            return 0, after
        for row in rows:
            row.seal(**row.opened())
        _write_sealed(model, rows)
        return len(rows), rows[-1].pk

    def _progress(self, model, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        bar = "#" * filled + "-" * (width - filled)
        name = model._meta.verbose_name_plural
        end = "\r" if sys.stdout.isatty() else "\n"
        self.stdout.write(f"{name:>15} [{bar}] {done}/{total}", ending=end)


def _write_sealed(model, rows: list) -> None:
    """Store the rows' new tokens and key id with one UPDATE ... FROM unnest(arrays).

    bulk_update() would build a CASE with a branch per row for every column: compiling it in
    Django cost about a millisecond a row, twenty times the row's decryption and encryption.
    """
    quote = connection.ops.quote_name
    pk = model._meta.pk
    fields = [model._meta.get_field(f"{name}_encrypted") for name in model.SEALED_FIELDS]
    fields.append(model._meta.get_field("key_id"))
    assignments = ", ".join(
        f"{quote(field.column)} = new.{quote(field.column)}" for field in fields
    )
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in [pk, *fields])
    names = ", ".join(quote(field.column) for field in [pk, *fields])
    table, key = quote(model._meta.db_table), quote(pk.column)
    # Only the model's own table, column names and types are formatted in; values are parameters.
    sql = f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS new({names})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            f"{sql} WHERE {table}.{key} = new.{key}",
            [[getattr(row, field.attname) for row in rows] for field in [pk, *fields]],
        )
