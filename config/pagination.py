"""Keyset ("after this row") pagination for long lists, and counts that stay cheap.

An OFFSET page makes PostgreSQL read and throw away every row before it, so page 400 of a
list costs 400 pages; and a page number means another row once rows are inserted before it.
Here a link says "the rows after this row" (or "before"): the query starts at that row on
the index that matches the list's ordering, so every page costs what the first one does, and
"next" after row X shows the rows after X whatever was inserted before X meanwhile.

API
---
In the view::

    paginator = KeysetPaginator(queryset, ordering=("created", "id"), per_page=50)
    page = paginator.page_for(request.GET)

`ordering` is the list's whole order: model fields (or annotations of `queryset`) with "-"
for descending, ending in a unique key (usually "id"), none of them NULL. Left out, it is
the queryset's own `order_by(...)` (so a queryset method that holds the order stays its one
home); given, it replaces it. Give the database an index on the same columns (after the
columns the list filters on by equality), and every page is one index range scan.

`page_for(query)` reads from the query string:
- `?after=<cursor>`: the rows after that row; `?before=<cursor>`: the rows before it. A
  cursor is the row's primary key and nothing else: the key values it is ordered by
  (names, for most lists) are read from that row in the same query, so no personal data
  goes into URLs, browser history or access logs (DESIGN.md, security rules);
- `?page=last`: the last `per_page` rows (the newest, for a list in creation order);
  `?page=first`: the first;
- nothing: the first page, or the last with `opens_on_last=True` (a journal shown newest
  last opens on its newest entries);
- a cursor that is not a primary key of a row in this list (tampered, cut
  short, deleted meanwhile): the first page. Never an error.
A "before" that reaches the start shows the first page; an "after" past the end shows the
last page, so a page is never empty while the list is not.

The `Page` it returns is a sequence of the rows (`for row in page`) with `has_previous`,
`has_next`, `has_other_pages`, `previous_cursor`, `next_cursor`, `is_first`, `is_last`, and
`paginator`. It has no page number: a keyset page does not know how many rows precede it.
Draw its links with `{% include "components/keyset_pager.html" %}` (First, Previous, Next,
Last; the `{% keyset_query %}` tag in accounts/templatetags/paging.py keeps the request's
other parameters). `paginator.count` is a capped count (`count_cap`, default COUNT_CAP) and
`paginator.is_capped` says whether there are more; it is counted only when a template
asks for it.

A page costs one query (the cursor row's keys are an InitPlan of it), plus one for the
count if it is shown, plus one in the rare case of an "after" that finds nothing.

`capped_count(queryset, cap)` and `estimated_total(model)` (PostgreSQL's own row estimate,
free) are the counts for lists too long to count.
"""

from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q, Subquery
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

# Counting every row of a big list costs more than it tells: above this many, a list says
# "more than 10,000".
COUNT_CAP = 10_000
# A cursor is a primary key; anything longer was not made here.
CURSOR_MAX_LENGTH = 1_000

AFTER = "after"
BEFORE = "before"
PAGE = "page"
FIRST = "first"
LAST = "last"
PARAMETERS = (AFTER, BEFORE, PAGE)


def capped_count(queryset: models.QuerySet, cap: int = COUNT_CAP) -> int:
    """How many rows `queryset` has, counting at most `cap` + 1 of them.

    Without the list's ORDER BY: counting the first rows in list order would walk the
    ordering's index past every row that does not match (a rare search fragment at a
    million customers: 800 ms), where the filter's own indexes find them directly."""
    return queryset.order_by()[: cap + 1].count()


def estimated_total(model: type[models.Model]) -> int:
    """PostgreSQL's own estimate of the rows in `model`'s table: free, and close enough
    for "about 100,000"."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        return max(cursor.fetchone()[0], 0)


class InvalidCursor(ValueError):
    """A cursor that was not made by this paginator for this ordering."""


class Page(Sequence):
    def __init__(
        self,
        rows: list,
        paginator: "KeysetPaginator",
        *,
        has_previous: bool,
        has_next: bool,
    ) -> None:
        self.object_list = rows
        self.paginator = paginator
        self.has_previous = has_previous
        self.has_next = has_next

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __repr__(self) -> str:
        return f"<Keyset page of {len(self)} rows>"

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def is_first(self) -> bool:
        return not self.has_previous

    @property
    def is_last(self) -> bool:
        return not self.has_next

    @property
    def previous_cursor(self) -> str | None:
        return self.paginator.cursor(self.object_list[0]) if self.has_previous else None

    @property
    def next_cursor(self) -> str | None:
        return self.paginator.cursor(self.object_list[-1]) if self.has_next else None


class KeysetPaginator:
    def __init__(
        self,
        queryset: models.QuerySet,
        *,
        per_page: int,
        ordering: Sequence[str] | None = None,
        opens_on_last: bool = False,
        count_cap: int = COUNT_CAP,
    ) -> None:
        # The query's own ordering may hold expressions, refused just below.
        ordering = queryset.query.order_by if ordering is None else ordering  # type: ignore[assignment]
        if not ordering or not all(isinstance(key, str) for key in ordering):
            raise ValueError("A keyset needs an ordering of field names ending in a unique key.")
        self.keys = [key.removeprefix("-") for key in ordering]
        self.descending = [key.startswith("-") for key in ordering]
        self.ordering = tuple(ordering)
        self.queryset = queryset.order_by(*self.ordering)
        self.per_page = per_page
        self.opens_on_last = opens_on_last
        self.count_cap = count_cap

    # Counts, asked for by the template only where it shows one.

    @cached_property
    def _capped_count(self) -> int:
        return capped_count(self.queryset, self.count_cap)

    @property
    def count(self) -> int:
        return min(self._capped_count, self.count_cap)

    @property
    def is_capped(self) -> bool:
        return self._capped_count > self.count_cap

    # Pages.

    def page_for(self, query: Mapping[str, str]) -> Page:
        """The page a request's query string asks for (see the module docstring)."""
        if query.get(AFTER):
            try:
                return self.page_after(self.decode(query[AFTER]))
            except InvalidCursor:
                return self.first_page()
        if query.get(BEFORE):
            try:
                return self.page_before(self.decode(query[BEFORE]))
            except InvalidCursor:
                return self.first_page()
        if query.get(PAGE) == LAST:
            return self.last_page()
        if query.get(PAGE) == FIRST or not self.opens_on_last:
            return self.first_page()
        return self.last_page()

    def first_page(self) -> Page:
        rows = self.read(self.queryset)
        return Page(
            rows[: self.per_page], self, has_previous=False, has_next=len(rows) > self.per_page
        )

    def last_page(self) -> Page:
        rows = self.read(self.queryset.reverse())
        has_previous = len(rows) > self.per_page
        rows = rows[: self.per_page][::-1]
        return Page(rows, self, has_previous=has_previous, has_next=False)

    def page_after(self, row_pk: Any) -> Page:
        rows = self.read(self.queryset.filter(self._beyond(row_pk, forward=True)))
        if not rows:
            # Past the end (the rows after it were deleted), or a row no longer in the list.
            return self.last_page() if self._holds(row_pk) else self.first_page()
        return Page(
            rows[: self.per_page], self, has_previous=True, has_next=len(rows) > self.per_page
        )

    def page_before(self, row_pk: Any) -> Page:
        before = self.queryset.filter(self._beyond(row_pk, forward=False)).reverse()
        rows = self.read(before)
        if len(rows) <= self.per_page:
            # The start of the list (or a row no longer in it): a full first page.
            return self.first_page()
        return Page(rows[: self.per_page][::-1], self, has_previous=True, has_next=True)

    def read(self, queryset: models.QuerySet) -> list:
        """The first `per_page` + 1 rows of `queryset` (one more tells whether there is a
        next page). A subclass may read them another way (customers.listing)."""
        return list(queryset[: self.per_page + 1])

    def _holds(self, row_pk: Any) -> bool:
        return self.queryset.filter(pk=row_pk).exists()

    def _beyond(self, row_pk: Any, *, forward: bool) -> Q | models.Expression:
        """The rows after the row `row_pk` in the list's order (before it if not `forward`).

        The row's key values are read by a subquery on its primary key, which PostgreSQL
        runs once before the scan (an InitPlan): a URL then carries only an id, never a
        name or other personal data that the list is ordered by."""
        row = self.queryset.filter(pk=row_pk).order_by()
        if len(set(self.descending)) == 1:
            # One direction: a row comparison, (created, id) > (SELECT created, id ...),
            # which PostgreSQL reads as a range of the matching index.
            greater = forward != self.descending[0]
            lookup = TupleGreaterThan if greater else TupleLessThan
            return lookup(Tuple(*(F(key) for key in self.keys)), row.values(*self.keys).query)
        # Mixed directions (-is_primary, last_name, id) cannot be one row comparison:
        # a > x OR (a = x AND b > y) ..., with the first key's bound (a >= x) kept apart so
        # an index on the first key still gives a range.
        value = {key: Subquery(row.values(key)[:1]) for key in self.keys}
        condition = Q()
        equal = Q()
        for key, descending in zip(self.keys, self.descending, strict=True):
            comparison = "gt" if forward != descending else "lt"
            condition |= equal & Q(**{f"{key}__{comparison}": value[key]})
            equal &= Q(**{key: value[key]})
        first = "gte" if forward != self.descending[0] else "lte"
        return Q(**{f"{self.keys[0]}__{first}": value[self.keys[0]]}) & condition

    # Cursors.

    def cursor(self, row: Any) -> str:
        """A link's cursor: the row's primary key, as text."""
        return str(row.pk)

    def decode(self, cursor: str) -> Any:
        """The primary key a cursor names, checked against the primary key's field, or
        InvalidCursor: a URL is input like any other."""
        if len(cursor) > CURSOR_MAX_LENGTH or "\x00" in cursor:
            raise InvalidCursor  # PostgreSQL refuses NUL in text: it would be a 500
        field = self.queryset.model._meta.pk
        try:
            row_pk = field.to_python(cursor)
            field.run_validators(row_pk)  # e.g. an integer beyond the column's range
        except (ValidationError, TypeError, ValueError) as error:
            raise InvalidCursor from error
        return row_pk
