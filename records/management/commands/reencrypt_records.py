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
from django.db import transaction

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
            pending = model.objects.exclude(key_id=current)
            total = pending.count()
            done = 0
            self._progress(model, done, total)
            while True:
                batch_done = self._batch(model, current, batch_size)
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
    def _batch(model, current: str, size: int) -> int:
        rows = list(
            model.objects.exclude(key_id=current)
            .select_for_update(skip_locked=True)
            .order_by("pk")[:size]
        )
        for row in rows:
            row.seal(**row.opened())
        fields = [f"{field}_encrypted" for field in model.SEALED_FIELDS] + ["key_id"]
        model.objects.bulk_update(rows, fields)
        return len(rows)

    def _progress(self, model, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        bar = "#" * filled + "-" * (width - filled)
        name = model._meta.verbose_name_plural
        end = "\r" if sys.stdout.isatty() else "\n"
        self.stdout.write(f"{name:>15} [{bar}] {done}/{total}", ending=end)
