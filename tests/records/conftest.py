"""Records fixtures: a customer with one record, and a way to write entries at any time."""

from datetime import datetime

import pytest
import time_machine

from records import services
from tests.factories import CustomerFactory, login_with_second_factor


@pytest.fixture
def customer(db):
    return CustomerFactory(first_name="Ida", last_name="Holm")


@pytest.fixture
def record(customer, therapist):
    return services.record_create(customer=customer, title="Physiotherapy, left knee", by=therapist)


@pytest.fixture
def write(record, therapist):
    """write("Title", "Body", at=datetime) adds an entry to `record`, created at `at`."""

    def write_entry(title: str, body: str = "Notes.", at: datetime | None = None, **kwargs):
        if at is None:
            return services.entry_create(
                record=record, title=title, body=body, by=therapist, **kwargs
            )
        with time_machine.travel(at, tick=False):
            return services.entry_create(
                record=record, title=title, body=body, by=therapist, **kwargs
            )

    return write_entry


@pytest.fixture
def therapist_client(client, therapist):
    login_with_second_factor(client, therapist)
    return client
