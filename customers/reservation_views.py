"""Staff pages of a customer's reservations: book, change, decline a portal request, and
print the customer's reservations per the "Print reservations" settings."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.forms import show_service_errors
from customers import profile, services
from customers.forms import ReservationForm
from customers.models import Customer, CustomerSettings, ExtraField, Reservation
from customers.reservations import reservation_decline, reservation_save


def _reservations_tab(customer_id) -> str:
    return profile.tab_url(customer_id, "reservations")


@permission_required("customers.add_reservation", raise_exception=True)
def reservation_create(request, customer_id):
    customer = get_object_or_404(Customer.objects.for_profile(), pk=customer_id)
    if refusal := services.erased_refusal(customer):
        messages.error(request, refusal)
        return redirect(_reservations_tab(customer.pk))
    return _reservation_form(request, customer, Reservation(customer=customer), "New reservation")


@permission_required("customers.change_reservation", raise_exception=True)
def reservation_edit(request, reservation_id):
    reservation = get_object_or_404(Reservation, pk=reservation_id)
    reservation.customer = customer = Customer.objects.for_profile().get(pk=reservation.customer_id)
    heading = "Change the reservation"
    if reservation.status == Reservation.Status.REQUESTED:
        heading = "Book the request"
        if request.method == "GET":
            reservation.status = Reservation.Status.BOOKED  # what staff do with a request
    return _reservation_form(request, customer, reservation, heading)


def _reservation_form(request, customer: Customer, reservation: Reservation, heading: str):
    settings = CustomerSettings.for_request(request)
    previous_calendar_id = reservation.calendar_id if reservation.pk else None
    form = ReservationForm(
        request.POST if request.method == "POST" else None,
        instance=reservation,
        settings=settings,
        customer=customer,
    )
    if form.is_valid():
        try:
            with transaction.atomic():
                reservation = reservation_save(
                    reservation=form.save(commit=False), previous_calendar_id=previous_calendar_id
                )
                if form.therapist_fields:
                    services.customer_set_therapists(customer=customer, **form.therapists())
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, f"Reservation “{reservation.service}” saved.")
            return redirect(_reservations_tab(customer.pk))
    context = {"form": form, "customer": customer, "reservation": reservation, "heading": heading}
    return render(request, "customers/reservation_form.html", context)


@require_POST
@permission_required("customers.change_reservation", raise_exception=True)
def reservation_decline_view(request, reservation_id):
    reservation = get_object_or_404(Reservation, pk=reservation_id)
    try:
        reservation_decline(reservation=reservation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"The request for “{reservation.service}” was declined.")
    return redirect(_reservations_tab(reservation.customer_id))


@permission_required("customers.view_reservation", raise_exception=True)
def reservations_print(request, customer_id):
    """The customer's booked reservations to print, and apart from them the portal
    requests still waiting to be booked. "Print reservations" decides whether the
    customer's extra fields and their customer record (number, contact details, date of
    birth) are printed, and whether only the start time is shown."""
    customer = get_object_or_404(Customer.objects.for_profile(), pk=customer_id)
    settings = CustomerSettings.for_request(request)
    extra = []
    if settings.print_reservations_extra_fields:
        extra = ExtraField.objects.shown_for(customer)
    reservations = customer.reservations.select_related("calendar")
    # A portal request is not an appointment until staff book it: printed apart, labelled.
    booked = reservations.exclude(
        status__in=[Reservation.Status.CANCELLED, Reservation.Status.REQUESTED]
    )
    context = {
        "customer": customer,
        "settings": settings,
        "extra_values": extra,
        "upcoming": list(booked.upcoming()),
        "past": list(booked.past()[:50]),
        "requests": list(reservations.requested().upcoming()),
    }
    return render(request, "customers/reservations_print.html", context)
