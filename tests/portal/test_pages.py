"""Billing, Reports and Request appointment, and the staff side of appointment requests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import Reservation
from portal.models import Permission
from tests.factories import DebtorFactory, portal_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def booker(portal_customer):
    return portal_contact(
        customer=portal_customer,
        permissions=[Permission.WORK_ORDER, Permission.REPORTS],
        first_name="Bea",
        last_name="Booker",
    )


def test_billing_shows_the_customers_debtor_read_only(client_for, portal_admin, portal_customer):
    portal_customer.debtor = DebtorFactory(name="Tryg Forsikring", ean="5790000000012")
    portal_customer.save()
    page = client_for(portal_admin.portal_user).get("/portal/billing/").content.decode()
    assert "Tryg Forsikring" in page
    assert "5790000000012" in page
    assert "<form" not in page.split("</nav>", 1)[1].split("</main>")[0]  # nothing to edit


def test_billing_shows_the_secondary_debtor_under_its_configured_name(
    client_for, portal_admin, portal_customer, customer_settings
):
    customer_settings(secondary_debtor_enabled=True, secondary_debtor_field_name="Insurance")
    portal_customer.secondary_debtor = DebtorFactory(name="Dansk Sundhed")
    portal_customer.save()
    page = client_for(portal_admin.portal_user).get("/portal/billing/").content.decode()
    assert "Insurance" in page and "Dansk Sundhed" in page
    customer_settings(secondary_debtor_enabled=False)
    page = client_for(portal_admin.portal_user).get("/portal/billing/").content.decode()
    assert "Dansk Sundhed" not in page


def test_billing_has_a_clear_empty_state(client_for, portal_admin):
    page = client_for(portal_admin.portal_user).get("/portal/billing/").content.decode()
    assert "No one has been registered to receive the invoices yet" in page


def test_reports_lists_upcoming_and_past_reservations(client_for, booker, portal_customer):
    now = timezone.now()
    portal_customer.reservations.create(service="Follow-up", start=now + timedelta(days=3))
    portal_customer.reservations.create(
        service="First visit", start=now - timedelta(days=3), status=Reservation.Status.DONE
    )
    client = client_for(booker.portal_user)
    upcoming = client.get("/portal/reports/").content.decode()
    past = client.get("/portal/reports/?when=past").content.decode()
    assert "Follow-up" in upcoming and "First visit" not in upcoming
    assert "First visit" in past and "Follow-up" not in past


def test_an_appointment_request_reaches_the_staff_profile(
    client_for, booker, portal_customer, receptionist
):
    start = (timezone.localtime() + timedelta(days=5)).replace(hour=10, minute=30)
    response = client_for(booker.portal_user).post(
        "/portal/appointments/request/",
        {"service": "Back pain", "start": start.strftime("%Y-%m-%dT%H:%M"), "note": "Mornings"},
    )
    assert response["Location"] == "/portal/reports/"
    request = Reservation.objects.get()
    assert request.status == Reservation.Status.REQUESTED
    assert request.customer == portal_customer
    assert request.requested_by == booker.portal_user
    assert request.calendar is None
    profile = client_for(receptionist).get(f"/customers/{portal_customer.id}/?tab=reservations")
    text = profile.content.decode()
    assert "Appointment requests from the customer portal (1)" in text
    assert "Back pain" in text and "Bea Booker" in text


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (timedelta(hours=-1), "Choose a time in the future."),
        (timedelta(days=400), "Choose a time within the next 12 months."),
    ],
)
def test_an_appointment_request_needs_a_sensible_time(client_for, booker, offset, message):
    start = timezone.localtime() + offset
    response = client_for(booker.portal_user).post(
        "/portal/appointments/request/",
        {"service": "Back pain", "start": start.strftime("%Y-%m-%dT%H:%M")},
    )
    assert message in response.content.decode()
    assert not Reservation.objects.exists()


def test_the_reservations_tab_needs_the_permission(client_for, nobody, portal_customer):
    response = client_for(nobody).get(f"/customers/{portal_customer.id}/?tab=reservations")
    assert response.status_code == 403


def test_deleting_a_customer_names_their_reservations(client_for, administrator, portal_customer):
    portal_customer.reservations.create(service="X", start=timezone.now())
    page = client_for(administrator).get(f"/customers/{portal_customer.id}/delete/")
    assert "<li>1 reservation</li>" in page.content.decode()


def test_the_start_page_offers_only_what_the_user_may_do(client_for, portal_limited, booker):
    limited = client_for(portal_limited.portal_user).get("/portal/").content.decode()
    assert "Request appointment" not in limited and "Billing" not in limited
    page = client_for(booker.portal_user).get("/portal/").content.decode()
    assert "Request appointment" in page and "Reports" in page and "Billing" not in page
