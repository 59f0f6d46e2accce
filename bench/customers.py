"""Benchmark the customer pages over 100,000 generated customers.

    .venv/bin/python bench/customers.py [--customers 100000] [--runs 40]

Generates the customers once (bulk inserts) into a database of its own, `kartotek_bench`,
kept between runs, then measures the list page, a search by a name fragment, an exact
social security number search and the profile page through Django's test client: median
and p95 server time, and SQL queries per page.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import measure_page, use_bench_database  # noqa: E402

FIRST_NAMES = [
    "Anna",
    "Lars",
    "Sofie",
    "Mikkel",
    "Ida",
    "Rasmus",
    "Freja",
    "Emil",
    "Laura",
    "Oliver",
    "Clara",
    "Noah",
    "Karen",
    "Jens",
]
LAST_NAMES = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
]
LAST_NAMES += [
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Johansen",
    "Møller",
]


def _generate(count: int) -> None:
    from customers.models import Customer, CustomerGroup, CustomerSettings

    have = Customer.objects.count()
    if have >= count:
        return
    print(f"generating {count - have} customers ...", flush=True)
    random.seed(42)
    groups = [CustomerGroup.objects.get_or_create(name=name)[0] for name in ("Physio", "Psych")]
    started = time.perf_counter()
    batch = []
    for number in range(have + 1, count + 1):
        first, last = random.choice(FIRST_NAMES), random.choice(LAST_NAMES)
        customer = Customer(
            number=number,
            first_name=f"{first}",
            last_name=f"{last}{'' if number % 3 else '-' + random.choice(LAST_NAMES)}",
            email=f"{first}.{last}.{number}@example.com".lower(),
            phone=f"+45{20_000_000 + number}",
            city="Aarhus",
            group=groups[number % 2],
            date_of_birth=date(1940, 1, 1) + timedelta(days=random.randrange(30_000))
            if number % 3
            else None,
        )
        if number % 2:
            customer.set_ssn(f"{random.randrange(10**9, 10**10)}")
        batch.append(customer)
        if len(batch) == 5_000:
            Customer.objects.bulk_create(batch)
            batch = []
    Customer.objects.bulk_create(batch)
    CustomerSettings.objects.update_or_create(
        id=1,
        defaults={
            "next_customer_number": count + 1,
            "ssn_enabled": True,
            "age_alert_enabled": True,
        },
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")
    print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    arguments = parser.parse_args()

    use_bench_database()
    _generate(arguments.customers)

    from accounts.models import User
    from customers.models import Customer
    from customers.ssn_search import token_for

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    client = Client()
    client.force_login(admin)
    some_customer = Customer.objects.order_by("number")[arguments.customers // 2]
    ssn_holder = Customer.objects.filter(ssn_index__isnull=False).order_by("number").first()
    pages = [
        ("list, first page", "/customers/"),
        ("list, sorted by newest", "/customers/?sort=-created"),
        ("list, last page", "/customers/?page=last"),
        ("list, after the middle one", f"/customers/?after={some_customer.pk}"),
        ("search 'sen' (common)", "/customers/?q=sen"),
        ("search 'pede' (surname, P)", "/customers/?q=pede"),
        ("search 'jørg'", "/customers/?q=j%C3%B8rg"),
        ("search 'sorensen' (accent)", "/customers/?q=sorensen"),
        ("search 'mikkel.ras'", "/customers/?q=mikkel.ras"),
        ("search 'n.9999' (rare)", "/customers/?q=n.9999"),
        ("search 'pede', last page", "/customers/?q=pede&page=last"),
        # Posted, an SSN is redirected to its token's URL; this is the page it lands on.
        ("SSN lookup (token)", f"/customers/?ssn={token_for(ssn_holder.ssn)}"),
        ("profile", f"/customers/{some_customer.id}/"),
    ]
    print(f"\n{arguments.customers} customers, {arguments.runs} runs per page")
    print(f"{'page':<30}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    for name, url, *data in pages:
        median, p95, queries = measure_page(client, url, arguments.runs, *data)
        print(f"{name:<30}{median:>11.1f}{p95:>9.1f}{queries:>9}")


if __name__ == "__main__":
    main()
