"""A customer's sales, invoices and payments are in their GDPR access export."""

import datetime
from decimal import Decimal

import pytest

from billing import services
from privacy import sections
from tests.billing.sales import make_sale

pytestmark = pytest.mark.django_db


def test_the_access_export_holds_the_customers_invoices_and_payments():
    sale = make_sale(("2", "450.00", "0", "0.00"))
    (invoice,) = services.sale_issue(sale=sale, by=sale.created_by)
    services.payment_register(
        invoice=invoice,
        amount=Decimal("100.00"),
        paid_on=datetime.date(2026, 12, 2),
        method="mobilepay",
        by=sale.created_by,
    )
    billing = next(s for s in sections.CUSTOMER.sections if s.key == "billing").read(sale.customer)
    (exported,) = billing["invoices"]
    assert exported["number"] == invoice.number
    assert exported["total"] == Decimal("900.00")
    assert [line["quantity"] for line in exported["lines"]] == [Decimal("2.00")]
    assert [payment["method"] for payment in exported["payments"]] == ["mobilepay"]
    assert billing["sales"][0]["lines"][0]["description"] == "Line 1"


def test_erasing_a_customer_with_invoices_keeps_the_invoices_and_an_erased_identity():
    from privacy.erasure import erase_customer

    sale = make_sale(("1", "450.00", "0", "0.00"))
    (invoice,) = services.sale_issue(sale=sale, by=sale.created_by)
    erase_customer(customer=sale.customer, by=sale.created_by, received=datetime.date(2026, 12, 1))
    invoice.refresh_from_db()
    invoice.customer.refresh_from_db()
    assert invoice.customer.erased_on is not None
