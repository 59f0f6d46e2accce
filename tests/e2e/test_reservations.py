"""Reception books a portal request from the customer's Reservations tab."""

from datetime import timedelta

from django.utils import timezone

from customers.models import Calendar, Reservation
from tests.factories import CustomerFactory


def test_reception_books_a_portal_request(page, live_server, receptionist, sign_in, screenshot):
    customer = CustomerFactory(first_name="Ida", last_name="Holm")
    Calendar.objects.create(name="Tobias Therapist")
    request = Reservation.objects.create(
        customer=customer,
        service="Back care follow-up",
        start=timezone.now() + timedelta(days=3),
        status=Reservation.Status.REQUESTED,
    )
    sign_in(receptionist)
    page.goto(f"{live_server.url}/customers/{customer.pk}/?tab=reservations")
    screenshot("requests")
    page.get_by_role("link", name="Book Back care follow-up").click()
    page.get_by_label("Calendar").select_option("Tobias Therapist")
    screenshot("form")
    page.get_by_role("button", name="Save reservation").click()
    page.get_by_text("Reservation “Back care follow-up” saved.").wait_for()
    request.refresh_from_db()
    assert request.status == Reservation.Status.BOOKED
    assert request.calendar.name == "Tobias Therapist"
