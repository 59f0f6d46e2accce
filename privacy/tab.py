"""The customer profile's Privacy tab: access requests (export) and erasure requests."""

from typing import Any

from django.http import HttpRequest

from config.http import AuthenticatedHttpRequest
from customers.models import Customer, CustomerSettings
from privacy import erasure_views, export_views


def is_shown(request: HttpRequest, settings: CustomerSettings) -> bool:
    user = request.user
    return user.has_perm("privacy.add_subjectexport") or user.has_perm(
        "privacy.view_erasurerequest"
    )


def context(request: AuthenticatedHttpRequest, customer: Customer) -> dict[str, Any]:
    persons = list(customer.contact_persons.order_by("last_name", "first_name", "id"))
    return {
        "privacy_persons": persons,
        **export_views.tab_context(request, customer, persons),
        **erasure_views.tab_context(request, customer),
    }
