"""Creating and editing customers: the settings decide which fields exist, on the page and
on the server; names, phone numbers and concurrent edits are checked."""

from datetime import date

import pytest

from customers.models import Customer
from tests.factories import CustomerFactory, CustomerGroupFactory

CREATE_URL = "/customers/new/"


def _edit_url(customer):
    return f"/customers/{customer.id}/edit/"


def _form_data(customer=None, **changes):
    data = {
        "kind": "private",
        "first_name": "Anna",
        "last_name": "Jensen",
        "email": "anna@example.com",
        "phone": "20 12 34 56",
    }
    if customer is not None:
        data |= {
            "kind": customer.kind,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "company_name": customer.company_name,
            "email": customer.email,
            "phone": str(customer.phone or ""),
            "version": customer.version,
        }
    return data | changes


@pytest.fixture
def client(client_for, receptionist):
    return client_for(receptionist)


# The optional fields: (form field, setting, value to post, value on the model)
OPTIONAL = [
    ("date_of_birth", "date_of_birth_enabled", "2001-02-03", date(2001, 2, 3)),
    ("gender", "gender_enabled", "female", "female"),
]


@pytest.mark.parametrize(("field", "setting", "posted", "stored"), OPTIONAL)
def test_optional_field_is_shown_and_saved_when_its_setting_is_on(
    client, customer_settings, field, setting, posted, stored
):
    customer_settings(**{setting: True})
    assert f'name="{field}"' in client.get(CREATE_URL).content.decode()
    client.post(CREATE_URL, _form_data(**{field: posted}))
    assert getattr(Customer.objects.get(), field) == stored


@pytest.mark.parametrize(("field", "setting", "posted", "stored"), OPTIONAL)
def test_optional_field_is_hidden_and_ignored_when_its_setting_is_off(
    client, customer_settings, field, setting, posted, stored
):
    customer_settings(**{setting: False})
    assert f'name="{field}"' not in client.get(CREATE_URL).content.decode()
    client.post(CREATE_URL, _form_data(**{field: posted}))
    assert getattr(Customer.objects.get(), field) in (None, "")


@pytest.mark.parametrize(("field", "setting", "posted", "stored"), OPTIONAL)
def test_stored_value_survives_an_edit_while_its_setting_is_off(
    client, customer_settings, field, setting, posted, stored
):
    customer = CustomerFactory(**{field: stored})
    customer_settings(**{setting: False})
    other = "1999-09-09" if field == "date_of_birth" else "male"
    client.post(_edit_url(customer), _form_data(customer, **{field: other}))
    assert getattr(Customer.objects.get(), field) == stored


def test_group_selector_on_moves_customer_to_another_group(client, customer_settings):
    customer_settings(group_selector_enabled=True)
    customer = CustomerFactory(group__name="Physio")
    psychology = CustomerGroupFactory(name="Psychology")
    assert 'name="group"' in client.get(_edit_url(customer)).content.decode()
    client.post(_edit_url(customer), _form_data(customer, group=psychology.id))
    assert Customer.objects.get().group == psychology


def test_group_selector_off_hides_it_and_refuses_the_move(client, customer_settings):
    customer_settings(group_selector_enabled=False)
    customer = CustomerFactory(group__name="Physio")
    psychology = CustomerGroupFactory(name="Psychology")
    assert 'name="group"' not in client.get(_edit_url(customer)).content.decode()
    client.post(_edit_url(customer), _form_data(customer, group=psychology.id))
    assert Customer.objects.get().group.name == "Physio"


def test_creating_a_customer_lands_on_the_profile_with_a_message(client):
    response = client.post(CREATE_URL, _form_data(), follow=True)
    customer = Customer.objects.get()
    assert response.request["PATH_INFO"] == f"/customers/{customer.id}/"
    assert f"Customer Anna Jensen ({customer.number}) created." in response.content.decode()


def test_private_customer_needs_first_and_last_name(client):
    response = client.post(CREATE_URL, _form_data(first_name="", last_name=" "))
    content = response.content.decode()
    assert "Enter the customer&#x27;s first name." in content
    assert "Enter the customer&#x27;s last name." in content
    assert not Customer.objects.exists()


def test_business_customer_needs_company_name(client):
    response = client.post(
        CREATE_URL, _form_data(kind="business", first_name="", last_name="", company_name="")
    )
    assert "Enter the company name." in response.content.decode()
    assert not Customer.objects.exists()


def test_business_customer_is_saved_under_its_company_name(client):
    client.post(CREATE_URL, _form_data(kind="business", company_name="Fjord A/S"))
    assert Customer.objects.get().name == "Fjord A/S"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("20 12 34 56", "+4520123456"), ("+46 70 123 45 67", "+46701234567")],
)
def test_phone_is_stored_in_e164(client, typed, stored):
    client.post(CREATE_URL, _form_data(phone=typed))
    assert str(Customer.objects.get().phone) == stored


@pytest.mark.parametrize("typed", ["12", "not a phone", "+45 1"])
def test_invalid_phone_is_refused_next_to_the_field(client, typed):
    response = client.post(CREATE_URL, _form_data(phone=typed))
    assert "Enter a valid phone number" in response.content.decode()
    assert not Customer.objects.exists()


def test_invalid_email_is_refused(client):
    response = client.post(CREATE_URL, _form_data(email="anna@"))
    assert "Enter a valid email address." in response.content.decode()
    assert not Customer.objects.exists()


def test_edit_based_on_an_old_version_is_refused_and_the_other_change_kept(client):
    customer = CustomerFactory(first_name="Anna", email="old@example.com")
    seen_version = customer.version
    # Someone else saves first.
    client.post(_edit_url(customer), _form_data(customer, email="theirs@example.com"))
    response = client.post(
        _edit_url(customer), _form_data(customer, email="mine@example.com", version=seen_version)
    )
    assert "Someone else saved this customer after you opened it" in response.content.decode()
    assert Customer.objects.get().email == "theirs@example.com"


def test_each_save_moves_the_version_on(client):
    customer = CustomerFactory()
    client.post(_edit_url(customer), _form_data(customer, city="Vejle"))
    saved = Customer.objects.get()
    assert (saved.city, saved.version) == ("Vejle", customer.version + 1)


@pytest.mark.parametrize("role_user", ["nobody"])
def test_staff_without_permission_cannot_create_or_edit(request, client_for, role_user):
    client = client_for(request.getfixturevalue(role_user))
    customer = CustomerFactory()
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, _form_data()).status_code == 403
    assert client.post(_edit_url(customer), _form_data(customer, city="X")).status_code == 403
    assert Customer.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "setting"),
    [
        ("date_of_birth", "date_of_birth_enabled"),
        ("gender", "gender_enabled"),
        ("group", "group_selector_enabled"),
        ("primary_therapist", "therapists_enabled"),
        ("secondary_therapist", "therapists_enabled"),
    ],
)
def test_an_empty_post_for_a_switched_off_field_keeps_the_stored_value(
    client, customer_settings, field, setting
):
    from customers.models import Calendar

    stored = {
        "date_of_birth": date(2001, 2, 3),
        "gender": "female",
        "group": CustomerGroupFactory(name="Physio"),
        "primary_therapist": Calendar.objects.create(name="Maja"),
        "secondary_therapist": Calendar.objects.create(name="Karl"),
    }[field]
    customer = CustomerFactory(**{field: stored})
    customer_settings(**{setting: False})
    client.post(_edit_url(customer), _form_data(customer, **{field: ""}))
    assert getattr(Customer.objects.get(), field) == stored


def test_with_the_selector_off_new_customers_get_the_default_group(client, customer_settings):
    physio = CustomerGroupFactory(name="Physio")
    customer_settings(group_selector_enabled=False, default_customer_group=physio)
    client.post(CREATE_URL, _form_data(group=CustomerGroupFactory(name="Psychology").id))
    assert Customer.objects.get().group == physio


def test_with_the_selector_on_the_default_group_is_preselected_and_can_be_changed(
    client, customer_settings
):
    physio = CustomerGroupFactory(name="Physio")
    psychology = CustomerGroupFactory(name="Psychology")
    customer_settings(group_selector_enabled=True, default_customer_group=physio)
    form = client.get(CREATE_URL).content.decode()
    assert f'<option value="{physio.id}" selected>Physio</option>' in form
    client.post(CREATE_URL, _form_data(group=psychology.id))
    assert Customer.objects.get().group == psychology


def test_a_customer_created_without_a_group_by_code_gets_the_default_group(customer_settings):
    from customers.services import CustomerChange, customer_create

    physio = CustomerGroupFactory(name="Physio")
    customer_settings(group_selector_enabled=True, default_customer_group=physio)
    customer = customer_create(change=CustomerChange(fields={"first_name": "Imported"}))
    assert customer.group == physio


def test_the_default_group_is_chosen_on_the_settings_page(client_for, administrator):
    from customers.models import CustomerSettings
    from tests.customers.test_settings_page import _post_values

    physio = CustomerGroupFactory(name="Physio")
    client = client_for(administrator)
    assert "Default customer group" in client.get("/customers/settings/").content.decode()
    client.post("/customers/settings/", _post_values(default_customer_group=physio.id))
    assert CustomerSettings.load().default_customer_group == physio
