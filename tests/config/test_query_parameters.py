"""Malformed query parameters never give a server error, on any page.

Every URL pattern of the project (the admin's included) is requested with every query
parameter a view of ours reads, set to values no form would send: a NUL byte, a number too
big for any column, a non-number, unicode, a very long string. Each page must answer with
something a person can read (the page, a redirect, 400, 403 or 404): never 500.

The parameter names are read from the source, so a view that starts reading a new one is
swept without anyone remembering to add it here.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from customers.models import Calendar, ExtraField, Reservation
from portal.models import Permission
from records import services as record_services
from records.models import RecordGroup
from tests.factories import (
    ContactCategoryFactory,
    ContactFactory,
    ContactPersonFactory,
    CustomerFactory,
    DebtorFactory,
    DebtorGroupFactory,
    login_with_second_factor,
    portal_contact,
)

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "config", "contacts", "customers", "debtors", "portal", "privacy", "records")
READ = re.compile(r"""\.GET(?:\.get|\.getlist)?\(\s*["'](\w+)["']|\.GET\[\s*["'](\w+)["']\s*\]""")
# Query strings the admin's change lists read (search, ordering, paging, filters).
ADMIN_PARAMETERS = ("q", "o", "p", "e", "all", "_changelist_filters", "_to_field", "_popup")

BAD_VALUES = {
    "nul": "abc\x00def",
    "huge_number": "9" * 40,
    "negative": "-1",
    "not_a_number": "abc",
    "unicode": "Jørgen ✓ 𝒳 \u202e",
    "long": "x" * 10_000,
}


def parameter_names() -> list[str]:
    """Every name our views read from request.GET, plus the fields of forms bound to it."""
    names = set(ADMIN_PARAMETERS)
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for match in READ.finditer(path.read_text()):
                names.add(match.group(1) or match.group(2))
    from config.pagination import PARAMETERS
    from debtors.forms import DebtorFilterForm

    names.update(DebtorFilterForm.base_fields)
    # Keyset lists read their page from request.GET through config.pagination.
    names.update(PARAMETERS)
    return sorted(names)


def url_patterns() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern; of the admin's, the change lists and change
    pages (the pages that read query strings)."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                name = pattern.name or ""
                if prefix.startswith("admin/") and not name.endswith(("_changelist", "_change")):
                    continue
                found.append((prefix + str(pattern.pattern), name))

    walk(get_resolver().url_patterns, "")
    return found


def test_the_sweep_reads_the_parameters_our_views_use():
    # If the source scan broke, every page would be swept with no parameter at all.
    expected = {"q", "page", "after", "before", "group", "customer", "record", "tab", "next"}
    assert expected <= set(parameter_names())


@pytest.fixture
def objects(administrator, therapist):
    """One of everything a URL can name."""
    customer = CustomerFactory(first_name="Ida", last_name="Holm")
    record = record_services.record_create(customer=customer, title="Knee", by=therapist)
    entry = record_services.entry_create(record=record, title="First", body="Notes.", by=therapist)
    category = ContactCategoryFactory()
    contact = ContactFactory(category=category)
    calendar = Calendar.objects.create(name="Room 1", therapist=therapist)
    portal_person = portal_contact(customer=customer, permissions=[Permission.ADMIN])
    return {
        "customer_id": customer.pk,
        "record_id": record.pk,
        "entry_id": entry.pk,
        "category_id": category.pk,
        "contact_id": contact.pk,
        "person_id": ContactPersonFactory(customer=customer).pk,
        "debtor_id": DebtorFactory().pk,
        "calendar_id": calendar.pk,
        "field_id": ExtraField.objects.create(label="Allergies").pk,
        "reservation_id": Reservation.objects.create(
            customer=customer,
            calendar=calendar,
            service="Treatment",
            start=timezone.now() + timedelta(days=1),
        ).pk,
        "record_group_id": RecordGroup.objects.create(name="Note").pk,
        "debtor_group_id": DebtorGroupFactory().pk,
        "portal_user": portal_person.portal_user,
        "customer": customer,
    }


def _fill(route: str, name: str, objects: dict) -> str:
    """The route with each of its parameters replaced by an object's id."""

    def value(match: re.Match) -> str:
        kwarg = match.group("name")
        if kwarg == "group_id":
            kwarg = "record_group_id" if route.startswith("records/") else "debtor_group_id"
        if kwarg == "object_id":
            return str(objects["customer"].pk)
        return str(objects.get(kwarg, "1"))

    return "/" + re.sub(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>", value, route)


@pytest.mark.parametrize(("route", "name"), url_patterns(), ids=lambda item: str(item))
def test_malformed_query_parameters_never_give_a_server_error(
    client, administrator, objects, route, name
):
    path = _fill(route, name, objects)
    if path.startswith("/portal/"):
        client.force_login(objects["portal_user"])
    else:
        login_with_second_factor(client, administrator)
    names = parameter_names()
    failures = {}
    for kind, value in BAD_VALUES.items():
        response = client.get(f"{path}?{urlencode(dict.fromkeys(names, value))}")
        if response.status_code >= 500:
            failures[kind] = response.status_code
    assert failures == {}, path


def test_a_nul_character_in_the_address_gets_a_readable_400(client_for, administrator):
    response = client_for(administrator).get("/customers/?q=ab%00c")
    assert response.status_code == 400
    assert "The address cannot be used" in response.text
