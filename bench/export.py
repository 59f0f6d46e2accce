"""Benchmark the CSV export of customers: seconds and peak memory for 100,000 customers.

    .venv/bin/python bench/export.py [--customers 100000] [--runs 3]

Uses the customers of bench/customers.py (generated once into `kartotek_bench`), gives
half of them values in five extra fields, then downloads /customers/export.csv through
Django's test client, reading the streamed body as a browser would. Reports the median
seconds of whole downloads, rows per second, the size of the file, and the peak of Python
memory allocated while streaming (tracemalloc, in a separate run) for all customers and for
a search matching a few thousand, to show the peak does not grow with the row count.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import use_bench_database  # noqa: E402
from bench.customers import _generate  # noqa: E402

EXTRA_LABELS = ["Referred by", "Referral date", "Sessions granted", "Parking permit", "Notes"]


def _extra_fields() -> None:
    from customers.models import ExtraField

    fields = []
    for position, label in enumerate(EXTRA_LABELS, start=1):
        field, _ = ExtraField.objects.get_or_create(label=label, defaults={"position": position})
        fields.append(field)
    keys = [field.key for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE customers_customer SET extra_fields = jsonb_build_object("
            "%s, 'Dr. Holm ' || number, %s, '2026-03-12', %s, (number %% 20)::text, "
            "%s, 'yes', %s, 'Prefers mornings; hearing aid on the left')"
            " WHERE number %% 2 = 0 AND extra_fields = '{}'::jsonb",
            keys,
        )


def _download(client: Client, query: str) -> tuple[int, int]:
    """Bytes and rows of one whole download."""
    response = client.get("/customers/export.csv", {"q": query} if query else {})
    if response.status_code != 200:
        raise SystemExit(f"the export answered {response.status_code}")
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    response.close()
    return size, rows - 1  # less the header


def _peak_mib(client: Client, query: str) -> tuple[float, int]:
    tracemalloc.start()
    _, rows = _download(client, query)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()

    use_bench_database()
    _generate(arguments.customers)
    _extra_fields()

    from accounts.models import User

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    client = Client()
    client.force_login(admin)

    seconds = []
    for _ in range(arguments.runs):
        started = time.perf_counter()
        size, rows = _download(client, "")
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    print(f"\nexport of {rows} customers ({size / 2**20:.1f} MiB), {arguments.runs} runs")
    print(f"median {median:.2f} s, {rows / median:,.0f} rows/s")
    for label, query in (("all customers", ""), ("search 'jørgensen'", "jørgensen")):
        peak, rows = _peak_mib(client, query)
        print(f"peak Python memory while streaming, {label} ({rows} rows): {peak:.1f} MiB")


if __name__ == "__main__":
    main()
