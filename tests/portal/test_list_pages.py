"""The portal's long lists (Contacts, Search Contacts, Reports) page from a row (keyset),
a fixed number of queries whatever the page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import Permission
from tests.factories import ContactPersonFactory, ContactPersonPhoneFactory, portal_contact
from tests.pager import pager_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr("portal.views.contacts.CONTACTS_PER_PAGE", 2)
    monkeypatch.setattr("portal.views.pages.RESERVATIONS_PER_PAGE", 2)


@pytest.fixture
def colleagues(portal_customer):
    """Five more contacts of the portal customer, surnames Aa..Ee (the admin is Admin)."""
    persons = []
    for surname in ("Ee", "Bb", "Dd", "Aa", "Cc"):
        person = ContactPersonFactory(customer=portal_customer, first_name="Kim", last_name=surname)
        ContactPersonPhoneFactory.create_batch(2, person=person)
        persons.append(person)
    return persons


def _surnames(content: str) -> list[str]:
    return [name for name in ("Aa", "Bb", "Cc", "Dd", "Ee") if f"Kim {name}" in content]


def test_portal_contacts_page_by_name_in_a_fixed_number_of_queries(
    client_for, portal_admin, colleagues, two_per_page, django_assert_max_num_queries
):
    client = client_for(portal_admin.portal_user)
    first = client.get("/portal/contacts/").content.decode()
    assert _surnames(first) == ["Aa"]  # and the admin, whose surname sorts after "Aa"
    pages = [first]
    while "Next</a>" in pages[-1]:
        with django_assert_max_num_queries(10):
            pages.append(
                client.get("/portal/contacts/" + pager_link(pages[-1], "Next")).content.decode()
            )
    assert [name for page in pages for name in _surnames(page)] == ["Aa", "Bb", "Cc", "Dd", "Ee"]
    # The list is ordered by name, but its links name a row by its id only: no names in URLs.
    assert re.fullmatch(r"\?after=[0-9a-f-]{36}", pager_link(first, "Next"))
    last = client.get("/portal/contacts/" + pager_link(first, "Last")).content.decode()
    assert _surnames(last) == ["Dd", "Ee"]


def test_portal_search_pages_keep_the_search(
    client_for, portal_admin, colleagues, two_per_page, django_assert_max_num_queries
):
    client = client_for(portal_admin.portal_user)
    first = client.get("/portal/contacts/search/", {"q": "kim"}).content.decode()
    assert "5 contacts found." in first
    assert _surnames(first) == ["Aa", "Bb"]
    link = pager_link(first, "Next")
    assert link.startswith("?q=kim&")
    with django_assert_max_num_queries(10):
        second = client.get("/portal/contacts/search/" + link).content.decode()
    assert _surnames(second) == ["Cc", "Dd"]


def test_reports_page_through_past_and_upcoming_reservations_in_their_order(
    client_for, portal_customer, two_per_page, django_assert_max_num_queries
):
    booker = portal_contact(customer=portal_customer, permissions=[Permission.REPORTS])
    now = timezone.now()
    for days in range(1, 6):
        for sign, label in ((1, "Upcoming"), (-1, "Past")):
            portal_customer.reservations.create(
                service=f"{label} {days}", start=now + sign * timedelta(days=days)
            )
    client = client_for(booker.portal_user)
    upcoming = client.get("/portal/reports/").content.decode()
    assert "Upcoming 1" in upcoming and "Upcoming 2" in upcoming
    with django_assert_max_num_queries(10):
        soon = client.get("/portal/reports/" + pager_link(upcoming, "Next")).content.decode()
    assert "Upcoming 3" in soon and "Upcoming 4" in soon and "Upcoming 2" not in soon
    past = client.get("/portal/reports/", {"when": "past"}).content.decode()
    assert "Past 1" in past and "Past 2" in past
    link = pager_link(past, "Last")
    assert "when=past" in link
    with django_assert_max_num_queries(10):
        oldest = client.get("/portal/reports/" + link).content.decode()
    assert "Past 4" in oldest and "Past 5" in oldest and "Past 3" not in oldest
