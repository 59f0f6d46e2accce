"""Reading a large queryset a chunk at a time, for responses and tasks that stream.

`QuerySet.iterator()` reads through a server-side cursor. Outside a transaction Django
declares it WITH HOLD, so it lives in the database session; behind a transaction-pooling
pgbouncer (README, "Running in production") the next fetch may be sent over another server
connection, where that cursor does not exist (bench/topology.py showed it under load).
Inside a transaction the cursor lives as long as the transaction, which the pooler keeps on
one connection. So every streamed read goes through `stream()`: the transaction is open
while the rows are read (a long export holds it that long) and ends with the last row, or
when the consumer stops early (a closed download).
"""

from collections.abc import Iterator
from typing import Any

from django.db import models, transaction


def stream(queryset: models.QuerySet, chunk_size: int = 2000) -> Iterator[Any]:
    """The rows of `queryset` (models, dicts or tuples, as it yields them), read
    `chunk_size` at a time through a cursor that lives in a transaction of its own."""
    with transaction.atomic(using=queryset.db):
        yield from queryset.iterator(chunk_size=chunk_size)
