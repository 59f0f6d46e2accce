"""Staff book, change and decline reservations on the customer profile; portal requests are
booked or declined there; the print page follows the "Print reservations" settings."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Calendar, ExtraField, Reservation
from tests.factories import CustomerFactory, UserFactory
from tests.pager import pager_link

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def staff(client_for, receptionist):
    return client_for(receptionist)


@pytest.fixture
def customer(db):
    return CustomerFactory(first_name="Ida", last_name="Holm", phone="+4520123456")


@pytest.fixture
def calendar(db):
    return Calendar.objects.create(name="Tobias", therapist=UserFactory(username="tobias"))


def booking(calendar, **changes):
    return {
        "calendar": calendar.pk,
        "service": "Back care",
        "start": "2026-12-01T10:00",
        "end": "2026-12-01T10:45",
        "status": "booked",
        "note": "",
    } | changes


def test_staff_book_a_reservation_in_the_clinics_time_zone(staff, customer, calendar):
    response = staff.post(
        reverse("customers:reservation_create", args=[customer.pk]), booking(calendar), follow=True
    )
    reservation = customer.reservations.get()
    assert reservation.start == datetime(2026, 12, 1, 10, 0, tzinfo=CPH)
    assert reservation.start.astimezone(ZoneInfo("UTC")).hour == 9  # winter time, +1
    assert "Reservation “Back care” saved." in response.content.decode()
    assert "Tue 1 Dec 2026, 10:00–10:45" in response.content.decode()


def test_a_booking_needs_a_calendar(staff, customer, calendar):
    data = booking(calendar) | {"calendar": ""}
    response = staff.post(reverse("customers:reservation_create", args=[customer.pk]), data)
    assert "Choose the calendar to book it in." in response.content.decode()
    assert not customer.reservations.exists()


def test_the_end_must_be_after_the_start(staff, customer, calendar):
    response = staff.post(
        reverse("customers:reservation_create", args=[customer.pk]),
        booking(calendar, end="2026-12-01T09:00"),
    )
    assert "The end must be after the start." in response.content.decode()
    assert not customer.reservations.exists()


def test_an_inactive_calendar_cannot_be_chosen(staff, customer, calendar):
    calendar.active = False
    calendar.save()
    response = staff.post(
        reverse("customers:reservation_create", args=[customer.pk]), booking(calendar)
    )
    assert "Select a valid choice." in response.content.decode()
    assert not customer.reservations.exists()


def test_a_portal_request_is_booked_by_staff(staff, customer, calendar):
    request = Reservation.objects.create(
        customer=customer,
        service="Follow-up",
        start=timezone.now() + timedelta(days=3),
        status=Reservation.Status.REQUESTED,
    )
    tab = staff.get(f"/customers/{customer.id}/?tab=reservations").content.decode()
    assert reverse("customers:reservation_decline", args=[request.pk]) in tab
    page = staff.get(reverse("customers:reservation_edit", args=[request.pk]))
    assert (
        page.context["form"].initial["status"] == "booked"
        or page.context["form"]["status"].value() == "booked"
    )
    staff.post(
        reverse("customers:reservation_edit", args=[request.pk]),
        booking(calendar, service="Follow-up"),
    )
    request.refresh_from_db()
    assert (request.status, request.calendar) == ("booked", calendar)


def test_a_portal_request_is_declined_and_kept(staff, customer):
    request = Reservation.objects.create(
        customer=customer,
        service="Follow-up",
        start=timezone.now() + timedelta(days=3),
        status=Reservation.Status.REQUESTED,
    )
    response = staff.post(reverse("customers:reservation_decline", args=[request.pk]), follow=True)
    assert "was declined" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "cancelled"
    again = staff.post(reverse("customers:reservation_decline", args=[request.pk]), follow=True)
    assert "Only a request that is still waiting can be declined." in again.content.decode()


def test_the_customers_therapists_are_changed_from_a_reservation(
    staff, customer, calendar, customer_settings
):
    customer_settings(therapists_enabled=True, secondary_therapist_choice="only_primary")
    page = staff.get(reverse("customers:reservation_create", args=[customer.pk]))
    assert page.context["form"].therapist_fields == ["primary_therapist"]
    staff.post(
        reverse("customers:reservation_create", args=[customer.pk]),
        booking(calendar, primary_therapist=calendar.pk),
    )
    customer.refresh_from_db()
    assert customer.primary_therapist == calendar


def test_a_therapist_outside_the_settings_is_refused_from_a_reservation_too(
    staff, customer, calendar, customer_settings
):
    other = Calendar.objects.create(name="Maja")
    customer_settings(therapists_enabled=True, primary_therapist_calendar=calendar)
    response = staff.post(
        reverse("customers:reservation_create", args=[customer.pk]),
        booking(calendar, primary_therapist=other.pk),
    )
    assert "Select a valid choice." in response.content.decode()
    customer.refresh_from_db()
    assert customer.primary_therapist is None
    assert not customer.reservations.exists()


@pytest.fixture
def printed(staff, customer, calendar):
    field = ExtraField.objects.create(label="Referred by")
    customer.extra_fields = {field.key: "Dr. Berg"}
    customer.save()
    Reservation.objects.create(
        customer=customer,
        calendar=calendar,
        service="Back care",
        start=timezone.now() + timedelta(days=2),
        end=timezone.now() + timedelta(days=2, minutes=45),
    )

    def page():
        return staff.get(
            reverse("customers:reservations_print", args=[customer.pk])
        ).content.decode()

    return page


def test_print_includes_extra_and_record_fields_and_end_times_by_default(printed):
    html = printed()
    assert "Back care" in html
    assert "Dr. Berg" in html
    assert "+45 20 12 34 56" in html
    assert "–" in html.split('class="text-nowrap reservation-time">')[1][:20]


def test_print_leaves_out_what_the_settings_turn_off(printed, customer_settings):
    customer_settings(
        print_reservations_extra_fields=False,
        print_reservations_record_fields=False,
        print_reservations_start_time_only=True,
    )
    html = printed()
    assert "Back care" in html
    assert "Dr. Berg" not in html
    assert "+45 20 12 34 56" not in html
    assert "–" not in html.split('class="text-nowrap reservation-time">')[1][:20]


def test_staff_without_the_permission_cannot_book(client_for, nobody, customer, calendar):
    client = client_for(nobody)
    url = reverse("customers:reservation_create", args=[customer.pk])
    assert client.post(url, booking(calendar)).status_code == 403
    assert not customer.reservations.exists()


def test_a_reservation_keeps_its_calendar_after_the_calendar_is_deactivated(
    staff, customer, calendar
):
    staff.post(reverse("customers:reservation_create", args=[customer.pk]), booking(calendar))
    reservation = customer.reservations.get()
    calendar.active = False
    calendar.save()
    staff.post(
        reverse("customers:reservation_edit", args=[reservation.pk]),
        booking(calendar, note="Bring the referral"),
    )
    reservation.refresh_from_db()
    assert (reservation.calendar, reservation.note) == (calendar, "Bring the referral")


def test_the_service_refuses_a_newly_chosen_inactive_calendar(customer, calendar):
    from django.core.exceptions import ValidationError

    from customers.reservations import reservation_save

    calendar.active = False
    calendar.save()
    reservation = Reservation(
        customer=customer, calendar=calendar, service="Back care", start=timezone.now()
    )
    with pytest.raises(ValidationError, match="This calendar is inactive"):
        reservation_save(reservation=reservation)
    assert not customer.reservations.exists()


def test_print_lists_portal_requests_apart_from_upcoming_reservations(printed, customer):
    Reservation.objects.create(
        customer=customer,
        service="Requested massage",
        start=timezone.now() + timedelta(days=1),
        status=Reservation.Status.REQUESTED,
    )
    html = printed()
    upcoming, _, rest = html.partition("Requested in the customer portal, not booked yet")
    upcoming = upcoming.partition(">Upcoming</h2>")[2]
    assert "Back care" in upcoming
    assert "Requested massage" not in upcoming
    requests, _, earlier = rest.partition(">Earlier</h2>")
    assert "Requested massage" in requests
    assert "Requested massage" not in earlier


def test_the_delete_warning_counts_reservations_and_requests_in_words(
    client_for, administrator, customer, calendar
):
    start = timezone.now() + timedelta(days=1)
    customer.reservations.create(service="Back care", calendar=calendar, start=start)
    for service in ("Massage", "Check-up"):
        customer.reservations.create(service=service, start=start, status="requested")
    page = client_for(administrator).get(reverse("customers:delete", args=[customer.pk]))
    content = page.content.decode()
    assert "<li>1 reservation</li>" in content
    assert "<li>2 appointment requests</li>" in content
    assert "(s)" not in content


def test_the_reservations_tab_pages_from_the_latest_in_a_fixed_number_of_queries(
    staff, customer, calendar, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("customers.profile.RESERVATIONS_PER_PAGE", 2)
    now = timezone.now()
    for days in range(1, 6):
        customer.reservations.create(
            calendar=calendar, service=f"Visit {days}", start=now - timedelta(days=days)
        )
    url = f"/customers/{customer.id}/"
    first = staff.get(url, {"tab": "reservations"}).content.decode()
    assert "Visit 1" in first and "Visit 2" in first and "Visit 3" not in first
    with django_assert_max_num_queries(12):
        second = staff.get(url + pager_link(first, "Next")).content.decode()
    assert "Visit 3" in second and "Visit 4" in second and "Visit 2" not in second
    last = staff.get(url + pager_link(first, "Last")).content.decode()
    assert "Visit 4" in last and "Visit 5" in last and "Visit 3" not in last
