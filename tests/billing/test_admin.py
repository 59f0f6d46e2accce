"""The price list and the invoice numbering in the Django admin."""

from decimal import Decimal

import pytest

from billing import services
from billing.models import Invoice, InvoiceNumbering, PriceItem
from tests.billing.sales import make_sale

pytestmark = pytest.mark.django_db


def test_administrators_keep_the_price_list(admin_client):
    response = admin_client.post(
        "/admin/billing/priceitem/add/",
        {
            "kind": "service",
            "code": "PSY50",
            "name": "Psychology session, 50 min",
            "price": "1100.00",
            "vat_rate": "0.00",
            "active": "on",
        },
    )
    assert response.status_code == 302
    item = PriceItem.objects.get(code="PSY50")
    assert (item.price, item.vat_rate) == (Decimal("1100.00"), Decimal("0.00"))
    assert "Psychology session" in admin_client.get("/admin/billing/priceitem/").content.decode()


def test_a_price_with_three_decimals_is_refused_next_to_the_field(admin_client):
    response = admin_client.post(
        "/admin/billing/priceitem/add/",
        {"kind": "service", "code": "X", "name": "X", "price": "10.005", "vat_rate": "0.00"},
    )
    assert response.status_code == 200
    assert "price" in response.context["adminform"].form.errors
    assert not PriceItem.objects.exists()


def test_the_series_start_can_be_set_before_the_first_invoice_only(admin_client):
    response = admin_client.post("/admin/billing/invoicenumbering/add/", {"next_number": "2041"})
    assert response.status_code == 302
    assert InvoiceNumbering.objects.get().next_number == 2041
    assert not Invoice.objects.exists()
    assert admin_client.get("/admin/billing/invoicenumbering/1/change/").status_code == 200


def test_the_series_start_cannot_change_once_an_invoice_is_issued(admin_client, admin_user):
    sale = make_sale(("1", "100.00", "0", "0.00"))
    services.sale_issue(sale=sale, by=admin_user)
    response = admin_client.post("/admin/billing/invoicenumbering/1/change/", {"next_number": "1"})
    assert response.status_code == 403
    assert InvoiceNumbering.objects.get().next_number == 2
