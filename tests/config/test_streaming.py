"""config.streaming: streamed reads keep their server-side cursor inside a transaction, so
that they work behind a transaction-pooling pgbouncer (bench/topology.py)."""

from pathlib import Path

import pytest
from django.db import connection

from config.streaming import stream
from tests.factories import CustomerFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "config", "contacts", "customers", "debtors", "portal", "privacy", "records"]


@pytest.mark.django_db(transaction=True)
def test_streamed_rows_are_read_inside_a_transaction_that_ends_with_them():
    from customers.models import Customer

    CustomerFactory.create_batch(3)
    inside = [connection.in_atomic_block for _ in stream(Customer.objects.all(), chunk_size=2)]
    assert inside == [True, True, True]
    assert not connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_a_stream_stopped_early_ends_its_transaction():
    from customers.models import Customer

    CustomerFactory.create_batch(3)
    rows = stream(Customer.objects.all(), chunk_size=1)
    next(rows)
    assert connection.in_atomic_block
    rows.close()  # as a closed download closes its response
    assert not connection.in_atomic_block


def test_app_code_streams_querysets_only_through_config_streaming():
    """A bare .iterator() outside a transaction loses its cursor behind the pooler."""
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if ".iterator(" in path.read_text() and path != ROOT / "config" / "streaming.py"
    ]
    assert offenders == []
