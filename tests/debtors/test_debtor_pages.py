"""Staff debtor pages: list with search and group filter, create, edit, delete, EAN checks."""

import pytest

from config.pagination import KeysetPaginator
from debtors.models import Debtor
from tests.factories import CustomerFactory, DebtorFactory, DebtorGroupFactory
from tests.field_errors import field_errors

VALID_EAN = "5790000000012"


@pytest.fixture
def client(client_for, receptionist):
    return client_for(receptionist)


def _form(**changes):
    data = {"kind": "company", "name": "Fjord A/S", "payment_terms_days": 14, "active": "on"}
    return data | changes


def test_list_searches_by_name_and_filters_by_group(client):
    insurers = DebtorGroupFactory(name="Insurers")
    DebtorFactory(name="Tryg Forsikring", group=insurers)
    DebtorFactory(name="Tryg Privat")
    DebtorFactory(name="Kommune Vest", group=insurers)
    content = client.get("/debtors/", {"q": "tryg", "group": insurers.pk}).content.decode()
    assert "Tryg Forsikring" in content
    assert "Tryg Privat" not in content
    assert "Kommune Vest" not in content


def test_empty_list_explains_what_a_debtor_is(client):
    assert "A debtor is who pays for a customer" in client.get("/debtors/").content.decode()


def test_create_gives_the_next_number_when_none_is_typed(client):
    DebtorFactory(number=41)
    response = client.post("/debtors/new/", _form(), follow=True)
    assert Debtor.objects.get(name="Fjord A/S").number == 42
    assert "Debtor Fjord A/S (42) created." in response.content.decode()


def test_create_with_a_typed_number_already_used_is_refused(client):
    DebtorFactory(number=7)
    response = client.post("/debtors/new/", _form(number=7))
    html = response.content.decode()
    assert field_errors(html, "number") == (
        "Another debtor already has this number. Type another one, or leave it empty for the "
        "next free number."
    )
    assert "already exists" not in html
    assert Debtor.objects.count() == 1


def test_public_institution_needs_an_ean(client):
    response = client.post("/debtors/new/", _form(kind="public", name="Aarhus Kommune"))
    assert "A public institution needs its EAN/GLN number." in response.content.decode()
    assert not Debtor.objects.exists()


def test_public_institution_with_valid_ean_is_saved(client):
    client.post("/debtors/new/", _form(kind="public", name="Aarhus Kommune", ean=VALID_EAN))
    assert Debtor.objects.get().ean == VALID_EAN


@pytest.mark.parametrize(
    ("ean", "message"),
    [
        ("5790000000013", "its check digit does not match"),
        ("579000000001", "An EAN/GLN number has 13 digits."),
        ("57900000000AB", "An EAN/GLN number has 13 digits."),
    ],
)
def test_ean_with_wrong_check_digit_or_length_is_refused(client, ean, message):
    response = client.post("/debtors/new/", _form(kind="public", ean=ean))
    assert message in response.content.decode()
    assert not Debtor.objects.exists()


def test_edit_saves_and_keeps_the_number(client):
    debtor = DebtorFactory(number=9, name="Old name")
    client.post(f"/debtors/{debtor.pk}/edit/", _form(name="New name", number=99))
    debtor.refresh_from_db()
    assert (debtor.name, debtor.number) == ("New name", 9)


def test_debtor_page_lists_the_customers_it_pays_for(client):
    debtor = DebtorFactory()
    CustomerFactory(first_name="Anna", last_name="Jensen", debtor=debtor)
    CustomerFactory(first_name="Bo", last_name="Berg", secondary_debtor=debtor)
    content = client.get(f"/debtors/{debtor.pk}/").content.decode()
    assert "Anna Jensen" in content
    assert "Bo Berg" in content
    assert "secondary debtor" in content


def test_delete_is_refused_while_customers_use_the_debtor_naming_them(client):
    debtor = DebtorFactory(name="Fjord A/S")
    CustomerFactory(first_name="Anna", last_name="Jensen", debtor=debtor)
    warning = client.get(f"/debtors/{debtor.pk}/delete/").content.decode()
    assert "cannot be deleted while customers use it" in warning
    assert "Anna Jensen" in warning
    response = client.post(f"/debtors/{debtor.pk}/delete/", follow=True)
    assert "Fjord A/S cannot be deleted while customers use it" in response.content.decode()
    assert Debtor.objects.filter(pk=debtor.pk).exists()


def test_unused_debtor_is_deleted_after_confirmation(client):
    debtor = DebtorFactory(name="Fjord A/S")
    assert "This cannot be undone." in client.get(f"/debtors/{debtor.pk}/delete/").content.decode()
    response = client.post(f"/debtors/{debtor.pk}/delete/", follow=True)
    assert "Debtor Fjord A/S deleted." in response.content.decode()
    assert not Debtor.objects.exists()


def test_therapists_do_not_see_debtors(client_for, therapist):
    debtor = DebtorFactory()
    client = client_for(therapist)
    assert client.get("/debtors/").status_code == 403
    assert client.get(f"/debtors/{debtor.pk}/").status_code == 403


def test_list_query_count_is_fixed(client, django_assert_max_num_queries):
    group = DebtorGroupFactory()
    DebtorFactory.create_batch(25, group=group)
    with django_assert_max_num_queries(7):
        assert client.get("/debtors/").status_code == 200


def test_a_deep_and_the_last_page_of_debtors_cost_what_the_first_does(
    client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("debtors.views.PAGE_SIZE", 3)
    debtors = [DebtorFactory(name=f"Debtor {n:02}") for n in range(10)]
    cursor = KeysetPaginator(Debtor.objects.all(), ordering=("name", "number"), per_page=3).cursor
    with django_assert_max_num_queries(7):
        deep = client.get("/debtors/", {"after": cursor(debtors[4])}).content.decode()
    assert [n for n in range(10) if f"Debtor {n:02}<" in deep] == [5, 6, 7]
    with django_assert_max_num_queries(7):
        last = client.get("/debtors/", {"page": "last"}).content.decode()
    assert [n for n in range(10) if f"Debtor {n:02}<" in last] == [7, 8, 9]


@pytest.mark.parametrize("query", ["²", "9" * 40])
def test_odd_search_input_gives_a_page_not_an_error(client, query):
    DebtorFactory()
    assert client.get("/debtors/", {"q": query}).status_code == 200


def test_a_nul_in_the_search_is_a_readable_bad_request(client):
    response = client.get("/debtors/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert b"The address cannot be used" in response.content


def test_next_page_link_keeps_search_and_group(client, monkeypatch):
    monkeypatch.setattr("debtors.views.PAGE_SIZE", 1)
    insurers = DebtorGroupFactory(name="Insurers")
    first, second = DebtorFactory.create_batch(2, name="Tryg", group=insurers)
    content = client.get("/debtors/", {"q": "tryg", "group": insurers.pk}).content.decode()
    cursor = KeysetPaginator(Debtor.objects.all(), ordering=("name", "number"), per_page=1).cursor
    assert f"?q=tryg&amp;group={insurers.pk}&amp;after={cursor(first)}" in content
    next_page = client.get("/debtors/", {"q": "tryg", "group": insurers.pk, "after": cursor(first)})
    assert f'href="/debtors/{second.pk}/"' in next_page.content.decode()
