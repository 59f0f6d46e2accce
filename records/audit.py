"""The record access log's chain: tamper evidence for RecordAccess.

Every line carries `chain_previous`, the id of the line written before it (None for the
first), and `chain_mac`, an HMAC-SHA256 under settings.AUDIT_LOG_KEY over the previous
line's MAC and its own fields (id, chain_previous, at in UTC, user, customer, record,
entry, action, address) serialised as one JSON array. `append` writes a line,
`verify` walks the whole log in id order; `manage.py verify_access_log` runs it.

What the chain catches, for whoever can write the database but does not hold the key:
- a line changed after it was written: its MAC no longer matches its fields;
- a line deleted from the middle (or the oldest lines): the line after it names a
  previous line that is gone;
- a line inserted without the key, or written under another AUDIT_LOG_KEY: its MAC does
  not match. (A changed line and a forged one look alike: both are a MAC that does not
  match, and the verifier says so.)

What the log's coverage catches (`coverage_problem`): every record and every entry that
exists must have its "created" line. An emptied log, or one cut back past a record or entry
still in the database, fails even without an anchor. (TRUNCATE itself is refused by a
trigger, migration 0006, as UPDATE and DELETE are by 0004's.)

What it cannot catch on its own: deleting the newest lines that name no record or entry
still present (views, prints) leaves a shorter chain that is still valid and still covers
every row. An anchor narrows that: note the newest
line's id and MAC (verify_access_log prints them) somewhere the database's writers cannot
reach, and pass it back later (`--anchor`); a later run then fails if that line is gone or
changed. Lines written after the last anchor can still disappear unseen. And whoever holds
AUDIT_LOG_KEY (the application servers) can rewrite the chain from any point on; only an
anchor taken before shows that.
"""

import hmac
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils.translation import ngettext

from config import keys
from records.models import Entry, Record, RecordAccess

# The fields a line's MAC covers, in the order they are serialised.
CHAINED_FIELDS = (
    "id",
    "chain_previous",
    "at",
    "user_id",
    "customer_id",
    "record_id",
    "entry_id",
    "action",
    "address",
)
# One transaction-scoped advisory lock (a number of our choosing, used nowhere else)
# queues the writers of the log.
CHAIN_LOCK = 7_304_110_951_853_118_201


def audit_key() -> bytes:
    return keys.decode_key(settings.AUDIT_LOG_KEY, name="AUDIT_LOG_KEY")


def line_mac(key: bytes, previous_mac: str, line: Any) -> str:
    """The MAC of `line` (a RecordAccess, or any object with the CHAINED_FIELDS as
    attributes) chained onto the MAC of the line before it ("" for the first line)."""
    # The address as PostgreSQL's inet gives it back may be spelt differently from what was
    # written (IPv6 zeros), so it is normalised on both sides.
    address = str(ipaddress.ip_address(line.address)) if line.address else None
    values = [
        previous_mac,
        line.id,
        line.chain_previous,
        line.at.astimezone(UTC).isoformat(timespec="microseconds"),
        line.user_id,
        line.customer_id,
        line.record_id,
        line.entry_id,
        line.action,
        address,
    ]
    # UUIDs (customer, record, entry) as their text; ids as numbers.
    message = json.dumps(values, separators=(",", ":"), default=str).encode()
    return hmac.new(key, message, sha256).hexdigest()


def append(line: RecordAccess) -> RecordAccess:
    """Chain the unsaved `line` onto the newest line of the log and insert it."""
    key = audit_key()
    table = RecordAccess._meta.db_table
    # Inside the caller's transaction, if there is one: the line commits (or not) with the
    # write it logs.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # Writers queue here until the transaction holding the lock ends, so each one reads
        # the newest line its predecessor committed and two lines never share a previous
        # one. The id is drawn under the lock too, so id order is chain order (a rolled-back
        # line leaves a gap in the ids, which chain_previous makes harmless). The lock is
        # held until the caller's transaction ends: log at its end, not before slow work.
        # The chain's lock comes last in the lock order (records.services): every foreign-key
        # check still deferred in this transaction (and the row locks it takes) runs first,
        # never at COMMIT while the lock is held. One round trip for both (no parameters, so
        # two statements may share it; CHAIN_LOCK is our own constant).
        cursor.execute(f"SET CONSTRAINTS ALL IMMEDIATE; SELECT pg_advisory_xact_lock({CHAIN_LOCK})")
        newest = f"SELECT id, chain_mac FROM {table} ORDER BY id DESC LIMIT 1"  # noqa: S608
        next_id = "nextval(pg_get_serial_sequence(%s, 'id'))"
        cursor.execute(
            f"SELECT {next_id}, newest.id, newest.chain_mac FROM (VALUES (1)) AS one"  # noqa: S608
            f" LEFT JOIN ({newest}) AS newest ON TRUE",
            [table],
        )
        line.id, line.chain_previous, previous_mac = cursor.fetchone()
        line.chain_mac = line_mac(key, previous_mac or "", line)
        line.save(force_insert=True)
    return line


@dataclass(frozen=True)
class Break:
    """The first line that breaks the chain, and what is wrong with it."""

    id: int
    at: datetime | None
    problem: str


@dataclass(frozen=True)
class Verification:
    verified: int  # lines found intact (all of them, or those before the break)
    newest: Any  # the last intact line (id, at, chain_mac), None when there is none
    broken: Break | None


def lines_in_order(chunk_size: int = 5000) -> Iterator[Any]:
    """Every line of the log in id order, read in chunks by keyset so memory stays bounded
    whatever the size of the table (and without a server-side cursor)."""
    after = 0
    while True:
        chunk = list(
            RecordAccess.objects.filter(id__gt=after)
            .order_by("id")
            .values_list(*CHAINED_FIELDS, "chain_mac", named=True)[:chunk_size]
        )
        yield from chunk
        if len(chunk) < chunk_size:
            return
        after = chunk[-1].id


def link_problem(previous: Any, line: Any) -> str | None:
    """What is wrong with the link from `line` to the intact line before it, if anything."""
    expected = previous.id if previous else None
    if line.chain_previous == expected:
        return None
    if line.chain_previous is None:
        return (
            f"it claims to start the chain, but line {previous.id} comes before it (a forged line)"
        )
    if expected is not None and line.chain_previous < expected:
        return (
            f"it names line {line.chain_previous} as the one before it, but line "
            f"{expected} came in between (a forged line, or a fork)"
        )
    if line.chain_previous < line.id:
        # Walking in id order, every line between `expected` and this one has been seen.
        return f"the line before it, {line.chain_previous}, is missing (deleted)"
    return f"it names a later line, {line.chain_previous}, as the one before it (a forged line)"


def verify(*, anchor: tuple[int, str] | None = None, chunk_size: int = 5000) -> Verification:
    """Walk the whole log in id order and check every line's link and MAC; stop at the
    first line that breaks the chain. With `anchor` (id, MAC noted by an earlier run), also
    fail when that line is gone or no longer carries that MAC."""
    key = audit_key()
    previous = None
    verified = 0
    anchor_seen = False
    for line in lines_in_order(chunk_size):
        problem = link_problem(previous, line)
        if problem is None:
            expected = line_mac(key, previous.chain_mac if previous else "", line)
            # Compared as bytes: a forged MAC need not even be ASCII.
            if not hmac.compare_digest(expected.encode(), line.chain_mac.encode()):
                problem = (
                    "its MAC does not match its fields: it was changed after it was written, "
                    "or written without the audit log key (forged)"
                )
        if problem is None and anchor and line.id == anchor[0]:
            anchor_seen = True
            if not hmac.compare_digest(anchor[1].encode(), line.chain_mac.encode()):
                problem = (
                    "it does not carry the MAC the anchor noted: the chain was rewritten "
                    "from here on by someone holding the key"
                )
        if problem:
            return Verification(verified, previous, Break(line.id, line.at, problem))
        previous = line
        verified += 1
    if anchor and not anchor_seen:
        problem = (
            "the anchored line is missing: the newest lines were deleted back past it, "
            "or the log was truncated"
        )
        return Verification(verified, previous, Break(anchor[0], None, problem))
    return Verification(verified, previous, None)


def coverage_problem() -> str | None:
    """What the log is missing, if anything: a record or an entry in the database without
    its "created" line. Catches a log emptied or cut back (the chain alone cannot), and a
    record or entry written around records.services. Two anti-joins, whatever the size."""
    created = RecordAccess.objects.filter(action=RecordAccess.Action.CREATE)
    records = Record.objects.exclude(
        models.Exists(created.filter(record=models.OuterRef("pk"), entry__isnull=True))
    )
    entries = Entry.objects.exclude(models.Exists(created.filter(entry=models.OuterRef("pk"))))
    missing_records, missing_entries = records.count(), entries.count()
    if not missing_records and not missing_entries:
        return None
    # One of the two counts above is not zero, so there is a first.
    first: Any = (
        records.order_by("created", "id").first() or entries.order_by("created", "id").first()
    )
    what = ngettext(
        "%(count)d record has no “created” line in the access log",
        "%(count)d records have no “created” line in the access log",
        missing_records,
    ) % {"count": missing_records}
    if missing_entries:
        what += ngettext(
            ", and %(count)d entry has none",
            ", and %(count)d entries have none",
            missing_entries,
        ) % {"count": missing_entries}
    return (
        f"{what} (the first: {first._meta.verbose_name} {first.pk}): lines were removed, "
        "the log was emptied, or rows were written around the application"
    )
