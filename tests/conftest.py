"""Standing users for every test: one per staff role, a portal user, and an outsider.

- administrator: the Administrator role (everything, including back-end settings)
- therapist: the Therapist role (customers, contacts, records)
- receptionist: the Reception role (customers, contacts, reservations, debtors)
- nobody: a staff user without any role (signed in, but allowed nothing)
- portal_user: a customer portal user (never allowed on staff pages)
"""

import pytest
from django.test import Client

from tests.factories import PASSWORD, PortalUserFactory, UserFactory


@pytest.fixture
def administrator(db):
    return UserFactory(username="alice", role="Administrator", is_staff=True)


@pytest.fixture
def therapist(db):
    return UserFactory(username="terry", role="Therapist")


@pytest.fixture
def receptionist(db):
    return UserFactory(username="rita", role="Reception")


@pytest.fixture
def nobody(db):
    return UserFactory(username="nora")


@pytest.fixture
def portal_user(db):
    return PortalUserFactory(username="petra")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def client_for():
    """client_for(user): a test client signed in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def customer_settings(db):
    """customer_settings(ssn_enabled=True, ...): change the back-end settings; returns them."""
    from customers.models import CustomerSettings

    def change(**values):
        current = CustomerSettings.load()
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
        return current

    return change
