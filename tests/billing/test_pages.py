"""The invoice list, an invoice's page and the customer's Invoices tab."""

import datetime
from decimal import Decimal

import pytest

from billing import services
from tests.billing.sales import make_sale

pytestmark = pytest.mark.django_db


def _invoice(*lines, **fields):
    sale = make_sale(*lines, **fields)
    return services.sale_issue(sale=sale, by=sale.created_by, issued_on=datetime.date(2026, 11, 1))


def test_the_list_shows_open_invoices_and_hides_paid_ones(client_for, receptionist):
    (open_invoice,) = _invoice(("1", "650.00", "0", "0.00"))
    (paid,) = _invoice(("1", "300.00", "0", "0.00"))
    services.payment_register(
        invoice=paid,
        amount=Decimal("300.00"),
        paid_on=datetime.date(2026, 11, 5),
        method="bank",
        by=paid.created_by,
    )
    client = client_for(receptionist)
    content = client.get("/billing/invoices/").content.decode()
    assert f">{open_invoice.number}</a>" in content
    assert f">{paid.number}</a>" not in content
    paid_page = client.get("/billing/invoices/", {"status": "paid"}).content.decode()
    assert f">{paid.number}</a>" in paid_page


def test_overdue_are_the_open_invoices_past_their_due_date(client_for, receptionist):
    (overdue,) = _invoice(("1", "650.00", "0", "0.00"))  # issued 1 November, 14 days
    content = client_for(receptionist).get("/billing/invoices/", {"status": "overdue"})
    assert f">{overdue.number}</a>" in content.content.decode()


def test_the_list_runs_a_bounded_number_of_queries(
    client_for, receptionist, django_assert_max_num_queries
):
    for _ in range(30):
        _invoice(("1", "100.00", "0", "25.00"))
    client = client_for(receptionist)
    with django_assert_max_num_queries(6):
        assert client.get("/billing/invoices/").status_code == 200


def test_an_invoice_shows_vat_per_rate_and_what_is_owed(client_for, receptionist):
    (invoice,) = _invoice(("1", "650.00", "0", "0.00"), ("2", "100.00", "0", "25.00"))
    content = client_for(receptionist).get(f"/billing/invoices/{invoice.pk}/").content.decode()
    assert "VAT 25 % of 200.00" in content
    assert "900.00" in content  # 650 + 200 + 50


def test_the_invoices_tab_lists_the_customers_invoices_with_the_open_amount(
    client_for, receptionist
):
    (invoice,) = _invoice(("1", "650.00", "0", "0.00"))
    customer = invoice.customer
    content = client_for(receptionist).get(f"/customers/{customer.id}/", {"tab": "invoices"})
    text = content.content.decode()
    assert f">{invoice.number}</a>" in text
    assert "Open: 650.00 kr." in text


def test_staff_without_billing_see_no_invoices(client_for, therapist):
    (invoice,) = _invoice(("1", "650.00", "0", "0.00"))
    client = client_for(therapist)
    assert client.get("/billing/invoices/").status_code == 403
    assert client.get(f"/billing/invoices/{invoice.pk}/").status_code == 403


def test_a_payment_is_registered_from_the_invoice_page(client_for, receptionist):
    (invoice,) = _invoice(("1", "650.00", "0", "0.00"))
    client = client_for(receptionist)
    url = f"/billing/invoices/{invoice.pk}/"
    response = client.post(
        url, {"pay": "1", "amount": "200.00", "paid_on": "2026-11-10", "method": "mobilepay"}
    )
    assert response.status_code == 302
    assert "Still owed:</strong> 450.00 kr." in client.get(url).content.decode()


def test_a_payment_over_what_is_owed_is_refused_at_the_amount(client_for, receptionist):
    (invoice,) = _invoice(("1", "650.00", "0", "0.00"))
    response = client_for(receptionist).post(
        f"/billing/invoices/{invoice.pk}/",
        {"pay": "1", "amount": "650.01", "paid_on": "2026-11-10", "method": "card"},
    )
    assert response.status_code == 200
    assert "amount" in response.context["payment_form"].errors
    assert not invoice.payments.exists()


def test_a_credit_note_is_issued_from_the_invoice_page_with_a_reason(client_for, receptionist):
    (invoice,) = _invoice(("1", "650.00", "0", "0.00"))
    client = client_for(receptionist)
    refused = client.post(f"/billing/invoices/{invoice.pk}/", {"credit": "1", "reason": ""})
    assert "reason" in refused.context["credit_form"].errors
    response = client.post(
        f"/billing/invoices/{invoice.pk}/", {"credit": "1", "reason": "Wrong debtor"}
    )
    note = invoice.credit_notes.get()
    assert response.url == f"/billing/invoices/{note.pk}/"
    assert note.total == Decimal("-650.00")
