"""A customer's debtor and secondary debtor, and the sharing settings."""

import pytest
from django.core.exceptions import ValidationError

from customers.models import Customer, CustomerSettings
from customers.services import customer_set_debtor
from debtors.models import Debtor
from tests.customers.concurrency import run_at_once
from tests.factories import CustomerFactory, DebtorFactory, DebtorGroupFactory


@pytest.fixture
def client(client_for, receptionist):
    return client_for(receptionist)


def _choose(client, customer, debtor, role="debtor"):
    return client.post(
        f"/customers/{customer.id}/debtor/", {"debtor": debtor.pk, "role": role}, follow=True
    )


def test_choosing_a_debtor_sets_it_and_says_so(client):
    customer, debtor = CustomerFactory(), DebtorFactory(name="Fjord A/S")
    response = _choose(client, customer, debtor)
    assert "Debtor set to Fjord A/S." in response.content.decode()
    assert Customer.objects.get().debtor == debtor


def test_without_sharing_a_second_customer_is_refused_naming_the_first(client, customer_settings):
    customer_settings(can_share_debtor=False)
    debtor = DebtorFactory(name="Fjord A/S")
    first = CustomerFactory(first_name="Anna", last_name="Jensen", debtor=debtor)
    second = CustomerFactory()
    content = _choose(client, second, debtor).content.decode()
    assert "Debtors cannot be shared: Fjord A/S already pays for" in content
    assert f"/customers/{first.id}/" in content
    assert Customer.objects.get(id=second.id).debtor is None


def test_with_sharing_on_several_customers_share_a_debtor(customer_settings):
    customer_settings(can_share_debtor=True, share_debtor_must_be_activated=False)
    debtor = DebtorFactory()
    CustomerFactory(debtor=debtor)
    customer_set_debtor(customer=CustomerFactory(), debtor=debtor)
    assert Customer.objects.filter(debtor=debtor).count() == 2


@pytest.mark.parametrize(("activated", "allowed"), [(True, True), (False, False)])
def test_when_sharing_must_be_activated_only_ticked_debtors_are_shared(
    customer_settings, activated, allowed
):
    customer_settings(can_share_debtor=True, share_debtor_must_be_activated=True)
    debtor = DebtorFactory(can_be_shared=activated)
    CustomerFactory(debtor=debtor)
    second = CustomerFactory()
    if allowed:
        customer_set_debtor(customer=second, debtor=debtor)
    else:
        with pytest.raises(ValidationError, match="not ticked “can be shared”"):
            customer_set_debtor(customer=second, debtor=debtor)
    assert Customer.objects.filter(debtor=debtor).count() == (2 if allowed else 1)


def test_a_customer_may_keep_its_own_unshared_debtor(customer_settings):
    customer_settings(can_share_debtor=False)
    debtor = DebtorFactory()
    customer = CustomerFactory(debtor=debtor)
    customer_set_debtor(customer=customer, debtor=debtor)
    assert Customer.objects.get().debtor == debtor


def test_inactive_debtor_cannot_be_chosen(customer_settings):
    with pytest.raises(ValidationError, match="inactive"):
        customer_set_debtor(customer=CustomerFactory(), debtor=DebtorFactory(active=False))


def test_removing_the_debtor(client):
    customer = CustomerFactory(debtor=DebtorFactory())
    response = client.post(f"/customers/{customer.id}/debtor/", {"debtor": ""}, follow=True)
    assert "Debtor removed." in response.content.decode()
    assert Customer.objects.get().debtor is None


@pytest.mark.django_db(transaction=True)
def test_two_customers_taking_one_unshared_debtor_at_once_only_one_succeeds(customer_settings):
    customer_settings(can_share_debtor=False)
    debtor = DebtorFactory()
    customers = [CustomerFactory(), CustomerFactory()]
    results = run_at_once(
        lambda customer: customer_set_debtor(customer=customer, debtor=debtor), customers
    )
    assert sum(isinstance(result, Customer) for result in results) == 1, results
    assert sum(isinstance(result, ValidationError) for result in results) == 1
    assert Customer.objects.filter(debtor=debtor).count() == 1


def test_sharing_cannot_be_switched_off_while_debtors_are_shared(
    client_for, administrator, customer_settings
):
    from tests.customers.test_settings_page import _post_values

    customer_settings(can_share_debtor=True)
    debtor = DebtorFactory(name="Fjord A/S")
    CustomerFactory.create_batch(2, debtor=debtor)
    response = client_for(administrator).post(
        "/customers/settings/", _post_values(can_share_debtor=False)
    )
    content = response.content.decode()
    assert "Some debtors pay for several customers" in content
    assert f"/debtors/{debtor.pk}/" in content
    assert CustomerSettings.load().can_share_debtor is True


def test_must_be_activated_is_refused_while_unticked_debtors_are_shared(
    client_for, administrator, customer_settings
):
    from tests.customers.test_settings_page import _post_values

    customer_settings(can_share_debtor=True, share_debtor_must_be_activated=False)
    debtor = DebtorFactory(name="Fjord A/S", can_be_shared=False)
    CustomerFactory.create_batch(2, debtor=debtor)
    response = client_for(administrator).post(
        "/customers/settings/", _post_values(share_debtor_must_be_activated=True)
    )
    assert "are not ticked “can be shared”" in response.content.decode()
    assert CustomerSettings.load().share_debtor_must_be_activated is False


def test_can_be_shared_cannot_be_unticked_while_shared(client, customer_settings):
    customer_settings(can_share_debtor=True, share_debtor_must_be_activated=True)
    debtor = DebtorFactory(name="Fjord A/S", can_be_shared=True)
    CustomerFactory.create_batch(2, debtor=debtor)
    data = {"kind": "company", "name": "Fjord A/S", "payment_terms_days": 14, "active": "on"}
    response = client.post(f"/debtors/{debtor.pk}/edit/", data)
    assert "Several customers share this debtor" in response.content.decode()
    assert Debtor.objects.get().can_be_shared is True


def test_secondary_debtor_is_labelled_with_the_configured_name(client, customer_settings):
    customer_settings(secondary_debtor_enabled=True, secondary_debtor_field_name="Insurer")
    customer = CustomerFactory(secondary_debtor=DebtorFactory(name="Tryg"))
    content = client.get(f"/customers/{customer.id}/").content.decode()
    assert "<dt>Insurer</dt>" in content
    assert "Tryg" in content


def test_secondary_debtor_is_absent_and_refused_when_switched_off(client, customer_settings):
    customer_settings(secondary_debtor_enabled=False, secondary_debtor_field_name="Insurer")
    customer = CustomerFactory()
    assert "Insurer" not in client.get(f"/customers/{customer.id}/").content.decode()
    with pytest.raises(ValidationError):
        customer_set_debtor(customer=customer, debtor=DebtorFactory(), secondary=True)
    assert Customer.objects.get().secondary_debtor is None


def test_secondary_debtor_is_limited_to_the_configured_group(client, customer_settings):
    insurers = DebtorGroupFactory(name="Insurers")
    customer_settings(secondary_debtor_enabled=True, secondary_debtor_group=insurers)
    customer = CustomerFactory()
    insurer = DebtorFactory(name="Tryg", group=insurers)
    outsider = DebtorFactory(name="Fjord A/S")
    offered = client.get(f"/customers/{customer.id}/debtor/", {"role": "secondary"})
    assert "Tryg" in offered.content.decode()
    assert "Fjord A/S" not in offered.content.decode()
    refused = _choose(client, customer, outsider, role="secondary").content.decode()
    assert "must be a debtor of the group Insurers" in refused
    _choose(client, customer, insurer, role="secondary")
    assert Customer.objects.get().secondary_debtor == insurer


def test_type_ahead_returns_only_the_results_fragment(client):
    customer = CustomerFactory()
    DebtorFactory(name="Tryg Forsikring")
    DebtorFactory(name="Fjord A/S")
    response = client.get(
        f"/customers/{customer.id}/debtor/", {"q": "tryg"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="debtor-results"')
    assert "Tryg Forsikring" in content
    assert "Fjord A/S" not in content


def test_private_customer_becomes_their_own_debtor_in_one_click(client):
    customer = CustomerFactory(
        first_name="Anna", last_name="Jensen", email="anna@example.com", city="Vejle"
    )
    response = client.post(f"/customers/{customer.id}/own-debtor/", follow=True)
    debtor = Customer.objects.get().debtor
    assert (debtor.name, debtor.email, debtor.city, debtor.kind) == (
        "Anna Jensen",
        "anna@example.com",
        "Vejle",
        "person",
    )
    assert "Anna Jensen is now their own debtor" in response.content.decode()


def test_business_customer_cannot_become_its_own_debtor(client):
    customer = CustomerFactory(kind="business", company_name="Fjord A/S")
    content = client.get(f"/customers/{customer.id}/").content.decode()
    assert "their own debtor" not in content
    response = client.post(f"/customers/{customer.id}/own-debtor/", follow=True)
    assert "Only a private customer can be made their own debtor." in response.content.decode()
    assert not Debtor.objects.exists()


def test_choosing_a_debtor_needs_permission(client_for, therapist):
    customer, debtor = CustomerFactory(), DebtorFactory()
    assert _choose(client_for(therapist), customer, debtor).status_code == 403
    assert Customer.objects.get().debtor is None


def test_a_legitimately_shared_debtor_can_still_be_edited(client, customer_settings):
    customer_settings(can_share_debtor=True, share_debtor_must_be_activated=False)
    debtor = DebtorFactory(name="Fjord A/S", can_be_shared=False)
    CustomerFactory.create_batch(2, debtor=debtor)
    data = {"kind": "company", "name": "Fjord A/S", "payment_terms_days": 30, "active": "on"}
    client.post(f"/debtors/{debtor.pk}/edit/", data)
    assert Debtor.objects.get().payment_terms_days == 30


def test_a_secondary_request_never_replaces_the_debtor_when_switched_off(client, customer_settings):
    customer_settings(secondary_debtor_enabled=False)
    own = DebtorFactory(name="Own")
    customer = CustomerFactory(debtor=own)
    _choose(client, customer, DebtorFactory(name="Other"), role="secondary")
    saved = Customer.objects.get()
    assert (saved.debtor, saved.secondary_debtor) == (own, None)
    assert client.get(f"/customers/{customer.id}/debtor/", {"role": "secondary"}).status_code == 404


@pytest.mark.parametrize("posted", ["abc", "99999999", "1.5"])
def test_a_bogus_debtor_id_is_refused_with_a_message(client, posted):
    customer = CustomerFactory()
    response = client.post(
        f"/customers/{customer.id}/debtor/", {"debtor": posted, "role": "debtor"}, follow=True
    )
    assert response.status_code == 200
    assert "That debtor no longer exists." in response.content.decode()


def test_own_debtor_twice_makes_only_one_debtor(client):
    customer = CustomerFactory(first_name="Anna", last_name="Jensen")
    client.post(f"/customers/{customer.id}/own-debtor/")
    response = client.post(f"/customers/{customer.id}/own-debtor/", follow=True)
    assert "Anna Jensen already has a debtor." in response.content.decode()
    assert Debtor.objects.count() == 1


def test_a_switched_off_secondary_debtor_cannot_be_removed_by_a_direct_post(
    client, customer_settings
):
    customer_settings(secondary_debtor_enabled=False, secondary_debtor_field_name="Insurer")
    insurer = DebtorFactory(name="Tryg")
    customer = CustomerFactory(secondary_debtor=insurer)
    response = client.post(
        f"/customers/{customer.id}/debtor/", {"debtor": "", "role": "secondary"}, follow=True
    )
    assert "The Insurer is switched off." in response.content.decode()
    assert Customer.objects.get().secondary_debtor == insurer


def _offered(client, customer, query=""):
    """(name, choosable, row text) of each debtor the chooser lists."""
    import re

    content = client.get(f"/customers/{customer.id}/debtor/", {"q": query}).content.decode()
    rows = re.findall(r'<li class="list-group-item.*?</li>', content, re.S)
    return {
        re.search(r"<span(?: class=\"[^\"]*\")?>([^<]+)</span>", row).group(1): (
            'name="debtor"' in row,
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", row)),
        )
        for row in rows
    }


def test_the_chooser_marks_debtors_that_must_be_activated_as_unavailable(client, customer_settings):
    customer_settings(can_share_debtor=True, share_debtor_must_be_activated=True)
    unticked = DebtorFactory(name="Fjord A/S", can_be_shared=False)
    ticked = DebtorFactory(name="Tryg", can_be_shared=True)
    DebtorFactory(name="Unused ApS", can_be_shared=False)
    holder = CustomerFactory(first_name="Anna", last_name="Jensen", debtor=unticked)
    CustomerFactory(debtor=ticked)
    customer = CustomerFactory()
    offered = _offered(client, customer)
    assert offered["Tryg"][0] is True
    assert offered["Unused ApS"][0] is True
    choosable, text = offered["Fjord A/S"]
    assert choosable is False
    assert "Unavailable" in text
    reason = "This debtor is not ticked “can be shared”"
    assert f"{reason}: already pays for Anna Jensen ({holder.number})." in text


def test_the_chooser_marks_every_debtor_in_use_as_unavailable_without_sharing(
    client, customer_settings
):
    customer_settings(can_share_debtor=False)
    used = DebtorFactory(name="Fjord A/S")
    CustomerFactory(debtor=used)
    own = DebtorFactory(name="Own ApS")
    customer = CustomerFactory(debtor=own)
    offered = _offered(client, customer)
    assert offered["Fjord A/S"][0] is False
    assert "Debtors cannot be shared: already pays for" in offered["Fjord A/S"][1]
    assert offered["Own ApS"][0] is True  # its own debtor stays choosable


def test_the_chooser_and_the_server_apply_one_sharing_rule(customer_settings):
    from customers.services import debtors_with_sharing

    for can_share, must_activate in [(False, False), (True, False), (True, True)]:
        settings = customer_settings(
            can_share_debtor=can_share, share_debtor_must_be_activated=must_activate
        )
        Customer.objects.all().delete()
        Debtor.objects.all().delete()
        debtors = [DebtorFactory(can_be_shared=shared) for shared in (False, True)]
        for debtor in debtors:
            CustomerFactory(debtor=debtor)
        customer = CustomerFactory()
        marked = {
            debtor.pk: debtor.taken_by_id is not None
            for debtor in debtors_with_sharing(
                Debtor.objects.all(), customer=customer, settings=settings
            )
        }
        for debtor in debtors:
            try:
                customer_set_debtor(customer=customer, debtor=debtor)
                refused = False
            except ValidationError:
                refused = True
            assert refused == marked[debtor.pk], (can_share, must_activate, debtor.can_be_shared)
