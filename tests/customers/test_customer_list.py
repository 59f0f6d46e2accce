"""The staff customer list: search, paging, empty states, permission, bounded queries."""

import re

import pytest

from customers.listing import PAGE_SIZE
from tests.factories import CustomerFactory, CustomerGroupFactory

URL = "/customers/"


@pytest.fixture
def client(client_for, receptionist):
    return client_for(receptionist)


def test_list_shows_customers_with_number_and_group(client):
    CustomerFactory(number=4711, first_name="Anna", last_name="Jensen", group__name="Physio")
    response = client.get(URL)
    assert response.status_code == 200
    assert b"4711" in response.content
    assert b"Jensen, Anna" in response.content
    assert b"Physio" in response.content


def test_phone_numbers_are_formatted_as_on_the_profile(client):
    customer = CustomerFactory(phone="+4520123456")
    CustomerFactory(phone="")
    listed = client.get(URL).content.decode()
    profile = client.get(f"/customers/{customer.id}/").content.decode()
    assert "+45 20 12 34 56" in listed
    assert "+45 20 12 34 56" in profile
    assert "+4520123456<" not in listed


def test_business_customers_are_listed_by_company_name(client):
    CustomerFactory(kind="business", first_name="", last_name="", company_name="Fjord A/S")
    assert b"Fjord A/S" in client.get(URL).content


@pytest.mark.parametrize("query", ["jens", "JENSEN", "4711", "anna.j@", "+4520"], ids=str)
def test_search_finds_by_name_number_email_or_phone(client, query):
    CustomerFactory(
        number=4711,
        first_name="Anna",
        last_name="Jensen",
        email="anna.j@example.com",
        phone="+4520123456",
    )
    CustomerFactory(number=5000, first_name="Bo", last_name="Berg", email="bo@example.com")
    content = client.get(URL, {"q": query}).content
    assert b"Jensen, Anna" in content
    assert b"Berg, Bo" not in content


@pytest.mark.parametrize("query", ["sorensen", "SØRENSEN", "sören", "Søren"], ids=str)
def test_search_ignores_case_and_accents(client, query):
    CustomerFactory(first_name="Ida", last_name="Sørensen", email="ida@example.com")
    CustomerFactory(first_name="Bo", last_name="Berg", email="bo@example.com")
    content = client.get(URL, {"q": query}).content.decode()
    assert "Sørensen, Ida" in content
    assert "Berg, Bo" not in content


def test_search_without_match_says_so(client):
    CustomerFactory(first_name="Anna")
    response = client.get(URL, {"q": "zzzz"})
    assert "No customer matches “zzzz”".encode() in response.content


def test_empty_list_says_no_customers_yet(client):
    assert b"No customers yet" in client.get(URL).content


def _next_link(content: bytes) -> str:
    found = re.search(r'href="(\?[^"]*after=[^"]*)" rel="next"', content.decode())
    assert found, "no Next link"
    return found.group(1).replace("&amp;", "&")


def test_list_is_paged(client):
    group = CustomerGroupFactory()
    CustomerFactory.create_batch(PAGE_SIZE + 1, group=group)
    first = client.get(URL)
    assert first.content.count(b"<tr>") == 1 + PAGE_SIZE
    assert f"{PAGE_SIZE + 1} customers.".encode() in first.content
    second = client.get(URL + _next_link(first.content))
    assert second.content.count(b"<tr>") == 1 + 1  # header row and the one left over


def test_next_page_of_a_search_starts_after_the_last_one_shown_even_after_inserts(
    client, monkeypatch
):
    monkeypatch.setattr("customers.listing.PAGE_SIZE", 2)
    for first_name in ("Bo", "Dan", "Eva", "Finn"):
        CustomerFactory(first_name=first_name, last_name="Holm")
    first = client.get(URL, {"q": "holm"})
    assert _names_in_order(first.content.decode()) == ["Holm, Bo", "Holm, Dan"]
    # Someone adds a customer who sorts before the page shown: an OFFSET page 2 would show
    # "Holm, Dan" again; the next page is still the customers after "Holm, Dan".
    CustomerFactory(first_name="Ane", last_name="Holm")
    second = client.get(URL + _next_link(first.content))
    assert _names_in_order(second.content.decode()) == ["Holm, Eva", "Holm, Finn"]


def test_broad_search_pages_reach_past_the_counted_matches(client, monkeypatch):
    monkeypatch.setattr("customers.listing.FEW", 2)
    monkeypatch.setattr("customers.listing.PAGE_SIZE", 2)
    for first_name in ("Bo", "Dan", "Eva", "Finn", "Gry"):
        CustomerFactory(first_name=first_name, last_name="Holm")
    first = client.get(URL, {"q": "holm"})
    assert "More than 2 customers match." in first.content.decode()
    second = client.get(URL + _next_link(first.content))
    third = client.get(URL + _next_link(second.content))
    assert _names_in_order(third.content.decode()) == ["Holm, Gry"]
    last = client.get(URL, {"q": "holm", "page": "last"})
    assert _names_in_order(last.content.decode()) == ["Holm, Finn", "Holm, Gry"]


@pytest.mark.parametrize("cursor", ["garbage", "W10", "WyJ4IiwiIiwiYWJjIl0", "%00"])
def test_a_tampered_page_link_shows_the_first_page(client, cursor):
    CustomerFactory(first_name="Anna", last_name="Holm")
    response = client.get(URL, {"after": cursor})
    assert response.status_code == 200
    assert "Holm, Anna" in response.content.decode()


def test_query_count_does_not_grow_with_the_number_of_customers(
    client, django_assert_max_num_queries
):
    for index in range(30):
        CustomerFactory(group=CustomerGroupFactory(name=f"Group {index}"))
    # session, user, the user's and the groups' permissions, settings, count, page with groups
    with django_assert_max_num_queries(7):
        assert client.get(URL).status_code == 200
    # A search: its matches' ids instead of the count, then the page in a transaction of
    # its own that switches index scans off (customers.listing: a savepoint and its
    # release here, where each test runs inside a transaction)
    with django_assert_max_num_queries(10):
        assert client.get(URL, {"q": "a"}).status_code == 200


def test_list_sorts_by_number_both_ways(client):
    for number in (3, 1, 2):
        CustomerFactory(number=number, first_name=f"N{number}", last_name="X")
    ascending = client.get(URL, {"sort": "number"}).content.decode()
    assert ascending.index("X, N1") < ascending.index("X, N2") < ascending.index("X, N3")
    descending = client.get(URL, {"sort": "-number"}).content.decode()
    assert descending.index("X, N3") < descending.index("X, N1")


def _names_in_order(content: str) -> list[str]:
    return re.findall(r'<a href="/customers/[0-9a-f-]+/">([^<]+)</a>', content)


def test_name_column_shows_surname_first_and_is_sorted_by_what_it_shows(client):
    CustomerFactory(first_name="Anna", last_name="Holm")
    CustomerFactory(kind="business", first_name="", last_name="", company_name="Fjord A/S")
    CustomerFactory(first_name="Bo", last_name="Andersen")
    CustomerFactory(first_name="", last_name="Madsen")
    CustomerFactory(first_name="Cille", last_name="")
    shown = ["Andersen, Bo", "Cille", "Fjord A/S", "Holm, Anna", "Madsen"]
    assert _names_in_order(client.get(URL).content.decode()) == shown
    descending = client.get(URL, {"sort": "-name"}).content.decode()
    assert _names_in_order(descending) == shown[::-1]


def test_list_shows_the_total_count(client):
    CustomerFactory.create_batch(3)
    assert "3 customers." in client.get(URL).content.decode()


def test_count_is_capped_for_broad_lists(client, monkeypatch):
    monkeypatch.setattr("customers.listing.FEW", 2)
    CustomerFactory.create_batch(3, last_name="Holm")
    content = client.get(URL, {"q": "holm"}).content.decode()
    assert "More than 2 customers match." in content


def test_age_alert_icon_marks_young_customers_in_the_list(client, customer_settings):
    from datetime import date

    customer_settings(age_alert_enabled=True, age_alert_age=18)
    CustomerFactory(first_name="Kid", date_of_birth=date(date.today().year - 7, 1, 1))
    CustomerFactory(first_name="Grown", date_of_birth=date(1970, 1, 1))
    content = client.get(URL).content.decode()
    assert content.count("Younger than 18") == 1


def test_staff_without_permission_get_403(client_for, nobody):
    assert client_for(nobody).get(URL).status_code == 403


@pytest.mark.parametrize("query", ["²", "9" * 40, "٣٤٥"])
def test_odd_search_input_gives_a_page_not_an_error(client, query):
    CustomerFactory(first_name="Anna")
    assert client.get(URL, {"q": query}).status_code == 200


@pytest.mark.parametrize("query", ["a\x00b", "\x00"])
def test_a_nul_in_the_search_is_a_readable_bad_request(client, query):
    # Refused before any view reads it (config.middleware.RejectNulInQueryMiddleware).
    response = client.get(URL, {"q": query})
    assert response.status_code == 400
    assert "The address cannot be used" in response.content.decode()


def test_age_alert_shows_each_young_customers_own_age(client, customer_settings):
    from datetime import date

    customer_settings(age_alert_enabled=True, age_alert_age=18)
    this_year = date.today().year
    CustomerFactory(first_name="Kid", date_of_birth=date(this_year - 7, 1, 1))
    CustomerFactory(first_name="Teen", date_of_birth=date(this_year - 15, 1, 1))
    content = client.get(URL).content.decode()
    assert "Younger than 18: 7 years old" in content
    assert "Younger than 18: 15 years old" in content


def test_no_age_alert_in_the_list_while_date_of_birth_is_switched_off(client, customer_settings):
    from datetime import date

    customer_settings(age_alert_enabled=True, age_alert_age=18, date_of_birth_enabled=False)
    CustomerFactory(first_name="Kid", date_of_birth=date(date.today().year - 7, 1, 1))
    assert "Younger than" not in client.get(URL).content.decode()
