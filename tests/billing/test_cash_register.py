"""The cash register: a sale started for a customer, its lines, therapist and debtors,
issued into invoices."""

from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import Invoice, PriceItem, Sale
from customers.models import Calendar, Reservation
from tests.factories import CustomerFactory, DebtorFactory, DebtorGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def physio(db):
    return PriceItem.objects.create(
        code="PHYS60", name="Physiotherapy", price=Decimal("650.00"), vat_rate=Decimal("0.00")
    )


def _start(client, customer, **data):
    response = client.post(f"/billing/sales/start/{customer.id}/", data)
    assert response.status_code == 302, response
    return Sale.objects.latest("id")


def test_a_sale_from_a_reservation_has_its_therapist_and_service(client_for, receptionist, physio):
    calendar = Calendar.objects.create(name="Tobias")
    customer = CustomerFactory(
        debtor=DebtorFactory(), primary_therapist=Calendar.objects.create(name="Other")
    )
    reservation = Reservation.objects.create(
        customer=customer,
        service="physiotherapy",
        start=timezone.now(),
        calendar=calendar,
        status=Reservation.Status.BOOKED,
    )
    sale = _start(client_for(receptionist), customer, reservation=reservation.pk)
    assert sale.therapist == calendar
    assert sale.debtor == customer.debtor
    assert [(line.description, line.unit_price) for line in sale.lines.all()] == [
        ("Physiotherapy", Decimal("650.00"))
    ]


def test_a_sale_from_scratch_has_the_primary_therapist_and_it_can_be_changed(
    client_for, receptionist
):
    primary, other = Calendar.objects.create(name="Tobias"), Calendar.objects.create(name="Ulla")
    customer = CustomerFactory(primary_therapist=primary, debtor=DebtorFactory())
    client = client_for(receptionist)
    sale = _start(client, customer)
    assert sale.therapist == primary
    response = client.post(
        f"/billing/sales/{sale.pk}/", {"therapist": other.pk, "debtor": customer.debtor_id}
    )
    assert response.status_code == 302
    sale.refresh_from_db()
    assert sale.therapist == other


def test_another_customers_reservation_is_not_found(client_for, receptionist):
    reservation = Reservation.objects.create(
        customer=CustomerFactory(), service="x", start=timezone.now()
    )
    response = client_for(receptionist).post(
        f"/billing/sales/start/{CustomerFactory().id}/", {"reservation": reservation.pk}
    )
    assert response.status_code == 404
    assert not Sale.objects.exists()


def test_the_list_price_is_used_unless_the_user_may_change_prices(
    client_for, receptionist, administrator, physio
):
    customer = CustomerFactory(debtor=DebtorFactory())
    client = client_for(receptionist)
    sale = _start(client, customer)
    page = client.get(f"/billing/sales/{sale.pk}/").content.decode()
    assert 'name="unit_price"' not in page
    client.post(
        f"/billing/sales/{sale.pk}/",
        {
            "add_line": "1",
            "item": physio.pk,
            "quantity": "2",
            "discount_percent": "0",
            "unit_price": "1.00",
        },
    )
    assert sale.lines.get().unit_price == Decimal("650.00")
    admin = client_for(administrator)
    admin.post(
        f"/billing/sales/{sale.pk}/",
        {
            "add_line": "1",
            "item": physio.pk,
            "quantity": "1",
            "discount_percent": "10",
            "unit_price": "600.00",
        },
    )
    assert sale.lines.order_by("position").last().unit_price == Decimal("600.00")


@pytest.mark.parametrize(
    ("field", "value"), [("quantity", "-1"), ("discount_percent", "100.5"), ("quantity", "1.005")]
)
def test_bad_line_input_is_refused_next_to_the_field(
    client_for, receptionist, physio, field, value
):
    customer = CustomerFactory(debtor=DebtorFactory())
    client = client_for(receptionist)
    sale = _start(client, customer)
    data = {"add_line": "1", "item": physio.pk, "quantity": "1", "discount_percent": "0"}
    response = client.post(f"/billing/sales/{sale.pk}/", {**data, field: value})
    assert response.status_code == 200
    assert field in response.context["line_form"].errors
    assert not sale.lines.exists()


def test_a_split_preselects_the_secondary_debtor_limited_to_its_group(
    client_for, receptionist, physio, customer_settings
):
    insurers = DebtorGroupFactory(name="Insurers")
    insurer, outsider = DebtorFactory(group=insurers), DebtorFactory()
    customer_settings(secondary_debtor_enabled=True, secondary_debtor_group=insurers)
    customer = CustomerFactory(debtor=DebtorFactory(), secondary_debtor=insurer)
    client = client_for(receptionist)
    sale = _start(client, customer)
    assert sale.second_debtor == insurer
    refused = client.post(
        f"/billing/sales/{sale.pk}/",
        {
            "debtor": customer.debtor_id,
            "split": "amount",
            "second_debtor": outsider.pk,
            "split_value": "100.00",
        },
    )
    assert "second_debtor" in refused.context["form"].errors
    client.post(
        f"/billing/sales/{sale.pk}/",
        {"add_line": "1", "item": physio.pk, "quantity": "1", "discount_percent": "0"},
    )
    client.post(
        f"/billing/sales/{sale.pk}/",
        {
            "debtor": customer.debtor_id,
            "split": "percentage",
            "second_debtor": insurer.pk,
            "split_value": "40",
        },
    )
    response = client.post(f"/billing/sales/{sale.pk}/invoice/")
    assert response.status_code == 302
    first, second = Invoice.objects.order_by("number")
    assert (first.total, second.total) == (Decimal("390.00"), Decimal("260.00"))
    assert second.debtor == insurer


def test_an_invoiced_sale_cannot_be_changed_by_a_direct_post(client_for, receptionist, physio):
    customer = CustomerFactory(debtor=DebtorFactory())
    client = client_for(receptionist)
    sale = _start(client, customer)
    client.post(
        f"/billing/sales/{sale.pk}/",
        {"add_line": "1", "item": physio.pk, "quantity": "1", "discount_percent": "0"},
    )
    client.post(f"/billing/sales/{sale.pk}/invoice/")
    client.post(
        f"/billing/sales/{sale.pk}/",
        {"add_line": "1", "item": physio.pk, "quantity": "5", "discount_percent": "0"},
    )
    client.post(f"/billing/sales/{sale.pk}/lines/1/remove/")
    assert sale.lines.count() == 1
    assert Invoice.objects.get().total == Decimal("650.00")
    assert client.post(f"/billing/sales/{sale.pk}/invoice/").status_code == 302
    assert Invoice.objects.count() == 1


def test_staff_without_billing_cannot_start_a_sale(client_for, therapist):
    customer = CustomerFactory()
    response = client_for(therapist).post(f"/billing/sales/start/{customer.id}/")
    assert response.status_code == 403
    assert not Sale.objects.exists()
