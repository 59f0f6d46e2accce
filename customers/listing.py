"""The staff customer list: its sorts and its pages, read so that a page costs about the
same at a million customers whatever is searched (bench/customers.py, bench/pages.py).

Pages are keyset pages (config.pagination): "the customers after this one", from the
index of the chosen sort, so the last page costs what the first does.

A search is read in one of two ways, chosen by a first query that asks for the ids of at
most FEW + 1 matches, unordered (the trigram indexes find a rare fragment's few matches,
and a common one's first matches are found by reading a few pages of the table):
- at most FEW matches: they are all counted, and the page is sorted from their ids alone;
  walking the name index for them would read past every customer who does not match
  (a fragment found only in surnames late in the alphabet: most of the table).
- more: the list says "more than FEW", and the page walks the sort's index. In name
  order it reads the page's ids from the index alone (the index carries the searched
  columns, so no customer row is read to test the search), then those rows.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection, models, transaction

from config.pagination import KeysetPaginator, Page
from customers.models import Customer
from customers.models.customer import LIST_NAME_SORT

PAGE_SIZE = 50
# Counted exactly up to here; above, the list says "more than 1,000" and asks for a
# narrower search. Keyset pages still reach every match.
FEW = 1_000
# By what the Name column shows ("Surname, First name", or a company's name). Each ends
# in the customer number, which is unique, and has its index (Customer.Meta.indexes).
SORTS = {
    "name": ("list_sort", "first_name", "number"),
    "-name": ("-list_sort", "-first_name", "-number"),
    "number": ("number",),
    "-number": ("-number",),
    "created": ("created", "number"),
    "-created": ("-created", "-number"),
}
NAME_SORTS = ("name", "-name")


@dataclass(frozen=True)
class Listing:
    page: Page
    # How many customers the list holds, up to FEW; `is_capped` when there are more.
    count: int
    is_capped: bool


def _rows() -> models.QuerySet:
    return Customer.objects.for_list().annotate(list_sort=LIST_NAME_SORT)


class _FewMatchesPaginator(KeysetPaginator):
    """Sorts a page out of a few matches given by id, and never walks an index for it.

    PostgreSQL assumes matches spread evenly through an index, so to find 51 of 4,000
    matches among a million customers it would walk the name index; when the matches
    share a surname late in the alphabet, that walk reads most of the index (5 s for
    "mikkel.ras" in bench/customers.py). With index scans off for this one query, the
    matches are fetched by id (a bitmap scan of the primary key) and sorted."""

    def read(self, queryset: models.QuerySet) -> list:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_indexscan', 'off', true),"
                " set_config('enable_indexonlyscan', 'off', true)"
            )
            return super().read(queryset)


class _IdsFirstPaginator(KeysetPaginator):
    """Reads a page's ids in the list's order first (an index-only scan of the name
    index), then the customers with those ids."""

    def read(self, queryset: models.QuerySet) -> list:
        ids = queryset.values("pk")[: self.per_page + 1]
        page = _rows().filter(pk__in=models.Subquery(ids)).order_by(*self.ordering)
        if not queryset.query.standard_ordering:
            page = page.reverse()
        return list(page)


def customer_listing(
    matches: models.QuerySet | None, *, sort: str, query: Mapping[str, str]
) -> Listing:
    """The page of the customer list that `query` (the request's GET) asks for: of
    everyone when `matches` is None, else of the customers in `matches` (a search)."""
    ordering = SORTS[sort]
    if matches is None:
        paginator = KeysetPaginator(_rows(), ordering=ordering, per_page=PAGE_SIZE, count_cap=FEW)
        return Listing(paginator.page_for(query), paginator.count, paginator.is_capped)
    ids = list(matches.order_by().values_list("pk", flat=True)[: FEW + 1])
    if len(ids) <= FEW:
        paginator = _FewMatchesPaginator(
            _rows().filter(pk__in=ids), ordering=ordering, per_page=PAGE_SIZE
        )
        return Listing(paginator.page_for(query), len(ids), is_capped=False)
    matching = matches.annotate(list_sort=LIST_NAME_SORT)
    kind = _IdsFirstPaginator if sort in NAME_SORTS else KeysetPaginator
    paginator = kind(matching, ordering=ordering, per_page=PAGE_SIZE)
    return Listing(paginator.page_for(query), FEW, is_capped=True)
