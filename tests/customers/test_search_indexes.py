"""The customer search filters on exactly the expressions its trigram indexes cover."""

import pytest
from django.db import connection, transaction

from customers.models import Customer
from customers.models.customer import LIST_NAME_SORT
from tests.factories import CustomerFactory


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A test table is tiny, so the planner would rightly scan it; forbid that to see
        # whether an index *can* serve the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("jens", "customer_search_trgm"),
        ("fjord", "customer_search_trgm"),
        ("example.com", "customer_search_trgm"),
        ("2012", "customer_phone_trgm"),
    ],
)
def test_search_uses_the_trigram_index(db, query, index):
    plan = _plan(Customer.objects.search(query).order_by())
    assert index in plan, plan
    assert "Seq Scan" not in plan, plan


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_the_list_sorted_by_name_reads_its_index(db, sort):
    from customers.listing import SORTS

    rows = Customer.objects.for_list().annotate(list_sort=LIST_NAME_SORT)
    plan = _plan(rows.order_by(*SORTS[sort])[:50])
    assert "customer_list_name_order" in plan, plan
    assert "Sort" not in plan.replace("Sort Key", ""), plan


def test_a_search_first_asks_for_its_matches_unordered(db):
    """Asking for the first matches in name order made PostgreSQL walk the name index
    past every customer that does not match (800 ms for a rare fragment at 1,000,000
    customers); unordered, the trigram indexes find them."""
    from django.test.utils import CaptureQueriesContext

    from customers.listing import customer_listing

    # Enough customers for the planner to weigh the indexes as on a real list.
    Customer.objects.bulk_create(
        Customer(number=n, first_name="Anna", last_name=f"Holm{n}") for n in range(1, 2001)
    )
    with CaptureQueriesContext(connection) as queries:
        customer_listing(Customer.objects.search("jørg"), sort="name", query={})
    probe = queries.captured_queries[0]["sql"]
    assert "ORDER BY" not in probe, probe
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {probe}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "_trgm" in plan, plan
    assert "customer_list_name_order" not in plan, plan


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_a_broad_search_reads_its_page_from_the_name_index_alone(db, monkeypatch, sort):
    """More matches than are counted: the page's ids come from an index-only scan of the
    name index (it carries the searched columns), not from a customer row per entry."""
    from django.test.utils import CaptureQueriesContext

    from customers.listing import customer_listing

    monkeypatch.setattr("customers.listing.FEW", 1)
    CustomerFactory.create_batch(3, last_name="Holm")
    with CaptureQueriesContext(connection) as queries:
        customer_listing(Customer.objects.search("holm"), sort=sort, query={})
    page = queries.captured_queries[-1]["sql"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {page}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan" in plan and "customer_list_name_order" in plan, plan
