"""Customers, their groups, therapists' calendars and the back-end customer settings."""

from customers.models.calendar import Calendar, Reservation
from customers.models.customer import Customer, CustomerGroup
from customers.models.export import CustomerExport
from customers.models.fields import ExtraField
from customers.models.settings import CustomerSettings

__all__ = [
    "Calendar",
    "Customer",
    "CustomerExport",
    "CustomerGroup",
    "CustomerSettings",
    "ExtraField",
    "Reservation",
]
