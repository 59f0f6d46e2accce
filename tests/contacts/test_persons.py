"""A customer's contact persons: the Persons tab, the form's rules, primary contact."""

import re

import pytest
from django.contrib.auth import get_user_model

from contacts import services
from contacts.forms import ContactPersonForm
from contacts.models import ContactPerson, ContactPersonPhone
from customers.models import Customer
from tests.contacts.person_data import person_form_data as _post
from tests.customers.concurrency import run_at_once
from tests.factories import (
    ContactPersonFactory,
    ContactPersonPhoneFactory,
    CustomerFactory,
    PortalUserFactory,
)
from tests.pager import pager_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client_for, receptionist):
    return client_for(receptionist)


def _create(client, customer, **data):
    return client.post(f"/contacts/customer/{customer.id}/persons/new/", _post(**data))


def test_a_person_is_added_with_typed_phone_numbers_stored_e164(client):
    customer = CustomerFactory()
    response = _create(
        client,
        customer,
        phones=[("mobile", "DK", "20 30 40 50"), ("office", "SE", "08-123 456 78")],
    )
    assert response.status_code == 302
    person = ContactPerson.objects.get()
    assert person.customer == customer
    numbers = {(phone.kind, str(phone.number)) for phone in person.phones.all()}
    assert numbers == {("mobile", "+4520304050"), ("office", "+46812345678")}


def test_surname_is_required(client):
    response = _create(client, CustomerFactory(), last_name="")
    assert "This field is required." in response.content.decode()
    assert not ContactPerson.objects.exists()


def test_an_email_or_a_phone_number_is_required(client):
    response = _create(client, CustomerFactory(), email="")
    assert "Enter an email address or at least one phone number." in response.content.decode()
    assert not ContactPerson.objects.exists()


def test_every_error_shows_at_once_each_at_its_field(client):
    response = _create(client, CustomerFactory(), last_name="", email="")
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["last_name"]] == ["required"]
    assert [error.code for error in errors["email"]] == ["email_or_phone"]
    assert "__all__" not in errors
    assert not ContactPerson.objects.exists()


def test_an_invalid_number_is_reported_at_the_number_not_as_missing(client):
    response = _create(client, CustomerFactory(), email="", phones=[("mobile", "DK", "12")])
    form = response.context["form"]
    assert "email" not in form.errors
    assert form.phones.forms[0].errors["number"]


def test_a_phone_number_alone_is_enough(client):
    _create(client, CustomerFactory(), email="", phones=[("home", "DK", "86123456")])
    assert ContactPerson.objects.get().phones.get().kind == "home"


@pytest.mark.parametrize(
    ("country", "number"),
    [("DK", "1234"), ("DK", "+46 8 123"), ("SE", "12"), ("DK", "not a number")],
)
def test_a_phone_number_must_be_valid_for_its_country(client, country, number):
    response = _create(client, CustomerFactory(), phones=[("mobile", country, number)])
    assert "Enter a valid phone number" in response.content.decode()
    assert not ContactPerson.objects.exists()


def test_the_same_number_twice_is_refused(client):
    phones = [("mobile", "DK", "20304050"), ("office", "DK", "+45 20 30 40 50")]
    response = _create(client, CustomerFactory(), phones=phones)
    assert "This number is already listed above." in response.content.decode()
    assert not ContactPersonPhone.objects.exists()


def test_without_script_a_newly_filled_field_ticks_its_preference_once(client, customer_settings):
    customer_settings(sms_enabled=True)
    _create(
        client,
        CustomerFactory(),
        phones=[("mobile", "DK", "20304050")],
        address="Vestergade 1",
    )
    person = ContactPerson.objects.get()
    assert (person.prefers_email, person.prefers_sms, person.prefers_letter) == (True, True, True)
    # Unticked later, with the fields unchanged: the choice stands.
    data = _post(email=person.email, address="Vestergade 1")
    data |= {"phones-TOTAL_FORMS": "0"}
    client.post(f"/contacts/persons/{person.pk}/edit/", data)
    person.refresh_from_db()
    assert (person.prefers_email, person.prefers_letter) == (False, False)


def test_with_script_the_posted_preferences_are_kept_as_they_are(client):
    _create(client, CustomerFactory(), preferences_scripted="on", address="Vestergade 1")
    person = ContactPerson.objects.get()
    assert (person.prefers_email, person.prefers_letter) == (False, False)


def test_sms_preference_is_hidden_and_refused_when_sms_is_off(client, customer_settings):
    customer_settings(sms_enabled=False)
    customer = CustomerFactory()
    page = client.get(f"/contacts/customer/{customer.id}/persons/new/").content.decode()
    assert "prefers_sms" not in page
    _create(client, customer, phones=[("mobile", "DK", "20304050")], prefers_sms="on")
    assert ContactPerson.objects.get().prefers_sms is False


def test_sms_preference_is_offered_when_sms_is_on(client, customer_settings):
    customer_settings(sms_enabled=True)
    page = client.get(f"/contacts/customer/{CustomerFactory().id}/persons/new/").content.decode()
    assert 'name="prefers_sms"' in page


def test_every_preference_change_is_recorded_with_who_and_when(client, receptionist):
    _create(client, CustomerFactory(), preferences_scripted="on", prefers_email="on")
    person = ContactPerson.objects.get()
    data = _post(email=person.email, preferences_scripted="on", prefers_letter="on")
    data |= {"phones-TOTAL_FORMS": "0"}
    client.post(f"/contacts/persons/{person.pk}/edit/", data)
    page = client.get(f"/contacts/persons/{person.pk}/").content.decode()
    assert "<strong>Email</strong>:\n              set on when added" in page
    assert "<strong>Email</strong>:\n              on → off" in page
    assert "<strong>Letter</strong>:\n              off → on" in page
    assert page.count(f"· {receptionist.get_full_name()}<") == 3


def test_a_change_made_outside_any_form_is_recorded_too(transactional_db, client):
    person = ContactPersonFactory()
    ContactPerson.objects.filter(pk=person.pk).update(prefers_sms=True)  # e.g. a script
    page = client.get(f"/contacts/persons/{person.pk}/").content.decode()
    assert "<strong>SMS</strong>:\n              off → on" in page
    assert "the system (no signed-in user)" in page


def test_an_edit_shows_everywhere_at_once(client):
    person = ContactPersonFactory(first_name="Ida", last_name="Holm")
    services.contact_person_set_primary(person=person)
    data = _post(last_name="Berg", email=person.email) | {"phones-TOTAL_FORMS": "0"}
    client.post(f"/contacts/persons/{person.pk}/edit/", data)
    page = client.get(f"/customers/{person.customer_id}/", {"tab": "persons"}).content.decode()
    assert "Ida Berg" in page
    assert "Ida Holm" not in page  # (the signed-in user's random name may hold "Holm")


def test_primary_contact_needs_the_typed_word(client):
    person = ContactPersonFactory()
    response = client.post(f"/contacts/persons/{person.pk}/primary/", {"confirmation": "yes"})
    assert "Type the word “primary” to confirm." in response.content.decode()
    person.refresh_from_db()
    assert not person.is_primary
    client.post(f"/contacts/persons/{person.pk}/primary/", {"confirmation": " Primary "})
    person.refresh_from_db()
    assert person.is_primary


def test_primary_contact_is_shown_in_the_details_panel_and_gets_the_letters(client):
    customer = CustomerFactory(first_name="Asta", last_name="Berg", address="Skolevej 2")
    person = ContactPersonFactory(
        customer=customer, first_name="Ida", last_name="Berg", address="Parkvej 9", city="Aarhus"
    )
    assert services.letter_addressee(customer).name == "Asta Berg"
    client.post(f"/contacts/persons/{person.pk}/primary/", {"confirmation": "primary"})
    page = client.get(f"/customers/{customer.id}/").content.decode()
    assert "<dt>Primary contact</dt><dd>Ida Berg</dd>" in page
    assert services.letter_addressee(customer) == services.Addressee(
        "Ida Berg", ["Parkvej 9", "Aarhus"]
    )


def test_a_new_primary_replaces_the_old_one(client):
    customer = CustomerFactory()
    first, second = ContactPersonFactory.create_batch(2, customer=customer)
    services.contact_person_set_primary(person=first)
    client.post(f"/contacts/persons/{second.pk}/primary/", {"confirmation": "primary"})
    assert list(customer.contact_persons.filter(is_primary=True)) == [second]


def test_business_customers_have_no_primary_action_and_the_server_refuses_it(client):
    customer = CustomerFactory(kind=Customer.Kind.BUSINESS, company_name="Acme", first_name="")
    person = ContactPersonFactory(customer=customer)
    tab = client.get(f"/customers/{customer.id}/", {"tab": "persons"}).content.decode()
    assert "Set as primary contact" not in tab
    client.post(f"/contacts/persons/{person.pk}/primary/", {"confirmation": "primary"})
    person.refresh_from_db()
    assert not person.is_primary
    with pytest.raises(services.PrimaryNotAllowed):
        services.contact_person_set_primary(person=person)


def test_one_primary_per_customer_even_when_two_are_set_at_once(transactional_db):
    customer = CustomerFactory()
    persons = ContactPersonFactory.create_batch(2, customer=customer)
    run_at_once(lambda person: services.contact_person_set_primary(person=person), persons)
    assert customer.contact_persons.filter(is_primary=True).count() == 1


def test_database_refuses_two_primaries_for_one_customer():
    from django.db import IntegrityError

    customer = CustomerFactory()
    ContactPersonFactory(customer=customer).__class__.objects.filter(customer=customer).update(
        is_primary=True
    )
    with pytest.raises(IntegrityError):
        ContactPerson.objects.filter(pk=ContactPersonFactory(customer=customer).pk).update(
            is_primary=True
        )


def test_delete_asks_first_and_the_portal_login_goes_with_the_person(client):
    person = ContactPersonFactory(portal_user=PortalUserFactory())
    warning = client.get(f"/contacts/persons/{person.pk}/delete/").content.decode()
    assert "has customer portal access and loses it" in warning
    assert ContactPerson.objects.exists()
    client.post(f"/contacts/persons/{person.pk}/delete/")
    assert not ContactPerson.objects.exists()
    assert not get_user_model().objects.filter(pk=person.portal_user_id).exists()


def test_deleting_the_customer_takes_the_portal_logins_too():
    person = ContactPersonFactory(portal_user=PortalUserFactory())
    Customer.objects.filter(pk=person.customer_id).delete()
    assert not get_user_model().objects.filter(pk=person.portal_user_id).exists()


def test_persons_tab_searches_by_name_and_filters_by_status(client):
    customer = CustomerFactory()
    ContactPersonFactory(customer=customer, first_name="Ida", last_name="Holm")
    ContactPersonFactory(customer=customer, first_name="Bo", last_name="Lund", is_active=False)
    url = f"/customers/{customer.id}/"
    by_name = client.get(url, {"tab": "persons", "q": "ida h"}).content.decode()
    assert "Ida Holm" in by_name and "Bo Lund" not in by_name
    inactive = client.get(url, {"tab": "persons", "status": "inactive"}).content.decode()
    assert "Bo Lund" in inactive and "Ida Holm" not in inactive


def test_persons_tab_query_count_does_not_grow_with_its_persons(
    client, django_assert_max_num_queries
):
    customer = CustomerFactory()
    for person in ContactPersonFactory.create_batch(20, customer=customer):
        ContactPersonPhoneFactory.create_batch(2, person=person)
    with django_assert_max_num_queries(12):
        response = client.get(f"/customers/{customer.id}/", {"tab": "persons"})
    assert response.content.decode().count('data-bs-toggle="dropdown"') == 20


def test_staff_without_permission_cannot_see_or_change_persons(client_for, nobody):
    person = ContactPersonFactory()
    client = client_for(nobody)
    assert client.get(f"/contacts/persons/{person.pk}/").status_code == 403
    assert client.post(f"/contacts/persons/{person.pk}/delete/").status_code == 403
    assert ContactPerson.objects.exists()


def test_the_form_alone_refuses_a_person_without_email_or_phone():
    form = ContactPersonForm(
        _post(email=""), instance=ContactPerson(customer=CustomerFactory()), sms_enabled=True
    )
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["email"]] == ["email_or_phone"]


def test_deleting_a_customer_warns_about_persons_and_portal_logins(client_for, administrator):
    customer = CustomerFactory()
    ContactPersonFactory(customer=customer, portal_user=PortalUserFactory())
    ContactPersonFactory(customer=customer)
    warning = client_for(administrator).get(f"/customers/{customer.id}/delete/").content.decode()
    assert "2 contact persons" in warning
    assert "1 customer portal login of those persons" in warning


def test_without_script_a_mobile_number_already_saved_does_not_tick_sms_again(
    client, customer_settings
):
    customer_settings(sms_enabled=True)
    phone = ContactPersonPhoneFactory(number="+4520304050", person__prefers_sms=False)
    person = phone.person
    data = _post(email=person.email, phones=[("mobile", "DK", "20304050")])
    data |= {"phones-INITIAL_FORMS": "1", "phones-0-id": str(phone.pk)}
    response = client.post(f"/contacts/persons/{person.pk}/edit/", data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.prefers_sms is False


def test_persons_tab_pages_keep_the_primary_contact_first_and_the_search(
    client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("contacts.tab.PERSONS_PER_PAGE", 2)
    customer = CustomerFactory()
    for surname in ("Dahl", "Berg", "Eng", "Carlsen"):
        ContactPersonFactory(customer=customer, first_name="Kim", last_name=surname)
    ContactPersonFactory(customer=customer, first_name="Kim", last_name="Vang", is_primary=True)
    url = f"/customers/{customer.id}/"
    shown = []
    page = client.get(url, {"tab": "persons", "q": "kim"}).content.decode()
    while True:
        shown += re.findall(r'">Kim (\w+)</a>', page.split("persons-table", 1)[-1])
        if "Next</a>" not in page:
            break
        link = pager_link(page, "Next")
        assert link.startswith("?tab=persons&q=kim&")
        with django_assert_max_num_queries(12):
            page = client.get(url + link).content.decode()
    assert shown == ["Vang", "Berg", "Carlsen", "Dahl", "Eng"]


def test_persons_tab_shows_each_number_formatted_with_its_type(client):
    person = ContactPersonFactory(last_name="Holm")
    ContactPersonPhoneFactory(person=person, kind="mobile", number="+4520304050")
    ContactPersonPhoneFactory(person=person, kind="office", number="+46812345678")
    ContactPersonFactory(customer=person.customer, last_name="Nielsen", email="n@example.com")
    content = client.get(f"/customers/{person.customer.id}/?tab=persons").content.decode()
    assert "+45 20 30 40 50 <span" in content and ">mobile</span>" in content
    assert "+46 8 123 456 78 <span" in content and ">office</span>" in content
    assert "<td>—</td>" in content  # Nielsen has no number
