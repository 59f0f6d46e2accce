"""config.replica: lists, type-ahead and exports may read from a streaming standby; writes,
a write's transaction, a browser that just wrote, and sign-in state read the primary.
(Against a real standby: test_replica_standby.py.)"""

import pytest
from django.db import router, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.models import User
from config.replica import (
    PIN_COOKIE,
    REPLICA,
    ReplicaPinMiddleware,
    reading_from_replica,
    reads_from_replica,
)
from customers.models import Customer
from tests.config.replica import add_replica, remove_replica


@pytest.fixture
def replica_alias():
    """A "replica" alias (here the primary itself: only the routing is under test)."""
    add_replica()
    yield
    remove_replica()


def test_without_a_replica_every_read_goes_to_the_primary():
    with reading_from_replica():
        assert router.db_for_read(Customer) == "default"


def test_marked_reads_of_customers_go_to_the_replica(replica_alias):
    assert router.db_for_read(Customer) == "default"
    with reading_from_replica():
        assert router.db_for_read(Customer) == REPLICA


def test_sign_in_state_is_always_read_from_the_primary(replica_alias):
    with reading_from_replica():
        assert router.db_for_read(User) == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_come_from_the_primary(replica_alias):
    with reading_from_replica(), transaction.atomic():
        assert router.db_for_read(Customer) == "default"


def test_writes_go_to_the_primary_even_for_a_row_read_from_the_replica(replica_alias):
    customer = Customer(first_name="Ida", last_name="Holm")
    customer._state.db = REPLICA
    with reading_from_replica():
        assert router.db_for_write(Customer, instance=customer) == "default"


def _where_a_marked_view_reads(request) -> tuple[str, HttpResponse]:
    seen = []

    @reads_from_replica
    def view(request):
        seen.append(router.db_for_read(Customer))
        return HttpResponse("ok")

    response = ReplicaPinMiddleware(view)(request)
    return seen[0], response


def test_a_post_reads_the_primary_and_pins_the_browser_to_it_for_a_while(replica_alias, settings):
    database, response = _where_a_marked_view_reads(RequestFactory().post("/customers/"))
    assert database == "default"
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS


def test_a_browser_that_just_wrote_reads_its_own_write_from_the_primary(replica_alias):
    request = RequestFactory().get("/customers/")
    request.COOKIES[PIN_COOKIE] = "1"
    database, response = _where_a_marked_view_reads(request)
    assert database == "default"
    assert PIN_COOKIE not in response.cookies


def test_a_get_from_a_browser_that_did_not_write_reads_the_replica(replica_alias):
    database, _ = _where_a_marked_view_reads(RequestFactory().get("/customers/"))
    assert database == REPLICA
