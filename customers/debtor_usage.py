"""Tells the debtors app which customers use a debtor (debtors imports no customers)."""

from django.db.models import Q
from django.urls import reverse

from customers.models import Customer
from debtors.models import Debtor
from debtors.usage import DebtorUser


def customers_paid_for(debtor: Debtor) -> list[DebtorUser]:
    customers = Customer.objects.filter(Q(debtor=debtor) | Q(secondary_debtor=debtor))
    return [
        DebtorUser(
            label=f"{customer.name} ({customer.number})",
            url=reverse("customers:detail", args=[customer.id]),
            role="debtor" if customer.debtor_id == debtor.pk else "secondary debtor",
        )
        for customer in customers.order_by("number")
    ]
