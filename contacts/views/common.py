"""What the pages of the contact directory share: the "Show contacts" switch they all
depend on, and the customer whose Contacts tab the user came from."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext

from config.http import AuthenticatedHttpRequest
from customers.models import Customer
from customers.profile import tab_url
from customers.switches import switched_on


def customer_from_query(request: AuthenticatedHttpRequest) -> Customer | None:
    """The customer whose Contacts tab the user came from (?customer=<id>), if any."""
    customer_id = request.GET.get("customer")
    if not customer_id:
        return None
    try:
        return Customer.objects.filter(id=customer_id).first()
    except ValidationError:
        return None  # not a UUID


def with_customer(url: str, customer: Customer | None) -> str:
    return f"{url}?customer={customer.id}" if customer else url


def places_removed(count: int) -> str:
    return ngettext(
        "%(count)d place on a customer profile removed.",
        "%(count)d places on customer profiles removed.",
        count,
    ) % {"count": count}


def to_contacts_tab(customer: Customer) -> HttpResponse:
    return redirect(tab_url(customer.id, "contacts"))


contacts_shown = switched_on("show_contacts", "Contacts are switched off in Back-end › Customer.")
