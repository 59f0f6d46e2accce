"""The customer profile: Information first, tabs from other apps, bounded queries."""

from datetime import date

import pytest

from customers import profile
from customers.models import ExtraField
from tests.factories import CustomerFactory


@pytest.fixture
def client(client_for, receptionist):
    return client_for(receptionist)


@pytest.fixture
def contacts_like_tab(monkeypatch):
    """A tab registered the way the contacts app does, shown only with "Show contacts"."""
    monkeypatch.setattr("customers.profile._tabs", dict(profile._tabs))
    profile.register_tab(
        profile.ProfileTab(
            key="contacts",
            label="Contacts",
            template="customers/tabs/information.html",
            order=20,
            is_shown=lambda request, settings: settings.show_contacts,
        )
    )


def test_information_is_the_first_and_default_tab(client, contacts_like_tab, customer_settings):
    customer_settings(show_contacts=True)
    customer = CustomerFactory(first_name="Anna", last_name="Jensen", city="Vejle")
    content = client.get(f"/customers/{customer.id}/").content.decode()
    assert content.index('href="?tab=information"') < content.index('href="?tab=contacts"')
    assert 'aria-label="Information"' in content
    assert "Vejle" in content


def test_a_registered_tab_appears_only_when_its_setting_is_on(
    client, customer_settings, contacts_like_tab
):
    customer = CustomerFactory()
    customer_settings(show_contacts=True)
    assert 'href="?tab=contacts"' in client.get(f"/customers/{customer.id}/").content.decode()
    customer_settings(show_contacts=False)
    content = client.get(f"/customers/{customer.id}/", {"tab": "contacts"}).content.decode()
    assert 'href="?tab=contacts"' not in content
    assert 'aria-label="Information"' in content  # a hidden tab falls back to Information


def test_profile_shows_age_alert_for_customers_below_the_age(client, customer_settings):
    customer_settings(age_alert_enabled=True, age_alert_age=18)
    child = CustomerFactory(date_of_birth=date.today().replace(year=date.today().year - 10))
    adult = CustomerFactory(date_of_birth=date(1970, 1, 1))
    assert "Younger than 18" in client.get(f"/customers/{child.id}/").content.decode()
    assert "Younger than 18" not in client.get(f"/customers/{adult.id}/").content.decode()


def test_no_age_alert_when_the_setting_is_off(client, customer_settings):
    customer_settings(age_alert_enabled=False)
    child = CustomerFactory(date_of_birth=date.today().replace(year=date.today().year - 10))
    assert "Younger than" not in client.get(f"/customers/{child.id}/").content.decode()


def test_profile_is_not_cached_by_the_browser(client):
    customer = CustomerFactory()
    assert "no-store" in client.get(f"/customers/{customer.id}/")["Cache-Control"]


def test_profile_query_count_is_fixed(client, django_assert_max_num_queries):
    customer = CustomerFactory()
    CustomerFactory.create_batch(20)
    for label in ("Referred by", "Parking permit", "Allergies"):
        ExtraField.objects.create(label=label)
    # session, user, permissions (2), customer with group, settings, primary contact,
    # extra fields
    with django_assert_max_num_queries(8):
        assert client.get(f"/customers/{customer.id}/").status_code == 200


def test_unknown_customer_gives_404(client, db):
    assert client.get("/customers/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_no_age_alert_while_date_of_birth_is_switched_off(client, customer_settings):
    customer_settings(age_alert_enabled=True, age_alert_age=18, date_of_birth_enabled=False)
    child = CustomerFactory(date_of_birth=date.today().replace(year=date.today().year - 10))
    for url in (f"/customers/{child.id}/", "/customers/"):
        content = client.get(url).content.decode()
        assert "age-alert" not in content
        assert "10 yrs" not in content
