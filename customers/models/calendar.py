"""Therapists' calendars and the reservations booked in them.

The customer portal's "Request appointment" creates a reservation in status "requested",
without a calendar; staff see it on the customer's profile and book it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Calendar(models.Model):
    """One therapist's calendar; customers' primary/secondary therapists are chosen from these."""

    name = models.CharField(max_length=100)
    therapist = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="calendar",
        null=True,
        blank=True,
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReservationQuerySet(models.QuerySet):
    def upcoming(self) -> "ReservationQuerySet":
        """From now on, soonest first."""
        return self.filter(start__gte=timezone.now()).order_by("start", "id")

    def past(self) -> "ReservationQuerySet":
        """Before now, latest first."""
        return self.filter(start__lt=timezone.now()).order_by("-start", "-id")

    def requested(self) -> "ReservationQuerySet":
        return self.filter(status=Reservation.Status.REQUESTED)


class Reservation(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        DONE = "done", "Done"

    # A UUID: the portal shows reservations, and its URLs must not be countable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="reservations"
    )
    # Empty while a portal request waits for staff to book it in a calendar.
    calendar = models.ForeignKey(
        Calendar, on_delete=models.PROTECT, related_name="reservations", null=True, blank=True
    )
    service = models.CharField("service", max_length=200)
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.BOOKED)
    # Who asked for it in the customer portal, when it came from there.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reservation_requests",
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ReservationQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-id"]
        # Both directions of the customer's reservations by time (upcoming, past), a page
        # at a time from a row (config.pagination).
        indexes = [
            models.Index(fields=["customer", "start", "id"], name="reservation_customer_start")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="reservation_ends_after_start",
                violation_error_message="The end must be after the start.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.start:%Y-%m-%d %H:%M}"
