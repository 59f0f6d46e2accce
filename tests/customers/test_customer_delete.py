"""Deleting a customer asks first, names what goes, says it is final."""

import pytest

from customers.models import Customer
from customers.profile import _deletion_consequences, register_deletion_consequence
from tests.factories import CustomerFactory


@pytest.fixture
def customer(db):
    return CustomerFactory(first_name="Anna", last_name="Jensen", number=1001)


def test_delete_asks_first_naming_what_is_lost_and_that_it_is_final(
    client_for, administrator, customer
):
    response = client_for(administrator).get(f"/customers/{customer.id}/delete/")
    content = response.content.decode()
    assert "Delete Anna Jensen (no. 1001)?" in content
    assert "it cannot be restored" in content
    assert "name, contact details, address" in content
    assert Customer.objects.exists()


def test_delete_warning_lists_what_other_apps_register(
    client_for, administrator, customer, monkeypatch
):
    monkeypatch.setattr("customers.profile._deletion_consequences", list(_deletion_consequences))
    register_deletion_consequence(lambda c: [f"2 contact persons of {c.first_name}"])
    content = client_for(administrator).get(f"/customers/{customer.id}/delete/").content.decode()
    assert "2 contact persons of Anna" in content


def test_confirmed_delete_removes_the_customer_and_says_so(client_for, administrator, customer):
    response = client_for(administrator).post(f"/customers/{customer.id}/delete/", follow=True)
    assert "Customer Anna Jensen has been deleted for good." in response.content.decode()
    assert not Customer.objects.exists()


def test_staff_without_delete_permission_cannot_delete(client_for, nobody, customer):
    assert client_for(nobody).post(f"/customers/{customer.id}/delete/").status_code == 403
    assert Customer.objects.exists()


def test_unknown_customer_gives_404(client_for, administrator, db):
    url = "/customers/00000000-0000-0000-0000-000000000000/delete/"
    assert client_for(administrator).post(url).status_code == 404
