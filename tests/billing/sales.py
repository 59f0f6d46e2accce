"""Sales to invoice in the billing tests."""

from decimal import Decimal

from billing.models import Sale, SaleLine
from tests.factories import CustomerFactory, DebtorFactory, UserFactory


def make_sale(*lines, debtor=None, **fields) -> Sale:
    """A sale with lines of (quantity, unit price, discount %, VAT rate)."""
    sale = Sale.objects.create(
        customer=CustomerFactory(),
        debtor=debtor or DebtorFactory(payment_terms_days=14),
        created_by=UserFactory(),
        **fields,
    )
    for position, (quantity, price, discount, rate) in enumerate(lines, start=1):
        SaleLine.objects.create(
            sale=sale,
            position=position,
            description=f"Line {position}",
            quantity=Decimal(quantity),
            unit_price=Decimal(price),
            discount_percent=Decimal(discount),
            vat_rate=Decimal(rate),
        )
    return sale
