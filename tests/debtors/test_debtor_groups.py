"""Debtor groups: created, renamed, deleted only when nothing uses them."""

import pytest

from debtors.models import DebtorGroup
from tests.factories import DebtorFactory, DebtorGroupFactory
from tests.field_errors import field_errors


@pytest.fixture
def client(client_for, receptionist):
    return client_for(receptionist)


def test_group_is_created_and_listed_with_its_debtor_count(client):
    response = client.post("/debtors/groups/", {"name": "Insurers"}, follow=True)
    assert "Debtor group Insurers created." in response.content.decode()
    DebtorFactory.create_batch(2, group=DebtorGroup.objects.get())
    assert "2 debtors" in client.get("/debtors/groups/").content.decode()


def test_group_names_are_unique_whatever_the_case(client):
    DebtorGroupFactory(name="Insurers")
    response = client.post("/debtors/groups/", {"name": "INSURERS"})
    html = response.content.decode()
    assert field_errors(html, "name") == "A debtor group with this name already exists."
    assert DebtorGroup.objects.count() == 1


def test_group_is_renamed(client):
    group = DebtorGroupFactory(name="Insurers")
    client.post(f"/debtors/groups/{group.pk}/", {"name": "Insurance companies"})
    assert DebtorGroup.objects.get().name == "Insurance companies"


def test_group_with_debtors_is_not_deleted(client):
    group = DebtorGroupFactory(name="Insurers")
    DebtorFactory(group=group)
    response = client.post(f"/debtors/groups/{group.pk}/delete/", follow=True)
    assert "Insurers still holds 1 debtor: move it to another group first." in (
        response.content.decode()
    )
    assert DebtorGroup.objects.exists()


def test_group_chosen_as_secondary_debtor_group_is_not_deleted(client, customer_settings):
    group = DebtorGroupFactory(name="Insurers")
    customer_settings(secondary_debtor_group=group)
    response = client.post(f"/debtors/groups/{group.pk}/delete/", follow=True)
    assert "is the secondary debtor group in Back-end" in response.content.decode()
    assert DebtorGroup.objects.exists()


def test_empty_group_is_deleted(client):
    group = DebtorGroupFactory(name="Insurers")
    response = client.post(f"/debtors/groups/{group.pk}/delete/", follow=True)
    assert "Debtor group Insurers deleted." in response.content.decode()
    assert not DebtorGroup.objects.exists()


def test_therapists_cannot_manage_debtor_groups(client_for, therapist):
    group = DebtorGroupFactory()
    client = client_for(therapist)
    assert client.post("/debtors/groups/", {"name": "X"}).status_code == 403
    assert client.post(f"/debtors/groups/{group.pk}/delete/").status_code == 403
    assert DebtorGroup.objects.count() == 1
