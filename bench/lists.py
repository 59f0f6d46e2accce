"""Benchmark a category's contact list: a category of 20 and one of 20,000, first and last page.

    .venv/bin/python bench/lists.py [--others 100000] [--runs 30]

Generates, once, into the benchmarks' own database (`kartotek_bench`, kept between runs) two
categories, "Bench list 20" and "Bench list 20000", beside `--others` contacts in a third
category, so the lists' index has a directory around them to be selective in. Then it
measures the category page (through Django's test client, in-process: median and p95 server
time, SQL queries) on its first page, a page in the middle (from a row, as Next links go)
and its last page (?page=last, where a new contact is shown), and prints the ratio of each
to the first page of the 20-contact category: the goal of issue #18 is at most 2.

Beside it, in the same run, the page's SQL alone the old way (COUNT(*) of the category and
LIMIT 50 OFFSET n in created, id order) and the keyset way, at the same depth.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import measure_page, percentiles, timings, use_bench_database  # noqa: E402

SIZES = (20, 20_000)
OTHERS = "Bench list others"


def _category_name(size: int) -> str:
    return f"Bench list {size}"


def _fill(name: str, count: int) -> None:
    """`count` contacts in category `name`, created a millisecond apart (one INSERT)."""
    from contacts.models import Contact, ContactCategory

    category, _ = ContactCategory.objects.get_or_create(name=name)
    have = Contact.objects.filter(category=category).count()
    if have >= count:
        return
    print(f"generating {count - have} contacts in {name} ...", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO contacts_contact (category_id, title, first_name, last_name,
                organisation, description, email, phone, mobile, address, postal_code, city,
                notes, created, updated)
            SELECT %s, '', 'Bench', 'Contact ' || i, '', 'GP', 'bench' || i || '@example.dk',
                '+45' || (20000000 + i), '', 'Vestergade 1', '8000', 'Aarhus', '',
                now() - interval '1 day' + i * interval '1 millisecond', now()
            FROM generate_series(%s, %s) AS i
            """,
            [category.pk, have + 1, count],
        )
    print(f"  in {time.perf_counter() - started:.1f} s", flush=True)


def _generate(others: int) -> None:
    for size in SIZES:
        _fill(_category_name(size), size)
    _fill(OTHERS, others)
    with connection.cursor() as cursor:
        # As autovacuum would: statistics, and the visibility map index-only scans need.
        cursor.execute("VACUUM ANALYZE contacts_contact")


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--others", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    arguments = parser.parse_args()

    use_bench_database()
    _generate(arguments.others)

    from accounts.models import User
    from config.pagination import KeysetPaginator
    from contacts.models import Contact, ContactCategory
    from contacts.views.directory import CATEGORY_CONTACTS_ORDER, CONTACTS_PER_PAGE
    from customers.models import CustomerSettings

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    CustomerSettings.objects.update_or_create(id=1, defaults={"show_contacts": True})
    client = Client()
    client.force_login(admin)

    total = Contact.objects.count()
    print(f"\n{total} contacts in the directory; {arguments.runs} runs each, in-process")
    print(f"{'category page':<36}{'median ms':>10}{'p95':>8}{'queries':>9}{'ratio':>7}")
    urls = {}
    for size in SIZES:
        category = ContactCategory.objects.get(name=_category_name(size))
        url = f"/contacts/categories/{category.pk}/"
        contacts = category.contacts.order_by(*CATEGORY_CONTACTS_ORDER)
        paginator = KeysetPaginator(
            contacts, ordering=CATEGORY_CONTACTS_ORDER, per_page=CONTACTS_PER_PAGE
        )
        middle = paginator.cursor(contacts[size // 2])
        urls[f"{size:,} contacts, first"] = url
        urls[f"{size:,} contacts, middle (Next)"] = f"{url}?after={middle}"
        urls[f"{size:,} contacts, last (?page=last)"] = f"{url}?page=last"
    # Round-robin, so that the load of the other processes on this shared machine falls on
    # every page alike rather than on whichever page ran during a busy moment.
    measured = {label: [] for label in urls}
    for url in urls.values():
        _get(client, url)  # warm up
    for _ in range(arguments.runs):
        for label, url in urls.items():
            measured[label] += timings(lambda url=url: _get(client, url), 1)
    baseline = percentiles(measured[next(iter(urls))])[0]
    for label, url in urls.items():
        median, p95 = percentiles(measured[label])
        queries = measure_page(client, url, 1)[2]
        print(f"{label:<36}{median:>10.1f}{p95:>8.1f}{queries:>9}{median / baseline:>7.2f}")

    print("\nthe page's SQL alone, 20,000 contacts, at the last page")
    category = ContactCategory.objects.get(name=_category_name(SIZES[-1]))
    offset = SIZES[-1] - CONTACTS_PER_PAGE
    last_but_page = category.contacts.order_by(*CATEGORY_CONTACTS_ORDER)[offset - 1]
    queries = {
        "old: COUNT(*) + OFFSET": lambda: (
            _raw("SELECT count(*) FROM contacts_contact WHERE category_id = %s", [category.pk]),
            _raw(
                "SELECT * FROM contacts_contact WHERE category_id = %s "
                "ORDER BY created, id LIMIT %s OFFSET %s",
                [category.pk, CONTACTS_PER_PAGE, offset],
            ),
        ),
        # As config.pagination asks it: the cursor is the row's id, its keys a subquery.
        "keyset: (created, id) > row": lambda: _raw(
            "SELECT * FROM contacts_contact WHERE category_id = %s AND (created, id) > "
            "(SELECT created, id FROM contacts_contact WHERE id = %s) "
            "ORDER BY created, id LIMIT %s",
            [category.pk, last_but_page.id, CONTACTS_PER_PAGE + 1],
        ),
    }
    for label, run in queries.items():
        median, p95 = percentiles(timings(run, arguments.runs))
        print(f"{label:<36}{median:>10.2f}{p95:>8.2f}")
    # Before this change there was no (category, created, id) index: drop it for a moment,
    # inside a transaction that is rolled back, to measure the old query as it ran.
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX contact_category_created")
            run = queries["old: COUNT(*) + OFFSET"]
            median, p95 = percentiles(timings(run, arguments.runs))
            print(f"{'old, without the new index':<36}{median:>10.2f}{p95:>8.2f}")
            raise _RolledBack
    except _RolledBack:
        pass


class _RolledBack(Exception):
    pass


if __name__ == "__main__":
    main()
