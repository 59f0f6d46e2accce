"""The customer profile's Invoices tab: the customer's invoices and credit notes, and what
is still owed."""

from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.http import HttpRequest
from django.utils.translation import ngettext

from billing.models import Invoice
from config.pagination import KeysetPaginator
from customers.models import Customer, CustomerSettings

INVOICES_PER_PAGE = 25


def is_shown(request: HttpRequest, settings: CustomerSettings) -> bool:
    return request.user.has_perm("billing.view_invoice")


def context(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    invoices = Invoice.objects.with_open_amount().filter(customer=customer)
    open_amount = invoices.filter(kind=Invoice.Kind.INVOICE, open_amount__gt=0).aggregate(
        sum=Sum("open_amount")
    )["sum"]
    page = KeysetPaginator(invoices, ordering=("-number",), per_page=INVOICES_PER_PAGE)
    return {
        "billing_invoices": page.page_for(request.GET),
        "billing_open_amount": open_amount or Decimal("0.00"),
    }


def deletion_blockers(customer: Customer) -> list[str]:
    count = customer.invoices.count()
    if not count:
        return []
    return [ngettext("%(count)d invoice", "%(count)d invoices", count) % {"count": count}]
