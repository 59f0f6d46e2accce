"""Counting related rows for the rows a query returns only."""

from django.db import models
from django.db.models.functions import Coalesce


def count_of(rows: models.QuerySet | models.Manager, field: str) -> models.Expression:
    """How many of `rows` point at the outer query's row through `field`: a correlated
    subquery, so it is counted for the rows a query returns only, from an index on
    `field`. An annotate(Count(...)) joins instead, and PostgreSQL may then aggregate the
    whole related table first (records: 230-370 ms over a million entries, against a
    few milliseconds this way)."""
    counted = (
        rows.filter(**{field: models.OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=models.Count("*"))
        .values("count")
    )
    return Coalesce(models.Subquery(counted), 0)
