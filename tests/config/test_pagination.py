"""Keyset pagination (config.pagination): pages that start at a row, not at an offset."""

from datetime import timedelta

import pytest
from django.db.models.functions import Lower
from django.template.loader import render_to_string

from config.pagination import KeysetPaginator
from contacts.models import Contact
from tests.factories import ContactCategoryFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return ContactCategoryFactory(name="Doctors")


def _contacts(category, count: int) -> list[Contact]:
    return [ContactFactory(category=category, last_name=f"Name {n:02}") for n in range(count)]


def _paginator(category, per_page=3, **options) -> KeysetPaginator:
    return KeysetPaginator(
        category.contacts.all(), ordering=("created", "id"), per_page=per_page, **options
    )


def _names(page) -> list[str]:
    return [contact.last_name for contact in page]


def _backdate(contact: Contact, days: int) -> None:
    """A row that sorts before the others, as if it had been there all along."""
    Contact.objects.filter(pk=contact.pk).update(created=contact.created - timedelta(days=days))


def test_next_and_previous_walk_the_whole_list_in_full_pages(category):
    _contacts(category, 7)
    paginator = _paginator(category)
    first = paginator.page_for({})
    assert _names(first) == ["Name 00", "Name 01", "Name 02"]
    assert (first.has_previous, first.has_next) == (False, True)
    second = paginator.page_for({"after": first.next_cursor})
    assert _names(second) == ["Name 03", "Name 04", "Name 05"]
    third = paginator.page_for({"after": second.next_cursor})
    assert _names(third) == ["Name 06"]
    assert (third.has_previous, third.has_next) == (True, False)
    back = paginator.page_for({"before": third.previous_cursor})
    assert _names(back) == ["Name 03", "Name 04", "Name 05"]
    # Fewer than a page before it: the first page, full, rather than a short one.
    assert _names(paginator.page_for({"before": back.previous_cursor})) == _names(first)


def test_next_shows_the_rows_after_the_last_one_seen_when_rows_are_inserted_before_it(
    category,
):
    _contacts(category, 6)
    paginator = _paginator(category)
    first = paginator.page_for({})
    for n in range(2):
        _backdate(ContactFactory(category=category, last_name=f"Inserted {n}"), days=1)
    assert _names(paginator.page_for({"after": first.next_cursor})) == [
        "Name 03",
        "Name 04",
        "Name 05",
    ]


def test_previous_shows_the_rows_before_the_first_one_seen_when_rows_are_inserted_after_it(
    category,
):
    _contacts(category, 9)
    paginator = _paginator(category)
    second = paginator.page_for({"after": paginator.page_for({}).next_cursor})
    third = paginator.page_for({"after": second.next_cursor})
    assert _names(third) == ["Name 06", "Name 07", "Name 08"]
    _contacts(category, 2)  # newer: after every row seen
    assert _names(paginator.page_for({"before": third.previous_cursor})) == [
        "Name 03",
        "Name 04",
        "Name 05",
    ]


def test_last_page_shows_the_newest_rows(category):
    _contacts(category, 8)
    page = _paginator(category).page_for({"page": "last"})
    assert _names(page) == ["Name 05", "Name 06", "Name 07"]
    assert (page.has_previous, page.has_next) == (True, False)


def test_next_past_the_end_shows_the_last_page_not_an_empty_one(category):
    contacts = _contacts(category, 5)
    paginator = _paginator(category)
    cursor = paginator.cursor(contacts[-1])
    assert _names(paginator.page_for({"after": cursor})) == ["Name 02", "Name 03", "Name 04"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not a number",
        "12abc",
        "1.5",
        "99999",  # no such row
        str(10**30),  # beyond a bigint
        "1\x00",
        "1" * 2000,
    ],
)
def test_a_tampered_cursor_shows_the_first_page(category, cursor):
    _contacts(category, 5)
    paginator = _paginator(category)
    for parameter in ("after", "before"):
        page = paginator.page_for({parameter: cursor})
        assert _names(page) == ["Name 00", "Name 01", "Name 02"]


def test_a_cursor_of_a_row_from_another_list_shows_the_first_page(category):
    _contacts(category, 5)
    stranger = ContactFactory(last_name="Elsewhere")
    paginator = _paginator(category)
    page = paginator.page_for({"after": paginator.cursor(stranger)})
    assert _names(page) == ["Name 00", "Name 01", "Name 02"]


def test_a_cursor_names_the_row_only_never_the_values_the_list_is_ordered_by(category):
    """Lists ordered by name would otherwise put names into URLs and access logs."""
    contacts = _contacts(category, 5)
    paginator = KeysetPaginator(category.contacts.all(), ordering=("last_name", "id"), per_page=3)
    page = paginator.page_for({})
    assert page.next_cursor == str(contacts[2].pk)
    assert _names(paginator.page_for({"after": page.next_cursor})) == ["Name 03", "Name 04"]


def test_mixed_directions_page_in_the_lists_order(category):
    for n in range(7):
        ContactFactory(category=category, last_name=f"Name {n % 3}")
    ordering = ("-last_name", "id")
    expected = list(category.contacts.order_by(*ordering))
    paginator = KeysetPaginator(category.contacts.all(), ordering=ordering, per_page=3)
    seen, page = [], paginator.page_for({})
    while True:
        seen += list(page)
        if not page.has_next:
            break
        page = paginator.page_for({"after": page.next_cursor})
    assert seen == expected
    back = paginator.page_for({"before": paginator.cursor(expected[6])})
    assert list(back) == expected[3:6]


def test_the_count_stops_at_its_cap(category):
    _contacts(category, 5)
    capped = _paginator(category, count_cap=3)
    assert (capped.count, capped.is_capped) == (3, True)
    full = _paginator(category, count_cap=5)
    assert (full.count, full.is_capped) == (5, False)


def test_a_deep_page_is_one_query(category, django_assert_num_queries):
    contacts = _contacts(category, 10)
    paginator = _paginator(category)
    cursor = paginator.cursor(contacts[5])
    with django_assert_num_queries(1):
        assert _names(paginator.page_for({"after": cursor})) == ["Name 06", "Name 07", "Name 08"]


def test_pager_links_keep_the_search_and_drop_the_old_cursor(category, rf):
    _contacts(category, 7)
    paginator = _paginator(category)
    second = paginator.page_for({"after": paginator.page_for({}).next_cursor})
    request = rf.get("/", {"q": "holm", "after": "old", "page": "2"})
    html = render_to_string("components/keyset_pager.html", {"page": second}, request=request)
    assert f'href="?q=holm&amp;before={second.previous_cursor}"' in html
    assert f'href="?q=holm&amp;after={second.next_cursor}"' in html
    assert 'href="?q=holm&amp;page=last"' in html
    assert 'href="?q=holm">First' in html


def test_an_annotation_can_be_a_key_of_the_order(category):
    """As the customer list's name order is an expression (LIST_NAME_SORT), not a column."""
    for name in ("delta", "Alpha", "charlie", "Bravo"):
        ContactFactory(category=category, last_name=name)
    contacts = category.contacts.annotate(name_order=Lower("last_name"))
    paginator = KeysetPaginator(contacts, ordering=("name_order", "id"), per_page=2)
    first = paginator.page_for({})
    assert _names(first) == ["Alpha", "Bravo"]
    assert _names(paginator.page_for({"after": first.next_cursor})) == ["charlie", "delta"]
    last = paginator.page_for({"page": "last"})
    assert _names(paginator.page_for({"before": last.previous_cursor})) == ["Alpha", "Bravo"]


def test_without_an_ordering_the_querysets_own_order_is_kept_and_may_open_on_the_last_page(
    category,
):
    """As the Record tab keeps its order in in_journal_order, and opens on the newest
    entries when they are shown at the bottom."""
    _contacts(category, 5)
    contacts = category.contacts.order_by("-created", "-id")
    paginator = KeysetPaginator(contacts, per_page=2, opens_on_last=True)
    assert _names(paginator.page_for({})) == ["Name 01", "Name 00"]
    assert _names(paginator.page_for({"page": "first"})) == ["Name 04", "Name 03"]
    with pytest.raises(ValueError):
        KeysetPaginator(category.contacts.all(), per_page=2)  # Meta's order is not a keyset
