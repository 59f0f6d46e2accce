""" "Show contacts" off (Back-end › Customer): the directory is hidden and refused, every page.

The setting switches on the contact directory (shared/seeds/001_*: "activate the use of
contacts ... See Contacts"); a customer's own contact persons do not depend on it.
"""

import pytest
from django.urls import URLPattern, reverse

from contacts import urls as contact_urls
from tests.factories import CustomerContactFactory, CustomerFactory

# The customer's own contact persons: not part of the directory, shown whatever the setting.
PERSON_PAGES = {"person_create", "person", "person_edit", "person_delete", "person_primary"}
DIRECTORY_PAGES = sorted(
    pattern.name
    for pattern in contact_urls.urlpatterns
    if isinstance(pattern, URLPattern) and pattern.name not in PERSON_PAGES
)


@pytest.fixture
def contacts_off(customer_settings):
    return customer_settings(show_contacts=False)


def _url(name: str, link) -> str:
    arguments = {
        "category_id": link.contact.category_id,
        "contact_id": link.contact_id,
        "customer_id": link.customer_id,
    }
    pattern = next(p for p in contact_urls.urlpatterns if p.name == name)
    wanted = {key: value for key, value in arguments.items() if key in pattern.pattern.converters}
    return reverse(f"contacts:{name}", kwargs=wanted)


def test_the_sweep_covers_every_directory_page():
    # A new page of the directory is swept by the next test without being listed here.
    assert len(DIRECTORY_PAGES) == 14


@pytest.mark.parametrize("name", DIRECTORY_PAGES)
def test_every_directory_page_is_404_when_show_contacts_is_off(
    client_for, administrator, contacts_off, name
):
    link = CustomerContactFactory()
    client = client_for(administrator)
    url = _url(name, link)
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"name": "New", "last_name": "X", "contact": link.contact_id}).status_code
        == 404
    )
    assert link.contact.category.contacts.count() == 1


def test_the_menu_hides_contacts_when_show_contacts_is_off(
    client_for, receptionist, customer_settings
):
    client = client_for(receptionist)
    customer_settings(show_contacts=True)
    assert 'href="/contacts/"' in client.get("/customers/").content.decode()
    customer_settings(show_contacts=False)
    assert 'href="/contacts/"' not in client.get("/customers/").content.decode()


def test_the_contacts_tab_asked_for_by_address_shows_nothing_when_off(
    client_for, receptionist, contacts_off
):
    customer = CustomerFactory()
    CustomerContactFactory(customer=customer, contact__last_name="Krogh")
    content = client_for(receptionist).get(f"/customers/{customer.id}/", {"tab": "contacts"})
    text = content.content.decode()
    assert "Krogh" not in text
    assert "Choose a contact for" not in text
    assert 'href="?tab=contacts"' not in text


def test_contact_persons_stay_when_show_contacts_is_off(client_for, receptionist, contacts_off):
    customer = CustomerFactory()
    client = client_for(receptionist)
    assert 'href="?tab=persons"' in client.get(f"/customers/{customer.id}/").content.decode()
    assert client.get(f"/contacts/customer/{customer.id}/persons/new/").status_code == 200
