"""The customer search filters on exactly the expressions its trigram indexes cover."""

import pytest
from django.db import connection, transaction

from customers.models import Customer


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A test table is tiny, so the planner would rightly scan it; forbid that to see
        # whether an index *can* serve the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("jens", "customer_last_name_trgm"),
        ("jens", "customer_first_name_trgm"),
        ("fjord", "customer_company_name_trgm"),
        ("example.com", "customer_email_trgm"),
        ("2012", "customer_phone_trgm"),
    ],
)
def test_search_uses_the_trigram_index(db, query, index):
    plan = _plan(Customer.objects.search(query).order_by())
    assert index in plan, plan
    assert "Seq Scan" not in plan, plan


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_the_list_sorted_by_name_reads_its_index(db, sort):
    from customers.views import SORTS

    plan = _plan(Customer.objects.for_list().order_by(*SORTS[sort])[:50])
    assert "customer_list_name_order" in plan, plan
    assert "Sort" not in plan.replace("Sort Key", ""), plan


def test_the_lists_capped_count_leaves_the_name_order_out(db):
    """Counting the first 10,001 matches in name order made PostgreSQL walk the name index
    past every customer that does not match (800 ms for a rare fragment at 1,000,000
    customers); unordered, the count reads the trigram indexes."""
    from django.test.utils import CaptureQueriesContext

    from customers.views import SORTS, CappedPaginator

    paginator = CappedPaginator(
        Customer.objects.for_list().search("jørg").order_by(*SORTS["name"]), 50
    )
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 0
    (count,) = queries.captured_queries
    assert "ORDER BY" not in count["sql"], count["sql"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {count['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "_trgm" in plan, plan
    assert "customer_list_name_order" not in plan, plan
