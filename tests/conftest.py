"""Standing users for every test: one per staff role, a portal user, and an outsider.

- administrator: the Administrator role (everything, including back-end settings)
- therapist: the Therapist role (customers, contacts, records)
- receptionist: the Reception role (customers, contacts, reservations, debtors)
- nobody: a staff user without any role (signed in, but allowed nothing)
- portal_user: a customer portal user (never allowed on staff pages)

The portal's standing contacts, all signing in with `password`:
- portal_admin: a contact of `portal_customer` with Admin access
- portal_limited: a contact of `portal_customer` with no permissions beyond signing in
- portal_outsider: a contact with Admin access of another customer
"""

import pytest
from django.core.cache import cache
from django.test import Client

from portal.models import Permission
from tests.factories import (
    PASSWORD,
    CustomerFactory,
    PortalUserFactory,
    UserFactory,
    portal_contact,
)
from tests.records.flush import flushing_past_the_access_log


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
def portal_customer(db):
    return CustomerFactory(kind="business", company_name="Nordlys Logistik ApS")


@pytest.fixture
def portal_admin(portal_customer):
    return portal_contact(
        customer=portal_customer,
        permissions=[Permission.ADMIN],
        first_name="Ada",
        last_name="Admin",
        email="ada@nordlys.example",
    )


@pytest.fixture
def portal_limited(portal_customer):
    return portal_contact(
        customer=portal_customer, first_name="Lis", last_name="Limited", email="lis@nordlys.example"
    )


@pytest.fixture
def portal_outsider(db):
    return portal_contact(
        customer=CustomerFactory(kind="business", company_name="Other Firm A/S"),
        permissions=[Permission.ADMIN],
        first_name="Otto",
        last_name="Outsider",
        email="otto@other.example",
    )


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_access_log():
    """Transactional tests' flush empties the access log as the table's owner may
    (tests/records/flush.py); the application's role cannot."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            DatabaseOperations,
            "sql_flush",
            flushing_past_the_access_log(DatabaseOperations.sql_flush),
        )
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached settings rows (accounts.SecuritySettings)
    must not outlive the test whose database transaction wrote them."""
    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def worker(db, monkeypatch):
    """`worker.run()`: what was enqueued on commit so far (config.tasks.enqueue_on_commit)
    is enqueued, then run by the real worker, as `manage.py db_worker --batch` would.

    A test runs inside a transaction that never commits, so the on-commit callbacks are
    run here by hand (each once); and the worker's check for stale connections would
    close the test's own connection, so it is skipped."""
    from django.core.management import call_command
    from django.db import connection

    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    done: set[int] = set()

    class Worker:
        def run(self) -> None:
            for callback in list(connection.run_on_commit):
                if id(callback) not in done:
                    done.add(id(callback))
                    callback[1]()
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return Worker()
