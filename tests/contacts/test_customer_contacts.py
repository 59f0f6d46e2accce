"""A customer's Contacts tab: shown with "Show contacts", choose by searching, remove."""

import pytest
from django.test import Client

from contacts.models import Contact, CustomerContact
from tests.factories import ContactFactory, CustomerContactFactory, CustomerFactory


@pytest.fixture
def client(client_for, receptionist):
    return client_for(receptionist)


@pytest.fixture
def contacts_on(customer_settings):
    return customer_settings(show_contacts=True)


def test_contacts_tab_is_shown_only_when_show_contacts_is_on(client, customer_settings):
    customer = CustomerFactory()
    customer_settings(show_contacts=True)
    assert 'href="?tab=contacts"' in client.get(f"/customers/{customer.id}/").content.decode()
    customer_settings(show_contacts=False)
    assert 'href="?tab=contacts"' not in client.get(f"/customers/{customer.id}/").content.decode()


def test_actions_are_refused_when_show_contacts_is_off(client, customer_settings):
    customer = CustomerFactory()
    contact = ContactFactory()
    customer_settings(show_contacts=False)
    url = f"/contacts/customer/{customer.id}/choose/"
    assert client.post(url, {"contact": contact.pk}).status_code == 404
    assert not CustomerContact.objects.exists()


def test_chosen_contacts_are_grouped_by_category(client, contacts_on):
    customer = CustomerFactory()
    CustomerContactFactory(customer=customer, contact__category__name="Insurers")
    CustomerContactFactory(customer=customer, contact__category__name="Doctors")
    content = client.get(f"/customers/{customer.id}/", {"tab": "contacts"}).content.decode()
    assert content.index(">Doctors<") < content.index(">Insurers<")


def test_search_offers_matching_contacts_not_yet_chosen(client, contacts_on):
    customer = CustomerFactory()
    ContactFactory(first_name="Ane", last_name="Jensen", description="GP")
    # Named in full: a random first name such as "Jennifer" is a near match for "jens".
    ContactFactory(first_name="Ole", last_name="Hansen", description="Dermatologist")
    chosen = ContactFactory(first_name="Bo", last_name="Jensen-Berg")
    CustomerContactFactory(customer=customer, contact=chosen)
    content = client.get(
        f"/contacts/customer/{customer.id}/choose/", {"q": "jens"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'Choose<span class="visually-hidden"> Ane Jensen</span>' in content
    assert "Hansen" not in content
    assert 'Choose<span class="visually-hidden"> Bo Jensen-Berg' not in content


def test_search_says_a_contact_is_already_chosen_rather_than_no_match(client, contacts_on):
    customer = CustomerFactory(first_name="Karen", last_name="Blom")
    krogh = ContactFactory(first_name="Ole", last_name="Krogh")
    CustomerContactFactory(customer=customer, contact=krogh)
    content = client.get(
        f"/contacts/customer/{customer.id}/choose/", {"q": "krogh"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "No contact matches" not in content
    assert "Ole Krogh" in content
    assert "Already among Karen Blom's contacts" in content
    assert f'name="contact" value="{krogh.pk}"' not in content


def test_choosing_puts_the_contact_on_the_profile(client, contacts_on):
    customer, contact = CustomerFactory(), ContactFactory(first_name="Ida", last_name="Holm")
    response = client.post(
        f"/contacts/customer/{customer.id}/choose/", {"contact": contact.pk}, follow=True
    )
    assert "Ida Holm added to" in response.content.decode()
    assert CustomerContact.objects.filter(customer=customer, contact=contact).exists()


@pytest.mark.parametrize("posted", ["abc", "99999"])
def test_choosing_a_bogus_contact_gives_a_message(client, contacts_on, posted):
    customer = CustomerFactory()
    response = client.post(
        f"/contacts/customer/{customer.id}/choose/", {"contact": posted}, follow=True
    )
    assert "That contact no longer exists." in response.content.decode()


def test_remove_asks_first_and_keeps_the_directory_contact(client, contacts_on):
    link = CustomerContactFactory()
    url = f"/contacts/customer/{link.customer_id}/remove/{link.contact_id}/"
    assert "stays in the directory" in client.get(url).content.decode()
    assert CustomerContact.objects.exists()
    client.post(url)
    assert not CustomerContact.objects.exists()
    assert Contact.objects.exists()


def test_another_customers_link_cannot_be_removed_through_this_customer(client, contacts_on):
    link = CustomerContactFactory()
    other = CustomerFactory()
    url = f"/contacts/customer/{other.id}/remove/{link.contact_id}/"
    assert client.post(url).status_code == 404
    assert CustomerContact.objects.exists()


def test_contacts_tab_query_count_does_not_grow_with_its_contacts(
    client, contacts_on, django_assert_max_num_queries
):
    customer = CustomerFactory()
    for _ in range(15):
        CustomerContactFactory(customer=customer)
    # session, user, permissions (2), customer, settings, primary contact, links with
    # contacts and categories
    with django_assert_max_num_queries(8):
        response = client.get(f"/customers/{customer.id}/", {"tab": "contacts"})
    assert response.status_code == 200


def test_deleting_a_customer_warns_about_chosen_contacts(client_for, administrator, contacts_on):
    link = CustomerContactFactory()
    content = client_for(administrator).get(f"/customers/{link.customer_id}/delete/").content
    assert "the choice of 1 directory contact (the contact stays" in content.decode()


def _type_ahead(client, customer, text: str):
    return client.get(
        f"/contacts/customer/{customer.id}/choose/", {"q": text}, headers={"HX-Request": "true"}
    )


@pytest.mark.parametrize("text", ["je", "jens", "pedrsen", "jens pedrsen"])
def test_type_ahead_reads_session_user_customer_and_one_search(
    client, contacts_on, django_assert_max_num_queries, text
):
    """Per keystroke: the session row, the user with their permissions (one query,
    accounts.backends), the customer, and the search's tiers as one query. The settings
    row comes from the cache."""
    customer = CustomerFactory()
    ContactFactory(first_name="Jens", last_name="Pedersen", email="jens@example.dk")
    _type_ahead(client, customer, "warm")  # the settings into the cache
    with django_assert_max_num_queries(4):
        assert "Jens Pedersen" in _type_ahead(client, customer, text).content.decode()


@pytest.mark.parametrize("text", ["je", "pedrsen"])
def test_type_ahead_with_a_shared_cache_is_three_queries(
    settings, receptionist, contacts_on, django_assert_max_num_queries, text
):
    """With Redis or memcached (accounts.cached_sessions), the session comes from the cache:
    user, customer, search."""
    settings.SESSION_ENGINE = "accounts.cached_sessions"
    client = Client()
    client.force_login(receptionist)
    customer = CustomerFactory()
    ContactFactory(first_name="Jens", last_name="Pedersen", email="jens@example.dk")
    _type_ahead(client, customer, "warm")
    with django_assert_max_num_queries(3):
        assert "Jens Pedersen" in _type_ahead(client, customer, text).content.decode()
