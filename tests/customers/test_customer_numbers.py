"""Customer numbers: automatic and atomic, or typed and unique."""

import pytest
from django.core.exceptions import ValidationError

from customers.models import Customer, CustomerSettings
from customers.services import CustomerChange, customer_create
from tests.customers.concurrency import run_at_once
from tests.factories import CustomerFactory
from tests.field_errors import field_errors

ANNA = {"kind": "private", "first_name": "Anna", "last_name": "Jensen"}


def _create(**fields):
    return customer_create(change=CustomerChange(fields=ANNA | fields))


def test_automatic_numbers_start_at_next_number_and_count_up(customer_settings):
    customer_settings(auto_customer_numbers=True, next_customer_number=1000)
    assert [_create().number for _ in range(3)] == [1000, 1001, 1002]
    assert CustomerSettings.load().next_customer_number == 1003


def test_automatic_numbering_skips_a_number_typed_in_earlier(customer_settings):
    customer_settings(auto_customer_numbers=True, next_customer_number=10)
    CustomerFactory(number=10)
    assert _create().number == 11


def test_typed_number_is_required_when_automatic_numbering_is_off(
    client_for, receptionist, customer_settings
):
    customer_settings(auto_customer_numbers=False)
    client = client_for(receptionist)
    assert 'name="number"' in client.get("/customers/new/").content.decode()
    response = client.post("/customers/new/", ANNA)
    assert "This field is required." in response.content.decode()
    assert not Customer.objects.exists()


def test_typed_number_must_be_unique(client_for, receptionist, customer_settings):
    customer_settings(auto_customer_numbers=False)
    CustomerFactory(number=42)
    response = client_for(receptionist).post("/customers/new/", ANNA | {"number": 42})
    html = response.content.decode()
    assert field_errors(html, "number") == (
        "Another customer already has this customer number. Type another one."
    )
    assert "already exists" not in html
    assert Customer.objects.count() == 1


def test_number_field_is_absent_and_posted_number_ignored_when_automatic(
    client_for, receptionist, customer_settings
):
    customer_settings(auto_customer_numbers=True, next_customer_number=7)
    client = client_for(receptionist)
    assert 'name="number"' not in client.get("/customers/new/").content.decode()
    client.post("/customers/new/", ANNA | {"number": 99999})
    assert Customer.objects.get().number == 7


def test_service_refuses_a_missing_typed_number(customer_settings):
    customer_settings(auto_customer_numbers=False)
    with pytest.raises(ValidationError):
        _create()


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_distinct_consecutive_numbers(customer_settings):
    customer_settings(auto_customer_numbers=True, next_customer_number=500)
    results = run_at_once(lambda n: _create(first_name=f"Person {n}"), list(range(8)))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(customer.number for customer in results) == list(range(500, 508))
    assert CustomerSettings.load().next_customer_number == 508


def test_editing_to_a_number_another_customer_has_says_so_at_the_field(
    client_for, receptionist, customer_settings
):
    customer_settings(auto_customer_numbers=False)
    CustomerFactory(number=42)
    other = CustomerFactory(number=43, first_name="Eva", last_name="Holm")
    response = client_for(receptionist).post(
        f"/customers/{other.id}/edit/",
        {
            "kind": "private",
            "first_name": "Eva",
            "last_name": "Holm",
            "number": 42,
            "version": other.version,
        },
    )
    assert field_errors(response.content.decode(), "number") == (
        "Another customer already has this customer number. Type another one."
    )
    assert Customer.objects.get(id=other.id).number == 43


def test_a_customer_group_name_taken_in_another_case_is_refused_at_the_name(db):
    from customers.models import CustomerGroup

    CustomerGroup.objects.create(name="Children")
    with pytest.raises(ValidationError) as refused:
        CustomerGroup(name="CHILDREN").full_clean()
    assert refused.value.message_dict == {
        "name": ["A customer group with this name already exists."]
    }
