"""A social security number typed into the ordinary search box: found through the blind
index, and never in a URL, the export log or the log output (customers.ssn_search)."""

import logging
import re

import pytest
from django.db import connection

from config import crypto
from customers.models import CustomerExport
from customers.services import CustomerChange, customer_create
from customers.ssn_search import MASKED_SSN, looks_like_ssn, token_for

SSN = "010190-1234"
DIGITS = re.compile(r"010190|1234")


def _create(ssn=SSN, first_name="Anna"):
    fields = {"kind": "private", "first_name": first_name, "last_name": "Jensen"}
    return customer_create(change=CustomerChange(fields=fields, ssn=ssn))


@pytest.fixture
def ssn_on(customer_settings):
    return customer_settings(ssn_enabled=True, ssn_unique=False)


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def _no_digits_in(*texts: str) -> None:
    for text in texts:
        assert not DIGITS.search(text), text


@pytest.mark.parametrize("typed", [SSN, "0101901234", "010190 1234", " ０１０１９０-１２３４ "])
def test_ssn_typed_into_the_search_box_is_found_without_its_digits_in_any_url(
    client_for, receptionist, ssn_on, everything_logged, typed
):
    _create()
    _create(ssn="020202-2222", first_name="Eva")
    response = client_for(receptionist).post("/customers/", {"q": typed}, follow=True)
    content = response.content.decode()
    assert "Jensen, Anna" in content
    assert "Jensen, Eva" not in content
    assert "with that social security number" in content
    urls = [url for url, _ in response.redirect_chain]
    assert urls == [f"/customers/?ssn={token_for(SSN)}"]
    # Neither the page (its links, the search box) nor the log output repeats it.
    _no_digits_in(*urls, content, everything_logged.text)


@pytest.mark.parametrize("term", ["holm", "20123456", "+4520123456", "12345678901"])
def test_other_search_terms_are_redirected_to_the_list_with_the_term(
    client_for, receptionist, ssn_on, term
):
    response = client_for(receptionist).post("/customers/?sort=-number", {"q": term})
    assert response.status_code == 302
    assert response["Location"].startswith("/customers/?q=")
    assert "sort=-number" in response["Location"]
    assert not looks_like_ssn(term)


def test_ssn_typed_into_the_address_bar_is_moved_to_its_token(client_for, receptionist, ssn_on):
    _create()
    response = client_for(receptionist).get("/customers/", {"q": SSN}, follow=True)
    assert [url for url, _ in response.redirect_chain] == [f"/customers/?ssn={token_for(SSN)}"]
    assert "Jensen, Anna" in response.content.decode()


@pytest.mark.parametrize("token", ["abc", "x" * 43, "Zm9v", token_for(SSN)[:-2]])
def test_a_token_that_is_not_one_finds_no_one(client_for, receptionist, ssn_on, token):
    _create()
    response = client_for(receptionist).get("/customers/", {"ssn": token})
    assert response.status_code == 200
    assert "No customer has that social security number." in response.content.decode()


def test_sorting_the_found_list_keeps_the_token(client_for, receptionist, ssn_on):
    _create()
    content = client_for(receptionist).get("/customers/", {"ssn": token_for(SSN)}).content
    assert f"?ssn={token_for(SSN)}&amp;sort=number" in content.decode()


def test_export_of_an_ssn_search_logs_it_masked_with_its_blind_index(
    client_for, administrator, ssn_on, everything_logged
):
    _create()
    _create(ssn="020202-2222", first_name="Eva")
    client = client_for(administrator)
    listed = client.post("/customers/", {"q": SSN}, follow=True).content.decode()
    export_url = f"/customers/export.csv?ssn={token_for(SSN)}"
    assert f'href="{export_url}"' in listed
    response = client.get(export_url)
    body = b"".join(response.streaming_content).decode()
    assert "Anna" in body and "Eva" not in body
    log = CustomerExport.objects.get()
    assert (log.query, log.rows) == (MASKED_SSN, 1)
    assert bytes(log.ssn_index) == crypto.blind_index(SSN)
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(e)::text FROM customers_customerexport e")
        _no_digits_in(cursor.fetchone()[0])
    _no_digits_in(everything_logged.text)


def test_export_from_a_typed_url_with_an_ssn_is_logged_masked(client_for, administrator, ssn_on):
    _create()
    response = client_for(administrator).get("/customers/export.csv", {"q": SSN})
    assert "Anna" in b"".join(response.streaming_content).decode()
    log = CustomerExport.objects.get()
    assert log.query == MASKED_SSN
    assert bytes(log.ssn_index) == crypto.blind_index(SSN)


def test_export_log_masks_an_ssn_shaped_search_also_with_the_ssn_field_off(
    client_for, administrator, customer_settings
):
    customer_settings(ssn_enabled=False)
    response = client_for(administrator).get("/customers/export.csv", {"q": SSN})
    assert response.status_code == 200
    log = CustomerExport.objects.get()
    assert log.query == MASKED_SSN
    assert bytes(log.ssn_index) == crypto.blind_index(SSN)


def test_export_with_a_token_that_is_not_one_is_a_bad_request(client_for, administrator, ssn_on):
    response = client_for(administrator).get("/customers/export.csv", {"ssn": "abc"})
    assert response.status_code == 400
    assert not CustomerExport.objects.exists()


def test_a_lookup_that_is_not_a_whole_number_says_so_at_the_field(client_for, receptionist, ssn_on):
    response = client_for(receptionist).post("/customers/", {"ssn": "12"})
    assert response.status_code == 200
    assert "Enter a whole social security number." in response.content.decode()


def test_with_the_ssn_field_off_digits_are_an_ordinary_search(
    client_for, receptionist, customer_settings
):
    customer_settings(ssn_enabled=False)
    response = client_for(receptionist).post("/customers/", {"q": "0101901234"})
    assert response["Location"] == "/customers/?q=0101901234"
