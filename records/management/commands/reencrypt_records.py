"""Re-encrypt every record title, entry and kept version under the current key.

    manage.py reencrypt_records [--batch-size 2000]

Put the new key first in RECORD_KEYS (keeping the old ones after it), run this, then drop
the old keys. Each table is swept once in physical order (ctid ranges), a batch of rows
whose key_id is not the current one at a time, each batch in its own transaction: stopping
(Ctrl-C, a crash) loses at most the work of the two batches under way, every row stays
readable with one of the configured keys, and running again carries on (rows already under
the current key are passed over). Rows another process holds are skipped for this pass and
picked up by the next: a batch locks its rows (FOR UPDATE SKIP LOCKED) before reading them
and writes them in the same transaction, so it never writes back a ciphertext an edit has
replaced. The batches run on two connections of the command's own (_Pipeline), so it runs
outside any transaction.

Why physical order and not key order: walking the primary key (random UUIDs) touched a
different heap page for nearly every row, and each first touch after a checkpoint writes
the whole page to the WAL. In ctid order a batch reads and writes a few neighbouring
pages. No index on key_id (migration 0008): an update that changes an indexed column
cannot be HOT, and with the index every re-encrypted row wrote a new entry into each of
the table's indexes; now, with the free space the tables' fillfactor keeps in every page,
the new version of a row stays on its page and no index is touched. Finding what is left
is a sequential scan of the heap (the bodies are in TOAST, not read), once per table.
"""

import contextlib
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from config import crypto
from records.models import Entry, EntryVersion, Record

MODELS = (Record, Entry, EntryVersion)


class Command(BaseCommand):
    help = "Re-encrypt record titles, entries and entry versions under the current key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size: int, **options) -> None:
        current = crypto.current_key_id()
        started = time.monotonic()
        total_done = 0
        for model in MODELS:
            # Counted first: with nothing to do, no sweep runs.
            total = model.objects.exclude(key_id=current).count()
            done = 0
            self._progress(model, done, total)
            if total:
                for batch_done in _batches(model, current, batch_size, total):
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

    def _progress(self, model, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        bar = "#" * filled + "-" * (width - filled)
        name = model._meta.verbose_name_plural
        end = "\r" if sys.stdout.isatty() else "\n"
        self.stdout.write(f"{name:>15} [{bar}] {done}/{total}", ending=end)


def _batches(model, current: str, size: int, pending: int):
    """Sweep `model`'s table from its first page to its last, re-encrypting the rows not under
    `current`; yield how many rows each batch re-encrypted, as its transaction commits.

    A batch reads a range of pages, at most `size` rows of it; when it finds `size`, the
    next carries on in the same range after the last row it took. The first range is sized
    for `size` rows when the `pending` rows are spread evenly, each next one for the density
    of the one before (growing at most twofold, as over the part a stopped run did)."""
    sweep = _Sweep(model)
    pages = sweep.pages()
    span = max(1, size * pages // pending)
    start = 0
    with _Pipeline() as pipeline:
        while True:
            if start >= pages:
                # New pages at the end hold rows moved there by non-HOT updates (ours,
                # under the current key, or an edit's): they are read once too.
                pages = sweep.pages()
                if start >= pages:
                    break
            end, after, found = start + span, None, 0
            while True:
                database = yield from pipeline.next_connection()
                rows = sweep.read(database, current, size, after or f"({start},0)", f"({end},0)")
                found += len(rows)
                after = rows[-1][0] if len(rows) == size else None
                pipeline.write(sweep.update, sweep.sealed(current, rows))
                if after is None:
                    break
            # The next range sized for `size` rows at this range's density, at most twofold.
            span = max(1, min(span * 2, span * size // max(found, 1)))
            start = end
        yield from pipeline.finish()


class _Pipeline:
    """Two database connections of the command's own, taking batches in turn: while one
    writes and commits a batch (in a thread), the other locks, reads and re-encrypts the
    next, so Python's encryption overlaps PostgreSQL's writing. Each batch is still one
    transaction on one connection, locked before it is read; at most two are under way,
    and stopping rolls back the one being read and lets the one being written commit."""

    def __init__(self) -> None:
        if connection.in_atomic_block:
            # Its own connections would not see what this transaction has not committed.
            raise CommandError("reencrypt_records runs outside a transaction.")
        # Connected as Django's own connection is (its settings and OPTIONS), outside a pool.
        params = connection.get_connection_params()
        self.connections = [psycopg.connect(**params) for _ in range(2)]
        self.writes: list[Future | None] = [None, None]
        self.turn = 1
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reencrypt")

    def __enter__(self) -> "_Pipeline":
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            for write in self.writes:
                if write is not None:
                    write.exception()  # waited for; a failure is already on its way up
        finally:
            self.writer.shutdown(wait=True)
            for database in self.connections:
                # A batch read but not written is undone, its locks released; a connection
                # the server dropped has nothing left to undo.
                with contextlib.suppress(psycopg.Error):
                    database.rollback()
                database.close()

    def next_connection(self):
        """The other connection, once the batch it was writing has committed (whose row
        count is yielded)."""
        self.turn = 1 - self.turn
        yield from self._committed(self.turn)
        return self.connections[self.turn]

    def write(self, sql: str, params: list | None) -> None:
        """Write (params None: nothing to write) and commit the batch just read, in the
        background."""
        database = self.connections[self.turn]
        if params is None:
            database.commit()
            return
        self.writes[self.turn] = self.writer.submit(_write, database, sql, params)

    def finish(self):
        for turn in (1 - self.turn, self.turn):
            yield from self._committed(turn)

    def _committed(self, turn: int):
        write, self.writes[turn] = self.writes[turn], None
        if write is not None:
            yield write.result()


def _write(database: psycopg.Connection, sql: str, params: list) -> int:
    try:
        with psycopg.Cursor(database) as cursor:
            cursor.execute(sql, params, prepare=False)
            written = cursor.rowcount
        database.commit()
    except BaseException:
        database.rollback()
        raise
    return written


class _Sweep:
    """The statements that read and write one table's sealed columns."""

    def __init__(self, model) -> None:
        quote = connection.ops.quote_name
        self.table = model._meta.db_table
        self.fields = model.SEALED_FIELDS
        table = quote(self.table)
        columns = [quote(model._meta.get_field(f"{name}_encrypted").column) for name in self.fields]
        key, key_id = quote(model._meta.pk.column), quote(model._meta.get_field("key_id").column)
        # Only the model's own table and column names are formatted in; values are parameters.
        self.select = (
            f"SELECT ctid::text, {key}, {', '.join(columns)} FROM {table}"  # noqa: S608
            f" WHERE ctid > %s::tid AND ctid < %s::tid AND {key_id} <> %s"
            # The table's ctid, not the output column of the same name (its text).
            f" ORDER BY {table}.ctid LIMIT %s FOR UPDATE SKIP LOCKED"
        )
        assignments = ", ".join(f"{column} = new.{column}" for column in columns)
        arrays = ", ".join(["%s::tid[]", "%b::uuid[]"] + ["%b::bytea[]"] * len(columns))
        # Each row found by its ctid (a TID scan, no descent of the primary key's index):
        # the batch holds the rows' locks, so none of them has moved since it read them.
        # The key is compared too, as a guard.
        self.update = (
            f"UPDATE {table} SET {assignments}, {key_id} = %s"  # noqa: S608
            f" FROM unnest({arrays}) AS new(position, {key}, {', '.join(columns)})"
            f" WHERE {table}.ctid = new.position AND {table}.{key} = new.{key}"
        )

    def pages(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int",
                [self.table],
            )
            return cursor.fetchone()[0]

    def read(self, database, current: str, size: int, after: str, before: str) -> list[tuple]:
        """Lock and read up to `size` rows not under `current`, with a ctid above `after` and
        below `before`, in ctid order (the transaction stays open)."""
        # psycopg's own cursor: parameters bound on the server and both ways in binary, so
        # 2 KB tokens travel as bytes, not as hex text quoted into the SQL.
        with psycopg.Cursor(database) as cursor:
            cursor.execute(self.select, [after, before, current, size], binary=True, prepare=False)
            return cursor.fetchall()

    def sealed(self, current: str, rows: list[tuple]) -> list | None:
        """The UPDATE's parameters: the rows' tokens sealed again under `current` (None
        when there are no rows)."""
        if not rows:
            return None
        positions, ids = [row[0] for row in rows], [row[1] for row in rows]
        sealed = [
            [
                crypto.reencrypt(row[2 + i], table=self.table, row_id=str(row[1]), field=name)
                for row in rows
            ]
            for i, name in enumerate(self.fields)
        ]
        return [current, positions, ids, *sealed]
