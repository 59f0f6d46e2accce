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
for descending, ending in a unique key (usually "id"), none of them NULL. The queryset's own
ordering is replaced by it. Give the database an index on the same columns (after the
columns the list filters on by equality), and every page is one index range scan.

`page_for(query)` reads from the query string:
- `?after=<cursor>`: the rows after that row; `?before=<cursor>`: the rows before it;
- `?page=last`: the last `per_page` rows (the newest, for a list in creation order);
- nothing, or a cursor that does not decode for this ordering (tampered, cut short, from
  another list or sort): the first page. Never an error.
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

A page costs one query, plus one for the count if it is shown.

`capped_count(queryset, cap)` and `estimated_total(model)` (PostgreSQL's own row estimate,
free) are the counts for lists too long to count.
"""

import base64
import binascii
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from functools import cached_property
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils import timezone

# Counting every row of a big list costs more than it tells: above this many, a list says
# "more than 10,000".
COUNT_CAP = 10_000
# A cursor holds a few short values; anything longer was not made here.
CURSOR_MAX_LENGTH = 1_000

AFTER = "after"
BEFORE = "before"
PAGE = "page"
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
        ordering: Sequence[str],
        per_page: int,
        count_cap: int = COUNT_CAP,
    ) -> None:
        if not ordering:
            raise ValueError("A keyset needs an ordering that ends in a unique key.")
        self.keys = [key.removeprefix("-") for key in ordering]
        self.descending = [key.startswith("-") for key in ordering]
        self.fields = [_output_field(queryset, key) for key in self.keys]
        self.ordering = tuple(ordering)
        self.queryset = queryset.order_by(*self.ordering)
        self.per_page = per_page
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
        return self.first_page()

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

    def page_after(self, position: list) -> Page:
        rows = self.read(self.queryset.filter(self._beyond(position, forward=True)))
        if not rows:
            return self.last_page()
        return Page(
            rows[: self.per_page], self, has_previous=True, has_next=len(rows) > self.per_page
        )

    def page_before(self, position: list) -> Page:
        before = self.queryset.filter(self._beyond(position, forward=False)).reverse()
        rows = self.read(before)
        if len(rows) <= self.per_page:
            # The start of the list: a full first page rather than a short one.
            return self.first_page()
        return Page(rows[: self.per_page][::-1], self, has_previous=True, has_next=True)

    def read(self, queryset: models.QuerySet) -> list:
        """The first `per_page` + 1 rows of `queryset` (one more tells whether there is a
        next page). A subclass may read them another way (customers.listing)."""
        return list(queryset[: self.per_page + 1])

    def _beyond(self, position: list, *, forward: bool) -> Q | models.Expression:
        """The rows after `position` in the list's order (before it if not `forward`)."""
        if len(set(self.descending)) == 1:
            # One direction: a row comparison, (created, id) > (%s, %s), which PostgreSQL
            # reads as a range of the matching index.
            greater = forward != self.descending[0]
            lookup = TupleGreaterThan if greater else TupleLessThan
            return lookup(Tuple(*(F(key) for key in self.keys)), tuple(position))
        # Mixed directions (-is_primary, last_name, id) cannot be one row comparison:
        # a > x OR (a = x AND b > y) ..., with the first key's bound (a >= x) kept apart so
        # an index on the first key still gives a range.
        condition = Q()
        equal = Q()
        for key, descending, value in zip(self.keys, self.descending, position, strict=True):
            comparison = "gt" if forward != descending else "lt"
            condition |= equal & Q(**{f"{key}__{comparison}": value})
            equal &= Q(**{key: value})
        first = "gte" if forward != self.descending[0] else "lte"
        return Q(**{f"{self.keys[0]}__{first}": position[0]}) & condition

    # Cursors.

    def cursor(self, row: Any) -> str:
        values = [getattr(row, key) for key in self._attributes]
        text = json.dumps(values, cls=_CursorEncoder, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> list:
        """The row position a cursor names, checked value by value against the ordering's
        fields, or InvalidCursor: a URL is input like any other."""
        if len(cursor) > CURSOR_MAX_LENGTH:
            raise InvalidCursor
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            values = json.loads(text)
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise InvalidCursor from error
        if not isinstance(values, list) or len(values) != len(self.keys):
            raise InvalidCursor
        return [_parsed(field, value) for field, value in zip(self.fields, values, strict=True)]

    @cached_property
    def _attributes(self) -> list[str]:
        """Where each key's value is on a row: a foreign key's is `category_id`."""
        return [
            field.attname if getattr(field, "attname", None) and field.is_relation else key
            for key, field in zip(self.keys, self.fields, strict=True)
        ]


class _CursorEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        # DjangoJSONEncoder cuts a time to milliseconds: the cursor would then fall before
        # its own row, and the next page would show that row again.
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def _output_field(queryset: models.QuerySet, key: str) -> models.Field:
    if key in queryset.query.annotations:
        return queryset.query.annotations[key].output_field
    try:
        field = queryset.model._meta.get_field(key)
    except FieldDoesNotExist:
        if key != "pk":
            raise
        field = queryset.model._meta.pk
    return field


def _parsed(field: models.Field, value: Any) -> Any:
    if value is None or isinstance(value, (list, dict)):
        raise InvalidCursor
    target = field.target_field if field.is_relation else field
    try:
        parsed = target.to_python(value)
        target.run_validators(parsed)  # e.g. an integer beyond the column's range
    except (ValidationError, TypeError, ValueError) as error:
        raise InvalidCursor from error
    if isinstance(parsed, str) and "\x00" in parsed:
        raise InvalidCursor  # PostgreSQL refuses NUL in text: it would be a 500
    if isinstance(parsed, datetime) and timezone.is_naive(parsed):
        raise InvalidCursor
    return parsed
