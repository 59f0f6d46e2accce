"""billing.services: issuing, splitting, crediting and paying invoices."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from billing import services
from billing.models import Invoice, InvoiceNumbering, PriceItem, SaleLine
from tests.billing.sales import make_sale
from tests.customers.concurrency import run_at_once
from tests.factories import DebtorFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)


def test_an_invoice_has_vat_per_rate_totals_and_the_debtors_terms():
    sale = make_sale(("1", "650.00", "0", "0.00"), ("2", "99.95", "10", "25.00"))
    (invoice,) = services.sale_issue(sale=sale, by=sale.created_by, issued_on=TODAY)
    assert invoice.net_total == Decimal("650.00") + Decimal("179.91")
    assert invoice.vat_total == Decimal("44.98")  # 25 % of 179.91, rounded
    assert invoice.total == Decimal("874.89")
    assert invoice.due_on == datetime.date(2026, 12, 16)
    assert invoice.debtor_name == sale.debtor.name


def test_a_sale_is_invoiced_once():
    sale = make_sale(("1", "500.00", "0", "0.00"))
    services.sale_issue(sale=sale, by=sale.created_by)
    with pytest.raises(ValidationError) as refused:
        services.sale_issue(sale=sale, by=sale.created_by)
    assert refused.value.code == "already_issued"
    assert Invoice.objects.count() == 1


@pytest.mark.parametrize(
    ("split", "value", "second_total"),
    [("amount", "300.00", Decimal("300.00")), ("percentage", "33.33", Decimal("332.97"))],
)
def test_a_split_sale_gives_two_invoices_that_add_up_to_themake_sale(split, value, second_total):
    sale = make_sale(
        ("1", "600.00", "0", "0.00"),
        ("1", "319.20", "0", "25.00"),
        split=split,
        second_debtor=DebtorFactory(),
        split_value=Decimal(value),
    )
    first, second = services.sale_issue(sale=sale, by=sale.created_by)
    assert services.sale_total(sale) == Decimal("999.00")
    assert second.total == second_total
    assert first.total + second.total == Decimal("999.00")
    assert (first.debtor, second.debtor) == (sale.debtor, sale.second_debtor)
    assert first.number + 1 == second.number


def test_a_second_debtor_cannot_pay_more_than_themake_sale():
    sale = make_sale(
        ("1", "100.00", "0", "0.00"),
        split="amount",
        second_debtor=DebtorFactory(),
        split_value=Decimal("100.01"),
    )
    with pytest.raises(ValidationError) as refused:
        services.sale_issue(sale=sale, by=sale.created_by)
    assert refused.value.error_dict["split_value"][0].code == "split_too_large"
    assert not Invoice.objects.exists()


def test_an_issued_invoice_cannot_be_changed_or_deleted():
    sale = make_sale(("1", "500.00", "0", "0.00"))
    (invoice,) = services.sale_issue(sale=sale, by=sale.created_by)
    with pytest.raises(DatabaseError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(total=Decimal("1.00"))
    with pytest.raises(DatabaseError), transaction.atomic():
        invoice.lines.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).delete()
    invoice.refresh_from_db()
    assert invoice.total == Decimal("500.00")


def test_a_credit_note_cancels_an_invoice_wholly_with_its_own_number():
    sale = make_sale(("2", "250.00", "0", "25.00"))
    (invoice,) = services.sale_issue(sale=sale, by=sale.created_by)
    note = services.invoice_credit(invoice=invoice, by=sale.created_by, reason="Wrong debtor")
    assert note.kind == Invoice.Kind.CREDIT_NOTE
    assert note.number == invoice.number + 1
    assert note.total == -invoice.total
    assert Invoice.objects.with_open_amount().get(pk=invoice.pk).open_amount == 0
    with pytest.raises(ValidationError) as refused:
        services.invoice_credit(invoice=invoice, by=sale.created_by, reason="Again")
    assert refused.value.code == "nothing_to_credit"


def test_a_credit_note_cancels_part_of_a_line_and_no_more_than_is_left():
    sale = make_sale(("3", "200.00", "0", "0.00"))
    (invoice,) = services.sale_issue(sale=sale, by=sale.created_by)
    services.invoice_credit(
        invoice=invoice, by=sale.created_by, reason="One session cancelled", lines={1: Decimal(1)}
    )
    assert Invoice.objects.with_open_amount().get(pk=invoice.pk).open_amount == Decimal("400.00")
    with pytest.raises(ValidationError) as refused:
        services.invoice_credit(
            invoice=invoice, by=sale.created_by, reason="Too much", lines={1: Decimal(3)}
        )
    assert refused.value.code == "over_credit"


def test_payments_reduce_what_is_owed_and_cannot_exceed_it():
    sale = make_sale(("1", "800.00", "0", "0.00"))
    (invoice,) = services.sale_issue(sale=sale, by=sale.created_by)
    services.payment_register(
        invoice=invoice, amount=Decimal("300.00"), paid_on=TODAY, method="card", by=sale.created_by
    )
    assert Invoice.objects.with_open_amount().get(pk=invoice.pk).open_amount == Decimal("500.00")
    with pytest.raises(ValidationError) as refused:
        services.payment_register(
            invoice=invoice,
            amount=Decimal("500.01"),
            paid_on=TODAY,
            method="card",
            by=sale.created_by,
        )
    assert refused.value.error_dict["amount"][0].code == "overpaid"


def test_numbers_continue_the_clinics_old_series():
    InvoiceNumbering.objects.create(id=1, next_number=2041)
    sale = make_sale(("1", "100.00", "0", "0.00"))
    (invoice,) = services.sale_issue(sale=sale, by=sale.created_by)
    assert invoice.number == 2041


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_issues_take_fifty_consecutive_numbers():
    sales = [make_sale(("1", "100.00", "0", "0.00")) for _ in range(50)]
    results = run_at_once(lambda sale: services.sale_issue(sale=sale, by=sale.created_by), sales)
    assert not [result for result in results if isinstance(result, Exception)]
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 51))
    connection.close()


@pytest.mark.parametrize(
    ("field", "value"),
    [("quantity", "-1"), ("unit_price", "10.005"), ("discount_percent", "100.5")],
)
def test_bad_line_values_are_refused_on_their_field(field, value):
    sale = make_sale()
    line = SaleLine(
        sale=sale,
        position=1,
        description="Session",
        quantity=Decimal(1),
        unit_price=Decimal("10.00"),
        vat_rate=Decimal("0.00"),
    )
    setattr(line, field, Decimal(value))
    with pytest.raises(ValidationError) as refused:
        line.full_clean()
    assert list(refused.value.error_dict) == [field]


def test_a_price_list_item_code_is_unique_whatever_its_case():
    PriceItem.objects.create(
        code="PHYS60", name="Physiotherapy, 60 min", price=Decimal("650"), vat_rate=Decimal("0.00")
    )
    duplicate = PriceItem(code="phys60", name="Other", price=Decimal(1), vat_rate=Decimal("0.00"))
    with pytest.raises(ValidationError):
        duplicate.full_clean()
