"""Benchmark billing: the invoice lists at 100,000 invoices, and issuing under concurrency.

    .venv/bin/python bench/billing.py [--invoices 100000] [--runs 20] [--threads 4]

Generates, once, into a database of its own (`kartotek_bench_billing`), 2,000 customers
with a debtor each and `--invoices` invoices of one to three lines among them (half of them
paid), written with bulk inserts beside the numbering row. Then measures,
through Django's test client as a receptionist: the open-invoices list, the overdue list,
the paid list, a search, and the Invoices tab of a customer with 25 invoices and of one
with 2,000, so the tab's flatness shows (median and p95 ms, SQL queries). Last, it issues
`--threads` × 50 sales at once through billing.services.sale_issue, each thread on its own
connection, and prints invoices/s and whether the numbers are consecutive.
"""

import argparse
import datetime
import os
import random
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import measure_page, use_bench_database  # noqa: E402

CUSTOMERS = 2_000


def _generate(count: int) -> None:
    from accounts.models import User
    from billing.models import Invoice, InvoiceLine, InvoiceNumbering, Payment
    from customers.models import Customer
    from debtors.models import Debtor

    have = Invoice.objects.count()
    if have >= count:
        return
    print(f"generating {count - have} invoices ...", flush=True)
    started = time.perf_counter()
    random.seed(7)
    clerk, _ = User.objects.get_or_create(username="bench-clerk")
    if not Customer.objects.exists():
        Customer.objects.bulk_create(
            Customer(number=n, first_name="Bench", last_name=f"Customer {n}")
            for n in range(1, CUSTOMERS + 1)
        )
        Debtor.objects.bulk_create(
            Debtor(number=50_000 + n, name=f"Debtor {n}", payment_terms_days=14)
            for n in range(1, CUSTOMERS + 1)
        )
    customers = list(Customer.objects.order_by("number"))
    debtors = list(Debtor.objects.order_by("number"))
    today = datetime.date(2026, 12, 1)
    number = have + 1
    while number <= count:
        invoices, lines, payments = [], [], []
        for _ in range(min(5_000, count - number + 1)):
            # The first customer has 25 invoices, the second 2,000: the tab's two sizes.
            if number % 50 == 0:
                n = 1
            elif number % 4_000 == 1:
                n = 0
            else:
                n = random.randrange(2, CUSTOMERS)
            issued = today - datetime.timedelta(days=random.randrange(0, 400))
            amounts = [
                Decimal(random.choice(["450.00", "650.00", "1100.00"]))
                for _ in range(random.randint(1, 3))
            ]
            total = sum(amounts, Decimal("0.00"))
            invoice = Invoice(
                number=number,
                kind=Invoice.Kind.INVOICE,
                customer=customers[n],
                debtor=debtors[n],
                debtor_name=debtors[n].name,
                issued_on=issued,
                due_on=issued + datetime.timedelta(days=14),
                net_total=total,
                vat_total=Decimal("0.00"),
                total=total,
                created_by=clerk,
            )
            invoices.append(invoice)
            for position, amount in enumerate(amounts, start=1):
                lines.append(
                    InvoiceLine(
                        invoice=invoice,
                        position=position,
                        description="Session",
                        quantity=Decimal(1),
                        unit_price=amount,
                        vat_rate=Decimal("0.00"),
                        net=amount,
                        vat=Decimal("0.00"),
                    )
                )
            if number % 2:
                payments.append(
                    Payment(
                        invoice=invoice,
                        amount=total,
                        paid_on=issued + datetime.timedelta(days=10),
                        method="bank",
                        registered_by=clerk,
                    )
                )
            number += 1
        with transaction.atomic():
            Invoice.objects.bulk_create(invoices)
            InvoiceLine.objects.bulk_create(lines)
            Payment.objects.bulk_create(payments)
    InvoiceNumbering.objects.update_or_create(id=1, defaults={"next_number": count + 1})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE billing_invoice, billing_invoiceline, billing_payment")
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)


def _issue_concurrently(threads: int, each: int) -> None:
    from accounts.models import User
    from billing import services
    from billing.models import Invoice, Sale, SaleLine
    from customers.models import Customer
    from debtors.models import Debtor

    clerk = User.objects.get(username="bench-clerk")
    customer, debtor = Customer.objects.order_by("number").first(), Debtor.objects.first()
    sales = []
    for _ in range(threads * each):
        sale = Sale.objects.create(customer=customer, debtor=debtor, created_by=clerk)
        SaleLine.objects.create(
            sale=sale,
            position=1,
            description="Session",
            quantity=Decimal(1),
            unit_price=Decimal("650.00"),
            vat_rate=Decimal("0.00"),
        )
        sales.append(sale)
    first = Invoice.objects.order_by("-number").values_list("number", flat=True).first() or 0
    barrier = threading.Barrier(threads)

    def work(part: list) -> None:
        barrier.wait()
        for sale in part:
            services.sale_issue(sale=sale, by=clerk)
        connection.close()

    parts = [sales[n::threads] for n in range(threads)]
    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(part,)) for part in parts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    numbers = list(
        Invoice.objects.filter(number__gt=first).order_by("number").values_list("number", flat=True)
    )
    consecutive = numbers == list(range(first + 1, first + 1 + len(sales)))
    print(
        f"\nissuing: {len(sales)} sales in {threads} threads: {len(sales) / elapsed:.0f} "
        f"invoices/s; numbers {first + 1}..{numbers[-1]}, consecutive: {consecutive}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=4)
    arguments = parser.parse_args()

    use_bench_database("kartotek_bench_billing")
    _generate(arguments.invoices)

    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import ROLES, role_permissions
    from customers.models import Customer

    reception = next(role for role in ROLES if role.name == "Reception")
    group, _ = Group.objects.get_or_create(name=reception.name)
    group.permissions.set(role_permissions(reception))
    user, _ = User.objects.get_or_create(username="bench-reception")
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    few, many = Customer.objects.order_by("number")[:2]
    print(f"\n{arguments.invoices:,} invoices; {arguments.runs} runs each")
    print(f"{'page':<36}{'median ms':>10}{'p95 ms':>8}{'queries':>9}")
    for name, url in [
        ("open invoices, first page", "/billing/invoices/"),
        ("overdue invoices, first page", "/billing/invoices/?status=overdue"),
        ("paid invoices, first page", "/billing/invoices/?status=paid"),
        ("all, search a number", "/billing/invoices/?status=all&q=4242"),
        (f"Invoices tab, {few.invoices.count()} invoices", f"/customers/{few.id}/?tab=invoices"),
        (f"Invoices tab, {many.invoices.count()} invoices", f"/customers/{many.id}/?tab=invoices"),
    ]:
        median, p95, queries = measure_page(client, url, arguments.runs)
        print(f"{name:<36}{median:>10.1f}{p95:>8.1f}{queries:>9}")
    _issue_concurrently(arguments.threads, 50)


if __name__ == "__main__":
    main()
