"""A category's contact list, a page at a time from a row (keyset), on its own index."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact
from tests.factories import ContactCategoryFactory, ContactFactory, CustomerContactFactory
from tests.pager import pager_link


@pytest.fixture
def client(client_for, receptionist):
    return client_for(receptionist)


@pytest.fixture
def three_per_page(monkeypatch):
    monkeypatch.setattr("contacts.views.directory.CONTACTS_PER_PAGE", 3)


@pytest.fixture
def category(db):
    return ContactCategoryFactory(name="Doctors")


def _contacts(category, count: int, start: int = 0) -> list[Contact]:
    return [
        ContactFactory(category=category, first_name="Dr", last_name=f"Name{n:02}")
        for n in range(start, start + count)
    ]


def _names(content: str) -> list[str]:
    """The contacts shown, in order (each name is also in its Edit button's label)."""
    return list(dict.fromkeys(re.findall(r"Dr (Name\d\d)", content)))


def _url(category) -> str:
    return f"/contacts/categories/{category.pk}/"


def test_next_shows_the_contacts_after_the_last_one_seen_despite_inserts_before_it(
    client, category, three_per_page
):
    _contacts(category, 7)
    first = client.get(_url(category)).content.decode()
    assert _names(first) == ["Name00", "Name01", "Name02"]
    inserted = ContactFactory(category=category, first_name="Dr", last_name="Name99")
    Contact.objects.filter(pk=inserted.pk).update(created=inserted.created - timedelta(days=1))
    second = client.get(_url(category) + pager_link(first, "Next")).content.decode()
    assert _names(second) == ["Name03", "Name04", "Name05"]
    back = client.get(_url(category) + pager_link(second, "Previous")).content.decode()
    assert _names(back) == ["Name00", "Name01", "Name02"]
    first_again = client.get(_url(category) + pager_link(back, "Previous")).content.decode()
    assert _names(first_again) == ["Name99", "Name00", "Name01"]


def test_previous_shows_the_contacts_before_the_first_one_seen_despite_new_ones(
    client, category, three_per_page
):
    _contacts(category, 9)
    last = client.get(_url(category), {"page": "last"}).content.decode()
    assert _names(last) == ["Name06", "Name07", "Name08"]
    _contacts(category, 2, start=10)
    before = client.get(_url(category) + pager_link(last, "Previous")).content.decode()
    assert _names(before) == ["Name03", "Name04", "Name05"]


def test_last_shows_the_newest_contacts(client, category, three_per_page):
    _contacts(category, 8)
    first = client.get(_url(category)).content.decode()
    last = client.get(_url(category) + pager_link(first, "Last")).content.decode()
    assert _names(last) == ["Name05", "Name06", "Name07"]
    assert '<span class="page-link">Next</span>' in last


def test_a_tampered_cursor_shows_the_first_page(client, category, three_per_page):
    _contacts(category, 5)
    for query in ({"after": "%%%"}, {"before": "WzEsMl0"}, {"after": "eyJ4IjoxfQ"}):
        response = client.get(_url(category), query)
        assert response.status_code == 200
        assert _names(response.content.decode()) == ["Name00", "Name01", "Name02"]


def _page_plan(client, category, query: dict) -> str:
    """EXPLAIN of the query that reads a page of the category, with sequential scans ruled
    out (a test table is too small for the planner to choose an index on its own)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(category), query).status_code == 200
    [page_query] = [
        q["sql"]
        for q in queries.captured_queries
        if 'ORDER BY "contacts_contact"."created"' in q["sql"]
    ]
    assert "OFFSET" not in page_query
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {page_query}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("where", ["after", "before", "last"])
def test_a_deep_page_reads_the_category_order_index_without_sorting(
    client, category, three_per_page, where
):
    contacts = _contacts(category, 9)
    _contacts(ContactCategoryFactory(name="Insurers"), 3)
    query = {"page": "last"} if where == "last" else {where: contacts[5].pk}
    plan = _page_plan(client, category, query)
    # Forward for "after", backward for "before" and "last": the same index either way.
    assert "using contact_category_created on contacts_contact " in plan
    assert "Sort" not in plan


def test_every_page_of_a_category_costs_the_same_few_queries(
    client, category, three_per_page, django_assert_max_num_queries
):
    for contact in _contacts(category, 10):
        CustomerContactFactory.create_batch(2, contact=contact)
    first = client.get(_url(category)).content.decode()
    for link in ("Next", "Last"):
        with django_assert_max_num_queries(8):
            content = client.get(_url(category) + pager_link(first, link)).content.decode()
        assert content.count("Used on 2 customers") == 3


def test_the_customers_of_a_contact_page_by_name(client, three_per_page, monkeypatch):
    monkeypatch.setattr("contacts.views.directory_contacts.CUSTOMERS_PER_PAGE", 2)
    contact = ContactFactory(last_name="Holm")
    for name in ("Dahl", "Berg", "Eng", "Aagaard", "Carlsen"):
        CustomerContactFactory(
            contact=contact, customer__first_name="Asta", customer__last_name=name
        )
    url = f"/contacts/{contact.pk}/customers/"
    first = client.get(url).content.decode()
    assert "5 customers have" in first
    assert re.findall(r"Asta (\w+)</a>", first) == ["Aagaard", "Berg"]
    second = client.get(url + pager_link(first, "Next")).content.decode()
    assert re.findall(r"Asta (\w+)</a>", second) == ["Carlsen", "Dahl"]
    last = client.get(url + pager_link(first, "Last")).content.decode()
    assert re.findall(r"Asta (\w+)</a>", last) == ["Dahl", "Eng"]
