"""The back-end customer settings in every template, for what the menu shows."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from customers.models import CustomerSettings


def customer_settings(request: HttpRequest) -> dict[str, object]:
    """`customer_settings`: read only when a template uses it (the staff menu hides
    switched-off features), and at most once per request (CustomerSettings.for_request)."""
    return {"customer_settings": SimpleLazyObject(lambda: CustomerSettings.for_request(request))}
