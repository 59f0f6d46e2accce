"""Reservations: booked by staff in a therapist's calendar, or asked for in the customer
portal (status "requested", no calendar) and then booked or declined by staff.

A reservation's calendar must be active when it is chosen; one booked before its calendar
was deactivated keeps it. Changing the customer's therapists from a reservation goes
through customers.services.customer_set_therapists, the same rule as on the profile.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from customers.models import Calendar, Customer, Reservation
from customers.services import refuse_if_erased


def reservation_request(
    *, customer: Customer, requested_by, service: str, start, note: str = ""
) -> Reservation:
    """An appointment asked for in the customer portal: no calendar yet, staff book it."""
    refuse_if_erased(customer)
    reservation = Reservation(
        customer=customer,
        requested_by=requested_by,
        service=service,
        start=start,
        note=note,
        status=Reservation.Status.REQUESTED,
    )
    reservation.full_clean()
    reservation.save()
    return reservation


@transaction.atomic
def reservation_save(
    *, reservation: Reservation, previous_calendar_id: int | None = None
) -> Reservation:
    """Create or change a reservation made by staff. A booked one needs a calendar; a newly
    chosen calendar must be active."""
    refuse_if_erased(reservation.customer)
    errors = {}
    Status = Reservation.Status
    if reservation.status in (Status.BOOKED, Status.DONE) and reservation.calendar_id is None:
        errors["calendar"] = "Choose the calendar to book it in."
    if (
        reservation.calendar_id is not None
        and reservation.calendar_id != previous_calendar_id
        and not Calendar.objects.filter(pk=reservation.calendar_id, active=True).exists()
    ):
        errors["calendar"] = "This calendar is inactive: choose another."
    if errors:
        raise ValidationError(errors)
    reservation.full_clean()
    reservation.save()
    return reservation


@transaction.atomic
def reservation_decline(*, reservation: Reservation) -> Reservation:
    """Decline a portal request: it is kept, cancelled, so the customer sees the answer."""
    reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
    if reservation.status != Reservation.Status.REQUESTED:
        raise ValidationError("Only a request that is still waiting can be declined.")
    reservation.status = Reservation.Status.CANCELLED
    reservation.save(update_fields=["status"])
    return reservation
