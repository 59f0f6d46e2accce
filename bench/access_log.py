"""Benchmark the record access log's chain: writing a line, and verifying 100,000 lines.

    .venv/bin/python bench/access_log.py [--lines 100000] [--appends 2000] [--chunk-size 5000]

In the bench database (`kartotek_bench`), the access log is emptied (TRUNCATE, with its
no-TRUNCATE trigger switched off as the table's owner may), then:
- `--appends` lines are written one by one through records.services.record_access_log
  (lock, read of the newest line, insert: three queries), for lines per second;
- `--lines` lines are chained in Python with records.audit.line_mac and loaded with COPY;
- records.audit.verify walks them all, timed; then again under tracemalloc, for the peak
  of Python memory it allocates, which stays flat whatever the size of the log.
The log is emptied again at the end.
"""

import argparse
import os
import random
import sys
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.common import use_bench_database  # noqa: E402
from customers.models import Customer  # noqa: E402
from records import audit, services  # noqa: E402
from records.models import Record  # noqa: E402

COLUMNS = (
    "id, chain_previous, chain_mac, at, user_id, customer_id, record_id, entry_id, action, address"
)


def empty_the_log() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE records_recordaccess DISABLE TRIGGER recordaccess_no_truncate")
        cursor.execute("TRUNCATE records_recordaccess")
        cursor.execute("ALTER TABLE records_recordaccess ENABLE TRIGGER recordaccess_no_truncate")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('records_recordaccess', 'id'), 1, false)"
        )


def measure_appends(count: int, user: User) -> float:
    customer, _ = Customer.objects.get_or_create(
        number=990_003, defaults={"first_name": "Bench", "last_name": "Access log"}
    )
    record = Record.objects.filter(customer=customer).first() or services.record_create(
        customer=customer, title="Bench", by=user
    )
    started = time.perf_counter()
    for _ in range(count):
        services.record_access_log(action="view", record=record, by=user, address="192.0.2.7")
    return count / (time.perf_counter() - started)


def load_lines(count: int, user: User) -> None:
    """Append `count` chained lines after the newest one, with COPY."""
    key = audit.audit_key()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, chain_mac FROM records_recordaccess ORDER BY id DESC LIMIT 1")
        previous_id, previous_mac = cursor.fetchone() or (None, "")
    customers = [uuid.uuid4() for _ in range(200)]
    records = {customer: uuid.uuid4() for customer in customers}
    at = datetime(2020, 1, 1, tzinfo=UTC)
    actions = ["view"] * 8 + ["create", "edit", "print"]
    raw = connection.cursor().cursor
    with raw.copy(f"COPY records_recordaccess ({COLUMNS}) FROM STDIN") as copy:
        for number in range((previous_id or 0) + 1, (previous_id or 0) + count + 1):
            customer = random.choice(customers)
            at += timedelta(seconds=random.randint(1, 120))
            line = SimpleNamespace(
                id=number,
                chain_previous=previous_id,
                at=at,
                user_id=user.pk,
                customer_id=customer,
                record_id=records[customer],
                entry_id=None,
                action=random.choice(actions),
                address=f"10.0.{number % 250}.{number % 200}",
            )
            line.chain_mac = audit.line_mac(key, previous_mac, line)
            copy.write_row(
                [
                    line.id, line.chain_previous, line.chain_mac, line.at, line.user_id,
                    line.customer_id, line.record_id, None, line.action, line.address,
                ]
            )  # fmt: skip
            previous_id, previous_mac = line.id, line.chain_mac
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('records_recordaccess', 'id'), %s)",
            [previous_id],
        )
        cursor.execute("ANALYZE records_recordaccess")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--chunk-size", type=int, default=5000)
    options = parser.parse_args()
    use_bench_database()
    user, _ = User.objects.get_or_create(username="bench-audit")
    empty_the_log()
    try:
        rate = measure_appends(options.appends, user)
        print(f"record_access_log: {rate:.0f} lines/s, one writer ({options.appends} lines)")
        started = time.perf_counter()
        load_lines(options.lines, user)
        print(f"chained and loaded {options.lines} lines in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        result = audit.verify(chunk_size=options.chunk_size)
        seconds = time.perf_counter() - started
        # Measured in a second pass: tracemalloc slows the walk about twofold.
        tracemalloc.start()
        audit.verify(chunk_size=options.chunk_size)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        if result.broken:
            raise SystemExit(f"broken at line {result.broken.id}: {result.broken.problem}")
        print(
            f"verify: {result.verified} lines in {seconds:.1f} s "
            f"({result.verified / seconds:.0f} lines/s), peak {peak / 1e6:.1f} MB allocated"
        )
    finally:
        empty_the_log()


if __name__ == "__main__":
    main()
