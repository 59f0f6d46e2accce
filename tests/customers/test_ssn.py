"""The social security number: encrypted at rest, searchable exactly, masked until "Show",
unique when the setting says so, ignored when the field is off."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from customers.models import Customer
from customers.services import CustomerChange, customer_create, customer_update
from tests.customers.concurrency import run_at_once

SSN = "010190-1234"
ANNA = {"kind": "private", "first_name": "Anna", "last_name": "Jensen"}


def _create(ssn=SSN, **fields):
    return customer_create(change=CustomerChange(fields=ANNA | fields, ssn=ssn))


@pytest.fixture
def ssn_on(customer_settings):
    return customer_settings(ssn_enabled=True, ssn_unique=False)


def test_the_database_holds_no_plaintext_ssn(ssn_on):
    customer = _create()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ssn_encrypted, ssn_index FROM customers_customer WHERE id = %s", [customer.id]
        )
        encrypted, index = cursor.fetchone()
    for raw in (bytes(encrypted), bytes(index)):
        assert b"1234" not in raw
        assert b"010190" not in raw
    assert Customer.objects.get().ssn == SSN


def test_ssn_copied_onto_another_customer_fails_to_decrypt(ssn_on):
    from config.crypto import DecryptionError

    first = _create()
    second = _create(ssn="", first_name="Bo")
    Customer.objects.filter(id=second.id).update(ssn_encrypted=first.ssn_encrypted)
    with pytest.raises(DecryptionError):
        _ = Customer.objects.get(id=second.id).ssn


def test_profile_shows_the_ssn_masked_and_reveals_it_on_show(client_for, receptionist, ssn_on):
    customer = _create()
    client = client_for(receptionist)
    page = client.get(f"/customers/{customer.id}/").content.decode()
    assert SSN not in page
    assert "1234" not in page  # not even the last digits: with the birth date they are all
    assert "••••••-••••" in page
    revealed = client.post(f"/customers/{customer.id}/ssn/")
    assert revealed.status_code == 200
    assert SSN in revealed.content.decode()
    assert "no-store" in revealed["Cache-Control"] or "no-cache" in revealed["Cache-Control"]


def test_revealed_ssn_comes_with_a_hide_button_that_holds_no_digits(
    client_for, receptionist, ssn_on
):
    customer = _create()
    revealed = client_for(receptionist).post(f"/customers/{customer.id}/ssn/").content.decode()
    assert ">Hide</button>" in revealed
    masked = revealed.split("<template data-ssn-masked>")[1]
    assert SSN not in masked and "1234" not in masked
    assert ">Show</button>" in masked


def test_ssn_copied_from_another_customer_is_refused_on_show_and_logged(
    client_for, receptionist, ssn_on, caplog
):
    first = _create()
    second = _create(ssn="020202-2222", first_name="Bo")
    Customer.objects.filter(id=second.id).update(ssn_encrypted=first.ssn_encrypted)
    client = client_for(receptionist)
    assert client.get(f"/customers/{second.id}/").status_code == 200
    with caplog.at_level("ERROR"):
        response = client.post(f"/customers/{second.id}/ssn/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "cannot be opened" in content
    assert "administrator has been told" in content
    assert SSN not in content and "1234" not in content
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert any(str(second.id) in record.getMessage() for record in errors)
    assert not any("1234" in record.getMessage() for record in caplog.records)


def test_show_is_a_post_only(client_for, receptionist, ssn_on):
    customer = _create()
    assert client_for(receptionist).get(f"/customers/{customer.id}/ssn/").status_code == 405


def test_ssn_is_neither_shown_nor_revealed_when_the_field_is_off(
    client_for, receptionist, customer_settings, ssn_on
):
    customer = _create()
    customer_settings(ssn_enabled=False)
    client = client_for(receptionist)
    assert "Social security number" not in client.get(f"/customers/{customer.id}/").content.decode()
    assert client.post(f"/customers/{customer.id}/ssn/").status_code == 404


def test_posted_ssn_is_ignored_when_the_field_is_off(client_for, receptionist, customer_settings):
    customer_settings(ssn_enabled=False)
    client_for(receptionist).post("/customers/new/", ANNA | {"ssn": SSN})
    assert Customer.objects.get().ssn_encrypted is None


@pytest.mark.parametrize(
    "typed", ["0101901234", "010190 1234", SSN, "010190–1234", "０１０１９０１２３４"]
)
def test_ssn_lookup_finds_a_customer_by_exact_number_in_any_spelling(
    client_for, receptionist, ssn_on, typed
):
    _create()
    _create(ssn="020202-2222", first_name="Eva")
    response = client_for(receptionist).post("/customers/", {"ssn": typed}, follow=True)
    content = response.content.decode()
    assert "Jensen, Anna" in content
    assert "Jensen, Eva" not in content


def test_ssn_lookup_without_match_says_so(client_for, receptionist, ssn_on):
    _create()
    response = client_for(receptionist).post("/customers/", {"ssn": "010190-1235"}, follow=True)
    assert "No customer has that social security number." in response.content.decode()


def test_ssn_lookup_is_absent_when_the_field_is_off(client_for, receptionist, customer_settings):
    customer_settings(ssn_enabled=False)
    content = client_for(receptionist).get("/customers/").content.decode()
    assert "Find by social security number" not in content


def test_second_customer_with_same_ssn_is_refused_with_a_link_when_unique(
    client_for, receptionist, customer_settings
):
    customer_settings(ssn_enabled=True, ssn_unique=True)
    first = _create()
    response = client_for(receptionist).post(
        "/customers/new/", ANNA | {"first_name": "Eva", "ssn": "0101901234"}
    )
    content = response.content.decode()
    assert "This social security number already belongs to" in content
    assert f'href="/customers/{first.id}/"' in content
    assert Customer.objects.count() == 1


def test_same_ssn_is_allowed_twice_when_not_unique(ssn_on):
    _create()
    _create(first_name="Eva")
    assert Customer.objects.count() == 2


def test_editing_to_an_ssn_held_by_another_customer_is_refused(customer_settings):
    customer_settings(ssn_enabled=True, ssn_unique=True)
    _create()
    other = _create(ssn="020202-2222", first_name="Eva")
    with pytest.raises(ValidationError):
        customer_update(
            customer=other, change=CustomerChange(fields={}, ssn=SSN), version=other.version
        )
    assert Customer.objects.get(id=other.id).ssn == "020202-2222"


def test_editing_without_typing_an_ssn_keeps_the_stored_one(client_for, receptionist, ssn_on):
    customer = _create()
    client_for(receptionist).post(
        f"/customers/{customer.id}/edit/", ANNA | {"city": "Vejle", "version": customer.version}
    )
    saved = Customer.objects.get()
    assert (saved.city, saved.ssn) == ("Vejle", SSN)


def test_remove_ssn_clears_number_and_index(client_for, receptionist, ssn_on):
    customer = _create()
    client_for(receptionist).post(
        f"/customers/{customer.id}/edit/",
        ANNA | {"remove_ssn": "on", "version": customer.version},
    )
    saved = Customer.objects.get()
    assert saved.ssn_encrypted is None
    assert saved.ssn_index is None


@pytest.mark.parametrize("typed", ["12", "0101٩٠1234x!", "010190-12**"])
def test_malformed_ssn_is_refused_next_to_the_field(client_for, receptionist, ssn_on, typed):
    response = client_for(receptionist).post("/customers/new/", ANNA | {"ssn": typed})
    assert "Enter the social security number as digits" in response.content.decode()
    assert not Customer.objects.exists()


def test_full_width_digits_cannot_dodge_ssn_unique(customer_settings):
    customer_settings(ssn_enabled=True, ssn_unique=True)
    _create(ssn="0101901234")
    with pytest.raises(ValidationError):
        _create(ssn="０１０１９０１２３４", first_name="Eva")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creates_with_one_ssn_let_exactly_one_succeed(customer_settings):
    customer_settings(ssn_enabled=True, ssn_unique=True)
    results = run_at_once(lambda name: _create(first_name=name), ["Anna", "Eva"])
    created = [r for r in results if isinstance(r, Customer)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(created), len(refused)) == (1, 1), results
    assert Customer.objects.count() == 1
